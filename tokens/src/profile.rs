//! Certificate profiles: what each certificate type of the seeds says about its key, its uses,
//! its policy and its subject name.

use rcgen::{ExtendedKeyUsagePurpose, KeyUsagePurpose};
use registry::model::{CertificateClass, HolderKind, SubjectDn};
use serde::Serialize;

use crate::dn::SubjectError;
use crate::error::{Result, TokenError};
use crate::pkcs11::KeyKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    QualifiedPerson,
    StandardPerson,
    EncryptionPerson,
    QualifiedOrganisation,
    StandardOrganisation,
    EncryptionOrganisation,
    PersonInOrganisation,
    LegalRepresentative,
}

/// The default policy arc: the ITU-T/ISO "example" arc (2.999), until the CA sets its own in
/// the CA configuration (`policy_arc`). Each profile's policy is the arc plus its number.
pub const DEFAULT_POLICY_ARC: &[u64] = &[2, 999, 1];

/// RFC 9336 id-kp-documentSigning: what qualified signing certificates sign.
const DOCUMENT_SIGNING: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 36];

impl Profile {
    pub const ALL: [Profile; 8] = [
        Profile::QualifiedPerson,
        Profile::StandardPerson,
        Profile::EncryptionPerson,
        Profile::QualifiedOrganisation,
        Profile::StandardOrganisation,
        Profile::EncryptionOrganisation,
        Profile::PersonInOrganisation,
        Profile::LegalRepresentative,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::QualifiedPerson => "qualified-person",
            Profile::StandardPerson => "standard-person",
            Profile::EncryptionPerson => "encryption-person",
            Profile::QualifiedOrganisation => "qualified-organisation",
            Profile::StandardOrganisation => "standard-organisation",
            Profile::EncryptionOrganisation => "encryption-organisation",
            Profile::PersonInOrganisation => "person-in-organisation",
            Profile::LegalRepresentative => "legal-representative",
        }
    }

    pub fn parse(name: &str) -> Result<Profile> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| TokenError::UnknownProfile(name.to_owned()))
    }

    pub fn class(self) -> CertificateClass {
        match self {
            Profile::QualifiedPerson | Profile::QualifiedOrganisation => {
                CertificateClass::Qualified
            }
            Profile::EncryptionPerson | Profile::EncryptionOrganisation => {
                CertificateClass::Encryption
            }
            _ => CertificateClass::Standard,
        }
    }

    pub fn holder_kind(self) -> HolderKind {
        match self {
            Profile::QualifiedPerson | Profile::StandardPerson | Profile::EncryptionPerson => {
                HolderKind::Person
            }
            Profile::QualifiedOrganisation
            | Profile::StandardOrganisation
            | Profile::EncryptionOrganisation => HolderKind::Organisation,
            Profile::PersonInOrganisation => HolderKind::PersonInOrganisation,
            Profile::LegalRepresentative => HolderKind::LegalRepresentative,
        }
    }

    /// The policy number under the CA's arc.
    pub fn policy_number(self) -> u64 {
        Self::ALL.iter().position(|p| *p == self).map_or(0, |i| i as u64 + 1)
    }

    /// Whether the key may live in a password-protected PKCS#12 file when no token is present.
    /// Qualified certificates, and those that sign for an organisation, need a token.
    pub fn allows_soft_token(self) -> bool {
        matches!(
            self,
            Profile::StandardPerson
                | Profile::EncryptionPerson
                | Profile::StandardOrganisation
                | Profile::EncryptionOrganisation
        )
    }

    pub fn key_usages(self, key: KeyKind) -> Vec<KeyUsagePurpose> {
        use KeyUsagePurpose::*;
        match self.class() {
            CertificateClass::Encryption if key.is_rsa() => {
                vec![KeyEncipherment, DataEncipherment]
            }
            CertificateClass::Encryption => vec![KeyAgreement],
            CertificateClass::Qualified => vec![DigitalSignature, ContentCommitment],
            _ => vec![DigitalSignature, ContentCommitment],
        }
    }

    pub fn extended_key_usages(self) -> Vec<ExtendedKeyUsagePurpose> {
        use ExtendedKeyUsagePurpose::*;
        match self.class() {
            CertificateClass::Encryption => vec![EmailProtection],
            CertificateClass::Qualified => vec![Other(DOCUMENT_SIGNING.to_vec()), EmailProtection],
            _ => vec![ClientAuth, EmailProtection],
        }
    }

    /// Checks the subject name has what the profile's layout needs: an organisation's name (O)
    /// wherever an organisation is named, and a country.
    pub fn check_subject(self, dn: &SubjectDn) -> Result<(), SubjectError> {
        if self.holder_kind().belongs_to_organisation()
            && dn.o.as_deref().is_none_or(|o| o.trim().is_empty())
        {
            return Err(SubjectError::OrganisationRequired { profile: self.name() });
        }
        if dn.c.is_none() {
            return Err(SubjectError::CountryRequired { profile: self.name() });
        }
        Ok(())
    }
}

/// The certificatePolicies extension (2.5.29.32) naming one policy, without qualifiers.
pub fn policies_extension(arc: &[u64], profile: Profile) -> rcgen::CustomExtension {
    let mut oid = arc.to_vec();
    oid.push(profile.policy_number());
    let content = yasna::construct_der(|w| {
        w.write_sequence(|w| {
            w.next().write_sequence(|w| {
                w.next().write_oid(&yasna::models::ObjectIdentifier::from_slice(&oid));
            });
        });
    });
    rcgen::CustomExtension::from_oid_content(&[2, 5, 29, 32], content)
}

/// Reads a dotted policy arc (`1.3.6.1.4.1.99999.1`).
pub fn parse_arc(text: &str) -> Option<Vec<u64>> {
    let arc: Option<Vec<u64>> = text.split('.').map(|n| n.parse().ok()).collect();
    arc.filter(|a| a.len() >= 2 && a[0] <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_has_a_distinct_name_and_policy() {
        let names: std::collections::HashSet<_> = Profile::ALL.iter().map(|p| p.name()).collect();
        let policies: std::collections::HashSet<_> =
            Profile::ALL.iter().map(|p| p.policy_number()).collect();
        assert_eq!(names.len(), 8);
        assert_eq!(policies.len(), 8);
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.name()).expect("parse"), p);
        }
        assert!(Profile::parse("gold").is_err());
    }

    #[test]
    fn qualified_and_organisation_signing_need_a_token() {
        assert!(!Profile::QualifiedPerson.allows_soft_token());
        assert!(!Profile::LegalRepresentative.allows_soft_token());
        assert!(Profile::StandardPerson.allows_soft_token());
    }

    #[test]
    fn encryption_keys_encipher_or_agree_by_key_type() {
        let rsa = Profile::EncryptionPerson.key_usages(KeyKind::Rsa2048);
        assert!(rsa.contains(&KeyUsagePurpose::KeyEncipherment));
        let ec = Profile::EncryptionPerson.key_usages(KeyKind::P256);
        assert_eq!(ec, vec![KeyUsagePurpose::KeyAgreement]);
    }

    #[test]
    fn organisation_profiles_need_an_organisation_name() {
        let dn = crate::dn::parse("CN=陳大文,C=MO").expect("dn");
        assert!(Profile::StandardPerson.check_subject(&dn).is_ok());
        assert!(Profile::StandardOrganisation.check_subject(&dn).is_err());
        assert!(parse_arc("1.3.6.1.4.1.99999").is_some());
        assert!(parse_arc("x.1").is_none());
    }
}
