//! PINs and passwords: held zeroized, never printed; and the check every new user PIN passes.

use zeroize::Zeroizing;

use crate::error::{Result, TokenError};

/// A user PIN, SO PIN or PKCS#12 password. Its memory is wiped when it is dropped, and neither
/// `Debug` nor `Display` shows it, so it cannot reach a log by accident.
#[derive(Clone)]
pub struct Pin(Zeroizing<String>);

impl Pin {
    pub fn new(text: impl Into<String>) -> Self {
        Pin(Zeroizing::new(text.into()))
    }

    /// The PIN for the one call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub(crate) fn auth(&self) -> cryptoki::types::AuthPin {
        // `AuthPin` is a `SecretString`: it zeroizes its own copy.
        cryptoki::types::AuthPin::from(self.0.as_str())
    }
}

/// The check every new user PIN passes, wherever it is set (a token initialised from stock, a
/// PIN change, an unlock): the domain's one PIN rule (`registry::credentials`, 6 digits), then
/// the lengths this token accepts (`min..=max` from its token info), so a token that cannot
/// take a 6-digit PIN is refused before anything is written to it.
pub fn check_new_pin(pin: &Pin, min: usize, max: usize) -> Result<()> {
    let mut problems = registry::credentials::token_pin_problems(pin.expose());
    let len = pin.expose().chars().count();
    if problems.is_empty() && !(min..=max).contains(&len) {
        problems.push("pin-wrong-length");
    }
    if problems.is_empty() { Ok(()) } else { Err(TokenError::PinRules(problems)) }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

impl From<String> for Pin {
    fn from(text: String) -> Self {
        Pin(Zeroizing::new(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_pins_follow_the_domain_rule_within_what_the_token_takes() {
        assert!(check_new_pin(&Pin::new("123456"), 4, 255).is_ok());
        for (pin, problems) in [
            ("abcd", vec!["pin-wrong-length", "pin-not-digits"]),
            ("12345", vec!["pin-wrong-length"]),
            ("１２３４５６", vec!["pin-not-digits"]),
        ] {
            match check_new_pin(&Pin::new(pin), 4, 255) {
                Err(TokenError::PinRules(found)) => assert_eq!(found, problems, "{pin}"),
                other => panic!("{pin}: {other:?}"),
            }
        }
        // A token that takes 8 to 16 characters cannot hold the domain's 6-digit PIN.
        assert!(matches!(
            check_new_pin(&Pin::new("123456"), 8, 16),
            Err(TokenError::PinRules(p)) if p == ["pin-wrong-length"]
        ));
    }

    #[test]
    fn debug_never_shows_the_pin() {
        let pin = Pin::new("123456");
        assert_eq!(format!("{pin:?}"), "Pin(***)");
        assert_eq!(pin.expose(), "123456");
    }
}
