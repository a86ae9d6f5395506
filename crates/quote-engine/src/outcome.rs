//! What a quote says besides numbers: policy errors, warnings, and itemized lines with reason codes.

use std::fmt;

use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use crate::money::Money;
use crate::reservation::ReservedResourceType;
use crate::term::Term;

/// A policy outcome that refuses the quote (still a 200 for the server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WarningCode {
    /// The refund was truncated to the limit's headroom; the rest is forfeited.
    RefundCapped,
}

/// A refusal, with a human-readable message (the UI may translate by `code`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyError {
    /// Machine-readable code.
    pub code: PolicyErrorCode,
    /// English explanation with the figures involved.
    pub message: String,
}

/// A warning, with a human-readable message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyWarning {
    /// Machine-readable code.
    pub code: WarningCode,
    /// English explanation with the figures involved.
    pub message: String,
}

/// One itemized line of a quote; the lines of a quote sum exactly to its total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    /// English label with the figures behind the line.
    pub label: String,
    /// Signed amount, rounded to the currency's minor unit.
    pub amount: Money,
    /// Machine-readable reason: which rule produced the line (see [`reason`]).
    pub reason: String,
    /// The figures behind the line as data, so a client can explain it in its user's
    /// language (the `label` says the same in English). Absent in quotes stored before lines
    /// carried figures: then it reads as [`LineDetail::Unknown`].
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: LineDetail,
}

impl QuoteLine {
    pub(crate) fn new(label: impl Into<String>, amount: Money, reason: impl Into<String>, detail: LineDetail) -> Self {
        Self {
            label: label.into(),
            amount,
            reason: reason.into(),
            detail,
        }
    }
}

/// The figures behind a [`QuoteLine`], one variant per kind of line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum LineDetail {
    /// Paid in full at purchase.
    PaidUpfront,
    /// Paid so far under a monthly plan.
    PaidInstallments {
        /// Installments paid so far.
        paid: u32,
        /// Installments over the whole term.
        of: u32,
    },
    /// Returned within the grace window with no usage: everything paid comes back.
    FullRefund {
        /// The grace window, in days from purchase.
        grace_days: u32,
    },
    /// The used part of the term, pro-rated by days.
    Used {
        /// Days used.
        days: i64,
        /// Days in the whole term.
        term_days: i64,
    },
    /// The early-termination fee.
    Fee {
        /// The fee rate in percent, e.g. `12`.
        rate_percent: Decimal,
        /// The remaining (pro-rated) balance the rate applies to.
        base: Money,
    },
    /// The part above the refund limit, forfeited.
    AboveCap {
        /// What the limit still allowed.
        headroom: Money,
    },
    /// The whole refund withheld; the quote's errors say why.
    Refused,
    /// A returned reservation in an exchange: what was paid less what was used.
    ExchangeReturn {
        /// Units returned.
        quantity: u32,
        /// The product family.
        reserved_resource_type: ReservedResourceType,
        /// The returned reservation's term.
        term: Term,
        /// Paid so far for the returned units.
        paid: Money,
        /// The used part, kept.
        used: Money,
        /// Days used.
        days: i64,
        /// Days in the whole term.
        term_days: i64,
    },
    /// A purchase in an exchange.
    Purchase {
        /// Units bought.
        quantity: u32,
        /// The product family.
        reserved_resource_type: ReservedResourceType,
        /// The new term, starting on the exchange date.
        term: Term,
        /// The whole commitment over the term.
        commitment: Money,
        /// Monthly installments over the term; `None` when paid upfront.
        installments: Option<u32>,
    },
    /// No figures: a line stored before lines carried them, or a kind this build does not
    /// know. Show the English `label`.
    #[default]
    #[serde(other)]
    Unknown,
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
