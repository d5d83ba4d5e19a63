# 櫃檯輪候：以預約憑證二維碼登記到達、即場輪候籌（kiosk：counter、counter_cmd）。

counter-checkin-unknown = 此憑證真確，但本櫃檯的紀錄中沒有該預約（可能尚未從註冊署同步）。請以預約編號查找預約，或按即場輪候辦理。
counter-checkin-already = 預約 { $reference }（{ $slot }）已登記到達，請勿重複登記；請在輪候名單中查找當事人。
counter-checkin-served = 預約 { $reference }（{ $slot }）已辦理完畢。再次辦理須重新預約或即場取籌。
counter-checkin-cancelled = 預約 { $reference }（{ $slot }）已取消。請按即場輪候辦理，或重新預約。
counter-checkin-mismatch = 此憑證與預約 { $reference }（{ $slot }）的現有紀錄不符：憑證發出後預約已被更改或重新預約。請與當事人核對預約，並以預約編號查找預約。
counter-appointment-not-found = 資料庫中沒有此編號的預約。
counter-pass-too-long-for-qr = 此預約憑證過長，無法顯示為二維碼。請縮短預約編號。
counter-walk-in-no-printer = 未設定辦事處印表機：請向當事人出示籌號 { $number }（前面尚有 { $count } 人輪候）。
