//! Microsoft Graph in a customer's tenant: the people picker of Access control and the names of
//! the principals ARM's role assignments name. Asked on behalf of the signed-in partner user with
//! a Graph token for the customer's tenant (`https://graph.microsoft.com/.default`: the delegated
//! permissions the desk's API app is consented for there, [`GRAPH_DIRECTORY_GRANTS`], through
//! Partner Center's application consent), which Graph honours as far as the user may read the
//! directory (under GDAP: Directory Readers).
//!
//! - A search asks each collection (`/users`, `/groups`, `/servicePrincipals`) with `$search`
//!   (display name, and for users and groups their e-mail; users also by sign-in name), the
//!   `ConsistencyLevel: eventual` header and `$count=true` that `$search` requires; an object ID
//!   typed in is looked up with `$filter=id eq '…'` instead.
//! - Names for object IDs: each collection with `$filter=id in (…)`, at most 15 IDs a request
//!   (Graph's limit on an `in` clause). Not `directoryObjects/getByIds`, whose least privileged
//!   delegated permission is `Directory.Read.All`; each collection's list needs only the
//!   permission the picker already holds.
//!
//! Each collection answers on its own: one Graph refuses (e.g. groups without
//! `GroupMember.Read.All`) leaves the others' answer, and says Graph's code and message. Graph
//! marks no property of a user, group or service principal required: an item without an `id`
//! cannot be assigned and is set aside with why; one without a name is shown by its e-mail or ID.

use contract::{Principal, PrincipalType};
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::{AzureClient, AzureError, OnBehalfOf};

/// The Graph token asked for in a customer's tenant: every delegated permission the desk's API
/// app holds there.
pub const GRAPH_DEFAULT_SCOPE: &str = "https://graph.microsoft.com/.default";
/// Microsoft Graph's application ID (the same in every tenant): the resource the application
/// consent grants [`GRAPH_DIRECTORY_GRANTS`] on.
pub const MICROSOFT_GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The delegated permissions on Microsoft Graph the desk asks in customers' tenants, each the
/// least privileged Graph documents for its list: users (`User.ReadBasic.All`: name, e-mail,
/// sign-in name), groups (`GroupMember.Read.All`) and service principals (`Application.Read.All`).
pub const GRAPH_DIRECTORY_GRANTS: &str = "User.ReadBasic.All,GroupMember.Read.All,Application.Read.All";
/// How many of each kind a search answers.
pub const MOST_FOUND: usize = 10;
/// Graph's most values in one `in` clause of a directory query.
const MOST_IN_CLAUSE: usize = 15;

/// A collection of Graph's directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    Users,
    Groups,
    ServicePrincipals,
}

impl Collection {
    pub const ALL: [Collection; 3] = [Collection::Users, Collection::Groups, Collection::ServicePrincipals];

    fn path(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Groups => "groups",
            Self::ServicePrincipals => "servicePrincipals",
        }
    }

    /// The kind of principal ARM calls its members.
    pub fn principal_type(self) -> PrincipalType {
        match self {
            Self::Users => PrincipalType::User,
            Self::Groups => PrincipalType::Group,
            Self::ServicePrincipals => PrincipalType::ServicePrincipal,
        }
    }

    /// The collection of a kind ARM names (none for a foreign group or an unknown kind).
    pub fn of(principal_type: PrincipalType) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.principal_type() == principal_type)
    }

    fn select(self) -> &'static str {
        match self {
            Self::Users => "id,displayName,mail,userPrincipalName",
            Self::Groups => "id,displayName,mail",
            Self::ServicePrincipals => "id,displayName,appId",
        }
    }

    /// `$search` for `text` (quotes and backslashes taken out: they would end the phrase).
    fn search(self, text: &str) -> String {
        let text: String = text.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
        let fields: &[&str] = match self {
            Self::Users => &["displayName", "mail", "userPrincipalName"],
            Self::Groups => &["displayName", "mail"],
            Self::ServicePrincipals => &["displayName"],
        };
        fields.iter().map(|f| format!("\"{f}:{text}\"")).collect::<Vec<_>>().join(" OR ")
    }
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    value: Option<Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    mail: Option<String>,
    #[serde(default)]
    user_principal_name: Option<String>,
}

/// A page of one collection, read item by item.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// The principals read, in Graph's order.
    pub principals: Vec<Principal>,
    /// Why each item that could not be read was set aside.
    pub skipped: Vec<String>,
}

