//! What every handler shares: the database, the clock, and the lock that serializes money.

use std::sync::Arc;

use axum::extract::FromRef;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use tokio::sync::Mutex;

use crate::config::DemoUsers;

/// Where handlers read "now" from; tests fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Shared state of the API.
#[derive(Clone)]
pub struct AppState {
    /// The SQLite pool.
    pub db: SqlitePool,
    /// The clock: only handlers read it, and pass dates down to the engine and service.
    pub clock: Clock,
    /// Held while a return or exchange checks and moves money, so two submissions for one
    /// customer cannot both pass the limit check (one server process owns the database file).
    pub money: Arc<Mutex<()>>,
    /// Whether the fixed demo tokens sign in, and whether responses say it is a demo
    /// (`main` decides from the listening address; tests get [`DemoUsers::OnLoopback`]).
    pub demo_users: DemoUsers,
}

impl AppState {
    /// State with the system clock.
    pub fn new(db: SqlitePool) -> Self {
        Self::with_clock(db, Arc::new(Utc::now))
    }

    /// State with a given clock.
    pub fn with_clock(db: SqlitePool, clock: Clock) -> Self {
        Self { db, clock, money: Arc::new(Mutex::new(())), demo_users: DemoUsers::OnLoopback }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Today's UTC calendar date.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

impl FromRef<AppState> for SqlitePool {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}
