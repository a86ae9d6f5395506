//! Microsoft.Support (2024-04-01) in a customer's tenant, on behalf of the signed-in user: the
//! services and a service's problem classifications (asked in English, `Accept-Language: en-US`:
//! their display names are localized and the desk chooses by them), a ticket name checked for a
//! subscription, a ticket made (`PUT`, long-running: followed with [`AzureClient::follow`]) and
//! read back. Only plain names go into a path.

use azure_api::support::{
    read_classifications, read_services, read_ticket, CheckNameAvailabilityInput, CheckNameAvailabilityOutput, ProblemClassificationRead, ServiceRead, TicketCreate,
    TicketRead, SUPPORT_API_VERSION,
};
use reqwest::Method;
use secrecy::ExposeSecret;

use crate::arm_orders::plain;
use crate::{AzureClient, AzureError, AzureRequestIds, OnBehalfOf, ARM_SCOPE};

fn unexpected(what: &str) -> AzureError {
    AzureError::new("UnexpectedId", format!("{what:?} is not a name the desk puts in a request"))
}

/// A list Azure answered: what was read, and why each other item was set aside.
#[derive(Clone, Debug, Default)]
pub struct Listed<T> {
    /// The items read, in Azure's order.
    pub read: Vec<T>,
    /// Why each item that could not be read was set aside.
    pub skipped: Vec<String>,
}

fn split<T>(items: Vec<Result<T, String>>) -> Listed<T> {
    let mut out = Listed { read: Vec::new(), skipped: Vec::new() };
    for item in items {
        match item {
            Ok(read) => out.read.push(read),
            Err(why) => out.skipped.push(why),
        }
    }
    out
}

impl AzureClient {
    fn support_url(&self, path: &str) -> String {
        let base = self.settings.arm_url.trim_end_matches('/');
        format!("{base}{path}?api-version={SUPPORT_API_VERSION}")
    }

    async fn support_get(&self, user: &OnBehalfOf, tenant: &str, url: &str, what: &str) -> Result<crate::Answer, AzureError> {
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        self.send(tenant, what, || self.http.get(url).bearer_auth(token.expose_secret()).header(reqwest::header::ACCEPT_LANGUAGE, "en-US")).await
    }

    /// The services a ticket may be filed under, as `tenant` lists them to `user`.
    pub async fn support_services(&self, user: &OnBehalfOf, tenant: &str) -> Result<Listed<ServiceRead>, AzureError> {
        let url = self.support_url("/providers/Microsoft.Support/services");
        let answer = self.support_get(user, tenant, &url, &format!("Microsoft.Support's services in tenant {tenant}")).await?;
        Ok(split(read_services(&answer.body).map_err(|e| answer.unreadable("Microsoft.Support's services", e))?))
    }

    /// The problem classifications of service `service_name`.
    pub async fn support_classifications(&self, user: &OnBehalfOf, tenant: &str, service_name: &str) -> Result<Listed<ProblemClassificationRead>, AzureError> {
        if !plain(service_name) {
            return Err(unexpected(service_name));
        }
        let url = self.support_url(&format!("/providers/Microsoft.Support/services/{service_name}/problemClassifications"));
        let answer = self.support_get(user, tenant, &url, &format!("Microsoft.Support's problem classifications of {service_name} in tenant {tenant}")).await?;
        Ok(split(read_classifications(&answer.body).map_err(|e| answer.unreadable("Microsoft.Support's problem classifications", e))?))
    }

    /// Whether ticket name `name` is free in subscription `subscription_id` (`None`: Azure did
    /// not say).
    pub async fn support_name_available(&self, user: &OnBehalfOf, tenant: &str, subscription_id: &str, name: &str) -> Result<Option<bool>, AzureError> {
        if !plain(subscription_id) || !plain(name) {
            return Err(unexpected(name));
        }
        let url = self.support_url(&format!("/subscriptions/{subscription_id}/providers/Microsoft.Support/checkNameAvailability"));
        let token = self.token(user, tenant, ARM_SCOPE).await?;
        let body = CheckNameAvailabilityInput::ticket(name);
        let what = format!("Microsoft.Support's name check in subscription {subscription_id}");
        let answer = self.send(tenant, &what, || self.http.post(&url).bearer_auth(token.expose_secret()).json(&body)).await?;
        let read: CheckNameAvailabilityOutput = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("Microsoft.Support's name check", e))?;
        Ok(read.name_available)
    }

    fn ticket_url(&self, subscription_id: &str, name: &str) -> Result<String, AzureError> {
        if !plain(subscription_id) || !plain(name) {
            return Err(unexpected(name));
        }
        Ok(self.support_url(&format!("/subscriptions/{subscription_id}/providers/Microsoft.Support/supportTickets/{name}")))
    }

    /// `PUT …/supportTickets/{name}` with `ticket`, followed to its end when Azure accepts it
    /// (`202`): the call's IDs.
    pub async fn create_support_ticket(
        &self, user: &OnBehalfOf, tenant: &str, subscription_id: &str, name: &str, ticket: &TicketCreate,
    ) -> Result<AzureRequestIds, AzureError> {
        let url = self.ticket_url(subscription_id, name)?;
        let body = serde_json::to_value(ticket).map_err(|e| AzureError::local(e.to_string()))?;
        let started = self.start(user, tenant, Method::PUT, &url, &body).await?;
        let ids = started.answer.request.clone();
        if let Some(poll) = started.poll {
            self.follow(user, tenant, &poll, started.wait).await?;
        }
        Ok(ids)
    }

    /// The ticket `name` of subscription `subscription_id` as Azure has it now.
    pub async fn support_ticket(&self, user: &OnBehalfOf, tenant: &str, subscription_id: &str, name: &str) -> Result<TicketRead, AzureError> {
        let url = self.ticket_url(subscription_id, name)?;
        let answer = self.support_get(user, tenant, &url, &format!("Microsoft.Support's ticket {name} in subscription {subscription_id}")).await?;
        let value: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable("Microsoft.Support's ticket", e))?;
        read_ticket(value).map_err(|e| answer.unreadable("Microsoft.Support's ticket", e))
    }
}
