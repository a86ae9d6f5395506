use contract::{Approval, RejectApproval};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /api/approvals`: the requests waiting for a decision (of the customers the user sees).
pub async fn approvals() -> Result<Vec<Approval>, ApiError> {
    transport::call::<endpoint::ListApprovals>(&[], &[], &()).await
}

/// `POST /api/approvals/{approvalId}/approve`: quoted again; the money moves if the amount is
/// unchanged, otherwise the request needs approval again.
pub async fn approve(id: &str) -> Result<Approval, ApiError> {
    transport::call::<endpoint::ApproveApproval>(&[id], &[], &()).await
}

/// `POST /api/approvals/{approvalId}/reject`, with a reason.
pub async fn reject(id: &str, reason: &str) -> Result<Approval, ApiError> {
    transport::call::<endpoint::RejectApproval>(&[id], &[], &RejectApproval { reason: reason.to_owned() }).await
}
