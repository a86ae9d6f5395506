//! `Store` for [`SqliteStore`]: reads delegate to the queries beside it; each write is one
//! transaction, and a decision's view is read inside the transaction that applies it.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, Customer, Revision, RoleAssignment, Scope, SupportRequest};
use desk::store::{
    Decide, Decision, ExchangeSession, ExchangeView, ExchangeWrite, OrderView, OrderWrite, RefundSession, ReturnView, ReturnWrite,
    RoleAssignmentWrite, Store, StoreResult, Stored,
};
use desk::audit_chain::ChainLink;
use desk::DeskError;
use desk_service::limit::LedgerEntry;
use sqlx::{Sqlite, SqliteConnection, Transaction};

use super::rows::{self, enum_text};
use super::{assignments_of, db, decode, encode, order_exists, record, reservation_by_id, scopes_of, SqliteStore};

/// The stored answer of a completed session (`sql` selects one `response` column by session ID).
async fn completed<T: serde::de::DeserializeOwned>(conn: &mut SqliteConnection, sql: &str, session_id: &str) -> StoreResult<Option<T>> {
    let row: Option<(String,)> = sqlx::query_as(sql).bind(session_id).fetch_optional(conn).await.map_err(db)?;
    row.map(|(json,)| decode("response", &json)).transpose()
}

