//! What to buy for a customer, from their usage: Microsoft.Consumption's reservation
//! recommendations (`reservationRecommendations`, legacy and modern kinds) in the desk's words:
//! Azure's own figures, and in local mode the engine's priced proposal of buying each; and what
//! was read but is not shown, with why.

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

impl Default for LookBackPeriod {
    /// The last 30 days: what the desk looks back over unless the user picks another.
    fn default() -> Self {
        Self::Last30Days
    }
}

impl LookBackPeriod {
    /// Every period, shortest first.
    pub const ALL: [Self; 3] = [Self::Last7Days, Self::Last30Days, Self::Last60Days];

    /// The period of `days` days (7, 30 or 60).
    pub fn of_days(days: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.days() == days)
    }

    /// The period a query names: its name (`Last7Days`) or its days (`7`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(text)).or_else(|| text.parse().ok().and_then(Self::of_days))
    }

    /// Its name on the wire and in Azure's filter (`Last30Days`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Last7Days => "Last7Days",
            Self::Last30Days => "Last30Days",
            Self::Last60Days => "Last60Days",
        }
    }

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
    /// The look-back period the recommendations were asked over (`?lookBack=`; 30 days unless
    /// the user picks another).
    #[serde(default)]
    pub look_back_period: LookBackPeriod,
    /// What Azure recommended that is not shown above, each with why: nothing read vanishes
    /// unsaid. Always empty in local mode.
    #[serde(default)]
    pub left_out: Vec<LeftOutRecommendation>,
}

/// Why a recommendation Azure gave is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum LeftOutReason {
    /// It lacks what a recommendation cannot do without (SKU, region, term, quantity, costs) or
    /// does not have the shape Microsoft's specification gives.
    Incomplete,
    /// Azure recommends a quantity that is not a whole number of units (or none).
    NotWholeQuantity,
    /// Azure's own figures show no savings over the usage looked at.
    NoSavings,
    /// Its costs are in a currency the desk does not know, or in several.
    UnknownCurrency,
    /// Azure looked back over a period other than 7, 30 or 60 days.
    UnknownLookBack,
    /// Azure recommends the same purchase (SKU, region, term and scope) again with other
    /// figures: one purchase is shown once, with the larger net savings, and the other is listed
    /// here (the same recommendation read twice, figures and all, is one).
    SamePurchase,
}

/// A recommendation Azure gave that the desk does not show, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LeftOutRecommendation {
    /// Azure's SKU, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_name: Option<String>,
    /// Azure's region, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `Shared`, or `Single` for one subscription's usage, when Azure said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_type: Option<AppliedScopeType>,
    /// The subscription of a `Single` one (a GUID), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// The term, when Azure gave a known one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    /// Azure's resource type asked for (`VirtualMachines`, `SQLDatabases`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_resource_type: Option<String>,
    /// Why it is not shown.
    pub reason: LeftOutReason,
    /// The details, in English and Azure's words (e.g. the member missing).
    pub detail: String,
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
    /// Azure mode: the customer's catalog in Azure does not sell this SKU, region and term (not
    /// listed, or the term restricted for the customer): shown with Azure's figures, not bought.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_in_catalog: bool,
    /// E.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// The product family (`VirtualMachines`, `SqlDatabases`, `CosmosDb`, …).
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
    /// What buying it saves a year: local mode's proposal's yearly savings; in Azure mode
    /// Azure's `netSavings` over its look-back period, carried to a 365-day year.
    pub savings_per_year: Money,
    /// Local mode's priced proposal from the desk's catalog: buying the recommended quantity
    /// for the term, upfront, today, with its savings over the term and break-even month. Absent
    /// in Azure mode, where the figures are Azure's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<PurchaseQuote>,
    /// Why it cannot be bought (a retired VM series × term); absent when it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<PolicyError>,
}
