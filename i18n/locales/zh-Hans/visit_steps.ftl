# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = 本单位记录中没有此申请。
visit-no-applicant = 找不到申请人的记录。
visit-renewal-none-due = 此人没有可续期的数字证书（到期前 30 天起方可续期）。
visit-no-certificates = 此人没有适用于此业务的有效数字证书。
visit-step-not-open = 尚不能进行此步骤：办理仍停留在较前的步骤（{ visit-step-name }）。
visit-supervisor-own-action = 主管不能批准自己的操作：须由另一位主管登录。
visit-supervisor-required = 只有在职主管可进行此操作：请主管登录。
visit-reason-required = 请填写原因：原因会与申请一并保存。
visit-skip-never = 此步骤不能跳过。
visit-skip-supervisor-only = 只有主管可让办理跳过此步骤。
visit-skip-not-in-plan = 此业务没有此步骤。
visit-identity-nothing-to-override = 身份核验并未失败，无需主管批准。
visit-form-key-missing = 此柜台没有申请表密钥，此申请表并非由此柜台打印。请到打印此表的单位柜台扫描。
visit-form-earlier-printing = 此已签字的申请表属较早的一次打印：申请表已重新打印（{ $printed }），只接受最后打印的一份。请申请人在最后打印的申请表上签字（及盖章），再扫描其二维码。
visit-form-print-failed = 申请表未能打印（任务 { $job }）：{ visit-print-reason }。请检查打印机后重新打印。
visit-receipt-print-failed = 付款已记录，但收据未能打印（任务 { $job }）：{ visit-print-reason }。请在打印队列（kiosk print queue）中重新打印。
visit-payment-reference-required = 请输入付款编号（收据或刷卡机流水号）。
visit-invoice-too-late = 发票信息打印在申请表上并一并审核，申请表签署后不能更改。
visit-no-token-module = 此柜台未配置 USB Key 模块（token_module），无法将数字证书写入 USB Key。
visit-token-unknown = 本单位记录中没有此数字证书的 USB Key。
visit-token-not-present = 请插入申请人的 USB Key（序列号 { $serial }）：未能找到。
visit-token-other-certificate = 此 USB Key 中是另一张数字证书（{ $serial }）：请插入续期证书所在的 USB Key。
visit-ca-pin-needed = 此柜台未解锁本单位的 CA（KIOSK_CA_PIN），无法签发数字证书。请联系技术支持。
visit-stock-pin-needed = 本机未设置本网点的库存 PIN 码（KIOSK_STOCK_PIN），不能在此打开库存的 USB Key。请联系技术支持。
visit-holder-pin-not-set = 数字证书已写入 USB Key 并已生效，但未能设置申请人自己的 PIN：USB Key 仍使用库存 PIN 码。请在 USB Key 离开柜台前立即修改其 PIN（kiosk token change-pin）。
visit-no-token-module-or-pkcs12 = 此柜台未配置 USB Key 模块（token_module），无法将数字证书写入 USB Key。此数字证书可改为存入 PKCS#12 文件（F5）。
visit-plug-a-blank-token-or-pkcs12 = 请插入一个库存的空白 USB Key，或按 F5 改为将此数字证书签发到 PKCS#12 文件。
visit-pkcs12-new-only = 只有新办数字证书可存入 PKCS#12 文件：续期、变更或补办均须使用 USB Key。
visit-pkcs12-file-exists = { $file } 已存在：PKCS#12 文件不会被覆盖。请输入另一路径。
visit-nothing-to-issue = 此申请的所有数字证书均已签发。
visit-issuing-elsewhere = 此申请的数字证书自 { $since } 起正在柜台 { $kiosk } 签发：请等待该柜台完成。如该柜台已停止运行，可在开始签发十五分钟后在此接续。
visit-email-not-on-visit = 此电子邮箱不是本次办理的数字证书所载的电子邮箱。

