use contract::{NewRoleAssignment, PrincipalSearch, RoleAssignment};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET …/roleAssignments`.
pub async fn role_assignments(order_id: &str) -> Result<Vec<RoleAssignment>, ApiError> {
    transport::call::<endpoint::ListRoleAssignments>(&[order_id], &[], &()).await
}

/// `POST …/roleAssignments`.
pub async fn add_role_assignment(order_id: &str, new: &NewRoleAssignment) -> Result<RoleAssignment, ApiError> {
    transport::call::<endpoint::AddRoleAssignment>(&[order_id], &[], new).await
}

/// `DELETE …/roleAssignments/{roleAssignmentId}`.
pub async fn remove_role_assignment(order_id: &str, id: &str) -> Result<(), ApiError> {
    transport::call::<endpoint::RemoveRoleAssignment>(&[order_id, id], &[], &()).await
}

/// `GET …/principals?search=`: the people picker's search of the customer's directory.
pub async fn search_principals(order_id: &str, text: &str) -> Result<PrincipalSearch, ApiError> {
    transport::call::<endpoint::SearchPrincipals>(&[order_id], &[("search", text)], &()).await
}
