//! Consent at scale: the desk's API app consented in customers' tenants through Partner
//! Center, so that Azure mode can read them. The desk decides which tenants a run asks for (the
//! ones named, or every one whose readiness says it needs consent: `desk_service::readiness`
//! decides that, a failed read for want of consent or Graph not consented) and keeps each
//! tenant's claim, so that a tenant is asked once even with two servers on one database (`crate::source::SourceStore::start_consent_run`). The adapter asks
//! Partner Center and tells each outcome back ([`Desk::finish_consent`]), which is written with its
//! audit entry.

use std::collections::BTreeSet;

use contract::source::{ConsentRequest, ConsentRun, ConsentState, DirectoryAccess, DirectoryState, SourceError, TenantConsent};
use contract::{AuditAction, DataSource};

use super::{audit_entry, Acting, Desk};
use crate::source::{ConsentOutcome, NewConsentRun, NewTenantConsent, CONSENT_CLAIM_LASTS};
use crate::{Call, DeskError, DeskStore, Ids};

/// The most tenants one run asks for (a partner's whole book fits; a body larger than that is
/// not a request a person made).
pub const MOST_CONSENTS: usize = 5_000;

impl<S: DeskStore, I: Ids> Desk<S, I> {
    /// Starts a consent run for the tenants `request` names, as `acting` asks: 400 when it names
    /// none, both ways, more than [`MOST_CONSENTS`], or a customer the desk has not read from
    /// Azure (all of those named, and nothing starts). A desk that does not read Azure: 404.
    pub async fn start_consents(&self, acting: &Acting, request: ConsentRequest) -> Result<ConsentRun, DeskError> {
        if self.settings.source != DataSource::Azure {
            return Err(DeskError::not_found(crate::source::NOT_READING_AZURE));
        }
        let field = Some("customerIds".to_owned());
        if request.all && !request.customer_ids.is_empty() {
            return Err(DeskError::malformed("Name the customers (customerIds) or ask for every tenant that needs consent (all: true), not both.", field));
        }
        if !request.all && request.customer_ids.is_empty() {
            return Err(DeskError::malformed("Name at least one customer (customerIds), or ask for every tenant that needs consent (all: true).", field));
        }
        if request.customer_ids.len() > MOST_CONSENTS {
            return Err(DeskError::malformed(format!("At most {MOST_CONSENTS} customers in one run."), field));
        }
        // Each customer the caller sees with its readiness: its tenant once read from Azure.
        let rows = self.readiness_rows(acting).await?;
        let read = rows.iter().filter(|r| r.tenant_id.is_some());
        let chosen: Vec<&contract::source::CustomerReadiness> = if request.all {
            read.filter(|r| r.needs_consent).collect()
        } else {
            let named: BTreeSet<&str> = request.customer_ids.iter().map(String::as_str).collect();
            let known: Vec<_> = read.filter(|r| named.contains(r.customer_id.as_str())).collect();
            // As the request named them, each once.
            let mut seen = BTreeSet::new();
            let unknown: Vec<&str> = request
                .customer_ids
                .iter()
                .map(String::as_str)
                .filter(|id| seen.insert(*id) && !known.iter().any(|r| r.customer_id == *id))
                .collect();
            if !unknown.is_empty() {
                return Err(DeskError::malformed(
                    format!("Not a customer read from Azure: {}. Read Azure first; nothing was started.", unknown.join(", ")),
                    field,
                ));
            }
            known
        };
        let run = NewConsentRun {
            id: crate::ids::guid(self.ids.next_bits()),
            requested_by: acting.call.user.user_principal_name.clone(),
            requested_at: acting.call.now,
            tenants: chosen
                .into_iter()
                .map(|r| NewTenantConsent {
                    customer_id: r.customer_id.clone(),
                    name: r.name.clone(),
                    tenant_id: r.tenant_id.clone().unwrap_or_default(),
                    client_request_id: crate::ids::guid(self.ids.next_bits()),
                })
                .collect(),
        };
        self.store.start_consent_run(&run, acting.call.now - CONSENT_CLAIM_LASTS).await?;
        self.consent_run(&run.id).await
    }

    /// The consent run `id` as it stands: 404 when there is none (or the desk does not read
    /// Azure).
    pub async fn consent_run(&self, id: &str) -> Result<ConsentRun, DeskError> {
        if self.settings.source != DataSource::Azure {
            return Err(DeskError::not_found(crate::source::NOT_READING_AZURE));
        }
        self.store.consent_run(id).await?.ok_or_else(|| DeskError::not_found(format!("There is no consent run '{id}'.")))
    }

