# The counter app's screens: keys, status bar, sign-in, queue, search, first start.

ui-too-small = This window is { $width }×{ $height }. The counter needs at least { $min_width }×{ $min_height }: make the window larger.

key-help = help
key-back = back
key-search = search
key-lock = lock the screen
key-up = previous line
key-down = next line
key-page-up = page up
key-page-down = page down
key-submit = confirm
key-open = open
key-next-tab = next list
key-prev-tab = previous list
key-refresh = refresh
key-walk-in = walk-in ticket
key-check-in-camera = check in by camera
key-start-visit = start the visit
key-stop-camera = stop the camera
key-sign-out = sign out
key-create-demo = create the demo office
key-continue = continue
key-close = close
key-yes-quit = yes, quit
key-no-stay = no, stay

help-title = Keys on this screen
help-coming = arrives with the visit wizards
notice-not-yet = This arrives with the visit wizards; for now use the kiosk commands.

quit-title = Quit?
quit-visit-in-progress = A visit is in progress. Quit anyway? What was saved stays saved.

status-reader = Reader
status-token = Token
status-printer = Printer
status-camera = Camera
status-sync = Sync
status-unknown = …
status-not-configured = not configured
status-unavailable = unavailable
status-reader-no-service = no PC/SC service
status-reader-none = none
status-reader-empty = no card
status-reader-card = card in
status-tokens = { $count ->
        [one] { $count } token
       *[other] { $count } tokens
    }
status-printer-queue = { $waiting } waiting
status-printer-failed = { $waiting } waiting, { $failed } failed
status-camera-none = none
status-camera-present = ready
status-sync-syncing = syncing…
status-sync-online = online
status-sync-online-waiting = { $count ->
        [one] online, { $count } event to send
       *[other] online, { $count } events to send
    }
status-sync-offline = { $count ->
        [0] offline since { $since }
        [one] offline since { $since }, { $count } event waiting
       *[other] offline since { $since }, { $count } events waiting
    }

first-start-title = Welcome
first-start-empty = This kiosk's data directory is empty: there is no office here yet.
first-start-offer = Create the demo office to try the counter? Enter: yes. Esc: quit.
first-start-creating = Creating the demo office…
first-start-created = The demo office is ready. These sign-in credentials are shown only once: write them down, and add the one-time code URIs to an authenticator app.
first-start-write-down = Press Enter to go to sign-in.

signin-title = Sign in
signin-id = Clerk id
signin-password = Password
signin-code = One-time code
signin-hint-id = Type your clerk id and press Enter.
signin-hint-password = Type your password and press Enter. Esc starts again.
signin-hint-code = Type the 6-digit code from your authenticator app and press Enter.
signin-checking = Checking…
signin-code-six-digits = The one-time code has 6 digits.
signin-clock-off = { $minutes ->
        [one] This kiosk's clock is { $minutes } minute off the registry's. Sign-in still works; ask support to set the clock.
       *[other] This kiosk's clock is { $minutes } minutes off the registry's. Sign-in still works; ask support to set the clock.
    }

signin-signed-out = Signed out. The next clerk signs in here.

lock-title = Screen locked
lock-who = Locked while { $name } was signed in. { $name } or a supervisor can unlock it.
lock-not-yours = Only the clerk who locked this screen or a supervisor can unlock it.

queue-tab-appointments = Appointments
queue-tab-walk-ins = Walk-ins
queue-tab-renewals = Renewals due
queue-tab-approvals = For approval
queue-loading = Loading today's queue…
queue-no-appointments = No appointments today.
queue-no-walk-ins = No walk-in tickets yet today. Press W to issue one.
queue-no-renewals = No certificates are due for renewal.
queue-no-approvals = Nothing waits for a supervisor.
queue-col-slot = Time
queue-col-name = Name
queue-col-service = Service
queue-col-status = Status
queue-col-ticket = Ticket
queue-col-issued = Issued
queue-col-class = Class
queue-col-serial = Serial
queue-col-days-left = Expires
queue-col-reference = Reference
queue-col-submitted-by = Submitted by
queue-tab-conflicts = Conflicts
queue-no-conflicts = No conflicts.
queue-col-conflict = What conflicts
queue-col-record-kind = Record
queue-col-record = Record id
queue-conflict-id-number = Same ID document
queue-conflict-token-serial = Same token serial
queue-conflict-person = person
queue-conflict-token = token
queue-days = { $count ->
        [one] in { $count } day
       *[other] in { $count } days
    }
queue-sign-in-first = A pass was scanned, but nobody is signed in. Sign in, then scan it again.
queue-scan-not-a-pass = The code just scanned is not an appointment pass; nothing was done.
queue-checking-in = Checking the pass…
queue-checked-in = { $name } is checked in.
queue-camera-looking = Looking for a pass in front of the camera…
queue-camera-cancelled = The camera stopped looking for a pass.
queue-issuing-ticket = Issuing the ticket…

appointment-status-booked = booked
appointment-status-checked-in = checked in
appointment-status-served = served
appointment-status-no-show = no-show
appointment-status-cancelled = cancelled
ticket-status-waiting = waiting
ticket-status-called = called
ticket-status-served = served
ticket-status-left = left
certificate-class-qualified = qualified
certificate-class-standard = standard
certificate-class-encryption = encryption
certificate-class-cloud-sign = cloud sign

walk-in-pick-service = Ticket for which service?
walk-in-ticket-title = Walk-in ticket
walk-in-no-printer = No printer is configured: tell the person their number.

search-title = Search
search-label = Name, ID number, phone or certificate serial
search-hint = Type part of a name (Chinese or Latin), an ID number, a phone number or a certificate serial. Results follow as you type.
search-searching = Searching…
search-col-name-zh = Chinese name
search-col-name-latin = Name
search-col-number = ID number
search-col-phone = Phone
search-col-matched = Found by
search-matched-id-number = ID number
search-matched-serial = serial
search-matched-phone = phone
search-matched-name = name

ui-job-failed = Something went wrong while doing that; nothing was half-done. Try again, and call support if it happens again.
counter-no-pass-key = This kiosk has no appointment pass key (keys/pass.key), so it cannot check passes. Ask the operator to install the office's key.
counter-pass-key-unreadable = The appointment pass key could not be read ({ $detail }). Ask the operator to check keys/pass.key.
