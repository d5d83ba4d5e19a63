problem-required = This is required.
problem-invalid-id-number = This identity document number is not valid for its type.
problem-invalid-country = Use the three-letter country code as on the document (e.g. CHN, PRT, MAC).
problem-invalid-phone = A phone number has 6 to 15 digits.
problem-invalid-email = This email address is not complete (name@domain).
problem-date-order = The end date must come after the start date.
problem-invalid-uscc = This Unified Social Credit Code is not valid: check the 18 characters.
problem-title-not-organisation = The invoice title must be exactly the organisation's registered name.
problem-invalid-taxpayer-id = A taxpayer ID has 15, 18 or 20 letters and digits.
problem-validity-years = Certificates are valid for 1 to 5 years.
problem-invalid-serial = A certificate serial is hexadecimal (0–9, A–F), at most 40 digits.
problem-invalid-username = User names are up to 32 letters, digits, dots or underscores.
problem-invalid-totp-secret = The one-time code secret is not base32 of at least 16 bytes.
problem-invalid-totp-period = The one-time code period must be from 15 to 300 seconds.
problem-cloud-sign-not-at-counter = Cloud-sign certificates are activated online only, not at the counter.
problem-no-certificates = Choose the certificates this application concerns.
problem-organisation-required = Choose the organisation this certificate belongs to.
problem-change-not-allowed = This can no longer be changed.

transition-not-allowed = The step “{ $action }” is not possible for an application whose status is “{ $state }”.
transition-finished = This application’s status is “{ $state }”: it can no longer be changed.
transition-incomplete = The application is not complete yet: { $problems }
transition-supervisor-required = Only a supervisor can do this.
transition-same-approver = A second person must approve: supervisors cannot approve their own submission.
transition-wrong-amount = The payment of { $paid } does not match the fee of { $expected }.
transition-reason-required = Give the reason for the rejection.
transition-negative-fee = A fee cannot be negative ({ $fee }).

lifecycle-already-revoked = This certificate is already revoked. Revocation cannot be undone.
lifecycle-not-issued = This certificate has not been issued yet.
lifecycle-token-lost = This token was reported lost. It is never unlocked or reissued: issue a replacement.
lifecycle-token-not-in-use = This token is not in use.
lifecycle-token-transition = This token cannot change to that status.

fee-validity-years = Certificates are issued for 1 to 5 years.
fee-not-at-counter = Cloud-sign certificates are not handled at the counter.
fee-no-price = This office has no price for that certificate type.

# The store's faults, as `kiosk store verify` and `kiosk store rebuild` list them, one a record.
store-fault-differs = Its saved contents or search entries differ from its changes; “kiosk store rebuild” mends this.
store-fault-creation-lost = The change that created this record is missing from the log; rebuilding cannot make it, so it is kept as it is.
store-fault-events-lost = Changes this record was built from are missing from the log; rebuilding keeps it as it is.
store-fault-no-events = None of this record's changes are in the log; rebuilding keeps it as it is.
store-fault-undecodable = This record's changes do not make a complete record of its type; rebuilding keeps it as it is.
store-rebuild-kept = { $count ->
        [one] { $count } record could not be rebuilt from its changes and was kept as it was.
       *[other] { $count } records could not be rebuilt from their changes and were kept as they were.
    } Bring the missing changes back from the central system or a backup, and contact support.
store-awaiting-creation = { $count ->
        [one] { $count } record is waiting for its creation to arrive from another counter.
       *[other] { $count } records are waiting for their creation to arrive from another counter.
    }
