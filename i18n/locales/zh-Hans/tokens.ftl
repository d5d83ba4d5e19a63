# USB Key、网点 CA 及证书签发（kiosk token …、kiosk ca …）。

token-error-module = 无法加载 USB Key 软件 { $path }（{ $detail }）。请检查 PKCS#11 模块的路径，或确认已安装 USB Key 厂商的软件。
token-error-no-token = 未插入标签为“{ $label }”的 USB Key。请插入 USB Key，或用“kiosk token list”核对其标签。
token-error-label-too-long = USB Key 标签“{ $label }”不可用：标签长度须为 1 至 32 个字节（约 10 个汉字）。
token-error-wrong-pin = PIN 码错误。还剩 { $tries } 次机会，用完后 USB Key 将被锁定。
token-error-locked = PIN 码错误次数过多，USB Key 已被锁定。请先核验持有人身份，再用 SO PIN（管理员 PIN 码）解锁。
token-error-wrong-so-pin = SO PIN（管理员 PIN 码）错误。USB Key 未解锁。
token-error-wrong-ca-pin = CA 的 USB Key PIN 码错误。未签署任何内容。
token-error-wrong-stock-pin = 网点的库存 PIN 码（KIOSK_STOCK_PIN）无法打开此空白 USB Key。未签发任何证书，也不计入错误次数；请核对本柜台的 KIOSK_STOCK_PIN 与库存 USB Key 初始化时使用的 PIN 码。
token-error-lost = 该 USB Key 已挂失，不会再解锁或重新签发：请使用新的 USB Key 办理补办。
token-error-not-usable = 该 USB Key 记录为“{ $status }”，不能使用。请从库存中另取一个新的 USB Key。
token-error-pin-rules = 新 PIN 码不符合要求：{ $detail }
token-error-no-certificate = USB Key 中没有本网点签发的证书。
token-error-no-key = USB Key 中没有该证书的私钥。
token-error-verification = USB Key 或证书的校验未通过（{ $detail }）。请重试；如仍失败，请联系技术支持。
token-error-pkcs11 = USB Key 拒绝执行此操作（{ $detail }）。请拔出后重新插入，再重试。
token-error-certificate = 无法生成证书（{ $detail }）。
token-error-subject = 证书主题名称无效：{ $detail }
token-error-unknown-profile = 没有“{ $profile }”这种证书类型。请使用 qualified-person、standard-person、encryption-person、qualified-organisation、standard-organisation、encryption-organisation、person-in-organisation 或 legal-representative。
token-error-soft-not-allowed = { $profile } 证书必须签发到 USB Key 中；其私钥不得保存在文件中。
token-error-key-type = 此处不能使用密钥类型 { $key }。
token-error-ca-not-configured = 本柜台尚未配置网点 CA。请运行“kiosk ca init”（演示或测试网点）或“kiosk ca import”（使用中心 CA 签发的证书）。
token-error-ca-exists = 本柜台已有网点 CA，未做任何更改。
token-error-ca-key-mismatch = CA 的 USB Key 中没有与网点 CA 证书匹配的密钥。请检查 USB Key 和证书文件。
token-error-certificate-not-found = 本处没有序列号为 { $serial } 的证书记录。

token-list-none = 未插入任何 USB Key。
token-list-label = 标签
token-list-serial = 序列号
token-list-model = 型号
token-list-status = 状态
token-status-blank = 空白
token-status-issued = 已发放
token-status-lost = 已挂失
token-status-damaged = 已损坏
token-status-retired = 已停用
token-status-new = 尚未登记入库
token-status-uninitialised = 未初始化（请运行“kiosk token init”）
token-status-locked = 已锁定（PIN 码错误）

revocation-reason-unspecified = 未指明
revocation-reason-key-compromise = 私钥泄露
revocation-reason-affiliation-changed = 所属单位变更
revocation-reason-superseded = 已被取代
revocation-reason-cessation-of-operation = 停止运营

