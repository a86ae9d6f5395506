//! Azure mode (`--source azure`): the store becomes a cache of the partner's Azure.
//! Partner Center's customers and each customer's reservations (ARM, in the customer's tenant)
//! are read on behalf of a signed-in user (`read.rs`), into the store through
//! `desk::source::SourceStore`, and the partner's GDAP relationships (Microsoft Graph) through
//! `desk::gdap::GdapStore`; `routes.rs` answers `/api/source/…` (a customer's status, a
//! refresh); `upstream.rs` is the desk's `Upstream` port over ARM (what a customer can buy and
//! its prices: ARM's catalog and `calculatePrice`, kept an hour in `catalog.rs`; refunds: `calculateRefund`,
//! `return`; exchanges: `calculateExchange`, `exchange`; each followed), `resume.rs` carries on a
//! return or an exchange left in flight by a stop; `changes.rs` makes a configuration change, a
//! split, a merge, an archive through ARM; `access.rs` answers Access control from ARM's role
//! assignments on the order (list, add, remove); `savings_plan_list.rs` answers the customer's
//! savings plans from Microsoft.BillingBenefits (`savings_plans.rs` reads them with the book, kept in memory); `invoice.rs`
//! matches a statement to an invoice Microsoft Graph exports; `refuse.rs` answers what a read-only pilot
//! refuses; `consents.rs` carries out a consent run (the desk's API
//! app consented in customers' tenants through Partner Center); `connection.rs` keeps the
//! stored connection for unattended reads (a Global admin's refresh token, sealed), `reads.rs`
//! runs a read of the whole book (one at a time across servers, its progress on the read). The
//! background refresh (`background`) reads at start and again at `--azure-refresh-interval`,
//! with the stored connection when there is one, else while the last signed-in user's token
//! lasts (held in memory only: without a connection, after a restart the first request of a
//! signed-in user starts a read).

pub mod access;
mod azure_answer;
pub mod azure_source;
pub mod catalog;
pub mod changes;
pub mod connection;
pub mod consents;
mod read;
pub mod reads;
pub mod refuse;
mod resume;
pub mod routes;
pub mod invoice;
pub mod savings_plan_list;
pub mod savings_plans;
pub mod support;
pub(crate) mod upstream;

use contract::User;

use crate::state::AppState;

pub use azure_source::{Acting, AzureSource};
pub use read::{read_all, read_one, Progress};
pub use resume::{resume, resume_in_background};
pub use upstream::AzureUpstream;

/// The desk's call for `user` at the state's instant; in Azure mode, acting as `user` with the
/// request's bearer token (what the desk asks Azure with, on their behalf: memory only).
pub fn call_of(state: &AppState, user: User, headers: &axum::http::HeaderMap) -> desk::Call {
    let on_behalf = state.source.as_ref().and_then(|_| {
        let token = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")?.trim();
        Some(desk::upstream::OnBehalf::new(user.id.clone()?, token))
    });
    desk::Call::new(user, state.now()).acting_as(on_behalf)
}

/// Reads Azure now in the background, on behalf of `acting`, unless the stored connection
/// reads (a failure is logged and kept on the customers it concerns).
pub fn read_in_background(state: AppState, acting: Acting) {
    tokio::spawn(async move {
        let who = match reads::stored_connection(&state).await {
            Some(connected) => reads::ReadFor::Connection(connected),
            None => reads::ReadFor::User(acting),
        };
        if let Err(err) = reads::start(&state, who).await {
            tracing::warn!("reading Azure did not start: {err}");
        }
    });
}

/// Reads Azure at start when the desk is connected, then at the source's interval, with the
/// stored connection or while a signed-in user's token lasts.
pub fn background(state: AppState) {
    let Some(source) = state.source.clone() else { return };
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(source.interval);
        let mut first = true;
        loop {
            ticks.tick().await;
            let who = reads::background_reader(&state).await;
            match who {
                // At start only the connection reads: a user's token is not held yet.
                Some(who) => {
                    if let Err(err) = reads::start(&state, who).await {
                        tracing::warn!("reading Azure did not start: {err}");
                    }
                }
                None if first => {}
                None => tracing::info!("the desk is not connected and no signed-in user's token lasts: Azure is read again after the next sign-in"),
            }
            first = false;
        }
    });
}
