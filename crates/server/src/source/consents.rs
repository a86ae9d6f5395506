//! Consent at scale, the adapter's half: a consent run the desk started
//! (`desk::Desk::start_consents`, which chose the tenants and claimed each) is carried out here,
//! on behalf of the Global admin who asked. Each tenant is asked of Partner Center
//! (`POST /v1/customers/{id}/applicationconsents`, with the `MS-RequestId` the desk kept for
//! it), a few at once and paced under Partner Center's limit of 50 requests a second per
//! application; a tenant consented (or consented already) is read again at once, then its
//! outcome goes back to the desk, which writes it with its audit entry: when the run is done,
//! the readiness table shows what the consents changed.
//!
//! A consent that exists (Partner Center's 409) where Graph said the desk is not consented
//! (`desk::Desk::consent_renewal_due`: a consent made before the desk asked for Graph's grant)
//! is renewed as Learn's secure application model updates one: deleted
//! (`DELETE …/applicationconsents/{applicationId}`), then made again with every grant. Both calls
//! carry IDs derived from the tenant's `MS-RequestId`, so that a run asked again sends the same.
//!
//! The run lives in this process: a server that stops leaves its unfinished tenants claimed
//! until the claim's life (`desk::source::CONSENT_CLAIM_LASTS`) passes; a later run then asks
//! them again, with Partner Center's idempotency on its side.

use azure_client::Consented;
use contract::source::{ConsentRun, ConsentState, TenantConsent};
use contract::User;
use desk::source::ConsentOutcome;
use desk::Call;
use futures::stream::{self, StreamExt};

use super::{read_one, Acting};
use crate::state::AppState;

/// How many tenants' consents are asked at once.
pub const CONSENTS_AT_ONCE: usize = 8;

/// Carries out `run` in the background, as `user` acting in Azure (`acting`).
pub fn carry_out(state: AppState, acting: Acting, user: User, run: ConsentRun) {
    tokio::spawn(async move {
        let pending: Vec<TenantConsent> = run.tenants.into_iter().filter(|t| t.state == ConsentState::Pending).collect();
        let total = pending.len();
        stream::iter(pending)
            .for_each_concurrent(CONSENTS_AT_ONCE, |tenant| {
                let (state, acting, user, run_id) = (state.clone(), acting.clone(), user.clone(), run.id.clone());
                async move { consent_one(&state, &acting, user, &run_id, &tenant).await }
            })
            .await;
        tracing::info!(run = %run.id, tenants = total, "consent run finished");
    });
}

/// One tenant: claimed for sending, asked, its outcome written; read again when consented.
async fn consent_one(state: &AppState, acting: &Acting, user: User, run_id: &str, tenant: &TenantConsent) {
    let Some(source) = state.source.clone() else { return };
    source.consent_pace.until_ready().await;
    let desk = &state.desk;
    match desk.consent_sending(&Call::new(user.clone(), state.now()), run_id, &tenant.customer_id).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(err) => {
            tracing::error!(run = %run_id, customer = %tenant.customer_id, error = %err, "a consent could not be claimed for sending");
            return;
        }
    }
    let partner = source.partner_tenant.clone().or_else(|| acting.tenant.clone());
    // Whether the tenant is read again whatever the outcome: its consent was deleted to be renewed.
    let mut read_again = false;
    let request_id = tenant.request.client_request_id.clone().unwrap_or_default();
    let outcome = match partner {
        None => ConsentOutcome {
            state: ConsentState::Failed,
            status: None,
            code: Some("NoPartnerTenant".into()),
            message: Some("The signed-in user's token names no tenant (tid); set AZURE_PARTNER_TENANT_ID.".into()),
            request: Default::default(),
        },
        Some(partner) => match source.client.consent_application(&acting.obo, &partner, &tenant.customer_id, &request_id).await {
            Ok((Consented::Created { status }, request)) => ConsentOutcome { state: ConsentState::Consented, status: Some(status), code: None, message: None, request },
            Ok((Consented::AlreadyExists, request)) => match desk.consent_renewal_due(&tenant.customer_id).await {
                Ok(true) => match refused_graph_now(state, acting, tenant).await {
                    true => {
                        let (outcome, deleted) = renew(state, acting, &partner, run_id, tenant, &request_id).await;
                        read_again |= deleted;
                        outcome
                    }
                    // Graph is granted there now (fixed outside the desk, or the word was
                    // stale): the consent stays.
                    false => ConsentOutcome { state: ConsentState::AlreadyConsented, status: Some(409), code: None, message: None, request },
                },
                Ok(false) => ConsentOutcome { state: ConsentState::AlreadyConsented, status: Some(409), code: None, message: None, request },
                Err(err) => {
                    tracing::error!(run = %run_id, customer = %tenant.customer_id, error = %err, "whether a consent needs renewing could not be read");
                    ConsentOutcome { state: ConsentState::AlreadyConsented, status: Some(409), code: None, message: None, request }
                }
            },
            Err(err) => refused(run_id, tenant, err),
        },
    };
    // A consent the desk made carries Graph's grant: said before the read, which then asks Graph.
    // A tenant consented is read before its outcome is recorded: when the run is done, the
    // readiness table says what the consent changed.
    if matches!(outcome.state, ConsentState::Consented | ConsentState::Renewed) {
        if let Err(err) = desk.consent_granted(state.now(), &tenant.customer_id).await {
            tracing::error!(customer = %tenant.customer_id, error = %err, "keeping that the consent carries Graph's grant failed");
        }
    }
    if read_again || matches!(outcome.state, ConsentState::Consented | ConsentState::AlreadyConsented | ConsentState::Renewed) {
        if let Err(err) = read_one(state, acting, &tenant.customer_id).await {
            tracing::warn!(customer = %tenant.customer_id, error = %err, "reading a tenant after its consent failed");
        }
    }
    match desk.finish_consent(&Call::new(user, state.now()), run_id, tenant, &outcome).await {
        Ok(true) => {}
        Ok(false) => tracing::warn!(run = %run_id, customer = %tenant.customer_id, "a consent's outcome came after its claim ended: not recorded"),
        Err(err) => tracing::error!(run = %run_id, customer = %tenant.customer_id, error = %err, "a consent's outcome could not be recorded"),
    }
}

