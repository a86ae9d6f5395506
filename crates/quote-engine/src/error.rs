//! Errors: input-shaped errors (a 400 for the server) and money arithmetic errors.
//!
//! Policy outcomes such as an expired reservation are *not* errors here: they are
//! reported inside a quote as [`crate::PolicyError`]s.

use crate::currency::Currency;

/// Why combining two amounts failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The two amounts are in different currencies; the engine never converts silently.
    #[error("currency mismatch: {left} and {right} cannot be combined")]
    CurrencyMismatch {
        /// Currency of the left operand.
        left: Currency,
        /// Currency of the right operand.
        right: Currency,
    },
    /// The result does not fit in a `Decimal`.
    #[error("amount overflow")]
    Overflow,
}

/// What is wrong with an input value (the field is carried by [`QuoteError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteErrorKind {
    /// A price or amount is below zero.
    #[error("must not be negative")]
    NegativeAmount,
    /// An amount is larger than [`crate::MAX_AMOUNT`].
    #[error("must not exceed {}", crate::MAX_AMOUNT)]
    AmountTooLarge,
    /// An amount is in the wrong currency.
    #[error("expected currency {expected}, got {found}")]
    WrongCurrency {
        /// The currency the field must be in.
        expected: Currency,
        /// The currency that was sent.
        found: Currency,
    },
    /// A non-USD reservation lacks the USD price the refund limit is counted in.
    #[error("required: unitPrice is in {billing}, and the refund limit is counted in {limit}")]
    MissingPricingUnitPrice {
        /// The billing currency of the reservation.
        billing: Currency,
        /// The currency of the refund limit.
        limit: Currency,
    },
    /// An amount has more decimals than its currency's minor unit (e.g. USD 100.005): refused
    /// rather than rounded, so that every figure derives from the exact price the partner pays.
    #[error("must have at most {minor_units} decimals in {currency}")]
    TooManyDecimals {
        /// The amount's currency.
        currency: Currency,
        /// Its minor unit: 2 for USD and EUR, 0 for JPY.
        minor_units: u32,
    },
    /// A USD price that differs from a billing price that is already in USD.
    #[error("must be absent or equal to unitPrice: unitPrice is already in {limit}, the refund limit's currency")]
    PricingUnitPriceDiffers {
        /// The currency of the refund limit.
        limit: Currency,
    },
    /// A zero USD price for a reservation whose billing price is not zero.
    #[error("must not be zero when unitPrice is not zero")]
    ZeroPricingUnitPrice,
    /// A quantity that must be positive is zero.
    #[error("must be at least 1")]
    ZeroQuantity,
    /// A date is so far from today that the term end cannot be represented.
    #[error("date out of the supported range")]
    DateOutOfRange,
    /// A list that needs at least one item is empty.
    #[error("must contain at least one item")]
    EmptyList,
    /// The policy data is inconsistent (only possible for hand-built policies).
    #[error("invalid policy: {0}")]
    InvalidPolicy(&'static str),
    /// A SKU name that is empty, too long or not printable ASCII.
    #[error("must be 1 to 128 printable ASCII characters, e.g. \"Standard_D2s_v3\"")]
    InvalidSkuName,
    /// The amounts are too large to compute exactly.
    #[error("amounts too large to compute exactly")]
    Overflow,
}

/// An input-shaped error: the request itself is malformed, naming the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {kind}")]
pub struct QuoteError {
    /// JSON-style path of the offending field, e.g. `reservation.unitPrice.amount`.
    pub field: String,
    /// What is wrong with it.
    pub kind: QuoteErrorKind,
}

impl QuoteError {
    /// Builds an error for `field`.
    pub fn new(field: impl Into<String>, kind: QuoteErrorKind) -> Self {
        Self {
            field: field.into(),
            kind,
        }
    }

    /// An arithmetic overflow, attributed to the request as a whole.
    pub(crate) fn overflow() -> Self {
        Self::new("request", QuoteErrorKind::Overflow)
    }
}

impl From<MoneyError> for QuoteError {
    fn from(_: MoneyError) -> Self {
        // Inputs are validated for currency before any arithmetic, so only overflow is left.
        Self::overflow()
    }
}

/// The error the [`crate::api`] functions return: a 400 `application/problem+json` naming `field`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{field}: {message}")]
pub struct InputError {
    /// JSON-style path of the offending field, e.g. `reservation.unitPrice.amount`.
    pub field: String,
    /// Human-readable explanation.
    pub message: String,
    /// What is wrong, when the engine found it (not sent: a server maps it to its own stable
    /// problem code, e.g. [`QuoteErrorKind::InvalidSkuName`]).
    #[serde(skip)]
    pub kind: Option<QuoteErrorKind>,
}

impl From<QuoteError> for InputError {
    fn from(e: QuoteError) -> Self {
        Self {
            message: e.kind.to_string(),
            field: e.field,
            kind: Some(e.kind),
        }
    }
}
