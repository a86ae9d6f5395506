//! Savings plans: bought by trading reservations in (an exchange with `savingsPlansToPurchase`),
//! then something the customer has (`GET /api/customers/{customerId}/savingsPlans`). A savings
//! plan cannot be cancelled, exchanged or refunded.

use std::fmt;

use chrono::NaiveDate;
use quote_engine::{BillingPlan, Currency, Money, Term};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::reservation::{AppliedScopeProperties, AppliedScopeType};

/// A savings plan to buy in an exchange (a trade-in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavingsPlanPurchaseRequest {
    /// The plan's SKU: `Compute_Savings_Plan`.
    pub sku_name: String,
    /// `P1Y` or `P3Y`, starting on the exchange's day.
    pub term: Term,
    /// Upfront or monthly (the same total).
    pub billing_plan: BillingPlan,
    /// The commitment per hour, in the customer's billing currency (that of the returned
    /// reservations), to the currency's minor unit.
    pub hourly_commitment: Money,
    /// Where the plan applies.
    pub applied_scope_type: AppliedScopeType,
    /// The target for a Single or ManagementGroup scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// A name for it (`{SKU short}-{term}` when absent or blank).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// The grain of a savings plan's commitment: always per hour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommitmentGrain {
    /// Per hour.
    #[default]
    Hourly,
}

/// A savings plan's commitment, as Azure writes it: `{"currencyCode": "USD", "amount": "12.50",
/// "grain": "Hourly"}` (the amount a decimal string, as every amount of the desk's API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavingsPlanCommitment {
    /// ISO 4217.
    pub currency_code: Currency,
    /// Per `grain`.
    #[serde(with = "amount_string")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, examples("12.50")))]
    pub amount: Decimal,
    /// `Hourly`.
    pub grain: CommitmentGrain,
}

impl SavingsPlanCommitment {
    /// An hourly commitment of `per_hour`.
    pub fn hourly(per_hour: Money) -> Self {
        Self { currency_code: per_hour.currency, amount: per_hour.amount, grain: CommitmentGrain::Hourly }
    }

    /// The amount per hour.
    pub fn per_hour(&self) -> Money {
        Money::new(self.amount, self.currency_code)
    }
}

mod amount_string {
    use rust_decimal::Decimal;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        quote_engine::parse_amount(&text).ok_or_else(|| de::Error::custom("expected a decimal string such as \"12.50\""))
    }
}

/// A savings plan the customer has (`GET /api/customers/{customerId}/savingsPlans`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlan {
    /// Its ID (a GUID).
    pub id: String,
    /// Its order (a GUID; one order per plan).
    pub savings_plan_order_id: String,
    /// The customer.
    pub customer_id: String,
    /// Its name.
    pub display_name: String,
    /// e.g. `Compute_Savings_Plan`.
    pub sku_name: String,
    /// `P1Y` or `P3Y`.
    pub term: Term,
    /// Upfront or monthly.
    pub billing_plan: BillingPlan,
    /// What the customer commits to per hour.
    pub commitment: SavingsPlanCommitment,
    /// The billing total: the commitment × the hours of the term.
    pub lifetime_commitment: Money,
    /// Where it applies.
    pub applied_scope_type: AppliedScopeType,
    /// The target for a Single or ManagementGroup scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// The first day (the trade-in's day).
    pub start_date: NaiveDate,
    /// The day after its last day: the same calendar date `term` later.
    pub expiry_date: NaiveDate,
    /// The exchange session of the trade-in that bought it (its audit entry names the
    /// reservations traded in).
    pub exchange_session_id: String,
}

/// A savings plan as the customer's Savings plans list answers it
/// (`GET /api/customers/{customerId}/savingsPlans`): in local mode one the desk bought by a
/// trade-in (every figure known, as [`SavingsPlan`] writes it); in Azure mode one the customer
/// holds in Azure (Microsoft.BillingBenefits), where the specification requires none of its
/// properties: a figure Azure did not give is absent (the console says "unknown"), never made up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerSavingsPlan {
    /// Its ID (a GUID).
    pub id: String,
    /// Its order (a GUID).
    pub savings_plan_order_id: String,
    /// The customer.
    pub customer_id: String,
    /// Its name (Azure's `displayName`, else its resource name).
    pub display_name: String,
    /// e.g. `Compute_Savings_Plan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_name: Option<String>,
    /// `P1Y`, `P3Y` or `P5Y`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    /// Upfront or monthly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_plan: Option<BillingPlan>,
    /// What the customer commits to per hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<SavingsPlanCommitment>,
    /// The billing total (the desk's own plans: the commitment × the hours of the term).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_commitment: Option<Money>,
    /// Where it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_type: Option<AppliedScopeType>,
    /// The target for a Single or ManagementGroup scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// The first day it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// The day it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
    /// The exchange session of the desk's trade-in that bought it (local mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_session_id: Option<String>,
    /// What Azure says of it besides (Azure mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure: Option<AzureSavingsPlanFacts>,
}

