//! Money passed on: what the partner charges or credits its customer for each move the desk made
//! with Microsoft (a purchase, a refund, both sides of an exchange), at the partner's own price,
//! beside Microsoft's figure and the margin between them; a statement per customer and month.
//!
//! Microsoft's figure is what Microsoft charged (positive) or credited (negative) the partner, in
//! the currency Microsoft billed it in. The customer's figure is in that same currency: a markup
//! applies to the currency as Microsoft billed it, and currencies are never mixed (a statement
//! totals each currency apart).

use chrono::NaiveDate;
use quote_engine::{Money, Term};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How the partner prices a customer's reservations, from a moment on: a markup in percent on
/// Microsoft's price, and fixed prices for given SKUs and terms that take precedence over it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PartnerPricing {
    /// From when it applies (RFC 3339, UTC): a move is priced by the pricing in force at its time,
    /// so changing the price later does not change what an earlier move was charged.
    pub from: String,
    /// Percent added to Microsoft's price (0 passes it on as billed; may be negative, a discount,
    /// down to −100).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12.5"))]
    pub markup_percent: Decimal,
    /// The customer's price for one unit of a SKU over a term, instead of the markup.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<FixedPrice>,
}

/// The customer's price for one unit of a SKU bought for a term (the whole term's price).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FixedPrice {
    /// e.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// The term it is the price for.
    pub term: Term,
    /// One unit over the whole term, in the currency Microsoft bills this customer in.
    pub unit_price: Money,
}

/// What a move did with Microsoft, for the statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum MoveKind {
    /// A reservation bought.
    Purchase,
    /// Units of a reservation returned for a refund (a credit Microsoft keeps for the customer's
    /// next reservation purchase).
    Refund,
    /// The units an exchange returned (credited).
    ExchangeReturn,
    /// What an exchange bought (charged).
    ExchangePurchase,
    /// An exchange recorded with its net figure only (what was paid less what was credited): priced
    /// by the markup, as a fixed price per SKU cannot split it.
    Exchange,
}

impl MoveKind {
    /// A credit to the customer (units returned), rather than a charge.
    pub fn is_credit(self) -> bool {
        matches!(self, MoveKind::Refund | MoveKind::ExchangeReturn)
    }
}

/// One move with Microsoft, as the desk recorded it: the input of a statement line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Move {
    /// When (RFC 3339, UTC): the audit entry's time.
    pub time: String,
    /// The day of `time` in UTC: the statement month it belongs to.
    pub day: NaiveDate,
    /// What it did.
    pub kind: MoveKind,
    /// The reservation order, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
    /// The reservation, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    /// Every reservation order an exchange returned or bought (empty for another move): what
    /// its lines on Microsoft's invoice are filed under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<String>,
    /// The reservation's name as the partner knows it.
    pub name: String,
    /// e.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// The reservation's term.
    pub term: Term,
    /// Units bought or returned.
    pub quantity: u32,
    /// What Microsoft charged (positive) or credited (negative) the partner.
    pub microsoft: Money,
    /// For units returned: what Microsoft had charged for those same units when they were bought
    /// (their share of the purchase price). The customer's credit is the same share of what the
    /// customer paid for them; absent when the desk does not know it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_for_units: Option<Money>,
    /// The partner's change or ticket reference it was made under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
}

/// How a line's customer figure was reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "basis", rename_all = "camelCase")]
pub enum PriceBasis {
    /// Microsoft's figure with the markup in percent.
    #[serde(rename_all = "camelCase")]
    Markup {
            #[cfg_attr(feature = "openapi", schema(value_type = String))]
        markup_percent: Decimal,
    },
    /// The fixed unit price for the SKU and term.
    #[serde(rename_all = "camelCase")]
    Fixed { unit_price: Money },
}

/// One statement line: a move, Microsoft's figure, the customer's, and the margin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatementLine {
    /// The move.
    #[serde(flatten)]
    pub r#move: Move,
    /// What the customer is charged (positive) or credited (negative), rounded to the currency's
    /// minor unit, half to even, on this line.
    pub customer: Money,
    /// `customer − microsoft`.
    pub margin: Money,
    /// How `customer` was reached.
    pub price: PriceBasis,
    /// True when the credit was cut to what the customer had paid for the units.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub capped: bool,
}

/// A statement's totals in one currency: the sums of its lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatementTotal {
    /// Microsoft's charges less its credits.
    pub microsoft: Money,
    /// What to invoice the customer (positive) or credit them (negative).
    pub customer: Money,
    /// The partner's margin.
    pub margin: Money,
    /// Microsoft's refund credit not yet used by a later purchase at the month's end.
    pub refund_credit_held: Money,
}

/// A move that could not be priced for the customer, with why (it is left off the totals).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnpricedMove {
    /// The move.
    #[serde(flatten)]
    pub r#move: Move,
    /// Why: `currencyMismatch` (a fixed price in another currency than Microsoft billed),
    /// `paidUnknown` (a credit at a fixed price without what Microsoft charged for the units).
    pub reason: String,
}

/// A customer's statement for one calendar month (UTC).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// The customer.
    pub customer_id: String,
    /// `yyyy-mm`.
    pub month: String,
    /// True once the month has ended: its lines no longer change.
    pub closed: bool,
    /// Each move of the month, oldest first.
    pub lines: Vec<StatementLine>,
    /// Per currency, in code order.
    pub totals: Vec<StatementTotal>,
    /// Moves the statement could not price, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unpriced: Vec<UnpricedMove>,
}

/// What a Global admin sets: the partner's price for a customer (or the default for all), in
/// force from the moment it is set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PricingRequest {
    /// Percent added to Microsoft's price, −100 to 1,000, at most 4 decimals.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12.5"))]
    pub markup_percent: Decimal,
    /// Fixed unit prices for given SKUs and terms (at most 200, one per SKU and term).
    #[serde(default)]
    pub fixed: Vec<FixedPrice>,
}

/// A customer's pricing: the one in force now, and the histories it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerPricing {
    /// The customer.
    pub customer_id: String,
    /// In force now: the customer's own once one is set, else the default's; none passes
    /// Microsoft's figures on as billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<PartnerPricing>,
    /// Set for this customer, oldest first.
    pub own: Vec<PartnerPricing>,
    /// Set for all customers, oldest first.
    pub default: Vec<PartnerPricing>,
}
