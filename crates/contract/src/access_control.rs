//! Who has which access to a reservation order (Access control (IAM)). In local mode the desk
//! keeps these records itself; in Azure mode they are ARM's role assignments on the order
//! (Microsoft.Authorization), read and made on behalf of the signed-in user.

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
    /// A group of another directory (ARM lists it; the desk does not assign one).
    ForeignGroup,
    /// A kind ARM named that the desk does not know (listed only, never assigned).
    Unknown,
}

impl PrincipalType {
    /// The kinds a new assignment may name.
    pub const ASSIGNABLE: [PrincipalType; 3] = [PrincipalType::User, PrincipalType::Group, PrincipalType::ServicePrincipal];

    /// ARM's `principalType` (`User`, `Group`, `ServicePrincipal`, `ForeignGroup`); absent, ARM's
    /// default `User`; anything else [`PrincipalType::Unknown`].
    pub fn from_arm(name: Option<&str>) -> Self {
        match name {
            None | Some("User") => Self::User,
            Some("Group") => Self::Group,
            Some("ServicePrincipal") => Self::ServicePrincipal,
            Some("ForeignGroup") => Self::ForeignGroup,
            Some(_) => Self::Unknown,
        }
    }

    /// The name ARM gives the kind.
    pub fn arm_name(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
            Self::ServicePrincipal => "ServicePrincipal",
            Self::ForeignGroup => "ForeignGroup",
            Self::Unknown => "Unknown",
        }
    }
}

/// Roles on a reservation order: the six that apply to reservations, as ARM's role definitions
/// name them, and [`ReservationRole::Other`] for any other role ARM lists on the order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReservationRole {
    /// Full access, including who else has access.
    Owner,
    /// Manage the reservation, but not who has access.
    Contributor,
    /// Manage the reservation (scope, refunds, exchanges).
    #[serde(rename = "Reservations Administrator")]
    ReservationsAdministrator,
    /// See the reservation.
    #[serde(rename = "Reservations Reader")]
    ReservationsReader,
    /// Buy reservations.
    #[serde(rename = "Reservation Purchaser")]
    ReservationPurchaser,
    /// See the reservation order.
    Reader,
    /// A role ARM lists that is none of the six (its name in `roleName`); never assigned by the
    /// desk.
    Other,
}

impl ReservationRole {
    /// The roles a new assignment may give.
    pub const OFFERED: [ReservationRole; 6] = [
        ReservationRole::Owner,
        ReservationRole::Contributor,
        ReservationRole::Reader,
        ReservationRole::ReservationsAdministrator,
        ReservationRole::ReservationsReader,
        ReservationRole::ReservationPurchaser,
    ];

    /// Microsoft's built-in role definition ID (the same in every tenant), as Learn's "Azure
    /// built-in roles" lists it; `None` for [`ReservationRole::Other`].
    pub fn built_in_id(self) -> Option<&'static str> {
        Some(match self {
            Self::Owner => "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            Self::Contributor => "b24988ac-6180-42a0-ab88-20f7382dd24c",
            Self::Reader => "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            Self::ReservationsAdministrator => "a8889054-8d42-49c9-bc1c-52486c10e7cd",
            Self::ReservationsReader => "582fc458-8989-419f-a480-75249bc5db7e",
            Self::ReservationPurchaser => "f7b75c60-3036-4b75-91c3-6b41c27c1689",
            Self::Other => return None,
        })
    }

    /// The role of an ARM role definition ID (`…/roleDefinitions/{guid}`, or the bare GUID):
    /// one of the six by its built-in ID, else [`ReservationRole::Other`].
    pub fn of_definition(role_definition_id: &str) -> Self {
        let guid = role_definition_id.rsplit('/').next().unwrap_or_default();
        Self::OFFERED.into_iter().find(|r| r.built_in_id().is_some_and(|id| id.eq_ignore_ascii_case(guid))).unwrap_or(Self::Other)
    }

    /// The role's name as ARM's role definition gives it.
    pub fn arm_name(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Contributor => "Contributor",
            Self::ReservationsAdministrator => "Reservations Administrator",
            Self::ReservationsReader => "Reservations Reader",
            Self::ReservationPurchaser => "Reservation Purchaser",
            Self::Reader => "Reader",
            Self::Other => "Other",
        }
    }
}

