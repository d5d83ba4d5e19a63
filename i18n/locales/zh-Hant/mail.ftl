# The email outbox and the 6-digit email verification codes (kiosk::mail, kiosk mail …).

mail-code-subject = 申請 { $reference } 的電郵驗證碼
mail-code-body-code = 閣下的電郵驗證碼為：{ $code }
mail-code-body-validity = 請將驗證碼告知櫃檯職員。驗證碼有效時間為 { $minutes } 分鐘，至 { $until } 止，只適用於申請 { $reference }。
mail-code-body-ignore = 如閣下現時並非身處 { $office } 的登記櫃檯，請忽略本電郵：沒有驗證碼，不會辦理任何事項。

mail-code-sent = 驗證碼已發送，有效時間為 10 分鐘。
mail-code-queued-unreachable = 無法連接郵件伺服器：驗證碼已保存在寄件匣，伺服器恢復後會發送。
mail-code-queued-refused = 郵件伺服器暫時拒收：驗證碼已保存在寄件匣，稍後會再嘗試發送。
mail-code-queued-not-configured = 尚未設定郵件伺服器（kiosk.toml 的 mail_relay）：驗證碼已保存在寄件匣。

mail-code-wrong = 驗證碼不正確。{ $tries_left ->
        [0] 已沒有嘗試機會：請發送新的驗證碼。
       *[other] 尚餘 { $tries_left } 次嘗試機會。
    }
mail-code-expired = 此驗證碼已過期（有效時間為 10 分鐘）：請發送新的驗證碼。
mail-code-none-sent = 此申請尚未向此電郵地址發送驗證碼：請先發送。
mail-code-used-up = 此驗證碼已不能再使用：請發送新的驗證碼。
mail-code-store-failed = 無法核對驗證碼：資料庫出錯（{ $detail }）。

mail-error-no-application = 資料庫中沒有此編號的申請。
mail-error-bad-address = 此電郵地址無法接收驗證碼。
mail-error-store = 無法保存驗證碼：資料庫出錯（{ $detail }）。

mail-reason-unreachable = 無法連接郵件伺服器
mail-reason-refused = 郵件伺服器拒收
mail-reason-not-configured = 尚未設定郵件伺服器
mail-reason-expired = 驗證碼在發送前已過期
mail-reason-replaced = 已由新的驗證碼取代
mail-reason-bad-address = 電郵地址無法使用

mail-state-waiting = 等候中
mail-state-sent = 已發送
mail-state-given-up = 已放棄
mail-queue-empty = 寄件匣沒有郵件。
mail-queue-title = 郵件  收件人  主旨  狀態  嘗試次數
mail-queue-next-try = 下次嘗試：{ $at }
mail-send-none-due = 沒有需要發送的郵件。
mail-send-sent = 已發送 { $count } 封郵件。
mail-send-waiting = 仍有 { $count } 封郵件在寄件匣等候：{ $reason }。
mail-send-given-up = 已放棄 { $count } 封郵件：其驗證碼已過期或已被取代。

config-error-mail-relay = 設定 { $setting } 為「{ $value }」，並非郵件伺服器位址。請寫成 smtp://relay.example.mo:25、smtps://relay.example.mo:465 或 smtp://relay.example.mo:587?tls=required 的格式。
config-error-mail-from = 設定 { $setting } 為「{ $value }」，並非寄件人電郵地址。請寫成 counter@example.mo 的格式；設定 mail_relay 時必須填寫。
