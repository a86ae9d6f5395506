//! Reservations as the contract shows them: Azure-shaped, camelCase.

use chrono::NaiveDate;
use quote_engine::{BillingPlan, Money, Term};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where a reservation's discount applies (Azure's `appliedScopeType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AppliedScopeType {
    /// One subscription, or one resource group in it.
    Single,
    /// Every subscription of the customer's billing context.
    Shared,
    /// The subscriptions of one management group.
    ManagementGroup,
}

/// The target of a Single or ManagementGroup scope (Azure's `appliedScopeProperties`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppliedScopeProperties {
    /// `/subscriptions/{id}` for a Single scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// `/subscriptions/{id}/resourceGroups/{name}` for a single resource group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_id: Option<String>,
    /// `/providers/Microsoft.Management/managementGroups/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_group_id: Option<String>,
    /// The scope's name as shown to people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// Azure's provisioning states that a partner sees on a reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProvisioningState {
    /// Active.
    Succeeded,
    /// Every unit was returned or exchanged.
    Cancelled,
    /// The term ended.
    Expired,
    /// Being created.
    Creating,
    /// A change is being applied.
    PendingBilling,
    /// Creation failed.
    Failed,
    /// Split into two reservations (see its `splitProperties`); no longer active.
    Split,
    /// Merged into another reservation (see its `mergeProperties`); no longer active.
    Merged,
}

impl ProvisioningState {
    /// Whether a reservation in this state is finished for good (cancelled, expired, failed,
    /// split or merged): only such a reservation can be archived.
    pub const fn is_finished(self) -> bool {
        matches!(self, Self::Cancelled | Self::Expired | Self::Failed | Self::Split | Self::Merged)
    }
}

/// Where a split reservation went, or where a part came from (Azure's `splitProperties`). IDs
/// are reservation IDs of the same order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SplitProperties {
    /// On the split reservation: its two parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub split_destinations: Vec<String>,
    /// On a part: the reservation it was split from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_source: Option<String>,
}

/// Where a merged reservation went, or what a merge was made of (Azure's `mergeProperties`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MergeProperties {
    /// On a merged source: the reservation it became part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_destination: Option<String>,
    /// On the result of a merge: its sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merge_sources: Vec<String>,
}

/// `POST /reservationOrders/{orderId}/split`: split one reservation in two.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SplitRequest {
    /// The reservation to split (of this order).
    pub reservation_id: String,
    /// The two parts' quantities: each at least 1, together the reservation's quantity.
    pub quantities: Vec<u32>,
}

/// `POST /reservationOrders/{orderId}/merge`: merge reservations of one order into one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergeRequest {
    /// Two or more reservation IDs of this order.
    pub sources: Vec<String>,
}

/// Average utilization in percent over the last 1, 7 and 30 days. A window Azure did not
/// report is absent (`None`), which is not 0 %: nothing may read it as unused (no refund or
/// exchange recommended on it, no low-utilization alert).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UtilizationAggregates {
    /// Last day, 0–100; absent when not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last1_day: Option<Decimal>,
    /// Last 7 days, 0–100; absent when not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last7_days: Option<Decimal>,
    /// Last 30 days, 0–100; absent when not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last30_days: Option<Decimal>,
}

impl UtilizationAggregates {
    /// Every window at `percent` (the desk's own reservations, whose history it computes).
    pub fn known(last1_day: Decimal, last7_days: Decimal, last30_days: Decimal) -> Self {
        Self { last1_day: Some(last1_day), last7_days: Some(last7_days), last30_days: Some(last30_days) }
    }

    /// Every window at zero: what a revision keeps (configuration, not usage).
    pub fn zero() -> Self {
        Self::known(Decimal::ZERO, Decimal::ZERO, Decimal::ZERO)
    }

    /// Nothing reported: Azure gave no aggregate for any window.
    pub fn not_reported() -> Self {
        Self::default()
    }

    /// Whether these averages allow that the reservation was used: a window above zero, or one
    /// not reported (it may have had use, so it is never taken for "never used"). Only every
    /// window known at zero says "not used".
    pub fn may_show_use(&self) -> bool {
        [self.last1_day, self.last7_days, self.last30_days].iter().any(|p| p.is_none_or(|p| p > Decimal::ZERO))
    }
}

/// One day of a reservation's utilization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DailyUtilization {
    /// The UTC day.
    pub date: NaiveDate,
    /// Percent of the reserved capacity used that day, 0–100.
    pub utilization_percent: Decimal,
}

