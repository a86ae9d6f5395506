//! Azure mode's reads of the whole book and its connection for unattended reads, as the server
//! keeps them ([`ReadStore`], the port `source/` writes through), for both SQL stores once:
//! [`reads_store!`] expands inside `sqlite/` and `postgres/` (migration 0025 / PostgreSQL 0020).
//!
//! One read at a time across every server on the database: a reading row holds the one
//! `reading_slot` and a lease the reader renews with its progress; a lease that ran out (its
//! server stopped) is marked abandoned before the next read starts. The connection is one row;
//! its refresh token is stored sealed (`source::connection` seals it), never in clear. No rule
//! lives here.

use chrono::{DateTime, Utc};
use contract::source::{SourceError, SourceRead};
use desk::store::StoreResult;

/// A read to start: its ID, who it reads for, when, and until when its lease holds.
#[derive(Clone, Debug)]
pub struct NewRead {
    pub id: String,
    pub unattended: bool,
    pub started_by: String,
    pub at: DateTime<Utc>,
    pub lease_until: DateTime<Utc>,
}

/// The connection as stored: who connected when, the sealed refresh token and the key that
/// sealed it, and whether Entra refused it since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredConnection {
    pub user_id: String,
    /// The partner's tenant (where Partner Center is read).
    pub tenant_id: String,
    pub user_name: String,
    pub connected_at: DateTime<Utc>,
    /// Which key sealed it (`source::connection::KeyId`).
    pub key_id: String,
    /// The sealed refresh token (base64 of nonce and ciphertext).
    pub sealed: String,
    /// `Some` once Entra refused the grant: why, and when.
    pub lost: Option<SourceError>,
}

/// What the server keeps of its reads of the book and of its connection.
#[allow(async_fn_in_trait)]
pub trait ReadStore {
    /// Starts `read` when no other read holds the slot (a reading row whose lease ran out by
    /// `read.at` is abandoned first): `Ok(None)`; otherwise the read that holds it.
    async fn begin_read(&self, read: &NewRead) -> StoreResult<Option<SourceRead>>;
    /// Records the read's progress and renews its lease; `false` when it no longer holds the
    /// slot (abandoned by another server: stop).
    async fn read_progress(&self, id: &str, total: Option<u32>, read: u32, failed: u32, lease_until: DateTime<Utc>) -> StoreResult<bool>;
    /// Ends the read (`Done` or `Failed` with why), freeing the slot.
    async fn finish_read(&self, id: &str, state: contract::source::SourceReadState, error: Option<&SourceError>, at: DateTime<Utc>) -> StoreResult<()>;
    /// The read `id`.
    async fn source_read(&self, id: &str) -> StoreResult<Option<SourceRead>>;
    /// The newest read, `unattended` ones only when asked.
    async fn latest_read(&self, unattended_only: bool) -> StoreResult<Option<SourceRead>>;
    /// The connection, if a Global admin connected the desk.
    async fn connection(&self) -> StoreResult<Option<StoredConnection>>;
    /// Stores `connection` (replacing the one stored: a Global admin connected again).
    async fn save_connection(&self, connection: &StoredConnection) -> StoreResult<()>;
    /// Replaces the sealed refresh token (Entra rotated it, or it was sealed again under the
    /// new key), if the connection is still the one `connected_at` names.
    async fn reseal_connection(&self, connected_at: DateTime<Utc>, key_id: &str, sealed: &str) -> StoreResult<()>;
    /// Marks the connection that `connected_at` names lost, with `error`; `true` the first time.
    async fn connection_lost(&self, connected_at: DateTime<Utc>, error: &SourceError, at: DateTime<Utc>) -> StoreResult<bool>;
    /// The lost connection whose alert no sender claimed yet, claimed now (its alert is sent
    /// once, whichever server sends it).
    async fn claim_connection_alert(&self) -> StoreResult<Option<StoredConnection>>;
    /// Claims the alert that read `id` could not read the book: `true` for the one sender.
    async fn claim_read_alert(&self, id: &str) -> StoreResult<bool>;
    /// Forgets the connection (disconnected).
    async fn delete_connection(&self) -> StoreResult<()>;
}

