# kiosk print: what the store must hold to print a document.

print-no-application = 資料庫中沒有此編號的申請。
print-no-applicant = 此申請的申請人資料尚未在資料庫中（可能仍在同步）。
print-no-payment = 此申請尚未記錄付款：請先記錄付款，再列印收據。
print-id-macau = 澳門居民身份證
print-id-mainland = 內地居民身份證
print-id-hong-kong = 香港身份證
print-id-passport = 護照
print-id-residence-permit = 居留許可
print-receipt-line = { $class }證書 { $years } 年
print-class-qualified = 合格
print-class-standard = 標準
print-class-encryption = 加密
print-class-cloud-sign = 雲簽
print-written = PDF 已寫入 { $file }。
print-printed = 已列印（工作 { $job }）。
print-at-printer = 印表機已收到工作（{ $job }），將會列印。
print-waiting = 尚未列印：{ $reason } 工作（{ $job }）已保存在列印佇列，下次列印或執行「kiosk print queue」時會再傳送，不會遺失。
print-failed = 工作（{ $job }）無法列印：{ $reason }
print-earlier-printed = 先前等候的工作已列印（{ $job }）。
formcode-not-a-form-code = 此二維碼並非本系統列印的表格。
formcode-malformed = 表格上的二維碼已損壞（{ $detail }）。請重新掃描，或以申請編號查找申請。
formcode-forged = 表格上的二維碼與其簽名不符：表格曾被修改，或並非本辦事處列印。請勿接受；請以申請編號查找申請並核對表格。
