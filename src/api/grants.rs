use contract::{Grant, NewGrant};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /grants`.
pub async fn grants() -> Result<Vec<Grant>, ApiError> {
    transport::call::<endpoint::ListGrants>(&[], &[], &()).await
}

/// `POST /grants`.
pub async fn create_grant(new: &NewGrant) -> Result<Grant, ApiError> {
    transport::call::<endpoint::CreateGrant>(&[], &[], new).await
}

/// `DELETE /grants/{grantId}`.
pub async fn delete_grant(id: &str) -> Result<(), ApiError> {
    transport::call::<endpoint::DeleteGrant>(&[id], &[], &()).await
}
