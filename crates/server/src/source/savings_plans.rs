//! The customer's Savings plans in Azure mode: the plans the customer holds in Azure
//! (Microsoft.BillingBenefits 2022-11-01, `azure_client::AzureClient::savings_plans`), never the
//! desk's own records nor the demo's. Each customer's plans are read with the book (`read.rs`,
//! after its reservations, within the same bounds on requests in flight) and kept in memory
//! ([`HeldPlans`]): the list (`ListSavingsPlans`) answers what the last read found, or reads the
//! customer's tenant now on behalf of the signed-in user when no read kept any (after a start).
//! A plan Azure listed that cannot be read is left out, its reason logged and counted; the others
//! are listed. When Azure could not be read, the list answers Azure's error (its code, message
//! and request IDs: `upstreamForbidden`, `upstreamRefused` or `upstreamUnavailable`).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use azure_client::{AzureError, Reader};
use chrono::{DateTime, Utc};
use contract::{CustomerSavingsPlan, DataSource, Problem, ProblemCode, User};
use desk::{Call, DeskError, Operation};

use super::AzureSource;
use crate::error::ApiError;
use crate::state::AppState;

/// One customer's plans as the last read of its tenant found them.
#[derive(Clone, Debug)]
pub struct PlansRead {
    /// When.
    pub at: DateTime<Utc>,
    /// The plans read (newest first), and how many Azure listed that could not be read; or why
    /// the tenant's plans could not be read.
    pub read: Result<(Vec<CustomerSavingsPlan>, usize), AzureError>,
}

/// Each customer's savings plans as last read (memory only: a start reads them again).
#[derive(Debug, Default)]
pub struct HeldPlans(Mutex<HashMap<String, PlansRead>>);

impl HeldPlans {
    fn get(&self, customer_id: &str) -> Option<PlansRead> {
        self.0.lock().ok()?.get(customer_id).cloned()
    }

    fn keep(&self, customer_id: &str, read: PlansRead) {
        if let Ok(mut held) = self.0.lock() {
            held.insert(customer_id.to_owned(), read);
        }
    }

    /// Forgets what was read of `customer_id`'s plans: a trade-in bought one, so the next list
    /// reads Azure again (on behalf of its caller) and shows it under Azure's IDs.
    pub fn forget(&self, customer_id: &str) {
        if let Ok(mut held) = self.0.lock() {
            held.remove(customer_id);
        }
    }
}

/// The customers whose savings plans a desk answer (an exchange's, or an approval's that carried
/// one out) says were bought.
pub fn bought_for(body: &str) -> Vec<String> {
    let Ok(answer) = serde_json::from_str::<serde_json::Value>(body) else { return Vec::new() };
    let plans = answer.get("savingsPlans").or_else(|| answer.pointer("/outcome/savingsPlans"));
    let mut customers: Vec<String> =
        plans.and_then(|p| p.as_array()).into_iter().flatten().filter_map(|p| p.get("customerId").and_then(|c| c.as_str()).map(str::to_owned)).collect();
    customers.dedup();
    customers
}

/// Whether `op` under `source` is answered from Azure by [`serve`].
pub fn through_arm(source: DataSource, op: Operation) -> bool {
    source == DataSource::Azure && op == Operation::ListSavingsPlans
}

/// Reads `customer_id`'s plans in `tenant` as `reader`, and keeps what was read (or why not).
pub async fn read(source: &AzureSource, reader: &Reader, customer_id: &str, tenant: &str, now: DateTime<Utc>) -> PlansRead {
    let read = match source.client.savings_plans(reader, tenant).await {
        Ok(listed) => {
            let mut plans = Vec::new();
            let mut unread = 0;
            for item in listed {
                match item.and_then(|held| {
                    let mut plan = held.read.to_plan(customer_id)?;
                    if let Some(facts) = plan.azure.as_mut() {
                        facts.renewal_unknown = held.renewal_unknown;
                    }
                    Ok(plan)
                }) {
                    Ok(plan) => plans.push(plan),
                    Err(why) => {
                        unread += 1;
                        tracing::warn!(customer = %customer_id, plan = %why.id, code = %why.code, "a savings plan Azure listed could not be read and is left out: {}", why.message);
                    }
                }
            }
            plans.sort_by(|a, b| b.start_date.cmp(&a.start_date).then_with(|| a.id.cmp(&b.id)));
            Ok((plans, unread))
        }
        Err(err) => {
            tracing::info!(customer = %customer_id, code = %err.code, request = %err.request, "reading the customer's savings plans failed: {}", err.message);
            Err(err)
        }
    };
    let read = PlansRead { at: now, read };
    source.plans.keep(customer_id, read.clone());
    read
}

fn refused(code: ProblemCode, detail: String) -> ApiError {
    ApiError(DeskError::Refused(Problem::new(code, detail, None)))
}

/// Answers `ListSavingsPlans` in Azure mode: the desk's permission and grant check, then the
/// plans kept from the last read of the customer's tenant, or read now on behalf of `user`.
pub async fn serve(state: &AppState, user: User, headers: &HeaderMap, params: &[String]) -> Result<Response, ApiError> {
    let call = Call::new(user.clone(), state.now());
    state.desk.authorize(&call, Operation::ListSavingsPlans, params, None).await?;
    let customer_id = params.first().cloned().unwrap_or_default();
    let Some(source) = state.source.clone() else { return Err(refused(ProblemCode::NotFound, desk::source::NOT_READING_AZURE.into())) };
    let tenant = match desk::source::SourceStore::source_status(state.desk.store(), &customer_id).await.map_err(DeskError::from)? {
        Some(status) => status.tenant_id,
        None => return Err(refused(ProblemCode::NotFound, format!("Customer {customer_id} was not read from Azure."))),
    };
    let held = match source.plans.get(&customer_id) {
        Some(held) => held,
        None => {
            let acting = super::routes::acting(&user, headers)?;
            read(&source, &Reader::User(acting.obo), &customer_id, &tenant, state.now()).await
        }
    };
    match held.read {
        Ok((plans, _)) => {
            let text = serde_json::to_string(&plans).map_err(|e| refused(ProblemCode::Internal, e.to_string()))?;
            Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text).into_response())
        }
        Err(error) => Err(ApiError(super::azure_answer::error(error).problem("did not list the customer's savings plans"))),
    }
}
