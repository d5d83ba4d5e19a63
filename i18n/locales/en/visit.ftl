# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = Cloud-sign certificates are activated online only; they are not handled at the counter.

# The identity check (seed 000's two messages, and a chip that fails its signatures).
visit-identity-unsupported-document = Unsupported identity document type.
visit-identity-invalid-data = Invalid identity document personal data.
visit-identity-chip-not-authentic = The document's chip failed its signature check: it may be forged. Do not accept it without a supervisor.
visit-field-document-number = document number
visit-field-name = name
visit-field-birth-date = date of birth
visit-field-expiry = the document has expired

# The re-check before activation (seed 000, step 6).
visit-recheck-no-longer-due = Certificate { $serial } is no longer due for renewal (revoked, expired or renewed meanwhile).
visit-recheck-revetting-required = The identity data changed since vetting: the application goes back to vetting, from the identity check. What was paid stays paid.
visit-recheck-revoke-first = The certificate data changed while certificate { $serial } is still valid: it must be revoked first.
visit-recheck-no-form = The application form has not been printed yet.

# Passwords and the revocation phrase (seed 000, activation).
visit-password-length = at least 8 characters
visit-password-letter = at least one letter (a–z, either case)
visit-password-non-letter = at least one character that is not a letter (a digit or a symbol)
visit-phrase-too-short = The revocation phrase needs at least 4 characters.
visit-phrase-same-as-pin = The revocation phrase must not be the PIN.
