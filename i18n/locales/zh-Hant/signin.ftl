# 職員登入（kiosk/src/signin.rs）：每一步被拒時的訊息。密碼錯誤時不透露帳號是否存在。
signin-wrong-password = 職員帳號或密碼不正確，請檢查後再試。
signin-wrong-code = 一次性驗證碼不正確。請輸入驗證程式現時顯示的 6 位數字。
signin-code-reused = 此一次性驗證碼已用於登入，請等候驗證程式顯示下一個驗證碼。
signin-locked = 連續登入失敗次數過多：此職員在 { $until } 前不能登入。其間可請主管協助。
signin-no-code-set-up = 此職員尚未設定一次性驗證碼。請主管執行「kiosk clerk reset-totp」，並掃描其顯示的二維碼。
signin-start-again = 登入時間過長，請重新輸入職員帳號及密碼。
signin-store-failed = 未能核對登入：本機資料庫出錯（{ $detail }）。請再試；如仍出錯，請聯絡技術支援。
