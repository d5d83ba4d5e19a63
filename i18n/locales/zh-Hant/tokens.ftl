# 數字證書盤、辦事處 CA 及證書簽發（kiosk token …、kiosk ca …）。

token-error-module = 無法載入數字證書盤軟件 { $path }（{ $detail }）。請檢查 PKCS#11 模組的路徑，或確認已安裝數字證書盤廠商的軟件。
token-error-no-token = 未插入標籤為「{ $label }」的數字證書盤。請插入數字證書盤，或以「kiosk token list」核對其標籤。
token-error-label-too-long = 數字證書盤標籤「{ $label }」不可用：標籤長度須為 1 至 32 個位元組（約 10 個中文字）。
token-error-wrong-pin = PIN 碼錯誤。尚餘 { $tries } 次機會，用完後數字證書盤將被鎖定。
token-error-locked = PIN 碼錯誤次數過多，數字證書盤已被鎖定。請先核實持有人身份，再以 SO PIN（管理員 PIN 碼）解鎖。
token-error-wrong-so-pin = SO PIN（管理員 PIN 碼）錯誤。數字證書盤未有解鎖。
token-error-wrong-ca-pin = CA 數字證書盤的 PIN 碼錯誤。沒有簽署任何內容。
token-error-wrong-stock-pin = 辦事處的庫存 PIN 碼（KIOSK_STOCK_PIN）無法開啟此空白數字證書盤。未簽發任何證書，亦不計入錯誤次數；請核對本櫃檯的 KIOSK_STOCK_PIN 與庫存數字證書盤初始化時所用的 PIN 碼。
token-error-lost = 此數字證書盤已報失，不會再解鎖或重新簽發：請以新的數字證書盤辦理補辦。
token-error-not-usable = 此數字證書盤記錄為「{ $status }」，不能使用。請從庫存另取一個新的數字證書盤。
token-error-pin-rules = 新 PIN 碼不符合要求：{ $detail }
token-error-no-certificate = 數字證書盤內沒有本辦事處簽發的證書。
token-error-no-key = 數字證書盤內沒有此證書的私鑰。
token-error-verification = 數字證書盤或證書的檢查未能通過（{ $detail }）。請再試一次；如仍失敗，請聯絡技術支援。
token-error-pkcs11 = 數字證書盤拒絕執行此操作（{ $detail }）。請拔出後重新插入，再試一次。
token-error-certificate = 無法製作證書（{ $detail }）。
token-error-subject = 證書主體名稱無效：{ $detail }
token-error-unknown-profile = 沒有「{ $profile }」這種證書類別。請使用 qualified-person、standard-person、encryption-person、qualified-organisation、standard-organisation、encryption-organisation、person-in-organisation 或 legal-representative。
token-error-soft-not-allowed = { $profile } 證書必須簽發到 USB 數字證書盤；其私鑰不可儲存在檔案中。
token-error-key-type = 此處不能使用金鑰類型 { $key }。
token-error-ca-not-configured = 本櫃檯尚未設定辦事處 CA。請執行「kiosk ca init」（示範或測試辦事處）或「kiosk ca import」（使用中央 CA 發出的證書）。
token-error-ca-exists = 本櫃檯已有辦事處 CA，未作任何更改。
token-error-ca-key-mismatch = CA 數字證書盤內沒有與辦事處 CA 證書相符的金鑰。請檢查數字證書盤及證書檔案。
token-error-certificate-not-found = 本處沒有序號為 { $serial } 的證書記錄。

token-list-none = 未插入任何數字證書盤。
token-list-label = 標籤
token-list-serial = 序號
token-list-model = 型號
token-list-status = 狀態
token-status-blank = 空白
token-status-issued = 已發出
token-status-lost = 已報失
token-status-damaged = 已損壞
token-status-retired = 已停用
token-status-new = 尚未登記入庫存
token-status-uninitialised = 未初始化（請執行「kiosk token init」）
token-status-locked = 已鎖定（PIN 碼錯誤）

revocation-reason-unspecified = 未指明
revocation-reason-key-compromise = 私鑰已洩露
revocation-reason-affiliation-changed = 所屬機構變更
revocation-reason-superseded = 已被取代
revocation-reason-cessation-of-operation = 停止運作

