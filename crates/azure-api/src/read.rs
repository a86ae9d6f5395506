//! ARM's reservations as Azure mode reads them from the partner's real Azure, which is not the
//! desk's own Azure surface: every property that Microsoft.Capacity 2022-11-01
//! (`reservations.json`) does not mark required may be absent or `null`, unknown properties are
//! ignored, and an enum value the desk does not know (a new `provisioningState`, `term`,
//! `billingPlan`, `appliedScopeType`) is kept as the text Azure sent, never an error.
//!
//! What a reservation leaves out is filled from where Azure keeps it:
//! - term and billing plan from its reservation order (`term`, `billingPlan`), which the desk
//!   reads anyway for the price; a term also from the reservation's own dates;
//! - the purchase day from `purchaseDate`, `purchaseDateTime`, `benefitStartTime`, then the
//!   order's `benefitStartTime`, `createdDateTime`, `requestDateTime`;
//! - the expiry from `expiryDate` / `expiryDateTime`, then the order's: Azure's expiry governs
//!   (the quote uses it); only without any, the purchase day plus the term;
//! - a Single scope's subscription from `appliedScopes` (older answers), the scope type from the
//!   scope's target when absent; the display name from the ID; a missing `displayProvisioningState`
//!   from `provisioningState` and the reverse.
//!
//! Only when a value the desk cannot do without is nowhere (the quantity, the state, the term,
//! the billing plan, the purchase day), that one reservation is [`Unread`], with why: it is
//! listed on its customer's status and the rest of the customer is read. A price that cannot be
//! derived from the order leaves the reservation listed and not quotable (`priceUnknown`).
//!
//! [`read_page`] reads a list page item by item, so one item that does not fit never hides the
//! others.

use chrono::{DateTime, NaiveDate};
use contract::reservation::{AppliedScopeProperties, AppliedScopeType, MergeProperties, ProvisioningState, Reservation, SplitProperties, UtilizationAggregates};
use contract::source::UnreadReservation;
use quote_engine::{BillingPlan, Term};
use rust_decimal::Decimal;
use serde::Deserialize;

pub use crate::lenient::{or_default, Lenient};
use crate::ids;
use crate::number::ExactNumber;
use crate::order_price::{OrderPrice, OrderRead};

/// `ReservationResponse` as read from Azure: nothing required.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReservationRead {
    /// The full ARM ID.
    #[serde(default)]
    pub id: Option<String>,
    /// `{orderId}/{reservationId}`.
    #[serde(default)]
    pub name: Option<String>,
    /// The region.
    #[serde(default)]
    pub location: Option<String>,
    /// The SKU.
    #[serde(default)]
    pub sku: Option<SkuRead>,
    /// The properties.
    #[serde(default)]
    pub properties: Option<PropertiesRead>,
}

/// `SkuName`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SkuRead {
    /// E.g. `Standard_D2s_v3`.
    #[serde(default)]
    pub name: Option<String>,
}

