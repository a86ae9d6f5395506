//! Microsoft.Authorization's role assignments and role definitions (api-version 2022-04-01) as
//! Azure mode reads and makes them on a reservation order: who has access to it in Azure.
//!
//! Read as the specification (`authorization-RoleAssignmentsCalls.json`) types them: only a
//! role assignment's `properties.roleDefinitionId` and `properties.principalId` are required;
//! `id`, `name`, `type` and `properties.scope` are read-only and may be absent (the name is then
//! the last segment of the ID, the scope the ID's part before
//! `/providers/Microsoft.Authorization/`), `principalType` defaults to `User` as the
//! specification says, and unknown properties are ignored. A list page is read item by item: an
//! item that does not fit is set aside with why and never hides the others.
//!
//! An assignment whose scope is not the order (nor below it) was given higher up — a
//! subscription, a management group, the root `/` — and the order inherits it.

use contract::{PrincipalType, ReservationRole, RoleAssignment};
use serde::{Deserialize, Serialize};

/// The api-version of Microsoft.Authorization the desk speaks.
pub const AUTHORIZATION_API_VERSION: &str = "2022-04-01";

/// The scope of reservation order `order_id`, as ARM writes it.
pub fn order_scope(order_id: &str) -> String {
    format!("/providers/Microsoft.Capacity/reservationOrders/{order_id}")
}

/// The ID of a built-in role definition as a role assignment at a tenant-level scope (a
/// reservation order) names it.
pub fn built_in_definition_id(role: ReservationRole) -> Option<String> {
    role.built_in_id().map(|guid| format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"))
}

/// `RoleAssignmentListResult`: nothing required.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[serde(default)]
    value: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    next_link: Option<String>,
}

/// `RoleAssignment`, as read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    properties: Option<ItemProperties>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemProperties {
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    role_definition_id: Option<String>,
    #[serde(default)]
    principal_id: Option<String>,
    #[serde(default)]
    principal_type: Option<String>,
}

/// A role assignment ARM listed or made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleAssignmentRead {
    /// Its name (a GUID): what a removal names.
    pub name: String,
    /// Its full ID, when given.
    pub id: Option<String>,
    /// Where it was given.
    pub scope: Option<String>,
    /// `properties.roleDefinitionId`.
    pub role_definition_id: String,
    /// `properties.principalId`: the principal's object ID.
    pub principal_id: String,
    /// `properties.principalType`, `User` when absent.
    pub principal_type: PrincipalType,
}

const AUTHORIZATION: &str = "/providers/microsoft.authorization/";

/// Reads one role assignment; why not, when a required property is missing or it is not one.
pub fn read_assignment(value: serde_json::Value) -> Result<RoleAssignmentRead, String> {
    let item: Item = serde_json::from_value(value).map_err(|e| format!("not a role assignment: {e}"))?;
    let what = item.name.clone().or_else(|| item.id.clone()).unwrap_or_else(|| "a role assignment".into());
    let p = item.properties.ok_or_else(|| format!("{what} has no properties"))?;
    let role_definition_id = p.role_definition_id.filter(|s| !s.is_empty()).ok_or_else(|| format!("{what} names no roleDefinitionId"))?;
    let principal_id = p.principal_id.filter(|s| !s.is_empty()).ok_or_else(|| format!("{what} names no principalId"))?;
    let name = item
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| item.id.as_deref().and_then(|id| id.rsplit('/').next()).filter(|n| !n.is_empty()).map(str::to_owned))
        .ok_or_else(|| format!("a role assignment of {principal_id} has neither a name nor an ID"))?;
    let scope = p.scope.filter(|s| !s.is_empty()).or_else(|| {
        let id = item.id.as_deref()?;
        let at = id.to_ascii_lowercase().find(AUTHORIZATION)?;
        Some(if at == 0 { "/".to_owned() } else { id[..at].to_owned() })
    });
    Ok(RoleAssignmentRead { name, id: item.id, scope, role_definition_id, principal_id, principal_type: PrincipalType::from_arm(p.principal_type.as_deref()) })
}

/// One page of a role assignment list: each item read or set aside with why, and `nextLink`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentsPage {
    /// The items, in ARM's order.
    pub items: Vec<Result<RoleAssignmentRead, String>>,
    /// `nextLink`, when ARM has more.
    pub next_link: Option<String>,
}

/// Reads a page; `Err` only when the answer is not such a page.
pub fn read_page(body: &[u8]) -> Result<AssignmentsPage, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_slice(body)?;
    if !value.is_object() {
        return Err(serde::de::Error::custom("a role assignment list is a JSON object"));
    }
    let page: Page = serde_json::from_value(value)?;
    Ok(AssignmentsPage {
        items: page.value.unwrap_or_default().into_iter().map(read_assignment).collect(),
        next_link: page.next_link.filter(|l| !l.is_empty()),
    })
}

/// `RoleDefinition`, as read: nothing required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinitionRead {
    /// Its ID.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name (a GUID).
    #[serde(default)]
    pub name: Option<String>,
    /// Its properties.
    #[serde(default)]
    pub properties: Option<RoleDefinitionProperties>,
}

