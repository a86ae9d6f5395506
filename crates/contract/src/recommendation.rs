//! What to buy for a customer, from their usage: Microsoft.Consumption's reservation
//! recommendations (`reservationRecommendations`, legacy kind) in the desk's words, each with the
//! engine's priced proposal of buying it.

use chrono::NaiveDate;
use quote_engine::{Money, OnDemandUsage, PolicyError, PurchaseQuote, Term};
use serde::{Deserialize, Serialize};

use crate::reservation::{AppliedScopeProperties, AppliedScopeType};

/// How far back the usage behind a recommendation was looked at (`lookBackPeriod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LookBackPeriod {
    /// The last 7 days.
    Last7Days,
    /// The last 30 days.
    Last30Days,
    /// The last 60 days.
    Last60Days,
}

impl LookBackPeriod {
    /// Its length in days.
    pub fn days(self) -> u32 {
        match self {
            Self::Last7Days => 7,
            Self::Last30Days => 30,
            Self::Last60Days => 60,
        }
    }
}

/// `GET /api/customers/{customerId}/recommendations`: what to buy, and the yearly savings still
/// on the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerRecommendations {
    /// Largest yearly savings first; the ones that cannot be bought last.
    pub recommendations: Vec<Recommendation>,
    /// The yearly savings of buying the best term of each recommended SKU (in the customer's
    /// currency; zero when nothing is recommended).
    pub savings_per_year: Money,
}

/// One reservation to buy for a customer (`GET /api/customers/{customerId}/recommendations`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    /// Its ID (stable for the same customer, SKU, region, term and scope).
    pub id: String,
    /// The customer.
    pub customer_id: String,
    /// The catalog SKU (`{skuName}/{location}`): what the Buy panel buys.
    pub sku_id: String,
    /// E.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// The product family.
    pub reserved_resource_type: String,
    /// The region.
    pub location: String,
    /// The term recommended.
    pub term: Term,
    /// `Shared`, or `Single` for one subscription's usage.
    pub applied_scope_type: AppliedScopeType,
    /// The subscription of a `Single` recommendation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// How many units the usage fills.
    pub recommended_quantity: u32,
    /// How far back the usage was looked at.
    pub look_back_period: LookBackPeriod,
    /// The first day of the usage looked at.
    pub first_usage_date: NaiveDate,
    /// What that usage cost on demand over the look-back period (`costWithNoReservedInstances`).
    pub cost_with_no_reserved_instances: Money,
    /// What it would have cost with the reservation (`totalCostWithReservedInstances`).
    pub total_cost_with_reserved_instances: Money,
    /// The difference over the look-back period (`netSavings`).
    pub net_savings: Money,
    /// The usage behind it, as the engine takes it (the Buy panel quotes savings against it).
    pub on_demand: OnDemandUsage,
    /// The engine's priced proposal: buying the recommended quantity for the term, upfront,
    /// today, with its savings over the term and break-even month.
    pub proposal: PurchaseQuote,
    /// Why it cannot be bought (a retired VM series × term); absent when it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<PolicyError>,
}
