//! The worklist's port for both SQL stores, `desk::worklist::WorklistStore` written once:
//! [`worklist_store!`] expands inside `sqlite/` and `postgres/`. The team's state on a row is one
//! `work_marks` row (migration 0029 / PostgreSQL 0024) holding the contract's `WorkMark` as JSON,
//! keyed by the row's ID, with its customer; a mark is written with its audit entry in one
//! transaction. The whole book is read through the store's `BookCache` (`book_cache.rs`: every
//! customer's change counter, then the reservations of those whose counter moved) and one query
//! of `refund_ledger`. No rule lives here.

/// `desk::worklist::WorklistStore` for `$store` (see the module's doc).
macro_rules! worklist_store {
    ($d:ident, $store:ty, $db:ty) => {
        impl desk::worklist::WorklistStore for $store {
            async fn work_marks(&self) -> desk::store::StoreResult<Vec<contract::WorkMark>> {
                let rows: Vec<(String,)> = sqlx::query_as("SELECT mark FROM work_marks ORDER BY id").fetch_all(self.pool()).await.map_err(db)?;
                rows.into_iter().map(|(mark,)| $crate::rows::decode("mark", &mark)).collect()
            }

            async fn set_work_mark(
                &self,
                mark: &contract::WorkMark,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<()> {
                let text = serde_json::to_string(mark).map_err(|e| desk::StoreError(format!("mark: {e}")))?;
                let mut tx = self.pool().begin().await.map_err(db)?;
                sqlx::query(
                    "INSERT INTO work_marks (id, customer_id, mark, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, mark = excluded.mark, updated_at = excluded.updated_at",
                )
                .bind(&mark.id)
                .bind(&mark.customer_id)
                .bind(text)
                .bind(at.timestamp())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await
            }

            async fn forget_work_marks(&self, ids: &[String]) -> desk::store::StoreResult<()> {
                if ids.is_empty() {
                    return Ok(());
                }
                let mut tx = self.pool().begin().await.map_err(db)?;
                for id in ids {
                    sqlx::query("DELETE FROM work_marks WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
                }
                commit(tx).await
            }

            async fn book(&self) -> desk::store::StoreResult<Vec<desk::store::Stored>> {
                let versions: Vec<(String, i64)> =
                    sqlx::query_as("SELECT id, reservations_version FROM customers ORDER BY id").fetch_all(self.pool()).await.map_err(db)?;
                let stale = self.book_cache.stale(&versions);
                let mut conn = self.conn().await?;
                if stale.len() * 4 > versions.len() {
                    // Most of the book (the first read): one query.
                    let book = reservations_where(&mut *conn, "1 = 1", &[]).await?;
                    self.book_cache.put_all(&versions, book);
                } else {
                    for (id, version) in versions.iter().filter(|(id, _)| stale.contains(&id.as_str())) {
                        let reservations = reservations_where(&mut *conn, "customer_id = $1", &[id.as_str()]).await?;
                        self.book_cache.put(id, *version, reservations);
                    }
                }
                Ok(self.book_cache.book(&versions))
            }

            async fn ledgers(&self) -> desk::store::StoreResult<Vec<desk_service::limit::LedgerEntry>> {
                let sql = pick!(
                    $d,
                    "SELECT customer_id, date, amount, currency, reservation_id, reservation_order_id \
                     FROM refund_ledger ORDER BY customer_id, date, id",
                    "SELECT customer_id, to_char(date, 'YYYY-MM-DD'), amount::text, currency, reservation_id, reservation_order_id \
                     FROM refund_ledger ORDER BY customer_id, date, id"
                );
                let rows: Vec<$crate::rows::LedgerText> = sqlx::query_as(sql).fetch_all(self.pool()).await.map_err(db)?;
                rows.into_iter().map($crate::rows::ledger_entry).collect()
            }
        }
    };
}
pub(crate) use worklist_store;