/// `RoleDefinitionProperties`, as read (only what the desk shows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinitionProperties {
    /// The role's name, e.g. `Reservations Reader`.
    #[serde(default)]
    pub role_name: Option<String>,
}

impl RoleDefinitionRead {
    /// The role's name, when the definition gives one.
    pub fn role_name(&self) -> Option<&str> {
        self.properties.as_ref().and_then(|p| p.role_name.as_deref()).filter(|n| !n.is_empty())
    }
}

/// `RoleAssignmentCreateParameters`: the body of `PUT …/roleAssignments/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignmentCreate {
    /// The assignment.
    pub properties: CreateProperties,
}

/// What a new assignment names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateProperties {
    /// The role definition.
    pub role_definition_id: String,
    /// The principal's object ID.
    pub principal_id: String,
    /// `User`, `Group` or `ServicePrincipal`.
    pub principal_type: String,
}

impl RoleAssignmentCreate {
    /// The body that gives `role` to `principal_id` of `principal_type`; `None` for a role
    /// outside the six.
    pub fn new(role: ReservationRole, principal_id: &str, principal_type: PrincipalType) -> Option<Self> {
        Some(Self {
            properties: CreateProperties {
                role_definition_id: built_in_definition_id(role)?,
                principal_id: principal_id.to_owned(),
                principal_type: principal_type.arm_name().to_owned(),
            },
        })
    }
}

impl RoleAssignmentRead {
    /// Whether it was given above `order_id` (not on the order, nor below it).
    pub fn inherited(&self, order_id: &str) -> bool {
        let order = order_scope(order_id).to_ascii_lowercase();
        match self.scope.as_deref().map(|s| s.trim_end_matches('/').to_ascii_lowercase()) {
            Some(scope) => scope != order && !scope.starts_with(&format!("{order}/")),
            // A scope ARM did not say is taken as the order's (the list was asked on it).
            None => false,
        }
    }

    /// As the desk's contract shows it on `order_id`: the role by its built-in ID (any other
    /// `Other`, named by `role_name`, its definition's), the principal by its object ID.
    pub fn to_contract(&self, order_id: &str, role_name: Option<String>) -> RoleAssignment {
        let role = ReservationRole::of_definition(&self.role_definition_id);
        let role_name = role_name.or_else(|| (role != ReservationRole::Other).then(|| role.arm_name().to_owned()));
        RoleAssignment {
            id: self.name.clone(),
            reservation_order_id: order_id.to_owned(),
            assignment: contract::NewRoleAssignment {
                principal_name: self.principal_id.clone(),
                principal_type: self.principal_type,
                role,
                principal_id: Some(self.principal_id.clone()),
            },
            inherited: self.inherited(order_id),
            scope: self.scope.clone(),
            role_definition_id: Some(self.role_definition_id.clone()),
            role_name,
            display_name: None,
            email: None,
            unnamed_because: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(scope: &str) -> serde_json::Value {
        json!({"id": format!("{scope}/providers/Microsoft.Authorization/roleAssignments/a1"), "name": "a1",
            "properties": {"scope": scope, "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/582fc458-8989-419f-a480-75249bc5db7e", "principalId": "p"}})
    }

    #[test]
    fn an_assignment_above_the_order_is_inherited_and_one_on_or_below_it_is_not() {
        let on = read_assignment(item("/providers/Microsoft.Capacity/reservationOrders/o1")).unwrap();
        assert!(!on.inherited("o1"));
        assert!(!read_assignment(item("/providers/Microsoft.Capacity/reservationOrders/o1/reservations/r1")).unwrap().inherited("o1"));
        for above in ["/", "/subscriptions/s1", "/providers/Microsoft.Management/managementGroups/mg"] {
            assert!(read_assignment(item(above)).unwrap().inherited("o1"), "{above}");
        }
        let shown = on.to_contract("o1", None);
        assert_eq!((shown.assignment.role, shown.role_name.as_deref(), shown.assignment.principal_type), (ReservationRole::ReservationsReader, Some("Reservations Reader"), PrincipalType::User));
        assert!(shown.unnamed());
    }

    #[test]
    fn a_scope_left_out_is_the_ids_and_a_name_left_out_is_the_ids_last_segment() {
        let mut v = item("/");
        v["properties"].as_object_mut().unwrap().remove("scope");
        v.as_object_mut().unwrap().remove("name");
        let read = read_assignment(v).unwrap();
        assert_eq!((read.scope.as_deref(), read.name.as_str()), (Some("/"), "a1"));
    }

    #[test]
    fn the_create_body_names_a_built_in_role() {
        let body = RoleAssignmentCreate::new(ReservationRole::ReservationPurchaser, "p", PrincipalType::Group).unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"properties": {"roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/f7b75c60-3036-4b75-91c3-6b41c27c1689", "principalId": "p", "principalType": "Group"}})
        );
        assert!(RoleAssignmentCreate::new(ReservationRole::Other, "p", PrincipalType::User).is_none());
    }
}
