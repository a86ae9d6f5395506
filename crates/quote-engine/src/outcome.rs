//! What a quote says besides numbers: policy errors, warnings, and itemized lines with reason codes.

use std::borrow::Cow;
use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use chrono::NaiveDate;
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
    /// The reservation was bought (or renewed) on or after its service's exchange restriction
    /// date (1 February 2027 for the services savings plans cover): it cannot be exchanged.
    ReservationNotExchangeable,
    /// A reservation bought before the restriction date keeps one final exchange per unit: more
    /// units were asked for than still have it.
    FinalExchangeUsed,
    /// The VM series of the SKU can no longer be bought or renewed for this term.
    RetiredVmSeries,
    /// A trade-in returns more reservations than one savings plan purchase may take (100).
    TradeInTooManyReservations,
    /// A returned reservation's type may not be traded for the savings plan (its SKU or term).
    TradeInNotEligible,
    /// The lifetime commitment bought in a trade-in is below the remaining commitment returned.
    SavingsPlanCommitmentTooLow,
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
            Self::ReservationNotExchangeable => "ReservationNotExchangeable",
            Self::FinalExchangeUsed => "FinalExchangeUsed",
            Self::RetiredVmSeries => "RetiredVmSeries",
            Self::TradeInTooManyReservations => "TradeInTooManyReservations",
            Self::TradeInNotEligible => "TradeInNotEligible",
            Self::SavingsPlanCommitmentTooLow => "SavingsPlanCommitmentTooLow",
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
    /// The figures behind the refusal as data, so a client can say it in its user's language
    /// (the `message` says the same in English). Only the dated rules carry it; absent
    /// for the other codes, so their quotes read as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<PolicyErrorDetail>,
}

/// The figures behind a [`PolicyError`] of the dated rules, one variant per code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PolicyErrorDetail {
    /// [`PolicyErrorCode::ReservationNotExchangeable`]: bought or renewed on or after the
    /// service's exchange restriction date.
    #[serde(rename_all = "camelCase")]
    NotExchangeable {
        /// The product family, e.g. `VirtualMachines`.
        reserved_resource_type: String,
        /// The day the restriction started for the service.
        from: NaiveDate,
        /// Whether the reservation is a renewal.
        renewal: bool,
    },
    /// [`PolicyErrorCode::FinalExchangeUsed`]: more units asked for than still have their final
    /// exchange.
    #[serde(rename_all = "camelCase")]
    FinalExchangeUsed {
        /// The product family.
        reserved_resource_type: String,
        /// The day the restriction started for the service.
        from: NaiveDate,
        /// Units that still have their final exchange.
        units_with_right: u32,
        /// Units asked for.
        units: u32,
    },
    /// [`PolicyErrorCode::RetiredVmSeries`]: the SKU's VM series can no longer be bought or
    /// renewed for the term.
    #[serde(rename_all = "camelCase")]
    RetiredVmSeries {
        /// The SKU as sent, e.g. `Standard_D2s_v3`.
        sku_name: String,
        /// Its VM series, e.g. `Dsv3`.
        series: String,
        /// The reservation term that is retired.
        term: Term,
        /// The first day it can no longer be bought or renewed.
        from: NaiveDate,
        /// Whether it was a renewal (else a purchase).
        renewal: bool,
    },
    /// [`PolicyErrorCode::TradeInTooManyReservations`]: more reservations than one trade-in takes.
    #[serde(rename_all = "camelCase")]
    TradeInTooManyReservations {
        /// Reservations returned.
        reservations: u32,
        /// The most one trade-in takes (100).
        max: u32,
    },
    /// [`PolicyErrorCode::TradeInNotEligible`]: the reservation's type may not be traded for the plan.
    #[serde(rename_all = "camelCase")]
    TradeInNotEligible {
        /// The returned reservation's product family, e.g. `SqlDatabases`.
        reserved_resource_type: String,
        /// The savings plan's SKU, e.g. `Compute_Savings_Plan`.
        savings_plan_sku: String,
        /// The savings plan's term.
        term: Term,
    },
    /// [`PolicyErrorCode::SavingsPlanCommitmentTooLow`]: the new lifetime commitment is below the
    /// remaining commitment returned.
    #[serde(rename_all = "camelCase")]
    SavingsPlanCommitmentTooLow {
        /// The exchange's new lifetime commitment (savings plans: hourly × hours of the term).
        lifetime_commitment: Money,
        /// The remaining commitment of what is returned.
        remaining_commitment: Money,
    },
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
#[derive(Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "StoredLine")]
pub struct QuoteLine {
    /// English label with the figures behind the line.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    label: Label,
    /// Signed amount, rounded to the currency's minor unit.
    pub amount: Money,
    /// Machine-readable reason: which rule produced the line (see [`reason`]).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reason: Cow<'static, str>,
    /// The figures behind the line as data, so a client can explain it in its user's
    /// language (the `label` says the same in English). Absent in quotes stored before lines
    /// carried figures: then it reads as [`LineDetail::Unknown`].
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: LineDetail,
}

