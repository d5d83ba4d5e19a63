# Mainland resident ID card readers on USB-serial (card_readers::cn_id).

cn-reader-error-open = The ID card reader at { $path } could not be opened ({ $detail }). Check that the reader is plugged in and that the kiosk is configured with the right port.
cn-reader-error-timeout = The ID card reader does not answer. Check the reader's cable and that its light is on, then try again.
cn-reader-error-bad-checksum = The ID card reader's answer was damaged on the way. Check the reader's cable, then try again.
cn-reader-error-malformed = The device on the ID card reader's port sends something that is not a reader's answer ({ $detail }). Check that the configured port is the ID card reader's, and check its cable.
cn-reader-error-no-card = There is no ID card on the reader. Place the ID card flat on the reader and leave it there until it has been read.
cn-reader-error-read-failed = The ID card could not be read (reader code { $code }). Take the card off, place it flat on the reader again and keep it still.
cn-reader-error-reader-status = The ID card reader reported an error (code { $code }). Unplug the reader and plug it in again; if the error stays, the reader needs service.
cn-reader-error-disconnected = The connection to the ID card reader was lost ({ $detail }). Check the reader's cable, then try again.
cn-reader-error-card-data = Some of the data on the ID card could not be understood. Try again; if it still fails, check the card by eye and enter its details by hand.
cn-reader-error-invalid-id-number = The ID number stored in this card's chip is not valid. Check the card and its holder carefully: the card may be damaged or not genuine.