ca-pin-prompt = CA 的 USB Key PIN 码：
ca-pin-needed = 需要 CA 的 USB Key PIN 码：请设置 KIOSK_CA_PIN，或在终端中运行此命令以便输入。
ca-init-done = 网点 CA“{ $subject }”已就绪，其证书链已写入 { $file }。
ca-import-done = 已导入网点 CA“{ $subject }”，其密钥位于 USB Key“{ $label }”中。
ca-request-done = 网点 CA 的证书请求文件已写入 { $file }。请将其发送给中心 CA，再用中心 CA 返回的证书运行“kiosk ca import”。
ca-crl-done = 证书注销列表已写入 { $file }（已注销证书 { $count } 张）。
token-unlocked = USB Key 已解锁，新 PIN 码可以正常使用。请将 USB Key 交还持有人。
token-pin-changed = PIN 码已修改。
token-revoked = 证书 { $serial } 已注销（{ $reason }）。
token-reported = USB Key { $serial } 现已记录为“{ $status }”。
token-initialised = USB Key“{ $label }”已就绪（序列号 { $serial }）。
token-pkcs12-written = 证书及其私钥已写入 { $file }，并受密码保护。请将该文件交给持有人。
token-error-pin-tries = pin_tries 设置为 { $found }，但 USB Key 必须允许至少 { $min } 次错误 PIN 码后才锁定，否则持有人输错一次就会被锁定。请在 kiosk.toml（或 KIOSK_PIN_TRIES）中将 pin_tries 设为 { $min } 或以上。
token-error-not-delivered = 数字证书 { $serial } 未能交到持有人手中（{ $detail }），已将其注销，不会生效；请重新签发。
token-error-revocation-pending = 签发失败（{ $detail }），且数字证书 { $serial } 尚未注销：数据库未能记录注销（{ $reason }）。该数字证书处于暂停状态，并未生效，下次运行 USB Key 命令且能写入数据库时即会注销。请检查磁盘和数据目录，然后运行“kiosk token list”。
token-interrupted-revoked = 数字证书 { $serial } 从未交到持有人手中（签发中途被中断），现已注销。
token-interrupted-pending = 数字证书 { $serial } 从未交到持有人手中，尚未注销：{ $detail }

## 证书主题名称：数字证书可签发的名称（RFC 5280 的长度上限，不含控制字符或不可见字符）。

subject-error-syntax = “{ $part }”不是“属性=值”的格式（例如 CN=Chan Tai Man）。
subject-error-unknown-attribute = 证书主题名称不使用属性 { $name }。请使用 CN、OU、O、L、ST、C 或 serialNumber。
subject-error-twice = { $attribute } 出现了两次；证书主题名称中每个属性只能出现一次。
subject-error-empty = { $attribute } 为空。
subject-error-cn-required = 必须填写 CN（持有人名称）。
subject-error-too-long = { $attribute } 有 { $length } 个字符，但数字证书最多只允许 { $max } 个（RFC 5280）。请缩短，或使用登记信息中的简称。
subject-error-control = { $attribute } 的第 { $position } 个字符是控制字符 { $character }。换行符、制表符等控制字符不能用于数字证书中的名称，请重新输入。
subject-error-invisible = { $attribute } 的第 { $position } 个字符是不可见字符 { $character }。零宽字符和文字方向控制字符会使名称显示成另一个样子，因此数字证书不能包含，请重新输入。
subject-error-bad-escape = { $attribute } 中的“{ $escape }”不是有效的转义序列。反斜杠之后须为两个十六进制数字，或 , + " \ < > ; = # / 之一，或空格。
subject-error-not-utf8 = { $attribute } 中的十六进制转义序列不是有效的 UTF-8 文本。
subject-error-country = C 必须是两个大写字母（MO、CN），而不是“{ $value }”。
subject-error-not-printable = { $attribute } 只能包含英文字母 A–Z 和 a–z、数字、空格及 ' ( ) + , - . / : = ?，不能包含第 { $position } 个字符 { $character }。
subject-error-organisation-required = { $profile } 数字证书必须填写 O（单位名称）。
subject-error-country-required = { $profile } 数字证书必须填写 C（国家或地区：MO 或 CN）。
subject-error-unreadable = 无法读取数字证书主题名称中的一个属性（{ $detail }）。