/// `ReservationsProperties`, as far as the desk reads it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertiesRead {
    /// E.g. `VirtualMachines` (open-ended in the specification).
    #[serde(default)]
    pub reserved_resource_type: Option<String>,
    /// The name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// A Single scope's subscriptions (older answers name it only here).
    #[serde(default)]
    pub applied_scopes: Option<Vec<String>>,
    /// The subscription it is billed to (`/subscriptions/{id}`): where today's price of the same
    /// SKU is asked.
    #[serde(default)]
    pub billing_scope_id: Option<String>,
    /// `Single`, `Shared`, `ManagementGroup`.
    #[serde(default)]
    pub applied_scope_type: Option<Lenient<AppliedScopeType>>,
    /// The scope's target.
    #[serde(default)]
    pub applied_scope_properties: Option<ScopeRead>,
    /// Whether it is archived.
    #[serde(default)]
    pub archived: Option<bool>,
    /// Where a split reservation went, or where a part came from.
    #[serde(default)]
    pub split_properties: Option<SplitRead>,
    /// Where a merged reservation went, or what a merge was made of.
    #[serde(default)]
    pub merge_properties: Option<MergeRead>,
    /// Units reserved now.
    #[serde(default)]
    pub quantity: Option<u32>,
    /// Azure's provisioning state (open-ended: kept as text).
    #[serde(default)]
    pub provisioning_state: Option<String>,
    /// The state as the portal shows it.
    #[serde(default)]
    pub display_provisioning_state: Option<String>,
    /// The day the term started.
    #[serde(default)]
    pub purchase_date: Option<String>,
    /// The instant it was bought.
    #[serde(default)]
    pub purchase_date_time: Option<String>,
    /// When the benefit started.
    #[serde(default)]
    pub benefit_start_time: Option<String>,
    /// The day the term ends.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// The instant the term ends.
    #[serde(default)]
    pub expiry_date_time: Option<String>,
    /// `Upfront` or `Monthly`.
    #[serde(default)]
    pub billing_plan: Option<Lenient<BillingPlan>>,
    /// `P1Y`, `P3Y`, `P5Y`.
    #[serde(default)]
    pub term: Option<Lenient<Term>>,
    /// Whether it renews.
    #[serde(default)]
    pub renew: Option<bool>,
    /// Utilization averages.
    #[serde(default)]
    pub utilization: Option<UtilizationRead>,
}

/// `ReservationAppliedScopeProperties` (every member optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeRead {
    /// `/subscriptions/{id}`.
    #[serde(default)]
    pub subscription_id: Option<String>,
    /// `/subscriptions/{id}/resourceGroups/{name}`.
    #[serde(default)]
    pub resource_group_id: Option<String>,
    /// `/providers/Microsoft.Management/managementGroups/{id}`.
    #[serde(default)]
    pub management_group_id: Option<String>,
    /// The scope's name.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `ReservationSplitProperties`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SplitRead {
    /// The two parts.
    #[serde(default)]
    pub split_destinations: Option<Vec<String>>,
    /// The reservation a part was split from.
    #[serde(default)]
    pub split_source: Option<String>,
}

/// `ReservationMergeProperties`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeRead {
    /// The reservation a source became part of.
    #[serde(default)]
    pub merge_destination: Option<String>,
    /// The sources of a merge.
    #[serde(default)]
    pub merge_sources: Option<Vec<String>>,
}

/// `ReservationsPropertiesUtilization`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct UtilizationRead {
    /// The averages.
    #[serde(default)]
    pub aggregates: Option<Vec<AggregateRead>>,
}

/// `ReservationUtilizationAggregates`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AggregateRead {
    /// Days averaged over.
    #[serde(default)]
    pub grain: Option<ExactNumber>,
    /// Percent.
    #[serde(default)]
    pub value: Option<ExactNumber>,
}

/// What the desk takes from a reservation's order: its price, and what fills a reservation
/// that leaves them out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFacts {
    /// The whole-term price of one unit (or why it is unknown).
    pub price: OrderPrice,
    /// The order's term.
    pub term: Option<Term>,
    /// The order's billing plan.
    pub billing_plan: Option<BillingPlan>,
    /// The first day of its benefit: `benefitStartTime`, else `createdDateTime`, else
    /// `requestDateTime`.
    pub start: Option<NaiveDate>,
    /// The day its term ends: `expiryDate`, else `expiryDateTime`.
    pub expiry: Option<NaiveDate>,
}

impl OrderFacts {
    /// An order that could not be read: its price unknown for `why`, nothing else known.
    pub fn unknown(why: contract::source::PriceUnknown) -> Self {
        Self { price: OrderPrice::Unknown(why), term: None, billing_plan: None, start: None, expiry: None }
    }
}

impl OrderRead {
    /// The facts this order gives its reservations.
    pub fn facts(&self) -> OrderFacts {
        let p = &self.properties;
        OrderFacts {
            price: self.price(),
            term: p.term.as_ref().and_then(Lenient::known).copied(),
            billing_plan: p.billing_plan.as_ref().and_then(Lenient::known).copied(),
            start: [&p.benefit_start_time, &p.created_date_time, &p.request_date_time].into_iter().find_map(|t| day(t.as_deref())),
            expiry: day(p.expiry_date.as_deref()).or_else(|| day(p.expiry_date_time.as_deref())),
        }
    }
}

/// What the desk needs besides the reservation: whose it is, and its order's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadContext {
    /// The desk's customer (the tenant the reservation was read in).
    pub customer_id: String,
    /// Its order's facts (price, term, billing plan, dates).
    pub order: OrderFacts,
}

/// A reservation that could not be read, with why ([`UnreadReservation`]).
pub type Unread = UnreadReservation;

/// The day of an ARM date (`2023-03-03`) or date-time (`2022-03-03T20:40:34.8061Z`, UTC, or with
/// an offset); `None` when absent or not a date.
pub fn day(text: Option<&str>) -> Option<NaiveDate> {
    let text = text?.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_utc().date());
    }
    // A date-time without an offset (ARM's `date-time` as some services write it): its day.
    text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).filter(|_| text.as_bytes().get(10) == Some(&b'T'))
}

/// The term whose length runs from `start` to `end` (within a week, as Azure's instants may not
/// fall on midnight): `None` when no term fits.
fn term_between(start: NaiveDate, end: NaiveDate) -> Option<Term> {
    [Term::P1Y, Term::P3Y, Term::P5Y]
        .into_iter()
        .find(|t| quote_engine::expiry_date(start, *t).is_some_and(|e| (e - end).num_days().abs() <= 7))
}

/// The desk's state for Azure's `provisioningState` (and, without one, the portal's
/// `displayProvisioningState`): the states of the specification the desk has no name of its own
/// for are the nearest the desk acts on the same way (held, confirmed or created: being created;
/// billing failed: failed).
fn state(text: &str) -> Option<ProvisioningState> {
    Some(match text.to_ascii_lowercase().as_str() {
        "succeeded" => ProvisioningState::Succeeded,
        "cancelled" | "canceled" => ProvisioningState::Cancelled,
        "expired" => ProvisioningState::Expired,
        "creating" | "pendingresourcehold" | "confirmedresourcehold" | "confirmedbilling" | "created" | "processing" => {
            ProvisioningState::Creating
        }
        "pendingbilling" => ProvisioningState::PendingBilling,
        "failed" | "billingfailed" => ProvisioningState::Failed,
        "split" => ProvisioningState::Split,
        "merged" => ProvisioningState::Merged,
        _ => return None,
    })
}

impl ReservationRead {
    /// The reservation's bare IDs (order, reservation) from its ID, or its name
    /// (`{orderId}/{reservationId}`) when the ID is missing.
    pub fn ids(&self) -> Option<(String, String)> {
        if let Some(Some((Some(order), id))) = self.id.as_deref().map(ids::parse_reservation_id) {
            return Some((order.to_owned(), id.to_owned()));
        }
        let name = self.name.as_deref()?;
        let (order, id) = name.split_once('/')?;
        let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        (plain(order) && plain(id)).then(|| (order.to_owned(), id.to_owned()))
    }

    /// The order this reservation belongs to, when its ID or name says.
    pub fn order_id(&self) -> Option<String> {
        self.ids().map(|(order, _)| order)
    }

    fn unread(&self, code: &str, message: String) -> Unread {
        Unread {
            id: self.id.clone().or_else(|| self.name.clone()).unwrap_or_default(),
            display_name: self.properties.as_ref().and_then(|p| p.display_name.clone()),
            code: code.to_owned(),
            message,
        }
    }

    /// The desk's reservation, with what ARM leaves out filled from its order (see the module);
    /// `Err` with why when a value the desk cannot do without is nowhere.
    pub fn to_reservation(&self, context: &ReadContext) -> Result<Reservation, Unread> {
        let Some((order_id, id)) = self.ids() else {
            return Err(self.unread("UnreadableReservation", format!("{:?} is not a reservation's ID", self.id.as_deref().unwrap_or_default())));
        };
        let empty = PropertiesRead::default();
        let p = self.properties.as_ref().unwrap_or(&empty);
        let o = &context.order;
        let bare = |full: &String| -> Result<String, Unread> {
            ids::parse_reservation_id(full)
                .map(|(_, id)| id.to_owned())
                .ok_or_else(|| self.unread("UnreadableReservation", format!("{full:?} is not a reservation's ID")))
        };
        let quantity = p.quantity.ok_or_else(|| self.unread("QuantityUnknown", "Azure gave no quantity.".into()))?;
        let state_text = p.provisioning_state.as_deref().or(p.display_provisioning_state.as_deref());
        let provisioning_state = match state_text {
            None => return Err(self.unread("ProvisioningStateUnknown", "Azure gave no provisioningState.".into())),
            Some(text) => state(text).ok_or_else(|| {
                self.unread("ProvisioningStateUnknown", format!("Azure's provisioningState {text:?} is not one the desk knows."))
            })?,
        };
        let own_start = [&p.purchase_date, &p.purchase_date_time, &p.benefit_start_time].into_iter().find_map(|t| day(t.as_deref()));
        let own_expiry = day(p.expiry_date.as_deref()).or_else(|| day(p.expiry_date_time.as_deref()));
        let start = own_start.or(o.start);
        let expiry_given = own_expiry.or(o.expiry);
        let term = match p.term.as_ref() {
            Some(Lenient::Known(t)) => Some(*t),
            Some(Lenient::Other(text)) => {
                return Err(self.unread("TermUnknown", format!("Azure's term {text:?} is not one the desk knows.")));
            }
            None => o.term.or_else(|| start.zip(expiry_given).and_then(|(s, e)| term_between(s, e))),
        }
        .ok_or_else(|| self.unread("TermUnknown", "Azure gave no term, here or on its reservation order.".into()))?;
        let billing_plan = match p.billing_plan.as_ref() {
            Some(Lenient::Known(b)) => Some(*b),
            Some(Lenient::Other(text)) => {
                return Err(self.unread("BillingPlanUnknown", format!("Azure's billing plan {text:?} is not one the desk knows.")));
            }
            None => o.billing_plan,
        }
        .ok_or_else(|| self.unread("BillingPlanUnknown", "Azure gave no billingPlan, here or on its reservation order.".into()))?;
        // Without a start of its own, the reservation's own expiry less the term (a part of a
        // split order may end before the order's benefit started), then the order's start when
        // it comes before the expiry, then whichever expiry less the term.
        let back = |e: NaiveDate| e.checked_sub_months(chrono::Months::new(term.months()));
        let purchase_date = own_start
            .or_else(|| own_expiry.and_then(back))
            .or_else(|| o.start.filter(|s| expiry_given.is_none_or(|e| *s < e)))
            .or_else(|| expiry_given.and_then(back))
            .ok_or_else(|| self.unread("PurchaseDateUnknown", "Azure gave no purchase date or benefit start, here or on its reservation order.".into()))?;
        let expiry_date = match expiry_given {
            Some(e) if e > purchase_date => e,
            Some(e) => {
                return Err(self.unread("ExpiryUnknown", format!("Azure's expiry {e} is not after its purchase date {purchase_date}.")));
            }
            None => quote_engine::expiry_date(purchase_date, term)
                .ok_or_else(|| self.unread("ExpiryUnknown", "Azure gave no expiry and its term ends past the calendar.".into()))?,
        };
        let grain = |days: u32| {
            p.utilization
                .as_ref()
                .and_then(|u| u.aggregates.as_ref())
                .and_then(|a| a.iter().find(|a| a.grain.is_some_and(|g| g.0 == Decimal::from(days))))
                .and_then(|a| a.value)
                .map(|v| v.0)
        };
        let scope_properties = p.applied_scope_properties.as_ref().map(|s| AppliedScopeProperties {
            subscription_id: s.subscription_id.clone(),
            resource_group_id: s.resource_group_id.clone(),
            management_group_id: s.management_group_id.clone(),
            display_name: s.display_name.clone(),
        });
        let applied_scopes = p.applied_scopes.clone().unwrap_or_default();
        let applied_scope_type = match p.applied_scope_type.as_ref().and_then(Lenient::known) {
            Some(t) => *t,
            // Without one (or one the desk does not know), the scope's target says which.
            None => match &scope_properties {
                Some(s) if s.management_group_id.is_some() => AppliedScopeType::ManagementGroup,
                Some(s) if s.subscription_id.is_some() || s.resource_group_id.is_some() => AppliedScopeType::Single,
                _ if !applied_scopes.is_empty() => AppliedScopeType::Single,
                _ => AppliedScopeType::Shared,
            },
        };
        let split_properties = match &p.split_properties {
            Some(s) => Some(SplitProperties {
                split_destinations: s.split_destinations.iter().flatten().map(bare).collect::<Result<_, _>>()?,
                split_source: s.split_source.as_ref().map(bare).transpose()?,
            }),
            None => None,
        };
        let merge_properties = match &p.merge_properties {
            Some(m) => Some(MergeProperties {
                merge_destination: m.merge_destination.as_ref().map(bare).transpose()?,
                merge_sources: m.merge_sources.iter().flatten().map(bare).collect::<Result<_, _>>()?,
            }),
            None => None,
        };
        let (unit_price, pricing_unit_price, price_unknown) = match &o.price {
            OrderPrice::Known { unit_price, pricing_unit_price } => (*unit_price, *pricing_unit_price, None),
            OrderPrice::Unknown(why) => (quote_engine::Money::zero(quote_engine::Currency::USD), None, Some(why.clone())),
        };
        Ok(Reservation {
            display_name: p.display_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| id.clone()),
            id,
            reservation_order_id: order_id,
            customer_id: context.customer_id.clone(),
            sku_name: self.sku.as_ref().and_then(|s| s.name.clone()).unwrap_or_default(),
            location: self.location.clone().unwrap_or_default(),
            reserved_resource_type: p.reserved_resource_type.clone().unwrap_or_default(),
            quantity,
            term,
            billing_plan,
            purchase_date,
            expiry_date,
            unit_price,
            pricing_unit_price,
            applied_scope_properties: scope_properties.or_else(|| {
                // Older answers name a Single scope's subscription only in `appliedScopes`.
                (applied_scope_type == AppliedScopeType::Single)
                    .then(|| applied_scopes.first())
                    .flatten()
                    .map(|s| AppliedScopeProperties { subscription_id: Some(s.clone()), ..Default::default() })
            }),
            applied_scope_type,
            provisioning_state,
            renew: p.renew.unwrap_or(false),
            utilization: UtilizationAggregates { last1_day: grain(1), last7_days: grain(7), last30_days: grain(30) },
            archived: p.archived.unwrap_or(false),
            split_properties,
            merge_properties,
            price_unknown,
            today_price: None,
        })
    }
}

