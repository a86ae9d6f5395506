//! The in-browser backend's data, kept in `localStorage` as one JSON document.

use chrono::NaiveDate;
use contract::{AuditEntry, CalculateExchangeRequest, Customer, ExchangeResponse, Reservation, ReturnResponse, RoleAssignment, SupportRequest};
use desk_service::limit::LedgerEntry;
use desk_service::seed::CustomerScope;
use desk_service::utilization::UsageProfile;
use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::PolicyName;
use serde::{Deserialize, Serialize};

use crate::clock;

const KEY: &str = "reservation-desk/demo-data/v1";

/// A calculated refund that can be submitted until `expires_at_ms`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub order_id: String,
    pub reservation_id: String,
    pub policy: PolicyName,
    pub quote: RefundQuoteResponse,
    pub expires_at_ms: f64,
}

/// A calculated exchange that can be submitted until `expires_at_ms`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExchangeSession {
    pub id: String,
    pub request: CalculateExchangeRequest,
    pub quote: ExchangeQuoteResponse,
    pub expires_at_ms: f64,
}

/// Everything the in-browser backend knows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct State {
    pub seeded_on: NaiveDate,
    pub customers: Vec<Customer>,
    pub reservations: Vec<(Reservation, UsageProfile)>,
    pub ledger: Vec<LedgerEntry>,
    #[serde(skip)]
    pub scopes: Vec<CustomerScope>,
    pub sessions: Vec<Session>,
    pub refunds: Vec<ReturnResponse>,
    #[serde(default)]
    pub exchange_sessions: Vec<ExchangeSession>,
    #[serde(default)]
    pub exchanges: Vec<ExchangeResponse>,
    #[serde(default)]
    pub support_requests: Vec<SupportRequest>,
    #[serde(default)]
    pub audit: Vec<AuditEntry>,
    /// `None` in data saved before IAM existed: seeded on load.
    #[serde(default)]
    pub role_assignments: Option<Vec<RoleAssignment>>,
}

impl State {
    /// The demo data set as of today.
    fn seeded() -> Self {
        let today = clock::today();
        let data = desk_service::seed::demo_data(today);
        Self {
            seeded_on: today,
            customers: data.customers,
            reservations: data.reservations.into_iter().map(|r| (r.reservation, r.usage)).collect(),
            ledger: data.ledger,
            scopes: data.scopes,
            sessions: Vec::new(),
            refunds: Vec::new(),
            exchange_sessions: Vec::new(),
            exchanges: Vec::new(),
            support_requests: Vec::new(),
            role_assignments: None,
            audit: Vec::new(),
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The saved state, or the seed when there is none (or it cannot be read).
pub fn load() -> State {
    let saved = storage().and_then(|s| s.get_item(KEY).ok().flatten());
    let mut state = saved.and_then(|json| serde_json::from_str::<State>(&json).ok()).unwrap_or_else(State::seeded);
    if state.role_assignments.is_none() {
        let mut seeded = Vec::new();
        for (r, _) in &state.reservations {
            if seeded.iter().any(|a: &RoleAssignment| a.reservation_order_id == r.reservation_order_id) {
                continue;
            }
            let domain = state.customers.iter().find(|c| c.id == r.customer_id).map(|c| c.domain.clone()).unwrap_or_default();
            seeded.extend(desk_service::access_control::seeded(&r.reservation_order_id, &domain));
        }
        state.role_assignments = Some(seeded);
    }
    if state.scopes.is_empty() {
        state.scopes = state.customers.iter().flat_map(|c| desk_service::seed::customer_scopes(&c.id)).collect();
    }
    state
}

/// Saves the state; a full or blocked storage keeps the change for this page only.
pub fn save(state: &State) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(state)) {
        let _ = storage.set_item(KEY, &json);
    }
}

/// Puts the demo data back as it was seeded today.
pub fn reset() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
