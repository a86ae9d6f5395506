//! Microsoft Graph in a customer's tenant: the people picker of Access control and the names of
//! the principals ARM's role assignments name. Asked on behalf of the signed-in partner user with
//! a Graph token for the customer's tenant (`https://graph.microsoft.com/.default`: the delegated
//! permissions the desk's API app is consented for there, [`GRAPH_DIRECTORY_GRANTS`], through
//! Partner Center's application consent), which Graph honours as far as the user may read the
//! directory (under GDAP: Directory Readers).
//!
//! - A search asks each collection (`/users`, `/groups`, `/servicePrincipals`) with `$search`
//!   (display name, and for users and groups their e-mail; users also by sign-in name), the
//!   `ConsistencyLevel: eventual` header and `$count=true` that `$search` requires. The text is
//!   one quoted clause per property, a `"` or `\` in it escaped with a backslash as Graph asks;
//!   control characters, which no name holds, are left out. The query string is URL-encoded, an
//!   `&` as `%26` (Graph lists `&` in `$search` on directory objects as a known issue: such a
//!   search may find nothing). An object ID typed in is looked up with `$filter=id eq '…'`
//!   instead, and on `/servicePrincipals` also `appId eq '…'` (an application's client ID is
//!   what partners usually have at hand).
//! - Names for object IDs: each collection with `$filter=id in (…)`, at most 15 IDs a request
//!   (Graph's limit on an `in` clause), each request answered on its own ([`Named`]). Not
//!   `directoryObjects/getByIds`, whose least privileged delegated permission is
//!   `Directory.Read.All`; each collection's list needs only the permission the picker holds.
//!
//! Someone is waiting on both: they are sent at Graph's gate of the tenant and not sent again
//! after a `429` (`Service::GraphAtOnce`, `http.rs`): the refusal says Graph's `Retry-After`.
//!
//! Each collection answers on its own: one Graph refuses (e.g. groups without
//! `GroupMember.Read.All`) leaves the others' answer, and says Graph's code and message. Graph
//! marks no property of a user, group or service principal required: an item without an `id`
//! cannot be assigned and is set aside with why; one without a name is shown by its e-mail or ID.

use contract::{Principal, PrincipalType};
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::http::Service;
use crate::{AzureClient, AzureError, OnBehalfOf, Reader};

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

    /// `$search` for `text`: one quoted clause per property, `"` and `\` escaped with a
    /// backslash (Graph's rule inside a clause), control characters left out.
    pub fn search(self, text: &str) -> String {
        let mut escaped = String::with_capacity(text.len());
        for c in searchable(text).chars() {
            if matches!(c, '"' | '\\') {
                escaped.push('\\');
            }
            escaped.push(c);
        }
        let fields: &[&str] = match self {
            Self::Users => &["displayName", "mail", "userPrincipalName"],
            Self::Groups => &["displayName", "mail"],
            Self::ServicePrincipals => &["displayName"],
        };
        fields.iter().map(|f| format!("\"{f}:{escaped}\"")).collect::<Vec<_>>().join(" OR ")
    }

    /// The `$filter` of an object ID typed in (lowercase): the object, and on
    /// `/servicePrincipals` the application whose client ID (`appId`) it is.
    fn by_id(self, id: &str) -> String {
        match self {
            Self::ServicePrincipals => format!("id eq '{id}' or appId eq '{id}'"),
            Self::Users | Self::Groups => format!("id eq '{id}'"),
        }
    }

    /// The query asking this collection for `text`: by `$filter` for an object ID, else by
    /// `$search`, at most [`MOST_FOUND`].
    fn query(self, text: &str) -> Vec<(&'static str, String)> {
        if is_object_id(text) {
            return vec![("$filter", self.by_id(&text.to_ascii_lowercase())), ("$select", self.select().into())];
        }
        vec![("$search", self.search(text)), ("$count", "true".into()), ("$top", MOST_FOUND.to_string()), ("$select", self.select().into())]
    }
}

/// What of `text` Graph's `$search` can take: trimmed, without control characters (no name or
/// address holds one; inside a quoted clause Graph would refuse or misread them). Empty when
/// nothing is left: such a search is not sent.
pub fn searchable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned()
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
    #[serde(default)]
    app_id: Option<String>,
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
        let app_id = if collection == Collection::ServicePrincipals { some(item.app_id).map(|a| a.to_ascii_lowercase()) } else { None };
        out.principals.push(Principal { id, display_name, principal_type: collection.principal_type(), email, app_id });
    }
    Ok(out)
}

/// What one collection answered: the principals found, or Graph's refusal.
pub type Answered = (Collection, Result<Found, AzureError>);

