//! Reservations and reservation orders as Microsoft.Capacity 2022-11-01 writes them
//! (`ReservationResponse`, `ReservationOrderResponse`, their list wrappers), from the desk's
//! contract. Only what the desk knows is written; the rest of the optional fields are left out.

use chrono::NaiveDate;
use contract::reservation::{AppliedScopeProperties, AppliedScopeType, ProvisioningState, Reservation};
use quote_engine::{BillingPlan, Term};
use serde::Serialize;

use crate::ids;
use crate::number::ExactNumber;

/// The resource type of a reservation.
pub const RESERVATION_TYPE: &str = "microsoft.capacity/reservationOrders/reservations";
/// The resource type of a reservation order.
pub const ORDER_TYPE: &str = "microsoft.capacity/reservationOrders";

/// `ReservationResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationResponse {
    /// The full ARM ID.
    pub id: String,
    /// `{orderId}/{reservationId}`.
    pub name: String,
    /// `microsoft.capacity/reservationOrders/reservations`.
    #[serde(rename = "type")]
    pub resource_type: &'static str,
    /// The region.
    pub location: String,
    /// The SKU.
    pub sku: SkuName,
    /// The properties.
    pub properties: ReservationProperties,
}

/// `SkuName`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkuName {
    /// E.g. `Standard_D2s_v3`.
    pub name: String,
}

/// `ReservationsProperties`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationsProperties))]
#[serde(rename_all = "camelCase")]
pub struct ReservationProperties {
    /// E.g. `VirtualMachines`.
    pub reserved_resource_type: String,
    /// The name.
    pub display_name: String,
    /// The subscriptions the discount applies to (a `Single` scope's subscription).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applied_scopes: Vec<String>,
    /// `Single`, `Shared` or `ManagementGroup`.
    pub applied_scope_type: AppliedScopeType,
    /// The scope's target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// Whether it is archived.
    pub archived: bool,
    /// Units reserved now.
    pub quantity: u32,
    /// Azure's provisioning state.
    pub provisioning_state: ProvisioningState,
    /// What the portal shows as the state.
    pub display_provisioning_state: String,
    /// The day the term started.
    pub purchase_date: NaiveDate,
    /// The same at midnight UTC.
    pub purchase_date_time: String,
    /// When the benefit started (the purchase, here).
    pub benefit_start_time: String,
    /// The day the term ends.
    pub expiry_date: NaiveDate,
    /// The same at midnight UTC.
    pub expiry_date_time: String,
    /// `Upfront` or `Monthly`.
    pub billing_plan: BillingPlan,
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// Whether it renews.
    pub renew: bool,
    /// `Shared`, `Single`, `ManagementGroup` as the portal words it.
    pub user_friendly_applied_scope_type: &'static str,
    /// `On` or `Off`.
    pub user_friendly_renew_state: &'static str,
    /// Utilization over the last 1, 7 and 30 days.
    pub utilization: Utilization,
}

/// `ReservationsPropertiesUtilization`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationsPropertiesUtilization))]
pub struct Utilization {
    /// The averages.
    pub aggregates: Vec<UtilizationAggregate>,
}

/// `ReservationUtilizationAggregates`: the average over `grain` days, in percent.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationUtilizationAggregates))]
#[serde(rename_all = "camelCase")]
pub struct UtilizationAggregate {
    /// 1, 7 or 30.
    pub grain: ExactNumber,
    /// `days`.
    pub grain_unit: &'static str,
    /// 0–100.
    pub value: ExactNumber,
    /// `percentage`.
    pub value_unit: &'static str,
}

fn midnight(day: NaiveDate) -> String {
    format!("{day}T00:00:00Z")
}

fn display_state(state: ProvisioningState) -> String {
    match state {
        ProvisioningState::Creating | ProvisioningState::PendingBilling => "Processing".to_owned(),
        // Every other state is shown by its own name (Succeeded, Cancelled, Expired, Failed, …).
        other => serde_json::to_value(other).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
    }
}

