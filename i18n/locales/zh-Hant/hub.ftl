# registry-hub：中央登記的同步中樞（操作人員的命令列）。
hub-failed = registry-hub：{ $why }
hub-listening = 同步中樞正在 { $address } 監聽。
hub-enrolled = 辦事處 { $office } 的櫃檯機 { $kiosk } 已登記：其憑證在 { $path }（請妥善保密，只交給該櫃檯機）。
hub-journals-saved = 已將 { $count } 份文件存於 { $path }。
hub-audit-good = 所有事件鏈完整：已核對 { $count } 個事件。
hub-audit-broken = 事件鏈斷裂：櫃檯機 { $kiosk }，第 { $seq } 個事件（{ $event }）：{ $why }
hub-conflicts-none = 沒有衝突：沒有兩項記錄共用同一身份證明文件或同一數字證書盤序號。
hub-conflict = { $what } { $key }：{ $records }
hub-conflict-id_number = 同一身份證明文件屬於多名人士：
hub-conflict-token_serial = 同一數字證書盤序號屬於多個數字證書盤：
