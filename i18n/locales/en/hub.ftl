# registry-hub, the central registry's replication hub (operators' command line).
hub-failed = registry-hub: { $why }
hub-listening = The hub is listening on { $address }.
hub-enrolled = Kiosk { $kiosk } of office { $office } is enrolled: its credentials are in { $path } (keep the file secret; it goes to that kiosk only).
hub-journals-saved = { $count ->
    [one] 1 document saved
   *[other] { $count } documents saved
} in { $path }.
hub-audit-good = Every chain is whole: { $count ->
    [one] 1 event checked
   *[other] { $count } events checked
}.
hub-audit-broken = Broken chain: kiosk { $kiosk }, event number { $seq } ({ $event }): { $why }
hub-conflicts-none = No conflicts: no two records share an identity document or a token serial.
hub-conflict = { $what } { $key }: { $records }
hub-conflict-id_number = One identity document on several persons:
hub-conflict-token_serial = One token serial on several tokens:
