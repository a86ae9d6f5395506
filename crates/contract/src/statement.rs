//! Money passed on: what the partner charges or credits its customer for each move the desk made
//! with Microsoft (a purchase, a refund, both sides of an exchange), at the partner's own price,
//! beside Microsoft's figure and the margin between them; a statement per customer and month.
//!
//! Microsoft's figure is what Microsoft charged (positive) or credited (negative) the partner, in
//! the currency Microsoft billed it in. The customer's figure is in that same currency: a markup
//! applies to the currency as Microsoft billed it, and currencies are never mixed (a statement
//! totals each currency apart).

use chrono::NaiveDate;
use quote_engine::{BillingPlan, Money, Term};
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
    /// Units of a reservation returned for a refund (a credit on Microsoft's invoice: a cancel
    /// credit line for the order).
    Refund,
    /// The units an exchange returned (credited).
    ExchangeReturn,
    /// What an exchange bought (charged).
    ExchangePurchase,
    /// An exchange recorded with its net figure only (what was paid less what was credited): priced
    /// by the markup, as a fixed price per SKU cannot split it.
    Exchange,
    /// A later monthly instalment of a reservation bought through the desk and billed monthly
    /// (charged): Microsoft bills one each month on the purchase's day of the month while units
    /// are held; the statement derives it from the recorded purchase.
    Instalment,
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
    /// How Microsoft bills what was bought: the whole commitment at once, or monthly instalments
    /// (then `microsoft` on a purchase is its first instalment).
    #[serde(default = "upfront", skip_serializing_if = "is_upfront")]
    pub billing_plan: BillingPlan,
    /// Microsoft's figure for the whole term of what was bought (a purchase billed monthly: the
    /// instalments add up to it), when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Money>,
    /// The partner's price in force when the money moved, as far as it applies to this move.
    /// Absent from moves recorded before the desk kept it: those are priced by the price history
    /// at their `time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_in_force: Option<PriceInForce>,
}

fn upfront() -> BillingPlan {
    BillingPlan::Upfront
}

fn is_upfront(plan: &BillingPlan) -> bool {
    *plan == BillingPlan::Upfront
}

/// The partner's price in force when a move was recorded: the markup, and the fixed prices of the
/// move's SKUs and terms (the others do not apply to it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PriceInForce {
    /// When that price was set (RFC 3339); absent when none was set (Microsoft's figures passed
    /// on as billed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_at: Option<String>,
    /// Percent added to Microsoft's figure.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12.5"))]
    pub markup_percent: Decimal,
    /// The fixed unit prices of the move's SKUs and terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<FixedPrice>,
}

impl PriceInForce {
    /// What of `pricing` (none: nothing set) applies to moves of `skus` (SKU, term).
    pub fn of<'a>(pricing: Option<&PartnerPricing>, skus: impl IntoIterator<Item = (&'a str, Term)> + Clone) -> Self {
        match pricing {
            None => Self { set_at: None, markup_percent: Decimal::ZERO, fixed: Vec::new() },
            Some(p) => Self {
                set_at: Some(p.from.clone()),
                markup_percent: p.markup_percent,
                fixed: p
                    .fixed
                    .iter()
                    .filter(|f| skus.clone().into_iter().any(|(sku, term)| f.term == term && f.sku_name.eq_ignore_ascii_case(sku)))
                    .cloned()
                    .collect(),
            },
        }
    }

    /// The fixed unit price of `sku` over `term`, if one was in force.
    pub fn fixed_for(&self, sku: &str, term: Term) -> Option<&FixedPrice> {
        self.fixed.iter().find(|f| f.term == term && f.sku_name.eq_ignore_ascii_case(sku))
    }
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
    /// A credit: what the customer had been charged for the units returned (at the price of the
    /// day each charge was made), less the share earlier credits already gave back; the credit is
    /// never more. Absent when the desk never charged the customer for them (a reservation
    /// bought before or outside the desk): the credit is then capped at what Microsoft had
    /// charged for the units, at the price in force when it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_paid_for_units: Option<Money>,
}

/// A statement's totals in one currency: the sums of its lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatementTotal {
    /// Microsoft's charges less its credits.
    pub microsoft: Money,
    /// What the customer owes for the month: `charged` less what `credited` gives back
    /// (negative: the partner owes the customer).
    pub customer: Money,
    /// The partner's margin.
    pub margin: Money,
    /// The sum of the lines charged to the customer (purchases, instalments): what to invoice.
    pub charged: Money,
    /// The sum of the lines credited to the customer (refunds, exchange returns), negative:
    /// what to credit, on credit notes.
    pub credited: Money,
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
