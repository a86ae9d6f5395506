//! `Money`: an exact `Decimal` amount with its currency, in the style of rusty_money.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::MoneyError;

/// An exact amount in one currency; serialized as `{"amount": "1234.50", "currencyCode": "USD"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The amount; on the wire always a decimal string (a JSON number is rejected: floats lose cents).
    #[serde(with = "decimal_string")]
    pub amount: Decimal,
    /// The ISO 4217 currency.
    #[serde(rename = "currencyCode")]
    pub currency: Currency,
}

impl Money {
    /// An amount in `currency`.
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    /// Zero at the currency's minor unit (`0.00` in USD): `Money::zero(currency).round()`.
    pub(crate) fn zero_rounded(currency: Currency) -> Self {
        Self::new(Decimal::new(0, currency.minor_units()), currency)
    }

    /// Rounds half-even to the currency's minor unit and fixes the scale (`1200` → `1200.00` in USD).
    pub fn round(self) -> Self {
        let dp = self.currency.minor_units();
        let scale = self.amount.scale();
        if scale == dp {
            // Already there (most amounts are): `round_dp` and `rescale` would leave it as is.
            return self;
        }
        let fast = if scale > dp {
            round_half_even_fast(self.amount, scale - dp)
        } else {
            widen_scale_fast(self.amount, dp - scale)
        };
        if let Some(amount) = fast {
            return Self::new(amount, self.currency);
        }
        Self::new(round_half_even_library(self.amount, dp), self.currency)
    }

    /// Truncates toward zero to the currency's minor unit.
    pub fn floor_to_minor(self) -> Self {
        let dp = self.currency.minor_units();
        let mut amount = self
            .amount
            .round_dp_with_strategy(dp, RoundingStrategy::ToZero);
        amount.rescale(dp);
        Self::new(amount, self.currency)
    }

