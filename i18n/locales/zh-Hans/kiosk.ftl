app-title = 注册柜台
key-quit = 退出
key-language = 语言

error-failed = 操作未能完成：{ $detail }
error-not-a-terminal = 柜台界面须在终端中运行。请在终端窗口中运行，或使用子命令（kiosk --help）。

id-kind-cn-resident = 居民身份证
id-kind-uscc = 统一社会信用代码
id-kind-hk = 香港身份证
id-kind-mo = 澳门居民身份证
id-check-invalid = 不是有效的{ $kind }：{ $reason }

mrz-not-an-mrz = 这不是机读区（MRZ）：{ $detail }
mrz-input-too-long = 输入内容远长于任何机读区
mrz-input-not-text = 输入内容不是文本
mrz-check-failed = 已读取机读区，但以下字段未通过校验码核对或内容无效：{ $fields }。请重新扫描或核对证件。

# mrz-check-failed 所列的机读区字段名称。
mrz-field-document_number = 证件号码
mrz-field-birth_date = 出生日期
mrz-field-expiry_date = 有效期至
mrz-field-optional_data = 可选数据
mrz-field-composite = 综合校验码
mrz-field-sex = 性别

record-kind-person = 个人
record-kind-organisation = 单位
record-kind-membership = 单位成员
record-kind-authorisation = 授权
record-kind-certificate = 证书
record-kind-token = USB Key
record-kind-seal = 印章
record-kind-application = 申请
record-kind-appointment = 预约
record-kind-walk_in_ticket = 现场排队号
record-kind-clerk = 工作人员
record-kind-audit_event = 审计事件

search-no-hits = 未找到相符的人员。请尝试姓名的一部分、证件号码、电话号码或证书序列号。

store-verified = 数据库完好：{ $records } 条记录与其 { $events } 次变更一致。
store-inconsistent = 有 { $count } 条记录与其变更历史不一致。请运行“kiosk store rebuild”并联系技术支持。
store-rebuilt = 已根据 { $events } 次变更重建 { $records } 条记录。

demo-store-not-empty = 数据库已有记录。如仍要加入演示网点，请使用 --force（演示职员将获得新密码，只显示一次），或另选 --data-dir。
demo-provisioned = 演示网点已就绪：{ $dir } 中共 { $records } 条记录。
demo-credentials-header = 登录信息（只显示一次，请记下）：账号、密码、角色，以及供验证器应用扫描或输入的动态验证码地址：

role-clerk = 柜台人员
role-supervisor = 主管

service-new_issuance = 新办证书
service-renewal = 证书续期
service-change = 信息变更
service-replacement = 补办
service-pin_unlock = PIN 码解锁
service-revocation = 证书注销
service-redispatch = 改派

application-state-draft = 草稿
application-state-under_review = 资料待审核
application-state-awaiting_approval = 待主管审批
application-state-awaiting_payment = 待付款
application-state-awaiting_fulfilment = 待安装或待发货
application-state-completed = 已完成
application-state-rejected = 已驳回
application-state-cancelled = 已取消

# 申请的步骤（名词短语），供 transition-not-allowed 引用。
application-action-submit = 提交审核
application-action-return_for_correction = 退回修改
application-action-require_revetting = 退回重新审核
application-action-pass_vetting = 审核通过
application-action-approve = 主管审批
application-action-record_payment = 登记付款
application-action-complete = 完成办理
application-action-reject = 驳回申请
application-action-cancel = 取消申请

message-consent = 同意并接受个人信息收集协议及声明
message-agreement = 同意并接受申请人／登记人协议及声明
message-renewal-submitted = 已确认并成功提交证书续期申请
message-activated = 成功激活
message-unsupported-document = 不支持的身份证明文件类别
message-document-data-differs = 无效的身份证明文件个人信息
message-photo-rejected = 照片未达检测要求，请重新拍摄。
message-revoke-first = 需先注销原有证书

error-store = 无法使用本机数据库：{ $detail }。没有任何数据被写入一半；请重试，如问题持续，请运行“kiosk store verify”并联系技术支持。
error-store-newer = 此数据目录由较新版本的柜台程序写入（{ $detail }）。请将本柜台程序升级到较新版本；数据未被改动。
error-invalid-record = 记录未保存，原因：{ $detail }
error-data-dir = 无法使用数据目录 { $dir }（{ $detail }）。请确认该目录存在且可写入，或用 --data-dir 另选目录。
