# 身份证明文件号码（registry::ids）、机读区（registry::mrz）及密码与 PIN 码（registry::credentials）的校验信息。

## 身份证明文件号码

id-error-empty = 未输入身份证明文件号码。请按证件上的号码如实输入。
id-error-wrong-length = 号码有 { $found } 个字符，但应为 { $expected } 个。请检查是否漏输或多输字符。
id-error-invalid-character = 第 { $position } 位的字符“{ $character }”不能出现在该位置。请检查是否输错字符，例如把数字 0 输成字母 O。
id-error-bad-region = 前两位数字（{ $code }）不是内地省级行政区划代码。请与证件核对号码开头。
id-error-bad-birth-date = 第 7 至 14 位（{ $digits }）不是有效的出生日期。请与证件核对号码中的出生日期部分。
id-error-birth-date-in-future = 第 7 至 14 位（{ $digits }）表示的出生日期晚于今天。请与证件核对号码中的出生日期部分。
id-error-bad-check-character = 最后一位是“{ $found }”，但按其余号码计算应为“{ $expected }”。可能有字符输错，请与证件逐位核对整个号码。
id-error-bad-prefix = 澳门居民身份证号码以 1、5 或 7 开头，而不是“{ $found }”。请检查第一位数字，并确认证件是澳门居民身份证。
id-error-bad-hk-format = 香港身份证号码由一或两个英文字母、六位数字及一位校验码（0–9 或 A）组成，例如 A123456(3)。请检查是否漏输或多输字符。
id-error-bad-mo-format = 澳门居民身份证号码由七位数字及一位校验码组成，例如 1234567(8)。请检查是否漏输或多输数字。

## 机读区

mrz-error-empty = 未读取到机读区。请重新扫描证件，或输入机读区的各行。
mrz-error-invalid-character = 第 { $line } 行第 { $position } 位的字符“{ $character }”不能出现在机读区中（只能使用 A–Z、0–9 和 <）。请检查是否误读或输错字符。
mrz-error-wrong-line-count = 机读区应有 2 或 3 行，但读取到 { $found } 行。请确认已扫描整个机读区，且没有扫描其他内容。
mrz-error-wrong-length = 以单行输入的机读区应有 90、72 或 88 个字符，但现有 { $found } 个。请检查是否漏输或多输字符。
mrz-error-wrong-line-lengths = 各行分别有 { $lengths } 个字符，但机读区应为 3 行各 30 个字符，或 2 行各 36 或 44 个字符。请检查是否漏输或多输字符。

## 密码及 PIN 码

password-too-short = 密码太短：至少需要 8 个字符。
password-too-long = 密码太长：最多只能有 16 个字符。
password-needs-letter = 密码必须包含至少一个英文字母（a–z，大小写均可）。
password-needs-non-letter = 密码必须包含至少一个非字母字符（数字或特殊字符）。
password-needs-three-classes = 密码必须包含以下至少三类：大写字母、小写字母、数字、符号。
pin-wrong-length = PIN 码必须正好是 6 位数字。
pin-not-digits = PIN 码只能包含数字 0–9。

# A warning beside a valid number, never a refusal.
id-warning-implausible-age = 第 7 至 14 位（{ $digits }）表示持证人现年 { $age } 岁。号码有效，但请与证件核对号码中的出生日期部分。