    /// `self + other`, or an error on a currency mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.amount
            .checked_add(other.amount)
            .map(|a| Money::new(a, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self - other`, or an error on a currency mismatch or overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.amount
            .checked_sub(other.amount)
            .map(|a| Money::new(a, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self × factor` (unrounded), or an error on overflow.
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, MoneyError> {
        self.amount
            .checked_mul(factor)
            .map(|a| Money::new(a, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// `self / divisor` (unrounded), or an error on overflow or division by zero.
    pub fn checked_div(self, divisor: Decimal) -> Result<Money, MoneyError> {
        self.amount
            .checked_div(divisor)
            .map(|a| Money::new(a, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// Compares two amounts of the same currency; amounts in different currencies are not
    /// comparable (an error, as in rusty_money), never compared by their bare numbers.
    pub fn checked_cmp(self, other: Money) -> Result<std::cmp::Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.amount.cmp(&other.amount))
    }

    /// `self > other` for amounts of the same currency, else an error.
    pub fn checked_gt(self, other: Money) -> Result<bool, MoneyError> {
        Ok(self.checked_cmp(other)?.is_gt())
    }

    /// `self ≥ other` for amounts of the same currency, else an error.
    pub fn checked_ge(self, other: Money) -> Result<bool, MoneyError> {
        Ok(self.checked_cmp(other)?.is_ge())
    }

    /// `self ≤ other` for amounts of the same currency, else an error.
    pub fn checked_le(self, other: Money) -> Result<bool, MoneyError> {
        Ok(self.checked_cmp(other)?.is_le())
    }

    /// The smaller of two amounts in the same currency.
    pub fn checked_min(self, other: Money) -> Result<Money, MoneyError> {
        Ok(if other.checked_cmp(self)?.is_lt() { other } else { self })
    }

    /// Sums `items`, all of which must be in `currency`.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(
        currency: Currency,
        items: I,
    ) -> Result<Money, MoneyError> {
        items
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// `-self`.
    pub fn negate(self) -> Money {
        Money::new(-self.amount, self.currency)
    }

    /// True when the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// True when the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }
}

/// What [`Money::round`] computes, by the library: `round_dp` half-even, then `rescale`.
fn round_half_even_library(amount: Decimal, dp: u32) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    rounded.rescale(dp);
    rounded
}

/// 10^i for every scale a `Decimal` can have (10^28 < 2^127).
pub(crate) const POW10: [u128; 29] = {
    let mut table = [1u128; 29];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `amount` with `drop` fewer decimals, rounded half-even, in 128-bit integers: the very result
/// of `round_dp_with_strategy(MidpointNearestEven)` (sign kept, a zero keeps its sign as the
/// library's does), without its 96-bit long divisions.
fn round_half_even_fast(amount: Decimal, drop: u32) -> Option<Decimal> {
    let divisor = *POW10.get(drop as usize)?;
    let negative = amount.is_sign_negative();
    let scale = amount.scale() - drop;
    let magnitude = amount.mantissa().unsigned_abs();
    if magnitude == 0 {
        // The library keeps a zero's sign here (it returns early for zero).
        let mut zero = Decimal::ZERO;
        zero.set_sign_negative(negative);
        zero.rescale(scale);
        return Some(zero);
    }
    let (mut kept, rest) = (magnitude / divisor, magnitude % divisor);
    let half = divisor / 2;
    if rest > half || (rest == half && kept % 2 == 1) {
        kept += 1;
    }
    // `kept` < 2^96 / 10 + 1: it fits the 96-bit mantissa.
    let lo = kept as u32;
    let mid = (kept >> 32) as u32;
    let hi = (kept >> 64) as u32;
    Some(Decimal::from_parts(lo, mid, hi, negative, scale))
}

/// `amount` with `add` more decimals (`1200` → `1200.00`): what `rescale` does when the result
/// fits the 96-bit mantissa (`None` otherwise, left to the library). A zero keeps its sign, as
/// the library's `rescale` keeps it.
fn widen_scale_fast(amount: Decimal, add: u32) -> Option<Decimal> {
    let scale = amount.scale() + add;
    if scale > Decimal::MAX_SCALE {
        return None;
    }
    let negative = amount.is_sign_negative();
    let magnitude = amount.mantissa().unsigned_abs().checked_mul(POW10[add as usize])?;
    if magnitude >> 96 != 0 {
        return None;
    }
    if magnitude == 0 {
        let mut zero = Decimal::new(0, scale);
        zero.set_sign_negative(negative);
        return Some(zero);
    }
    Some(Decimal::from_parts(magnitude as u32, (magnitude >> 32) as u32, (magnitude >> 64) as u32, negative, scale))
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Parses a plain decimal string: optional `-`, digits, optional `.` and digits (no exponent, no
/// spaces, at most 40 characters after the sign), exactly or not at all.
///
/// `Decimal` holds 28 to 29 significant digits; past that, its parser rounds
/// (`80.000000188313311988287356962` would read as `80.00000018831331198828735696`). Such a
/// string is refused (`None`), so no amount is ever silently rounded on the way in. Trailing
/// zeros are not precision: `1.000…0` with 30 zeros reads as `1.0000000000000000000000000000`.
pub fn parse_amount(s: &str) -> Option<Decimal> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !frac.is_none_or(all_digits) || digits.len() > 40 {
        return None;
    }
    // The parser only ever drops decimals (rounding), so a value is exact when its scale is the
    // number of decimals it was given.
    let exact = |text: &str, decimals: usize| {
        text.parse::<Decimal>()
            .ok()
            .filter(|d| d.scale() as usize == decimals)
    };
    let frac = frac.unwrap_or("");
    exact(s, frac.len()).or_else(|| {
        // Too many digits: without its trailing zeros the same value may still fit.
        let kept = frac.trim_end_matches('0');
        let cut = frac.len() - kept.len() + usize::from(kept.is_empty() && !frac.is_empty());
        exact(&s[..s.len() - cut], kept.len())
    })
}

/// Serde for a `Decimal` that must be a JSON string (a number is rejected with a clear message).
mod decimal_string {
    use std::fmt;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_str(AmountVisitor)
    }

    struct AmountVisitor;

    impl Visitor<'_> for AmountVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a decimal string such as \"1234.50\" (send amounts as strings: a JSON number would lose cents)")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            super::parse_amount(v).ok_or_else(|| {
                E::invalid_value(
                    de::Unexpected::Str(&v.chars().take(48).collect::<String>()),
                    &self,
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn usd(a: Decimal) -> Money {
        Money::new(a, Currency::USD)
    }

    /// The 128-bit rounding is bit for bit the library's (value, scale and the sign of a zero).
    #[test]
    fn fast_rounding_is_the_librarys() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1du64);
        let mut tried = 0;
        for i in 0..200_000u32 {
            let bits = match i % 4 {
                0 => u128::from(next() % 1_000_000),
                1 => u128::from(next()),
                2 => (u128::from(next()) << 32) | u128::from(next() as u32),
                _ => ((u128::from(next()) << 64) | u128::from(next())) >> 32,
            };
            let (lo, mid, hi) = (bits as u32, (bits >> 32) as u32, (bits >> 64) as u32);
            let scale = (next() % 29) as u32;
            let mut amount = Decimal::from_parts(lo, mid, hi, next().is_multiple_of(2), scale);
            if i % 97 == 0 {
                // Zeros of either sign, as `negate` makes them.
                amount = if i % 2 == 0 { -Decimal::new(0, scale) } else { Decimal::new(0, scale) };
            }
            if i % 13 == 0 {
                // Exact midpoints.
                amount = Decimal::new(if i % 2 == 0 { 125 } else { -135 } + i64::from(i % 7) * 10, 3);
            }
            for currency in [Currency::USD, Currency::JPY] {
                let money = Money::new(amount, currency);
                let dp = currency.minor_units();
                let expected = round_half_even_library(amount, dp);
                let got = money.round().amount;
                assert_eq!(got.serialize(), expected.serialize(), "{amount:?} ({}) to {dp}", amount.scale());
                assert_eq!(got.to_string(), expected.to_string());
                tried += 1;
                let zero = Money::zero_rounded(currency).amount;
                assert_eq!(zero.serialize(), Money::zero(currency).round().amount.serialize());
            }
        }
        assert_eq!(tried, 400_000);
    }

    #[test]
    fn rounds_half_even_to_minor_unit() {
        assert_eq!(usd(dec!(0.125)).round().amount.to_string(), "0.12");
        assert_eq!(usd(dec!(0.135)).round().amount.to_string(), "0.14");
        assert_eq!(usd(dec!(1200)).round().amount.to_string(), "1200.00");
        assert_eq!(
            Money::new(dec!(2.5), Currency::JPY)
                .round()
                .amount
                .to_string(),
            "2"
        );
        assert_eq!(
            Money::new(dec!(3.5), Currency::JPY)
                .round()
                .amount
                .to_string(),
            "4"
        );
        assert_eq!(usd(dec!(-0.125)).round().amount.to_string(), "-0.12");
    }

    #[test]
    fn checked_arithmetic() {
        assert_eq!(
            usd(dec!(1.10)).checked_add(usd(dec!(2.20))).unwrap(),
            usd(dec!(3.30))
        );
        assert_eq!(
            usd(dec!(1.10)).checked_sub(usd(dec!(2.20))).unwrap(),
            usd(dec!(-1.10))
        );
        let eur = Money::new(dec!(1), Currency::EUR);
        assert_eq!(
            usd(dec!(1)).checked_add(eur),
            Err(MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            })
        );
        assert!(usd(dec!(1)).checked_sub(eur).is_err());
        assert_eq!(
            usd(Decimal::MAX).checked_add(usd(dec!(1))),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            usd(Decimal::MAX).checked_mul(dec!(2)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            usd(dec!(1)).checked_div(Decimal::ZERO),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn serde_uses_strings() {
        let m = usd(dec!(1234.50));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"amount":"1234.50","currencyCode":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    }

    #[test]
    fn serde_rejects_numbers_and_junk() {
        let err = serde_json::from_str::<Money>(r#"{"amount": 1234.5, "currencyCode": "USD"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("lose cents"), "{err}");
        let err =
            serde_json::from_str::<Money>(r#"{"amount": 12, "currencyCode": "USD"}"#).unwrap_err();
        assert!(err.to_string().contains("decimal string"), "{err}");
        for bad in [
            "\"1e5\"",
            "\" 12\"",
            "\"+12\"",
            "\"12.\"",
            "\".5\"",
            "\"1_000\"",
            "\"abc\"",
            "\"\"",
            "null",
        ] {
            let json = format!(r#"{{"amount": {bad}, "currencyCode": "USD"}}"#);
            assert!(serde_json::from_str::<Money>(&json).is_err(), "{bad}");
        }
        assert!(
            serde_json::from_str::<Money>(r#"{"amount": "1", "currencyCode": "usd"}"#).is_err()
        );
        assert!(
            serde_json::from_str::<Money>(r#"{"amount": "1", "currencyCode": "USD", "x": 1}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<Money>(r#"{"amount": "1"}"#).is_err());
        let huge = format!(
            r#"{{"amount": "{}", "currencyCode": "USD"}}"#,
            "9".repeat(35)
        );
        assert!(serde_json::from_str::<Money>(&huge).is_err());
    }

    #[test]
    fn parses_plain_decimals() {
        assert_eq!(parse_amount("-0.50"), Some(dec!(-0.50)));
        assert_eq!(parse_amount("007"), Some(dec!(7)));
        assert_eq!(parse_amount("-"), None);
        assert_eq!(parse_amount("1.50"), Some(dec!(1.50)));
        assert_eq!(parse_amount("1.50").unwrap().scale(), 2);
        // Past Decimal's 28 to 29 significant digits the parser would round: refused instead.
        assert_eq!(parse_amount("80.000000188313311988287356962"), None);
        assert_eq!(parse_amount("0.0000000000000000000000000000001"), None);
        assert_eq!(parse_amount("12345678901234567890123456789.5"), None);
        assert_eq!(parse_amount("1234567890123456789012345678.5"), Some(dec!(1234567890123456789012345678.5)));
        // Trailing zeros are not precision.
        assert_eq!(parse_amount(&format!("1.{}", "0".repeat(30))), Some(dec!(1)));
        assert_eq!(parse_amount(&format!("2.5{}", "0".repeat(30))), Some(dec!(2.5)));
    }

    #[test]
    fn comparisons_refuse_mixed_currencies() {
        let eur = Money::new(dec!(1), Currency::EUR);
        assert!(usd(dec!(2.00)).checked_gt(usd(dec!(1.99))).unwrap());
        assert!(usd(dec!(2)).checked_ge(usd(dec!(2.00))).unwrap());
        assert!(usd(dec!(2)).checked_le(usd(dec!(2.00))).unwrap());
        assert!(!usd(dec!(2.01)).checked_le(usd(dec!(2))).unwrap());
        assert_eq!(usd(dec!(1)).checked_cmp(eur), Err(MoneyError::CurrencyMismatch { left: Currency::USD, right: Currency::EUR }));
        assert!(usd(dec!(1)).checked_gt(eur).is_err());
        assert!(usd(dec!(1)).checked_min(eur).is_err());
    }
}
