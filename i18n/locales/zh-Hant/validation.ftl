# 身份證明文件號碼（registry::ids）、機讀區（registry::mrz）及密碼與 PIN 碼（registry::credentials）的檢核訊息。

## 身份證明文件號碼

id-error-empty = 未輸入身份證明文件號碼。請按證件上的號碼照樣輸入。
id-error-wrong-length = 號碼有 { $found } 個字元，但應為 { $expected } 個。請檢查是否漏打或多打字元。
id-error-invalid-character = 第 { $position } 位的字元「{ $character }」不可出現在該位置。請檢查有否打錯字元，例如把數字 0 打成字母 O。
id-error-bad-region = 首兩位數字（{ $code }）不是內地省級行政區代碼。請與證件核對號碼開頭。
id-error-bad-birth-date = 第 7 至 14 位（{ $digits }）不是有效的出生日期。請與證件核對號碼中的出生日期部分。
id-error-birth-date-in-future = 第 7 至 14 位（{ $digits }）表示的出生日期在今日之後。請與證件核對號碼中的出生日期部分。
id-error-bad-check-character = 最後一位是「{ $found }」，但按其餘號碼計算應為「{ $expected }」。可能有字元打錯，請與證件逐位核對整個號碼。
id-error-bad-prefix = 澳門居民身份證號碼以 1、5 或 7 開頭，而非「{ $found }」。請檢查第一位數字，並確認證件是澳門居民身份證。
id-error-bad-hk-format = 香港身份證號碼由一或兩個英文字母、六位數字及一位檢查碼（0–9 或 A）組成，例如 A123456(3)。請檢查是否漏打或多打字元。
id-error-bad-mo-format = 澳門居民身份證號碼由七位數字及一位檢查碼組成，例如 1234567(8)。請檢查是否漏打或多打數字。

## 機讀區

mrz-error-empty = 未讀取到機讀區。請重新掃描證件，或輸入機讀區的各行。
mrz-error-invalid-character = 第 { $line } 行第 { $position } 位的字元「{ $character }」不可出現在機讀區內（只可使用 A–Z、0–9 及 <）。請檢查有否誤讀或打錯字元。
mrz-error-wrong-line-count = 機讀區應有 2 或 3 行，但讀取到 { $found } 行。請確認已掃描整個機讀區，且沒有掃描其他內容。
mrz-error-wrong-length = 以單行輸入的機讀區應有 90、72 或 88 個字元，但現有 { $found } 個。請檢查是否漏打或多打字元。
mrz-error-wrong-line-lengths = 各行分別有 { $lengths } 個字元，但機讀區應為 3 行各 30 個字元，或 2 行各 36 或 44 個字元。請檢查是否漏打或多打字元。

## 密碼及 PIN 碼

password-too-short = 密碼太短：最少須有 8 個字元。
password-too-long = 密碼太長：最多只可有 16 個字元。
password-needs-letter = 密碼須包含最少一個英文字母（a–z，大小寫均可）。
password-needs-non-letter = 密碼須包含最少一個非字母的字元（數字或特殊字元）。
password-needs-three-classes = 密碼須包含以下最少三類：大寫字母、小寫字母、數字、符號。
pin-wrong-length = PIN 碼必須剛好是 6 位數字。
pin-not-digits = PIN 碼只可包含數字 0–9。

# A warning beside a valid number, never a refusal.
id-warning-implausible-age = 第 7 至 14 位（{ $digits }）表示持證人現年 { $age } 歲。號碼有效，但請與證件核對號碼中的出生日期部分。
