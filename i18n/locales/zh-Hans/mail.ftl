# The email outbox and the 6-digit email verification codes (kiosk::mail, kiosk mail …).

mail-code-subject = 订单 { $reference } 的电子邮箱验证码
mail-code-body-code = 您的电子邮箱验证码为：{ $code }
mail-code-body-validity = 请将验证码告知柜台工作人员。验证码 { $minutes } 分钟内有效，至 { $until } 止，仅适用于订单 { $reference }。
mail-code-body-ignore = 如您现在不在 { $office } 的受理柜台，请忽略本邮件：没有验证码，不会办理任何业务。

mail-code-sent = 验证码已发送，10 分钟内有效。
mail-code-queued-unreachable = 无法连接邮件服务器：验证码已保存在发件箱，服务器恢复后将发送。
mail-code-queued-refused = 邮件服务器暂时拒收：验证码已保存在发件箱，稍后将重试。
mail-code-queued-not-configured = 尚未配置邮件服务器（kiosk.toml 中的 mail_relay）：验证码已保存在发件箱。

mail-code-wrong = 验证码错误。{ $tries_left ->
        [0] 已无尝试机会：请重新发送验证码。
       *[other] 还可尝试 { $tries_left } 次。
    }
mail-code-expired = 此验证码已过期（10 分钟内有效）：请重新发送验证码。
mail-code-none-sent = 尚未为此订单向此电子邮箱发送验证码：请先发送。
mail-code-used-up = 此验证码已不能再使用：请重新发送验证码。
mail-code-store-failed = 无法核对验证码：数据库出错（{ $detail }）。

mail-error-no-application = 数据库中没有此编号的订单。
mail-error-bad-address = 此电子邮箱无法接收验证码。
mail-error-store = 无法保存验证码：数据库出错（{ $detail }）。

mail-reason-unreachable = 无法连接邮件服务器
mail-reason-refused = 邮件服务器拒收
mail-reason-not-configured = 尚未配置邮件服务器
mail-reason-expired = 验证码在发送前已过期
mail-reason-replaced = 已被新的验证码取代
mail-reason-bad-address = 电子邮箱无法使用

mail-state-waiting = 等待中
mail-state-sent = 已发送
mail-state-given-up = 已放弃
mail-queue-empty = 发件箱中没有邮件。
mail-queue-title = 邮件  收件人  主题  状态  尝试次数
mail-queue-next-try = 下次尝试：{ $at }
mail-send-none-due = 没有需要发送的邮件。
mail-send-sent = 已发送 { $count } 封邮件。
mail-send-waiting = 仍有 { $count } 封邮件在发件箱等待：{ $reason }。
mail-send-given-up = 已放弃 { $count } 封邮件：其验证码已过期或已被取代。

config-error-mail-relay = 配置项 { $setting } 为“{ $value }”，不是邮件服务器地址。请写成 smtp://relay.example.mo:25、smtps://relay.example.mo:465 或 smtp://relay.example.mo:587?tls=required 的格式。
config-error-mail-from = 配置项 { $setting } 为“{ $value }”，不是发件人电子邮箱。请写成 counter@example.mo 的格式；配置 mail_relay 时必须填写。
