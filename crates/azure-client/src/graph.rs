//! Microsoft Graph: the partner's GDAP relationships (`GET
//! /v1.0/tenantRelationships/delegatedAdminRelationships`, delegated
//! `DelegatedAdminRelationship.Read.All`, in the partner's tenant), every page:
//! `@odata.nextLink` is followed only while it points at the configured Graph (a token is never
//! sent elsewhere). Each item is read on its own: Graph documents no property as required, so
//! an item is left out (with why) only when it has no ID or no customer tenant, the two the desk
//! cannot do without; any other property missing leaves it read.

use contract::gdap::GdapRelationship;
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::lro::same_origin;
use crate::{AzureClient, AzureError, Reader, GRAPH_GDAP_SCOPE};

const MOST_PAGES: usize = 1000;
/// Graph's largest `$top` for this list.
const MOST_PER_PAGE: usize = 300;

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    value: Option<Vec<serde_json::Value>>,
    #[serde(default, rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// A `delegatedAdminRelationship`, every member optional.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    customer: Option<Customer>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    end_date_time: Option<String>,
    #[serde(default)]
    duration: Option<String>,
    #[serde(default)]
    auto_extend_duration: Option<String>,
    #[serde(default)]
    access_details: Option<AccessDetails>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Customer {
    #[serde(default)]
    tenant_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessDetails {
    #[serde(default)]
    unified_roles: Option<Vec<UnifiedRole>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnifiedRole {
    #[serde(default)]
    role_definition_id: Option<String>,
}

/// One page of relationships, read item by item.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct RelationshipsPage {
    /// The relationships read.
    pub relationships: Vec<GdapRelationship>,
    /// Why each item that could not be read was left out.
    pub skipped: Vec<String>,
    /// `@odata.nextLink`.
    pub next_link: Option<String>,
}

/// Reads one page; `Err` only when the answer is not such a page.
pub(crate) fn read_page(body: &[u8]) -> Result<RelationshipsPage, serde_json::Error> {
    let page: Page = serde_json::from_slice(body)?;
    let mut out = RelationshipsPage { next_link: page.next_link.filter(|l| !l.is_empty()), ..RelationshipsPage::default() };
    for (i, value) in page.value.unwrap_or_default().into_iter().enumerate() {
        let item: Item = match serde_json::from_value(value) {
            Ok(item) => item,
            Err(e) => {
                out.skipped.push(format!("item {i} is not a relationship: {e}"));
                continue;
            }
        };
        let Some(id) = item.id.filter(|id| !id.is_empty()) else {
            out.skipped.push(format!("item {i} has no ID"));
            continue;
        };
        let Some(customer_tenant_id) = item.customer.and_then(|c| c.tenant_id).filter(|t| !t.is_empty()) else {
            out.skipped.push(format!("relationship {id} names no customer tenant"));
            continue;
        };
        let roles = item.access_details.and_then(|a| a.unified_roles).unwrap_or_default().into_iter().filter_map(|r| r.role_definition_id).collect();
        out.relationships.push(GdapRelationship {
            display_name: item.display_name.unwrap_or_else(|| id.clone()),
            id,
            customer_tenant_id,
            // A relationship whose status Graph did not give is not taken as active.
            status: item.status.unwrap_or_else(|| "unknown".into()),
            end_date_time: item.end_date_time,
            duration: item.duration,
            auto_extend_duration: item.auto_extend_duration,
            roles,
        });
    }
    Ok(out)
}

/// Every relationship of the partner, page after page, with a Graph token on behalf of `user` in
/// `partner_tenant`.
pub(crate) async fn relationships(client: &AzureClient, user: &Reader, partner_tenant: &str) -> Result<Vec<GdapRelationship>, AzureError> {
    let token = client.token_for(user, partner_tenant, GRAPH_GDAP_SCOPE).await?;
    let base = client.settings.graph_url.trim_end_matches('/');
    // The most a page may hold ("$top supports up to 300 objects"): fewer round trips for a
    // partner with hundreds of customers.
    let mut next = Some(format!("{base}/v1.0/tenantRelationships/delegatedAdminRelationships?$top={MOST_PER_PAGE}"));
    let mut out = Vec::new();
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError::new("TooManyPages", format!("Microsoft Graph gave more than {MOST_PAGES} pages of GDAP relationships")));
        }
        let answer = client.send_graph(crate::http::Service::Graph, partner_tenant, "Microsoft Graph", || client.http.get(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json")).await?;
        let page = read_page(&answer.body).map_err(|e| answer.unreadable("Microsoft Graph's GDAP relationships", e))?;
        for why in &page.skipped {
            tracing::warn!(request = %answer.request, "a GDAP relationship Graph listed was left out: {why}");
        }
        out.extend(page.relationships);
        next = match page.next_link {
            Some(link) if same_origin(&link, base) => Some(link),
            Some(_) => {
                return Err(AzureError::new("UnexpectedLink", "Microsoft Graph's @odata.nextLink points at another host").with_request(answer.request.clone()));
            }
            None => None,
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_json::{paths, without};

    const PUBLISHED: &str = include_str!("../../azure-api/tests/published/graph/delegated-admin-relationships-list.json");

    #[test]
    fn graphs_documented_answer_reads_each_relationship() {
        let page = read_page(PUBLISHED.as_bytes()).unwrap();
        assert_eq!((page.skipped.len(), page.next_link.as_deref()), (0, None));
        /// Name, customer tenant, status, end, auto-extension, how many roles.
        type Read<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>, usize);
        let read: Vec<Read> = page
            .relationships
            .iter()
            .map(|r| (r.display_name.as_str(), r.customer_tenant_id.as_str(), r.status.as_str(), r.end_date_time.as_deref(), r.auto_extend_duration.as_deref(), r.roles.len()))
            .collect();
        assert_eq!(
            read,
            vec![
                ("Contoso admin relationship", "52eaad04-13a2-4a2f-9ce8-93a294fadf36", "active", Some("2024-02-10T11:24:42.3148266Z"), Some("P180D"), 1),
                ("Contoso subsidiary relationship", "4b827261-d21f-4aa9-b7db-7fa1f56fb163", "terminated", Some("2021-10-29T16:57:20.2101088Z"), Some("PT0S"), 2),
                ("Fabrikam admin relationship", "52eaad04-13a2-4a2f-9ce8-93a294fadf36", "approvalPending", None, Some("PT0S"), 9),
            ]
        );
        assert_eq!(page.relationships[0].id, "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836");
        assert_eq!(page.relationships[0].roles, vec!["dd4db9a0-cc4a-4213-9f9f-70242232d97e".to_owned()]);
        assert_eq!(page.relationships[0].duration.as_deref(), Some("P730D"));
    }

    #[test]
    fn removing_any_property_of_the_documented_answer_leaves_the_other_relationships_read() {
        let published: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        let all = paths(&published);
        assert!(all.len() > 40, "{}", all.len());
        for path in all {
            let changed = without(&published, &path);
            let page = read_page(changed.to_string().as_bytes()).unwrap_or_else(|e| panic!("without {path}: {e}"));
            let depth = path.matches('/').count();
            // Only an item's ID or customer tenant (the desk cannot match it without them)
            // leaves that item out; the list itself gone leaves none.
            let one_out = path.starts_with("/value/")
                && ((depth == 3 && (path.ends_with("/id") || path.ends_with("/customer"))) || path.ends_with("/customer/tenantId"));
            let expected = match path.as_str() {
                "/value" => 0,
                _ if one_out => 2,
                _ => 3,
            };
            assert_eq!(page.relationships.len(), expected, "without {path}: {page:?}");
            let skipped = usize::from(one_out);
            assert_eq!(page.skipped.len(), skipped, "without {path}");
        }
    }

    #[test]
    fn a_relationship_without_status_roles_or_end_is_read_as_not_active() {
        let page = read_page(br#"{"value": [{"id": "r", "customer": {"tenantId": "t"}}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=2"}"#).unwrap();
        let r = &page.relationships[0];
        assert_eq!((r.display_name.as_str(), r.status.as_str(), r.roles.len(), r.end_date_time.as_deref()), ("r", "unknown", 0, None));
        assert!(page.next_link.unwrap().ends_with("$skiptoken=2"));
        assert!(read_page(b"<html>").is_err());
        assert!(read_page(br#"{"value": null}"#).unwrap().relationships.is_empty());
    }
}