/// One page of ARM's reservation list, read item by item: each item as the specification types
/// it, or why it is not one; and the next page's link.
#[derive(Debug)]
pub struct PageRead {
    /// Each item: read, or why not (its ID if it had one).
    pub items: Vec<Result<ReservationRead, Unread>>,
    /// The next page, absent on the last.
    pub next_link: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage {
    #[serde(default)]
    value: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    next_link: Option<String>,
}

/// Reads a page of `GET /providers/Microsoft.Capacity/reservations` (`ReservationsListResult`).
/// `Err` only when the answer is not such a page at all (not JSON, not an object).
pub fn read_page(body: &[u8]) -> Result<PageRead, serde_json::Error> {
    let page: RawPage = serde_json::from_slice(body)?;
    let items = page.value.unwrap_or_default().into_iter().map(read_item).collect();
    Ok(PageRead { items, next_link: page.next_link.filter(|l| !l.is_empty()) })
}

/// One listed item: the reservation, or why it is not one.
pub fn read_item(value: serde_json::Value) -> Result<ReservationRead, Unread> {
    // A number the specification types as text would fail the typed read: keep what names it.
    let id = value.get("id").and_then(|v| v.as_str()).or_else(|| value.get("name").and_then(|v| v.as_str())).unwrap_or_default().to_owned();
    let display_name = value.pointer("/properties/displayName").and_then(|v| v.as_str()).map(str::to_owned);
    serde_path_to_error::deserialize::<_, ReservationRead>(value).map_err(|e| Unread {
        id,
        display_name,
        code: "UnreadableReservation".into(),
        message: format!("Azure's reservation does not have the shape the specification gives: {} at {}", e.inner(), e.path()),
    })
}

/// `CalculateRefundResponse` as read from Azure: only what the desk uses (the session, the
/// units, the two refund amounts, the limit's figures and refusals), each optional as in the
/// specification; `billingInformation` is not read. [`RefundRead::figures`] says which the desk
/// cannot do without.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct RefundRead {
    /// The properties.
    #[serde(default)]
    pub properties: Option<RefundPropertiesRead>,
}

