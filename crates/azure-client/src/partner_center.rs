//! Partner Center's customers (`GET /v1/customers`, App+User): each page's `links.next` names the
//! next (its `uri` relative to `/v1`, the continuation token in an `MS-ContinuationToken`
//! header); older answers carry `continuationToken` in the body instead.

use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::{AzureClient, AzureError, OnBehalfOf, PARTNER_CENTER_SCOPE};

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
    items: Vec<Item>,
    #[serde(default)]
    links: Option<Links>,
    #[serde(default)]
    continuation_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: String,
    company_profile: CompanyProfile,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompanyProfile {
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    company_name: String,
}

#[derive(Deserialize)]
struct Links {
    #[serde(default)]
    next: Option<Link>,
}

#[derive(Deserialize)]
struct Link {
    uri: String,
    #[serde(default)]
    headers: Vec<Header>,
}

#[derive(Deserialize)]
struct Header {
    key: String,
    value: String,
}

/// At most this many pages are followed (a service that links back to itself would not end).
const MOST_PAGES: usize = 1000;

pub(crate) async fn customers(client: &AzureClient, user: &OnBehalfOf, partner_tenant: &str) -> Result<Vec<PartnerCustomer>, AzureError> {
    let token = client.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
    let base = format!("{}/v1", client.settings.partner_center_url.trim_end_matches('/'));
    let mut next = Some((format!("{base}/customers"), Vec::<(String, String)>::new()));
    let mut out = Vec::new();
    let mut pages = 0;
    while let Some((url, headers)) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError { request: Default::default(), status: None, code: "TooManyPages".into(), message: format!("Partner Center gave more than {MOST_PAGES} pages of customers") });
        }
        let answer = client
            .send("Partner Center", || {
                let mut request = client.http.get(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json");
                for (k, v) in &headers {
                    request = request.header(k.as_str(), v.as_str());
                }
                request
            })
            .await?;
        // Partner Center may start its JSON with a byte order mark.
        let body = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
        let page: Page = serde_json::from_slice(body).map_err(|e| answer.unreadable("Partner Center's customers", e))?;
        out.extend(page.items.into_iter().map(|item| PartnerCustomer {
            tenant_id: item.company_profile.tenant_id.unwrap_or_else(|| item.id.clone()),
            id: item.id,
            domain: item.company_profile.domain,
            company_name: item.company_profile.company_name,
        }));
        let continuation = |token: String| vec![("MS-ContinuationToken".to_owned(), token)];
        next = match (page.links.and_then(|l| l.next), page.continuation_token.filter(|t| !t.is_empty())) {
            (Some(link), _) => {
                if link.uri.contains("://") {
                    return Err(AzureError { request: Default::default(), status: None, code: "UnexpectedLink".into(), message: "Partner Center's next page is not below /v1".into() });
                }
                let uri = if link.uri.starts_with('/') { link.uri } else { format!("/{}", link.uri) };
                Some((format!("{base}{uri}"), link.headers.into_iter().map(|h| (h.key, h.value)).collect()))
            }
            (None, Some(token)) => Some((format!("{base}/customers?seekOperation=next"), continuation(token))),
            (None, None) => None,
        };
    }
    Ok(out)
}
