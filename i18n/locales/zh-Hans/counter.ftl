# 柜台排队：凭预约凭证二维码登记到达、现场排队号（kiosk：counter、counter_cmd）。

counter-checkin-unknown = 此凭证真实有效，但本柜台的记录中没有该预约（可能尚未从注册机构同步）。请按预约编号查找预约，或按现场排队办理。
counter-checkin-already = 预约 { $reference }（{ $slot }）已登记到达，请勿重复登记；请在排队名单中查找办理人。
counter-checkin-served = 预约 { $reference }（{ $slot }）已办理完毕。再次办理须重新预约或现场取号。
counter-checkin-cancelled = 预约 { $reference }（{ $slot }）已取消。请按现场排队办理，或重新预约。
counter-checkin-mismatch = 此凭证与预约 { $reference }（{ $slot }）的现有记录不符：凭证发出后预约已被更改或重新预约。请与办理人核对预约，并按预约编号查找预约。
counter-appointment-not-found = 数据库中没有此编号的预约。
counter-pass-too-long-for-qr = 此预约凭证过长，无法显示为二维码。请缩短预约编号。
counter-walk-in-no-printer = 未配置打印机：请向办理人出示排队号码 { $number }（前面还有 { $count } 人等候）。
