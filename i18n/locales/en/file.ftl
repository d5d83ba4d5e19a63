# The subscriber file: a person or organisation and everything on file for them.

file-title = Subscriber file
file-loading = Opening the file…
file-not-found = This record is not in this kiosk's store (it may not have been synchronised yet).
file-identity = Identity and documents
file-doc-macau-resident = Macau resident identity card
file-doc-mainland-resident = Mainland resident identity card
file-doc-hong-kong-resident = Hong Kong identity card
file-doc-passport = Passport
file-doc-residence-permit = Residence permit
file-doc-expiry = Document valid until
file-nationality = Nationality
file-birth-date = Date of birth
file-phone = Phone
file-email = Email
file-registration = Registration number
file-licence-until = Licence valid until
file-address = Address
file-organisations = Organisations and roles
file-role-administrator = administrator
file-role-legal-representative = legal representative
file-role-employee = employee
file-ended = ended { $date }
file-in-force = in force
file-not-in-force = not in force
file-none = none
file-certificates = Certificates
file-cert-pending = pending
file-cert-valid = valid
file-cert-suspended = suspended
file-cert-revoked = revoked
file-cert-expired = expired
file-days-left = { $count ->
        [one] expires in { $count } day
       *[other] expires in { $count } days
    }
file-days-ago = { $count ->
        [one] expired { $count } day ago
       *[other] expired { $count } days ago
    }
file-tokens = USB tokens
file-seals = Seals
file-applications = Applications
file-actions = Services
file-timeline = History
file-operator = operator
file-timeline-more = Older entries are not shown.

audit-record-created = created
audit-record-updated = changed
audit-application-transition = application moved on
audit-clerk-signed-in = signed in
audit-clerk-sign-in-failed = sign-in failed
audit-clerk-locked = sign-in locked
audit-clerk-added = clerk added
audit-clerk-disabled = clerk disabled
audit-clerk-totp-reset = one-time code reset
audit-demo-provisioned = demo office created
audit-store-exported = store exported
audit-ca-initialised = issuing CA set up
audit-ca-imported = issuing CA imported
audit-crl-issued = revocation list issued
audit-certificate-issued = certificate issued
audit-certificate-renewed = certificate renewed
audit-certificate-changed = certificate changed
audit-certificate-replaced = certificate replaced
audit-certificate-revoked = certificate revoked
audit-token-pin-changed = token PIN changed
audit-token-pin-failed = wrong token PIN
audit-token-locked = token locked
audit-token-unlocked = token unlocked
audit-token-reported = token reported
audit-print-job-cancelled = print job cancelled
audit-appointment-checked-in = checked in
audit-walk-in-ticket-issued = walk-in ticket issued
audit-visit-step = visit step
audit-authorisation-granted = authorisation added
audit-authorisation-changed = authorisation changed
audit-authorisation-withdrawn = authorisation suspended
audit-authorisation-restored = authorisation resumed
audit-authorisation-ended = authorisation ended
audit-administrator-transferred = administrator transferred (signed letter collected)
audit-members-action-refused = change to members refused

photo-preparing = Preparing the photo…
walk-in-print-waiting = The ticket waits for the printer (job { $job }): tell the person their number.
