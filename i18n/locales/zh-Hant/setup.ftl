# The kiosk's own setup: configuration, data directory, logs, output.
notice-new-store = { $dir } 內沒有資料庫，已建立一個新的空白資料庫。如要使用其他資料目錄，請檢查 --data-dir 或 KIOSK_DATA_DIR。
error-output = 無法寫出結果（{ $detail }）。請檢查輸出的去向（磁碟已滿、檔案已關閉），然後再次執行指令。
error-store-damaged = 本機資料庫已損壞（{ $detail }）。請勿繼續使用此資料目錄，亦不要刪除其中的檔案：請執行「kiosk store verify」並聯絡技術支援。
warning-data-dir-permissions = 無法將資料目錄 { $dir } 設為僅限本帳戶存取（{ $detail }），本電腦的其他帳戶可能讀取其中資料。請通知技術支援。
warning-logs-unwritable = 無法在 { $dir } 寫入日誌（{ $detail }）。櫃檯可繼續運作，所有記錄照常儲存；請通知技術支援，以便追查問題。
demo-credentials-not-shown = 示範辦事處未有建立：職員的密碼無法顯示（{ $detail }），而密碼只會顯示一次。請在可閱讀輸出的地方再次執行指令。
config-error-not-a-file = { $path } 應為櫃檯的設定檔，但它並非可讀取的檔案（是資料夾，或指向不存在的連結）。請以檔案取代，或刪除它以使用預設值。
config-error-invalid = 設定 { $setting } 無法使用：{ $detail }。請修正，或刪除它以使用預設值。
config-error-language = 設定 { $setting } 為「{ $value }」，並非櫃檯支援的語言。請使用 zh-Hant、zh-Hans、pt 或 en。
config-error-offset = 設定 { $setting } 為「{ $value }」，並非與 UTC 的時差。請寫成 +08:00 的格式。
config-error-kiosk-id = 設定 { $setting } 為「{ $value }」，不能作為櫃檯編號。請使用 1 至 64 個英文字母、數字或底線，例如 MACAU_01。
config-error-log = 設定 { $setting } 為「{ $value }」，並非日誌篩選條件。請使用 info、debug 等級別，或 store=debug 等條件。
config-error-pin-tries = 設定 { $setting } 為 { $value }，但數字證書盤須容許至少 { $min } 次錯誤 PIN 碼，櫃檯才會將其鎖定。
config-error-printer = 設定 { $setting } 為「{ $value }」，並非印表機位址。請寫成 ipp://printserver:631/printers/COUNTER_1 的格式（ipp:// 或 http://）。
config-error-minutes = 設定 { $setting } 為 { $value }，但須為 { $min } 至 { $max } 分鐘。
config-error-fee-currency = 價目表的 { $setting } 為「{ $value }」，但本處以其設定的貨幣（currency 設定）收費。請以該貨幣填寫價格，或刪除價目表的貨幣。
config-error-fee-unpriced = 價目表沒有 { $setting }：櫃檯簽發此類電子證書，請為 1 至 5 年每一年填寫價格。
config-error-fee-not-at-counter = 價目表列有 { $setting }，但雲簽證書從不在櫃檯出售。請刪除該行。
config-error-fee-years = 價目表的 { $setting } 有 { $value } 個價格；請為 1 至 5 年每一年各填一個，例如 [400, 800, 1200, 1600, 2000]。
config-error-fee-amount = 價目表的 { $setting } 為 { $value }，並非價格。請填寫零至 10,000,000、最多兩位小數的金額，例如 400 或 12.50。
