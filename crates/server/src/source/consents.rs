//! Consent at scale, the adapter's half: a consent run the desk started
//! (`desk::Desk::start_consents`, which chose the tenants and claimed each) is carried out here,
//! on behalf of the Global admin who asked. Each tenant is asked of Partner Center
//! (`POST /v1/customers/{id}/applicationconsents`, with the `MS-RequestId` the desk kept for
//! it), a few at once and paced under Partner Center's limit of 50 requests a second per
//! application; a tenant consented (or consented already) is read again at once, then its
//! outcome goes back to the desk, which writes it with its audit entry: when the run is done,
//! the readiness table shows what the consents changed.
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
            Ok((Consented::AlreadyExists, request)) => ConsentOutcome { state: ConsentState::AlreadyConsented, status: Some(409), code: None, message: None, request },
            Err(err) => {
                tracing::info!(run = %run_id, customer = %tenant.customer_id, code = %err.code, request = %err.request, "Partner Center refused a consent: {}", err.message);
                ConsentOutcome { state: ConsentState::Failed, status: err.status, code: Some(err.code), message: Some(err.message), request: *err.request }
            }
        },
    };
    // A tenant consented is read before its outcome is recorded: when the run is done, the
    // readiness table says what the consent changed.
    if matches!(outcome.state, ConsentState::Consented | ConsentState::AlreadyConsented) {
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
