# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = Os certificados de assinatura na nuvem só são activados em linha; não são tratados no balcão.
