# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = 本单位记录中没有此申请。
visit-no-applicant = 找不到申请人的记录。
visit-renewal-none-due = 此人没有可续期的数字证书（到期前 30 天起方可续期）。
visit-no-certificates = 此人没有适用于此业务的有效数字证书。
visit-step-not-open = 尚不能进行此步骤：办理仍停留在较前的步骤（{ $current }）。
visit-supervisor-own-action = 主管不能批准自己的操作：须由另一位主管登录。
visit-supervisor-required = 只有在职主管可进行此操作：请主管登录。
visit-reason-required = 请填写原因：原因会与申请一并保存。
visit-skip-never = 此步骤不能跳过。
visit-skip-supervisor-only = 只有主管可让办理跳过此步骤。
visit-skip-not-in-plan = 此业务没有此步骤。
visit-identity-nothing-to-override = 身份核验并未失败，无需主管批准。
visit-form-key-missing = 此柜台没有申请表密钥，此申请表并非由此柜台打印。请到打印此表的单位柜台扫描。
visit-form-print-failed = 申请表未能打印（任务 { $job }）：{ $reason }。请检查打印机后重新打印。
visit-receipt-print-failed = 付款已记录，但收据未能打印（任务 { $job }）：{ $reason }。请在打印队列中重新打印。
visit-payment-reference-required = 请输入付款编号（收据或刷卡机流水号）。
visit-invoice-too-late = 发票信息打印在申请表上并一并审核，申请表签署后不能更改。
visit-no-token-module = 此柜台未配置 USB Key 模块（token_module），无法将数字证书写入 USB Key。
visit-token-unknown = 本单位记录中没有此数字证书的 USB Key。
visit-token-not-present = 请插入申请人的 USB Key（序列号 { $serial }）：未能找到。
visit-token-other-certificate = 此 USB Key 中是另一张数字证书（{ $serial }）：请插入续期证书所在的 USB Key。
visit-ca-pin-needed = 此柜台未解锁本单位的 CA（KIOSK_CA_PIN），无法签发数字证书。请联系技术支持。
visit-nothing-to-issue = 此申请的所有数字证书均已签发。
visit-email-not-on-visit = 此电子邮箱不是本次办理的数字证书所载的电子邮箱。

visit-certificate-not-theirs = 该数字证书不是此人仍然有效的数字证书。
visit-choose-a-certificate = 请至少选择一张数字证书（Space 或 F4 勾选所在行）。
visit-no-serial = 该数字证书尚无序列号：从未签发。
visit-not-approved-yet = 申请尚未审核及批准。
visit-renewal-certificates-fixed = 续期须一并续期所有到期的数字证书，不能选择。
visit-revocation-phrase-wrong = 证书注销短语不正确。如留空，则须由主管批准。
visit-so-pin-needed = 本机未设置本网点的 SO PIN（KIOSK_SO_PIN），不能在此重置 PIN。
