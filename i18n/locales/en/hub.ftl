# registry-hub, the central registry's replication hub (operators' command line).
hub-failed = registry-hub: { $why }
hub-listening = The hub is listening on { $address }.
hub-enrolled = Kiosk { $kiosk } of office { $office } is enrolled: its credentials are in { $path } (keep the file secret; it goes to that kiosk only).
hub-journals-saved = { $count } documents saved in { $path }.
hub-audit-good = Every chain is whole: { $count } events checked.
hub-audit-broken = Broken chain: kiosk { $kiosk }, event number { $seq } ({ $event }): { $why }
