//! Savings plans as Azure's Microsoft.BillingBenefits 2022-11-01 answers them, read in Azure mode
//! (the customer's Savings plans tab): `SavingsPlan_ListAll` (`GET
//! /providers/Microsoft.BillingBenefits/savingsPlans`, every plan the user sees in the tenant,
//! `nextLink` paged), and `SavingsPlan_Get` with `$expand=renewProperties` for a plan that renews
//! (the only operation of the specification that gives the renewal's plan: neither list takes
//! `$expand`). `SavingsPlanOrder_List` and an order's own plans (`SavingsPlan_List`) answer the
//! same `SavingsPlanModel`s and orders (`SavingsPlanOrderModel`) are read with [`read_order_page`].
//!
//! The specification requires nothing of a plan but `sku`, and nothing in it: every member is
//! optional here (absent or `null` alike), an enum value the desk does not know is kept as Azure
//! wrote it ([`Lenient`]), and a figure Azure did not give stays unknown in what the desk lists
//! ([`contract::CustomerSavingsPlan`]). A listed item that does not have the specification's
//! shape (a date that is no date, an amount that is no number) is set aside with why
//! ([`Unread`]); the others are read.

use chrono::{DateTime, NaiveDate, Utc};
use contract::{AppliedScopeProperties, AppliedScopeType, AzureSavingsPlanFacts, CustomerSavingsPlan, SavingsPlanCommitment, SavingsPlanRenewal, UtilizationAggregates};
use quote_engine::{BillingPlan, Currency, Term};
use rust_decimal::Decimal;
use serde::Deserialize;

pub use crate::lenient::Lenient;
use crate::number::ExactNumber;
pub use crate::read::Unread;

/// The api-version of Microsoft.BillingBenefits the desk speaks.
pub const BILLING_BENEFITS_API_VERSION: &str = "2022-11-01";

/// `Sku`: the plan's SKU.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuRead {
    /// e.g. `Compute_Savings_Plan`.
    #[serde(default)]
    pub name: Option<String>,
}

/// `Commitment` (a `Price` with its grain): the amount is read digit for digit.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitmentRead {
    /// `Hourly`.
    #[serde(default)]
    pub grain: Option<Lenient<String>>,
    /// ISO 4217.
    #[serde(default)]
    pub currency_code: Option<String>,
    /// Per grain.
    #[serde(default)]
    pub amount: Option<ExactNumber>,
}

/// `UtilizationAggregates`: one window's average use.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateRead {
    /// The window's length in `grain_unit`s.
    #[serde(default)]
    pub grain: Option<ExactNumber>,
    /// `days`.
    #[serde(default)]
    pub grain_unit: Option<String>,
    /// The average.
    #[serde(default)]
    pub value: Option<ExactNumber>,
    /// `percentage`.
    #[serde(default)]
    pub value_unit: Option<String>,
}

/// `Utilization`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UtilizationRead {
    /// The trend (Azure sends `""`).
    #[serde(default)]
    pub trend: Option<String>,
    /// The windows Azure reported.
    #[serde(default)]
    pub aggregates: Option<Vec<AggregateRead>>,
}

/// `ExtendedStatusInfo`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtendedStatusRead {
    /// A status code.
    #[serde(default)]
    pub status_code: Option<String>,
    /// Its message.
    #[serde(default)]
    pub message: Option<String>,
}

/// `PurchaseRequestProperties`: the plan a renewal buys.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchasePropertiesRead {
    /// Its name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// What is charged.
    #[serde(default)]
    pub billing_scope_id: Option<String>,
    /// `P1Y`, `P3Y`, `P5Y`.
    #[serde(default)]
    pub term: Option<Lenient<Term>>,
    /// `P1M` (monthly); Microsoft's example also writes `Upfront`.
    #[serde(default)]
    pub billing_plan: Option<Lenient<String>>,
    /// `Single`, `Shared`, `ManagementGroup`.
    #[serde(default)]
    pub applied_scope_type: Option<Lenient<AppliedScopeType>>,
    /// The commitment.
    #[serde(default)]
    pub commitment: Option<CommitmentRead>,
    /// When it starts.
    #[serde(default)]
    pub effective_date_time: Option<DateTime<Utc>>,
    /// Whether it renews in turn.
    #[serde(default)]
    pub renew: Option<bool>,
    /// Its scope's target.
    #[serde(default)]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
}

/// `PurchaseRequest`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRequestRead {
    /// Its SKU.
    #[serde(default)]
    pub sku: Option<SkuRead>,
    /// What it buys.
    #[serde(default)]
    pub properties: Option<PurchasePropertiesRead>,
}

/// `RenewProperties` (answered with `$expand=renewProperties`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewPropertiesRead {
    /// The plan the renewal buys.
    #[serde(default)]
    pub purchase_properties: Option<PurchaseRequestRead>,
}

/// `SavingsPlanModelProperties`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlanPropertiesRead {
    /// Its name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// e.g. `Succeeded`.
    #[serde(default)]
    pub provisioning_state: Option<String>,
    /// For display, e.g. `Succeeded`, `Expired`.
    #[serde(default)]
    pub display_provisioning_state: Option<String>,
    /// What is charged.
    #[serde(default)]
    pub billing_scope_id: Option<String>,
    /// Field- or customer-led: the billing profile.
    #[serde(default)]
    pub billing_profile_id: Option<String>,
    /// Partner-led: the customer.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Enterprise Agreement: the billing account.
    #[serde(default)]
    pub billing_account_id: Option<String>,
    /// `P1Y`, `P3Y`, `P5Y`.
    #[serde(default)]
    pub term: Option<Lenient<Term>>,
    /// `P1M` for monthly.
    #[serde(default)]
    pub billing_plan: Option<Lenient<String>>,
    /// `Single`, `Shared`, `ManagementGroup`.
    #[serde(default)]
    pub applied_scope_type: Option<Lenient<AppliedScopeType>>,
    /// For display, e.g. `ResourceGroup`.
    #[serde(default)]
    pub user_friendly_applied_scope_type: Option<String>,
    /// The scope's target.
    #[serde(default)]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// The hourly commitment.
    #[serde(default)]
    pub commitment: Option<CommitmentRead>,
    /// When it started to apply.
    #[serde(default)]
    pub effective_date_time: Option<DateTime<Utc>>,
    /// When it ends.
    #[serde(default)]
    pub expiry_date_time: Option<DateTime<Utc>>,
    /// When it was bought.
    #[serde(default)]
    pub purchase_date_time: Option<DateTime<Utc>>,
    /// When its benefit started.
    #[serde(default)]
    pub benefit_start_time: Option<DateTime<Utc>>,
    /// More on its state.
    #[serde(default)]
    pub extended_status_info: Option<ExtendedStatusRead>,
    /// Whether it renews at its end.
    #[serde(default)]
    pub renew: Option<bool>,
    /// Its use.
    #[serde(default)]
    pub utilization: Option<UtilizationRead>,
    /// The plan it was renewed from.
    #[serde(default)]
    pub renew_source: Option<String>,
    /// The plan its renewal bought.
    #[serde(default)]
    pub renew_destination: Option<String>,
    /// The plan its renewal buys (with `$expand=renewProperties`).
    #[serde(default)]
    pub renew_properties: Option<RenewPropertiesRead>,
}

/// `SavingsPlanModel` as read from Azure: nothing required.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlanRead {
    /// The full ARM ID.
    #[serde(default)]
    pub id: Option<String>,
    /// `{orderId}/{planId}`.
    #[serde(default)]
    pub name: Option<String>,
    /// `Microsoft.BillingBenefits/savingsPlanOrders/savingsPlans`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Its SKU (the only member the specification requires).
    #[serde(default)]
    pub sku: Option<SkuRead>,
    /// Its properties.
    #[serde(default)]
    pub properties: Option<SavingsPlanPropertiesRead>,
}