/// [`ReadStore`] for `$store` (see the module's doc).
macro_rules! reads_store {
    ($d:ident, $store:ty, $db:ty) => {
        const READ_ROWS: &str = "SELECT id, state, unattended, started_by, started_at, total, read_count, failed_count, finished_at, error FROM azure_reads";

        type ReadRow = (String, String, bool, String, i64, Option<i32>, i32, i32, Option<i64>, Option<String>);

        fn read_of(row: ReadRow) -> desk::store::StoreResult<contract::source::SourceRead> {
            use contract::source::SourceReadState as S;
            let (id, state, unattended, started_by, started_at, total, read, failed, finished_at, error) = row;
            let text = |s: i64| desk::source::instant_text($crate::rows::instant(s));
            let state = match state.as_str() {
                "reading" => S::Reading,
                "done" => S::Done,
                "failed" => S::Failed,
                "abandoned" => S::Abandoned,
                other => return Err(desk::StoreError(format!("a read's state {other:?}"))),
            };
            Ok(contract::source::SourceRead {
                id,
                state,
                unattended,
                started_by,
                started_at: text(started_at),
                total: total.and_then(|t| u32::try_from(t).ok()),
                read: u32::try_from(read).unwrap_or(0),
                failed: u32::try_from(failed).unwrap_or(0),
                finished_at: finished_at.map(text),
                error: error.map(|e| $crate::rows::decode("error", &e)).transpose()?,
            })
        }

        fn state_name(state: contract::source::SourceReadState) -> &'static str {
            use contract::source::SourceReadState as S;
            match state {
                S::Reading => "reading",
                S::Done => "done",
                S::Failed => "failed",
                S::Abandoned => "abandoned",
            }
        }

        type ConnectionRow = (String, String, String, i64, String, String, String, Option<String>);
        const CONNECTION_ROW: &str = "SELECT user_id, tenant_id, user_name, connected_at, key_id, sealed, state, error FROM azure_connection WHERE id = 1";

        fn connection_of(row: ConnectionRow) -> desk::store::StoreResult<$crate::reads_store::StoredConnection> {
            let (user_id, tenant_id, user_name, connected_at, key_id, sealed, state, error) = row;
            let lost = match (state.as_str(), error) {
                ("lost", Some(e)) => Some($crate::rows::decode("error", &e)?),
                _ => None,
            };
            Ok($crate::reads_store::StoredConnection { user_id, tenant_id, user_name, connected_at: $crate::rows::instant(connected_at), key_id, sealed, lost })
        }

        impl $crate::reads_store::ReadStore for $store {
            async fn begin_read(&self, read: &$crate::reads_store::NewRead) -> desk::store::StoreResult<Option<contract::source::SourceRead>> {
                let at = read.at.timestamp();
                let mut tx = pick!($d, self.begin_immediate().await, self.pool().begin().await.map_err(db))?;
                let abandoned = serde_json::to_string(&contract::source::SourceError {
                    code: "Abandoned".into(),
                    message: "The server carrying this read stopped before it ended; a later read reads again.".into(),
                    status: None,
                    at: desk::source::instant_text(read.at),
                    request: Default::default(),
                })
                .map_err(|e| desk::StoreError(e.to_string()))?;
                sqlx::query("UPDATE azure_reads SET state = 'abandoned', reading_slot = NULL, finished_at = $1, error = $2 WHERE reading_slot = 1 AND lease_until < $1")
                    .bind(at)
                    .bind(abandoned)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                let inserted = sqlx::query(
                    "INSERT INTO azure_reads (id, state, reading_slot, unattended, started_by, started_at, lease_until) \
                     VALUES ($1, 'reading', 1, $2, $3, $4, $5) ON CONFLICT (reading_slot) DO NOTHING",
                )
                .bind(&read.id)
                .bind(read.unattended)
                .bind(&read.started_by)
                .bind(at)
                .bind(read.lease_until.timestamp())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                let holder = if inserted == 1 {
                    None
                } else {
                    let row: Option<ReadRow> = sqlx::query_as(&format!("{READ_ROWS} WHERE reading_slot = 1")).fetch_optional(&mut *tx).await.map_err(db)?;
                    row.map(read_of).transpose()?
                };
                tx.commit().await.map_err(db)?;
                Ok(holder)
            }

            async fn read_progress(&self, id: &str, total: Option<u32>, read: u32, failed: u32, lease_until: chrono::DateTime<chrono::Utc>) -> desk::store::StoreResult<bool> {
                let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
                let updated = sqlx::query(
                    "UPDATE azure_reads SET total = $2, read_count = $3, failed_count = $4, lease_until = $5 WHERE id = $1 AND reading_slot = 1",
                )
                .bind(id)
                .bind(total.map(n))
                .bind(n(read))
                .bind(n(failed))
                .bind(lease_until.timestamp())
                .execute(self.pool())
                .await
                .map_err(db)?
                .rows_affected();
                Ok(updated == 1)
            }

            async fn finish_read(
                &self, id: &str, state: contract::source::SourceReadState, error: Option<&contract::source::SourceError>, at: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<()> {
                let error = error.map(serde_json::to_string).transpose().map_err(|e| desk::StoreError(e.to_string()))?;
                sqlx::query("UPDATE azure_reads SET state = $2, reading_slot = NULL, finished_at = $3, error = $4 WHERE id = $1 AND reading_slot = 1")
                    .bind(id)
                    .bind(state_name(state))
                    .bind(at.timestamp())
                    .bind(error)
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn source_read(&self, id: &str) -> desk::store::StoreResult<Option<contract::source::SourceRead>> {
                let row: Option<ReadRow> = sqlx::query_as(&format!("{READ_ROWS} WHERE id = $1")).bind(id).fetch_optional(self.pool()).await.map_err(db)?;
                row.map(read_of).transpose()
            }

            async fn latest_read(&self, unattended_only: bool) -> desk::store::StoreResult<Option<contract::source::SourceRead>> {
                let filter = if unattended_only { "WHERE unattended = TRUE" } else { "" };
                let row: Option<ReadRow> =
                    sqlx::query_as(&format!("{READ_ROWS} {filter} ORDER BY {} DESC LIMIT 1", pick!($d, "rowid", "seq"))).fetch_optional(self.pool()).await.map_err(db)?;
                row.map(read_of).transpose()
            }

            async fn connection(&self) -> desk::store::StoreResult<Option<$crate::reads_store::StoredConnection>> {
                let row: Option<ConnectionRow> = sqlx::query_as(CONNECTION_ROW).fetch_optional(self.pool()).await.map_err(db)?;
                row.map(connection_of).transpose()
            }

            async fn save_connection(&self, c: &$crate::reads_store::StoredConnection) -> desk::store::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO azure_connection (id, user_id, user_name, connected_at, key_id, sealed, state, tenant_id) VALUES (1, $1, $2, $3, $4, $5, 'connected', $6) \
                     ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name, connected_at = excluded.connected_at, \
                     tenant_id = excluded.tenant_id, \
                     key_id = excluded.key_id, sealed = excluded.sealed, state = 'connected', error = NULL, lost_at = NULL, lost_alerted = FALSE",
                )
                .bind(&c.user_id)
                .bind(&c.user_name)
                .bind(c.connected_at.timestamp())
                .bind(&c.key_id)
                .bind(&c.sealed)
                .bind(&c.tenant_id)
                .execute(self.pool())
                .await
                .map_err(db)?;
                Ok(())
            }

            async fn reseal_connection(&self, connected_at: chrono::DateTime<chrono::Utc>, key_id: &str, sealed: &str) -> desk::store::StoreResult<()> {
                sqlx::query("UPDATE azure_connection SET key_id = $2, sealed = $3 WHERE id = 1 AND connected_at = $1 AND state = 'connected'")
                    .bind(connected_at.timestamp())
                    .bind(key_id)
                    .bind(sealed)
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn connection_lost(
                &self, connected_at: chrono::DateTime<chrono::Utc>, error: &contract::source::SourceError, at: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<bool> {
                let json = serde_json::to_string(error).map_err(|e| desk::StoreError(e.to_string()))?;
                let first = sqlx::query(
                    "UPDATE azure_connection SET state = 'lost', error = $2, lost_at = $3 WHERE id = 1 AND connected_at = $1 AND state = 'connected'",
                )
                .bind(connected_at.timestamp())
                .bind(json)
                .bind(at.timestamp())
                .execute(self.pool())
                .await
                .map_err(db)?
                .rows_affected();
                Ok(first == 1)
            }

            async fn claim_connection_alert(&self) -> desk::store::StoreResult<Option<$crate::reads_store::StoredConnection>> {
                let claimed = sqlx::query("UPDATE azure_connection SET lost_alerted = TRUE WHERE id = 1 AND state = 'lost' AND lost_alerted = FALSE")
                    .execute(self.pool())
                    .await
                    .map_err(db)?
                    .rows_affected();
                if claimed == 0 {
                    return Ok(None);
                }
                let row: Option<ConnectionRow> = sqlx::query_as(CONNECTION_ROW).fetch_optional(self.pool()).await.map_err(db)?;
                row.map(connection_of).transpose()
            }

            async fn claim_read_alert(&self, id: &str) -> desk::store::StoreResult<bool> {
                let claimed = sqlx::query("UPDATE azure_reads SET alerted = TRUE WHERE id = $1 AND alerted = FALSE")
                    .bind(id)
                    .execute(self.pool())
                    .await
                    .map_err(db)?
                    .rows_affected();
                Ok(claimed == 1)
            }

            async fn delete_connection(&self) -> desk::store::StoreResult<()> {
                sqlx::query("DELETE FROM azure_connection WHERE id = 1").execute(self.pool()).await.map_err(db)?;
                Ok(())
            }
        }
    };
}
pub(crate) use reads_store;

/// The checks every store of the server passes (`contract_sqlite.rs`, `contract_postgres.rs`).
pub mod check {
    use chrono::{DateTime, TimeDelta, Utc};
    use contract::source::{SourceError, SourceReadState};

    use super::{NewRead, ReadStore, StoredConnection};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn read(id: &str, t: DateTime<Utc>) -> NewRead {
        NewRead { id: id.into(), unattended: id.starts_with("unattended"), started_by: "Gina Global".into(), at: t, lease_until: t + TimeDelta::minutes(2) }
    }

    /// One read holds the slot at a time; its progress renews its lease; a lease run out is
    /// abandoned by the next read; the newest read is the last started; the connection is
    /// stored, resealed, lost once and its alert claimed once.
    pub async fn one_read_at_a_time_and_the_connection_once<S: ReadStore>(store: &S) {
        let t0 = at("2026-11-26T10:00:00Z");
        assert_eq!(store.begin_read(&read("first", t0)).await.unwrap(), None);
        let holder = store.begin_read(&read("second", t0)).await.unwrap().expect("the first holds the slot");
        assert_eq!((holder.id.as_str(), holder.state), ("first", SourceReadState::Reading));
        assert!(store.read_progress("first", Some(500), 312, 3, t0 + TimeDelta::minutes(3)).await.unwrap());
        let first = store.source_read("first").await.unwrap().unwrap();
        assert_eq!((first.total, first.read, first.failed), (Some(500), 312, 3));
        // Its server stops: at four minutes its renewed lease (three) has run out.
        let t4 = t0 + TimeDelta::minutes(4);
        assert_eq!(store.begin_read(&read("unattended-third", t4)).await.unwrap(), None);
        let first = store.source_read("first").await.unwrap().unwrap();
        assert_eq!((first.state, first.error.map(|e| e.code)), (SourceReadState::Abandoned, Some("Abandoned".to_owned())));
        assert!(!store.read_progress("first", Some(500), 400, 3, t4 + TimeDelta::minutes(2)).await.unwrap(), "the slot is no longer its");
        let error = SourceError { code: "invalid_grant".into(), message: "AADSTS50173".into(), status: Some(400), at: "2026-11-26T10:04:30Z".into(), request: Default::default() };
        store.finish_read("unattended-third", SourceReadState::Failed, Some(&error), t4).await.unwrap();
        let newest = store.latest_read(false).await.unwrap().unwrap();
        assert_eq!((newest.id.as_str(), newest.state, newest.unattended), ("unattended-third", SourceReadState::Failed, true));
        assert_eq!(newest.error.as_ref().map(|e| e.code.as_str()), Some("invalid_grant"));
        assert!(store.claim_read_alert("unattended-third").await.unwrap() && !store.claim_read_alert("unattended-third").await.unwrap());
        // A new read may start once the slot is free.
        assert_eq!(store.begin_read(&read("fourth", t4)).await.unwrap(), None);

        assert_eq!(store.connection().await.unwrap(), None);
        let c = StoredConnection {
            user_id: "oid-gina".into(),
            tenant_id: "partner-tenant".into(),
            user_name: "Gina Global".into(),
            connected_at: t0,
            key_id: "k1".into(),
            sealed: "c2VhbGVk".into(),
            lost: None,
        };
        store.save_connection(&c).await.unwrap();
        store.reseal_connection(t0, "k2", "cmVzZWFsZWQ=").await.unwrap();
        let kept = store.connection().await.unwrap().unwrap();
        assert_eq!((kept.key_id.as_str(), kept.sealed.as_str()), ("k2", "cmVzZWFsZWQ="));
        assert_eq!(store.claim_connection_alert().await.unwrap(), None, "not lost");
        assert!(store.connection_lost(t0, &error, t4).await.unwrap());
        assert!(!store.connection_lost(t0, &error, t4).await.unwrap(), "lost once");
        assert_eq!(store.connection().await.unwrap().unwrap().lost, Some(error.clone()));
        assert!(store.claim_connection_alert().await.unwrap().is_some());
        assert_eq!(store.claim_connection_alert().await.unwrap(), None, "its alert once");
        // Connecting again replaces it, working.
        store.save_connection(&StoredConnection { connected_at: t4, ..c }).await.unwrap();
        assert_eq!(store.connection().await.unwrap().unwrap().lost, None);
        store.delete_connection().await.unwrap();
        assert_eq!(store.connection().await.unwrap(), None);
    }
}
