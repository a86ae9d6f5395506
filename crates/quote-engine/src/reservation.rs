//! Inputs: reservations, purchases, and the refund ledger, with their validation.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{QuoteError, QuoteErrorKind};
use crate::money::Money;
use crate::term::{BillingPlan, Term};

/// The largest accepted price or ledger amount (10^15): keeps every product far from `Decimal` overflow.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// A product family (`reservedResourceType`), e.g. `VirtualMachines`; open-ended, so a validated name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, examples("VirtualMachines")))]
pub struct ReservedResourceType(String);

/// Why a product family name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reservedResourceType must be 1 to 64 ASCII letters or digits, e.g. \"VirtualMachines\"")]
pub struct ResourceTypeError;

impl ReservedResourceType {
    /// Families Azure documents today; others are accepted as long as the name is well-formed.
    pub const KNOWN: &'static [&'static str] = &[
        "VirtualMachines",
        "SqlDatabases",
        "CosmosDb",
        "AppService",
        "SuseLinux",
        "RedHat",
        "SqlDataWarehouse",
        "Databricks",
        "ManagedDisk",
        "BlockBlob",
        "RedisCache",
        "AzureDataExplorer",
        "MySql",
        "MariaDb",
        "PostgreSql",
        "DedicatedHost",
        "SapHana",
        "AVS",
        "DataFactory",
        "NetAppStorage",
        "AzureFiles",
        "VirtualMachineSoftware",
    ];

    /// Validates a family name (1–64 ASCII letters or digits).
    pub fn new(name: &str) -> Result<Self, ResourceTypeError> {
        if (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(name.to_owned()))
        } else {
            Err(ResourceTypeError)
        }
    }

    /// The name as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a family in [`Self::KNOWN`].
    pub fn is_known(&self) -> bool {
        Self::KNOWN.contains(&self.0.as_str())
    }
}

impl fmt::Display for ReservedResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ReservedResourceType {
    type Error = ResourceTypeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::new(&s)
    }
}

impl From<ReservedResourceType> for String {
    fn from(r: ReservedResourceType) -> String {
        r.0
    }
}

/// An existing reservation, as bought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = QuoteReservation))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reservation {
    /// Product family.
    pub reserved_resource_type: ReservedResourceType,
    /// Term length.
    pub term: Term,
    /// Upfront or monthly.
    pub billing_plan: BillingPlan,
    /// Start of the term (UTC calendar date).
    pub purchase_date: NaiveDate,
    /// Number of units bought (≥ 1).
    pub quantity: u32,
    /// Whole-term price of one unit, in the billing currency.
    pub unit_price: Money,
    /// Whole-term price of one unit in USD (the refund limit's currency); required when billing is not in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_unit_price: Option<Money>,
    /// Whether the reservation has been used (matters inside the grace period).
    pub has_usage: bool,
    /// The current catalog price of one unit of the same SKU, region, term and billing plan, in
    /// the billing currency; when lower than `unitPrice`, refunds are computed at it. Absent: the
    /// purchase price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_unit_price: Option<Money>,
    /// The SKU, e.g. `Standard_D2s_v3` (a VM size names its series: rules on retired series).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_name: Option<String>,
    /// The day the term ends as the system of record has it (Azure's `expiryDate`), which
    /// governs where it is given; absent, the purchase date plus the term. It must be after the
    /// purchase date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
}

/// A refund already made to the customer: what counted toward the refund limit, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriorRefund {
    /// Day the refund was made.
    pub date: NaiveDate,
    /// Amount that counted toward the limit, in the limit's currency (USD).
    pub amount: Money,
}

/// A new reservation bought in an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Purchase {
    /// Product family.
    pub reserved_resource_type: ReservedResourceType,
    /// Term length.
    pub term: Term,
    /// Upfront or monthly.
    pub billing_plan: BillingPlan,
    /// Units bought (≥ 1).
    pub quantity: u32,
    /// Whole-term price of one unit.
    pub unit_price: Money,
    /// The SKU, e.g. `Standard_D2s_v3`: a retired VM series cannot be bought for its term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_name: Option<String>,
}

/// One reservation (or part of it) handed back in an exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeReturn {
    /// The reservation being returned.
    pub reservation: Reservation,
    /// How many of its units are returned.
    pub quantity: u32,
}