visit-certificate-not-theirs = 该数字证书不是此人仍然有效的数字证书。
visit-choose-a-certificate = 请至少选择一张数字证书（Space 或 F4 勾选所在行）。
visit-no-serial = 该数字证书尚无序列号：从未签发。
visit-not-approved-yet = 申请尚未审核及批准。
visit-renewal-certificates-fixed = 续期须一并续期所有到期的数字证书，不能选择。
visit-revocation-phrase-wrong = 证书注销短语不正确。如留空，则须由主管批准。
visit-so-pin-needed = 本机未设置本网点的 SO PIN（KIOSK_SO_PIN），不能在此重置 PIN。
visit-address-required = 请输入新邮寄地址。
visit-not-their-organisation = 此人不是该单位的经办人：请打开该单位经办人的档案。
visit-document-missing = 缺少材料：{ visit-document-name }。
visit-plug-a-blank-token = 请插入一个库存的空白 USB Key。
visit-one-blank-token = 已插入 { $count } 个空白 USB Key：只保留用于此数字证书的一个。
visit-no-profile = 此类别及持有人没有相应的数字证书模板。
visit-invoice-organisation-only = 发票信息只适用于单位的申请。
visit-chip-failed-read-chip = 此证件的芯片未通过签名验证：请再次读取芯片，或由主管决定（F6）。
visit-cancel-too-late = 已办妥（已签发、注销或重置），现在不能取消申请。
visit-choose-one-certificate = 请选择一张数字证书：每次只变更、补办或解锁一个 USB Key。
visit-certificates-of-one-holder = 同一次办理的数字证书须全属此人，或全属同一单位。
visit-change-keeps-holder-and-class = 变更信息不改变数字证书的持有人及类别；如需其他，请申请新数字证书。

# 拒绝信息中作为参数的名称（材料、步骤、打印机未打印的原因），按系统传入的标识选取。
visit-document-name = { $document ->
    [signed_application_form] { visit-doc-signed-form }
    [seal_sample_form] { visit-doc-seal-sample }
    [business_licence] { visit-doc-business-licence }
    [legal_representative_id] { visit-doc-legal-representative-id }
    [agent_id] { visit-doc-agent-id }
    [applicant_id] { visit-doc-applicant-id }
   *[other] { $document }
}
visit-step-name = { $current ->
    [certificates] { visit-step-certificates }
    [identity] { visit-step-identity }
    [email] { visit-step-email }
    [consent] { visit-step-consent }
    [photo] { visit-step-photo }
    [details] { visit-step-details }
    [documents] { visit-step-documents }
    [confirmation] { visit-step-confirmation }
    [payment] { visit-step-payment }
    [form] { visit-step-form }
    [approval] { visit-step-approval }
    [recheck] { visit-step-recheck }
    [issuance] { visit-step-issuance }
    [pin_reset] { visit-step-pin-reset }
    [revocation] { visit-step-revocation }
    [address] { visit-step-address }
    [completion] { visit-step-completion }
   *[other] { $current }
}
visit-print-reason = { $reason ->
    [print-error-bad-uri] 设置中的打印机地址不能使用
    [print-error-unreachable] 无法连接打印机
    [print-error-connection-lost] 与打印机的连接中断
    [print-error-timeout] 打印机未及时响应
    [print-error-not-found] 没有此打印机
    [print-error-not-accepting] 打印机暂不接收文件
    [print-error-stopped] 打印机已关闭或暂停
    [print-error-busy] 打印机忙
    [print-error-document-refused] 打印机无法打印此文件
    [print-error-refused] 打印机拒绝了此文件
    [print-error-canceled] 已在打印机上取消
    [print-error-aborted] 打印机中途停止打印
    [print-error-protocol] 无法理解打印机的响应
    [print-error-job-lost] 打印机已不再记得此文件
    [print-state-failed] 打印机未打印
    [print-state-cancelled] 已在打印队列中取消
    [print-state-expired] 在打印队列中等候过久
   *[other] 打印机未打印
}
visit-organisation-visit-open = 单位已有此项业务正在办理（编号 { $reference }），由另一名经办人开启：请从排队列表继续办理该业务。
visit-form-already-submitted = 已扫描签署的申请表并已提交申请：无须再打印或扫描。（如当事人信息有变，复核会退回申请以重新签署。）
