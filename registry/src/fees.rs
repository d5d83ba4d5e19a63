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

/// An office's own price table, as `kiosk.toml`'s `[fees]` writes it: amounts in the
/// currency's main unit (`400`, `12.50`), one price for each year 1 to 5 of every class the
/// counter issues, the token and the postage. [`FeeTable::schedule`] checks it whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeTable {
    /// The table's currency; when written it must be the office's (`currency`), so a price
    /// list copied from another office is not charged in the wrong money.
    #[serde(default)]
    pub currency: Option<Currency>,
    pub certificate: BTreeMap<CertificateClass, Vec<f64>>,
    pub token: f64,
    pub postage: f64,
}

/// What is wrong with an office's price table: the first entry found, named by
/// [`FeeTableError::entry`] as the table writes it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeeTableError {
    #[error("the price table is in {table:?}, but the office charges in {office:?}")]
    Currency { table: Currency, office: Currency },
    #[error("{class:?} certificates are issued at the counter but have no prices")]
    Unpriced { class: CertificateClass },
    #[error("cloud-sign certificates are not sold at the counter")]
    NotAtCounter,
    #[error("{count} prices for {class:?} certificates; one for each year 1 to 5 is needed")]
    Years { class: CertificateClass, count: usize },
    /// Negative, not a number, or finer than a hundredth.
    #[error("{amount} is not a price (zero or more, to the hundredth)")]
    Amount { entry: String, amount: f64 },
}

impl FeeTableError {
    /// The entry of the table at fault: `currency`, `certificate.qualified`, `token`,
    /// `certificate.standard (year 3)`.
    pub fn entry(&self) -> String {
        match self {
            FeeTableError::Currency { .. } => "currency".into(),
            FeeTableError::Unpriced { class } | FeeTableError::Years { class, .. } => {
                format!("certificate.{}", class_key(*class))
            }
            FeeTableError::NotAtCounter => {
                format!("certificate.{}", class_key(CertificateClass::CloudSign))
            }
            FeeTableError::Amount { entry, .. } => entry.clone(),
        }
    }

    /// The value at fault, as the table wrote it.
    pub fn value(&self) -> String {
        match self {
            FeeTableError::Currency { table, .. } => table.code().into(),
            FeeTableError::Unpriced { .. } | FeeTableError::NotAtCounter => String::new(),
            FeeTableError::Years { count, .. } => count.to_string(),
            FeeTableError::Amount { amount, .. } => amount.to_string(),
        }
    }
}

/// A class as the table's keys write it (serde's snake_case).
fn class_key(class: CertificateClass) -> &'static str {
    match class {
        CertificateClass::Qualified => "qualified",
        CertificateClass::Standard => "standard",
        CertificateClass::Encryption => "encryption",
        CertificateClass::CloudSign => "cloud_sign",
    }
}

/// The dearest price a table may set, in the main unit: far above any certificate's, and low
/// enough that a quote (certificate, token and postage) times any number of certificates a
/// visit can hold stays far inside `i64`.
pub const MAX_PRICE: f64 = 10_000_000.0;

/// An amount in the main unit as minor units, if it is a price: not negative, finite, at most
/// [`MAX_PRICE`], and whole hundredths (`12.5` yes, `12.345` no).
fn minor_units(amount: f64) -> Option<i64> {
    let minor = amount * 100.0;
    let whole = minor.round();
    let fits = amount.is_finite() && (0.0..=MAX_PRICE).contains(&amount);
    // f64 cannot hold most hundredths exactly; anything this close to one is that hundredth.
    (fits && (minor - whole).abs() < 1e-6).then_some(whole as i64)
}

impl FeeTable {
    /// The schedule this table sets for an office charging in `office`, or the first thing
    /// wrong with it: another currency, a class the counter issues with no prices or not five,
    /// a price for cloud-sign (never sold at the counter), an amount that is not a price.
    pub fn schedule(&self, office: Currency) -> Result<FeeSchedule, FeeTableError> {
        if let Some(table) = self.currency
            && table != office
        {
            return Err(FeeTableError::Currency { table, office });
        }
        if self.certificate.contains_key(&CertificateClass::CloudSign) {
            return Err(FeeTableError::NotAtCounter);
        }
        let price = |entry: String, amount: f64| {
            minor_units(amount).ok_or(FeeTableError::Amount { entry, amount })
        };
        let mut certificate = BTreeMap::new();
        for class in CertificateClass::ALL.into_iter().filter(|c| c.issued_at_counter()) {
            let prices = self.certificate.get(&class).ok_or(FeeTableError::Unpriced { class })?;
            let mut years = [0; 5];
            if prices.len() != years.len() {
                return Err(FeeTableError::Years { class, count: prices.len() });
            }
            for (i, (minor, amount)) in years.iter_mut().zip(prices).enumerate() {
                let entry = format!("certificate.{} (year {})", class_key(class), i + 1);
                *minor = price(entry, *amount)?;
            }
            certificate.insert(class, years);
        }
        Ok(FeeSchedule {
            currency: office,
            certificate,
            token: price("token".into(), self.token)?,
            postage: price("postage".into(), self.postage)?,
        })
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
