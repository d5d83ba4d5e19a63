# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = 云签证书只能在线激活，不在柜台办理。
