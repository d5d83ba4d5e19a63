# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = Cloud-sign certificates are activated online only; they are not handled at the counter.