/// What a line needs besides its [`LineDetail`] to say itself in English. The engine never
/// formats a label while quoting: [`QuoteLine::label`] (and serialization, where the wire
/// carries `label`) writes it when asked.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Label {
    /// The detail says everything (paid, used, fee, above the cap).
    Detail,
    /// A full refund within the grace period: what was paid (the detail has the days).
    FullRefund(Paid),
    /// A refusal by the reservation's state, naming its policy errors (at most two: not
    /// started or expired, and a bad quantity).
    Refused([Option<PolicyErrorCode>; 2]),
    /// The n-th return or purchase of an exchange, from 1.
    Item(usize),
    /// A label read back from JSON (a stored quote), said as it was stored.
    Text(String),
}

/// What a refund line says was paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paid {
    /// Paid in full at purchase.
    Upfront,
    /// `paid` of `of` monthly installments.
    Installments { paid: u32, of: u32 },
}

impl fmt::Display for Paid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Paid::Upfront => f.write_str("Paid upfront"),
            Paid::Installments { paid, of } => write!(f, "Paid: {paid} of {of} monthly installments"),
        }
    }
}

impl QuoteLine {
    /// A line whose English label is said from its detail alone.
    pub(crate) fn new(amount: Money, reason: impl Into<Cow<'static, str>>, detail: LineDetail) -> Self {
        Self::with(Label::Detail, amount, reason, detail)
    }

    /// A full refund within the grace period (`detail` is [`LineDetail::FullRefund`]).
    pub(crate) fn full_refund(paid: Paid, amount: Money, reason: &'static str, detail: LineDetail) -> Self {
        Self::with(Label::FullRefund(paid), amount, reason, detail)
    }

    /// A refusal by the reservation's state, naming `codes` (`detail` is [`LineDetail::Refused`]).
    pub(crate) fn refused(
        codes: impl ExactSizeIterator<Item = PolicyErrorCode>,
        amount: Money,
        reason: &'static str,
    ) -> Self {
        let label = if codes.len() <= 2 {
            let mut named = [None; 2];
            for (slot, code) in named.iter_mut().zip(codes) {
                *slot = Some(code);
            }
            Label::Refused(named)
        } else {
            let names: Vec<&str> = codes.map(PolicyErrorCode::as_str).collect();
            Label::Text(format!("Refused: {}", names.join(", ")))
        };
        Self::with(label, amount, reason, LineDetail::Refused)
    }

    /// The `number`-th (from 1) return or purchase of an exchange.
    pub(crate) fn item(number: usize, amount: Money, reason: &'static str, detail: LineDetail) -> Self {
        Self::with(Label::Item(number), amount, reason, detail)
    }

    fn with(label: Label, amount: Money, reason: impl Into<Cow<'static, str>>, detail: LineDetail) -> Self {
        Self {
            label,
            amount,
            reason: reason.into(),
            detail,
        }
    }

    /// The English label with the figures behind the line, e.g. `Used: 631 of 1096 days`
    /// (what the wire's `label` says): written by `Display` when asked, never while quoting.
    pub fn label(&self) -> LineLabel<'_> {
        LineLabel(self)
    }
}

/// The English label of a [`QuoteLine`]; `to_string()` it, or write it with `{}`.
#[derive(Clone, Copy)]
pub struct LineLabel<'a>(&'a QuoteLine);

