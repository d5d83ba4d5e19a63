problem-required = 此项为必填项。
problem-invalid-id-number = 该证件号码与证件类别不符。
problem-invalid-country = 请使用证件上的三字母国家代码（如 CHN、PRT、MAC）。
problem-invalid-phone = 电话号码应为 6 至 15 位数字。
problem-invalid-email = 电子邮箱地址不完整（名称@域名）。
problem-date-order = 结束日期须晚于开始日期。
problem-invalid-uscc = 统一社会信用代码无效：请核对 18 位字符。
problem-title-not-organisation = 发票抬头须与单位登记名称完全一致。
problem-invalid-taxpayer-id = 纳税人识别号由 15、18 或 20 位字母和数字组成。
problem-validity-years = 证书有效期为 1 至 5 年。
problem-invalid-serial = 证书序列号为十六进制（0–9、A–F），最多 40 位。
problem-invalid-username = 用户名最多 32 个字符，只能使用字母、数字、点或下划线。
problem-invalid-totp-secret = 动态验证码密钥须为至少 16 字节的 base32 文本。
problem-invalid-totp-period = 动态验证码的有效时间须为 15 至 300 秒。
problem-cloud-sign-not-at-counter = 柜台暂不支持“云签”证书，只能在线激活。
problem-no-certificates = 请选择本申请涉及的证书。
problem-organisation-required = 请选择该证书所属的单位。
problem-change-not-allowed = 此项已不能再更改。

transition-not-allowed = 状态为“{ $state }”的申请不能进行“{ $action }”。
transition-finished = 该申请的状态为“{ $state }”，不能再更改。
transition-incomplete = 申请资料尚不齐全：{ $problems }
transition-supervisor-required = 只有主管可以执行此操作。
transition-same-approver = 须由另一人审批：主管不能审批自己提交的申请。
transition-wrong-amount = 付款金额 { $paid } 与应付费用 { $expected } 不符。
transition-reason-required = 请填写驳回原因。
transition-negative-fee = 费用不能为负数（{ $fee }）。

lifecycle-already-revoked = 该证书已注销，注销后无法恢复。
lifecycle-not-issued = 该证书尚未签发。
lifecycle-token-lost = 该 USB Key 已挂失，不能解锁或重新签发：请改为办理补办。
lifecycle-token-not-in-use = 该 USB Key 未在使用中。
lifecycle-token-transition = 该 USB Key 不能转为此状态。

fee-validity-years = 证书有效期为 1 至 5 年。
fee-not-at-counter = 柜台不办理“云签”证书。
fee-no-price = 本网点没有该证书类型的价格。

# The store's faults, as `kiosk store verify` and `kiosk store rebuild` list them, one a record.
store-fault-differs = 此记录的现有内容或搜索索引与其变更历史不一致；运行“kiosk store rebuild”即可修复。
store-fault-creation-lost = 变更历史中缺少创建此记录的变更；重建无法恢复此记录，将按现状保留。
store-fault-events-lost = 变更历史中缺少构成此记录的部分变更；重建将按现状保留此记录。
store-fault-no-events = 变更历史中没有此记录的任何变更；重建将按现状保留此记录。
store-fault-undecodable = 此记录的变更无法组成完整的同类记录；重建将按现状保留此记录。
store-rebuild-kept = 有 { $count } 条记录无法根据其变更重建，已按原状保留。请从中心系统或备份取回缺失的变更，并联系技术支持。
store-awaiting-creation = 有 { $count } 条记录正在等待创建它们的变更从其他柜台同步过来。
