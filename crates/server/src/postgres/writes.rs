//! `Store` for [`PgStore`]: reads delegate to the queries beside it; each write is one
//! transaction (READ COMMITTED), and a decision's view is read inside the transaction that
//! applies it, after the locks that make it stable.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, Customer, Revision, RoleAssignment, Scope, SupportRequest};
use desk::audit_chain::ChainLink;
use desk::store::{
    Decide, Decision, ExchangeSession, ExchangeView, ExchangeWrite, OrderView, OrderWrite, RefundSession, ReturnView, ReturnWrite,
    RoleAssignmentWrite, Store, StoreResult, Stored,
};
use desk::DeskError;
use desk_service::limit::LedgerEntry;
use sqlx::{PgConnection, Postgres, Transaction};

use super::{
    assignments_of, insert_reservation, insert_role_assignment, ledger, lock_customers, order_exists,
    record, reservation_by_id, reservations_where, save_reservation, scopes_of, PgStore, RESERVATION_SELECT,
};
use crate::sqlite::rows::{enum_text, ReservationRow};
use crate::sqlite::{db, decode, encode};

/// The stored answer of a completed session (`sql` selects one `response` column by session ID).
async fn completed<T: serde::de::DeserializeOwned>(conn: &mut PgConnection, sql: &str, session_id: &str) -> StoreResult<Option<T>> {
    let row: Option<(String,)> = sqlx::query_as(sql).bind(session_id).fetch_optional(conn).await.map_err(db)?;
    row.map(|(json,)| decode("response", &json)).transpose()
}

