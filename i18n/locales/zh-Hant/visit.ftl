# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = 雲簽證書只可於網上激活，不在櫃檯辦理。

# The identity check (seed 000's two messages, and a chip that fails its signatures).
visit-identity-unsupported-document = 不支援之身份證明文件類別
visit-identity-invalid-data = 無效之身份證明文件個人資料
visit-identity-chip-not-authentic = 證件晶片未通過簽署驗證，可能是偽造證件。未經主管批准不得接納。
visit-field-document-number = 證件號碼
visit-field-name = 姓名
visit-field-birth-date = 出生日期
visit-field-expiry = 證件已過期

# The re-check before activation (seed 000, step 6).
visit-recheck-no-longer-due = 證書 { $serial } 已不屬可續期證書（已撤銷、已過期或已續期）。
visit-recheck-revetting-required = 身份資料自審核後已更改，需重新審核：申請退回至身份核對步驟，已繳付的費用維持有效。
visit-recheck-revoke-first = 證書資料已更改而證書 { $serial } 仍然有效：需先撤銷原有證書
visit-recheck-no-form = 申請表尚未列印。

# Passwords and the revocation phrase (seed 000, activation).
visit-password-length = 密碼長度必須為 8 個位或以上
visit-password-letter = 密碼必須包括 1 個或以上的英文字母 (a - z，大小寫均可)
visit-password-non-letter = 密碼必須包括 1 個或以上非字母 (數字或特殊字符)
visit-phrase-too-short = 證書撤銷短語最少須有 4 個字元。
visit-phrase-same-as-pin = 證書撤銷短語不可與 PIN 相同。