async fn set_quantity(
    conn: &mut SqliteConnection,
    order_id: &str,
    reservation_id: &str,
    quantity: u32,
    state: contract::ProvisioningState,
) -> StoreResult<()> {
    sqlx::query("UPDATE reservations SET quantity = ?, provisioning_state = ? WHERE reservation_order_id = ? AND id = ?")
        .bind(i64::from(quantity))
        .bind(enum_text(&state))
        .bind(order_id)
        .bind(reservation_id)
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

async fn commit(tx: Transaction<'_, Sqlite>) -> StoreResult<()> {
    tx.commit().await.map_err(db)
}

impl Store for SqliteStore {
    async fn customers(&self) -> StoreResult<Vec<Customer>> {
        self.customers_where("", None).await
    }

    async fn customer(&self, id: &str) -> StoreResult<Option<Customer>> {
        Ok(self.customers_where("WHERE id = ?1", Some(id)).await?.into_iter().next())
    }

    async fn reservations_of(&self, customer_id: &str) -> StoreResult<Vec<Stored>> {
        self.read_reservations_of(customer_id).await
    }

    async fn reservation(&self, order_id: &str, reservation_id: &str) -> StoreResult<Option<Stored>> {
        self.read_reservation(order_id, reservation_id).await
    }

    async fn reservation_by_id(&self, reservation_id: &str) -> StoreResult<Option<Stored>> {
        self.read_by_id(reservation_id).await
    }

    async fn order_exists(&self, order_id: &str) -> StoreResult<bool> {
        self.read_order_exists(order_id).await
    }

    async fn ledger(&self, customer_id: &str) -> StoreResult<Vec<LedgerEntry>> {
        self.read_ledger(customer_id).await
    }

    async fn scopes(&self, customer_id: &str) -> StoreResult<Vec<Scope>> {
        self.read_scopes(customer_id).await
    }

    async fn role_assignments(&self, order_id: &str) -> StoreResult<Vec<RoleAssignment>> {
        self.read_assignments(order_id).await
    }

    async fn audit(&self, customer_id: Option<&str>, limit: usize) -> StoreResult<Vec<AuditEntry>> {
        self.read_audit(customer_id, limit).await
    }

    async fn audit_chain(&self) -> StoreResult<Vec<ChainLink>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT body, hash FROM audit ORDER BY id").fetch_all(self.pool()).await.map_err(db)?;
        Ok(rows.into_iter().map(|(body, hash)| ChainLink { body, hash }).collect())
    }

    async fn support_requests(&self, customer_id: Option<&str>) -> StoreResult<Vec<SupportRequest>> {
        self.read_support_requests(customer_id).await
    }

    async fn support_request(&self, id: &str) -> StoreResult<Option<SupportRequest>> {
        self.read_support_request(id).await
    }

    async fn revisions(&self, order_id: &str, reservation_id: &str) -> StoreResult<Vec<Revision>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT body FROM reservation_revisions WHERE reservation_order_id = ? AND reservation_id = ? ORDER BY revision",
        )
        .bind(order_id)
        .bind(reservation_id)
        .fetch_all(self.pool())
        .await
        .map_err(db)?;
        rows.iter().map(|(body,)| decode("revision", body)).collect()
    }

    async fn save_refund_session(&self, session: &RefundSession) -> StoreResult<()> {
        self.write_refund_session(session).await
    }

    async fn save_exchange_session(&self, s: &ExchangeSession) -> StoreResult<()> {
        sqlx::query("INSERT INTO exchange_sessions (id, request, quote, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&s.id)
            .bind(encode(&s.request)?)
            .bind(encode(&s.quote)?)
            .bind(s.created_at.timestamp())
            .bind(s.expires_at.timestamp())
            .execute(self.pool())
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn add_support_request(&self, request: &SupportRequest, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        sqlx::query("INSERT INTO support_requests (id, customer_id, created_at, body) VALUES (?, ?, ?, ?)")
            .bind(&request.id)
            .bind(&request.customer_id)
            .bind(at.timestamp())
            .bind(encode(request)?)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        record(&mut tx, at, audit).await?;
        commit(tx).await
    }

    async fn remove_role_assignment(&self, order_id: &str, id: &str, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let done = sqlx::query("DELETE FROM role_assignments WHERE reservation_order_id = ? AND id = ?")
            .bind(order_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        record(&mut tx, at, audit).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn change_order<T>(
        &self, order_id: &str, decide: impl Decide<OrderView, OrderWrite, T>,
    ) -> Result<T, DeskError> {
        // BEGIN IMMEDIATE: the database's write lock before the view is read, so no return,
        // exchange or other change of any process comes between the view and the write.
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let reservations = rows::reservations_of_order(&mut tx, order_id).await.map_err(db)?;
        let scopes = match reservations.first() {
            Some((r, _)) => scopes_of(&mut tx, &r.customer_id).await?,
            None => Vec::new(),
        };
        let revisions: Vec<(String, i64)> = sqlx::query_as(
            "SELECT reservation_id, MAX(revision) FROM reservation_revisions WHERE reservation_order_id = ? \
             GROUP BY reservation_id",
        )
        .bind(order_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let revisions = revisions.into_iter().map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX))).collect();
        let (write, answer) = match decide(OrderView { reservations, revisions, scopes })? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        for (r, usage) in &write.reservations {
            rows::save_reservation(&mut tx, r, *usage).await.map_err(db)?;
        }
        for revision in &write.revisions {
            sqlx::query(
                "INSERT INTO reservation_revisions (reservation_order_id, reservation_id, revision, at, body) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&revision.reservation.reservation_order_id)
            .bind(&revision.reservation.id)
            .bind(i64::from(revision.revision))
            .bind(write.at.timestamp())
            .bind(encode(revision)?)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        if let Some(audit) = &write.audit {
            record(&mut tx, write.at, audit).await?;
        }
        commit(tx).await?;
        Ok(answer)
    }

    async fn add_role_assignment<T>(
        &self, order_id: &str, decide: impl Decide<(bool, Vec<RoleAssignment>), RoleAssignmentWrite, T>,
    ) -> Result<T, DeskError> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let exists = order_exists(&mut tx, order_id).await?;
        let existing = assignments_of(&mut tx, order_id).await?;
        let (write, answer) = match decide((exists, existing))? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        super::insert_role_assignment(&mut tx, &write.assignment, write.at.timestamp()).await.map_err(db)?;
        record(&mut tx, write.at, &write.audit).await?;
        commit(tx).await?;
        Ok(answer)
    }

    async fn return_reservation<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        let _money = self.money_lock().await;
        // IMMEDIATE: the write lock before the ledger is read, so another process on the same
        // file cannot pass the same checks at the same time.
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let completed = completed(&mut tx, "SELECT response FROM refunds WHERE session_id = ?", session_id).await?;
        let row: Option<(String, String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT reservation_order_id, reservation_id, policy, quote, created_at, expires_at FROM refund_sessions WHERE id = ?",
        )
        .bind(session_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let session = match row {
            Some((order_id, reservation_id, policy, quote, created_at, expires_at)) => Some(RefundSession {
                id: session_id.to_owned(),
                order_id,
                reservation_id,
                policy: decode("policy", &serde_json::Value::String(policy).to_string())?,
                quote: decode("quote", &quote)?,
                created_at: DateTime::from_timestamp(created_at, 0).unwrap_or_default(),
                expires_at: DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
            }),
            None => None,
        };
        let reservation = match &session {
            Some(s) => rows::reservation(&mut tx, &s.order_id, &s.reservation_id).await.map_err(db)?,
            None => None,
        };
        let ledger = match &reservation {
            Some((r, _)) => rows::ledger(&mut tx, &r.customer_id).await.map_err(db)?,
            None => Vec::new(),
        };
        let (write, answer) = match decide(ReturnView { completed, session, reservation, ledger })? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        let refund = &write.refund;
        set_quantity(&mut tx, &refund.order_id, &refund.reservation_id, write.remaining_quantity, write.state).await?;
        if let Some(entry) = &write.ledger_entry {
            rows::insert_ledger_entry(&mut tx, entry).await.map_err(db)?;
        }
        let response = &refund.response;
        sqlx::query(
            "INSERT INTO refunds (id, session_id, reservation_order_id, reservation_id, customer_id, quantity, \
             refund_amount, currency, return_reason, created_at, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&response.refund_id)
        .bind(&response.session_id)
        .bind(&refund.order_id)
        .bind(&refund.reservation_id)
        .bind(&refund.customer_id)
        .bind(i64::from(response.quote.quantity))
        .bind(response.quote.refund_amount.amount.to_string())
        .bind(response.quote.refund_amount.currency.code())
        .bind(&refund.reason)
        .bind(refund.at.timestamp())
        .bind(encode(response)?)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        record(&mut tx, refund.at, &write.audit).await?;
        commit(tx).await?;
        Ok(answer)
    }

    async fn exchange<T>(
        &self, session_id: &str, decide: impl Decide<ExchangeView, ExchangeWrite, T>,
    ) -> Result<T, DeskError> {
        let _money = self.money_lock().await;
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let completed = completed(&mut tx, "SELECT response FROM exchanges WHERE session_id = ?", session_id).await?;
        let row: Option<(String, String, i64, i64)> =
            sqlx::query_as("SELECT request, quote, created_at, expires_at FROM exchange_sessions WHERE id = ?")
                .bind(session_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        let session = match row {
            Some((request, quote, created_at, expires_at)) => Some(ExchangeSession {
                id: session_id.to_owned(),
                request: decode("exchange request", &request)?,
                quote: decode("exchange quote", &quote)?,
                created_at: DateTime::from_timestamp(created_at, 0).unwrap_or_default(),
                expires_at: DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
            }),
            None => None,
        };
        let mut reservations = Vec::new();
        for ret in session.iter().flat_map(|s| &s.request.reservations_to_exchange) {
            reservations.push(reservation_by_id(&mut tx, &ret.reservation_id).await?);
        }
        let scopes = match reservations.iter().flatten().next() {
            Some((r, _)) => scopes_of(&mut tx, &r.customer_id).await?,
            None => Vec::new(),
        };
        let (write, answer) = match decide(ExchangeView { completed, session, reservations, scopes })? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        for (order_id, reservation_id, left, state) in &write.returns {
            set_quantity(&mut tx, order_id, reservation_id, *left, *state).await?;
        }
        for (r, usage) in &write.purchased {
            rows::insert_reservation(&mut tx, r, *usage).await.map_err(db)?;
        }
        sqlx::query("INSERT INTO exchanges (session_id, reservation_order_id, created_at, response) VALUES (?, ?, ?, ?)")
            .bind(&write.response.session_id)
            .bind(&write.response.reservation_order_id)
            .bind(write.at.timestamp())
            .bind(encode(&write.response)?)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        record(&mut tx, write.at, &write.audit).await?;
        commit(tx).await?;
        Ok(answer)
    }
}
