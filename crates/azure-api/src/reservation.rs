//! Reservations and reservation orders as Microsoft.Capacity 2022-11-01 writes them
//! (`ReservationResponse`, `ReservationOrderResponse`, their list wrappers), from the desk's
//! contract. Only what the desk knows is written; the rest of the optional fields are left out.

use chrono::NaiveDate;
use contract::reservation::{AppliedScopeProperties, AppliedScopeType, ProvisioningState, Reservation};
use contract::Revision;
use quote_engine::{BillingPlan, Term};
use serde::{Deserialize, Serialize};

use crate::ids;
use crate::number::ExactNumber;
use crate::plan::ReservationOrderBillingPlanInformation;

/// The resource type of a reservation.
pub const RESERVATION_TYPE: &str = "microsoft.capacity/reservationOrders/reservations";
/// The resource type of a reservation's revision.
pub const REVISION_TYPE: &str = "microsoft.capacity/reservationOrders/reservations/revisions";
/// The resource type of a reservation order.
pub const ORDER_TYPE: &str = "microsoft.capacity/reservationOrders";

/// `ReservationResponse`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationResponse {
    /// The full ARM ID.
    pub id: String,
    /// `{orderId}/{reservationId}`.
    pub name: String,
    /// `microsoft.capacity/reservationOrders/reservations`.
    #[serde(rename = "type", skip_deserializing)]
    pub resource_type: &'static str,
    /// The region.
    pub location: String,
    /// On a revision (`…/revisions`): its number, 1 for the oldest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<u32>,
    /// The SKU.
    pub sku: SkuName,
    /// The properties.
    pub properties: ReservationProperties,
    /// On a revision that records a change: who made it and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_data: Option<SystemData>,
}

/// ARM's `systemData` (common types), as far as a revision knows it: who changed the
/// reservation last and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SystemData {
    /// The user's principal name, as the desk's audit log has it.
    pub last_modified_by: String,
    /// `User`.
    #[serde(skip_deserializing)]
    pub last_modified_by_type: &'static str,
    /// When (RFC 3339, UTC).
    pub last_modified_at: String,
}

/// `ReservationSplitProperties`: full ARM IDs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationSplitProperties {
    /// On a split reservation: its two parts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub split_destinations: Vec<String>,
    /// On a part: the reservation it was split from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_source: Option<String>,
}

/// `ReservationMergeProperties`: full ARM IDs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReservationMergeProperties {
    /// On a merged source: the reservation it became part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_destination: Option<String>,
    /// On the result of a merge: its sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merge_sources: Vec<String>,
}

/// `ExtendedStatusInfo`: why a split or merged reservation is no longer active, as Azure
/// words it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtendedStatusInfo {
    /// `Split` or `Merged`.
    #[serde(skip_deserializing)]
    pub status_code: &'static str,
    /// In English.
    #[serde(skip_deserializing)]
    pub message: &'static str,
}

/// `SkuName`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkuName {
    /// E.g. `Standard_D2s_v3`.
    pub name: String,
}

