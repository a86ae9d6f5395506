//! ARM's non-money changes of a reservation in a customer's tenant (`Microsoft.Capacity`
//! 2022-11-01): `PATCH …/reservations/{id}` (a configuration change), `POST …/split` and
//! `…/merge` (long-running: `202` and a URL to follow, the final answer the reservations), and
//! `POST …/reservations/{id}/archive` or `/unarchive` (`200`). Each is sent with [`AzureClient::start`]
//! and, when ARM accepted it without finishing, followed with [`AzureClient::follow`] to its end.
//! The bodies are `azure-api`'s types, the ones the desk's own Azure surface reads.

use azure_api::lineage::{ArmMergeRequest, ArmSplitRequest};
use azure_api::patch::ArmPatch;
use azure_api::read::{read_item, ReservationRead};
use reqwest::Method;

use crate::{AzureClient, AzureError, OnBehalfOf, CAPACITY_API_VERSION};

/// A change ARM made: its final answer and where it was followed.
#[derive(Clone, Debug)]
pub struct Changed {
    /// The final answer's status (`200` when done at once or when the operation's result came).
    pub status: u16,
    /// The long-running operation's URL, when ARM answered `202`.
    pub operation_url: Option<String>,
    /// The reservations the final answer names (one for a patch, the parts and the split one
    /// for a split, the sources and the merged one for a merge; none for an archive).
    pub reservations: Vec<ReservationRead>,
}

/// The reservations a final answer carries: a list (split, merge), one (patch), or none (an
/// archive's empty `200`, an operation's status document).
fn reservations_in(body: &[u8]) -> Vec<ReservationRead> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Array(list)) => list.into_iter().filter_map(|item| read_item(item).ok()).collect(),
        Ok(one @ serde_json::Value::Object(_)) if one.get("properties").is_some() => read_item(one).into_iter().collect(),
        _ => Vec::new(),
    }
}

impl AzureClient {
    fn order_url(&self, order_id: &str, rest: &str) -> String {
        let base = self.settings.arm_url.trim_end_matches('/');
        let order = urlencoding(order_id);
        format!("{base}/providers/Microsoft.Capacity/reservationOrders/{order}{rest}?api-version={CAPACITY_API_VERSION}")
    }

    /// Sends a change and follows it to its end.
    async fn change(&self, user: &OnBehalfOf, tenant: &str, method: Method, url: &str, body: &serde_json::Value) -> Result<Changed, AzureError> {
        let started = self.start(user, tenant, method, url, body).await?;
        let (answer, operation_url) = match started.poll {
            Some(poll) => (self.follow(user, tenant, &poll, started.wait).await?, Some(poll.url)),
            None => (started.answer, None),
        };
        Ok(Changed { status: answer.status, operation_url, reservations: reservations_in(&answer.body) })
    }

    /// `PATCH …/reservationOrders/{orderId}/reservations/{reservationId}` in `tenant`.
    pub async fn change_reservation(&self, user: &OnBehalfOf, tenant: &str, order_id: &str, reservation_id: &str, patch: &ArmPatch) -> Result<Changed, AzureError> {
        let url = self.order_url(order_id, &format!("/reservations/{}", urlencoding(reservation_id)));
        let body = serde_json::to_value(patch).map_err(|e| AzureError::local(e.to_string()))?;
        self.change(user, tenant, Method::PATCH, &url, &body).await
    }

    /// `POST …/reservationOrders/{orderId}/split` in `tenant`.
    pub async fn split_reservation(&self, user: &OnBehalfOf, tenant: &str, order_id: &str, request: &ArmSplitRequest) -> Result<Changed, AzureError> {
        let body = serde_json::to_value(request).map_err(|e| AzureError::local(e.to_string()))?;
        self.change(user, tenant, Method::POST, &self.order_url(order_id, "/split"), &body).await
    }

    /// `POST …/reservationOrders/{orderId}/merge` in `tenant`.
    pub async fn merge_reservations(&self, user: &OnBehalfOf, tenant: &str, order_id: &str, request: &ArmMergeRequest) -> Result<Changed, AzureError> {
        let body = serde_json::to_value(request).map_err(|e| AzureError::local(e.to_string()))?;
        self.change(user, tenant, Method::POST, &self.order_url(order_id, "/merge"), &body).await
    }

    /// `POST …/reservations/{reservationId}/archive` (`archive`) or `/unarchive` in `tenant`.
    pub async fn archive_reservation(&self, user: &OnBehalfOf, tenant: &str, order_id: &str, reservation_id: &str, archive: bool) -> Result<Changed, AzureError> {
        let verb = if archive { "archive" } else { "unarchive" };
        let url = self.order_url(order_id, &format!("/reservations/{}/{verb}", urlencoding(reservation_id)));
        self.change(user, tenant, Method::POST, &url, &serde_json::json!({})).await
    }
}

/// A path segment as ARM's IDs are: GUIDs and names; anything else is percent-encoded.
fn urlencoding(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect::<String>().replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_answer_names_its_reservations_whatever_its_shape() {
        let one = serde_json::to_vec(&serde_json::json!({
            "id": "/providers/Microsoft.Capacity/reservationOrders/o/reservations/r", "name": "o/r",
            "type": "microsoft.capacity/reservationOrders/reservations", "location": "westeurope", "sku": {"name": "S"},
            "properties": {"reservedResourceType": "VirtualMachines", "displayName": "n", "appliedScopeType": "Shared",
                "quantity": 1, "provisioningState": "Succeeded", "purchaseDate": "2026-01-10", "expiryDate": "2027-01-10",
                "billingPlan": "Upfront", "term": "P1Y"}
        }))
        .unwrap();
        assert_eq!(reservations_in(&one).len(), 1);
        let list = [b"[".as_slice(), &one, b",", &one, b"]"].concat();
        assert_eq!(reservations_in(&list).len(), 2);
        assert!(reservations_in(b"").is_empty());
        assert!(reservations_in(br#"{"status": "Succeeded"}"#).is_empty());
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(urlencoding("276e7ae4-84d0-4da6-ab4b-d6b94f3557da"), "276e7ae4-84d0-4da6-ab4b-d6b94f3557da");
        assert_eq!(urlencoding("a/b c"), "a%2Fb%20c");
    }
}
