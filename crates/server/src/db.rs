//! The server's database, either store: what opening one can fail with. Which store a URL names
//! is `ServerStore::open`'s choice (`server_store.rs`); `open` and `open_seeded` here are
//! SQLite's (`sqlite/open.rs`), which the `backup` command and the tests call directly.

pub use crate::sqlite::open::{open, open_seeded, open_seeding, open_with};

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
}
