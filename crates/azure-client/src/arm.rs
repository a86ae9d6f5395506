//! ARM's reservations in a customer's tenant (`GET /providers/Microsoft.Capacity/reservations`),
//! every page: `nextLink` is followed only while it points at the configured ARM (a token is
//! never sent elsewhere). Each page is read item by item (`azure_api::read`): an item that does
//! not fit is kept with why, and never makes the others unreadable.

use azure_api::read::{read_page, ReservationRead, Unread};
use secrecy::ExposeSecret;

use crate::lro::same_origin;
use crate::{AzureClient, AzureError, Reader, ARM_SCOPE, CAPACITY_API_VERSION};

const MOST_PAGES: usize = 1000;

pub(crate) async fn reservations(client: &AzureClient, user: &Reader, tenant: &str) -> Result<Vec<Result<ReservationRead, Unread>>, AzureError> {
    let token = client.token_for(user, tenant, ARM_SCOPE).await?;
    let base = client.settings.arm_url.trim_end_matches('/');
    let mut next = Some(format!("{base}/providers/Microsoft.Capacity/reservations?api-version={CAPACITY_API_VERSION}"));
    let mut out = Vec::new();
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "TooManyPages".into(), message: format!("ARM gave more than {MOST_PAGES} pages of reservations") });
        }
        let what = format!("Azure Resource Manager in tenant {tenant}");
        let answer = client.send(tenant, &what, || client.http.get(&url).bearer_auth(token.expose_secret())).await?;
        let page = read_page(&answer.body).map_err(|e| answer.unreadable("ARM's reservations", e))?;
        out.extend(page.items);
        next = match page.next_link.filter(|l| !l.is_empty()) {
            Some(link) if same_origin(&link, base) => Some(link),
            Some(_) => {
                return Err(AzureError { retry_after: None, request: Box::new(answer.request.clone()), status: None, code: "UnexpectedLink".into(), message: "ARM's nextLink points at another host".into() })
            }
            None => None,
        };
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_next_link_is_followed_only_on_arms_origin() {
        assert!(super::same_origin("https://management.azure.com/providers/x?$skiptoken=1", "https://management.azure.com"));
        assert!(!super::same_origin("https://evil.example/providers/x", "https://management.azure.com"));
        assert!(!super::same_origin("http://management.azure.com/x", "https://management.azure.com"));
    }
}