/// What Azure reports of a savings plan the customer holds, besides the figures every plan has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AzureSavingsPlanFacts {
    /// Its full ARM ID (`/providers/Microsoft.BillingBenefits/savingsPlanOrders/{orderId}/savingsPlans/{id}`).
    pub arm_id: String,
    /// Azure's `displayProvisioningState` (else `provisioningState`), e.g. `Succeeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// Azure's `userFriendlyAppliedScopeType`, e.g. `ResourceGroup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_label: Option<String>,
    /// When it was bought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<NaiveDate>,
    /// The average use of the commitment over the last 1, 7 and 30 days (0–100), each absent
    /// when Azure did not report it.
    pub utilization: crate::reservation::UtilizationAggregates,
    /// Whether it renews itself at its end; absent when Azure did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew: Option<bool>,
    /// The plan it renews into (Azure's `renewProperties`), when Azure gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<SavingsPlanRenewal>,
    /// Why the renewal's plan is not known though it renews (its read failed), in Azure's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_unknown: Option<String>,
}

/// The savings plan a plan renews into (Azure's `renewProperties.purchaseProperties`): each part
/// absent when Azure did not give it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SavingsPlanRenewal {
    /// The renewal's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Its term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    /// Its billing plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_plan: Option<BillingPlan>,
    /// Its hourly commitment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<SavingsPlanCommitment>,
    /// Where it will apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_type: Option<AppliedScopeType>,
}

impl From<SavingsPlan> for CustomerSavingsPlan {
    /// A plan the desk bought, every figure known (the same JSON as [`SavingsPlan`]'s).
    fn from(p: SavingsPlan) -> Self {
        Self {
            id: p.id,
            savings_plan_order_id: p.savings_plan_order_id,
            customer_id: p.customer_id,
            display_name: p.display_name,
            sku_name: Some(p.sku_name),
            term: Some(p.term),
            billing_plan: Some(p.billing_plan),
            commitment: Some(p.commitment),
            lifetime_commitment: Some(p.lifetime_commitment),
            applied_scope_type: Some(p.applied_scope_type),
            applied_scope_properties: p.applied_scope_properties,
            start_date: Some(p.start_date),
            expiry_date: Some(p.expiry_date),
            exchange_session_id: Some(p.exchange_session_id),
            azure: None,
        }
    }
}

impl fmt::Display for CommitmentGrain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hourly")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_the_desk_bought_is_listed_with_the_same_json() {
        let usd = Currency::new("USD").unwrap();
        let plan = SavingsPlan {
            id: "p".into(),
            savings_plan_order_id: "o".into(),
            customer_id: "c".into(),
            display_name: "Compute-P1Y".into(),
            sku_name: "Compute_Savings_Plan".into(),
            term: Term::P1Y,
            billing_plan: BillingPlan::Monthly,
            commitment: SavingsPlanCommitment::hourly(Money::new(Decimal::new(125, 2), usd)),
            lifetime_commitment: Money::new(Decimal::new(1_095_000, 2), usd),
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            start_date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            expiry_date: NaiveDate::from_ymd_opt(2027, 1, 2).unwrap(),
            exchange_session_id: "s".into(),
        };
        let listed = CustomerSavingsPlan::from(plan.clone());
        assert_eq!(serde_json::to_value(&listed).unwrap(), serde_json::to_value(&plan).unwrap());
        assert_eq!(serde_json::from_value::<SavingsPlan>(serde_json::to_value(&listed).unwrap()).unwrap(), plan);
    }

    #[test]
    fn the_commitment_is_written_as_azure_writes_it() {
        let c = SavingsPlanCommitment::hourly(Money::new(Decimal::new(1250, 2), Currency::new("USD").unwrap()));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"currencyCode":"USD","amount":"12.50","grain":"Hourly"}"#);
        assert_eq!(serde_json::from_str::<SavingsPlanCommitment>(&json).unwrap(), c);
        assert!(serde_json::from_str::<SavingsPlanCommitment>(r#"{"currencyCode":"USD","amount":12.5,"grain":"Hourly"}"#).is_err());
        assert!(serde_json::from_str::<SavingsPlanCommitment>(r#"{"currencyCode":"USD","amount":"1","grain":"Daily"}"#).is_err());
    }
}
