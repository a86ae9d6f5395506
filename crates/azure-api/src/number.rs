//! Amounts as ARM writes them: `{currencyCode, amount}` with `amount` a JSON number. The number
//! is written from the exact decimal's text, never through a float.

use quote_engine::Money;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A decimal written as a JSON number, digit for digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExactNumber(pub Decimal);

impl Serialize for ExactNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Decimal's Display is plain digits with a point (no exponent): a valid JSON number.
        let raw = RawValue::from_string(self.0.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// Read back from a JSON number digit for digit: the number's own text (serde_json's raw value)
/// becomes the decimal, never through a float; a string of digits is taken too. It reads from
/// JSON text (`serde_json::from_str` / `from_slice`), which is how ARM's answers arrive.
impl<'de> serde::Deserialize<'de> for ExactNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use std::str::FromStr;
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get().trim();
        let digits = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text).trim();
        let parsed = Decimal::from_str(digits).or_else(|_| Decimal::from_scientific(digits));
        parsed.map(ExactNumber).map_err(|_| serde::de::Error::custom(format!("{text} is not a decimal number")))
    }
}

/// A JSON number, exact: its digits are the decimal's own (e.g. `1234.50`).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ExactNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::Number)
            .description(Some("A decimal written digit for digit as a JSON number (never rounded through a float)."))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ExactNumber {}

/// ARM's `Price` (read back too: Azure mode reads Azure's amounts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Price {
    /// ISO 4217, e.g. `USD`.
    pub currency_code: String,
    /// The amount.
    pub amount: ExactNumber,
}

impl From<&Money> for Price {
    fn from(m: &Money) -> Self {
        Price { currency_code: m.currency.to_string(), amount: ExactNumber(m.amount) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn an_amount_is_a_json_number_with_every_digit() {
        let price = Price { currency_code: "USD".into(), amount: ExactNumber(dec!(12345678901234567.89)) };
        assert_eq!(serde_json::to_string(&price).unwrap(), r#"{"currencyCode":"USD","amount":12345678901234567.89}"#);
        // A float would have written 12345678901234568.
        let small = Price { currency_code: "EUR".into(), amount: ExactNumber(dec!(0.10)) };
        assert_eq!(serde_json::to_string(&small).unwrap(), r#"{"currencyCode":"EUR","amount":0.10}"#);
        let negative = ExactNumber(dec!(-4210.00));
        assert_eq!(serde_json::to_string(&negative).unwrap(), "-4210.00");
        assert_eq!(serde_json::from_str::<f64>("-4210.00").unwrap(), -4210.0, "a JSON reader takes it as a number");
    }

    #[test]
    fn a_number_reads_back_digit_for_digit() {
        for (json, want) in [("49.2", dec!(49.2)), ("100", dec!(100)), ("-3", dec!(-3)), ("0.10", dec!(0.10)), ("\"12.5\"", dec!(12.5)), ("1.0", dec!(1.0)), ("12345678901234567.89", dec!(12345678901234567.89))] {
            assert_eq!(serde_json::from_str::<ExactNumber>(json).unwrap(), ExactNumber(want), "{json}");
        }
        assert_eq!(serde_json::from_str::<ExactNumber>("12345678901234567.89").unwrap().0.to_string(), "12345678901234567.89", "every digit, no float between");
        assert!(serde_json::from_str::<ExactNumber>("true").is_err());
    }
}
