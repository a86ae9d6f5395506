use contract::{CalculatePurchaseRequest, CalculatePurchaseResponse, CustomerRecommendations, PurchaseOutcome, PurchaseRequest};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/customers/{customerId}/recommendations?lookBack=`: what to buy for the customer
/// from their usage over `look_back`, each priced, what was left out, and the yearly savings
/// still on the table.
pub async fn recommendations(customer_id: &str, look_back: contract::LookBackPeriod) -> Result<CustomerRecommendations, ApiError> {
    transport::call::<endpoint::ListRecommendations>(&[customer_id], &[("lookBack", look_back.name())], &()).await
}

/// `POST /api/calculatePurchase`: the server's quote of a purchase and a session.
pub async fn calculate_purchase(request: &CalculatePurchaseRequest) -> Result<CalculatePurchaseResponse, ApiError> {
    transport::call::<endpoint::CalculatePurchase>(&[], &[], request).await
}

/// `POST /api/purchase`: buys the session's reservation, once; or, above the deployment's
/// approval threshold, the approval request it now waits for.
pub async fn purchase(request: &PurchaseRequest) -> Result<PurchaseOutcome, ApiError> {
    transport::call::<endpoint::Purchase>(&[], &[], request).await
}
