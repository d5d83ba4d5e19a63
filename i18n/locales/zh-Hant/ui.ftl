# 櫃檯程式的畫面：按鍵、狀態列、登入、輪候、搜尋、首次啟動。

ui-too-small = 此視窗為 { $width }×{ $height }。櫃檯畫面最少需要 { $min_width }×{ $min_height }，請把視窗放大。

key-help = 說明
key-back = 返回
key-search = 搜尋
key-lock = 鎖定畫面
key-up = 上一行
key-down = 下一行
key-page-up = 上一頁
key-page-down = 下一頁
key-submit = 確定
key-open = 開啟
key-next-tab = 下一個列表
key-prev-tab = 上一個列表
key-refresh = 重新整理
key-walk-in = 即場輪候籌號
key-check-in-camera = 以鏡頭登記到達
key-start-visit = 開始辦理
key-stop-camera = 停止鏡頭
key-sign-out = 登出
key-create-demo = 建立示範辦事處
key-continue = 繼續
key-close = 關閉
key-yes-quit = 是，結束
key-no-stay = 否，留下

help-title = 本畫面的按鍵
help-coming = 將隨辦理精靈推出
notice-not-yet = 此功能將隨辦理精靈推出；現時請使用 kiosk 指令。

quit-title = 結束？
quit-visit-in-progress = 正在辦理中。仍要結束嗎？已儲存的資料會保留。

status-reader = 讀卡器
status-token = USB Key
status-printer = 列印機
status-camera = 鏡頭
status-sync = 同步
status-unknown = …
status-not-configured = 未設定
status-unavailable = 無法使用
status-reader-no-service = 沒有 PC/SC 服務
status-reader-none = 沒有
status-reader-empty = 沒有卡
status-reader-card = 已插卡
status-tokens = { $count } 個 USB Key
status-printer-queue = { $waiting } 份等候中
status-printer-failed = { $waiting } 份等候中，{ $failed } 份失敗
status-camera-none = 沒有
status-camera-present = 就緒
status-sync-syncing = 同步中…
status-sync-online = 已連線
status-sync-online-waiting = 已連線，{ $count } 項待送出
status-sync-offline = { $count ->
        [0] 自 { $since } 起離線
       *[other] 自 { $since } 起離線，{ $count } 項待送出
    }

first-start-title = 歡迎
first-start-empty = 此櫃檯機的資料目錄是空的：這裡還沒有辦事處。
first-start-offer = 建立示範辦事處來試用櫃檯？Enter：是。Esc：結束。
first-start-creating = 正在建立示範辦事處…
first-start-created = 示範辦事處已就緒。以下登入資料只顯示一次：請記下，並把一次性密碼 URI 加入驗證器程式。
first-start-write-down = 按 Enter 前往登入。

signin-title = 登入
signin-id = 職員編號
signin-password = 密碼
signin-code = 一次性密碼
signin-hint-id = 輸入職員編號，然後按 Enter。
signin-hint-password = 輸入密碼，然後按 Enter。按 Esc 重新開始。
signin-hint-code = 輸入驗證器程式顯示的 6 位數字，然後按 Enter。
signin-checking = 核對中…
signin-code-six-digits = 一次性密碼為 6 位數字。
signin-clock-off = 此櫃檯機的時鐘與登記系統相差 { $minutes } 分鐘。仍可登入；請聯絡支援調校時鐘。

signin-signed-out = 已登出。下一位職員可在此登入。

lock-title = 畫面已鎖定
lock-who = 畫面於 { $name } 登入期間鎖定。{ $name } 或主管可以解鎖。
lock-not-yours = 只有鎖定此畫面的職員或主管可以解鎖。

queue-tab-appointments = 預約
queue-tab-walk-ins = 即場輪候
queue-tab-renewals = 待續期
queue-tab-approvals = 待批核
queue-loading = 正在載入今日輪候…
queue-no-appointments = 今日沒有預約。
queue-no-walk-ins = 今日尚未發出即場輪候籌號。按 W 發出。
queue-no-renewals = 沒有電子證書需要續期。
queue-no-approvals = 沒有待主管處理的事項。
queue-col-slot = 時間
queue-col-name = 姓名
queue-col-service = 服務
queue-col-status = 狀態
queue-col-ticket = 籌號
queue-col-issued = 發出時間
queue-col-class = 類別
queue-col-serial = 序號
queue-col-days-left = 到期
queue-col-reference = 編號
queue-col-submitted-by = 提交人
queue-tab-conflicts = 資料衝突
queue-no-conflicts = 沒有資料衝突。
queue-col-conflict = 衝突
queue-col-record-kind = 記錄
queue-col-record = 記錄編號
queue-conflict-id-number = 同一身份證明文件
queue-conflict-token-serial = 同一 USB Key 序號
queue-conflict-person = 個人
queue-conflict-token = USB Key
queue-days = { $count } 日後
queue-sign-in-first = 已掃描預約憑證，但未有人登入。請先登入，再掃描一次。
queue-scan-not-a-pass = 剛掃描的不是預約憑證；沒有進行任何操作。
queue-checking-in = 正在核對預約憑證…
queue-checked-in = { $name } 已登記到達。
queue-camera-looking = 正在從鏡頭尋找預約憑證…
queue-camera-cancelled = 鏡頭已停止尋找預約憑證。
queue-issuing-ticket = 正在發出籌號…

appointment-status-booked = 已預約
appointment-status-checked-in = 已到達
appointment-status-served = 已辦理
appointment-status-no-show = 未有出席
appointment-status-cancelled = 已取消
ticket-status-waiting = 等候中
ticket-status-called = 已叫號
ticket-status-served = 已辦理
ticket-status-left = 已離開
certificate-class-qualified = 認可
certificate-class-standard = 標準
certificate-class-encryption = 加密
certificate-class-cloud-sign = 雲簽

walk-in-pick-service = 籌號辦理哪項服務？
walk-in-ticket-title = 即場輪候籌號
walk-in-no-printer = 未設定列印機：請把號碼告訴申請人。

search-title = 搜尋
search-label = 姓名、證件號碼、電話或電子證書序號
search-hint = 輸入部分姓名（中文或外文）、證件號碼、電話號碼或電子證書序號。結果隨輸入即時顯示。
search-searching = 搜尋中…
search-col-name-zh = 中文姓名
search-col-name-latin = 外文姓名
search-col-number = 證件號碼
search-col-phone = 電話
search-col-matched = 符合
search-matched-id-number = 證件號碼
search-matched-serial = 序號
search-matched-phone = 電話
search-matched-name = 姓名

ui-job-failed = 處理時出現問題；沒有任何事項只做了一半。請再試一次，如再發生請聯絡支援。
counter-no-pass-key = 此櫃檯機沒有預約憑證密鑰（keys/pass.key），無法核對預約憑證。請系統管理員安裝辦事處的密鑰。
counter-pass-key-unreadable = 無法讀取預約憑證密鑰（{ $detail }）。請系統管理員檢查 keys/pass.key。
