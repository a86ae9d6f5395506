//! Partner Center's customers (`GET /v1/customers`, App+User): each page's `links.next` names the
//! next (its `uri` relative to `/v1`, the continuation token in an `MS-ContinuationToken`
//! header); older answers carry `continuationToken` in the body instead.

use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::{AzureClient, AzureError, OnBehalfOf, Reader, PARTNER_CENTER_SCOPE};

/// A customer as Partner Center lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerCustomer {
    /// Partner Center's customer ID (the same GUID as the tenant for most customers).
    pub id: String,
    /// The customer's tenant, where ARM is called for its reservations.
    pub tenant_id: String,
    /// Its primary domain.
    pub domain: String,
    /// Its company name.
    pub company_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    #[serde(default)]
    items: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    links: Option<Links>,
    #[serde(default)]
    continuation_token: Option<String>,
}

/// A `Customer` resource, every member optional (Partner Center's documentation marks none
/// required).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    company_profile: Option<CompanyProfile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompanyProfile {
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    company_name: Option<String>,
}

#[derive(Deserialize)]
struct Links {
    #[serde(default)]
    next: Option<Link>,
}

#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    headers: Option<Vec<Header>>,
}

#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

/// Whether `id` can name a tenant in a URL as it is (a GUID, or a domain): an ID from an answer
/// never reshapes the token endpoint's URL.
fn plain(id: &str) -> bool {
    !id.is_empty() && id.len() <= 256 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// One page of Partner Center's customers, read item by item.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct CustomersPage {
    /// The customers read.
    pub customers: Vec<PartnerCustomer>,
    /// Why each item that could not be read was left out.
    pub skipped: Vec<String>,
    /// The next page: its URI (below `/v1`) and the headers to send with it.
    pub next: Option<(String, Vec<(String, String)>)>,
    /// The older answers' continuation token.
    pub continuation_token: Option<String>,
}

/// Reads one page: each customer with its tenant (`companyProfile.tenantId`, else its ID, which is
/// the tenant's for most customers), its domain and name; an item without a usable ID is left
/// out with why, and the others are read. `Err` only when the answer is not such a page.
pub(crate) fn read_page(body: &[u8]) -> Result<CustomersPage, serde_json::Error> {
    // Partner Center may start its JSON with a byte order mark.
    let body = body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(body);
    let page: Page = serde_json::from_slice(body)?;
    let mut out = CustomersPage::default();
    for (i, value) in page.items.unwrap_or_default().into_iter().enumerate() {
        let item: Item = match serde_json::from_value(value) {
            Ok(item) => item,
            Err(e) => {
                out.skipped.push(format!("item {i} is not a customer: {e}"));
                continue;
            }
        };
        let profile = item.company_profile.unwrap_or(CompanyProfile { tenant_id: None, domain: None, company_name: None });
        let Some(id) = item.id.filter(|id| plain(id)) else {
            out.skipped.push(format!("item {i} has no customer ID the desk can use"));
            continue;
        };
        let tenant_id = profile.tenant_id.filter(|t| plain(t)).unwrap_or_else(|| id.clone());
        let domain = profile.domain.unwrap_or_default();
        let company_name = profile.company_name.filter(|n| !n.is_empty()).unwrap_or_else(|| if domain.is_empty() { id.clone() } else { domain.clone() });
        out.customers.push(PartnerCustomer { id, tenant_id, domain, company_name });
    }
    out.next = page.links.and_then(|l| l.next).and_then(|link| {
        let headers = link.headers.unwrap_or_default().into_iter().filter_map(|h| Some((h.key?, h.value?))).collect();
        link.uri.filter(|u| !u.is_empty()).map(|uri| (uri, headers))
    });
    out.continuation_token = page.continuation_token.filter(|t| !t.is_empty());
    Ok(out)
}

/// Customers asked for per page (`size`).
pub const CUSTOMERS_PER_PAGE: usize = 500;

/// At most this many pages are followed (a service that links back to itself would not end).
const MOST_PAGES: usize = 1000;