/// Reads a page of `collection`; `Err` only when the answer is not such a page.
pub fn read_page(collection: Collection, body: &[u8]) -> Result<Found, serde_json::Error> {
    let page: Page = serde_json::from_slice(body)?;
    let mut out = Found::default();
    for (i, value) in page.value.unwrap_or_default().into_iter().enumerate() {
        let item: Item = match serde_json::from_value(value) {
            Ok(item) => item,
            Err(e) => {
                out.skipped.push(format!("item {i} is not a directory object: {e}"));
                continue;
            }
        };
        let Some(id) = item.id.map(|id| id.trim().to_ascii_lowercase()).filter(|id| !id.is_empty()) else {
            out.skipped.push(format!("item {i} ({}) has no object ID", item.display_name.as_deref().unwrap_or("no name")));
            continue;
        };
        let some = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        // A user's e-mail, else their sign-in name (an account without a mailbox has none).
        let email = some(item.mail).or_else(|| if collection == Collection::Users { some(item.user_principal_name) } else { None });
        let display_name = some(item.display_name).or_else(|| email.clone()).unwrap_or_else(|| id.clone());
        out.principals.push(Principal { id, display_name, principal_type: collection.principal_type(), email });
    }
    Ok(out)
}

/// What one collection answered: the principals found, or Graph's refusal.
pub type Answered = (Collection, Result<Found, AzureError>);