/// `SavingsPlanOrderModelProperties`: only what names the order and its plans.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlanOrderPropertiesRead {
    /// Its name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// e.g. `Succeeded`.
    #[serde(default)]
    pub provisioning_state: Option<String>,
    /// `P1Y`, `P3Y`, `P5Y`.
    #[serde(default)]
    pub term: Option<Lenient<Term>>,
    /// `P1M` for monthly.
    #[serde(default)]
    pub billing_plan: Option<Lenient<String>>,
    /// When it ends.
    #[serde(default)]
    pub expiry_date_time: Option<DateTime<Utc>>,
    /// When its benefit started.
    #[serde(default)]
    pub benefit_start_time: Option<DateTime<Utc>>,
    /// Its plans' full IDs.
    #[serde(default)]
    pub savings_plans: Option<Vec<String>>,
}

/// `SavingsPlanOrderModel` as read from Azure: nothing required.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlanOrderRead {
    /// The full ARM ID.
    #[serde(default)]
    pub id: Option<String>,
    /// The order's GUID.
    #[serde(default)]
    pub name: Option<String>,
    /// Its SKU.
    #[serde(default)]
    pub sku: Option<SkuRead>,
    /// Its properties.
    #[serde(default)]
    pub properties: Option<SavingsPlanOrderPropertiesRead>,
}

/// One page of a list: each item read, or why not, and the next page's link.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// Each item: read, or why not (its ID if it had one).
    pub items: Vec<Result<T, Unread>>,
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

fn read_one<T: serde::de::DeserializeOwned>(value: serde_json::Value, what: &str, code: &str) -> Result<T, Unread> {
    let id = value.get("id").and_then(|v| v.as_str()).or_else(|| value.get("name").and_then(|v| v.as_str())).unwrap_or_default().to_owned();
    let display_name = value.pointer("/properties/displayName").and_then(|v| v.as_str()).map(str::to_owned);
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| Unread {
        id,
        display_name,
        code: code.into(),
        message: format!("Azure's {what} does not have the shape the specification gives: {} at {}", e.inner(), e.path()),
    })
}

fn read_list<T: serde::de::DeserializeOwned>(body: &[u8], what: &str, code: &str) -> Result<Page<T>, serde_json::Error> {
    let page: RawPage = serde_json::from_slice(body)?;
    let items = page.value.unwrap_or_default().into_iter().map(|v| read_one(v, what, code)).collect();
    Ok(Page { items, next_link: page.next_link.filter(|l| !l.is_empty()) })
}

/// A page of `SavingsPlan_ListAll` or `SavingsPlan_List` (`SavingsPlanModelListResult`,
/// `SavingsPlanModelList`): `Err` only when the answer is no page at all.
pub fn read_page(body: &[u8]) -> Result<Page<SavingsPlanRead>, serde_json::Error> {
    read_list(body, "savings plan", "UnreadableSavingsPlan")
}

/// A page of `SavingsPlanOrder_List`.
pub fn read_order_page(body: &[u8]) -> Result<Page<SavingsPlanOrderRead>, serde_json::Error> {
    read_list(body, "savings plan order", "UnreadableSavingsPlanOrder")
}

/// One listed plan (or `SavingsPlan_Get`'s answer): the plan, or why it is not one.
pub fn read_plan(value: serde_json::Value) -> Result<SavingsPlanRead, Unread> {
    read_one(value, "savings plan", "UnreadableSavingsPlan")
}

