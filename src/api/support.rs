use contract::{NewSupportRequest, SupportRequest};

use super::{transport, ApiError};

/// `POST /api/supportRequests`.
pub async fn create_support_request(request: &NewSupportRequest) -> Result<SupportRequest, ApiError> {
    transport::post("/supportRequests", request).await
}

/// `GET /api/supportRequests?customerId=`.
pub async fn support_requests(customer_id: &str) -> Result<Vec<SupportRequest>, ApiError> {
    transport::get("/supportRequests", &[("customerId", customer_id)]).await
}
