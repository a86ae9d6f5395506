use contract::{AlertSubscription, AlertsView};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /alerts`.
pub async fn alerts() -> Result<AlertsView, ApiError> {
    transport::call::<endpoint::ListAlerts>(&[], &[], &()).await
}

/// `POST /customers/{customerId}/alertSubscription`.
pub async fn set_alert_subscription(customer_id: &str, subscribed: bool) -> Result<AlertSubscription, ApiError> {
    transport::call::<endpoint::SetAlertSubscription>(&[customer_id], &[], &AlertSubscription { subscribed }).await
}
