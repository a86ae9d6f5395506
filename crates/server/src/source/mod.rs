//! Azure mode (`--source azure`): the store becomes a cache of the partner's Azure.
//! Partner Center's customers and each customer's reservations (ARM, in the customer's tenant)
//! are read on behalf of a signed-in user (`read.rs`), into the store through
//! `desk::source::SourceStore`, and the partner's GDAP relationships (Microsoft Graph) through
//! `desk::gdap::GdapStore`; `routes.rs` answers `/api/source/…` (a customer's status, a
//! refresh); `upstream.rs` is the desk's `Upstream` port over ARM (refunds: `calculateRefund`,
//! `return`; exchanges: `calculateExchange`, `exchange`; each followed), `resume.rs` carries on a
//! return or an exchange left in flight by a stop; `changes.rs` makes a configuration change, a
//! split, a merge, an archive through ARM; `refuse.rs` answers the changes the desk does not yet
//! make through Azure (role assignments); `consents.rs` carries out a consent run (the desk's API
//! app consented in customers' tenants through Partner Center). The
//! background refresh (`background`) reads again at `--azure-refresh-interval` while the last
//! signed-in user's token lasts: that token is held in memory only, so after a restart the first
//! request of a signed-in user starts a read.

pub mod azure_source;
pub mod changes;
pub mod consents;
mod read;
pub mod refuse;
mod resume;
pub mod routes;
pub(crate) mod upstream;

use contract::User;

use crate::state::AppState;

pub use azure_source::{Acting, AzureSource};
pub use read::{read_all, read_one};
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

/// Reads Azure now in the background, on behalf of `acting` (a failure is logged and kept on
/// the customers it concerns).
pub fn read_in_background(state: AppState, acting: Acting) {
    tokio::spawn(async move {
        match read_all(&state, &acting).await {
            Ok(summary) => tracing::info!(read = summary.read, failed = summary.failed, "read from Azure"),
            Err(err) => tracing::warn!(code = %err.code, "reading Azure failed: {}", err.message),
        }
    });
}

/// Reads Azure at the source's interval while a signed-in user's token lasts.
pub fn background(state: AppState) {
    let Some(source) = state.source.clone() else { return };
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(source.interval);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            match source.acting_at(state.now()) {
                Some(acting) => match read_all(&state, &acting).await {
                    Ok(summary) => tracing::info!(read = summary.read, failed = summary.failed, "read from Azure"),
                    Err(err) => tracing::warn!(code = %err.code, "reading Azure failed: {}", err.message),
                },
                None => tracing::info!("no signed-in user's token lasts: Azure is read again after the next sign-in"),
            }
        }
    });
}