/// What Graph answered for object IDs of one collection, request by request: the principals
/// found, and each request Graph refused with the IDs it asked for (the others' names stay).
#[derive(Debug, Default)]
pub struct Named {
    /// The principals Graph has.
    pub principals: Vec<Principal>,
    /// Each refused request: the object IDs it asked for (lowercase), and Graph's error.
    pub refused: Vec<(Vec<String>, AzureError)>,
}

/// The URL of `collection` under Graph's `base` with `query` (URL-encoded: an `&` or `"` in a
/// search travels as `%26`, `%22`).
fn directory_url(base: &str, collection: Collection, query: &[(&str, String)]) -> Result<url::Url, AzureError> {
    let mut url = url::Url::parse(&format!("{}/v1.0/{}", base.trim_end_matches('/'), collection.path())).map_err(|e| AzureError::local(format!("Graph's URL: {e}")))?;
    url.query_pairs_mut().extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
    Ok(url)
}

fn is_object_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl AzureClient {
    async fn directory_page(&self, user: &OnBehalfOf, tenant: &str, collection: Collection, query: &[(&str, String)]) -> Result<Found, AzureError> {
        let token = self.token(user, tenant, GRAPH_DEFAULT_SCOPE).await?;
        let url = directory_url(&self.settings.graph_url, collection, query)?;
        let what = format!("Microsoft Graph's {} in tenant {tenant}", collection.path());
        let answer = self
            .send_graph(Service::GraphAtOnce, tenant, &what, || {
                self.http.get(url.clone()).bearer_auth(token.expose_secret()).header("Accept", "application/json").header("ConsistencyLevel", "eventual")
            })
            .await?;
        let found = read_page(collection, &answer.body).map_err(|e| answer.unreadable(&format!("Microsoft Graph's {}", collection.path()), e))?;
        for why in &found.skipped {
            tracing::warn!(request = %answer.request, "a directory object Graph listed was set aside: {why}");
        }
        Ok(found)
    }

    /// Whether the desk may read `tenant`'s directory, as `reader`: Graph's token for the tenant
    /// and the smallest read of its users (`$top=1`, `$select=id`: what `User.ReadBasic.All`
    /// allows). `Err` is Entra ID's refusal of the token (`AADSTS65001` where the desk's
    /// application consent carries no grant on Graph) or Graph's (403 without the permission).
    /// A read of the customer's reservations asks it (`desk_service::readiness`), so that the
    /// readiness table tells a consent that predates Graph's grant.
    pub async fn directory_probe(&self, reader: &Reader, tenant: &str) -> Result<(), AzureError> {
        let token = self.token_for(reader, tenant, GRAPH_DEFAULT_SCOPE).await?;
        let collection = Collection::Users;
        let url = directory_url(&self.settings.graph_url, collection, &[("$top", "1".into()), ("$select", "id".into())])?;
        let what = format!("Microsoft Graph's users in tenant {tenant}");
        let answer = self.send_graph(Service::GraphAtOnce, tenant, &what, || self.http.get(url.clone()).bearer_auth(token.expose_secret()).header("Accept", "application/json")).await?;
        read_page(collection, &answer.body).map(|_| ()).map_err(|e| answer.unreadable("Microsoft Graph's users", e))
    }

    /// The users, groups and service principals of `tenant` whose name or e-mail matches `text`
    /// (an object ID: that object; an application's client ID: its service principal), at most
    /// [`MOST_FOUND`] of each, as the signed-in `user` may read them: each collection's answer or
    /// Graph's refusal, in [`Collection::ALL`]'s order. A text with nothing [`searchable`] asks
    /// nothing and is refused (`InvalidSearch`, 400).
    pub async fn search_principals(&self, user: &OnBehalfOf, tenant: &str, text: &str) -> Vec<Answered> {
        let text = searchable(text);
        if text.is_empty() {
            let refused = || {
                let mut e = AzureError::new("InvalidSearch", "Type a name, an e-mail address or an object ID.");
                e.status = Some(400);
                e
            };
            return Collection::ALL.map(|c| (c, Err(refused()))).into();
        }
        // The three collections asked at once.
        let asks = Collection::ALL.map(|collection| {
            let query = collection.query(&text);
            async move { (collection, self.directory_page(user, tenant, collection, &query).await) }
        });
        futures::future::join_all(asks).await
    }

    /// The principals of `tenant` with the object IDs `ids` of `collection`, as far as Graph
    /// finds them (an ID it does not have is left out; one that is no GUID is not asked), 15 a
    /// request: what each request found, and each one Graph refused with its IDs.
    pub async fn principals_named(&self, user: &OnBehalfOf, tenant: &str, collection: Collection, ids: &[String]) -> Named {
        let ids: Vec<String> = ids.iter().map(|id| id.to_ascii_lowercase()).filter(|id| is_object_id(id)).collect();
        let mut out = Named::default();
        for chunk in ids.chunks(MOST_IN_CLAUSE) {
            let list = chunk.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(",");
            let query = [("$filter", format!("id in ({list})")), ("$select", collection.select().into())];
            match self.directory_page(user, tenant, collection, &query).await {
                Ok(found) => out.principals.extend(found.principals),
                Err(error) => out.refused.push((chunk.to_vec(), error)),
            }
        }
        out
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
        assert_eq!(Collection::Groups.search(r#"fin"ance\"#), r#""displayName:fin\"ance\\" OR "mail:fin\"ance\\""#, "a quote cannot end the phrase");
        assert_eq!(Collection::ServicePrincipals.search("bot"), r#""displayName:bot""#);
        assert!(is_object_id("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0"));
        assert!(!is_object_id("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0' or 1 eq 1"));
        assert_eq!(Collection::of(PrincipalType::ForeignGroup), None);
        assert_eq!(Collection::of(PrincipalType::Group), Some(Collection::Groups));
        assert!(read_page(Collection::Users, b"<html>").is_err());
        assert!(read_page(Collection::Users, br#"{"value": null}"#).unwrap().principals.is_empty());
    }

    #[test]
    fn a_quote_or_backslash_is_escaped_in_the_search_and_what_graph_cannot_take_is_left_out() {
        assert_eq!(Collection::Users.search("a\"b"), r#""displayName:a\"b" OR "mail:a\"b" OR "userPrincipalName:a\"b""#);
        assert_eq!(Collection::ServicePrincipals.search(r"corp\app"), r#""displayName:corp\\app""#);
        assert_eq!(Collection::ServicePrincipals.search(" bot\u{0}\n "), r#""displayName:bot""#, "control characters left out, trimmed");
        assert_eq!(searchable("\u{1}\t \u{7}"), "", "nothing left: not searched");
        // URL-encoded: an `&` does not end the query parameter, a quote travels as %22.
        let url = directory_url("https://graph.example/", Collection::Groups, &Collection::Groups.query("R&D \"x\"")).unwrap();
        let text = url.as_str();
        assert!(text.starts_with("https://graph.example/v1.0/groups?%24search="), "{text}");
        assert!(text.contains("R%26D") && text.contains("%5C%22x%5C%22") && !text.contains("R&D"), "{text}");
        let back: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(back[0], ("$search".to_owned(), r#""displayName:R&D \"x\"" OR "mail:R&D \"x\"""#.to_owned()));
    }

    #[test]
    fn a_typed_object_id_is_looked_up_by_id_and_on_service_principals_by_client_id_too() {
        const ID: &str = "6EA91A8D-E32E-41A1-B7BD-D2D185EED0E0";
        let lower = ID.to_ascii_lowercase();
        let filter = |c: Collection, text: &str| c.query(text).into_iter().find(|(k, _)| *k == "$filter").map(|(_, v)| v);
        assert_eq!(filter(Collection::Users, ID), Some(format!("id eq '{lower}'")));
        assert_eq!(filter(Collection::Groups, ID), Some(format!("id eq '{lower}'")));
        assert_eq!(filter(Collection::ServicePrincipals, ID), Some(format!("id eq '{lower}' or appId eq '{lower}'")), "an application's client ID finds it");
        assert!(Collection::ServicePrincipals.query(ID).iter().all(|(k, _)| *k != "$search"));
        assert_eq!(filter(Collection::Users, "ada"), None, "a name is searched");
        // A service principal's client ID is read beside its object ID.
        let page = br#"{"value": [{"id": "11111111-2222-3333-4444-555555555555", "displayName": "Contoso automation", "appId": "AAAAAAAA-0000-0000-0000-000000000001"}]}"#;
        let found = read_page(Collection::ServicePrincipals, page).unwrap();
        assert_eq!(found.principals[0].app_id.as_deref(), Some("aaaaaaaa-0000-0000-0000-000000000001"));
        assert_eq!(read_page(Collection::Users, page).unwrap().principals[0].app_id, None, "only an application has one");
    }

    mod over_http {
        use super::*;
        use crate::stand_in::{graph_error, user, StandIn};
        use serde_json::json;
        use std::time::Duration;

        fn now() -> chrono::DateTime<chrono::Utc> {
            chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00Z").unwrap().with_timezone(&chrono::Utc)
        }

        #[tokio::test]
        async fn a_throttled_people_search_is_answered_at_once_and_arm_in_the_same_tenant_is_not_held_up() {
            let graph = StandIn::start(|seen| match seen.path.as_str() {
                "/v1.0/users" => (429, vec![("retry-after", "120".into())], graph_error("TooManyRequests", "Too many requests.", "r-429")),
                _ => (200, vec![], json!({"value": []})),
            })
            .await;
            let client = graph.client(now());
            let answered = client.search_principals(&user(), "tenant-a", "ada").await;
            let users = answered[0].1.as_ref().unwrap_err();
            assert_eq!((users.status, users.code.as_str(), users.retry_after), (Some(429), "TooManyRequests", Some(120)), "{users:?}");
            assert!(users.message.contains("Retry-After: 120 s"), "{}", users.message);
            // Groups and applications are asked beside it (or, when Graph's pause came first, said
            // busy at once): each at most once.
            assert!(graph.on("/v1.0/groups").len() <= 1 && graph.on("/v1.0/servicePrincipals").len() <= 1);
            assert_eq!(graph.on("/v1.0/users").len(), 1, "not asked again");
            assert_eq!(*graph.sleeps.lock().unwrap(), Vec::<Duration>::new(), "nothing waited");

            // ARM in the same tenant: not paused by Graph's 429.
            assert!(client.subscriptions(&user(), "tenant-a").await.unwrap().is_empty());
            assert_eq!(graph.on("/subscriptions").len(), 1);
            assert_eq!(*graph.sleeps.lock().unwrap(), Vec::<Duration>::new(), "ARM was not held up");

            // Searched again while Graph's pause lasts: said at once, Graph not asked.
            let again = client.search_principals(&user(), "tenant-a", "ada").await;
            let users = again[0].1.as_ref().unwrap_err();
            assert_eq!((users.code.as_str(), users.retry_after), ("Throttled", Some(120)), "{users:?}");
            assert_eq!(graph.on("/v1.0/users").len(), 1);
            assert_eq!(*graph.sleeps.lock().unwrap(), Vec::<Duration>::new());
        }

        #[tokio::test]
        async fn graph_is_sent_its_client_request_id_and_its_request_id_is_read_from_the_header_else_the_error() {
            let graph = StandIn::start(|seen| match seen.path.as_str() {
                "/v1.0/users" => (403, vec![("request-id", "r-9".into())], graph_error("Authorization_RequestDenied", "Insufficient privileges to complete the operation.", "r-inner")),
                "/v1.0/groups" => (403, vec![], graph_error("Authorization_RequestDenied", "Insufficient privileges to complete the operation.", "r-10")),
                _ => (200, vec![("request-id", "r-11".into())], json!({"value": []})),
            })
            .await;
            let answered = graph.client(now()).search_principals(&user(), "tenant-a", "ada").await;
            let users = answered[0].1.as_ref().unwrap_err();
            assert_eq!((users.status, users.request.request_id.as_deref()), (Some(403), Some("r-9")), "{users:?}");
            let sent = users.request.client_request_id.clone().unwrap();
            let seen = graph.on("/v1.0/users");
            assert_eq!(seen[0].headers.get("client-request-id"), Some(&sent), "Graph's own header carries the desk's ID");
            let groups = answered[1].1.as_ref().unwrap_err();
            assert_eq!(groups.request.request_id.as_deref(), Some("r-10"), "no header: the error's innerError");
            assert!(users.request.to_string().contains("request ID r-9"), "{}", users.request);
        }

        #[tokio::test]
        async fn names_are_asked_fifteen_ids_a_request_and_a_refused_request_loses_only_its_own() {
            let ids: Vec<String> = (0..20).map(|i| format!("00000000-0000-4000-8000-{i:012}")).collect();
            let failing = ids[17].clone();
            let graph = StandIn::start(move |seen| {
                let filter = seen.query.get("$filter").cloned().unwrap_or_default();
                if filter.contains(&failing) {
                    return (500, vec![("request-id", "r-500".into())], graph_error("UnknownError", "Graph failed.", "r-500"));
                }
                let inside = filter.trim_start_matches("id in (").trim_end_matches(')');
                let listed: Vec<_> = inside.split(',').map(|id| json!({"id": id.trim_matches('\''), "displayName": "Someone"})).collect();
                (200, vec![], json!({"value": listed}))
            })
            .await;
            let mut asked = ids.clone();
            asked.push("not-a-guid".into());
            let named = graph.client(now()).principals_named(&user(), "tenant-a", Collection::Users, &asked).await;
            assert_eq!(graph.on("/v1.0/users").len(), 2, "15, then 5; the ID that is no GUID not asked");
            assert_eq!(named.principals.len(), 15, "the first request's names kept");
            assert_eq!(named.refused.len(), 1);
            let (lost, error) = &named.refused[0];
            assert_eq!(lost, &ids[15..].to_vec(), "only the refused request's IDs");
            assert_eq!((error.code.as_str(), error.request.request_id.as_deref()), ("UnknownError", Some("r-500")));
        }
    }
}
