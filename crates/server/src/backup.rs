//! `reservation-desk-server backup PATH`: a consistent copy of a live SQLite database.
//!
//! `VACUUM INTO` reads the database in one read transaction, so the copy is the database as of
//! one instant even while a server writes to it (WAL: writers go on meanwhile), and it is a
//! complete, compacted database file of its own (no `-wal` beside it). Restore: stop the server,
//! move the copy to the database's path (removing the old file's `-wal` and `-shm`), start it.

use std::path::Path;

use sqlx::SqlitePool;

/// Why no backup was written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Refused to overwrite a file.
    #[error("{0} exists already; choose a new file (a backup never overwrites one)")]
    Exists(String),
    /// SQLite could not write the copy.
    #[error("writing the backup: {0}")]
    Sqlx(#[from] sqlx::Error),
}

/// Writes a consistent copy of the database behind `pool` to `path`, a new file.
pub async fn write(pool: &SqlitePool, path: &Path) -> Result<(), BackupError> {
    if path.exists() {
        return Err(BackupError::Exists(path.display().to_string()));
    }
    sqlx::query("VACUUM INTO ?").bind(path.to_string_lossy().as_ref()).execute(pool).await?;
    Ok(())
}
