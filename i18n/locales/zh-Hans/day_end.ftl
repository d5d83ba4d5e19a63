# 柜台日结：kiosk day-end close|show、主管的日结界面及打印的日结报告。

record-kind-day_end = 日结

day-end-title = 柜台日结
day-end-counter = 柜台
day-end-day = 营业日
day-end-closed-by = 日结主管
day-end-closed-at = 日结时间
day-end-state = 状态
day-end-not-closed = 尚未日结：以下为目前数字
day-end-services = 已完成业务
day-end-services-total = 全部业务
day-end-fees = 已收费用
day-end-refunds = 退款
day-end-method-none = 未记录付款方式
day-end-tokens = USB Key
day-end-tokens-used = 已发出
day-end-tokens-spoiled = 已损耗
day-end-tokens-lost = 已挂失
day-end-forms = 申请表
day-end-forms-printed = 已打印
day-end-forms-unsigned = 未交回签署件
day-end-open = 未办结的申请
day-end-none = 无
day-end-col-service = 业务
day-end-col-count = 数量
day-end-col-method = 付款方式
day-end-col-amount = 金额
day-end-col-reference = 编号
day-end-col-state = 状态
day-end-signature-section = 核对
day-end-signature = 主管（签名及日期）
day-end-payments = { $count } 笔付款

day-end-supervisor-only = 只有主管可以为柜台日结。
day-end-already-closed = 此柜台当日已由 { $by } 于 { $at } 日结。已日结的营业日不能再次日结；可用“kiosk day-end show”查看并打印已核对的报告。
day-end-future-day = { $day } 尚未开始：只能为今天或更早的营业日日结。

day-end-password-prompt = { $supervisor } 的密码：
day-end-password-not-text = 密码必须是文字（UTF-8）。
day-end-closed = 柜台 { $kiosk } 的营业日 { $day } 已由 { $by } 日结，并保存为记录 { $id }。
day-end-print-failed = 已日结，但报告未能打印：{ $reason } 请用“kiosk day-end show --printer”再次打印。
day-end-printed-file = 报告的 PDF 文件在 { $file }。

key-day-end = 日结
key-day-end-close = 日结并打印
key-day-end-earlier = 前一天
key-day-end-later = 后一天
day-end-counting = 正在统计当日数字…
day-end-closing = 正在日结并打印报告…
day-end-close-hint = 按 Enter 日结并打印此报告。日结后报告保存不变，当日不能再次日结。
day-end-print-waiting = 报告在打印队列中等待（任务 { $job }）。
day-end-print-job-failed = 已日结，但报告的打印任务 { $job } 失败。请用“kiosk day-end show --printer”再次打印。
day-end-more = … 另有 { $count } 项（“kiosk day-end show”列出全部）
