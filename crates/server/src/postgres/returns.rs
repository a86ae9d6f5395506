//! A return in PostgreSQL: decided in this process's group of returns (`batch.rs`), or alone
//! when it could not be; and the write of any number of returns, in one statement.

use desk::audit_chain::ChainKey;
use desk::store::{returned_units, Decide, Decision, ReturnView, ReturnWrite, StoreResult, Stored};
use desk::DeskError;
use desk_service::limit::LedgerEntry;
use sqlx::PgConnection;

use super::{commit, completed, db, ledger_of, refund_session, PgStore, RESERVATION_SELECT};
use crate::rows::{decode, encode, enum_text, ReservationRow};

/// The session with its reservation's customer's row locked (`FOR NO KEY UPDATE`, as
/// [`super::lock_customers`]); `None` when there is no such session or its reservation is gone.
async fn locked_refund_session(conn: &mut PgConnection, session_id: &str) -> StoreResult<Option<desk::store::RefundSession>> {
    let row: Option<crate::rows::RefundSessionRow> = sqlx::query_as(
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
    row.map(|row| crate::rows::refund_session(session_id, row)).transpose()
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

impl PgStore {
    /// A return: in this process's group of returns, or alone when it could not be.
    pub(crate) async fn decide_return<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        match super::batch::in_group(&self.groups, &self.batches, session_id, decide).await {
            Ok(decided) => decided,
            Err(decide) => self.return_alone(session_id, decide).await,
        }
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
        let ledger = ledger_of(&mut tx, reservation.as_ref()).await?;
        let (write, answer) = match decide(ReturnView { completed, session, reservation, ledger })? {
            Decision::Answer(answer) => {
                // Release the customer's lock now rather than when the pool next pings the connection.
                tx.rollback().await.map_err(db)?;
                return Ok(answer);
            }
            Decision::Write(write, answer) => (write, answer),
        };
        write_returns(&mut tx, &self.key, std::slice::from_ref(&write)).await?;
        commit(tx).await?;
        Ok(answer)
    }
}

/// One return's write and audit entry ([`write_returns`]), in the caller's transaction.
pub(crate) async fn write_return(conn: &mut PgConnection, key: &ChainKey, write: &ReturnWrite) -> StoreResult<()> {
    write_returns(conn, key, std::slice::from_ref(write)).await
}

/// Returns' writes and audit entries in one statement whatever their number (one round trip while
/// their customers are locked): each reservation's units and state as the last write to it left
/// them, the ledger entries of the refunds that count toward the limit (inserted in the writes'
/// order, so a customer's ledger reads back in the order they were decided), the refunds, and the
/// audit entries linked to the chain in order (`desk_link_audit`, as [`super::record_all`]), last:
/// the statement reads what the writes returned before it links, so the chain's lock, held from
/// there to the commit, is not held while the rows are written. Call this as the transaction's
/// last step before the commit.
pub(crate) async fn write_returns(conn: &mut PgConnection, key: &ChainKey, writes: &[ReturnWrite]) -> StoreResult<()> {
    let units = returned_units(writes);
    let entries: Vec<&LedgerEntry> = writes.iter().filter_map(|w| w.ledger_entry.as_ref()).collect();
    let column = |f: &dyn Fn(&ReturnWrite) -> String| writes.iter().map(f).collect::<Vec<String>>();
    let responses = writes.iter().map(|w| encode(&w.refund.response)).collect::<StoreResult<Vec<String>>>()?;
    let audit_bodies = writes.iter().map(|w| encode(&w.audit)).collect::<StoreResult<Vec<String>>>()?;
    let moves = writes.iter().map(|w| encode(&w.moved)).collect::<StoreResult<Vec<String>>>()?;
    let (inner, outer) = key.hmac_pads().unzip();
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
         AS f(id, session_id, order_id, reservation_id, customer_id, quantity, amount, currency, reason, at, response) RETURNING 1), \
         moved AS (\
         INSERT INTO reservation_moves (reservation_order_id, reservation_id, at, body) \
         SELECT order_id, reservation_id, at, body FROM unnest($13::text[], $14::text[], $20::bigint[], $30::text[]) WITH ORDINALITY \
         AS m(order_id, reservation_id, at, body, ord) ORDER BY ord RETURNING 1) \
         SELECT desk_link_audit($22, $23, $20, $24, $25, $26, $27, $28, $29) FROM \
         (SELECT (SELECT count(*) FROM changed) + (SELECT count(*) FROM counted) + (SELECT count(*) FROM refunded) \
         + (SELECT count(*) FROM moved)) AS written(n)",
    )
    .bind(units.iter().map(|u| u.0).collect::<Vec<_>>())
    .bind(units.iter().map(|u| u.1).collect::<Vec<_>>())
    .bind(units.iter().map(|u| i64::from(u.2)).collect::<Vec<_>>())
    .bind(units.iter().map(|u| enum_text(&u.3)).collect::<Vec<_>>())
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
    .bind(i16::from(key.format()))
    .bind(inner)
    .bind(outer)
    .bind(moves)
    .execute(conn)
    .await
    .map_err(db)?;
    Ok(())
}