impl From<&Reservation> for ReservationResponse {
    fn from(r: &Reservation) -> Self {
        let u = &r.utilization;
        let aggregate = |days: u32, value| UtilizationAggregate {
            grain: ExactNumber(days.into()),
            grain_unit: "days",
            value: ExactNumber(value),
            value_unit: "percentage",
        };
        let single = r.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.clone());
        ReservationResponse {
            id: ids::reservation_id(&r.reservation_order_id, &r.id),
            name: ids::reservation_name(&r.reservation_order_id, &r.id),
            resource_type: RESERVATION_TYPE,
            location: r.location.clone(),
            sku: SkuName { name: r.sku_name.clone() },
            properties: ReservationProperties {
                reserved_resource_type: r.reserved_resource_type.clone(),
                display_name: r.display_name.clone(),
                applied_scopes: match r.applied_scope_type {
                    AppliedScopeType::Single => single.into_iter().collect(),
                    _ => Vec::new(),
                },
                applied_scope_type: r.applied_scope_type,
                applied_scope_properties: r.applied_scope_properties.clone(),
                archived: r.archived,
                quantity: r.quantity,
                provisioning_state: r.provisioning_state,
                display_provisioning_state: display_state(r.provisioning_state),
                purchase_date: r.purchase_date,
                purchase_date_time: midnight(r.purchase_date),
                benefit_start_time: midnight(r.purchase_date),
                expiry_date: r.expiry_date,
                expiry_date_time: midnight(r.expiry_date),
                billing_plan: r.billing_plan,
                term: r.term,
                renew: r.renew,
                user_friendly_applied_scope_type: match r.applied_scope_type {
                    AppliedScopeType::Single => "Single",
                    AppliedScopeType::Shared => "Shared",
                    AppliedScopeType::ManagementGroup => "ManagementGroup",
                },
                user_friendly_renew_state: if r.renew { "On" } else { "Off" },
                utilization: Utilization { aggregates: vec![aggregate(1, u.last1_day), aggregate(7, u.last7_days), aggregate(30, u.last30_days)] },
            },
        }
    }
}

/// A page of a list (`value`; `nextLink` is never needed: every list is one page).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct List<T> {
    /// The items.
    pub value: Vec<T>,
}

/// `ReservationOrderResponse`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReservationOrderResponse {
    /// The full ARM ID.
    pub id: String,
    /// The order ID.
    pub name: String,
    /// `microsoft.capacity/reservationOrders`.
    #[serde(rename = "type")]
    pub resource_type: &'static str,
    /// The properties.
    pub properties: ReservationOrderProperties,
}

/// `ReservationOrderProperties`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationOrderProperties {
    /// The name of its first reservation (the desk keeps no name of its own for an order).
    pub display_name: String,
    /// When it was bought (midnight UTC of the purchase day).
    pub created_date_time: String,
    /// When the benefit started.
    pub benefit_start_time: String,
    /// The day its term ends.
    pub expiry_date: NaiveDate,
    /// The same at midnight UTC.
    pub expiry_date_time: String,
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// `Upfront` or `Monthly`.
    pub billing_plan: BillingPlan,
    /// `Succeeded` while any of its reservations is active, else the state they share.
    pub provisioning_state: ProvisioningState,
    /// Its reservations.
    pub reservations: Vec<ReservationResponse>,
}

/// The order `order_id` from its reservations (`None` when it has none).
pub fn order(order_id: &str, reservations: &[&Reservation]) -> Option<ReservationOrderResponse> {
    let first = reservations.first()?;
    let active = reservations.iter().any(|r| r.provisioning_state == ProvisioningState::Succeeded);
    Some(ReservationOrderResponse {
        id: ids::order_id(order_id),
        name: order_id.to_owned(),
        resource_type: ORDER_TYPE,
        properties: ReservationOrderProperties {
            display_name: first.display_name.clone(),
            created_date_time: midnight(first.purchase_date),
            benefit_start_time: midnight(first.purchase_date),
            expiry_date: first.expiry_date,
            expiry_date_time: midnight(first.expiry_date),
            term: first.term,
            billing_plan: first.billing_plan,
            provisioning_state: if active { ProvisioningState::Succeeded } else { first.provisioning_state },
            reservations: reservations.iter().map(|r| ReservationResponse::from(*r)).collect(),
        },
    })
}

/// Every order among `reservations`, in the order each first appears.
pub fn orders(reservations: &[Reservation]) -> Vec<ReservationOrderResponse> {
    let mut ids: Vec<&str> = Vec::new();
    for r in reservations {
        if !ids.contains(&r.reservation_order_id.as_str()) {
            ids.push(&r.reservation_order_id);
        }
    }
    ids.into_iter()
        .filter_map(|id| order(id, &reservations.iter().filter(|r| r.reservation_order_id == id).collect::<Vec<_>>()))
        .collect()
}
