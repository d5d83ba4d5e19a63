# The counter's queue: checking appointments in by their QR pass, walk-in tickets (kiosk: counter, counter_cmd).

counter-checkin-unknown = This pass is genuine, but its appointment is not in this counter's records (it may not have arrived from the registry yet). Find the appointment by its reference, or serve the person as a walk-in.
counter-checkin-already = Appointment { $reference } ({ $slot }) is already checked in. Do not check it in twice; find the person in the queue.
counter-checkin-served = Appointment { $reference } ({ $slot }) was already served. A new visit needs a new appointment or a walk-in ticket.
counter-checkin-cancelled = Appointment { $reference } ({ $slot }) was cancelled. Serve the person as a walk-in, or book a new appointment.
counter-checkin-mismatch = This pass does not match appointment { $reference } as booked ({ $slot }): the appointment was moved or rebooked after the pass was sent. Check the booking with the person and find the appointment by its reference.
counter-appointment-not-found = No appointment with this id is in the store.
counter-pass-too-long-for-qr = This appointment's pass is too long to draw as a QR code. Shorten its booking reference.
counter-walk-in-no-printer = No printer is configured: show ticket number { $number } to the person ({ $count ->
        [one] { $count } person
       *[other] { $count } people
    } ahead).
