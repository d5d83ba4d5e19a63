# The email outbox and the 6-digit email verification codes (kiosk::mail, kiosk mail …).

# The mail that carries a code: its subject never holds the code (the subject stays in the outbox).
mail-code-subject = Email verification code for application { $reference }
mail-code-body-code = Your email verification code is: { $code }
mail-code-body-validity = Give it to the clerk at the counter. It is valid for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, until { $until }, for application { $reference } only.
mail-code-body-ignore = If you are not at a registration counter of { $office } now, ignore this mail: nothing is done without the code.

# What the counter is told after a code is made.
mail-code-sent = A verification code was sent. It is valid for 10 minutes.
mail-code-queued-unreachable = The mail relay cannot be reached: the code waits in the outbox and is sent when the relay is back.
mail-code-queued-refused = The mail relay refused the mail for now: the code waits in the outbox and is tried again.
mail-code-queued-not-configured = No mail relay is set up (mail_relay in kiosk.toml): the code waits in the outbox.

# Checking the code the person gives.
mail-code-wrong = Wrong code. { $tries_left ->
        [0] No tries left: send a new code.
        [one] { $tries_left } try left.
       *[other] { $tries_left } tries left.
    }
mail-code-expired = This code has expired (codes are valid for 10 minutes): send a new code.
mail-code-none-sent = No code was sent to this address for this application: send one first.
mail-code-used-up = This code can no longer be used: send a new code.
mail-code-store-failed = The code could not be checked: the store failed ({ $detail }).

# Why a code could not be made.
mail-error-no-application = No application with this id is in the store.
mail-error-bad-address = This is not an email address a code can be sent to.
mail-error-store = The code could not be saved: the store failed ({ $detail }).

# Why a mail waits or was given up.
mail-reason-unreachable = the mail relay cannot be reached
mail-reason-refused = the mail relay refused it
mail-reason-not-configured = no mail relay is set up
mail-reason-expired = its code expired before it could be sent
mail-reason-replaced = a newer code replaced it
mail-reason-bad-address = the address cannot be used

# kiosk mail queue / kiosk mail send
mail-state-waiting = waiting
mail-state-sent = sent
mail-state-given-up = given up
mail-queue-empty = The outbox is empty.
mail-queue-title = Mail  Recipient  Subject  State  Tries
mail-queue-next-try = next try { $at }
mail-send-none-due = No mail is due.
mail-send-sent = { $count ->
        [one] { $count } mail sent.
       *[other] { $count } mails sent.
    }
mail-send-waiting = { $count ->
        [one] { $count } mail still waits in the outbox: { $reason }.
       *[other] { $count } mails still wait in the outbox: { $reason }.
    }
mail-send-given-up = { $count ->
        [one] { $count } mail was given up: its code had expired or was replaced.
       *[other] { $count } mails were given up: their codes had expired or were replaced.
    }

# kiosk.toml
config-error-mail-relay = The setting { $setting } is "{ $value }", which is not a mail relay address. Write it like smtp://relay.example.mo:25, smtps://relay.example.mo:465 or smtp://relay.example.mo:587?tls=required.
config-error-mail-from = The setting { $setting } is "{ $value }", which is not a sender address. Write it like counter@example.mo; it is needed when mail_relay is set.
