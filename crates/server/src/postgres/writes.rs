//! `Store` for [`PgStore`]: reads delegate to the queries beside it; each write is one
//! transaction (READ COMMITTED), and a decision's view is read inside the transaction that
//! applies it, after the locks that make it stable.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, Customer, RoleAssignment, Scope, SupportRequest};
use desk::audit_chain::ChainLink;
use desk::store::{
    Decision, ExchangeSession, ExchangeView, ExchangeWrite, RefundSession, ReservationWrite, ReturnView, ReturnWrite,
    RoleAssignmentWrite, Store, StoreResult, Stored,
};
use desk::DeskError;
use desk_service::limit::LedgerEntry;
use sqlx::{PgConnection, Postgres, Transaction};

use super::{
    assignments_of, insert_ledger_entry, insert_reservation, insert_role_assignment, ledger, lock_customers, order_exists,
    record, reservation, reservation_by_id, scopes_of, PgStore, RESERVATION_SELECT,
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
    row.map(|(order_id, reservation_id, policy, quote, created_at, expires_at)| {
        Ok(RefundSession {
            id: session_id.to_owned(),
            order_id,
            reservation_id,
            policy: decode("policy", &serde_json::Value::String(policy).to_string())?,
            quote: decode("quote", &quote)?,
            created_at: instant(created_at),
            expires_at: instant(expires_at),
        })
    })
    .transpose()
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

    async fn change_reservation<T>(
        &self,
        order_id: &str,
        reservation_id: &str,
        decide: impl FnOnce(Option<Stored>, Vec<Scope>) -> Result<Decision<ReservationWrite, T>, DeskError>,
    ) -> Result<T, DeskError> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        // The row locked: two changes of one reservation are decided one after the other.
        let row: Option<ReservationRow> = sqlx::query_as(&format!(
            "SELECT {RESERVATION_SELECT} FROM reservations WHERE reservation_order_id = $1 AND id = $2 FOR NO KEY UPDATE"
        ))
        .bind(order_id)
        .bind(reservation_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let found = row.map(ReservationRow::into_reservation).transpose().map_err(db)?;
        let scopes = match &found {
            Some((r, _)) => scopes_of(&mut tx, &r.customer_id).await?,
            None => Vec::new(),
        };
        let (write, answer) = match decide(found, scopes)? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        let changed = &write.reservation;
        sqlx::query(
            "UPDATE reservations SET display_name = $1, applied_scope_type = $2, applied_scope_properties = $3, renew = $4 \
             WHERE reservation_order_id = $5 AND id = $6",
        )
        .bind(&changed.display_name)
        .bind(enum_text(&changed.applied_scope_type))
        .bind(changed.applied_scope_properties.as_ref().map(encode).transpose()?)
        .bind(changed.renew)
        .bind(order_id)
        .bind(reservation_id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if let Some(audit) = &write.audit {
            record(&mut tx, write.at, audit).await?;
        }
        commit(tx).await?;
        Ok(answer)
    }

    async fn add_role_assignment<T>(
        &self,
        order_id: &str,
        decide: impl FnOnce(bool, Vec<RoleAssignment>) -> Result<Decision<RoleAssignmentWrite, T>, DeskError>,
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
        let (write, answer) = match decide(exists, existing)? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        insert_role_assignment(&mut tx, &write.assignment, write.at.timestamp()).await.map_err(db)?;
        record(&mut tx, write.at, &write.audit).await?;
        commit(tx).await?;
        Ok(answer)
    }

    async fn return_reservation<T>(
        &self,
        session_id: &str,
        decide: impl FnOnce(ReturnView) -> Result<Decision<ReturnWrite, T>, DeskError>,
    ) -> Result<T, DeskError> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let session = refund_session(&mut tx, session_id).await?;
        // The customer's row locked before anything the decision depends on is read: another
        // return or exchange of this customer (in any process) waits here until this one commits,
        // and then reads what it wrote. Other customers' money moves do not wait.
        if let Some(s) = &session {
            let customer: Option<(String,)> =
                sqlx::query_as("SELECT customer_id FROM reservations WHERE reservation_order_id = $1 AND id = $2")
                    .bind(&s.order_id)
                    .bind(&s.reservation_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
            lock_customers(&mut tx, customer.into_iter().map(|(id,)| id).collect()).await?;
        }
        let completed = completed(&mut tx, "SELECT response FROM refunds WHERE session_id = $1", session_id).await?;
        let reservation = match &session {
            Some(s) => reservation(&mut tx, &s.order_id, &s.reservation_id).await?,
            None => None,
        };
        let ledger = match &reservation {
            Some((r, _)) => ledger(&mut tx, &r.customer_id).await?,
            None => Vec::new(),
        };
        let (write, answer) = match decide(ReturnView { completed, session, reservation, ledger })? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        let refund = &write.refund;
        set_quantity(&mut tx, &refund.order_id, &refund.reservation_id, write.remaining_quantity, write.state).await?;
        if let Some(entry) = &write.ledger_entry {
            insert_ledger_entry(&mut tx, entry).await.map_err(db)?;
        }
        let response = &refund.response;
        sqlx::query(
            "INSERT INTO refunds (id, session_id, reservation_order_id, reservation_id, customer_id, quantity, \
             refund_amount, currency, return_reason, created_at, response) \
             VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9, $10, $11)",
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
        &self,
        session_id: &str,
        decide: impl FnOnce(ExchangeView) -> Result<Decision<ExchangeWrite, T>, DeskError>,
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
