use contract::{CalculateExchangeRequest, CalculateExchangeResponse, CatalogItem, ExchangeOutcome, ExchangeRequest};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/catalog`: what an exchange can buy.
pub async fn catalog() -> Result<Vec<CatalogItem>, ApiError> {
    transport::call::<endpoint::Catalog>(&[], &[], &()).await
}

/// `POST /api/calculateExchange`: the server's quote and a session.
pub async fn calculate_exchange(request: &CalculateExchangeRequest) -> Result<CalculateExchangeResponse, ApiError> {
    transport::call::<endpoint::CalculateExchange>(&[], &[], request).await
}

/// `POST /api/exchange`: carries out the session's exchange, once; or, above the deployment's
/// approval threshold, the approval request it now waits for.
pub async fn exchange(request: &ExchangeRequest) -> Result<ExchangeOutcome, ApiError> {
    transport::call::<endpoint::Exchange>(&[], &[], request).await
}
