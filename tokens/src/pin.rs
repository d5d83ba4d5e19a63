//! PINs and passwords: held zeroized, never printed.

use zeroize::Zeroizing;

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
    fn debug_never_shows_the_pin() {
        let pin = Pin::new("123456");
        assert_eq!(format!("{pin:?}"), "Pin(***)");
        assert_eq!(pin.expose(), "123456");
    }
}
