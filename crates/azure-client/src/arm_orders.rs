//! ARM's reservation orders in a customer's tenant (`GET
//! /providers/Microsoft.Capacity/reservationOrders/{id}?$expand=schedule`): the order's plan
//! information is where a reservation's price is (`azure_api::order_price`). One order per call;
//! the reader asks each distinct order of a tenant once per read.

use azure_api::order_price::OrderRead;
use secrecy::ExposeSecret;

use crate::{AzureClient, AzureError, Reader, ARM_SCOPE, CAPACITY_API_VERSION};

/// Whether `id` can stand in a path segment as it is (ARM's order IDs are GUIDs): an ID from an
/// answer is never allowed to reshape the URL.
pub(crate) fn plain(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(crate) async fn order(client: &AzureClient, user: &Reader, tenant: &str, order_id: &str) -> Result<OrderRead, AzureError> {
    if !plain(order_id) {
        return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "UnexpectedId".into(), message: format!("{order_id:?} is not a reservation order's ID") });
    }
    let token = client.token_for(user, tenant, ARM_SCOPE).await?;
    let base = client.settings.arm_url.trim_end_matches('/');
    // `$expand=schedule` is the value of Microsoft's example for the plan information.
    let url = format!("{base}/providers/Microsoft.Capacity/reservationOrders/{order_id}?api-version={CAPACITY_API_VERSION}&$expand=schedule");
    let what = format!("Azure Resource Manager's order {order_id} in tenant {tenant}");
    let answer = client.send(tenant, &what, || client.http.get(&url).bearer_auth(token.expose_secret())).await?;
    let mut read: OrderRead = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("ARM's reservation order", e))?;
    if read.name.is_empty() {
        read.name = order_id.to_owned();
    }
    Ok(read)
}

/// The bare IDs of the reservations an order's answer lists (`properties.reservations[].id`).
pub(crate) fn listed_reservations(body: &serde_json::Value) -> Vec<String> {
    body.pointer("/properties/reservations")
        .and_then(serde_json::Value::as_array)
        .map(|listed| {
            listed
                .iter()
                .filter_map(|r| r.get("id").and_then(serde_json::Value::as_str))
                .filter_map(crate::arm_ids::reservation_of)
                .map(|(_, reservation)| reservation.to_owned())
                .collect()
        })
        .unwrap_or_default()
}

impl AzureClient {
    /// The reservations ARM lists in the order `order_id` of `tenant` (a purchase's new order,
    /// read on behalf of the user who bought it); `None` when ARM has no such order yet.
    pub async fn order_reservations(&self, user: &crate::OnBehalfOf, tenant: &str, order_id: &str) -> Result<Option<Vec<String>>, AzureError> {
        if !plain(order_id) {
            return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "UnexpectedId".into(), message: format!("{order_id:?} is not a reservation order's ID") });
        }
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let base = self.settings.arm_url.trim_end_matches('/');
        let url = format!("{base}/providers/Microsoft.Capacity/reservationOrders/{order_id}?api-version={CAPACITY_API_VERSION}");
        let what = format!("Azure Resource Manager's order {order_id} in tenant {tenant}");
        match self.send(tenant, &what, || self.http.get(&url).bearer_auth(token.expose_secret())).await {
            Ok(answer) => {
                let body: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("ARM's reservation order", e))?;
                Ok(Some(listed_reservations(&body)))
            }
            Err(e) if e.status == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_published_order_lists_its_reservations() {
        let example: serde_json::Value =
            serde_json::from_str(include_str!("../../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/GetReservationOrderDetails.json")).unwrap();
        let listed = super::listed_reservations(&example["responses"]["200"]["body"]);
        assert!(!listed.is_empty(), "{example}");
        assert!(listed.iter().all(|id| !id.contains('/')), "bare IDs: {listed:?}");
    }

    #[test]
    fn only_a_plain_id_goes_into_the_path() {
        assert!(super::plain("1f14354c-dc12-4c8d-8090-6f295a3a34aa"));
        for bad in ["", "../reservations", "a/b", "a?b=c", "a#b", "a%2F"] {
            assert!(!super::plain(bad), "{bad}");
        }
    }
}
