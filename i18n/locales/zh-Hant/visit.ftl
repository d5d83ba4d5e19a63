# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = 雲簽證書只可於網上激活，不在櫃檯辦理。
