//! `split` and `merge` (`SplitRequest`, `MergeRequest` of 2022-11-01) read into the desk's
//! requests, and their answers written as Azure orders them. The desk decides (quantities that
//! add up, alike active sources of the order); this only maps IDs and shapes.

use contract::reservation::{MergeRequest, Reservation, SplitRequest};
use serde::{Deserialize, Serialize};

use crate::error::ArmError;
use crate::ids;
use crate::reservation::ReservationResponse;

/// `SplitRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = SplitRequest))]
pub struct ArmSplitRequest {
    /// The properties.
    pub properties: SplitProperties,
}

/// `SplitProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SplitProperties {
    /// The two parts' quantities: each at least 1, together the reservation's quantity.
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 2))]
    pub quantities: Vec<u32>,
    /// The reservation to split: `/providers/Microsoft.Capacity/reservationOrders/{reservationOrderId}/reservations/{reservationId}`
    /// of the path's order (or the bare reservation ID).
    pub reservation_id: String,
}

/// `MergeRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MergeRequest))]
pub struct ArmMergeRequest {
    /// The properties.
    pub properties: MergeProperties,
}

/// `MergeProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeProperties {
    /// Two or more reservations of the path's order, as full ARM IDs (or bare reservation IDs).
    #[cfg_attr(feature = "openapi", schema(min_items = 2))]
    pub sources: Vec<String>,
}

impl ArmSplitRequest {
    /// The desk's request, or a 400 naming `properties.reservationId` when it is not a
    /// reservation of `order_id`.
    pub fn to_desk(&self, order_id: &str) -> Result<SplitRequest, ArmError> {
        let p = &self.properties;
        Ok(SplitRequest { reservation_id: ids::reservation_of(order_id, &p.reservation_id, "properties.reservationId")?, quantities: p.quantities.clone() })
    }
}

impl ArmMergeRequest {
    /// The desk's request, or a 400 naming the source (`properties.sources[i]`) that is not a
    /// reservation of `order_id`.
    pub fn to_desk(&self, order_id: &str) -> Result<MergeRequest, ArmError> {
        let sources = self.properties.sources.iter().enumerate().map(|(i, s)| ids::reservation_of(order_id, s, &format!("properties.sources[{i}]")));
        Ok(MergeRequest { sources: sources.collect::<Result<_, _>>()? })
    }
}

impl ArmSplitRequest {
    /// ARM's request for the desk's split of a reservation of `order_id` (Azure mode).
    pub fn from_desk(order_id: &str, request: &SplitRequest) -> Self {
        Self { properties: SplitProperties { quantities: request.quantities.clone(), reservation_id: ids::reservation_id(order_id, &request.reservation_id) } }
    }
}

impl ArmMergeRequest {
    /// ARM's request for the desk's merge of reservations of `order_id` (Azure mode).
    pub fn from_desk(order_id: &str, request: &MergeRequest) -> Self {
        Self { properties: MergeProperties { sources: request.sources.iter().map(|s| ids::reservation_id(order_id, s)).collect() } }
    }
}

/// The desk's split answer (the split reservation, then its two parts) as Azure orders it
/// (`SplitReservation.json`): the two parts, then the split reservation.
pub fn split_answer(desk: &[Reservation]) -> Vec<ReservationResponse> {
    first_last(desk)
}

/// The desk's merge answer (the merged reservation, then its sources) as Azure orders it
/// (`MergeReservations.json`): the sources, then the merged reservation.
pub fn merge_answer(desk: &[Reservation]) -> Vec<ReservationResponse> {
    first_last(desk)
}

fn first_last(desk: &[Reservation]) -> Vec<ReservationResponse> {
    desk.iter().skip(1).chain(desk.first()).map(ReservationResponse::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn full_ids_of_the_paths_order_become_the_desks_ids() {
        let id = |r: &str| ids::reservation_id("o-1", r);
        let split: ArmSplitRequest = serde_json::from_value(json!({"properties": {"quantities": [1, 2], "reservationId": id("r-1")}})).unwrap();
        assert_eq!(split.to_desk("o-1").unwrap(), SplitRequest { reservation_id: "r-1".into(), quantities: vec![1, 2] });
        let upper = "/providers/Microsoft.Capacity/reservationOrders/o-1/reservations/r-2";
        let merge: ArmMergeRequest = serde_json::from_value(json!({"properties": {"sources": [id("r-1"), upper]}})).unwrap();
        assert_eq!(merge.to_desk("o-1").unwrap(), MergeRequest { sources: vec!["r-1".into(), "r-2".into()] });
    }

    #[test]
    fn the_desks_requests_are_written_with_full_ids_and_read_back_the_same() {
        let split = SplitRequest { reservation_id: "r-1".into(), quantities: vec![1, 2] };
        let arm = serde_json::to_value(ArmSplitRequest::from_desk("o-1", &split)).unwrap();
        assert_eq!(arm, json!({"properties": {"quantities": [1, 2], "reservationId": ids::reservation_id("o-1", "r-1")}}));
        assert_eq!(serde_json::from_value::<ArmSplitRequest>(arm).unwrap().to_desk("o-1").unwrap(), split);
        let merge = MergeRequest { sources: vec!["r-1".into(), "r-2".into()] };
        let arm = serde_json::to_value(ArmMergeRequest::from_desk("o-1", &merge)).unwrap();
        assert_eq!(serde_json::from_value::<ArmMergeRequest>(arm).unwrap().to_desk("o-1").unwrap(), merge);
    }

    #[test]
    fn a_reservation_of_another_order_is_refused_by_its_field() {
        let split: ArmSplitRequest =
            serde_json::from_value(json!({"properties": {"quantities": [1, 2], "reservationId": ids::reservation_id("o-2", "r-1")}})).unwrap();
        assert_eq!(split.to_desk("o-1").unwrap_err().body.error.target.as_deref(), Some("properties.reservationId"));
        let merge: ArmMergeRequest =
            serde_json::from_value(json!({"properties": {"sources": [ids::reservation_id("o-1", "r-1"), "/subscriptions/x"]}})).unwrap();
        let e = merge.to_desk("o-1").unwrap_err();
        assert_eq!((e.status, e.body.error.target.as_deref()), (400, Some("properties.sources[1]")));
    }

    #[test]
    fn answers_are_ordered_as_azures_examples() {
        let r = |id: &str| -> Reservation {
            serde_json::from_value(json!({
                "id": id, "reservationOrderId": "o-1", "customerId": "c-1", "displayName": "web", "skuName": "S",
                "location": "westeurope", "reservedResourceType": "VirtualMachines", "quantity": 1, "term": "P1Y",
                "billingPlan": "Upfront", "purchaseDate": "2026-01-10", "expiryDate": "2027-01-10",
                "unitPrice": {"amount": "1.00", "currencyCode": "USD"}, "appliedScopeType": "Shared",
                "provisioningState": "Succeeded", "renew": false,
                "utilization": {"last1Day": "0", "last7Days": "0", "last30Days": "0"}
            }))
            .unwrap()
        };
        let names = |answer: Vec<ReservationResponse>| answer.into_iter().map(|r| r.name).collect::<Vec<_>>();
        // The desk: the split reservation, then its parts; Azure: the parts, then it.
        assert_eq!(names(split_answer(&[r("src"), r("p1"), r("p2")])), ["o-1/p1", "o-1/p2", "o-1/src"]);
        // The desk: the merged reservation, then its sources; Azure: the sources, then it.
        assert_eq!(names(merge_answer(&[r("m"), r("s1"), r("s2")])), ["o-1/s1", "o-1/s2", "o-1/m"]);
    }
}
