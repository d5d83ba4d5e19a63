# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = 云签证书只能在线激活，不在柜台办理。

# The identity check (seed 000's two messages, and a chip that fails its signatures).
visit-identity-unsupported-document = 不支持的身份证明文件类别
visit-identity-invalid-data = 身份证明文件个人信息无效
visit-identity-chip-not-authentic = 证件芯片未通过签名验证，可能是伪造证件。未经主管批准不得受理。
visit-field-document-number = 证件号码
visit-field-name = 姓名
visit-field-birth-date = 出生日期
visit-field-expiry = 证件已过期

# The re-check before activation (seed 000, step 6).
visit-recheck-no-longer-due = 证书 { $serial } 已不属于可续期证书（已注销、已过期或已续期）。
visit-recheck-revetting-required = 身份信息自审核后已更改，需要重新审核：申请退回至身份核验步骤，已缴纳的费用继续有效。
visit-recheck-revoke-first = 证书信息已更改而证书 { $serial } 仍然有效：需先注销原有证书
visit-recheck-no-form = 申请表尚未打印。

# Passwords and the revocation phrase (seed 000, activation).
visit-password-length = 密码长度必须为 8 位或以上
visit-password-letter = 密码必须包括 1 个或以上英文字母（a - z，大小写均可）
visit-password-non-letter = 密码必须包括 1 个或以上非字母（数字或特殊字符）
visit-phrase-too-short = 证书注销短语至少需要 4 个字符。
visit-phrase-same-as-pin = 证书注销短语不能与 PIN 相同。
