# Validation messages for identity numbers (registry::ids), machine readable zones
# (registry::mrz) and passwords and PINs (registry::credentials).

## Identity numbers

id-error-empty = The identity number is empty. Enter the number exactly as printed on the document.
id-error-wrong-length = The identity number has { $found ->
        [one] { $found } character
       *[other] { $found } characters
    } but must have { $expected }. Check for missing or extra characters.
id-error-invalid-character = Character “{ $character }” at position { $position } is not allowed there. Check for mistyped characters, such as the letter O instead of the digit 0.
id-error-bad-region = The first two digits ({ $code }) are not a Mainland province code. Check the beginning of the number against the card.
id-error-bad-birth-date = Digits 7 to 14 ({ $digits }) are not a real date of birth. Check the birth-date part of the number against the card.
id-error-birth-date-in-future = Digits 7 to 14 ({ $digits }) give a date of birth in the future. Check the birth-date part of the number against the card.
id-error-bad-check-character = The last character is “{ $found }” but the rest of the number requires “{ $expected }”. A character was probably mistyped: compare the whole number with the document.
id-error-bad-prefix = A Macau Resident Identity Card number starts with 1, 5 or 7, not “{ $found }”. Check the first digit, and that the document is a Macau Resident Identity Card.
id-error-bad-hk-format = A Hong Kong Identity Card number is one or two letters, six digits and a check digit (0–9 or A), for example A123456(3). Check for missing or extra characters.
id-error-bad-mo-format = A Macau Resident Identity Card number is seven digits and a check digit, for example 1234567(8). Check for missing or extra digits.

## Machine readable zones

mrz-error-empty = No machine readable zone was read. Scan the document again or type the lines of the zone.
mrz-error-invalid-character = Character “{ $character }” (line { $line }, position { $position }) cannot appear in a machine readable zone, which uses only A–Z, 0–9 and <. Check for misread or mistyped characters.
mrz-error-wrong-line-count = A machine readable zone has 2 or 3 lines, but { $found ->
        [one] only { $found } was read
       *[other] { $found } were read
    }. Check that the whole zone, and nothing else, was scanned.
mrz-error-wrong-length = A machine readable zone typed on one line has 90, 72 or 88 characters, but this one has { $found }. Check for missing or extra characters.
mrz-error-wrong-line-lengths = The lines have { $lengths } characters, but a machine readable zone has 3 lines of 30, or 2 lines of 36 or of 44. Check for missing or extra characters.

## Passwords and PINs

password-too-short = The password is too short: use at least 8 characters.
password-too-long = The password is too long: use at most 16 characters.
password-needs-letter = The password needs at least one English letter (a–z, upper or lower case).
password-needs-non-letter = The password needs at least one character that is not a letter: a digit or a symbol.
password-needs-three-classes = The password needs at least three of: uppercase letters, lowercase letters, digits, symbols.
pin-wrong-length = The PIN must be exactly 6 digits.
pin-not-digits = The PIN may contain only the digits 0–9.

# A warning beside a valid number, never a refusal.
id-warning-implausible-age = Digits 7 to 14 ({ $digits }) give an age of { $age }. The number is valid, but check the birth-date part against the card.