async fn set_quantity(
    conn: &mut PgConnection,
    order_id: &str,
    reservation_id: &str,
    quantity: u32,
    state: contract::ProvisioningState,
) -> StoreResult<()> {
    sqlx::query("UPDATE reservations SET quantity = $1, provisioning_state = $2 WHERE reservation_order_id = $3 AND id = $4")
        .bind(i64::from(quantity))
        .bind(enum_text(&state))
        .bind(order_id)
        .bind(reservation_id)
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

async fn commit(tx: Transaction<'_, Postgres>) -> StoreResult<()> {
    tx.commit().await.map_err(db)
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

async fn refund_session(conn: &mut PgConnection, session_id: &str) -> StoreResult<Option<RefundSession>> {
    let row: Option<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT reservation_order_id, reservation_id, policy, quote, created_at, expires_at FROM refund_sessions WHERE id = $1",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await
    .map_err(db)?;
    row.map(|row| session_from_row(session_id, row)).transpose()
}

pub(crate) fn session_from_row(
    session_id: &str,
    (order_id, reservation_id, policy, quote, created_at, expires_at): (String, String, String, String, i64, i64),
) -> StoreResult<RefundSession> {
    Ok(RefundSession {
        id: session_id.to_owned(),
        order_id,
        reservation_id,
        policy: decode("policy", &serde_json::Value::String(policy).to_string())?,
        quote: decode("quote", &quote)?,
        created_at: instant(created_at),
        expires_at: instant(expires_at),
    })
}

/// The session with its reservation's customer's row locked (`FOR NO KEY UPDATE`, as
/// [`super::lock_customers`]); `None` when there is no such session or its reservation is gone.
async fn locked_refund_session(conn: &mut PgConnection, session_id: &str) -> StoreResult<Option<RefundSession>> {
    let row: Option<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT s.reservation_order_id, s.reservation_id, s.policy, s.quote, s.created_at, s.expires_at \
         FROM refund_sessions s \
         JOIN reservations r ON r.reservation_order_id = s.reservation_order_id AND r.id = s.reservation_id \
         JOIN customers c ON c.id = r.customer_id \
         WHERE s.id = $1 FOR NO KEY UPDATE OF c",
    )
    .bind(session_id)
    .fetch_optional(conn)
    .await
    .map_err(db)?;
    row.map(|row| session_from_row(session_id, row)).transpose()
}

/// The answer already given for the session, if any, and the session's reservation: one
/// statement.
async fn completed_and_reservation(
    conn: &mut PgConnection,
    session_id: &str,
    order_id: &str,
    reservation_id: &str,
) -> StoreResult<(Option<contract::ReturnResponse>, Option<Stored>)> {
    use sqlx::{FromRow, Row};
    let sql = format!(
        "SELECT (SELECT response FROM refunds WHERE session_id = $1) AS completed, r.* FROM \
         (SELECT 1) AS one LEFT JOIN (SELECT {RESERVATION_SELECT} FROM reservations \
         WHERE reservation_order_id = $2 AND id = $3) AS r ON true"
    );
    let row = sqlx::query(&sql).bind(session_id).bind(order_id).bind(reservation_id).fetch_one(conn).await.map_err(db)?;
    let completed: Option<String> = row.try_get("completed").map_err(db)?;
    let completed = completed.map(|json| decode("response", &json)).transpose()?;
    let id: Option<String> = row.try_get("id").map_err(db)?;
    let reservation = match id {
        Some(_) => Some(ReservationRow::from_row(&row).and_then(ReservationRow::into_reservation).map_err(db)?),
        None => None,
    };
    Ok((completed, reservation))
}

async fn exchange_session(conn: &mut PgConnection, session_id: &str) -> StoreResult<Option<ExchangeSession>> {
    let row: Option<(String, String, i64, i64)> =
        sqlx::query_as("SELECT request, quote, created_at, expires_at FROM exchange_sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(conn)
            .await
            .map_err(db)?;
    row.map(|(request, quote, created_at, expires_at)| {
        Ok(ExchangeSession {
            id: session_id.to_owned(),
            request: decode("exchange request", &request)?,
            quote: decode("exchange quote", &quote)?,
            created_at: instant(created_at),
            expires_at: instant(expires_at),
        })
    })
    .transpose()
}

impl Store for PgStore {
    async fn customers(&self) -> StoreResult<Vec<Customer>> {
        self.customers_where("", None).await
    }

    async fn customer(&self, id: &str) -> StoreResult<Option<Customer>> {
        Ok(self.customers_where("WHERE id = $1", Some(id)).await?.into_iter().next())
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
            "SELECT body FROM reservation_revisions WHERE reservation_order_id = $1 AND reservation_id = $2 ORDER BY revision",
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
        sqlx::query("INSERT INTO exchange_sessions (id, request, quote, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
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
        sqlx::query("INSERT INTO support_requests (id, customer_id, created_at, body) VALUES ($1, $2, $3, $4)")
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
        let done = sqlx::query("DELETE FROM role_assignments WHERE reservation_order_id = $1 AND id = $2")
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
        let mut tx = self.pool().begin().await.map_err(db)?;
        // The order's customer locked as a money move locks it, before the order is read: a
        // return, an exchange or another change of this customer's reservations (in any process)
        // is decided before or after this one, never between its view and its write.
        let customer: Option<(String,)> =
            sqlx::query_as("SELECT customer_id FROM reservations WHERE reservation_order_id = $1 LIMIT 1")
                .bind(order_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        lock_customers(&mut tx, customer.into_iter().map(|(id,)| id).collect()).await?;
        let reservations = reservations_where(&mut tx, "reservation_order_id = $1 ORDER BY id", &[order_id]).await?;
        let scopes = match reservations.first() {
            Some((r, _)) => scopes_of(&mut tx, &r.customer_id).await?,
            None => Vec::new(),
        };
        let revisions: Vec<(String, i64)> = sqlx::query_as(
            "SELECT reservation_id, MAX(revision) FROM reservation_revisions WHERE reservation_order_id = $1 \
             GROUP BY reservation_id",
        )
        .bind(order_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let revisions = revisions.into_iter().map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX))).collect();
        let (write, answer) = match decide(OrderView { reservations, revisions, scopes })? {
            Decision::Answer(answer) => {
                tx.rollback().await.map_err(db)?;
                return Ok(answer);
            }
            Decision::Write(write, answer) => (write, answer),
        };
        for (r, usage) in &write.reservations {
            save_reservation(&mut tx, r, *usage).await.map_err(db)?;
        }
        for revision in &write.revisions {
            sqlx::query(
                "INSERT INTO reservation_revisions (reservation_order_id, reservation_id, revision, at, body) \
                 VALUES ($1, $2, $3, $4, $5)",
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
        let mut tx = self.pool().begin().await.map_err(db)?;
        // One order's assignments are decided one at a time (a transaction-scoped lock on the order).
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('reservation-desk order ' || $1, 0))")
            .bind(order_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let exists = order_exists(&mut tx, order_id).await?;
        let existing = assignments_of(&mut tx, order_id).await?;
        let (write, answer) = match decide((exists, existing))? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        insert_role_assignment(&mut tx, &write.assignment, write.at.timestamp()).await.map_err(db)?;
        record(&mut tx, write.at, &write.audit).await?;
        commit(tx).await?;
        Ok(answer)
    }

    async fn return_reservation<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        // Decided in this process's group of returns (batch.rs), or alone when it could not be.
        match super::batch::in_group(&self.groups, &self.batches, session_id, decide).await {
            Ok(decided) => decided,
            Err(decide) => self.return_alone(session_id, decide).await,
        }
    }

    async fn exchange<T>(
        &self, session_id: &str, decide: impl Decide<ExchangeView, ExchangeWrite, T>,
    ) -> Result<T, DeskError> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let session = exchange_session(&mut tx, session_id).await?;
        let ids: Vec<String> =
            session.iter().flat_map(|s| &s.request.reservations_to_exchange).map(|r| r.reservation_id.clone()).collect();
        // Every customer whose reservations are returned, locked in ID order (lock_customers).
        let customers: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT customer_id FROM reservations WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
        lock_customers(&mut tx, customers.into_iter().map(|(id,)| id).collect()).await?;
        let completed = completed(&mut tx, "SELECT response FROM exchanges WHERE session_id = $1", session_id).await?;
        let mut reservations = Vec::with_capacity(ids.len());
        for id in &ids {
            reservations.push(reservation_by_id(&mut tx, id).await?);
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
            insert_reservation(&mut tx, r, *usage).await.map_err(db)?;
        }
        sqlx::query("INSERT INTO exchanges (session_id, reservation_order_id, created_at, response) VALUES ($1, $2, $3, $4)")
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

impl PgStore {
    /// A return in a transaction of its own: its customer's row locked (waiting for it), its view
    /// read, decided, written with its audit entry and committed.
    pub(crate) async fn return_alone<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        // The session and its customer's row, locked in the same statement (a session and its
        // reservation's customer never change): another return or exchange of this customer (in
        // any process) waits here until this one commits, and then reads what it wrote. Other
        // customers' money moves do not wait. Everything the decision depends on is read after
        // this, in statements of their own (READ COMMITTED: each sees what committed before it).
        let session = match locked_refund_session(&mut tx, session_id).await? {
            Some(found) => Some(found),
            // No session, or (never in practice) its reservation is gone: nothing to lock.
            None => refund_session(&mut tx, session_id).await?,
        };
        let (completed, reservation) = match &session {
            Some(s) => completed_and_reservation(&mut tx, session_id, &s.order_id, &s.reservation_id).await?,
            None => (completed(&mut tx, "SELECT response FROM refunds WHERE session_id = $1", session_id).await?, None),
        };
        let ledger = match &reservation {
            Some((r, _)) => ledger(&mut tx, &r.customer_id).await?,
            None => Vec::new(),
        };
        let (write, answer) = match decide(ReturnView { completed, session, reservation, ledger })? {
            Decision::Answer(answer) => {
                // Release the customer's lock now rather than when the pool next pings the connection.
                tx.rollback().await.map_err(db)?;
                return Ok(answer);
            }
            Decision::Write(write, answer) => (write, answer),
        };
        write_returns(&mut tx, std::slice::from_ref(&write)).await?;
        commit(tx).await?;
        Ok(answer)
    }
}

/// Returns' writes and audit entries in one statement whatever their number (one round trip while
/// their customers are locked): each reservation's units and state as the last write to it left
/// them, the ledger entries of the refunds that count toward the limit (inserted in the writes'
/// order, so a customer's ledger reads back in the order they were decided), the refunds, and the
/// audit entries linked to the chain in order (`desk_link_audit`, as [`super::record_all`]), last:
/// the statement reads what the writes returned before it links, so the chain's lock, held from
/// there to the commit, is not held while the rows are written. Call this as the transaction's
/// last step before the commit.
pub(crate) async fn write_returns(conn: &mut PgConnection, writes: &[ReturnWrite]) -> StoreResult<()> {
    let mut units: Vec<(&str, &str, i64, String)> = Vec::with_capacity(writes.len());
    for write in writes {
        let key = (write.refund.order_id.as_str(), write.refund.reservation_id.as_str());
        let state = enum_text(&write.state);
        match units.iter_mut().find(|u| (u.0, u.1) == key) {
            Some(unit) => (unit.2, unit.3) = (i64::from(write.remaining_quantity), state),
            None => units.push((key.0, key.1, i64::from(write.remaining_quantity), state)),
        }
    }
    let entries: Vec<&LedgerEntry> = writes.iter().filter_map(|w| w.ledger_entry.as_ref()).collect();
    let column = |f: &dyn Fn(&ReturnWrite) -> String| writes.iter().map(f).collect::<Vec<String>>();
    let responses = writes.iter().map(|w| encode(&w.refund.response)).collect::<StoreResult<Vec<String>>>()?;
    let audit_bodies = writes.iter().map(|w| encode(&w.audit)).collect::<StoreResult<Vec<String>>>()?;
    sqlx::query(
        "WITH changed AS (\
         UPDATE reservations r SET quantity = u.quantity, provisioning_state = u.state \
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS u(order_id, id, quantity, state) \
         WHERE r.reservation_order_id = u.order_id AND r.id = u.id RETURNING 1), \
         counted AS (\
         INSERT INTO refund_ledger (customer_id, date, amount, currency, reservation_id, reservation_order_id) \
         SELECT customer_id, date::date, amount::numeric, currency, reservation_id, reservation_order_id \
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) WITH ORDINALITY \
         AS l(customer_id, date, amount, currency, reservation_id, reservation_order_id, ord) ORDER BY ord RETURNING 1), \
         refunded AS (\
         INSERT INTO refunds (id, session_id, reservation_order_id, reservation_id, customer_id, quantity, \
         refund_amount, currency, return_reason, created_at, response) \
         SELECT id, session_id, order_id, reservation_id, customer_id, quantity, amount::numeric, currency, reason, at, response \
         FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::text[], $18::text[], \
         $19::text[], $20::bigint[], $21::text[]) \
         AS f(id, session_id, order_id, reservation_id, customer_id, quantity, amount, currency, reason, at, response) RETURNING 1) \
         SELECT desk_link_audit($22, $23, $20, $24, $25, $26) FROM \
         (SELECT (SELECT count(*) FROM changed) + (SELECT count(*) FROM counted) + (SELECT count(*) FROM refunded)) AS written(n)",
    )
    .bind(units.iter().map(|u| u.0).collect::<Vec<_>>())
    .bind(units.iter().map(|u| u.1).collect::<Vec<_>>())
    .bind(units.iter().map(|u| u.2).collect::<Vec<_>>())
    .bind(units.iter().map(|u| u.3.as_str()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.customer_id.as_str()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.date.to_string()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.amount.amount.to_string()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.amount.currency.code()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.reservation_id.as_str()).collect::<Vec<_>>())
    .bind(entries.iter().map(|e| e.reservation_order_id.as_str()).collect::<Vec<_>>())
    .bind(column(&|w| w.refund.response.refund_id.clone()))
    .bind(column(&|w| w.refund.response.session_id.clone()))
    .bind(column(&|w| w.refund.order_id.clone()))
    .bind(column(&|w| w.refund.reservation_id.clone()))
    .bind(column(&|w| w.refund.customer_id.clone()))
    .bind(writes.iter().map(|w| i64::from(w.refund.response.quote.quantity)).collect::<Vec<_>>())
    .bind(column(&|w| w.refund.response.quote.refund_amount.amount.to_string()))
    .bind(column(&|w| w.refund.response.quote.refund_amount.currency.code().to_owned()))
    .bind(column(&|w| w.refund.reason.clone()))
    .bind(writes.iter().map(|w| w.refund.at.timestamp()).collect::<Vec<_>>())
    .bind(responses)
    .bind(super::LOCK_CLASS)
    .bind(super::CHAIN_LOCK)
    .bind(writes.iter().map(|w| w.audit.customer_id.clone()).collect::<Vec<Option<String>>>())
    .bind(audit_bodies)
    .bind(desk::audit_chain::GENESIS)
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}
