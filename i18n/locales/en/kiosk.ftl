app-title = Registry counter
key-quit = quit
key-language = language

error-failed = The kiosk could not finish: { $detail }
error-not-a-terminal = The kiosk's screen needs a terminal. Run it in a terminal window, or use a subcommand (kiosk --help).

id-kind-cn-resident = Mainland Resident Identity Card
id-kind-uscc = Unified Social Credit Code
id-kind-hk = Hong Kong Identity Card
id-kind-mo = Macau Resident Identity Card
id-check-invalid = Not a valid { $kind }: { $reason }

mrz-not-an-mrz = This is not a machine readable zone: { $detail }
mrz-input-too-long = the input is far longer than any MRZ
mrz-input-not-text = the input is not text
mrz-check-failed = The MRZ was read, but these fields fail their check digit or hold an impossible value: { $fields }. Scan it again or check the document.

# Names of the MRZ fields that mrz-check-failed lists.
mrz-field-document_number = document number
mrz-field-birth_date = date of birth
mrz-field-expiry_date = expiry date
mrz-field-optional_data = optional data
mrz-field-composite = composite check digit
mrz-field-sex = sex

record-kind-person = person
record-kind-organisation = organisation
record-kind-membership = membership
record-kind-authorisation = authorisation
record-kind-certificate = certificate
record-kind-token = token
record-kind-seal = seal
record-kind-application = application
record-kind-appointment = appointment
record-kind-walk_in_ticket = walk-in ticket
record-kind-clerk = clerk
record-kind-audit_event = audit event

search-no-hits = Nobody found. Try part of the name, the ID number, the phone number or a certificate serial.

store-verified = The store is sound: { $records ->
        [one] { $records } record agrees with its
       *[other] { $records } records agree with their
    } { $events ->
        [one] { $events } change
       *[other] { $events } changes
    }.
store-inconsistent = { $count ->
        [one] { $count } record disagrees with its change history.
       *[other] { $count } records disagree with their change history.
    } Run “kiosk store rebuild” and contact support.
store-rebuilt = Rebuilt { $records ->
        [one] { $records } record
       *[other] { $records } records
    } from { $events ->
        [one] { $events } change
       *[other] { $events } changes
    }.

demo-store-not-empty = The store already holds records. Use --force to add the demo office anyway (the demo staff then get new passwords, shown once), or another --data-dir.
demo-provisioned = Demo office ready: { $records ->
        [one] { $records } record
       *[other] { $records } records
    } in { $dir }.
demo-credentials-header = Sign-in credentials (shown once; write them down): user name, password, role, and the one-time code address to scan or enter in the authenticator app:

role-clerk = clerk
role-supervisor = supervisor

service-new_issuance = New certificate
service-renewal = Renewal
service-change = Change of details
service-replacement = Replacement
service-pin_unlock = PIN unlock
service-revocation = Revocation
service-redispatch = Redispatch by post

application-state-draft = Draft
application-state-under_review = Documents under review
application-state-awaiting_approval = Awaiting supervisor approval
application-state-awaiting_payment = Awaiting payment
application-state-awaiting_fulfilment = Awaiting installation or dispatch
application-state-completed = Completed
application-state-rejected = Rejected
application-state-cancelled = Cancelled

# Steps of an application, as noun phrases: transition-not-allowed quotes them.
application-action-submit = submission for review
application-action-return_for_correction = return for correction
application-action-require_revetting = sending back for re-vetting
application-action-pass_vetting = passing review
application-action-approve = supervisor approval
application-action-record_payment = recording the payment
application-action-complete = completion
application-action-reject = rejection
application-action-cancel = cancellation

message-consent = I agree to and accept the personal data collection agreement and statement
message-agreement = I agree to and accept the applicant / subscriber agreement and statement
message-renewal-submitted = The certificate renewal application has been confirmed and submitted.
message-activated = Activated successfully.
message-unsupported-document = Unsupported identity document type.
message-document-data-differs = Invalid identity document personal data.
message-photo-rejected = The photo did not meet the requirements. Please retake it.
message-revoke-first = The original certificate must be revoked first.

error-store = The local database could not be used: { $detail }. Nothing was half-written; try again, and if it persists run "kiosk store verify" and call support.
error-store-newer = This data directory was written by a newer version of the kiosk ({ $detail }). Update this kiosk; the data was not touched.
error-invalid-record = The record was not saved because: { $detail }
error-data-dir = The data directory { $dir } cannot be used ({ $detail }). Check that it exists and can be written, or choose another with --data-dir.
