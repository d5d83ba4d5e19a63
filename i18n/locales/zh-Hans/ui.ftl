# 柜台程序的画面：按键、状态栏、登录、排队、搜索、首次启动。

ui-too-small = 此窗口为 { $width }×{ $height }。柜台画面至少需要 { $min_width }×{ $min_height }，请把窗口放大。

key-help = 帮助
key-back = 返回
key-search = 搜索
key-lock = 锁定屏幕
key-up = 上一行
key-down = 下一行
key-page-up = 上一页
key-page-down = 下一页
key-submit = 确定
key-open = 打开
key-next-tab = 下一个列表
key-prev-tab = 上一个列表
key-refresh = 刷新
key-walk-in = 现场排队号
key-check-in-camera = 用摄像头签到
key-start-visit = 开始办理
key-stop-camera = 停止摄像头
key-sign-out = 退出登录
key-create-demo = 创建演示网点
key-continue = 继续
key-close = 关闭
key-yes-quit = 是，退出
key-no-stay = 否，留下

help-title = 本画面的按键
help-coming = 将随办理向导推出
notice-not-yet = 此功能将随办理向导推出；目前请使用 kiosk 命令。

quit-title = 退出？
quit-visit-in-progress = 正在办理中。仍要退出吗？已保存的信息会保留。

status-reader = 读卡器
status-token = USB Key
status-printer = 打印机
status-camera = 摄像头
status-sync = 同步
status-unknown = …
status-not-configured = 未配置
status-unavailable = 不可用
status-reader-no-service = 没有 PC/SC 服务
status-reader-none = 没有
status-reader-empty = 无卡
status-reader-card = 已插卡
status-tokens = { $count } 个 USB Key
status-printer-queue = { $waiting } 份等待中
status-printer-failed = { $waiting } 份等待中，{ $failed } 份失败
status-camera-none = 没有
status-camera-present = 就绪
status-sync-syncing = 同步中…
status-sync-online = 已连接
status-sync-online-waiting = 已连接，{ $count } 项待发送
status-sync-offline = { $count ->
        [0] 自 { $since } 起离线
       *[other] 自 { $since } 起离线，{ $count } 项待发送
    }

first-start-title = 欢迎
first-start-empty = 此柜台机的数据目录是空的：这里还没有网点。
first-start-offer = 创建演示网点来试用柜台？Enter：是。Esc：退出。
first-start-creating = 正在创建演示网点…
first-start-created = 演示网点已就绪。以下登录信息只显示一次：请记下，并把一次性密码 URI 添加到验证器应用。
first-start-write-down = 按 Enter 前往登录。

signin-title = 登录
signin-id = 柜员编号
signin-password = 密码
signin-code = 一次性密码
signin-hint-id = 输入柜员编号，然后按 Enter。
signin-hint-password = 输入密码，然后按 Enter。按 Esc 重新开始。
signin-hint-code = 输入验证器应用显示的 6 位数字，然后按 Enter。
signin-checking = 核对中…
signin-code-six-digits = 一次性密码为 6 位数字。
signin-clock-off = 此柜台机的时钟与登记系统相差 { $minutes } 分钟。仍可登录；请联系支持人员校准时钟。

signin-signed-out = 已退出登录。下一位柜员可在此登录。

lock-title = 屏幕已锁定
lock-who = 屏幕在 { $name } 登录期间锁定。{ $name } 或主管可以解锁。
lock-not-yours = 只有锁定此屏幕的柜员或主管可以解锁。

queue-tab-appointments = 预约
queue-tab-walk-ins = 现场排队
queue-tab-renewals = 待续期
queue-tab-approvals = 待审批
queue-loading = 正在加载今日排队…
queue-no-appointments = 今日没有预约。
queue-no-walk-ins = 今日尚未发出现场排队号。按 W 发出。
queue-no-renewals = 没有数字证书需要续期。
queue-no-approvals = 没有待主管处理的事项。
queue-col-slot = 时间
queue-col-name = 姓名
queue-col-service = 业务
queue-col-status = 状态
queue-col-ticket = 排队号
queue-col-issued = 发出时间
queue-col-class = 类别
queue-col-serial = 序列号
queue-col-days-left = 到期
queue-col-reference = 编号
queue-col-submitted-by = 提交人
queue-tab-conflicts = 数据冲突
queue-no-conflicts = 没有数据冲突。
queue-col-conflict = 冲突
queue-col-record-kind = 记录
queue-col-record = 记录编号
queue-conflict-id-number = 同一身份证件
queue-conflict-token-serial = 同一 USB Key 序列号
queue-conflict-person = 个人
queue-conflict-token = USB Key
queue-days = { $count } 天后
queue-sign-in-first = 已扫描预约凭证，但没有人登录。请先登录，再扫描一次。
queue-scan-not-a-pass = 刚扫描的不是预约凭证；没有进行任何操作。
queue-checking-in = 正在核对预约凭证…
queue-checked-in = { $name } 已签到。
queue-camera-looking = 正在从摄像头寻找预约凭证…
queue-camera-cancelled = 摄像头已停止寻找预约凭证。
queue-issuing-ticket = 正在发出排队号…

appointment-status-booked = 已预约
appointment-status-checked-in = 已签到
appointment-status-served = 已办理
appointment-status-no-show = 未到
appointment-status-cancelled = 已取消
ticket-status-waiting = 等待中
ticket-status-called = 已叫号
ticket-status-served = 已办理
ticket-status-left = 已离开
certificate-class-qualified = 合格
certificate-class-standard = 标准
certificate-class-encryption = 加密
certificate-class-cloud-sign = 云签

walk-in-pick-service = 排队号办理哪项业务？
walk-in-ticket-title = 现场排队号
walk-in-no-printer = 未配置打印机：请把号码告诉申请人。

search-title = 搜索
search-label = 姓名、证件号码、电话或数字证书序列号
search-hint = 输入部分姓名（中文或外文）、证件号码、电话号码或数字证书序列号。结果随输入实时显示。
search-searching = 搜索中…
search-col-name-zh = 中文姓名
search-col-name-latin = 外文姓名
search-col-number = 证件号码
search-col-phone = 电话
search-col-matched = 匹配
search-matched-id-number = 证件号码
search-matched-serial = 序列号
search-matched-phone = 电话
search-matched-name = 姓名

ui-job-failed = 处理时出现问题；没有任何事项只做了一半。请重试，如再次发生请联系支持人员。
counter-no-pass-key = 此柜台机没有预约凭证密钥（keys/pass.key），无法核对预约凭证。请系统管理员安装网点的密钥。
counter-pass-key-unreadable = 无法读取预约凭证密钥（{ $detail }）。请系统管理员检查 keys/pass.key。
