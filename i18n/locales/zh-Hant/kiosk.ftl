app-title = 註冊櫃檯
key-quit = 退出
key-language = 語言

error-failed = 操作未能完成：{ $detail }
error-not-a-terminal = 櫃檯畫面須在終端機中執行。請在終端機視窗中執行，或使用子指令（kiosk --help）。

id-kind-cn-resident = 內地居民身份證
id-kind-uscc = 統一社會信用代碼
id-kind-hk = 香港身份證
id-kind-mo = 澳門居民身份證
id-check-invalid = 不是有效的{ $kind }：{ $reason }

mrz-not-an-mrz = 這不是機讀區（MRZ）：{ $detail }
mrz-input-too-long = 輸入內容遠長於任何機讀區
mrz-input-not-text = 輸入內容不是文字
mrz-check-failed = 已讀取機讀區，但以下欄位未能通過檢查碼核對或內容無效：{ $fields }。請重新掃描或核對證件。

# mrz-check-failed 所列的機讀區欄位名稱。
mrz-field-document_number = 證件號碼
mrz-field-birth_date = 出生日期
mrz-field-expiry_date = 屆滿日期
mrz-field-optional_data = 選擇性資料
mrz-field-composite = 綜合檢查碼
mrz-field-sex = 性別

record-kind-person = 個人
record-kind-organisation = 機構
record-kind-membership = 機構成員
record-kind-authorisation = 授權
record-kind-certificate = 證書
record-kind-token = 數字證書盤
record-kind-seal = 印章
record-kind-application = 申請
record-kind-appointment = 預約
record-kind-walk_in_ticket = 即場籌號
record-kind-clerk = 職員
record-kind-audit_event = 稽核事件

search-no-hits = 找不到相符的人士。請試用姓名的一部分、證件號碼、電話號碼或證書序號。

store-verified = 資料庫完好：{ $records } 項記錄與其 { $events } 次變更相符。
store-inconsistent = 有 { $count } 項記錄與其變更記錄不符。請執行「kiosk store rebuild」並通知技術支援。
store-rebuilt = 已從 { $events } 次變更重建 { $records } 項記錄。

demo-store-not-empty = 資料庫已有記錄。如仍要加入示範辦事處，請用 --force（示範職員將獲發新密碼，只顯示一次），或另選 --data-dir。
demo-provisioned = 示範辦事處已就緒：{ $dir } 中共 { $records } 項記錄。
demo-credentials-header = 登入資料（只顯示一次，請記下）：帳號、密碼、角色，以及供驗證程式掃描或輸入的一次性驗證碼地址：

role-clerk = 櫃檯職員
role-supervisor = 主管

service-new_issuance = 新辦證書
service-renewal = 證書續期
service-change = 資料變更
service-replacement = 補辦
service-pin_unlock = PIN 碼解鎖
service-revocation = 證書撤銷
service-redispatch = 更改郵寄地址

application-state-draft = 草稿
application-state-under_review = 資料待審核
application-state-awaiting_approval = 待主管批核
application-state-awaiting_payment = 待付款
application-state-awaiting_fulfilment = 待安裝或郵寄
application-state-completed = 已完成
application-state-rejected = 已拒絕
application-state-cancelled = 已取消

# 申請的步驟（名詞短語），供 transition-not-allowed 引用。
application-action-submit = 提交審核
application-action-return_for_correction = 退回更正
application-action-require_revetting = 退回重新審核
application-action-pass_vetting = 審核通過
application-action-approve = 主管批核
application-action-record_payment = 記錄付款
application-action-complete = 完成辦理
application-action-reject = 拒絕申請
application-action-cancel = 取消申請

message-consent = 同意並接受個人資料收集協定及聲明
message-agreement = 同意並接受申請人／登記人協定及聲明
message-renewal-submitted = 已確認並成功提交證書續期申請
message-activated = 成功激活
message-unsupported-document = 不支援之身份證明文件類別
message-document-data-differs = 無效之身份證明文件個人資料
message-photo-rejected = 照片未達檢測要求，請重新拍攝。
message-revoke-first = 需先撤銷原有證書

error-store = 無法使用本機資料庫：{ $detail }。沒有任何資料被寫入一半；請再試一次，如問題持續，請執行「kiosk store verify」並聯絡技術支援。
error-store-newer = 此資料目錄由較新版本的櫃檯程式寫入（{ $detail }）。請將本櫃檯程式升級至較新版本；資料未被改動。
error-invalid-record = 記錄未儲存，原因：{ $detail }
error-data-dir = 無法使用資料目錄 { $dir }（{ $detail }）。請確認該目錄存在且可寫入，或以 --data-dir 另選目錄。