fn is_object_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl AzureClient {
    async fn directory_page(&self, user: &OnBehalfOf, tenant: &str, collection: Collection, query: &[(&str, String)]) -> Result<Found, AzureError> {
        let token = self.token(user, tenant, GRAPH_DEFAULT_SCOPE).await?;
        let base = self.settings.graph_url.trim_end_matches('/');
        let mut url = url::Url::parse(&format!("{base}/v1.0/{}", collection.path())).map_err(|e| AzureError::local(format!("Graph's URL: {e}")))?;
        url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        let what = format!("Microsoft Graph's {} in tenant {tenant}", collection.path());
        let answer = self
            .send(tenant, &what, || {
                self.http.get(url.clone()).bearer_auth(token.expose_secret()).header("Accept", "application/json").header("ConsistencyLevel", "eventual")
            })
            .await?;
        let found = read_page(collection, &answer.body).map_err(|e| answer.unreadable(&format!("Microsoft Graph's {}", collection.path()), e))?;
        for why in &found.skipped {
            tracing::warn!(request = %answer.request, "a directory object Graph listed was set aside: {why}");
        }
        Ok(found)
    }

    /// The users, groups and service principals of `tenant` whose name or e-mail matches `text`
    /// (an object ID: that object), at most [`MOST_FOUND`] of each, as the signed-in `user`
    /// may read them: each collection's answer or Graph's refusal, in [`Collection::ALL`]'s order.
    pub async fn search_principals(&self, user: &OnBehalfOf, tenant: &str, text: &str) -> Vec<Answered> {
        let text = text.trim();
        // The three collections asked at once.
        let asks = Collection::ALL.map(|collection| {
            let query: Vec<(&str, String)> = if is_object_id(text) {
                vec![("$filter", format!("id eq '{}'", text.to_ascii_lowercase())), ("$select", collection.select().into())]
            } else {
                vec![
                    ("$search", collection.search(text)),
                    ("$count", "true".into()),
                    ("$top", MOST_FOUND.to_string()),
                    ("$select", collection.select().into()),
                ]
            };
            async move { (collection, self.directory_page(user, tenant, collection, &query).await) }
        });
        futures::future::join_all(asks).await
    }

    /// The principals of `tenant` with the object IDs `ids` of `collection`, as far as Graph
    /// finds them (an ID it does not have is left out).
    pub async fn principals_named(&self, user: &OnBehalfOf, tenant: &str, collection: Collection, ids: &[String]) -> Result<Vec<Principal>, AzureError> {
        let ids: Vec<String> = ids.iter().map(|id| id.to_ascii_lowercase()).filter(|id| is_object_id(id)).collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(MOST_IN_CLAUSE) {
            let list = chunk.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(",");
            let query = [("$filter", format!("id in ({list})")), ("$select", collection.select().into())];
            out.extend(self.directory_page(user, tenant, collection, &query).await?.principals);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_json::{paths, without};

    const USERS: &str = include_str!("../../azure-api/tests/published/graph/user-list.json");
    const USER_SEARCH: &str = include_str!("../../azure-api/tests/published/graph/user-search.json");
    const GROUPS: &str = include_str!("../../azure-api/tests/published/graph/group-list.json");
    const GROUP_SEARCH: &str = include_str!("../../azure-api/tests/published/graph/group-search.json");
    const SERVICE_PRINCIPAL_SEARCH: &str = include_str!("../../azure-api/tests/published/graph/serviceprincipal-search.json");

    fn shown(found: &Found) -> Vec<(&str, &str, Option<&str>)> {
        found.principals.iter().map(|p| (p.id.as_str(), p.display_name.as_str(), p.email.as_deref())).collect()
    }

    #[test]
    fn graphs_published_users_and_groups_read_with_names_and_e_mails() {
        let users = read_page(Collection::Users, USERS.as_bytes()).unwrap();
        assert_eq!(
            shown(&users),
            vec![
                ("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0", "Conf Room Adams", Some("Adams@contoso.com")),
                // No mailbox (`mail: null`): the sign-in name is the address shown.
                ("4562bcc8-c436-4f95-b7c0-4f8ce89dca5e", "MOD Administrator", Some("admin@contoso.com")),
            ]
        );
        assert!(users.principals.iter().all(|p| p.principal_type == PrincipalType::User));
        let groups = read_page(Collection::Groups, GROUPS.as_bytes()).unwrap();
        assert_eq!(
            shown(&groups),
            vec![("11111111-2222-3333-4444-555555555555", "Contoso Group 1", None), ("22222222-3333-4444-5555-666666666666", "Contoso Group 2", None)]
        );
        assert!(groups.principals.iter().all(|p| p.principal_type == PrincipalType::Group));
    }

    #[test]
    fn graphs_published_search_answers_name_no_object_id_so_nothing_of_them_can_be_assigned() {
        // The `$search` examples of users, groups and service principals are shortened: no `id`.
        for (collection, body, items) in [
            (Collection::Users, USER_SEARCH, 2),
            (Collection::Groups, GROUP_SEARCH, 2),
            (Collection::ServicePrincipals, SERVICE_PRINCIPAL_SEARCH, 1),
        ] {
            let found = read_page(collection, body.as_bytes()).unwrap();
            assert_eq!((found.principals.len(), found.skipped.len()), (0, items), "{collection:?}");
            assert!(found.skipped[0].contains("has no object ID"), "{:?}", found.skipped);
        }
        let found = read_page(Collection::Users, USER_SEARCH.as_bytes()).unwrap();
        assert!(found.skipped[0].contains("Oscar Ward"), "the item is named in why: {:?}", found.skipped);
    }

    #[test]
    fn removing_any_property_of_the_published_answers_leaves_the_other_principals_read() {
        for (collection, body) in [(Collection::Users, USERS), (Collection::Groups, GROUPS)] {
            let published: serde_json::Value = serde_json::from_str(body).unwrap();
            let full = read_page(collection, body.as_bytes()).unwrap();
            let all = paths(&published);
            assert!(all.len() > 6, "{collection:?}: {}", all.len());
            for path in all {
                let changed = without(&published, &path);
                let found = read_page(collection, changed.to_string().as_bytes()).unwrap_or_else(|e| panic!("without {path}: {e}"));
                // Only an item's ID (it cannot be assigned without it) sets that item aside;
                // the list itself gone leaves none.
                let id_gone = path.starts_with("/value/") && path.ends_with("/id") && path.matches('/').count() == 3;
                let expected = match path.as_str() {
                    "/value" => 0,
                    _ if id_gone => 1,
                    _ => 2,
                };
                assert_eq!(found.principals.len(), expected, "{collection:?} without {path}: {found:?}");
                assert_eq!(found.skipped.len(), usize::from(id_gone), "{collection:?} without {path}");
                for p in &found.principals {
                    assert!(!p.display_name.is_empty(), "{collection:?} without {path}: a principal is always shown by something");
                    let before = full.principals.iter().find(|b| b.id == p.id).unwrap();
                    if !path.ends_with("/displayName") {
                        assert_eq!(p.display_name, before.display_name, "{collection:?} without {path}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_search_asks_names_and_e_mails_and_an_object_id_is_looked_up_by_filter() {
        assert_eq!(Collection::Users.search("ada"), r#""displayName:ada" OR "mail:ada" OR "userPrincipalName:ada""#);
        assert_eq!(Collection::Groups.search(r#"fin"ance\"#), r#""displayName:finance" OR "mail:finance""#, "a quote cannot end the phrase");
        assert_eq!(Collection::ServicePrincipals.search("bot"), r#""displayName:bot""#);
        assert!(is_object_id("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0"));
        assert!(!is_object_id("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0' or 1 eq 1"));
        assert_eq!(Collection::of(PrincipalType::ForeignGroup), None);
        assert_eq!(Collection::of(PrincipalType::Group), Some(Collection::Groups));
        assert!(read_page(Collection::Users, b"<html>").is_err());
        assert!(read_page(Collection::Users, br#"{"value": null}"#).unwrap().principals.is_empty());
    }
}
