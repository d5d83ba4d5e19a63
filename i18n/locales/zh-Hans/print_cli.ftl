# kiosk print: what the store must hold to print a document.

print-no-application = 数据库中没有此编号的申请。
print-no-applicant = 此申请的申请人信息尚未在数据库中（可能仍在同步）。
print-no-payment = 此申请尚未记录付款：请先记录付款，再打印收据。
print-id-macau = 澳门居民身份证
print-id-mainland = 居民身份证
print-id-hong-kong = 香港身份证
print-id-passport = 护照
print-id-residence-permit = 居留许可
print-receipt-line = { $class }证书 { $years } 年
print-class-qualified = 合格
print-class-standard = 标准
print-class-encryption = 加密
print-class-cloud-sign = 云签
print-written = PDF 已写入 { $file }。
print-printed = 已打印（任务 { $job }）。
print-at-printer = 打印机已收到任务（{ $job }），将会打印。
print-waiting = 尚未打印：{ $reason } 任务（{ $job }）已保存在打印队列，下次打印或运行“kiosk print queue”时会再发送，不会丢失。
print-failed = 任务（{ $job }）无法打印：{ $reason }
print-earlier-printed = 先前等候的任务已打印（{ $job }）。
formcode-not-a-form-code = 此二维码并非本系统打印的表格。
formcode-malformed = 表格上的二维码已损坏（{ $detail }）。请重新扫描，或用申请编号查找申请。
formcode-forged = 表格上的二维码与其签名不符：表格曾被修改，或并非本网点打印。请勿接受；请用申请编号查找申请并核对表格。
