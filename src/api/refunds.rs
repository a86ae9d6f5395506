use contract::{CalculateRefundRequest, CalculateRefundResponse, ReturnOutcome, ReturnRequest};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `POST /api/reservationOrders/{orderId}/calculateRefund`: the server's quote and a session.
pub async fn calculate_refund(
    order_id: &str,
    request: &CalculateRefundRequest,
) -> Result<CalculateRefundResponse, ApiError> {
    transport::call::<endpoint::CalculateRefund>(&[order_id], &[], request).await
}

/// `POST /api/reservationOrders/{orderId}/return`: carries out the session's quote, once; or,
/// above the deployment's approval threshold, the approval request it now waits for.
pub async fn return_reservation(order_id: &str, request: &ReturnRequest) -> Result<ReturnOutcome, ApiError> {
    transport::call::<endpoint::Return>(&[order_id], &[], request).await
}