/// `POST /api/reservationOrders/{orderId}/roleAssignments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRoleAssignment {
    /// e.g. `ada@contoso.com`, a group name, or an application name. In Azure mode the name the
    /// people picker found (kept for the audit entry), or the principal's object ID when
    /// `principalId` is not given.
    pub principal_name: String,
    /// User, Group or ServicePrincipal.
    pub principal_type: PrincipalType,
    /// The role: one of [`ReservationRole::OFFERED`].
    pub role: ReservationRole,
    /// The principal's object ID in the customer's Microsoft Entra directory (a GUID): what
    /// ARM's role assignment names. Azure mode only; local mode ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
}

/// One role assignment on a reservation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    /// Its ID (in Azure mode ARM's role assignment name, a GUID).
    pub id: String,
    /// The order it grants access to.
    pub reservation_order_id: String,
    /// Who and which role. In Azure mode `principalName` is the object ID and `principalId` is
    /// set; the name from the customer's directory is `displayName`.
    #[serde(flatten)]
    pub assignment: NewRoleAssignment,
    /// Azure mode: given at a scope above the order (a subscription, a management group, the
    /// root `/`) and inherited by it; it is removed where it was given, not on the order.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inherited: bool,
    /// Azure mode: the scope ARM gave it at (`/providers/Microsoft.Capacity/reservationOrders/{id}`
    /// when on the order itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Azure mode: ARM's role definition ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_definition_id: Option<String>,
    /// Azure mode: the role's name as ARM's role definition gives it (what a role outside the
    /// six, [`ReservationRole::Other`], is shown by).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// The principal's name in the customer's directory (Azure mode: Microsoft Graph's
    /// `displayName`; local mode: the demo's people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The principal's e-mail address (a user's `mail`, else their sign-in name; a group's
    /// `mail`), when the directory has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Azure mode: why the principal has no name here: Microsoft Graph's code and message when
    /// it refused to read the customer's directory, or that it does not have the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unnamed_because: Option<String>,
}

impl RoleAssignment {
    /// The desk's own record of `assignment` on `order_id` (local mode): none of Azure's fields.
    pub fn local(id: String, order_id: &str, assignment: NewRoleAssignment) -> Self {
        Self {
            id,
            reservation_order_id: order_id.to_owned(),
            assignment,
            inherited: false,
            scope: None,
            role_definition_id: None,
            role_name: None,
            display_name: None,
            email: None,
            unnamed_because: None,
        }
    }

    /// Whether the principal is shown by its object ID and type only (Azure mode: no name read
    /// from the directory).
    pub fn unnamed(&self) -> bool {
        self.display_name.is_none() && self.assignment.principal_id.as_deref().is_some_and(|id| id == self.assignment.principal_name)
    }
}

/// A user, group or application of the customer's directory, as the people picker offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    /// Its object ID (a GUID, lowercase): what a role assignment names.
    pub id: String,
    /// Its name (`displayName`; without one, its e-mail or ID).
    pub display_name: String,
    /// User, Group or ServicePrincipal.
    pub principal_type: PrincipalType,
    /// A user's e-mail (else sign-in name), a group's e-mail; none for an application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// An application's client ID (Graph's `appId`, lowercase): a service principal found by
    /// the client ID typed in has it, its object ID (`id`) differing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
}

impl Principal {
    /// Whether `typed` (trimmed, any case) is this principal's object ID or client ID: what a
    /// search for an object ID answers.
    pub fn has_id(&self, typed: &str) -> bool {
        let typed = typed.trim();
        self.id.eq_ignore_ascii_case(typed) || self.app_id.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(typed))
    }
}

/// Why the directory did not search a kind of principal: what the picker tells the user to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum RefusalKind {
    /// The signed-in user may not read this kind in the customer's directory (Graph's 401 or
    /// 403, e.g. `Authorization_RequestDenied`: no directory role there under GDAP).
    Forbidden,
    /// The desk's API app holds no consent on Microsoft Graph in the customer's tenant: the token
    /// endpoint refused Graph's scope (`AADSTS65001`, `consent_required`), as for a tenant whose
    /// application consent predates Graph's grant. Renewing the consent fixes it.
    NotConsented,
    /// Graph is busy (`429`, or `503` with `Retry-After`): try again after `retryAfter` seconds.
    Throttled,
    /// Graph would not take the search as typed (`400`).
    BadQuery,
    /// Graph or the token endpoint failed on its side or could not be reached (`5xx`, a timeout).
    Unavailable,
}