/// `ReservationsProperties`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationsProperties))]
#[serde(rename_all = "camelCase")]
pub struct ReservationProperties {
    /// E.g. `VirtualMachines`.
    pub reserved_resource_type: String,
    /// The name.
    pub display_name: String,
    /// The subscriptions the discount applies to (a `Single` scope's subscription).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applied_scopes: Vec<String>,
    /// `Single`, `Shared` or `ManagementGroup`.
    pub applied_scope_type: AppliedScopeType,
    /// The scope's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<AppliedScopeProperties>,
    /// Whether it is archived (Azure leaves it out when not).
    #[serde(default)]
    pub archived: bool,
    /// Where a split reservation went, or where a part came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_properties: Option<ReservationSplitProperties>,
    /// Where a merged reservation went, or what a merge was made of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_properties: Option<ReservationMergeProperties>,
    /// On a split or merged reservation: why it is no longer active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_status_info: Option<ExtendedStatusInfo>,
    /// Units reserved now.
    pub quantity: u32,
    /// Azure's provisioning state.
    pub provisioning_state: ProvisioningState,
    /// What the portal shows as the state.
    #[serde(default)]
    pub display_provisioning_state: String,
    /// On a revision: when the change it records was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_date_time: Option<String>,
    /// The day the term started.
    pub purchase_date: NaiveDate,
    /// The same at midnight UTC.
    #[serde(default)]
    pub purchase_date_time: String,
    /// When the benefit started (the purchase, here).
    #[serde(default)]
    pub benefit_start_time: String,
    /// The day the term ends.
    pub expiry_date: NaiveDate,
    /// The same at midnight UTC.
    #[serde(default)]
    pub expiry_date_time: String,
    /// `Upfront` or `Monthly`.
    pub billing_plan: BillingPlan,
    /// `P1Y`, `P3Y` or `P5Y`.
    pub term: Term,
    /// Whether it renews.
    #[serde(default)]
    pub renew: bool,
    /// `Shared`, `Single`, `ManagementGroup` as the portal words it.
    #[serde(skip_deserializing)]
    pub user_friendly_applied_scope_type: &'static str,
    /// `On` or `Off`.
    #[serde(skip_deserializing)]
    pub user_friendly_renew_state: &'static str,
    /// Utilization over the last 1, 7 and 30 days (not on a revision: it keeps configuration,
    /// not usage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilization: Option<Utilization>,
}

/// `ReservationsPropertiesUtilization`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationsPropertiesUtilization))]
pub struct Utilization {
    /// The averages.
    pub aggregates: Vec<UtilizationAggregate>,
}

/// `ReservationUtilizationAggregates`: the average over `grain` days, in percent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ReservationUtilizationAggregates))]
#[serde(rename_all = "camelCase")]
pub struct UtilizationAggregate {
    /// 1, 7 or 30.
    pub grain: ExactNumber,
    /// `days`.
    #[serde(skip_deserializing)]
    pub grain_unit: &'static str,
    /// 0–100.
    pub value: ExactNumber,
    /// `percentage`.
    #[serde(skip_deserializing)]
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
        // A window Azure did not report is left out, as ARM leaves it out (never sent as 0).
        let aggregate = |days: u32, value: Option<rust_decimal::Decimal>| {
            value.map(|value| UtilizationAggregate {
                grain: ExactNumber(days.into()),
                grain_unit: "days",
                value: ExactNumber(value),
                value_unit: "percentage",
            })
        };
        let single = r.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.clone());
        let full_id = |id: &String| ids::reservation_id(&r.reservation_order_id, id);
        ReservationResponse {
            id: ids::reservation_id(&r.reservation_order_id, &r.id),
            name: ids::reservation_name(&r.reservation_order_id, &r.id),
            resource_type: RESERVATION_TYPE,
            location: r.location.clone(),
            etag: None,
            system_data: None,
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
                split_properties: r.split_properties.as_ref().map(|p| ReservationSplitProperties {
                    split_destinations: p.split_destinations.iter().map(full_id).collect(),
                    split_source: p.split_source.as_ref().map(full_id),
                }),
                merge_properties: r.merge_properties.as_ref().map(|p| ReservationMergeProperties {
                    merge_destination: p.merge_destination.as_ref().map(full_id),
                    merge_sources: p.merge_sources.iter().map(full_id).collect(),
                }),
                extended_status_info: match r.provisioning_state {
                    ProvisioningState::Split => {
                        Some(ExtendedStatusInfo { status_code: "Split", message: "This reservation was split and is no longer active." })
                    }
                    ProvisioningState::Merged => {
                        Some(ExtendedStatusInfo { status_code: "Merged", message: "This reservation was merged and is no longer active." })
                    }
                    _ => None,
                },
                quantity: r.quantity,
                provisioning_state: r.provisioning_state,
                display_provisioning_state: display_state(r.provisioning_state),
                last_updated_date_time: None,
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
                utilization: Some(Utilization {
                    aggregates: [aggregate(1, u.last1_day), aggregate(7, u.last7_days), aggregate(30, u.last30_days)].into_iter().flatten().collect(),
                }),
            },
        }
    }
}

