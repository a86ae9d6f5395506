use contract::{NewRoleAssignment, RoleAssignment};

use super::{transport, ApiError};

fn path(order_id: &str) -> String {
    format!("/reservationOrders/{order_id}/roleAssignments")
}

/// `GET …/roleAssignments`.
pub async fn role_assignments(order_id: &str) -> Result<Vec<RoleAssignment>, ApiError> {
    transport::get(&path(order_id), &[]).await
}

/// `POST …/roleAssignments`.
pub async fn add_role_assignment(order_id: &str, new: &NewRoleAssignment) -> Result<RoleAssignment, ApiError> {
    transport::post(&path(order_id), new).await
}

/// `DELETE …/roleAssignments/{id}`.
pub async fn remove_role_assignment(order_id: &str, id: &str) -> Result<(), ApiError> {
    transport::delete(&format!("{}/{id}", path(order_id))).await
}