/// The order's and the plan's GUIDs in a plan's ARM ID
/// (`/providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}/savingsPlans/{plan}`, any
/// case), or in its name (`{order}/{plan}`).
pub fn plan_ids(id: &str) -> Option<(String, String)> {
    let segments: Vec<&str> = id.trim_matches('/').split('/').collect();
    let plain = |s: &str| !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let found = match segments.as_slice() {
        [order, plan] => Some((*order, *plan)),
        [.., orders, order, plans, plan] if orders.eq_ignore_ascii_case("savingsPlanOrders") && plans.eq_ignore_ascii_case("savingsPlans") => Some((*order, *plan)),
        _ => None,
    }?;
    (plain(found.0) && plain(found.1)).then(|| (found.0.to_owned(), found.1.to_owned()))
}

/// Azure's billing plan: `P1M` is monthly; `Upfront` (as Microsoft's renewal example writes it)
/// upfront; anything else, or none, unknown.
fn billing_plan(value: Option<&Lenient<String>>) -> Option<BillingPlan> {
    match value?.known()?.as_str() {
        "P1M" | "Monthly" => Some(BillingPlan::Monthly),
        "Upfront" => Some(BillingPlan::Upfront),
        _ => None,
    }
}

/// An hourly commitment in a known currency, else unknown.
fn commitment(read: Option<&CommitmentRead>) -> Option<SavingsPlanCommitment> {
    let read = read?;
    if read.grain.as_ref().is_some_and(|g| g.known().map(String::as_str) != Some("Hourly")) {
        return None;
    }
    let currency = Currency::new(read.currency_code.as_deref()?).ok()?;
    Some(SavingsPlanCommitment::hourly(quote_engine::Money::new(read.amount?.0, currency)))
}

/// The 1-, 7- and 30-day averages among Azure's aggregates (in days, as percentages); a window
/// Azure did not report is unknown.
fn utilization(read: Option<&UtilizationRead>) -> UtilizationAggregates {
    let mut out = UtilizationAggregates::default();
    for a in read.and_then(|u| u.aggregates.as_deref()).unwrap_or_default() {
        let days = a.grain_unit.as_deref().is_none_or(|u| u.eq_ignore_ascii_case("days"));
        let percent = a.value_unit.as_deref().is_none_or(|u| u.eq_ignore_ascii_case("percentage"));
        let (Some(grain), Some(value)) = (a.grain, a.value) else { continue };
        if !days || !percent {
            continue;
        }
        let slot = match grain.0.normalize() {
            g if g == Decimal::ONE => &mut out.last1_day,
            g if g == Decimal::from(7) => &mut out.last7_days,
            g if g == Decimal::from(30) => &mut out.last30_days,
            _ => continue,
        };
        *slot = Some(value.0.normalize());
    }
    out
}

impl SavingsPlanRead {
    /// The order's and the plan's GUIDs, from its ID or its name.
    pub fn ids(&self) -> Option<(String, String)> {
        self.id.as_deref().and_then(plan_ids).or_else(|| self.name.as_deref().and_then(plan_ids))
    }

    /// Whether Azure says it renews and its renewal's plan is not in this answer (asked with
    /// `$expand=renewProperties`).
    pub fn renewal_missing(&self) -> bool {
        self.properties.as_ref().is_some_and(|p| p.renew == Some(true) && p.renew_properties.is_none())
    }

