//! The server's database, either store: what opening one can fail with. Which store a URL names
//! is `ServerStore::open`'s choice (`server_store.rs`); `open` and `open_seeded` here are
//! SQLite's (`sqlite/open.rs`), which the `backup` command and the tests call directly.

pub use crate::sqlite::open::{open, open_as, open_seeded, open_seeding, open_with};

/// Why the database could not be opened; each ends the process with this message.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL is malformed or the database refused the connection or the file.
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed; the database is left at the last good version.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database folder could not be created.
    #[error("creating the database folder: {0}")]
    Io(#[from] std::io::Error),
    /// The database holds the other mode's data (`crate::opening`): what to do instead.
    #[error("database: {0}")]
    Refused(String),
}

/// What a new database is seeded with on first start: the demo data placed relative to `day`,
/// and the demo's grants only where the demo users are on (the limited demo user's group is
/// the demo's; in a deployment signing in through an identity provider, grants would govern its
/// real users' groups and show them no customer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seed {
    /// The day the demo's dates are placed around.
    pub day: chrono::NaiveDate,
    /// Whether the demo's grants are seeded too.
    pub demo_grants: bool,
}

impl Seed {
    /// The whole demo, its grants included (the demo users are on).
    pub fn demo(day: chrono::NaiveDate) -> Self {
        Self { day, demo_grants: true }
    }

    /// The rows to insert.
    pub fn data(self) -> desk_service::seed::DemoData {
        let mut data = desk_service::seed::demo_data(self.day);
        if !self.demo_grants {
            data.grants.clear();
        }
        data
    }
}
