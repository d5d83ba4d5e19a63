# The counter's day-end close: kiosk day-end close|show, the supervisors' day-end screen and the
# printed report.

record-kind-day_end = day-end close

day-end-title = Day-end close
day-end-counter = Counter
day-end-day = Office day
day-end-closed-by = Closed by
day-end-closed-at = Closed at
day-end-state = State
day-end-not-closed = not closed yet: the figures so far
day-end-services = Services done
day-end-services-total = All services
day-end-fees = Fees received
day-end-refunds = Refunds
day-end-method-none = method not recorded
day-end-tokens = Tokens
day-end-tokens-used = Given out
day-end-tokens-spoiled = Spoiled
day-end-tokens-lost = Reported lost
day-end-forms = Forms
day-end-forms-printed = Printed
day-end-forms-unsigned = Not back signed
day-end-open = Applications left open
day-end-none = None
day-end-col-service = Service
day-end-col-count = Count
day-end-col-method = Payment method
day-end-col-amount = Amount
day-end-col-reference = Reference
day-end-col-state = State
day-end-signature-section = Sign-off
day-end-signature = Supervisor (signature and date)
day-end-payments = { $count ->
        [one] { $count } payment
       *[other] { $count } payments
    }

day-end-supervisor-only = Only a supervisor closes the counter's day.
day-end-already-closed = This counter's day was already closed by { $by } at { $at }. A closed day is not closed again; "kiosk day-end show" shows and prints what was signed off.
day-end-future-day = { $day } has not begun: only today or an earlier day can be closed.

day-end-password-prompt = Password of { $supervisor }:
day-end-password-not-text = The password must be text (UTF-8).
day-end-closed = Day { $day } of counter { $kiosk } is closed by { $by } and kept as record { $id }.
day-end-print-failed = The day is closed, but the report did not print: { $reason } Print it again with "kiosk day-end show --printer".
day-end-printed-file = The report's PDF is in { $file }.

key-day-end = day-end close
key-day-end-close = close the day and print
key-day-end-earlier = day before
key-day-end-later = day after
day-end-counting = Counting the day…
day-end-closing = Closing the day and printing the report…
day-end-close-hint = Enter closes the day and prints this report. A closed day is kept as it is and cannot be closed again.
day-end-print-waiting = The report waits in the print queue (job { $job }).
day-end-print-job-failed = The day is closed, but the report's print job { $job } failed. Print it again with "kiosk day-end show --printer".
day-end-more = { $count ->
        [one] … and { $count } more ("kiosk day-end show" lists them all)
       *[other] … and { $count } more ("kiosk day-end show" lists them all)
    }
