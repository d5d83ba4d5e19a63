# kiosk print: what the store must hold to print a document.

print-no-application = No application with this id is in the store.
print-no-applicant = The application's applicant is not in the store yet (it may still be replicating).
print-no-payment = No payment is recorded for this application yet: record the payment, then print the receipt.
print-id-macau = Macau Resident Identity Card
print-id-mainland = Mainland Resident Identity Card
print-id-hong-kong = Hong Kong Identity Card
print-id-passport = Passport
print-id-residence-permit = Residence permit
print-receipt-line = { $class } certificate, { $years ->
        [one] { $years } year
       *[other] { $years } years
    }
print-class-qualified = Qualified
print-class-standard = Standard
print-class-encryption = Encryption
print-class-cloud-sign = Cloud signing
print-written = The PDF was written to { $file }.
print-printed = Printed (job { $job }).
print-at-printer = The printer has the job ({ $job }) and will print it.
print-waiting = Not printed yet: { $reason } The job ({ $job }) waits in the spool and is sent again with the next print, or with "kiosk print queue". Nothing is lost.
print-failed = The job ({ $job }) could not be printed: { $reason }
print-earlier-printed = A job that was waiting was printed ({ $job }).
formcode-not-a-form-code = This QR code is not from a form the kiosk printed.
formcode-malformed = This form's QR code is damaged ({ $detail }). Scan it again, or find the application by its reference.
formcode-forged = This form's QR code does not match its signature: the form was altered or not printed by this office. Do not accept it; find the application by its reference and check the form.
print-next-try = Next try at { $at }.
print-unknown = It is not known yet whether the printer has the job ({ $job }): { $reason }
print-no-printer = Say where to print: --printer URI, or --to-file FILE.
print-cancelled = Print job { $job } is cancelled and its PDF erased.
print-cancel-maybe-at-printer = The printer { $printer } may already have it: if it has not come out, cancel it at the printer too.
print-cancel-no-clerk = There is no staff member { $clerk } at this office.
print-cancel-not-supervisor = { $clerk } is not a supervisor: only a supervisor can cancel a print job.
print-cancel-inactive = { $clerk } is no longer active and cannot cancel print jobs.