/// Whether Entra ID refuses Microsoft Graph's token in `tenant` now, asked as the acting admin just
/// before a renewal would delete the consent there: the kept word may be stale (the consent fixed
/// outside the desk, or a read that has not asked since), and a consent is deleted only on
/// Entra's own refusal (`desk_service::readiness::directory_state`: not consented). What Graph
/// said is kept on the customer either way.
async fn refused_graph_now(state: &AppState, acting: &Acting, tenant: &TenantConsent) -> bool {
    let Some(source) = state.source.clone() else { return false };
    let asked_at = state.now();
    let answer = source.client.directory_probe(&azure_client::Reader::User(acting.obo.clone()), &tenant.tenant_id).await;
    let error = answer.err().map(|e| contract::source::SourceError {
        code: e.code,
        message: e.message,
        status: e.status,
        at: desk::source::instant_text(asked_at),
        request: *e.request,
    });
    if let Err(err) = state.desk.record_directory_answer(asked_at, &tenant.customer_id, error.as_ref().map_or(Ok(()), Err)).await {
        tracing::error!(customer = %tenant.customer_id, error = %err, "keeping what Microsoft Graph said of the customer's directory failed");
    }
    error.is_some_and(|e| desk_service::readiness::directory_state(&e.code, e.status, &e.message) == Some(contract::source::DirectoryState::NotConsented))
}

/// Partner Center's refusal of a tenant's consent, as its outcome.
fn refused(run_id: &str, tenant: &TenantConsent, err: azure_client::AzureError) -> ConsentOutcome {
    tracing::info!(run = %run_id, customer = %tenant.customer_id, code = %err.code, request = %err.request, "Partner Center refused a consent: {}", err.message);
    ConsentOutcome { state: ConsentState::Failed, status: err.status, code: Some(err.code), message: Some(err.message), request: *err.request }
}

/// The `MS-RequestId` of a renewal's `step` (`delete`, `consent`) for the tenant's consent asked
/// with `request_id`: the same whenever the run asks again, and no other call's.
fn renewal_request_id(request_id: &str, step: &str) -> String {
    // A name-based GUID (version 8: SHA-256 of the name), as a version 5 one would be of SHA-1.
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{request_id}/renew/{step}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid().to_string()
}

/// Renews the desk's API app's consent in `tenant`: deleted, then made again with every grant;
/// the outcome, and whether the consent was deleted. The consent deleted and not made again is a
/// failure that says so (the tenant reads nothing until a run consents it: its read then says
/// `consentMissing`).
async fn renew(state: &AppState, acting: &Acting, partner: &str, run_id: &str, tenant: &TenantConsent, request_id: &str) -> (ConsentOutcome, bool) {
    let Some(source) = state.source.clone() else { return (refused(run_id, tenant, azure_client::AzureError::new("NotAzureMode", "This desk is not reading Azure.")), false) };
    let customer = &tenant.customer_id;
    source.consent_pace.until_ready().await;
    let deleted = match source.client.delete_application_consent(&acting.obo, partner, customer, &renewal_request_id(request_id, "delete")).await {
        Ok(ids) => ids,
        Err(mut err) => {
            err.message = format!("Deleting the consent that does not grant Microsoft Graph failed; the consent stays as it was. {}", err.message);
            return (refused(run_id, tenant, err), false);
        }
    };
    tracing::info!(run = %run_id, customer = %customer, request = %deleted, "the consent that did not grant Microsoft Graph was deleted, to be made again");
    source.consent_pace.until_ready().await;
    let said = format!("The consent that did not grant Microsoft Graph was deleted (Partner Center: {deleted})");
    let outcome = match source.client.consent_application(&acting.obo, partner, customer, &renewal_request_id(request_id, "consent")).await {
        Ok((Consented::Created { status }, request)) => {
            ConsentOutcome { state: ConsentState::Renewed, status: Some(status), code: None, message: Some(format!("{said} and made again with every grant.")), request }
        }
        Ok((Consented::AlreadyExists, request)) => ConsentOutcome {
            state: ConsentState::Failed,
            status: Some(409),
            code: Some("ConsentNotRenewed".into()),
            message: Some(format!("{said}, and Partner Center says one exists again: it was not made with Microsoft Graph's grant by this run. Ask again.")),
            request,
        },
        Err(mut err) => {
            err.message = format!(
                "{said}, and making it again failed: the desk's API app holds no consent in the tenant until a run consents it (reads may go on for up to an hour on tokens Entra ID gave before). {}",
                err.message
            );
            refused(run_id, tenant, err)
        }
    };
    (outcome, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renewals_request_ids_are_the_same_each_time_and_no_others() {
        let asked = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let delete = renewal_request_id(asked, "delete");
        assert_eq!(delete, renewal_request_id(asked, "delete"), "a run asked again sends the same");
        assert_ne!(delete, renewal_request_id(asked, "consent"));
        assert_ne!(delete, renewal_request_id("1f8fad5b-d9cb-469f-a165-70867728950e", "delete"));
        let parsed = uuid::Uuid::parse_str(&delete).unwrap();
        assert_eq!(parsed.get_version_num(), 8, "{delete}");
    }
}