    /// The plan as the customer's Savings plans list shows it: `Err` (with why) only when it
    /// names no savings plan the desk could identify.
    pub fn to_plan(&self, customer_id: &str) -> Result<CustomerSavingsPlan, Unread> {
        let Some((order, plan)) = self.ids() else {
            return Err(Unread {
                id: self.id.clone().or_else(|| self.name.clone()).unwrap_or_default(),
                display_name: self.properties.as_ref().and_then(|p| p.display_name.clone()),
                code: "NoSavingsPlanId".into(),
                message: "Azure's savings plan names no savings plan order and plan (its id is not …/savingsPlanOrders/{orderId}/savingsPlans/{id}).".into(),
            });
        };
        let p = self.properties.clone().unwrap_or_default();
        let date = |t: Option<DateTime<Utc>>| t.map(|t| t.date_naive());
        let renewal = p.renew_properties.as_ref().and_then(|r| r.purchase_properties.as_ref()).map(|r| {
            let q = r.properties.clone().unwrap_or_default();
            SavingsPlanRenewal {
                display_name: q.display_name.clone(),
                term: q.term.as_ref().and_then(|t| t.known().copied()),
                billing_plan: billing_plan(q.billing_plan.as_ref()),
                commitment: commitment(q.commitment.as_ref()),
                applied_scope_type: q.applied_scope_type.as_ref().and_then(|t| t.known().copied()),
            }
        });
        let arm_id = self.id.clone().unwrap_or_else(|| format!("/providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}/savingsPlans/{plan}"));
        Ok(CustomerSavingsPlan {
            display_name: p.display_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| plan.clone()),
            id: plan,
            savings_plan_order_id: order,
            customer_id: customer_id.to_owned(),
            sku_name: self.sku.as_ref().and_then(|s| s.name.clone()),
            term: p.term.as_ref().and_then(|t| t.known().copied()),
            billing_plan: billing_plan(p.billing_plan.as_ref()),
            commitment: commitment(p.commitment.as_ref()),
            lifetime_commitment: None,
            applied_scope_type: p.applied_scope_type.as_ref().and_then(|t| t.known().copied()),
            applied_scope_properties: p.applied_scope_properties.clone(),
            start_date: date(p.benefit_start_time.or(p.effective_date_time)),
            expiry_date: date(p.expiry_date_time),
            exchange_session_id: None,
            azure: Some(AzureSavingsPlanFacts {
                arm_id,
                provisioning_state: p.display_provisioning_state.clone().or(p.provisioning_state.clone()),
                applied_scope_label: p.user_friendly_applied_scope_type.clone(),
                purchase_date: date(p.purchase_date_time),
                utilization: utilization(p.utilization.as_ref()),
                renew: p.renew,
                renewal,
                renewal_unknown: None,
            }),
        })
    }
}

/// A day as Azure writes an instant (for a test's expectations).
pub fn day(text: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc).date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plans_ids_come_from_its_arm_id_or_its_name_and_only_plain_ones() {
        let o = "20000000-0000-0000-0000-000000000000";
        let p = "30000000-0000-0000-0000-000000000000";
        assert_eq!(plan_ids(&format!("/providers/microsoft.billingbenefits/savingsPlanOrders/{o}/savingsPlans/{p}")), Some((o.into(), p.into())));
        assert_eq!(plan_ids(&format!("{o}/{p}")), Some((o.into(), p.into())));
        for bad in ["", "x", "/providers/Microsoft.BillingBenefits/savingsPlanOrders/a/reservations/b", "a/../b/c", "a?b/c", "../x/savingsPlanOrders/a/savingsPlans/b?x=1"] {
            assert_eq!(plan_ids(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_hourly_commitments_in_a_known_currency_and_the_three_windows_are_read() {
        let c: CommitmentRead = serde_json::from_str(r#"{"grain":"Hourly","currencyCode":"EUR","amount":0.125}"#).unwrap();
        assert_eq!(commitment(Some(&c)).unwrap().amount, Decimal::new(125, 3));
        let daily: CommitmentRead = serde_json::from_str(r#"{"grain":"Daily","currencyCode":"EUR","amount":1}"#).unwrap();
        assert_eq!(commitment(Some(&daily)), None);
        let u: UtilizationRead = serde_json::from_str(
            r#"{"aggregates":[{"grain":7.0,"grainUnit":"days","value":84.5,"valueUnit":"percentage"},{"grain":2,"grainUnit":"days","value":1},{"grain":30,"grainUnit":"hours","value":9}]}"#,
        )
        .unwrap();
        let read = utilization(Some(&u));
        assert_eq!((read.last1_day, read.last7_days, read.last30_days), (None, Some(Decimal::new(845, 1)), None));
    }
}
