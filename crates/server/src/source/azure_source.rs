//! Azure mode's reader as the state holds it ([`AzureSource`]), and the signed-in user it acts
//! for ([`Acting`]). What reads and writes through it takes the state; this does not.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_client::{AzureClient, AzureError, OnBehalfOf, SecretString};
use base64::Engine;
use chrono::{DateTime, Utc};
use contract::{CustomerSavingsPlan, User};

/// The pace of Partner Center's application consents, shared by every consent run of a server.
pub type ConsentPace = governor::DefaultDirectRateLimiter;

/// One consent every 25 ms, 40 a second: under Partner Center's documented limit of 50 requests
/// a second per application, with room for another caller of the same app.
fn consent_quota() -> governor::Quota {
    governor::Quota::with_period(Duration::from_millis(25)).unwrap_or_else(|| governor::Quota::per_second(std::num::NonZeroU32::MIN))
}

/// Azure mode's reader: the client (with its bounds on requests in flight), where the
/// partner's Partner Center is, the keys of the stored connection, and the user the background
/// refresh acts for when the desk is not connected.
pub struct AzureSource {
    /// Partner Center, ARM and the token endpoint over HTTP.
    pub client: AzureClient,
    /// `AZURE_PARTNER_TENANT_ID`; unset, the signed-in user's `tid`.
    pub partner_tenant: Option<String>,
    /// How often the background refresh reads.
    pub interval: Duration,
    /// The keys that seal the stored connection (`DESK_SECRET_KEY_FILE`); `None`: the desk
    /// cannot be connected.
    pub keys: Option<Arc<super::connection::SecretKeys>>,
    /// The stored connection as last opened (it holds the latest rotated refresh token).
    pub(super) connected: Mutex<Option<super::connection::Connected>>,
    /// The signed-in user whose token the background refresh uses (memory only).
    acting: Mutex<Option<Acting>>,
    /// Whether a read was started since the server started.
    started: AtomicBool,
    /// The pace of Partner Center's application consents, shared by every run of this server.
    pub(super) consent_pace: ConsentPace,
    /// Catalogs and prices Azure gave, kept a while: the desk's purchases and exchanges ask them,
    /// and a read prices what it found with them (today's price).
    pub kept: Arc<super::catalog::Kept>,
    /// Each customer's savings plans as the last read found them (`savings_plans.rs`).
    pub plans: HeldPlans,
}

impl std::fmt::Debug for AzureSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AzureSource").field("partner_tenant", &self.partner_tenant).field("limits", &self.client.limits()).finish_non_exhaustive()
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
    /// The user's name, as the console shows who a read was for.
    pub name: String,
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
            name: if user.display_name.is_empty() { user.user_principal_name.clone() } else { user.display_name.clone() },
        })
    }

    /// The same user as the desk's port asks Azure on their behalf.
    pub fn on_behalf(&self) -> desk::upstream::OnBehalf {
        use azure_client::ExposeSecret;
        desk::upstream::OnBehalf::new(self.obo.user.clone(), self.obo.assertion.expose_secret())
    }

    pub(super) fn lasts_at(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|exp| now < exp)
    }
}

impl AzureSource {
    /// The reader over `client`.
    pub fn new(client: AzureClient, partner_tenant: Option<String>, interval: Duration) -> Self {
        Self {
            client,
            partner_tenant,
            interval,
            keys: None,
            connected: Mutex::new(None),
            acting: Mutex::new(None),
            started: AtomicBool::new(false),
            consent_pace: governor::RateLimiter::direct(consent_quota()),
            kept: Arc::default(),
            plans: Default::default(),
        }
    }

    /// The same reader, sealing the stored connection with `keys`.
    pub fn with_keys(mut self, keys: Option<super::connection::SecretKeys>) -> Self {
        self.keys = keys.map(Arc::new);
        self
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
    pub(super) fn get(&self, customer_id: &str) -> Option<PlansRead> {
        self.0.lock().ok()?.get(customer_id).cloned()
    }

    pub(super) fn keep(&self, customer_id: &str, read: PlansRead) {
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

