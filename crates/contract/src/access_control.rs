//! Who has which access to a reservation order (Access control (IAM)).

use serde::{Deserialize, Serialize};

/// What kind of principal holds a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PrincipalType {
    /// A person.
    User,
    /// A security group.
    Group,
    /// An application.
    ServicePrincipal,
}

/// Roles on a reservation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReservationRole {
    /// Full access, including who else has access.
    Owner,
    /// Manage the reservation (scope, refunds, exchanges).
    #[serde(rename = "Reservations Administrator")]
    ReservationsAdministrator,
    /// See the reservation.
    #[serde(rename = "Reservations Reader")]
    ReservationsReader,
    /// See the reservation order.
    Reader,
}

/// `POST /api/reservationOrders/{orderId}/roleAssignments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRoleAssignment {
    /// e.g. `ada@contoso.com`, a group name, or an application name.
    pub principal_name: String,
    /// User, Group or ServicePrincipal.
    pub principal_type: PrincipalType,
    /// The role.
    pub role: ReservationRole,
}

/// One role assignment on a reservation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    /// Its ID.
    pub id: String,
    /// The order it grants access to.
    pub reservation_order_id: String,
    /// Who and which role.
    #[serde(flatten)]
    pub assignment: NewRoleAssignment,
}
