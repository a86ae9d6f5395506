//! Azure mode: how fresh a customer's data read from Azure is, and a read now. These
//! paths are the server's own (`/api/source/…`), not operations of the desk's table.

use contract::source::SourceStatus;

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