impl fmt::Display for LineLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.0;
        match (&line.label, &line.detail) {
            (Label::Text(text), _) => f.write_str(text),
            (Label::FullRefund(paid), LineDetail::FullRefund { grace_days }) => {
                write!(f, "{paid}, refunded in full (returned within {grace_days} days, no usage)")
            }
            (Label::Refused(codes), _) => {
                f.write_str("Refused: ")?;
                for (i, code) in codes.iter().flatten().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(code.as_str())?;
                }
                Ok(())
            }
            (
                Label::Item(n),
                LineDetail::ExchangeReturn { quantity, reserved_resource_type, term, paid, used, days, term_days },
            ) => write!(
                f,
                "Return {n}: {quantity} × {reserved_resource_type} {term:?}, paid {paid} less {used} used ({days} of {term_days} days)"
            ),
            (Label::Item(n), LineDetail::Purchase { quantity, reserved_resource_type, term, commitment, installments }) => {
                write!(f, "Purchase {n}: {quantity} × {reserved_resource_type} {term:?}, commitment {commitment}, ")?;
                match installments {
                    None => f.write_str("upfront"),
                    Some(months) => write!(f, "first of {months} monthly installments"),
                }
            }
            (
                Label::Item(n),
                LineDetail::SavingsPlanPurchase { sku_name, term, hourly_commitment, hours, commitment, installments },
            ) => {
                write!(f, "Savings plan {n}: {sku_name} {term:?}, {hourly_commitment} an hour × {hours} hours, commitment {commitment}, ")?;
                match installments {
                    None => f.write_str("upfront"),
                    Some(months) => write!(f, "first of {months} monthly installments"),
                }
            }
            (_, LineDetail::PaidUpfront) => Paid::Upfront.fmt(f),
            (_, LineDetail::PaidInstallments { paid, of }) => Paid::Installments { paid: *paid, of: *of }.fmt(f),
            (_, LineDetail::Used { days, term_days }) => write!(f, "Used: {days} of {term_days} days"),
            (_, LineDetail::Fee { rate_percent, base }) => write!(f, "Early termination fee: {rate_percent} % of {base}"),
            (_, LineDetail::AboveCap { headroom }) => write!(f, "Above the refund cap (headroom {headroom})"),
            (_, LineDetail::CurrentPrice { purchase_unit_price, current_unit_price }) => write!(
                f,
                "Refunded at the current price {current_unit_price} per unit, lower than the purchase price {purchase_unit_price}"
            ),
            // Not made by the engine (each kind above comes with its own label data).
            (
                _,
                LineDetail::FullRefund { .. }
                | LineDetail::ExchangeReturn { .. }
                | LineDetail::Purchase { .. }
                | LineDetail::SavingsPlanPurchase { .. },
            ) => Ok(()),
            (_, LineDetail::Refused) => f.write_str("Refused"),
            (_, LineDetail::Unknown) => Ok(()),
        }
    }
}

impl fmt::Debug for LineLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl PartialEq<str> for LineLabel<'_> {
    fn eq(&self, other: &str) -> bool {
        // Tests and callers comparing with text, never the hot path: the text is written here.
        self.to_string().as_str() == other
    }
}

impl PartialEq<&str> for LineLabel<'_> {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

// By what the line says: a line read back from JSON equals the line it was written from.
impl PartialEq for QuoteLine {
    fn eq(&self, other: &Self) -> bool {
        self.amount == other.amount
            && self.reason == other.reason
            && self.detail == other.detail
            && (self.label == other.label || self.label().to_string() == other.label().to_string())
    }
}

impl Eq for QuoteLine {}

// As the derived `Debug` of a `label: String` field printed it.
impl fmt::Debug for QuoteLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QuoteLine")
            .field("label", &self.label().to_string())
            .field("amount", &self.amount)
            .field("reason", &self.reason)
            .field("detail", &self.detail)
            .finish()
    }
}

// The wire shape: `{"label", "amount", "reason", "detail"}`, the label written straight into
// the output.
impl Serialize for QuoteLine {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Text<'a>(LineLabel<'a>);
        impl Serialize for Text<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match &self.0 .0.label {
                    Label::Text(text) => serializer.serialize_str(text),
                    _ => serializer.collect_str(&self.0),
                }
            }
        }
        let mut s = serializer.serialize_struct("QuoteLine", 4)?;
        s.serialize_field("label", &Text(self.label()))?;
        s.serialize_field("amount", &self.amount)?;
        s.serialize_field("reason", &self.reason)?;
        s.serialize_field("detail", &self.detail)?;
        s.end()
    }
}

