# registry-hub：中央登记的同步中枢（操作人员的命令行）。
hub-failed = registry-hub：{ $why }
hub-listening = 同步中枢正在 { $address } 监听。
hub-enrolled = 网点 { $office } 的柜台机 { $kiosk } 已登记：其凭证在 { $path }（请妥善保密，只交给该柜台机）。
hub-journals-saved = 已将 { $count } 份文件保存于 { $path }。
hub-audit-good = 所有事件链完整：已核对 { $count } 个事件。
hub-audit-broken = 事件链断裂：柜台机 { $kiosk }，第 { $seq } 个事件（{ $event }）：{ $why }
hub-conflicts-none = 没有冲突：没有两项记录共用同一身份证明文件或同一 USB Key 序号。
hub-conflict = { $what } { $key }：{ $records }
hub-conflict-id_number = 同一身份证明文件属于多名人士：
hub-conflict-token_serial = 同一 USB Key 序号属于多个 USB Key：
