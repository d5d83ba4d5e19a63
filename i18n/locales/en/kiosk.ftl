app-title = Registry counter
home-title = Home
home-placeholder = The counter screens (visits, identity, forms, issuance) are on their way. This screen shows the office at a glance.
home-renewals-due = Certificates due for renewal in the next 30 days: { $count }
home-appointments-today = Appointments today: { $count }
home-store = Local store: { $records } records, { $events } changes · kiosk { $kiosk }
key-quit = quit
key-language = language

error-config = The configuration could not be read: { $detail }. Fix the file or remove it to use the defaults.
error-failed = The kiosk could not finish: { $detail }
error-not-a-terminal = The kiosk's screen needs a terminal. Run it in a terminal window, or use a subcommand (kiosk --help).

id-kind-cn-resident = Mainland resident ID
id-kind-uscc = Unified Social Credit Code
id-kind-hk = Hong Kong ID
id-kind-mo = Macau resident ID
id-check-invalid = Not a valid { $kind }: { $reason }

mrz-not-an-mrz = This is not a machine readable zone: { $detail }
mrz-input-too-long = the input is far longer than any MRZ
mrz-input-not-text = the input is not text
mrz-check-failed = The MRZ was read but its check digits do not match: { $fields }. Scan it again or check the document.

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

store-verified = The store is sound: { $records } records agree with their { $events } changes.
store-inconsistent = { $count } records disagree with their change history. Run "kiosk store rebuild" and tell support.
store-rebuilt = Rebuilt { $records } records from { $events } changes.

demo-store-not-empty = The store already holds records. Use --force to add the demo office anyway, or another --data-dir.
demo-provisioned = Demo office ready: { $records } records in { $dir }.
demo-credentials-header = Sign-in credentials (shown once; write them down):

role-clerk = clerk
role-supervisor = supervisor

service-new_issuance = New certificate
service-renewal = Renewal
service-change = Change of details
service-replacement = Replacement
service-pin_unlock = PIN unlock
service-revocation = Revocation
service-redispatch = Redispatch

application-state-draft = Draft
application-state-under_review = Documents under review
application-state-awaiting_approval = Awaiting supervisor approval
application-state-awaiting_payment = Awaiting payment
application-state-awaiting_fulfilment = Awaiting installation or dispatch
application-state-completed = Completed
application-state-rejected = Rejected
application-state-cancelled = Cancelled

message-consent = I agree to and accept the personal data collection agreement and statement
message-agreement = I agree to and accept the applicant / subscriber agreement and statement
message-renewal-submitted = The certificate renewal application has been confirmed and submitted.
message-activated = Activated successfully.
message-unsupported-document = Unsupported identity document type.
message-document-data-differs = Invalid identity document personal data.
message-photo-rejected = The photo did not meet the requirements. Please retake it.
message-revoke-first = The original certificate must be revoked first.
