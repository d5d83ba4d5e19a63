# Clerk sign-in (kiosk/src/signin.rs): what each refused step says. A wrong password never says
# whether the id exists.
signin-wrong-password = The clerk id or the password is wrong. Check both and try again.
signin-wrong-code = The one-time code is wrong. Type the 6-digit code your authenticator app shows now.
signin-code-reused = This one-time code was already used to sign in. Wait for the next code in your authenticator app.
signin-locked = Too many failed sign-ins in a row: this clerk cannot sign in until { $until }. A supervisor can help in the meantime.
signin-no-code-set-up = No one-time code is set up for this clerk yet. Ask a supervisor to run "kiosk clerk reset-totp" and scan the code it shows.
signin-start-again = The sign-in took too long. Start again with your clerk id and password.
signin-store-failed = Sign-in could not be checked: the local database failed ({ $detail }). Try again; if it goes on, call support.
