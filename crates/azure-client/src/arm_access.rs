//! Who has access to a reservation order in a customer's tenant: ARM's role assignments on it
//! (Microsoft.Authorization 2022-04-01, `…/reservationOrders/{orderId}/providers/Microsoft.Authorization/roleAssignments`),
//! listed page after page (`nextLink` followed only on the configured ARM), a role definition
//! read by ID for its name, an assignment created (`PUT …/roleAssignments/{GUID}`) or deleted
//! (`DELETE`), each on behalf of the signed-in user. Only plain IDs go into a path.

use azure_api::role_assignment::{order_scope, read_assignment, read_page, RoleAssignmentCreate, RoleAssignmentRead, RoleDefinitionRead, AUTHORIZATION_API_VERSION};
use secrecy::ExposeSecret;

use crate::arm_orders::plain;
use crate::lro::same_origin;
use crate::{AzureClient, AzureError, AzureRequestIds, OnBehalfOf, ARM_SCOPE};

const MOST_PAGES: usize = 100;

/// The role assignments ARM lists on an order: each read, or why an item was set aside.
#[derive(Clone, Debug, Default)]
pub struct Assignments {
    /// The assignments, in ARM's order.
    pub read: Vec<RoleAssignmentRead>,
    /// Why each item that could not be read was set aside.
    pub skipped: Vec<String>,
}

fn unexpected(what: &str) -> AzureError {
    AzureError::new("UnexpectedId", format!("{what:?} is not an ID the desk puts in a request"))
}

/// Whether `id` is a role definition's ID the desk may ask ARM for: a path of plain segments
/// naming `Microsoft.Authorization/roleDefinitions/{id}`.
fn definition_path(id: &str) -> bool {
    id.starts_with('/')
        && id.len() <= 400
        && id.to_ascii_lowercase().contains("/providers/microsoft.authorization/roledefinitions/")
        && id[1..].split('/').all(|segment| !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) && segment != "..")
}

impl AzureClient {
    fn assignments_url(&self, order_id: &str, rest: &str) -> Result<String, AzureError> {
        if !plain(order_id) {
            return Err(unexpected(order_id));
        }
        let base = self.settings.arm_url.trim_end_matches('/');
        let scope = order_scope(order_id);
        Ok(format!("{base}{scope}/providers/Microsoft.Authorization/roleAssignments{rest}?api-version={AUTHORIZATION_API_VERSION}"))
    }

    /// Every role assignment ARM lists on reservation order `order_id` of `tenant` (those given
    /// on it, above it and below it), page after page.
    pub async fn role_assignments(&self, user: &OnBehalfOf, tenant: &str, order_id: &str) -> Result<Assignments, AzureError> {
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let base = self.settings.arm_url.trim_end_matches('/').to_owned();
        let mut next = Some(self.assignments_url(order_id, "")?);
        let mut out = Assignments::default();
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MOST_PAGES {
                return Err(AzureError::new("TooManyPages", format!("ARM gave more than {MOST_PAGES} pages of role assignments")));
            }
            let what = format!("Azure Resource Manager's role assignments of order {order_id} in tenant {tenant}");
            let answer = self.send(tenant, &what, || self.http.get(&url).bearer_auth(token.expose_secret())).await?;
            let page = read_page(&answer.body).map_err(|e| answer.unreadable("ARM's role assignments", e))?;
            for item in page.items {
                match item {
                    Ok(read) => out.read.push(read),
                    Err(why) => out.skipped.push(why),
                }
            }
            next = match page.next_link {
                Some(link) if same_origin(&link, &base) => Some(link),
                Some(_) => {
                    return Err(AzureError::new("UnexpectedLink", "ARM's nextLink points at another host").with_request(answer.request.clone()));
                }
                None => None,
            };
        }
        Ok(out)
    }

    /// The role definition `definition_id` (as a role assignment names it) in `tenant`.
    pub async fn role_definition(&self, user: &OnBehalfOf, tenant: &str, definition_id: &str) -> Result<RoleDefinitionRead, AzureError> {
        if !definition_path(definition_id) {
            return Err(unexpected(definition_id));
        }
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let base = self.settings.arm_url.trim_end_matches('/');
        let url = format!("{base}{definition_id}?api-version={AUTHORIZATION_API_VERSION}");
        let what = format!("Azure Resource Manager's role definition {definition_id} in tenant {tenant}");
        let answer = self.send(tenant, &what, || self.http.get(&url).bearer_auth(token.expose_secret())).await?;
        serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("ARM's role definition", e))
    }

    /// `PUT …/roleAssignments/{name}` on order `order_id` of `tenant` with `body`: the
    /// assignment ARM made, and the call's IDs.
    pub async fn create_role_assignment(
        &self, user: &OnBehalfOf, tenant: &str, order_id: &str, name: &str, body: &RoleAssignmentCreate,
    ) -> Result<(RoleAssignmentRead, AzureRequestIds), AzureError> {
        if !plain(name) {
            return Err(unexpected(name));
        }
        let url = self.assignments_url(order_id, &format!("/{name}"))?;
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let what = format!("Azure Resource Manager's role assignment {name} on order {order_id} in tenant {tenant}");
        let answer = self.send(tenant, &what, || self.http.put(&url).bearer_auth(token.expose_secret()).json(body)).await?;
        let value: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("ARM's new role assignment", e))?;
        let read = read_assignment(value).map_err(|e| answer.unreadable("ARM's new role assignment", e))?;
        Ok((read, answer.request))
    }

    /// `DELETE …/roleAssignments/{name}` on order `order_id` of `tenant`: the call's IDs (ARM
    /// answers `200` with what it deleted, or `204` when there was nothing to delete).
    pub async fn delete_role_assignment(&self, user: &OnBehalfOf, tenant: &str, order_id: &str, name: &str) -> Result<(u16, AzureRequestIds), AzureError> {
        if !plain(name) {
            return Err(unexpected(name));
        }
        let url = self.assignments_url(order_id, &format!("/{name}"))?;
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let what = format!("Azure Resource Manager's role assignment {name} on order {order_id} in tenant {tenant}");
        let answer = self.send(tenant, &what, || self.http.delete(&url).bearer_auth(token.expose_secret())).await?;
        Ok((answer.status, answer.request))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_role_definitions_plain_path_is_asked_for() {
        assert!(super::definition_path("/providers/Microsoft.Authorization/roleDefinitions/582fc458-8989-419f-a480-75249bc5db7e"));
        assert!(super::definition_path("/subscriptions/s-1/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d"));
        for bad in ["", "https://evil.example/providers/Microsoft.Authorization/roleDefinitions/x", "/providers/Microsoft.Authorization/roleDefinitions/x?y=1",
            "//evil.example/providers/Microsoft.Authorization/roleDefinitions/x", "/providers/Microsoft.Authorization/roleDefinitions/../../x", "/subscriptions/s"] {
            assert!(!super::definition_path(bad), "{bad}");
        }
    }
}
