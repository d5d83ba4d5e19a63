# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = 本機構記錄中沒有此申請。
visit-no-applicant = 找不到申請人的記錄。
visit-renewal-none-due = 此人沒有可續期的電子證書（到期前 30 日起方可續期）。
visit-no-certificates = 此人沒有適用於此服務的有效電子證書。
visit-step-not-open = 尚未可進行此步驟：辦理仍停留在較前的步驟（{ visit-step-name }）。
visit-supervisor-own-action = 主管不可批准自己的操作：須由另一位主管登入。
visit-supervisor-required = 只有在職主管可進行此操作：請主管登入。
visit-reason-required = 請填寫原因：原因會與申請一併保存。
visit-skip-never = 此步驟不可略過。
visit-skip-supervisor-only = 只有主管可讓辦理略過此步驟。
visit-skip-not-in-plan = 此服務沒有此步驟。
visit-identity-nothing-to-override = 身份核對並未失敗，無需主管批准。
visit-form-key-missing = 此櫃檯沒有申請表密鑰，此申請表並非由此櫃檯列印。請於列印此表的機構櫃檯掃描。
visit-form-earlier-printing = 此已簽署的申請表屬較早的一次列印：申請表已重新列印（{ $printed }），只接受最後列印的一份。請申請人簽署（及蓋章）最後列印的申請表，再掃描其二維碼。
visit-form-print-failed = 申請表未能列印（工作 { $job }）：{ visit-print-reason }。請檢查印表機後再次列印。
visit-receipt-print-failed = 付款已記錄，但收據未能列印（工作 { $job }）：{ visit-print-reason }。請於列印佇列（kiosk print queue）再次列印。
visit-payment-reference-required = 請輸入付款編號（收據或刷卡機編號）。
visit-invoice-too-late = 發票資料列印於申請表上並一併審核，申請表簽署後不可更改。
visit-no-token-module = 此櫃檯未設定數字證書盤模組（token_module），無法將電子證書寫入數字證書盤。
visit-token-unknown = 本機構記錄中沒有此電子證書的數字證書盤。
visit-token-not-present = 請插入申請人的數字證書盤（序號 { $serial }）：未能找到。
visit-token-other-certificate = 此數字證書盤載有另一張電子證書（{ $serial }）：請插入續期證書所在的數字證書盤。
visit-ca-pin-needed = 此櫃檯未解鎖機構的核證機關（KIOSK_CA_PIN），無法簽發電子證書。請聯絡技術支援。
visit-stock-pin-needed = 此電腦未設定本辦事處的庫存 PIN 碼（KIOSK_STOCK_PIN），不能在此開啟庫存的數字證書盤。請聯絡技術支援。
visit-holder-pin-not-set = 電子證書已寫入數字證書盤並已生效，但未能設定申請人自己的 PIN：數字證書盤仍使用庫存 PIN 碼。請在數字證書盤離開櫃檯前立即更改其 PIN（kiosk token change-pin）。
visit-no-token-module-or-pkcs12 = 此櫃檯未設定數字證書盤模組（token_module），無法將電子證書寫入數字證書盤。此電子證書可改為存入 PKCS#12 檔案（F5）。
visit-plug-a-blank-token-or-pkcs12 = 請插入一個庫存的空白數字證書盤，或按 F5 改為將此電子證書簽發到 PKCS#12 檔案。
visit-pkcs12-new-only = 只有新辦電子證書可存入 PKCS#12 檔案：續期、變更或補辦均須使用數字證書盤。
visit-pkcs12-file-exists = { $file } 已存在：PKCS#12 檔案不會被覆蓋。請輸入另一路徑。
visit-nothing-to-issue = 此申請的所有電子證書均已簽發。
visit-issuing-elsewhere = 此申請的電子證書自 { $since } 起正於櫃檯 { $kiosk } 簽發：請待該櫃檯完成。如該櫃檯已停止運作，可於開始簽發十五分鐘後在此接續。
visit-email-not-on-visit = 此電郵地址並非本次辦理的電子證書所載之電郵地址。

visit-certificate-not-theirs = 該電子證書不是此人仍然有效的電子證書。
visit-choose-a-certificate = 請最少選擇一張電子證書（Space 或 F4 剔選所在行）。
visit-no-serial = 該電子證書尚無序號：從未簽發。
visit-not-approved-yet = 申請尚未審核及批准。
visit-renewal-certificates-fixed = 續期須一併續期所有到期的電子證書，不可選擇。
visit-revocation-phrase-wrong = 證書撤銷短語不正確。如留空，則須由主管批准。
visit-so-pin-needed = 此電腦未設定本辦事處的 SO PIN（KIOSK_SO_PIN），不能在此重設 PIN。
visit-address-required = 請輸入新郵寄地址。
visit-not-their-organisation = 此人並非該機構的經辦人：請打開該機構經辦人的檔案。
visit-document-missing = 欠缺文件：{ visit-document-name }。
visit-plug-a-blank-token = 請插入一個庫存的空白數字證書盤。
visit-one-blank-token = 已插入 { $count } 個空白數字證書盤：只保留用於此電子證書的一個。
visit-no-profile = 此類別及持有人沒有相應的電子證書範本。
visit-invoice-organisation-only = 發票資料只適用於機構的申請。
visit-chip-failed-read-chip = 此證件的晶片未通過簽署驗證：請再次讀取晶片，或由主管決定（F6）。
visit-cancel-too-late = 已辦妥（已簽發、撤銷或重設），現時不能取消申請。
visit-choose-one-certificate = 請選擇一張電子證書：每次只變更、補發或解鎖一個數字證書盤。
visit-certificates-of-one-holder = 同一次辦理的電子證書須全屬此人，或全屬同一機構。
visit-change-keeps-holder-and-class = 變更資料不改變電子證書的持有人及類別；如需其他，請申請新電子證書。

# 拒絕訊息中作為參數的名稱（文件、步驟、印表機未列印的原因），按系統傳入的識別碼選取。
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
    [print-error-bad-uri] 設定中的印表機地址不能使用
    [print-error-unreachable] 無法連接印表機
    [print-error-connection-lost] 與印表機的連線中斷
    [print-error-timeout] 印表機未有及時回應
    [print-error-not-found] 沒有此印表機
    [print-error-not-accepting] 印表機暫不接收文件
    [print-error-stopped] 印表機已關閉或暫停
    [print-error-busy] 印表機忙碌中
    [print-error-document-refused] 印表機無法列印此文件
    [print-error-refused] 印表機拒絕了此文件
    [print-error-canceled] 已在印表機上取消
    [print-error-aborted] 印表機中途停止列印
    [print-error-protocol] 無法理解印表機的回應
    [print-error-job-lost] 印表機已不再記得此文件
    [print-state-failed] 印表機未有列印
    [print-state-cancelled] 已在列印佇列中取消
    [print-state-expired] 在列印佇列中等候過久
   *[other] 印表機未有列印
}
visit-organisation-visit-open = 機構已有此項服務正在辦理（編號 { $reference }），由另一名經辦人開啟：請由輪候清單繼續辦理該項服務。
visit-form-already-submitted = 已掃描簽署的申請表並已提交申請：無須再列印或掃描。（如當事人資料有變，覆核會退回申請以重新簽署。）
