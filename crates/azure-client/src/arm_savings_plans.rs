//! The savings plans a customer holds in its tenant (Microsoft.BillingBenefits 2022-11-01), read
//! on behalf of the user or with the stored connection: `SavingsPlan_ListAll` (`GET
//! /providers/Microsoft.BillingBenefits/savingsPlans`), every page (`nextLink` followed only while
//! it points at the configured ARM: a token is never sent elsewhere), each item read on its own
//! (`azure_api::savings_plan`: one that does not fit is kept with why, never the others); then,
//! for each plan that renews, its renewal's plan (`SavingsPlan_Get` with
//! `$expand=renewProperties`, the only operation that gives it), the tenant's share of requests
//! in flight at once. A renewal that cannot be read leaves that plan's renewal unknown with
//! Azure's reason; the plan stays listed.

use azure_api::savings_plan::{read_page, read_plan, SavingsPlanRead, Unread, BILLING_BENEFITS_API_VERSION};
use secrecy::ExposeSecret;

use crate::arm_orders::plain;
use crate::lro::same_origin;
use crate::{AzureClient, AzureError, Reader, ARM_SCOPE};

const MOST_PAGES: usize = 1000;

/// A plan listed, with what its renewal's read said when it could not be read.
#[derive(Clone, Debug)]
pub struct HeldPlan {
    /// The plan as Azure answered it (with `renewProperties` when they were asked and given).
    pub read: SavingsPlanRead,
    /// Why its renewal's plan is unknown though it renews.
    pub renewal_unknown: Option<String>,
}

pub(crate) async fn savings_plans(client: &AzureClient, user: &Reader, tenant: &str) -> Result<Vec<Result<HeldPlan, Unread>>, AzureError> {
    use futures::stream::{self, StreamExt};
    let token = client.token_for(user, tenant, ARM_SCOPE).await?;
    let base = client.settings.arm_url.trim_end_matches('/').to_owned();
    let mut next = Some(format!("{base}/providers/Microsoft.BillingBenefits/savingsPlans?api-version={BILLING_BENEFITS_API_VERSION}"));
    let mut listed: Vec<Result<SavingsPlanRead, Unread>> = Vec::new();
    let mut pages = 0;
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError::new("TooManyPages", format!("ARM gave more than {MOST_PAGES} pages of savings plans")));
        }
        let what = format!("Azure Resource Manager's savings plans in tenant {tenant}");
        let answer = client.send(tenant, &what, || client.http.get(&url).bearer_auth(token.expose_secret())).await?;
        let page = read_page(&answer.body).map_err(|e| answer.unreadable("ARM's savings plans", e))?;
        listed.extend(page.items);
        next = match page.next_link {
            Some(link) if same_origin(&link, &base) => Some(link),
            Some(_) => return Err(AzureError::new("UnexpectedLink", "ARM's nextLink points at another host").with_request(answer.request.clone())),
            None => None,
        };
    }
    let per_tenant = client.limits().per_tenant.max(1);
    let read = stream::iter(listed)
        .map(|item| {
            let (client, token, base, tenant) = (client.clone(), token.clone(), base.clone(), tenant.to_owned());
            async move {
                let plan = item?;
                let Some((order, id)) = plan.ids().filter(|_| plan.renewal_missing()) else {
                    return Ok(HeldPlan { read: plan, renewal_unknown: None });
                };
                if !plain(&order) || !plain(&id) {
                    return Ok(HeldPlan { read: plan, renewal_unknown: Some("The plan's IDs are not ones the desk puts in a request.".into()) });
                }
                let url = format!(
                    "{base}/providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}/savingsPlans/{id}?api-version={BILLING_BENEFITS_API_VERSION}&$expand=renewProperties"
                );
                let what = format!("Azure Resource Manager's savings plan {order}/{id} in tenant {tenant}");
                let expanded = match client.send(&tenant, &what, || client.http.get(&url).bearer_auth(token.expose_secret())).await {
                    Ok(answer) => serde_json::from_slice::<serde_json::Value>(&answer.body)
                        .map_err(|e| format!("ARM's savings plan could not be read: {e}"))
                        .and_then(|v| read_plan(v).map_err(|u| u.message)),
                    Err(e) => Err(format!("{}: {} [{}]", e.code, e.message, e.request)),
                };
                Ok(match expanded {
                    Ok(read) if read.properties.as_ref().is_some_and(|p| p.renew_properties.is_some()) => HeldPlan { read, renewal_unknown: None },
                    Ok(_) => HeldPlan { read: plan, renewal_unknown: Some("Azure gave no renewProperties for this plan.".into()) },
                    Err(why) => {
                        tracing::info!(order, plan = id, "a savings plan's renewal could not be read: {why}");
                        HeldPlan { read: plan, renewal_unknown: Some(why) }
                    }
                })
            }
        })
        .buffered(per_tenant)
        .collect()
        .await;
    Ok(read)
}

impl AzureClient {
    /// Every savings plan `reader` sees in `tenant` (Microsoft.BillingBenefits), page after page,
    /// each with its renewal's plan when it renews: each read as the specification types it, or
    /// why it could not be.
    pub async fn savings_plans(&self, reader: &Reader, tenant: &str) -> Result<Vec<Result<HeldPlan, Unread>>, AzureError> {
        savings_plans(self, reader, tenant).await
    }
}