/// `RefundResponseProperties`, as far as the desk reads it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundPropertiesRead {
    /// The session `return` names.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Units returned.
    #[serde(default)]
    pub quantity: Option<u32>,
    /// What the customer gets back, in the billing currency.
    #[serde(default)]
    pub billing_refund_amount: Option<crate::order_price::PriceRead>,
    /// The same in USD (what counts toward the limit).
    #[serde(default)]
    pub pricing_refund_amount: Option<crate::order_price::PriceRead>,
    /// The limit's figures and refusals.
    #[serde(default)]
    pub policy_result: Option<RefundPolicyRead>,
}

/// `RefundPolicyResult`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct RefundPolicyRead {
    /// The properties.
    #[serde(default)]
    pub properties: Option<RefundPolicyPropertiesRead>,
}

/// `RefundPolicyResultProperty`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundPolicyPropertiesRead {
    /// Refunds in the customer's rolling 12 months.
    #[serde(default)]
    pub consumed_refunds_total: Option<crate::order_price::PriceRead>,
    /// The limit.
    #[serde(default)]
    pub max_refund_limit: Option<crate::order_price::PriceRead>,
    /// Why the policy refuses, if it does.
    #[serde(default)]
    pub policy_errors: Option<Vec<PolicyErrorRead>>,
}

/// `RefundPolicyError`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct PolicyErrorRead {
    /// E.g. `RefundLimitExceeded`.
    #[serde(default)]
    pub code: Option<String>,
    /// In English.
    #[serde(default)]
    pub message: Option<String>,
}

/// A refund's figures as the desk needs them from Azure's `calculateRefund`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundFigures {
    /// The session `return` names.
    pub session_id: String,
    /// Units Azure would return (the units asked for, when it does not say).
    pub quantity: u32,
    /// `billingRefundAmount`.
    pub billing_refund_amount: quote_engine::Money,
    /// `pricingRefundAmount`; a USD refund without one counts as itself.
    pub pricing_refund_amount: quote_engine::Money,
    /// `consumedRefundsTotal`.
    pub consumed_refunds_total: quote_engine::Money,
    /// `maxRefundLimit`.
    pub max_refund_limit: quote_engine::Money,
    /// `policyErrors`: (code, message).
    pub policy_errors: Vec<(String, String)>,
}

