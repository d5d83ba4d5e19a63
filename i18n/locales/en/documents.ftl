# Passports and ID cards read over PC/SC (kiosk doc read, kiosk devices).

doc-error-no-reader = No card reader is connected. Check the reader's cable, or choose another reader.
doc-error-no-card = No card is on the reader. Place the passport's photo page (or the ID card) on the reader.
doc-error-reader = The card reader failed ({ $detail }). Unplug it, plug it in again and retry.
doc-error-no-service = The smart-card service (pcscd) is not running, so no card reader can be used, whatever is plugged in. Start it (as root: systemctl start pcscd, or pcscd where there is no systemd) and try again; the reader need not be unplugged.
doc-error-not-emrtd = This card is not an electronic passport or ID card. Read the MRZ with the document scanner instead.
doc-error-access-denied = Access denied — check the MRZ. The chip opens only with the document number, birth date and expiry date exactly as printed.
doc-error-pace-only = This chip only offers PACE, which the kiosk does not support yet. Use the printed MRZ and check the document by eye.
doc-error-mrz-incomplete = The MRZ has no valid birth or expiry date, so the chip cannot be opened. Check the MRZ.
doc-error-secure-messaging = The secure connection to the chip broke ({ $detail }). Keep the document still on the reader and retry.
doc-error-card = The chip refused { $step } (status { $status }). Retry; if it persists, read the MRZ only.
doc-error-malformed = The chip's data could not be read ({ $detail }). The document may be damaged.
doc-error-not-an-mrz = This is not an MRZ ({ $detail }). Type the two or three lines exactly as printed.
pa-check-data-group-hashes = Data on the chip unchanged since issue
pa-check-sod-signature = Chip data signed by the document signer
pa-check-document-signer = Document signer certified by the issuing country
pa-check-csca-trusted = Issuing country's certificate is in the trust store
pa-passed = passed
pa-failed = FAILED
doc-read-summary = Read from { $reader } in { $apdus ->
        [one] { $apdus } command
       *[other] { $apdus } commands
    }. Passive authentication: { $result }.
doc-photo-written = The chip photo was written to { $file }.
devices-readers = Card readers
devices-cameras = Cameras
devices-tokens = Tokens
devices-printers = Printers
devices-none = none found
devices-card-present = card present
devices-no-card = no card
devices-unavailable = unavailable: { $detail }
devices-printers-not-configured = no office printer is set: add printer = "ipp://…" to kiosk.toml, or name one with --printer when printing
devices-printer-idle = ready
devices-printer-processing = printing
devices-printer-stopped = stopped
devices-printer-not-accepting = refusing new jobs
devices-spool = Print queue — waiting: { $waiting }, being sent or held by the printer: { $sending }, failed (a person must look): { $failed }, printed: { $printed }
devices-spool-oldest = the oldest job not yet printed was queued at { $at }
devices-spool-unavailable = the print queue cannot be read: { $detail }
devices-tokens-no-module = set token_module in kiosk.toml or pass --module to list tokens
photo-chip = Photo on the chip
photo-captured = Photo taken at the counter
photo-no-graphics = This terminal cannot draw photos: a rough preview is shown. Compare the face with the document itself.
photo-missing = No photo yet. Take one, or load a photo file.
photo-unreadable = This photo cannot be shown ({ $detail }).
doc-error-trust-store = The trusted CSCA certificates in { $dir } could not be read: { $detail }. Passive authentication needs them; fix or remove the file, and tell support.
printer-reason-media-empty = paper tray empty
printer-reason-media-needed = paper needed
printer-reason-media-jam = paper jam
printer-reason-door-open = door open
printer-reason-cover-open = cover open
printer-reason-toner-low = toner low
printer-reason-toner-empty = toner empty
printer-reason-marker-supply-low = ink or toner low
printer-reason-marker-supply-empty = ink or toner empty
printer-reason-paused = paused
printer-reason-offline = offline
printer-reason-shutdown = shut down