impl ReservationResponse {
    /// A revision of a reservation, as `…/revisions` lists it (Azure's example
    /// `GetReservationRevisions.json`): the ID `…/reservations/{id}/revisions/{n}`, the name
    /// `{orderId}/{reservationId}/{n}`, `etag` the revision number, the reservation as it was
    /// after the change; when the revision records a change, `lastUpdatedDateTime` and
    /// `systemData` say when and by whom. No utilization: a revision keeps configuration.
    pub fn revision(v: &Revision) -> Self {
        let r = &v.reservation;
        let mut out = ReservationResponse::from(r);
        out.id = format!("{}/revisions/{}", out.id, v.revision);
        out.name = format!("{}/{}", out.name, v.revision);
        out.resource_type = REVISION_TYPE;
        out.etag = Some(v.revision);
        out.properties.utilization = None;
        // `before` is the state a first change found, recorded with it: not a change itself.
        if v.action != "before" {
            out.properties.last_updated_date_time = Some(v.time.clone());
            if !v.actor.is_empty() {
                out.system_data =
                    Some(SystemData { last_modified_by: v.actor.clone(), last_modified_by_type: "User", last_modified_at: v.time.clone() });
            }
        }
        out
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
    /// Its payment plan: only when asked for with `$expand=schedule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_information: Option<ReservationOrderBillingPlanInformation>,
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
            plan_information: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order_price::OrderPrice;
    use crate::read::{OrderFacts, ReadContext};
    use serde_json::{json, Value};

    fn reservation(extra: Value) -> Reservation {
        let mut r = json!({
            "id": "r-1", "reservationOrderId": "o-1", "customerId": "c-1", "displayName": "web",
            "skuName": "Standard_D2s_v3", "location": "westeurope", "reservedResourceType": "VirtualMachines",
            "quantity": 3, "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-01-10", "expiryDate": "2027-01-10",
            "unitPrice": {"amount": "100.00", "currencyCode": "USD"}, "appliedScopeType": "Shared",
            "provisioningState": "Succeeded", "renew": false,
            "utilization": {"last1Day": "50", "last7Days": "40", "last30Days": "30"}
        });
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value(r).unwrap()
    }

    #[test]
    fn split_and_merge_links_are_full_ids_and_a_finished_state_says_why() {
        let split = reservation(json!({"provisioningState": "Split", "splitProperties": {"splitDestinations": ["r-2", "r-3"]}}));
        let written = serde_json::to_value(ReservationResponse::from(&split)).unwrap();
        let p = &written["properties"];
        assert_eq!(p["splitProperties"], json!({"splitDestinations": [ids::reservation_id("o-1", "r-2"), ids::reservation_id("o-1", "r-3")]}));
        assert_eq!((&p["provisioningState"], &p["extendedStatusInfo"]["statusCode"]), (&json!("Split"), &json!("Split")));
        assert!(p.get("mergeProperties").is_none() && written.get("etag").is_none() && written.get("systemData").is_none());
        let merged = reservation(json!({"mergeProperties": {"mergeSources": ["r-2", "r-3"]}, "splitProperties": {"splitSource": "r-0"}}));
        let p = serde_json::to_value(ReservationResponse::from(&merged)).unwrap()["properties"].clone();
        assert_eq!(p["mergeProperties"], json!({"mergeSources": [ids::reservation_id("o-1", "r-2"), ids::reservation_id("o-1", "r-3")]}));
        assert_eq!(p["splitProperties"], json!({"splitSource": ids::reservation_id("o-1", "r-0")}));
        assert!(p.get("extendedStatusInfo").is_none() && p["utilization"]["aggregates"].as_array().unwrap().len() == 3);
        let unreported = reservation(json!({"utilization": {"last7Days": "40"}}));
        let p = serde_json::to_value(ReservationResponse::from(&unreported)).unwrap()["properties"].clone();
        assert_eq!(
            p["utilization"]["aggregates"],
            json!([{"grain": 7, "grainUnit": "days", "value": 40, "valueUnit": "percentage"}]),
            "a window not reported is left out, never 0"
        );
    }

    #[test]
    fn a_reservation_written_as_arm_reads_back_as_the_same_reservation() {
        let context = ReadContext {
            customer_id: "c-1".into(),
            order: OrderFacts {
                price: OrderPrice::Known { unit_price: quote_engine::Money::new(rust_decimal_macros::dec!(100.00), quote_engine::Currency::new("USD").unwrap()), pricing_unit_price: None },
                term: None,
                billing_plan: None,
                start: None,
                expiry: None,
            },
        };
        let cases = [
            reservation(json!({})),
            reservation(json!({"appliedScopeType": "Single", "appliedScopeProperties": {"subscriptionId": "/subscriptions/s-1"}, "renew": true, "archived": true, "provisioningState": "Cancelled"})),
            reservation(json!({"provisioningState": "Split", "splitProperties": {"splitDestinations": ["r-2", "r-3"]}, "utilization": {"last1Day": "49.2", "last7Days": "0", "last30Days": "100"}})),
            reservation(json!({"mergeProperties": {"mergeSources": ["r-2", "r-3"]}, "splitProperties": {"splitSource": "r-0"}})),
        ];
        for r in cases {
            let text = serde_json::to_string(&ReservationResponse::from(&r)).unwrap();
            let read = crate::read::read_item(serde_json::from_str(&text).unwrap()).unwrap();
            assert_eq!(read.to_reservation(&context).unwrap(), r, "{text}");
        }
    }

    #[test]
    fn an_arm_answer_as_microsoft_documents_it_reads() {
        // From azure-rest-api-specs' example GetReservations.json (2022-11-01), trimmed.
        let page = crate::read::read_page(json!({
            "value": [{
                "id": "/providers/microsoft.capacity/reservationOrders/2b9a4b7e-4c3e-4f2b-9e0b-0c6c4e3a9f10/reservations/9d5b7e0c-8a2f-4c4d-b6a0-3f1e2d4c5b6a",
                "name": "2b9a4b7e-4c3e-4f2b-9e0b-0c6c4e3a9f10/9d5b7e0c-8a2f-4c4d-b6a0-3f1e2d4c5b6a",
                "type": "microsoft.capacity/reservationOrders/reservations",
                "location": "eastus", "etag": 14, "sku": {"name": "Standard_B1ls"},
                "properties": {
                    "reservedResourceType": "VirtualMachines", "instanceFlexibility": "On", "displayName": "VM_RI_03-03-2022_12-38",
                    "appliedScopes": ["/subscriptions/fed2a274-f2df-43a2-9d8c-0e5e7b1d5a2f"], "appliedScopeType": "Single",
                    "quantity": 1, "provisioningState": "Succeeded", "effectiveDateTime": "2022-03-03T20:40:34.8061Z",
                    "benefitStartTime": "2022-03-03T20:40:34.8061Z", "lastUpdatedDateTime": "2022-03-03T20:43:33.4567Z",
                    "expiryDate": "2023-03-03", "expiryDateTime": "2023-03-03T20:40:34.8061Z", "purchaseDate": "2022-03-03",
                    "purchaseDateTime": "2022-03-03T20:38:32.3569Z", "skuDescription": "Reserved VM Instance, Standard_B1ls, US East, 1 Year",
                    "term": "P1Y", "billingPlan": "Upfront", "renew": false, "userFriendlyAppliedScopeType": "Single",
                    "userFriendlyRenewState": "Off", "displayProvisioningState": "Succeeded",
                    "utilization": {"trend": "SAME", "aggregates": [
                        {"grain": 1.0, "grainUnit": "days", "value": 0.0, "valueUnit": "percentage"},
                        {"grain": 7.0, "grainUnit": "days", "value": 42.5, "valueUnit": "percentage"},
                        {"grain": 30.0, "grainUnit": "days", "value": 57.25, "valueUnit": "percentage"}]}
                }
            }],
            "nextLink": "https://management.azure.com/providers/Microsoft.Capacity/reservations?api-version=2022-11-01&$skiptoken=abc"
        }).to_string().as_bytes())
        .unwrap();
        assert!(page.next_link.as_deref().unwrap().ends_with("$skiptoken=abc"));
        let why = contract::source::PriceUnknown { code: "AuthorizationFailed".into(), message: "no role on the order".into() };
        let context = ReadContext { customer_id: "t-1".into(), order: OrderFacts::unknown(why.clone()) };
        let r = page.items[0].as_ref().unwrap().to_reservation(&context).unwrap();
        assert_eq!((r.price_unknown.as_ref(), r.unit_price.is_zero()), (Some(&why), true), "an unknown price says why");
        assert_eq!((r.reservation_order_id.as_str(), r.id.as_str()), ("2b9a4b7e-4c3e-4f2b-9e0b-0c6c4e3a9f10", "9d5b7e0c-8a2f-4c4d-b6a0-3f1e2d4c5b6a"));
        assert_eq!(r.applied_scope_properties.unwrap().subscription_id.as_deref(), Some("/subscriptions/fed2a274-f2df-43a2-9d8c-0e5e7b1d5a2f"));
        assert_eq!((r.utilization.last7_days, r.utilization.last30_days), (Some(rust_decimal_macros::dec!(42.5)), Some(rust_decimal_macros::dec!(57.25))));
        assert_eq!((r.quantity, r.purchase_date.to_string().as_str(), r.customer_id.as_str()), (1, "2022-03-03", "t-1"));
    }

    #[test]
    fn an_order_has_no_plan_unless_asked_for() {
        let r = reservation(json!({}));
        let written = serde_json::to_value(order("o-1", &[&r]).unwrap()).unwrap();
        assert!(written["properties"].get("planInformation").is_none(), "{written}");
    }

    #[test]
    fn a_revision_is_named_as_azure_names_it_with_its_number_as_etag() {
        let revision = |n: u32, action: &str, actor: &str| Revision {
            revision: n,
            time: "2026-03-01T10:00:00Z".into(),
            actor: actor.into(),
            action: action.into(),
            change: "archived".into(),
            reservation: reservation(json!({"archived": true, "provisioningState": "Cancelled"})),
            ticket_reference: None,
            detail: None,
        };
        let written = serde_json::to_value(ReservationResponse::revision(&revision(2, "archive", "admin@partner.example"))).unwrap();
        assert_eq!(written["id"], format!("{}/revisions/2", ids::reservation_id("o-1", "r-1")));
        assert_eq!((&written["name"], &written["type"], &written["etag"]), (&json!("o-1/r-1/2"), &json!(REVISION_TYPE), &json!(2)));
        assert_eq!(written["properties"]["lastUpdatedDateTime"], "2026-03-01T10:00:00Z");
        assert_eq!(written["properties"]["archived"], true);
        assert!(written["properties"].get("utilization").is_none(), "a revision keeps configuration, not usage");
        assert_eq!(written["systemData"], json!({"lastModifiedBy": "admin@partner.example", "lastModifiedByType": "User", "lastModifiedAt": "2026-03-01T10:00:00Z"}));
        let before = serde_json::to_value(ReservationResponse::revision(&revision(1, "before", "admin@partner.example"))).unwrap();
        assert!(before.get("systemData").is_none() && before["properties"].get("lastUpdatedDateTime").is_none(), "{before}");
    }
}