/// A reservation of one customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    /// The reservation ID (GUID).
    pub id: String,
    /// The reservation order it belongs to (GUID); support asks for both IDs.
    pub reservation_order_id: String,
    /// The customer (tenant) that owns it.
    pub customer_id: String,
    /// The name the partner gave it.
    pub display_name: String,
    /// The SKU, e.g. `Standard_D2s_v3`.
    pub sku_name: String,
    /// The Azure region, e.g. `westeurope`.
    pub location: String,
    /// Product family, e.g. `VirtualMachines`.
    pub reserved_resource_type: String,
    /// Units reserved now.
    pub quantity: u32,
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// `Upfront` or `Monthly`.
    pub billing_plan: BillingPlan,
    /// The day the term started.
    pub purchase_date: NaiveDate,
    /// The day the term ends.
    pub expiry_date: NaiveDate,
    /// Whole-term price of one unit, in the billing currency.
    pub unit_price: Money,
    /// The same in USD when billed in another currency (the refund limit is in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing_unit_price: Option<Money>,
    /// Where the discount applies.
    pub applied_scope_type: AppliedScopeType,
    /// The scope's target for Single and ManagementGroup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// Azure's provisioning state.
    pub provisioning_state: ProvisioningState,
    /// Whether it renews automatically at expiry.
    pub renew: bool,
    /// Utilization averages.
    pub utilization: UtilizationAggregates,
    /// Hidden from lists unless asked for (only finished reservations can be archived).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
    /// Set on a split reservation and on its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_properties: Option<SplitProperties>,
    /// Set on merged sources and on the result of a merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_properties: Option<MergeProperties>,
    /// Azure mode: set when Azure did not give the reservation's price (its order could not be
    /// read), with why; `unitPrice` is then zero and nothing is quoted on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_unknown: Option<crate::source::PriceUnknown>,
    /// Azure mode: today's price as Azure answers it for the customer, or why it gave none
    /// (the lower-price refund rule's "today's price"); absent in local mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today_price: Option<crate::source::TodayPrice>,
}

/// Why the engine cannot take a reservation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotQuotable {
    /// Its product family is not one the engine knows.
    Family(quote_engine::ResourceTypeError),
    /// Azure did not give its price (Azure mode).
    PriceUnknown(crate::source::PriceUnknown),
}

impl From<quote_engine::ResourceTypeError> for NotQuotable {
    fn from(e: quote_engine::ResourceTypeError) -> Self {
        NotQuotable::Family(e)
    }
}

impl std::fmt::Display for NotQuotable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotQuotable::Family(e) => write!(f, "{e}"),
            NotQuotable::PriceUnknown(p) => {
                write!(f, "Azure did not give its price ({}: {}); the desk quotes no refund or exchange on it", p.code, p.message)
            }
        }
    }
}

impl std::error::Error for NotQuotable {}

/// One reservation with its daily utilization since purchase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationDetail {
    /// The reservation.
    #[serde(flatten)]
    pub reservation: Reservation,
    /// One entry per day since purchase, oldest first.
    pub utilization_history: Vec<DailyUtilization>,
}

impl ReservationDetail {
    /// Whether the reservation has been used at all: any day with utilization above zero, or
    /// averages that allow use ([`UtilizationAggregates::may_show_use`]; in Azure mode there are
    /// no days, only Azure's averages, and the Portfolio decides from the same averages).
    /// Decides the 100 % grace-period refund, so browser and server must agree on it.
    pub fn has_usage(&self) -> bool {
        self.utilization_history.iter().any(|day| day.utilization_percent > Decimal::ZERO) || self.reservation.utilization.may_show_use()
    }

    /// The reservation as the quote engine takes it, at its purchase price: a refund the desk
    /// quotes also gives today's catalog price (`desk_service::current_price::refund_reservation`).
    /// `Err` when its family is unknown, or its price is (a zero that stands for nothing is
    /// never quoted).
    pub fn to_engine(&self) -> Result<quote_engine::Reservation, NotQuotable> {
        let r = &self.reservation;
        if let Some(unknown) = &r.price_unknown {
            return Err(NotQuotable::PriceUnknown(unknown.clone()));
        }
        Ok(quote_engine::Reservation {
            reserved_resource_type: quote_engine::ReservedResourceType::new(&r.reserved_resource_type)?,
            term: r.term,
            billing_plan: r.billing_plan,
            purchase_date: r.purchase_date,
            quantity: r.quantity,
            unit_price: r.unit_price,
            pricing_unit_price: r.pricing_unit_price,
            has_usage: self.has_usage(),
            current_unit_price: None,
            sku_name: None,
            // The expiry the desk shows is the one the quote uses (Azure's, in Azure mode).
            expiry_date: Some(r.expiry_date),
        })
    }
}
