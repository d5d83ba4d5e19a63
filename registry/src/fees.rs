//! What the counter charges: a price table by certificate class and validity years, the token,
//! and postage. Replacement charges the token only (seed 002).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{CertificateClass, Currency, Money, Service, VALIDITY_YEARS};

/// One office's prices. Prices are in the office's currency; years index 1..=5.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeSchedule {
    pub currency: Currency,
    /// Certificate price in minor units for 1, 2, 3, 4 and 5 years.
    pub certificate: BTreeMap<CertificateClass, [i64; 5]>,
    pub token: i64,
    pub postage: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeItem {
    Certificate,
    Token,
    Postage,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeLine {
    pub item: FeeItem,
    pub amount: Money,
}

/// The lines of a fee and their total, as the receipt prints them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeQuote {
    pub lines: Vec<FeeLine>,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("certificates are issued for 1 to 5 years, not {0}")]
    ValidityYears(u8),
    #[error("cloud-sign certificates are not handled at the counter")]
    NotAtCounter,
    #[error("this office has no price for {0:?} certificates")]
    NoPrice(CertificateClass),
}

impl FeeError {
    pub const ALL_MESSAGE_IDS: &[&str] =
        &["fee-validity-years", "fee-not-at-counter", "fee-no-price"];

    pub fn message_id(&self) -> &'static str {
        match self {
            FeeError::ValidityYears(_) => "fee-validity-years",
            FeeError::NotAtCounter => "fee-not-at-counter",
            FeeError::NoPrice(_) => "fee-no-price",
        }
    }
}

impl FeeSchedule {
    /// The example schedule of the seeds: 400 a year, the token 100, postage 20.
    pub fn example(currency: Currency) -> Self {
        let per_year = |major: i64| {
            let mut prices = [0; 5];
            for (i, price) in prices.iter_mut().enumerate() {
                *price = major * 100 * (i as i64 + 1);
            }
            prices
        };
        let certificate = BTreeMap::from([
            (CertificateClass::Qualified, per_year(400)),
            (CertificateClass::Standard, per_year(300)),
            (CertificateClass::Encryption, per_year(300)),
        ]);
        Self { currency, certificate, token: 100 * 100, postage: 20 * 100 }
    }

    /// What `service` costs for a `class` certificate valid `years`.
    pub fn quote(
        &self,
        service: Service,
        class: CertificateClass,
        years: u8,
    ) -> Result<FeeQuote, FeeError> {
        if !class.issued_at_counter() {
            return Err(FeeError::NotAtCounter);
        }
        let money = |minor| Money { minor, currency: self.currency };
        let certificate = || -> Result<FeeLine, FeeError> {
            if !VALIDITY_YEARS.contains(&years) {
                return Err(FeeError::ValidityYears(years));
            }
            let prices = self.certificate.get(&class).ok_or(FeeError::NoPrice(class))?;
            let price = prices[usize::from(years - 1)];
            Ok(FeeLine { item: FeeItem::Certificate, amount: money(price) })
        };
        let token = FeeLine { item: FeeItem::Token, amount: money(self.token) };
        let lines = match service {
            Service::NewIssuance => vec![certificate()?, token],
            Service::Renewal | Service::Change => vec![certificate()?],
            Service::Replacement => vec![token],
            Service::Redispatch => {
                vec![FeeLine { item: FeeItem::Postage, amount: money(self.postage) }]
            }
            Service::PinUnlock | Service::Revocation => vec![],
        };
        let total = money(lines.iter().map(|l| l.amount.minor).sum());
        Ok(FeeQuote { lines, total })
    }
}
