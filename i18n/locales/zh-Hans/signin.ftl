# 职员登录（kiosk/src/signin.rs）：每一步被拒时的提示。密码错误时不透露账号是否存在。
signin-wrong-password = 职员账号或密码不正确，请检查后再试。
signin-wrong-code = 动态验证码不正确。请输入验证器应用当前显示的 6 位数字。
signin-code-reused = 此动态验证码已用于登录，请等待验证器应用显示下一个验证码。
signin-locked = 连续登录失败次数过多：此职员在 { $until } 前不能登录。其间可请主管协助。
signin-no-code-set-up = 此职员尚未设置动态验证码。请主管运行“kiosk clerk reset-totp”，并扫描其显示的二维码。
signin-start-again = 登录用时过长，请重新输入职员账号和密码。
signin-store-failed = 无法核对登录：本地数据库出错（{ $detail }）。请重试；如仍出错，请联系技术支持。
