use contract::{NewSupportRequest, SupportRequest};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `POST /api/supportRequests`.
pub async fn create_support_request(request: &NewSupportRequest) -> Result<SupportRequest, ApiError> {
    transport::call::<endpoint::CreateSupportRequest>(&[], &[], request).await
}

/// `GET /api/supportRequests?customerId=`.
pub async fn support_requests(customer_id: &str) -> Result<Vec<SupportRequest>, ApiError> {
    transport::call::<endpoint::ListSupportRequests>(&[], &[("customerId", customer_id)], &()).await
}

/// `GET /api/supportRequests/{id}` (in Azure mode with its ticket read again from Azure).
pub async fn support_request(id: &str) -> Result<SupportRequest, ApiError> {
    transport::call::<endpoint::GetSupportRequest>(&[id], &[], &()).await
}