pub(crate) async fn customers(client: &AzureClient, user: &Reader, partner_tenant: &str) -> Result<Vec<PartnerCustomer>, AzureError> {
    let token = client.token_for(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
    let base = format!("{}/v1", client.settings.partner_center_url.trim_end_matches('/'));
    // Pages of `CUSTOMERS_PER_PAGE`: a partner's 500 customers in one round trip.
    let mut next = Some((format!("{base}/customers?size={CUSTOMERS_PER_PAGE}"), Vec::<(String, String)>::new()));
    let mut out = Vec::new();
    let mut pages = 0;
    while let Some((url, headers)) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "TooManyPages".into(), message: format!("Partner Center gave more than {MOST_PAGES} pages of customers") });
        }
        let answer = client
            .send(partner_tenant, "Partner Center", || {
                let mut request = client.http.get(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json");
                for (k, v) in &headers {
                    request = request.header(k.as_str(), v.as_str());
                }
                request
            })
            .await?;
        let page = read_page(&answer.body).map_err(|e| answer.unreadable("Partner Center's customers", e))?;
        for why in &page.skipped {
            tracing::warn!(request = %answer.request, "a customer Partner Center listed was left out: {why}");
        }
        out.extend(page.customers);
        let continuation = |token: String| vec![("MS-ContinuationToken".to_owned(), token)];
        next = match (page.next, page.continuation_token) {
            (Some((uri, headers)), _) => {
                if uri.contains("://") {
                    return Err(AzureError {
                        retry_after: None,
                        request: Box::new(answer.request.clone()),
                        status: None,
                        code: "UnexpectedLink".into(),
                        message: "Partner Center's next page is not below /v1".into(),
                    });
                }
                let uri = if uri.starts_with('/') { uri } else { format!("/{uri}") };
                // `links.next.uri` is relative to `/v1` in Partner Center's answers; one that
                // repeats it is taken as it is.
                let uri = uri.strip_prefix("/v1/").map_or(uri.clone(), |rest| format!("/{rest}"));
                Some((format!("{base}{uri}"), headers))
            }
            (None, Some(token)) => Some((format!("{base}/customers?seekOperation=next"), continuation(token))),
            (None, None) => None,
        };
    }
    Ok(out)
}

/// Azure Service Management's application ID: the enterprise application whose
/// `user_impersonation` the desk's API app is consented for in a customer's tenant, so that it
/// can ask ARM there on behalf of a user (Learn: "Get customer consent as Control Panel Vendor").
pub const AZURE_SERVICE_MANAGEMENT_APP_ID: &str = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

/// What Partner Center answered an application consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Consented {
    /// It created the consent (201, or 200).
    Created { status: u16 },
    /// The consent existed already (409).
    AlreadyExists,
}

/// The body of `POST /v1/customers/{id}/applicationconsents` for the desk's API app
/// (`application_id`): one grant per resource application, its delegated scopes comma-separated
/// (as Learn's example writes them): Azure Service Management with `user_impersonation` (ARM),
/// and Microsoft Graph with the least it takes to find a user, group or application by name or
/// e-mail and to name the principals of a role assignment
/// ([`crate::GRAPH_DIRECTORY_GRANTS`]).
pub(crate) fn consent_body(application_id: &str) -> serde_json::Value {
    serde_json::json!({
        "applicationId": application_id,
        "applicationGrants": [
            {"enterpriseApplicationId": AZURE_SERVICE_MANAGEMENT_APP_ID, "scope": "user_impersonation"},
            {"enterpriseApplicationId": crate::MICROSOFT_GRAPH_APP_ID, "scope": crate::GRAPH_DIRECTORY_GRANTS},
        ],
    })
}

/// Consents the desk's API app in `customer_id`'s tenant through Partner Center (App+User, in
/// the partner's tenant), the call carrying `request_id` as its `MS-RequestId` (Partner Center's
/// idempotency: the same consent asked again is not made twice). A 409 is the consent that
/// exists already; any other refusal is the error, with Partner Center's IDs.
pub(crate) async fn consent(
    client: &AzureClient,
    user: &OnBehalfOf,
    partner_tenant: &str,
    customer_id: &str,
    request_id: &str,
) -> Result<(Consented, contract::source::AzureRequestIds), AzureError> {
    if !plain(customer_id) {
        return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "InvalidCustomer".into(), message: format!("{customer_id:?} is not a customer ID") });
    }
    let token = client.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
    let url = format!("{}/v1/customers/{customer_id}/applicationconsents", client.settings.partner_center_url.trim_end_matches('/'));
    let body = consent_body(&client.settings.client_id);
    let what = format!("Partner Center's application consent for customer {customer_id}");
    let answered = client
        .send_as(partner_tenant, &what, request_id.to_owned(), || {
            client.http.post(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json").json(&body)
        })
        .await;
    match answered {
        Ok(answer) => Ok((Consented::Created { status: answer.status }, answer.request)),
        Err(err) if err.status == Some(409) => Ok((Consented::AlreadyExists, *err.request)),
        Err(err) => Err(err),
    }
}

