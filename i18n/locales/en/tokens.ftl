# Tokens, the office CA and issuance (kiosk token …, kiosk ca …).

token-error-module = The token software { $path } could not be loaded ({ $detail }). Check the path of the PKCS#11 module, or that the token vendor's software is installed.
token-error-no-token = No token labelled "{ $label }" is plugged in. Plug the token in, or check its label with "kiosk token list".
token-error-label-too-long = The token label "{ $label }" is not usable: a label has 1 to 32 bytes (about 10 Chinese characters).
token-error-wrong-pin = Wrong PIN. { $tries ->
        [one] { $tries } try
       *[other] { $tries } tries
    } left before the token is locked.
token-error-locked = The token is locked after too many wrong PINs. Check the holder's identity, then unlock it with the SO PIN.
token-error-wrong-so-pin = Wrong SO PIN. The token was not unlocked.
token-error-wrong-ca-pin = Wrong PIN for the CA's token. Nothing was signed.
token-error-wrong-stock-pin = The office's stock PIN (KIOSK_STOCK_PIN) does not open this blank token. Nothing was issued and nothing was counted against the token; check the counter's KIOSK_STOCK_PIN against the PIN the stock was initialised with.
token-error-lost = This token was reported lost. It is never unlocked or reissued: issue a replacement on a new token.
token-error-not-usable = This token is recorded as { $status } and cannot be used. Take a new token from stock.
token-error-pin-rules = The new PIN is not acceptable: { $detail }
token-error-no-certificate = No certificate issued by this office is on the token.
token-error-no-key = The certificate's private key is not on the token.
token-error-verification = A check of the token or the certificate failed ({ $detail }). Try again; if it fails again, call support.
token-error-pkcs11 = The token refused the operation ({ $detail }). Unplug it, plug it in again and retry.
token-error-certificate = The certificate could not be made ({ $detail }).
token-error-subject = The subject name is not valid: { $detail }
token-error-unknown-profile = There is no certificate type "{ $profile }". Use qualified-person, standard-person, encryption-person, qualified-organisation, standard-organisation, encryption-organisation, person-in-organisation or legal-representative.
token-error-soft-not-allowed = A { $profile } certificate must be issued onto a USB token; its key may not be kept in a file.
token-error-key-type = The key type { $key } cannot be used here.
token-error-ca-not-configured = This kiosk has no office CA yet. Run "kiosk ca init" (demo or test office) or "kiosk ca import" (with the certificate from the central CA).
token-error-ca-exists = This kiosk already has an office CA. Nothing was changed.
token-error-ca-key-mismatch = No key on the CA's token matches the office CA certificate. Check the token and the certificate file.
token-error-certificate-not-found = No certificate with serial { $serial } is known here.

token-list-none = No token is plugged in.
token-list-label = Label
token-list-serial = Serial
token-list-model = Model
token-list-status = Status
token-status-blank = blank
token-status-issued = issued
token-status-lost = lost
token-status-damaged = damaged
token-status-retired = retired
token-status-new = not yet in the inventory
token-status-uninitialised = not initialised (run "kiosk token init")
token-status-locked = locked (wrong PINs)

revocation-reason-unspecified = unspecified
revocation-reason-key-compromise = key compromise
revocation-reason-affiliation-changed = affiliation changed
revocation-reason-superseded = superseded
revocation-reason-cessation-of-operation = cessation of operation

ca-pin-prompt = PIN of the CA's token:
ca-pin-needed = The PIN of the CA's token is needed: set KIOSK_CA_PIN, or run the command in a terminal to be asked for it.
ca-init-done = The office CA "{ $subject }" is ready. Its certificate chain was written to { $file }.
ca-import-done = The office CA "{ $subject }" was imported; its key is on the token "{ $label }".
ca-request-done = The office CA's certificate request was written to { $file }. Send it to the central CA, then run "kiosk ca import" with the certificate it returns.
ca-crl-done = The revocation list was written to { $file } ({ $count ->
        [one] { $count } revoked certificate
       *[other] { $count } revoked certificates
    }).
token-unlocked = The token is unlocked and the new PIN works. Give the token back to its holder.
token-pin-changed = The PIN was changed.
token-revoked = Certificate { $serial } is revoked ({ $reason }).
token-reported = Token { $serial } is now recorded as { $status }.
token-initialised = Token "{ $label }" is ready (serial { $serial }).
token-pkcs12-written = The certificate and its key were written to { $file }, protected by the password. Give the file to its holder.
token-error-pin-tries = pin_tries is { $found }, but a token must allow at least { $min } wrong PINs before it locks, or one typo would lock its holder out. Set pin_tries to { $min } or more in kiosk.toml (or KIOSK_PIN_TRIES).
token-error-not-delivered = Certificate { $serial } could not be delivered to its holder ({ $detail }). It was revoked and is not in force; issue again.
token-error-revocation-pending = The issuance failed ({ $detail }), and certificate { $serial } is not yet revoked: the store could not record the revocation ({ $reason }). The certificate is on hold, not in force, and is revoked the next time a token command can write to the store. Check the disk and the data directory, then run "kiosk token list".
token-interrupted-revoked = Certificate { $serial } never reached its holder (its issuance was interrupted) and is now revoked.
token-interrupted-pending = Certificate { $serial } never reached its holder and is not yet revoked: { $detail }

## Subject names: what a CA may sign (RFC 5280's bounds, no control or invisible characters).

subject-error-syntax = "{ $part }" is not of the form ATTRIBUTE=value (for example CN=Chan Tai Man).
subject-error-unknown-attribute = The attribute { $name } is not used in subject names. Use CN, OU, O, L, ST, C or serialNumber.
subject-error-twice = { $attribute } appears twice. A subject name holds each attribute once.
subject-error-empty = { $attribute } is empty.
subject-error-cn-required = CN, the holder's name, is required.
subject-error-too-long = { $attribute } has { $length } characters, but a certificate allows at most { $max } (RFC 5280). Shorten it, or use the short form the registry holds.
subject-error-control = { $attribute } holds the control character { $character } (character { $position }). Line breaks, tabs and other control characters cannot be part of a name in a certificate: type it again.
subject-error-invisible = { $attribute } holds the invisible character { $character } (character { $position }). Zero-width and text-direction characters make a name display as something it is not, so a certificate cannot hold them: type it again.
subject-error-bad-escape = "{ $escape }" in { $attribute } is not a valid escape. After a backslash write two hexadecimal digits, or one of , + " \ < > ; = # / or a space.
subject-error-not-utf8 = The hexadecimal escapes in { $attribute } do not spell UTF-8 text.
subject-error-country = C must be two capital letters (MO, CN), not "{ $value }".
subject-error-not-printable = { $attribute } may hold only the letters A–Z and a–z, digits, spaces and ' ( ) + , - . / : = ?, not { $character } (character { $position }).
subject-error-organisation-required = A { $profile } certificate needs O, the organisation's name.
subject-error-country-required = A { $profile } certificate needs C, the country (MO or CN).
subject-error-unreadable = An attribute of the certificate's subject cannot be read ({ $detail }).