/// `amount > MAX_AMOUNT`; for the usual scales by the mantissa, without aligning two `Decimal`s.
fn above_max_amount(amount: Decimal) -> bool {
    let scale = amount.scale();
    if scale <= 13 {
        // value = mantissa / 10^scale > 10^15 ⇔ mantissa > 10^(15 + scale) (≤ 10^28: fits i128).
        amount.mantissa() > crate::money::POW10[15 + scale as usize] as i128
    } else {
        amount > MAX_AMOUNT
    }
}

/// Checks that an amount is within `0..=MAX_AMOUNT` and has no more decimals than its currency's minor unit.
/// `field` names the amount's JSON path; it is only formatted when there is an error.
pub(crate) fn check_amount(m: &Money, field: impl Fn() -> String) -> Result<(), QuoteError> {
    let minor_units = m.currency.minor_units();
    // `scale()` first: normalizing (dividing trailing zeros away) is only needed for "100.500".
    if m.amount.scale() > minor_units && m.amount.normalize().scale() > minor_units {
        Err(QuoteError::new(
            format!("{}.amount", field()),
            QuoteErrorKind::TooManyDecimals {
                currency: m.currency,
                minor_units,
            },
        ))
    } else if m.is_negative() {
        Err(QuoteError::new(
            format!("{}.amount", field()),
            QuoteErrorKind::NegativeAmount,
        ))
    } else if above_max_amount(m.amount) {
        Err(QuoteError::new(
            format!("{}.amount", field()),
            QuoteErrorKind::AmountTooLarge,
        ))
    } else {
        Ok(())
    }
}

/// Checks that `m` is in `expected`.
pub(crate) fn check_currency(m: &Money, expected: Currency, field: impl Fn() -> String) -> Result<(), QuoteError> {
    if m.currency == expected {
        Ok(())
    } else {
        Err(QuoteError::new(
            format!("{}.currencyCode", field()),
            QuoteErrorKind::WrongCurrency {
                expected,
                found: m.currency,
            },
        ))
    }
}

/// The longest accepted SKU name (Azure's are well under 64 characters).
pub const MAX_SKU_NAME_LEN: usize = 128;

/// Checks that a SKU name is 1 to [`MAX_SKU_NAME_LEN`] printable ASCII characters.
pub(crate) fn check_sku_name(sku: Option<&str>, field: impl Fn() -> String) -> Result<(), QuoteError> {
    match sku {
        Some(s) if s.is_empty() || s.len() > MAX_SKU_NAME_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) => {
            Err(QuoteError::new(field(), QuoteErrorKind::InvalidSkuName))
        }
        _ => Ok(()),
    }
}

impl Reservation {
    /// The day the term ends: `expiryDate` when given, else the purchase date plus the term.
    /// `Err` names the field that puts it out of range (an `expiryDate` not after the purchase
    /// date, or a purchase date whose term ends past the calendar).
    pub fn expiry(&self, path: &dyn fmt::Display) -> Result<NaiveDate, QuoteError> {
        match self.expiry_date {
            Some(expiry) if expiry > self.purchase_date => Ok(expiry),
            Some(_) => Err(QuoteError::new(format!("{path}.expiryDate"), QuoteErrorKind::DateOutOfRange)),
            None => crate::term::expiry_date(self.purchase_date, self.term)
                .ok_or_else(|| QuoteError::new(format!("{path}.purchaseDate"), QuoteErrorKind::DateOutOfRange)),
        }
    }

