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
token-error-lost = This token was reported lost. It is never unlocked or reissued: issue a replacement on a new token.
token-error-not-usable = This token is recorded as { $status } and cannot be used. Take a new token from stock.
token-error-pin-rules = The new PIN is not acceptable: { $detail }
token-error-no-certificate = No certificate issued by this office is on the token.
token-error-no-key = The certificate's private key is not on the token.
token-error-verification = The issued certificate did not pass its check ({ $detail }). It was revoked; issue again.
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