/// A line as stored: the label is text.
#[derive(Deserialize)]
struct StoredLine {
    label: String,
    amount: Money,
    reason: String,
    #[serde(default)]
    detail: LineDetail,
}

impl From<StoredLine> for QuoteLine {
    fn from(line: StoredLine) -> Self {
        Self::with(Label::Text(line.label), line.amount, line.reason, line.detail)
    }
}

/// The figures behind a [`QuoteLine`], one variant per kind of line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LineDetail {
    /// Paid in full at purchase.
    PaidUpfront,
    /// Paid so far under a monthly plan.
    #[serde(rename_all = "camelCase")]
    PaidInstallments {
        /// Installments paid so far.
        paid: u32,
        /// Installments over the whole term.
        of: u32,
    },
    /// Returned within the grace window with no usage: everything paid comes back.
    #[serde(rename_all = "camelCase")]
    FullRefund {
        /// The grace window, in days from purchase.
        grace_days: u32,
    },
    /// The used part of the term, pro-rated by days.
    #[serde(rename_all = "camelCase")]
    Used {
        /// Days used.
        days: i64,
        /// Days in the whole term.
        term_days: i64,
    },
    /// The early-termination fee.
    #[serde(rename_all = "camelCase")]
    Fee {
        /// The fee rate in percent, e.g. `12`.
        rate_percent: Decimal,
        /// The remaining (pro-rated) balance the rate applies to.
        base: Money,
    },
    /// The part above the refund limit, forfeited.
    #[serde(rename_all = "camelCase")]
    AboveCap {
        /// What the limit still allowed.
        headroom: Money,
    },
    /// The refund computed at the current price, lower than the purchase price: what the
    /// refund at the purchase price exceeds it by is not refunded.
    #[serde(rename_all = "camelCase")]
    CurrentPrice {
        /// The reservation's purchase price (whole-term, one unit).
        purchase_unit_price: Money,
        /// The current catalog price, lower, that the refund is computed at.
        current_unit_price: Money,
    },
    /// A savings plan bought in a trade-in.
    #[serde(rename_all = "camelCase")]
    SavingsPlanPurchase {
        /// The plan's SKU, e.g. `Compute_Savings_Plan`.
        sku_name: String,
        /// Its term, starting on the exchange date.
        term: Term,
        /// The commitment per hour.
        hourly_commitment: Money,
        /// Hours of the term.
        hours: u32,
        /// The lifetime commitment: hourly × hours.
        commitment: Money,
        /// Monthly installments over the term; `None` when paid upfront.
        installments: Option<u32>,
    },
    /// The whole refund withheld; the quote's errors say why.
    Refused,
    /// A returned reservation in an exchange: what was paid less what was used.
    #[serde(rename_all = "camelCase")]
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
    #[serde(rename_all = "camelCase")]
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
    /// The fee line of both presets' 12 % rate.
    pub const EARLY_TERMINATION_FEE_12PCT: &str = "early-termination-fee-12pct";
    /// Refund line: the part above the refund cap's headroom is forfeited.
    pub const REFUND_CAP_TRUNCATED: &str = "refund-cap-truncated";
    /// Refund line: the current price is lower than the purchase price, and refunds use the lower.
    pub const REFUND_AT_CURRENT_PRICE: &str = "refund-at-current-price";
    /// Refund line: the whole refund is withheld because of a policy error.
    pub const REFUSED_BY_POLICY: &str = "refused-by-policy";
    /// Exchange line: a returned reservation is credited its pro-rated base, no fee.
    pub const EXCHANGE_RETURN_PRO_RATED: &str = "exchange-return-pro-rated";
    /// Exchange line: an upfront purchase is due in full now.
    pub const PURCHASE_UPFRONT: &str = "purchase-upfront";
    /// Exchange line: a monthly purchase's first installment is due now.
    pub const PURCHASE_FIRST_INSTALLMENT: &str = "purchase-first-installment";
    /// Trade-in line: an upfront savings plan's lifetime commitment is due now.
    pub const SAVINGS_PLAN_UPFRONT: &str = "savings-plan-upfront";
    /// Trade-in line: a monthly savings plan's first installment is due now.
    pub const SAVINGS_PLAN_FIRST_INSTALLMENT: &str = "savings-plan-first-installment";
}
