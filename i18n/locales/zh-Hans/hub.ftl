# registry-hub：中央登记的同步中枢（操作人员的命令行）。
hub-failed = registry-hub：{ $why }
hub-listening = 同步中枢正在 { $address } 监听。
hub-enrolled = 网点 { $office } 的柜台机 { $kiosk } 已登记：其凭证在 { $path }（请妥善保密，只交给该柜台机）。
hub-journals-saved = 已将 { $count } 份文件保存于 { $path }。
hub-audit-good = 所有事件链完整：已核对 { $count } 个事件。
hub-audit-broken = 事件链断裂：柜台机 { $kiosk }，第 { $seq } 个事件（{ $event }）：{ $why }
