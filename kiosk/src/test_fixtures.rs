//! Records the kiosk's unit tests share.

use registry::model::{
    MemberRole, Membership, Organisation, OrganisationRegistration, RecordId, RegistrationKind,
};

/// 澳門貿易有限公司, a Macau company, with a new id each call.
pub fn trading_company() -> Organisation {
    Organisation {
        id: ulid::Ulid::new(),
        name_zh: Some("澳門貿易有限公司".into()),
        name_latin: None,
        registration: OrganisationRegistration {
            kind: RegistrationKind::MacauCommercialRegistry,
            number: "SO-12345".into(),
        },
        legal_representative: None,
        licence_valid_until: None,
        address: None,
        phone: None,
        website: None,
    }
}

/// `person` a current member of `organisation` in `role`.
pub fn member(organisation: RecordId, person: RecordId, role: MemberRole) -> Membership {
    Membership { id: ulid::Ulid::new(), organisation, person, role, ended: None }
}
