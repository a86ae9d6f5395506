//! What every request shares: the desk over its store (SQLite or PostgreSQL), the clock, and whether demo users sign in.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use desk::Desk;

use crate::settings::{DemoUsers, Limits};
use crate::server_store::ServerStore;

pub use crate::settings::Clock;

/// New IDs from v4 UUIDs (the operating system's randomness).
#[derive(Clone, Copy, Debug, Default)]
pub struct UuidIds;

impl desk::Ids for UuidIds {
    fn next_bits(&self) -> u128 {
        uuid::Uuid::new_v4().as_u128()
    }
}

/// The desk as the server runs it, over SQLite or PostgreSQL.
pub type ServerDesk = Desk<ServerStore, UuidIds>;

/// Shared state of the API.
#[derive(Clone)]
pub struct AppState {
    /// The application layer over the server's store (SQLite or PostgreSQL).
    pub desk: Arc<ServerDesk>,
    /// The clock: only the adapter reads it, and passes `now` down in each [`desk::Call`].
    pub clock: Clock,
    /// Whether the fixed demo tokens sign in, and whether responses say it is a demo
    /// (`main` decides from the listening address and whether an issuer is configured; tests get
    /// [`DemoUsers::OnLoopback`]).
    pub demo_users: DemoUsers,
    /// How large and how slow a request may be (`edge.rs`).
    pub limits: Limits,
    /// The OpenID Connect issuer whose access tokens sign in (`oidc.rs`), when configured.
    pub oidc: Option<Arc<crate::oidc::Oidc>>,
    /// The reservation lists answered, per customer, by the version they were read at
    /// (`list_cache.rs`).
    pub lists: Arc<crate::list_cache::ListCache>,
    /// Azure mode's reader (`--source azure`); `None` in local mode.
    pub source: Option<Arc<crate::source::azure_source::AzureSource>>,
}

impl AppState {
    /// State with the system clock, over a SQLite pool or any [`ServerStore`].
    pub fn new(db: impl Into<ServerStore>) -> Self {
        Self::with_clock(db, Arc::new(Utc::now))
    }

    /// State with a given clock.
    pub fn with_clock(db: impl Into<ServerStore>, clock: Clock) -> Self {
        Self::with_settings(db, clock, contract::Settings::default())
    }

    /// State with a given clock, for a deployment set up as `settings` say (its refund policy).
    pub fn with_settings(db: impl Into<ServerStore>, clock: Clock, settings: contract::Settings) -> Self {
        Self::with_desk(Desk::new(db.into(), UuidIds, settings), clock)
    }

    /// State over a desk built by the caller (e.g. with its alert thresholds).
    pub fn with_desk(desk: ServerDesk, clock: Clock) -> Self {
        Self { desk: Arc::new(desk), clock, demo_users: DemoUsers::OnLoopback, limits: Limits::default(), oidc: None, lists: Arc::default(), source: None }
    }

    /// Azure mode: reads through `source`, and the desk asks Azure (through the same client)
    /// before it records a money move. Call before the state is shared (the desk is set once).
    pub fn set_source(&mut self, source: Arc<crate::source::azure_source::AzureSource>) {
        let upstream = Arc::new(crate::source::upstream::AzureUpstream::new(source.client.clone(), source.partner_tenant.clone(), self.clock.clone(), source.kept.clone()));
        match Arc::get_mut(&mut self.desk) {
            Some(desk) => desk.set_upstream(upstream),
            None => tracing::error!("the desk was shared before Azure mode was set: money moves cannot reach Azure"),
        }
        self.source = Some(source);
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}
