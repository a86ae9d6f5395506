//! ARM's reservation orders in a customer's tenant (`GET
//! /providers/Microsoft.Capacity/reservationOrders/{id}?$expand=schedule`): the order's plan
//! information is where a reservation's price is (`azure_api::order_price`). One order per call;
//! the reader asks each distinct order of a tenant once per read.

use azure_api::order_price::OrderRead;
use secrecy::ExposeSecret;

use crate::{AzureClient, AzureError, Reader, ARM_SCOPE, CAPACITY_API_VERSION};

/// Whether `id` can stand in a path segment as it is (ARM's order IDs are GUIDs): an ID from an
/// answer is never allowed to reshape the URL.
fn plain(id: &str) -> bool {
    !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(crate) async fn order(client: &AzureClient, user: &Reader, tenant: &str, order_id: &str) -> Result<OrderRead, AzureError> {
    if !plain(order_id) {
        return Err(AzureError { request: Default::default(), status: None, code: "UnexpectedId".into(), message: format!("{order_id:?} is not a reservation order's ID") });
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

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_plain_id_goes_into_the_path() {
        assert!(super::plain("1f14354c-dc12-4c8d-8090-6f295a3a34aa"));
        for bad in ["", "../reservations", "a/b", "a?b=c", "a#b", "a%2F"] {
            assert!(!super::plain(bad), "{bad}");
        }
    }
}
