# The kiosk's own setup: configuration, data directory, logs, output.
notice-new-store = { $dir } 中没有数据库，已新建一个空数据库。如要使用其他数据目录，请检查 --data-dir 或 KIOSK_DATA_DIR。
error-output = 无法写出结果（{ $detail }）。请检查输出去向（磁盘已满、文件已关闭），然后重新运行命令。
error-store-damaged = 本机数据库已损坏（{ $detail }）。请勿继续使用此数据目录，也不要删除其中的文件：请运行“kiosk store verify”并联系技术支持。
warning-data-dir-permissions = 无法将数据目录 { $dir } 设为仅本账户可访问（{ $detail }），本机其他账户可能读取其中数据。请通知技术支持。
warning-logs-unwritable = 无法在 { $dir } 写入日志（{ $detail }）。柜台可继续工作，所有记录照常保存；请通知技术支持，以便追查问题。
demo-credentials-not-shown = 演示网点未创建：职员密码无法显示（{ $detail }），而密码只显示一次。请在能看到输出的地方重新运行命令。
config-error-not-a-file = { $path } 应为柜台的配置文件，但它不是可读取的文件（是文件夹，或指向不存在的链接）。请替换为文件，或删除它以使用默认值。
config-error-invalid = 配置项 { $setting } 无法使用：{ $detail }。请修正，或删除它以使用默认值。
config-error-language = 配置项 { $setting } 为“{ $value }”，不是柜台支持的语言。请使用 zh-Hant、zh-Hans、pt 或 en。
config-error-offset = 配置项 { $setting } 为“{ $value }”，不是与 UTC 的时差。请写成 +08:00 的格式。
config-error-kiosk-id = 配置项 { $setting } 为“{ $value }”，不能作为柜台编号。请使用 1 到 64 个英文字母、数字或下划线，例如 GZ_01。
config-error-log = 配置项 { $setting } 为“{ $value }”，不是日志过滤条件。请使用 info、debug 等级别，或 store=debug 等条件。
config-error-pin-tries = 配置项 { $setting } 为 { $value }，但 USB Key 须允许至少 { $min } 次错误 PIN 码，柜台才会将其锁定。
config-error-printer = 配置项 { $setting } 为“{ $value }”，不是打印机地址。请写成 ipp://printserver:631/printers/COUNTER_1 的格式（ipp:// 或 http://）。
config-error-minutes = 配置项 { $setting } 为 { $value }，但须为 { $min } 至 { $max } 分钟。
config-error-fee-currency = 价目表的 { $setting } 为“{ $value }”，但本机构以其配置的货币（currency 配置项）收费。请以该货币填写价格，或删除价目表的货币。
config-error-fee-unpriced = 价目表没有 { $setting }：柜台签发此类数字证书，请为 1 至 5 年每一年填写价格。
config-error-fee-not-at-counter = 价目表列有 { $setting }，但云签证书从不在柜台出售。请删除该行。
config-error-fee-years = 价目表的 { $setting } 有 { $value } 个价格；请为 1 至 5 年每一年各填一个，例如 [400, 800, 1200, 1600, 2000]。
config-error-fee-amount = 价目表的 { $setting } 为 { $value }，不是价格。请填写零至 10,000,000、最多两位小数的金额，例如 400 或 12.50。