    /// Marks the tenant's consent as being asked now; `false` when the run no longer holds it
    /// (then nothing is to be sent).
    pub async fn consent_sending(&self, call: &Call, run_id: &str, customer_id: &str) -> Result<bool, DeskError> {
        Ok(self.store.consent_sending(run_id, customer_id, call.now).await?)
    }

    /// Records `tenant`'s `outcome`, asked by `call`'s user, with its audit entry: who, where,
    /// and what Partner Center answered with its request IDs. `false` when the run no longer
    /// holds the tenant's claim (nothing is written).
    pub async fn finish_consent(&self, call: &Call, run_id: &str, tenant: &TenantConsent, outcome: &ConsentOutcome) -> Result<bool, DeskError> {
        let answered = match outcome.status {
            Some(status) => format!("Partner Center answered {status}"),
            None => "Partner Center did not answer".to_owned(),
        };
        let what = match outcome.state {
            ConsentState::Consented => format!("consented the desk's API app in tenant {}", tenant.tenant_id),
            ConsentState::AlreadyConsented => format!("the desk's API app was already consented in tenant {}", tenant.tenant_id),
            ConsentState::Renewed => format!(
                "renewed the desk's API app's consent in tenant {} (it did not grant Microsoft Graph: deleted and made again with every grant)",
                tenant.tenant_id
            ),
            _ => format!("consenting the desk's API app in tenant {} failed", tenant.tenant_id),
        };
        let why = match (&outcome.code, &outcome.message) {
            (Some(code), Some(message)) => format!(" ({code}: {message})"),
            (None, Some(message)) => format!(" ({message})"),
            (Some(code), None) => format!(" ({code})"),
            (None, None) => String::new(),
        };
        let ids = if outcome.request.is_empty() { String::new() } else { format!("; {}", outcome.request) };
        let change = format!("{what}: {answered}{why}{ids}; run {run_id}");
        let detail = contract::ChangeDetail::Consent { customer_name: tenant.name.clone(), state: outcome.state, status: outcome.status, code: outcome.code.clone(), message: outcome.message.clone() };
        let entry = audit_entry(
            call,
            AuditAction::ConsentApplication.code(),
            format!("customers/{}/applicationConsents", tenant.customer_id),
            Some(tenant.customer_id.clone()),
            change,
            detail,
        );
        Ok(self.store.finish_consent(run_id, &tenant.customer_id, outcome, call.now, &entry).await?)
    }

    /// Keeps that the desk made (or renewed) the consent in the customer's tenant at `at`, with
    /// Graph's grant: Graph's word on the directory until it is asked (the tenant's next read
    /// asks it). Told when Partner Center answered, before the tenant is read again.
    pub async fn consent_granted(&self, at: chrono::DateTime<chrono::Utc>, customer_id: &str) -> Result<(), DeskError> {
        let granted = DirectoryAccess { state: DirectoryState::Granted, at: crate::source::instant_text(at), error: None };
        Ok(self.store.record_directory(customer_id, &granted).await?)
    }

    /// Whether a consent Partner Center says exists in the customer's tenant (409) is to be
    /// renewed, deleted and made again with every grant: Graph said last that the consent there
    /// does not grant it.
    pub async fn consent_renewal_due(&self, customer_id: &str) -> Result<bool, DeskError> {
        let status = self.store.source_status(customer_id).await?;
        Ok(status.and_then(|s| s.directory).is_some_and(|d| d.state == DirectoryState::NotConsented))
    }

    /// Keeps what Microsoft Graph answered a directory read in the customer's tenant at `at`
    /// (`Ok`), or its refusal, when the refusal says something of the desk's directory reads
    /// there (`desk_service::readiness::directory_state`; throttling and outages say nothing and
    /// are not kept), and replaces what is kept (`directory_word_replaces`; a word older than the
    /// one kept is not written). The readiness table and the next consent run are decided on it.
    pub async fn record_directory_answer(&self, at: chrono::DateTime<chrono::Utc>, customer_id: &str, answer: Result<(), &SourceError>) -> Result<(), DeskError> {
        let access = match answer {
            Ok(()) => DirectoryAccess { state: DirectoryState::Answered, at: crate::source::instant_text(at), error: None },
            Err(error) => match desk_service::readiness::directory_state(&error.code, error.status, &error.message) {
                Some(state) => DirectoryAccess { state, at: crate::source::instant_text(at), error: Some(error.clone()) },
                None => return Ok(()),
            },
        };
        if access.state == DirectoryState::NotAllowed {
            let kept = self.store.source_status(customer_id).await?.and_then(|s| s.directory);
            if !desk_service::readiness::directory_word_replaces(kept.as_ref(), &access) {
                return Ok(());
            }
        }
        Ok(self.store.record_directory(customer_id, &access).await?)
    }
}