    /// Validates the reservation (`path` prefixes field names; written only for an error) and returns its unit price in the limit currency.
    ///
    /// `pricingUnitPrice` only means something when billing is not in the limit's currency: when
    /// billing is already in USD it must be absent or equal to `unitPrice` (the limit then counts
    /// the billing price), and it is never zero for a non-zero billing price — either would let a
    /// client shrink what a refund counts toward the limit. Without `require_pricing` (exchanges
    /// do not touch the limit) a missing USD price is fine and the billing price is returned.
    pub(crate) fn validate(
        &self,
        path: &dyn fmt::Display,
        limit_currency: Currency,
        require_pricing: bool,
    ) -> Result<Money, QuoteError> {
        if self.quantity == 0 {
            return Err(QuoteError::new(
                format!("{path}.quantity"),
                QuoteErrorKind::ZeroQuantity,
            ));
        }
        check_amount(&self.unit_price, || format!("{path}.unitPrice"))?;
        if let Some(current) = &self.current_unit_price {
            let field = || format!("{path}.currentUnitPrice");
            check_currency(current, self.unit_price.currency, field)?;
            check_amount(current, field)?;
        }
        check_sku_name(self.sku_name.as_deref(), || format!("{path}.skuName"))?;
        let billing_in_limit_currency = self.unit_price.currency == limit_currency;
        match self.pricing_unit_price {
            Some(p) => {
                let field = || format!("{path}.pricingUnitPrice");
                check_currency(&p, limit_currency, field)?;
                check_amount(&p, field)?;
                if billing_in_limit_currency && p.amount != self.unit_price.amount {
                    return Err(QuoteError::new(
                        field(),
                        QuoteErrorKind::PricingUnitPriceDiffers {
                            limit: limit_currency,
                        },
                    ));
                }
                if p.is_zero() && !self.unit_price.is_zero() {
                    return Err(QuoteError::new(field(), QuoteErrorKind::ZeroPricingUnitPrice));
                }
                Ok(if billing_in_limit_currency { self.unit_price } else { p })
            }
            None if billing_in_limit_currency || !require_pricing => {
                Ok(self.unit_price)
            }
            None => Err(QuoteError::new(
                format!("{path}.pricingUnitPrice"),
                QuoteErrorKind::MissingPricingUnitPrice {
                    billing: self.unit_price.currency,
                    limit: limit_currency,
                },
            )),
        }
    }
}

impl Purchase {
    /// Validates the purchase; `path` prefixes field names (written only for an error).
    pub(crate) fn validate(&self, path: &dyn fmt::Display) -> Result<(), QuoteError> {
        if self.quantity == 0 {
            return Err(QuoteError::new(
                format!("{path}.quantity"),
                QuoteErrorKind::ZeroQuantity,
            ));
        }
        check_amount(&self.unit_price, || format!("{path}.unitPrice"))?;
        check_sku_name(self.sku_name.as_deref(), || format!("{path}.skuName"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_amount_is_ten_to_the_fifteenth() {
        assert_eq!(MAX_AMOUNT.to_string(), "1000000000000000");
        for (text, above) in [
            ("1000000000000000", false),
            ("1000000000000000.00", false),
            ("1000000000000000.01", true),
            ("1000000000000001", true),
            ("999999999999999.99", false),
            ("-1000000000000001", false),
            ("0", false),
            ("1000000000000000.0000000000001", true),
            ("1000000000000000.0000000000000", false),
            ("100.00000000000000000000000001", false),
        ] {
            let amount: Decimal = text.parse().unwrap();
            assert_eq!(above_max_amount(amount), above, "{text}");
            assert_eq!(above_max_amount(amount), amount > MAX_AMOUNT, "{text}");
        }
    }

    #[test]
    fn resource_type_names() {
        assert!(ReservedResourceType::new("VirtualMachines")
            .unwrap()
            .is_known());
        assert!(!ReservedResourceType::new("QuantumComputers")
            .unwrap()
            .is_known());
        for bad in ["", "Virtual Machines", "a/b", &"x".repeat(65)] {
            assert!(ReservedResourceType::new(bad).is_err());
        }
        assert!(serde_json::from_str::<ReservedResourceType>("\"\"").is_err());
    }

    #[test]
    fn reservation_json_round_trip() {
        let json = r#"{"reservedResourceType":"VirtualMachines","term":"P3Y","billingPlan":"Monthly",
            "purchaseDate":"2025-03-01","quantity":4,"unitPrice":{"amount":"3600.00","currencyCode":"USD"},
            "hasUsage":true}"#;
        let r: Reservation = serde_json::from_str(json).unwrap();
        assert_eq!(r.term, Term::P3Y);
        assert_eq!(r.billing_plan, BillingPlan::Monthly);
        let back: Reservation = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        for bad in [
            json.replace("P3Y", "P2Y"),
            json.replace("Monthly", "monthly"),
            json.replace("2025-03-01", "2025-02-30"),
            json.replace("\"quantity\":4", "\"quantity\":-4"),
            json.replace("\"hasUsage\":true", "\"hasUsage\":true,\"extra\":1"),
        ] {
            assert!(serde_json::from_str::<Reservation>(&bad).is_err(), "{bad}");
        }
    }
}
