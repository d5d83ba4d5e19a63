problem-required = 此項必須填寫。
problem-invalid-id-number = 此身份證明文件號碼與其類別不符。
problem-invalid-country = 請使用證件上的三字母國家代碼（例如 CHN、PRT、MAC）。
problem-invalid-phone = 電話號碼須有 6 至 15 位數字。
problem-invalid-email = 電郵地址不完整（名稱@網域）。
problem-date-order = 結束日期須在開始日期之後。
problem-invalid-uscc = 統一社會信用代碼無效：請核對 18 位字元。
problem-title-not-organisation = 發票抬頭須與機構登記名稱完全相同。
problem-invalid-taxpayer-id = 納稅人識別號由 15、18 或 20 位字母及數字組成。
problem-validity-years = 證書有效期為 1 至 5 年。
problem-invalid-serial = 證書序號為十六進位（0–9、A–F），最多 40 位。
problem-invalid-username = 用戶名稱最多 32 個字元，只可使用字母、數字、點或底線。
problem-invalid-totp-secret = 一次性驗證碼密鑰須為至少 16 位元組的 base32 文字。
problem-invalid-totp-period = 一次性驗證碼的有效時間須為 15 至 300 秒。
problem-cloud-sign-not-at-counter = 系統暫不支援於櫃檯處理「雲簽」證書，只可線上激活。
problem-no-certificates = 請選擇本申請涉及的證書。
problem-organisation-required = 請選擇此證書所屬的機構。
problem-change-not-allowed = 此項已不能再更改。

transition-not-allowed = 狀態為「{ $state }」的申請不能進行「{ $action }」。
transition-finished = 此申請的狀態為「{ $state }」，不能再更改。
transition-incomplete = 申請資料尚未齊備：{ $problems }
transition-supervisor-required = 只有主管可執行此操作。
transition-same-approver = 須由另一人批核：主管不能批核自己提交的申請。
transition-wrong-amount = 付款金額 { $paid } 與應繳費用 { $expected } 不符。
transition-reason-required = 請填寫拒絕原因。
transition-negative-fee = 費用不能為負數（{ $fee }）。

lifecycle-already-revoked = 此證書已被撤銷，撤銷後不能還原。
lifecycle-not-issued = 此證書尚未簽發。
lifecycle-token-lost = 此數字證書盤已報失，不能解鎖或重新簽發：請改為辦理補辦。
lifecycle-token-not-in-use = 此數字證書盤未在使用中。
lifecycle-token-transition = 此數字證書盤不能轉為該狀態。

fee-validity-years = 證書有效期為 1 至 5 年。
fee-not-at-counter = 櫃檯不處理「雲簽」證書。
fee-no-price = 本辦事處沒有此證書類別的價格。

# The store's faults, as `kiosk store verify` and `kiosk store rebuild` list them, one a record.
store-fault-differs = 此記錄的現有內容或搜尋索引與其變更記錄不符；執行「kiosk store rebuild」即可修正。
store-fault-creation-lost = 變更記錄中缺少建立此記錄的變更；重建無法還原此記錄，會按現狀保留。
store-fault-events-lost = 變更記錄中缺少構成此記錄的部分變更；重建會按現狀保留此記錄。
store-fault-no-events = 變更記錄中沒有此記錄的任何變更；重建會按現狀保留此記錄。
store-fault-undecodable = 此記錄的變更未能組成完整的同類記錄；重建會按現狀保留此記錄。
store-rebuild-kept = 有 { $count } 項記錄無法從其變更重建，已按原狀保留。請從中央系統或備份取回缺少的變更，並通知技術支援。
store-awaiting-creation = 有 { $count } 項記錄正等待建立它們的變更從其他櫃檯傳來。
