# 内地居民身份证阅读器（USB 串口，card_readers::cn_id）。

cn-reader-error-open = 无法打开位于 { $path } 的身份证阅读器（{ $detail }）。请检查阅读器是否已连接，以及系统配置的端口是否正确。
cn-reader-error-timeout = 身份证阅读器没有响应。请检查阅读器的数据线及指示灯是否亮起，然后重试。
cn-reader-error-bad-checksum = 身份证阅读器返回的数据在传输中损坏。请检查阅读器的数据线，然后重试。
cn-reader-error-malformed = 身份证阅读器端口上的设备返回了无法识别的数据（{ $detail }）。请确认配置的端口确实是身份证阅读器，并检查其数据线。
cn-reader-error-no-card = 阅读器上没有身份证。请将身份证平放在阅读器上，读取完成前不要移开。
cn-reader-error-read-failed = 未能读取身份证（阅读器代码 { $code }）。请取下证件，重新平放在阅读器上，并保持不动。
cn-reader-error-reader-status = 身份证阅读器报告错误（代码 { $code }）。请拔下阅读器后重新连接；如错误仍然存在，阅读器需要维修。
cn-reader-error-disconnected = 与身份证阅读器的连接已中断（{ $detail }）。请检查阅读器的数据线，然后重试。
cn-reader-error-card-data = 身份证上的部分信息无法识别。请重试；如仍无法读取，请目视核对证件，并手工录入信息。
cn-reader-error-invalid-id-number = 此证件芯片中的身份证号码无效。请仔细核对证件和持证人：证件可能已损坏或并非真证。
