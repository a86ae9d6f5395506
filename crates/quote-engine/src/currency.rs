//! ISO 4217 currency codes and their minor units.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Currencies whose minor unit is zero digits (ISO 4217 exponent 0).
const ZERO_DECIMAL: [[u8; 3]; 17] = [
    *b"BIF", *b"CLP", *b"DJF", *b"GNF", *b"ISK", *b"JPY", *b"KMF", *b"KRW", *b"PYG", *b"RWF",
    *b"UGX", *b"UYI", *b"VND", *b"VUV", *b"XAF", *b"XOF", *b"XPF",
];

/// An ISO 4217 currency code such as `USD` (three upper-case ASCII letters).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[A-Z]{3}$", examples("USD")))]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

/// Why a currency code was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("currency code must be three upper-case letters (ISO 4217), e.g. \"USD\"; got {0:?}")]
pub struct CurrencyCodeError(pub String);

impl Currency {
    /// US dollar: the currency of the refund limit.
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// Japanese yen (no minor unit).
    pub const JPY: Currency = Currency(*b"JPY");
    /// Korean won (no minor unit).
    pub const KRW: Currency = Currency(*b"KRW");

    /// Parses a three-letter upper-case code.
    pub fn new(code: &str) -> Result<Self, CurrencyCodeError> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => {
                Ok(Currency([*a, *b, *c]))
            }
            _ => Err(CurrencyCodeError(code.chars().take(16).collect())),
        }
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // Constructed only from ASCII upper-case letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// Digits of the minor unit: 0 for JPY, KRW and the other zero-decimal currencies, else 2.
    #[inline]
    pub fn minor_units(&self) -> u32 {
        // Byte arrays, not strings, and the common currencies first: this runs for every rounding.
        if self.0 == *b"USD" || self.0 == *b"EUR" || self.0 == *b"GBP" {
            2
        } else if ZERO_DECIMAL.contains(&self.0) {
            0
        } else {
            2
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl std::str::FromStr for Currency {
    type Err = CurrencyCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::new(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units() {
        assert_eq!(Currency::USD.minor_units(), 2);
        assert_eq!(Currency::EUR.minor_units(), 2);
        assert_eq!(Currency::JPY.minor_units(), 0);
        assert_eq!(Currency::KRW.minor_units(), 0);
        assert_eq!(Currency::new("CLP").unwrap().minor_units(), 0);
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in ["usd", "US", "USDX", "", "U$D", "ÜSD"] {
            assert!(Currency::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Currency::new("GBP").unwrap().code(), "GBP");
    }

    #[test]
    fn serde_is_the_code() {
        assert_eq!(serde_json::to_string(&Currency::JPY).unwrap(), "\"JPY\"");
        assert_eq!(
            serde_json::from_str::<Currency>("\"EUR\"").unwrap(),
            Currency::EUR
        );
        assert!(serde_json::from_str::<Currency>("\"eur\"").is_err());
    }
}