fn money_of(price: Option<&crate::order_price::PriceRead>, what: &str) -> Result<quote_engine::Money, String> {
    use crate::order_price::PriceProblem;
    price.ok_or_else(|| format!("it gives no {what}"))?.money().map_err(|problem| match problem {
        PriceProblem::Incomplete => format!("its {what} has no currency or no amount"),
        PriceProblem::UnknownCurrency(code) => format!("its {what} is in a currency the desk does not know ({code:?})"),
    })
}

impl RefundRead {
    /// The figures the desk needs, `asked` being the units asked for; `Err` names what Azure
    /// left out that the desk cannot do without (the session, the refund, the limit's figures).
    pub fn figures(&self, asked: u32) -> Result<RefundFigures, String> {
        let p = self.properties.clone().unwrap_or_default();
        let session_id = p.session_id.filter(|s| !s.is_empty()).ok_or("it gives no sessionId")?;
        let billing = money_of(p.billing_refund_amount.as_ref(), "billingRefundAmount")?;
        let pricing = match p.pricing_refund_amount.as_ref() {
            Some(price) => money_of(Some(price), "pricingRefundAmount")?,
            None if billing.currency == quote_engine::Currency::USD => billing,
            None => return Err("it gives no pricingRefundAmount for a refund not in USD".into()),
        };
        let policy = p.policy_result.and_then(|r| r.properties).unwrap_or_default();
        Ok(RefundFigures {
            session_id,
            quantity: p.quantity.unwrap_or(asked),
            billing_refund_amount: billing,
            pricing_refund_amount: pricing,
            consumed_refunds_total: money_of(policy.consumed_refunds_total.as_ref(), "policyResult.properties.consumedRefundsTotal")?,
            max_refund_limit: money_of(policy.max_refund_limit.as_ref(), "policyResult.properties.maxRefundLimit")?,
            policy_errors: policy
                .policy_errors
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.code.unwrap_or_else(|| "PolicyError".into()), e.message.unwrap_or_default()))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn known_order() -> OrderFacts {
        OrderFacts {
            price: OrderPrice::Known { unit_price: quote_engine::Money::new(dec!(66.57), quote_engine::Currency::USD), pricing_unit_price: None },
            term: Some(Term::P1Y),
            billing_plan: Some(BillingPlan::Monthly),
            start: NaiveDate::from_ymd_opt(2026, 1, 10),
            expiry: NaiveDate::from_ymd_opt(2027, 1, 10),
        }
    }

    fn context(order: OrderFacts) -> ReadContext {
        ReadContext { customer_id: "c-1".into(), order }
    }

    fn minimal() -> serde_json::Value {
        json!({"id": "/providers/microsoft.capacity/reservationOrders/o-1/reservations/r-1", "properties": {"quantity": 2, "provisioningState": "Succeeded"}})
    }

    #[test]
    fn what_a_reservation_leaves_out_comes_from_its_order() {
        let r = read_item(minimal()).unwrap().to_reservation(&context(known_order())).unwrap();
        assert_eq!((r.term, r.billing_plan), (Term::P1Y, BillingPlan::Monthly));
        assert_eq!((r.purchase_date.to_string(), r.expiry_date.to_string()), ("2026-01-10".into(), "2027-01-10".into()));
        assert_eq!((r.display_name.as_str(), r.applied_scope_type, r.renew, r.archived), ("r-1", AppliedScopeType::Shared, false, false));
        assert_eq!((r.quantity, r.unit_price.amount, r.price_unknown), (2, dec!(66.57), None));
    }

    #[test]
    fn azures_expiry_governs_and_a_term_follows_from_the_dates() {
        let mut v = minimal();
        v["properties"]["purchaseDateTime"] = json!("2022-03-03T20:38:32.3569Z");
        v["properties"]["expiryDateTime"] = json!("2025-03-04T20:40:34.8061Z");
        let order = OrderFacts { term: None, billing_plan: Some(BillingPlan::Upfront), start: None, expiry: None, ..known_order() };
        let r = read_item(v).unwrap().to_reservation(&context(order)).unwrap();
        assert_eq!((r.term, r.purchase_date.to_string(), r.expiry_date.to_string()), (Term::P3Y, "2022-03-03".into(), "2025-03-04".into()));
    }

    #[test]
    fn a_value_nowhere_makes_that_reservation_unread_with_why() {
        let nothing = OrderFacts::unknown(contract::source::PriceUnknown { code: "AuthorizationFailed".into(), message: "no".into() });
        let unread = read_item(minimal()).unwrap().to_reservation(&context(nothing.clone())).unwrap_err();
        assert_eq!(unread.code, "TermUnknown", "{}", unread.message);
        let mut v = minimal();
        v["properties"]["term"] = json!("P1Y");
        v["properties"]["purchaseDate"] = json!("2026-01-10");
        assert_eq!(read_item(v.clone()).unwrap().to_reservation(&context(nothing.clone())).unwrap_err().code, "BillingPlanUnknown");
        v["properties"]["billingPlan"] = json!("Upfront");
        let r = read_item(v.clone()).unwrap().to_reservation(&context(nothing.clone())).unwrap();
        assert_eq!((r.price_unknown.map(|p| p.code), r.expiry_date.to_string()), (Some("AuthorizationFailed".into()), "2027-01-10".into()));
        v["properties"]["billingPlan"] = json!("Quarterly");
        let unread = read_item(v.clone()).unwrap().to_reservation(&context(nothing.clone())).unwrap_err();
        assert_eq!((unread.code.as_str(), unread.id.as_str()), ("BillingPlanUnknown", "/providers/microsoft.capacity/reservationOrders/o-1/reservations/r-1"));
        v["properties"]["billingPlan"] = json!("Upfront");
        v["properties"]["provisioningState"] = json!("SomethingNew");
        assert_eq!(read_item(v.clone()).unwrap().to_reservation(&context(nothing.clone())).unwrap_err().code, "ProvisioningStateUnknown");
        v["properties"]["provisioningState"] = json!("ConfirmedBilling");
        assert_eq!(read_item(v).unwrap().to_reservation(&context(nothing)).unwrap().provisioning_state, ProvisioningState::Creating);
    }

    #[test]
    fn nulls_read_as_absent_and_a_wrong_type_fails_only_its_item() {
        let mut v = minimal();
        for key in ["term", "billingPlan", "purchaseDate", "expiryDate", "utilization", "renew", "archived", "appliedScopeType", "displayName"] {
            v["properties"][key] = serde_json::Value::Null;
        }
        assert!(read_item(v).unwrap().to_reservation(&context(known_order())).is_ok());
        let page = read_page(
            json!({"value": [minimal(), {"id": "/providers/microsoft.capacity/reservationOrders/o-1/reservations/r-2", "properties": {"quantity": "two"}}, 7]})
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(page.items.len(), 3);
        assert!(page.items[0].is_ok());
        let bad = page.items[1].as_ref().unwrap_err();
        assert!(bad.id.ends_with("/r-2") && bad.code == "UnreadableReservation", "{bad:?}");
        assert!(page.items[2].is_err());
        assert!(read_page(b"<html>").is_err(), "not JSON at all fails the read");
    }

    #[test]
    fn unknown_enum_values_are_kept_as_text() {
        let t: Lenient<Term> = serde_json::from_str("\"P10Y\"").unwrap();
        assert_eq!(t, Lenient::Other("P10Y".into()));
        let b: Lenient<BillingPlan> = serde_json::from_str("\"Monthly\"").unwrap();
        assert_eq!(b, Lenient::Known(BillingPlan::Monthly));
    }
}
