//! A return in SQLite: one transaction under the money lock and the write lock, its view read,
//! decided, and its write (`desk::store::returned_units`, the ledger entry, the refund and the
//! audit entry) applied in the same transaction.

use desk::store::{returned_units, Decide, Decision, ReturnView, ReturnWrite};
use desk::DeskError;

use super::{
    completed, db, insert_ledger_entry, insert_move, ledger_of, record, refund_session, reservation, set_quantity, commit, SqliteStore,
};

impl SqliteStore {
    /// A return: serialized with every other money move of any process on the file.
    pub(crate) async fn decide_return<T>(
        &self, session_id: &str, decide: impl Decide<ReturnView, ReturnWrite, T>,
    ) -> Result<T, DeskError> {
        let (_money, mut tx) = self.begin_money().await?;
        let completed = completed(&mut tx, "SELECT response FROM refunds WHERE session_id = $1", session_id).await?;
        let session = refund_session(&mut tx, session_id).await?;
        let reservation = match &session {
            Some(s) => reservation(&mut tx, &s.order_id, &s.reservation_id).await?,
            None => None,
        };
        let ledger = ledger_of(&mut tx, reservation.as_ref()).await?;
        let (write, answer) = match decide(ReturnView { completed, session, reservation, ledger })? {
            Decision::Answer(answer) => return Ok(answer),
            Decision::Write(write, answer) => (write, answer),
        };
        write_return(&mut tx, &self.key, &write).await?;
        commit(tx).await?;
        Ok(answer)
    }
}

/// Writes a return (`desk::store::returned_units`, the ledger entry, the refund and the audit
/// entry) in the caller's transaction.
pub(crate) async fn write_return(conn: &mut sqlx::SqliteConnection, key: &desk::audit_chain::ChainKey, write: &ReturnWrite) -> desk::store::StoreResult<()> {
    for (order_id, reservation_id, left, state) in returned_units(std::slice::from_ref(write)) {
        set_quantity(&mut *conn, order_id, reservation_id, left, state).await?;
    }
    if let Some(entry) = &write.ledger_entry {
        insert_ledger_entry(&mut *conn, entry).await.map_err(db)?;
    }
    insert_move(&mut *conn, &write.moved, write.refund.at.timestamp()).await?;
    let refund = &write.refund;
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
    .bind(crate::rows::encode(response)?)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    record(conn, key, refund.at, &write.audit).await
}