/// A kind of principal the directory would not search, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryRefusal {
    /// The kind not searched.
    pub principal_type: PrincipalType,
    /// What the refusal means: `forbidden` (not allowed to search), `notConsented` (Graph not
    /// consented in this tenant), `throttled` (busy: try again in `retryAfter` seconds),
    /// `badQuery` or `unavailable`.
    pub kind: RefusalKind,
    /// Microsoft Graph's (or the token endpoint's) error code, e.g. `Authorization_RequestDenied`,
    /// `TooManyRequests`, `invalid_grant`.
    pub code: String,
    /// Its message, with Azure's request IDs.
    pub message: String,
    /// The HTTP status Graph (or the token endpoint) answered; none when it did not answer, or
    /// when the desk answered for it (Graph's pause still running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `throttled`: the seconds Graph asked to wait (its `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// `GET /api/reservationOrders/{orderId}/principals?search=`: the people picker's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PrincipalSearch {
    /// What matched: users, then groups, then applications, each by name.
    pub principals: Vec<Principal>,
    /// Each kind the directory refused to search (the others are answered), with what it means:
    /// a principal of that kind is then named by its object ID.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<DirectoryRefusal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_roles_are_known_by_their_built_in_ids_and_any_other_is_other() {
        for role in ReservationRole::OFFERED {
            let id = role.built_in_id().unwrap();
            assert_eq!(ReservationRole::of_definition(&format!("/providers/Microsoft.Authorization/roleDefinitions/{id}")), role);
            assert_eq!(ReservationRole::of_definition(&id.to_uppercase()), role);
            let json = serde_json::to_value(role).unwrap();
            assert_eq!(json, role.arm_name(), "the wire name is ARM's role name");
        }
        assert_eq!(ReservationRole::of_definition("/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d"), ReservationRole::Other);
        assert_eq!(PrincipalType::from_arm(None), PrincipalType::User, "ARM's default");
        assert_eq!(PrincipalType::from_arm(Some("Device")), PrincipalType::Unknown);
    }

    #[test]
    fn a_local_record_reads_and_writes_as_before() {
        let json = serde_json::json!({"id": "a", "reservationOrderId": "o", "principalName": "ada@contoso.com", "principalType": "User", "role": "Reader"});
        let read: RoleAssignment = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&read).unwrap(), json);
        assert!(!read.unnamed());
    }

    #[test]
    fn a_refusal_says_what_it_means_its_status_and_how_long_to_wait() {
        let refusal = DirectoryRefusal {
            principal_type: PrincipalType::User,
            kind: RefusalKind::Throttled,
            code: "TooManyRequests".into(),
            message: "Too many requests. (Retry-After: 120 s)".into(),
            status: Some(429),
            retry_after: Some(120),
        };
        let json = serde_json::json!({"principalType": "User", "kind": "throttled", "code": "TooManyRequests", "message": "Too many requests. (Retry-After: 120 s)", "status": 429, "retryAfter": 120});
        assert_eq!(serde_json::to_value(&refusal).unwrap(), json);
        assert_eq!(serde_json::from_value::<DirectoryRefusal>(json).unwrap(), refusal);
        let kinds: Vec<serde_json::Value> = [RefusalKind::Forbidden, RefusalKind::NotConsented, RefusalKind::BadQuery, RefusalKind::Unavailable].iter().map(|k| serde_json::to_value(k).unwrap()).collect();
        assert_eq!(kinds, ["forbidden", "notConsented", "badQuery", "unavailable"]);
    }

    #[test]
    fn a_principal_has_the_id_typed_as_its_object_id_or_an_applications_client_id() {
        let app = Principal {
            id: "11111111-2222-3333-4444-555555555555".into(),
            display_name: "Contoso automation".into(),
            principal_type: PrincipalType::ServicePrincipal,
            email: None,
            app_id: Some("aaaaaaaa-0000-0000-0000-000000000001".into()),
        };
        assert!(app.has_id(" 11111111-2222-3333-4444-555555555555 ") && app.has_id("AAAAAAAA-0000-0000-0000-000000000001"));
        assert!(!app.has_id("Contoso automation"));
        let json = serde_json::to_value(&app).unwrap();
        assert_eq!(json["appId"], "aaaaaaaa-0000-0000-0000-000000000001");
        let user = Principal { principal_type: PrincipalType::User, app_id: None, ..app };
        assert_eq!(serde_json::to_value(&user).unwrap().get("appId"), None);
    }
}
