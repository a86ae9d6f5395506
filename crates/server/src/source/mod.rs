//! Azure mode (`--source azure`): the store becomes a cache of the partner's Azure.
//! Partner Center's customers and each customer's reservations (ARM, in the customer's tenant)
//! are read on behalf of a signed-in user (`read.rs`), into the store through
//! `desk::source::SourceStore`; `routes.rs` answers `/api/source/…` (a customer's status, a
//! refresh); `upstream.rs` is the desk's `Upstream` port over ARM (refunds: `calculateRefund`,
//! `return`; exchanges: `calculateExchange`, `exchange`; each followed), `resume.rs` carries on a
//! return or an exchange left in flight by a stop; `changes.rs` makes a configuration change, a
//! split, a merge, an archive through ARM; `refuse.rs` answers the changes the desk does not yet
//! make through Azure (role assignments). The
//! background refresh (`background`) reads again at `--azure-refresh-interval` while the last
//! signed-in user's token lasts: that token is held in memory only, so after a restart the first
//! request of a signed-in user starts a read.

pub mod changes;
mod read;
pub mod refuse;
mod resume;
pub mod routes;
mod upstream;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_client::{AzureClient, OnBehalfOf, SecretString};
use base64::Engine;
use chrono::{DateTime, Utc};
use contract::User;

use crate::state::AppState;

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

/// Azure mode's reader: the client, where the partner's Partner Center is, how many tenants at
/// once, and the user the background refresh acts for.
pub struct AzureSource {
    /// Partner Center, ARM and the token endpoint over HTTP.
    pub client: AzureClient,
    /// `AZURE_PARTNER_TENANT_ID`; unset, the signed-in user's `tid`.
    pub partner_tenant: Option<String>,
    /// How many customer tenants are read at once.
    pub concurrency: usize,
    /// How often the background refresh reads.
    pub interval: Duration,
    /// The signed-in user whose token the background refresh uses (memory only).
    acting: Mutex<Option<Acting>>,
    /// Whether a read was started since the server started.
    started: AtomicBool,
    /// One whole read at a time.
    reading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for AzureSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AzureSource").field("partner_tenant", &self.partner_tenant).field("concurrency", &self.concurrency).finish_non_exhaustive()
    }
}

/// A signed-in user as Azure is asked on their behalf: who, their token (the on-behalf-of
/// assertion), their home tenant and when the token expires.
#[derive(Clone, Debug)]
pub struct Acting {
    /// The user's ID (`oid`) and token.
    pub obo: OnBehalfOf,
    /// The token's `tid`.
    pub tenant: Option<String>,
    /// The token's `exp`.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Acting {
    /// `user` acting with `token` (already verified by the sign-in): `None` for a user without
    /// an ID (a demo user), who has no Azure identity.
    pub fn of(user: &User, token: &str) -> Option<Self> {
        let id = user.id.clone()?;
        let claims: serde_json::Value = token
            .split('.')
            .nth(1)
            .and_then(|payload| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
            .unwrap_or_default();
        Some(Self {
            obo: OnBehalfOf { user: id, assertion: Arc::new(SecretString::from(token.to_owned())) },
            tenant: claims.get("tid").and_then(|t| t.as_str()).map(str::to_owned),
            expires_at: claims.get("exp").and_then(serde_json::Value::as_i64).and_then(|s| DateTime::from_timestamp(s, 0)),
        })
    }

    /// The same user as the desk's port asks Azure on their behalf.
    pub fn on_behalf(&self) -> desk::upstream::OnBehalf {
        use azure_client::ExposeSecret;
        desk::upstream::OnBehalf::new(self.obo.user.clone(), self.obo.assertion.expose_secret())
    }

    fn lasts_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|exp| now < exp)
    }
}

impl AzureSource {
    /// The reader over `client`.
    pub fn new(client: AzureClient, partner_tenant: Option<String>, concurrency: usize, interval: Duration) -> Self {
        Self {
            client,
            partner_tenant,
            concurrency: concurrency.max(1),
            interval,
            acting: Mutex::new(None),
            started: AtomicBool::new(false),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    /// Keeps `acting` for the background refresh when its token lasts longer than the one held;
    /// `true` the first time since start (the caller then starts a read).
    pub fn remember(&self, acting: Acting) -> bool {
        if let Ok(mut held) = self.acting.lock() {
            let later = match (&*held, acting.expires_at) {
                (Some(h), Some(exp)) => h.expires_at.is_none_or(|held_exp| exp > held_exp),
                (None, _) => true,
                (Some(_), None) => false,
            };
            if later {
                *held = Some(acting);
            }
        }
        !self.started.swap(true, Ordering::SeqCst)
    }

    /// The user the background refresh may act for at `now`, if their token still lasts.
    pub fn acting_at(&self, now: DateTime<Utc>) -> Option<Acting> {
        self.acting.lock().ok()?.clone().filter(|a| a.lasts_at(now))
    }
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
