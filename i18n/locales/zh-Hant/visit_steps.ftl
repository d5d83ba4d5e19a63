# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = 本機構記錄中沒有此申請。
visit-no-applicant = 找不到申請人的記錄。
visit-renewal-none-due = 此人沒有可續期的電子證書（到期前 30 日起方可續期）。
visit-no-certificates = 此人沒有適用於此服務的有效電子證書。
visit-step-not-open = 尚未可進行此步驟：辦理仍停留在較前的步驟（{ $current }）。
visit-supervisor-own-action = 主管不可批准自己的操作：須由另一位主管登入。
visit-supervisor-required = 只有在職主管可進行此操作：請主管登入。
visit-reason-required = 請填寫原因：原因會與申請一併保存。
visit-skip-never = 此步驟不可略過。
visit-skip-supervisor-only = 只有主管可讓辦理略過此步驟。
visit-skip-not-in-plan = 此服務沒有此步驟。
visit-identity-nothing-to-override = 身份核對並未失敗，無需主管批准。
visit-form-key-missing = 此櫃檯沒有申請表密鑰，此申請表並非由此櫃檯列印。請於列印此表的機構櫃檯掃描。
visit-form-print-failed = 申請表未能列印（工作 { $job }）：{ $reason }。請檢查印表機後再次列印。
visit-receipt-print-failed = 付款已記錄，但收據未能列印（工作 { $job }）：{ $reason }。請於列印佇列再次列印。
visit-payment-reference-required = 請輸入付款編號（收據或刷卡機編號）。
visit-invoice-too-late = 發票資料列印於申請表上並一併審核，申請表簽署後不可更改。
visit-no-token-module = 此櫃檯未設定數字證書盤模組（token_module），無法將電子證書寫入數字證書盤。
visit-token-unknown = 本機構記錄中沒有此電子證書的數字證書盤。
visit-token-not-present = 請插入申請人的數字證書盤（序號 { $serial }）：未能找到。
visit-token-other-certificate = 此數字證書盤載有另一張電子證書（{ $serial }）：請插入續期證書所在的數字證書盤。
visit-ca-pin-needed = 此櫃檯未解鎖機構的核證機關（KIOSK_CA_PIN），無法簽發電子證書。請聯絡技術支援。
visit-nothing-to-issue = 此申請的所有電子證書均已簽發。
visit-email-not-on-visit = 此電郵地址並非本次辦理的電子證書所載之電郵地址。

visit-certificate-not-theirs = 該電子證書不是此人仍然有效的電子證書。
visit-choose-a-certificate = 請最少選擇一張電子證書（Space 或 F4 剔選所在行）。
visit-no-serial = 該電子證書尚無序號：從未簽發。
visit-not-approved-yet = 申請尚未審核及批准。
visit-renewal-certificates-fixed = 續期須一併續期所有到期的電子證書，不可選擇。
visit-revocation-phrase-wrong = 證書撤銷短語不正確。如留空，則須由主管批准。
visit-so-pin-needed = 此電腦未設定本辦事處的 SO PIN（KIOSK_SO_PIN），不能在此重設 PIN。