/// Deletes the desk's API app's consent in `customer_id`'s tenant
/// (`DELETE /v1/customers/{id}/applicationconsents/{applicationId}`, App+User in the partner's
/// tenant): Partner Center's IDs; a 404 is the consent gone already.
pub(crate) async fn delete_consent(
    client: &AzureClient,
    user: &OnBehalfOf,
    partner_tenant: &str,
    customer_id: &str,
    request_id: &str,
) -> Result<contract::source::AzureRequestIds, AzureError> {
    let application = &client.settings.client_id;
    if !plain(customer_id) || !plain(application) {
        return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "InvalidCustomer".into(), message: format!("{customer_id:?} is not a customer ID") });
    }
    let token = client.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
    let url = format!("{}/v1/customers/{customer_id}/applicationconsents/{application}", client.settings.partner_center_url.trim_end_matches('/'));
    let what = format!("Partner Center's deletion of the application consent for customer {customer_id}");
    let answered = client
        .send_as(partner_tenant, &what, request_id.to_owned(), || client.http.delete(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json"))
        .await;
    match answered {
        Ok(answer) => Ok(answer.request),
        Err(err) if err.status == Some(404) => Ok(*err.request),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_json::{paths, without};

    const PUBLISHED: &str = include_str!("../../azure-api/tests/published/partner-center/customers-list.json");

    #[test]
    fn partner_centers_documented_answer_reads_each_customer() {
        let page = read_page(PUBLISHED.as_bytes()).unwrap();
        let ids: Vec<(&str, &str)> = page.customers.iter().map(|c| (c.id.as_str(), c.tenant_id.as_str())).collect();
        // The documentation's tenantId is a placeholder ("<guid>"), never put in a URL: the
        // customer's ID stands in, as it is the tenant's for most customers.
        assert_eq!(ids, vec![("b44bb1fb-c595-45b0-9e09-d657365580bf", "b44bb1fb-c595-45b0-9e09-d657365580bf"), ("45c44870-ef77-4fdd-b6fe-3dacb075cff2", "45c44870-ef77-4fdd-b6fe-3dacb075cff2")]);
        assert_eq!((page.customers[0].company_name.as_str(), page.customers[0].domain.as_str()), ("companyName", "domain"));
        assert_eq!((page.next, page.skipped.len()), (None, 0), "links.self is not a next page");
    }

    #[test]
    fn removing_any_property_of_the_documented_answer_leaves_the_other_customers_read() {
        let published: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        let all = paths(&published);
        assert!(all.len() > 20);
        for path in all {
            let changed = without(&published, &path);
            let page = read_page(changed.to_string().as_bytes()).unwrap_or_else(|e| panic!("without {path}: {e}"));
            let expected = match path.as_str() {
                "/items" => 0,
                p if p.starts_with("/items/") && p.ends_with("/id") && p.matches('/').count() == 3 => 1,
                _ => 2,
            };
            assert_eq!(page.customers.len(), expected, "without {path}: {page:?}");
            assert_eq!(page.skipped.len(), 2 - expected - usize::from(path == "/items") * 2, "without {path}");
        }
    }

    #[test]
    fn a_next_link_carries_its_continuation_header() {
        let page = read_page(br#"{"items": [], "links": {"next": {"uri": "/customers?size=40&seekOperation=Next", "method": "GET", "headers": [{"key": "MS-ContinuationToken", "value": "abc"}]}}}"#).unwrap();
        assert_eq!(page.next, Some(("/customers?size=40&seekOperation=Next".into(), vec![("MS-ContinuationToken".into(), "abc".into())])));
        assert!(read_page(b"\xEF\xBB\xBF{\"items\": null}").unwrap().customers.is_empty(), "a byte order mark and a null list read");
        assert!(read_page(b"<html>").is_err());
    }

    #[test]
    fn a_consent_asks_for_arm_and_for_graphs_directory_reads_for_the_desks_app() {
        let body = consent_body("desk-api-app");
        assert_eq!(body["applicationId"], "desk-api-app");
        assert_eq!(
            body["applicationGrants"],
            serde_json::json!([
                {"enterpriseApplicationId": "797f4846-ba00-4fd7-ba43-dac1f8f63013", "scope": "user_impersonation"},
                {"enterpriseApplicationId": "00000003-0000-0000-c000-000000000000", "scope": "User.ReadBasic.All,GroupMember.Read.All,Application.Read.All"},
            ])
        );
    }
}
