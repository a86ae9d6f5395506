//! What a quote says besides numbers: policy errors, warnings, and itemized lines with reason codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// A policy outcome that refuses the quote (still a 200 for the server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyErrorCode {
    /// The as-of date is before the purchase date.
    ReservationNotStarted,
    /// The as-of date is on or after the expiry date.
    ReservationExpired,
    /// The quantity is 0 or more than the reservation holds.
    InvalidRefundQuantity,
    /// The refund would push the rolling window over the limit (refusing policies).
    RefundLimitExceeded,
    /// An exchange's new commitment is below the remaining commitment returned.
    ExchangeCommitmentTooLow,
    /// An exchange mixes product families.
    ExchangeProductFamilyMismatch,
    /// An exchange mixes currencies; the engine never converts.
    CurrencyMismatch,
}

impl PolicyErrorCode {
    /// The code as sent on the wire, e.g. `"RefundLimitExceeded"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReservationNotStarted => "ReservationNotStarted",
            Self::ReservationExpired => "ReservationExpired",
            Self::InvalidRefundQuantity => "InvalidRefundQuantity",
            Self::RefundLimitExceeded => "RefundLimitExceeded",
            Self::ExchangeCommitmentTooLow => "ExchangeCommitmentTooLow",
            Self::ExchangeProductFamilyMismatch => "ExchangeProductFamilyMismatch",
            Self::CurrencyMismatch => "CurrencyMismatch",
        }
    }
}

impl fmt::Display for PolicyErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy outcome that changes the quote without refusing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WarningCode {
    /// The refund was truncated to the limit's headroom; the rest is forfeited.
    RefundCapped,
}

/// A refusal, with a human-readable message (the UI may translate by `code`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    /// Machine-readable code.
    pub code: PolicyErrorCode,
    /// English explanation with the figures involved.
    pub message: String,
}

/// A warning, with a human-readable message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyWarning {
    /// Machine-readable code.
    pub code: WarningCode,
    /// English explanation with the figures involved.
    pub message: String,
}

/// One itemized line of a quote; the lines of a quote sum exactly to its total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// English label with the figures behind the line.
    pub label: String,
    /// Signed amount, rounded to the currency's minor unit.
    pub amount: Money,
    /// Machine-readable reason: which rule produced the line (see [`reason`]).
    pub reason: String,
}

impl QuoteLine {
    pub(crate) fn new(label: impl Into<String>, amount: Money, reason: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            amount,
            reason: reason.into(),
        }
    }
}

/// The reason codes a [`QuoteLine`] can carry.
pub mod reason {
    /// Refund line: everything paid comes back (grace period, no usage).
    pub const FULL_REFUND_WITHIN_GRACE: &str = "full-refund-within-grace";
    /// Refund line: what has been paid so far.
    pub const PAID_TO_DATE: &str = "paid-to-date";
    /// Refund line: the used part, pro-rated by days, is kept.
    pub const PRO_RATED: &str = "pro-rated";
    /// Prefix of the fee line; the full code carries the rate, e.g. `early-termination-fee-12pct`.
    pub const EARLY_TERMINATION_FEE_PREFIX: &str = "early-termination-fee-";
    /// Refund line: the part above the refund cap's headroom is forfeited.
    pub const REFUND_CAP_TRUNCATED: &str = "refund-cap-truncated";
    /// Refund line: the whole refund is withheld because of a policy error.
    pub const REFUSED_BY_POLICY: &str = "refused-by-policy";
    /// Exchange line: a returned reservation is credited its pro-rated base, no fee.
    pub const EXCHANGE_RETURN_PRO_RATED: &str = "exchange-return-pro-rated";
    /// Exchange line: an upfront purchase is due in full now.
    pub const PURCHASE_UPFRONT: &str = "purchase-upfront";
    /// Exchange line: a monthly purchase's first installment is due now.
    pub const PURCHASE_FIRST_INSTALLMENT: &str = "purchase-first-installment";
}
