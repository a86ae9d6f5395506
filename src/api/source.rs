//! Azure mode: how fresh a customer's data read from Azure is, and a read now (these paths are
//! the server's own, not operations of the desk's table); every tenant's readiness (the desk's
//! `ListReadiness`).

use contract::source::{CustomerReadiness, SourceStatus};
use desk::operation::endpoint;

use super::{transport, ApiError};

fn encoded(id: &str) -> String {
    js_sys::encode_uri_component(id).into()
}

/// `GET /api/source/customers/{customerId}`.
pub async fn source_status(customer_id: &str) -> Result<SourceStatus, ApiError> {
    transport::server_path("GET", &format!("/source/customers/{}", encoded(customer_id))).await
}

/// `POST /api/source/customers/{customerId}/refresh`: reads the customer from Azure now.
pub async fn refresh_from_azure(customer_id: &str) -> Result<SourceStatus, ApiError> {
    transport::server_path("POST", &format!("/source/customers/{}/refresh", encoded(customer_id))).await
}

/// `GET /api/source/readiness`: every customer's readiness for Azure mode, with what fixes it
/// (Global admin and Admin agents; 404 where the desk does not read Azure).
pub async fn readiness() -> Result<Vec<CustomerReadiness>, ApiError> {
    transport::call::<endpoint::ListReadiness>(&[], &[], &()).await
}
