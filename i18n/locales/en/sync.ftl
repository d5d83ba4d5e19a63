# Replication with the central registry's hub: kiosk join, kiosk sync, kiosk audit verify (kiosk: sync_cmd, sync::net).
sync-local-failed = This kiosk's replication data could not be read or written: { $detail }
sync-join-credentials = The credentials in { $path } cannot be used: { $detail }
sync-join-config-kiosk-id = kiosk.toml names this kiosk { $configured }, but the credentials are for kiosk { $kiosk }. Remove kiosk_id from kiosk.toml (the credentials name the kiosk now) and join again.
sync-join-bad-url = { $url } is not a hub address: give it as wss://HOST:PORT.
sync-join-already = This kiosk already joined office { $office } as kiosk { $kiosk }. A kiosk joins one office; use a new data directory for another.
sync-join-store-in-use = This data directory already holds { $count ->
    [one] 1 event
   *[other] { $count } events
} written as kiosk { $kiosk }, before joining. Join with an empty data directory, then bring the records in with kiosk import.
sync-joined = Joined office { $office } as kiosk { $kiosk }; the hub is { $hub }. Every record made from now on belongs to that office. Run kiosk sync --once to sync now.
sync-not-joined = This kiosk has not joined a hub: run kiosk join --hub wss://HOST:PORT --credentials FILE.
sync-unreachable = The hub cannot be reached ({ $detail }). Nothing is lost: this kiosk keeps working and syncs when the hub is back.
sync-untrusted = The hub and this kiosk do not trust each other's certificates ({ $detail }). Syncing will not work until this is put right: the credentials are not from this hub's infrastructure CA, or the hub's address is another hub's. Enrol the kiosk with this hub (registry-hub enroll) and join with the new credentials.
sync-refused = The hub refused the sync: { $reason } ({ $code }: { $detail })
sync-refused-wrong-identity = this kiosk's name does not match its certificate
sync-refused-wrong-office = the document belongs to another office
sync-refused-central-read-only = only the central registry writes its journal
sync-refused-not-your-event = an event names another kiosk than the one sending it
sync-refused-bad-signature = an event's signature does not match this kiosk's key
sync-refused-out-of-chain = an event is out of this kiosk's chain (missing or re-ordered)
sync-refused-rewrites-event = an event the hub already holds was changed
sync-refused-removes-event = an event was deleted from a journal
sync-refused-bad-entry = an event in a journal cannot be read
sync-refused-bad-event = an event every counter would refuse (a field it may not set, an id or clock not in its written form)
sync-refused-clock-ahead = an event is dated more than a day ahead of the hub's clock: check this kiosk's date and time
sync-refused-bad-document = a journal or manifest is not in the expected form
sync-refused-busy = another hub process was writing this kiosk's events; it will work on the next try
sync-refused-hub-failed = the hub's database failed
sync-refused-malformed = a message was garbled on the way
sync-refused-protocol = the hub speaks another version of the protocol
sync-refused-rounds = the sync did not settle
sync-refused-too-large = a message was too large
sync-refused-unavailable = the hub could not keep what was sent
sync-refused-other = the hub gave a reason this kiosk does not know
sync-refused-hub = This kiosk refused what the hub sent ({ $code }: { $detail }).
sync-done = Synced with the hub: { $up } of this kiosk's events sent, { $applied } new from other counters ({ $sent } bytes up, { $received } bytes down).
sync-unknown-kept = { $count ->
    [one] 1 event of a kind this kiosk's version does not know was
   *[other] { $count } events of a kind this kiosk's version does not know were
} kept and passed on.
sync-entries-refused = { $count ->
    [one] 1 event from the hub could
   *[other] { $count } events from the hub could
} not be applied here (see the log).
sync-status-never = never
sync-status-identity = Office { $office }, kiosk { $kiosk }, hub { $hub }
sync-status-online = Online: the last sync went through.
sync-status-offline = Offline: the last sync did not go through.
sync-status-never-synced = Not synced yet.
sync-status-waiting = Events waiting to go up: { $count }
sync-status-last-ok = Last good sync: { $when }
sync-status-conflicts = Conflicts waiting for a supervisor: { $count } (kiosk sync --check-conflicts lists them)
sync-conflicts-none = No conflicts: no two persons hold one identity document, and no two token records one serial.
sync-conflicts-found = { $count ->
        [one] { $count } conflict waits for a supervisor (also on the supervisors' queue):
       *[other] { $count } conflicts wait for a supervisor (also on the supervisors' queue):
    }
sync-conflict-id-number = Two persons with one { $document } { $shared }: { $first } and { $second }
sync-conflict-token-serial = Two token records with one serial { $shared }: { $first } and { $second }
sync-status-last-failure = Last try { $when }: { $why }
audit-chains-good = Every chain in the journals is whole: { $count ->
    [one] 1 event checked
   *[other] { $count } events checked
}.
audit-chain-broken = Broken chain: kiosk { $kiosk }, event number { $seq } ({ $event }): { $why }