ca-pin-prompt = CA 數字證書盤的 PIN 碼：
ca-pin-needed = 需要 CA 數字證書盤的 PIN 碼：請設定 KIOSK_CA_PIN，或在終端機中執行此指令，以便輸入 PIN 碼。
ca-init-done = 辦事處 CA「{ $subject }」已就緒，其證書鏈已寫入 { $file }。
ca-import-done = 已匯入辦事處 CA「{ $subject }」，其金鑰位於數字證書盤「{ $label }」。
ca-request-done = 辦事處 CA 的證書申請檔已寫入 { $file }。請將其送交中央 CA，再以中央 CA 發回的證書執行「kiosk ca import」。
ca-crl-done = 證書撤銷清單已寫入 { $file }（已撤銷證書：{ $count } 張）。
token-unlocked = 數字證書盤已解鎖，新 PIN 碼可以使用。請將數字證書盤交還持有人。
token-pin-changed = PIN 碼已更改。
token-revoked = 證書 { $serial } 已撤銷（{ $reason }）。
token-reported = 數字證書盤 { $serial } 現已記錄為「{ $status }」。
token-initialised = 數字證書盤「{ $label }」已就緒（序號 { $serial }）。
token-pkcs12-written = 證書及其私鑰已寫入 { $file }，並以密碼保護。請將檔案交給持有人。
token-error-pin-tries = pin_tries 設定為 { $found }，但數字證書盤必須容許至少 { $min } 次錯誤 PIN 碼才鎖定，否則持有人輸錯一次便會被鎖定。請在 kiosk.toml（或 KIOSK_PIN_TRIES）將 pin_tries 設為 { $min } 或以上。
token-error-not-delivered = 電子證書 { $serial } 未能交到持有人手上（{ $detail }），已將其撤銷，不會生效；請重新簽發。
token-error-revocation-pending = 簽發失敗（{ $detail }），而電子證書 { $serial } 尚未撤銷：資料庫未能記錄撤銷（{ $reason }）。該電子證書處於暫停狀態，並未生效，下次執行數字證書盤指令而能寫入資料庫時即會撤銷。請檢查磁碟及資料目錄，然後執行「kiosk token list」。
token-interrupted-revoked = 電子證書 { $serial } 從未交到持有人手上（簽發中途被中斷），現已撤銷。
token-interrupted-pending = 電子證書 { $serial } 從未交到持有人手上，尚未撤銷：{ $detail }

## 證書主體名稱：電子證書可簽發的名稱（RFC 5280 的長度上限，不含控制字元或不可見字元）。

subject-error-syntax = 「{ $part }」不是「屬性=值」的格式（例如 CN=Chan Tai Man）。
subject-error-unknown-attribute = 證書主體名稱不使用屬性 { $name }。請使用 CN、OU、O、L、ST、C 或 serialNumber。
subject-error-twice = { $attribute } 出現了兩次；證書主體名稱中每個屬性只可出現一次。
subject-error-empty = { $attribute } 是空白的。
subject-error-cn-required = 必須填寫 CN（持有人名稱）。
subject-error-too-long = { $attribute } 有 { $length } 個字元，但電子證書最多只容許 { $max } 個（RFC 5280）。請縮短，或使用登記資料中的簡稱。
subject-error-control = { $attribute } 的第 { $position } 個字元是控制字元 { $character }。換行、定位字元等控制字元不可用於電子證書中的名稱，請重新輸入。
subject-error-invisible = { $attribute } 的第 { $position } 個字元是不可見字元 { $character }。零寬度字元及文字方向控制字元會令名稱顯示成另一個樣子，因此電子證書不可包含，請重新輸入。
subject-error-bad-escape = { $attribute } 中的「{ $escape }」不是有效的跳脫序列。反斜線之後須為兩個十六進位數字，或 , + " \ < > ; = # / 其中之一，或空格。
subject-error-not-utf8 = { $attribute } 中的十六進位跳脫序列並非有效的 UTF-8 文字。
subject-error-country = C 必須為兩個大寫字母（MO、CN），而不是「{ $value }」。
subject-error-not-printable = { $attribute } 只可包含英文字母 A–Z 及 a–z、數字、空格及 ' ( ) + , - . / : = ?，不可包含第 { $position } 個字元 { $character }。
subject-error-organisation-required = { $profile } 電子證書須填寫 O（機構名稱）。
subject-error-country-required = { $profile } 電子證書須填寫 C（國家或地區：MO 或 CN）。
subject-error-unreadable = 無法讀取電子證書主體名稱中的一個屬性（{ $detail }）。
