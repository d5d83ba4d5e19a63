# An organisation's members and what its administrator lets them use (seed 004).

members-title = Members and authorisations
members-loading = Opening the members…
members-saving = Saving…
members-wait = Wait until the change is saved.
members-none = No members on record.
members-former = no longer a member
members-no-authorisations = no authorisations
members-organisations-only = Members and authorisations are an organisation's: open an organisation's file.
members-not-found = This organisation or authorisation is not in this kiosk's store (it may not have been synchronised yet).
members-select-member = Choose a member first.
members-select-authorisation = Choose an authorisation first (a line under a member).
members-nothing-to-grant = The organisation has no certificate or seal that can be given.
members-years-bounds = An authorisation runs { $min } to { $max } years.

members-object-certificate = { $class } certificate { $serial }
members-object-seal = seal: { $name }
members-object-unknown = (not in this store)
members-years = { $count ->
        [one] { $count } year
       *[other] { $count } years
    }
members-until = until { $date }
members-status-in-force = in force
members-status-expired = expired
members-status-not-yet = not yet in force
members-status-suspended = suspended
members-status-ended = ended

members-form-grant = Add an authorisation for { $name }
members-form-change = Change the authorisation of { $name }
members-form-transfer = Make { $name } the administrator
members-form-object = Certificate or seal
members-form-years = Years
members-letter = The signed administrator transfer letter has been collected
members-confirm-end = End { $name }'s use of { $object } for good? It cannot be restored.
members-confirm-transfer = Make { $name } the administrator? The present administrator stops being one.

members-granted = Authorisation added.
members-changed = Authorisation changed.
members-withdrawn = Authorisation suspended.
members-restored = Authorisation resumed.
members-ended = Authorisation ended.
members-transferred = Administrator transferred; the letter is on record.

members-key-open = members
members-key-add = add
members-key-change = change
members-key-suspend = suspend
members-key-resume = resume
members-key-end = end
members-key-transfer = transfer administrator
members-key-previous-object = previous certificate or seal
members-key-next-object = certificate or seal
members-key-fewer-years = fewer years
members-key-more-years = more years
members-key-save = save
members-key-cancel = cancel
members-key-letter = letter collected
members-key-yes = yes
members-key-no = no

members-years-out-of-range = An authorisation runs { $min } to { $max } whole years (asked for: { $years }).
members-not-an-employee = Only a current employee of the organisation can hold an authorisation.
members-no-administrator = The organisation has no administrator to grant it: appoint one first (transfer administrator, with the signed letter).
members-object-not-the-organisations = That certificate or seal is not this organisation's.
members-object-not-usable = That certificate or seal can no longer be used (revoked or expired).
members-already-authorised = This person already has that certificate or seal (perhaps suspended): change that authorisation instead.
members-not-this-organisation = That authorisation is another organisation's.
members-authorisation-ended = This authorisation was ended: it cannot be changed or resumed.
members-already-withdrawn = This authorisation is suspended already.
members-not-withdrawn = Only a suspended authorisation can be resumed.
members-nothing-changed = Nothing was changed.
members-ends-in-the-past = With these years the authorisation would have ended on { $until }: choose more years, or end it.
members-letter-required = Collect the signed administrator transfer letter first.
members-not-a-member = The new administrator must be a current member of the organisation.
members-already-administrator = This person is the administrator already.
