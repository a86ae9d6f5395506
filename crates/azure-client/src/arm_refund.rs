//! A refund through ARM (`Microsoft.Capacity` 2022-11-01) in a customer's tenant:
//! `calculateRefund` (its `sessionId` and figures), `return` with that session (`202 Accepted`
//! with `Location`, final state via the location: [`AzureClient::start`] and
//! [`AzureClient::follow`]), and one reservation read back (its quantity as Azure now has it).

use azure_api::read::RefundRead;
use azure_api::read::ReservationRead;
use reqwest::Method;
use secrecy::ExposeSecret;
use serde_json::json;

use crate::arm_ids::{checked, reservation_id};
use crate::{AzureClient, AzureError, OnBehalfOf, Started, ARM_SCOPE, CAPACITY_API_VERSION};

fn order_url(client: &AzureClient, order_id: &str, action: &str) -> String {
    let base = client.settings.arm_url.trim_end_matches('/');
    format!("{base}/providers/Microsoft.Capacity/reservationOrders/{order_id}/{action}?api-version={CAPACITY_API_VERSION}")
}

impl AzureClient {
    /// `POST …/reservationOrders/{orderId}/calculateRefund` for `quantity` units of a reservation:
    /// the figures the desk needs from its answer (`azure_api::read::RefundRead`).
    pub async fn calculate_refund(
        &self, user: &OnBehalfOf, tenant: &str, order_id: &str, reservation: &str, quantity: u32,
    ) -> Result<azure_api::read::RefundFigures, AzureError> {
        let (order_id, reservation) = (checked(order_id)?, checked(reservation)?);
        let body = json!({
            "id": format!("/providers/microsoft.capacity/reservationOrders/{order_id}"),
            "properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": reservation_id(order_id, reservation), "quantity": quantity}}
        });
        let started = self.start(user, tenant, Method::POST, &order_url(self, order_id, "calculateRefund"), &body).await?;
        let read: RefundRead = serde_json::from_slice(&started.answer.body).map_err(|e| started.answer.unreadable("ARM's calculateRefund", e))?;
        read.figures(quantity).map_err(|why| started.answer.unreadable("ARM's calculateRefund", why))
    }

    /// `POST …/reservationOrders/{orderId}/return` with `calculateRefund`'s session: ARM
    /// accepts it (`202` with `Location`, to follow) or answers at once.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_return(
        &self, user: &OnBehalfOf, tenant: &str, order_id: &str, reservation: &str, quantity: u32, session_id: &str, reason: &str,
    ) -> Result<Started, AzureError> {
        let (order_id, reservation) = (checked(order_id)?, checked(reservation)?);
        let body = json!({
            "properties": {
                "sessionId": session_id, "scope": "Reservation",
                "reservationToReturn": {"reservationId": reservation_id(order_id, reservation), "quantity": quantity},
                "returnReason": reason
            }
        });
        self.start(user, tenant, Method::POST, &order_url(self, order_id, "return"), &body).await
    }

    /// `GET …/reservationOrders/{orderId}/reservations/{reservationId}`, read as the specification
    /// types it (every property optional); `None` on `404`.
    pub async fn reservation(&self, user: &OnBehalfOf, tenant: &str, order_id: &str, reservation: &str) -> Result<Option<ReservationRead>, AzureError> {
        let (order_id, reservation) = (checked(order_id)?, checked(reservation)?);
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let url = order_url(self, order_id, &format!("reservations/{reservation}"));
        let what = format!("Azure Resource Manager in tenant {tenant}");
        match self.send(tenant, &what, || self.http.get(&url).bearer_auth(token.expose_secret())).await {
            Ok(answer) => serde_json::from_slice(&answer.body).map(Some).map_err(|e| answer.unreadable("ARM's reservation", e)),
            Err(e) if e.status == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
