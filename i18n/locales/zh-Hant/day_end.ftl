# 櫃檯日結：kiosk day-end close|show、主管的日結畫面及列印的日結報告。

record-kind-day_end = 日結

day-end-title = 櫃檯日結
day-end-counter = 櫃檯
day-end-day = 營業日
day-end-closed-by = 日結主管
day-end-closed-at = 日結時間
day-end-state = 狀態
day-end-not-closed = 尚未日結：以下為目前數字
day-end-services = 已完成服務
day-end-services-total = 全部服務
day-end-fees = 已收費用
day-end-refunds = 退款
day-end-method-none = 未記錄付款方式
day-end-tokens = 數字證書盤
day-end-tokens-used = 已發出
day-end-tokens-spoiled = 已損耗
day-end-tokens-lost = 已報失
day-end-forms = 申請表
day-end-forms-printed = 已列印
day-end-forms-unsigned = 未交回簽署本
day-end-open = 未完成的申請
day-end-none = 無
day-end-col-service = 服務
day-end-col-count = 數目
day-end-col-method = 付款方式
day-end-col-amount = 金額
day-end-col-reference = 編號
day-end-col-state = 狀態
day-end-signature-section = 核實
day-end-signature = 主管（簽名及日期）
day-end-payments = { $count } 筆付款

day-end-supervisor-only = 只有主管可以為櫃檯日結。
day-end-already-closed = 此櫃檯當日已由 { $by } 於 { $at } 日結。已日結的營業日不可再次日結；可用「kiosk day-end show」查看及列印已核實的報告。
day-end-future-day = { $day } 尚未開始：只可為今日或較早的營業日日結。

day-end-password-prompt = { $supervisor } 的密碼：
day-end-password-not-text = 密碼須為文字（UTF-8）。
day-end-closed = 櫃檯 { $kiosk } 的營業日 { $day } 已由 { $by } 日結，並保存為紀錄 { $id }。
day-end-print-failed = 已日結，但報告未能列印：{ $reason } 請用「kiosk day-end show --printer」再次列印。
day-end-printed-file = 報告的 PDF 檔案在 { $file }。

key-day-end = 日結
key-day-end-close = 日結並列印
key-day-end-earlier = 前一日
key-day-end-later = 後一日
day-end-counting = 正在統計當日數字…
day-end-closing = 正在日結並列印報告…
day-end-close-hint = 按 Enter 日結並列印此報告。日結後報告保存不變，當日不可再次日結。
day-end-print-waiting = 報告在列印佇列中等候（工作 { $job }）。
day-end-print-job-failed = 已日結，但報告的列印工作 { $job } 失敗。請用「kiosk day-end show --printer」再次列印。
day-end-more = … 另有 { $count } 項（「kiosk day-end show」列出全部）
