//! Money moves through Azure for both SQL stores:
//! `desk::upstream::UpstreamStore` written once, [`upstream_store!`] expanding inside `sqlite/`
//! and `postgres/` after `sql_store!`. The table is `upstream_operations` (migration 0017 /
//! PostgreSQL 0012): one row per desk session, its state moved by single statements (the claim is
//! `quoted` → `asked` in one `UPDATE … WHERE state = 'quoted'`, so a session is claimed once
//! across processes); a confirmed return is written with the store's own return write and the row
//! marked `succeeded` in the same transaction. No rule lives here.

/// `desk::upstream::UpstreamStore` for `$store` (see the module's doc).
macro_rules! upstream_store {
    ($d:ident, $store:ty, $db:ty) => {
        const UPSTREAM_COLUMNS: &str = "id, kind, desk_session_id, azure_session_id, tenant_id, state, poll_url, poll_kind, \
            requested_by, last_error, detail, created_at, updated_at";

        type UpstreamRow = (
            String, String, String, String, String, String, Option<String>, Option<String>, Option<String>, Option<String>, String, i64, i64,
        );

        fn upstream_of_row(row: UpstreamRow) -> desk::store::StoreResult<desk::upstream::UpstreamOperation> {
            let (id, kind, desk_session_id, azure_session_id, tenant_id, state, poll_url, poll_kind, requested_by, last_error, detail, created, updated) = row;
            Ok(desk::upstream::UpstreamOperation {
                state: desk::upstream::UpstreamState::parse(&state)
                    .ok_or_else(|| desk::StoreError(format!("operation {id} has an unknown state {state:?}")))?,
                poll: poll_url.map(|url| desk::upstream::PollAt { url, kind: poll_kind.unwrap_or_else(|| "location".into()), wait_seconds: 0 }),
                detail: $crate::rows::decode("detail", &detail)?,
                created_at: $crate::rows::instant(created),
                updated_at: $crate::rows::instant(updated),
                id,
                kind,
                desk_session_id,
                azure_session_id,
                tenant_id,
                requested_by,
                last_error,
            })
        }

        impl desk::upstream::UpstreamStore for $store {
            async fn save_upstream(
                &self, op: &desk::upstream::UpstreamOperation, purge_before: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<bool> {
                // A session's quote asked again (an approval's) replaces its quoted or failed
                // operation, and quotes whose sessions are gone are purged; one in flight or done
                // stays, and this one is not kept (the session's uniqueness: `false`).
                let mut tx = self.pool().begin().await.map_err(db)?;
                sqlx::query(
                    "DELETE FROM upstream_operations WHERE (state = 'quoted' AND (desk_session_id = $1 OR updated_at < $2)) \
                     OR (state = 'failed' AND desk_session_id = $1)",
                )
                    .bind(&op.desk_session_id)
                    .bind(purge_before.timestamp())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                let kept = sqlx::query(&format!(
                    "INSERT INTO upstream_operations ({UPSTREAM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                     ON CONFLICT (desk_session_id) DO NOTHING"
                ))
                .bind(&op.id)
                .bind(&op.kind)
                .bind(&op.desk_session_id)
                .bind(&op.azure_session_id)
                .bind(&op.tenant_id)
                .bind(op.state.as_str())
                .bind(op.poll.as_ref().map(|p| p.url.clone()))
                .bind(op.poll.as_ref().map(|p| p.kind.clone()))
                .bind(&op.requested_by)
                .bind(&op.last_error)
                .bind($crate::rows::encode(&op.detail)?)
                .bind(op.created_at.timestamp())
                .bind(op.updated_at.timestamp())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                tx.commit().await.map_err(db)?;
                Ok(kept.rows_affected() == 1)
            }

            async fn upstream_of_session(&self, desk_session_id: &str) -> desk::store::StoreResult<Option<desk::upstream::UpstreamOperation>> {
                let row: Option<UpstreamRow> =
                    sqlx::query_as(&format!("SELECT {UPSTREAM_COLUMNS} FROM upstream_operations WHERE desk_session_id = $1"))
                        .bind(desk_session_id)
                        .fetch_optional(self.pool())
                        .await
                        .map_err(db)?;
                row.map(upstream_of_row).transpose()
            }

            async fn claim_upstream(
                &self, operation_id: &str, requested_by: &str, detail: &desk::upstream::Detail, at: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<bool> {
                // By the operation's own ID: a quote that another request replaced meanwhile (an
                // approver asking Azure again) is not this one's to claim.
                let done = sqlx::query(
                    "UPDATE upstream_operations SET state = 'asked', requested_by = $1, detail = $2, updated_at = $3 \
                     WHERE id = $4 AND state = 'quoted'",
                )
                .bind(requested_by)
                .bind($crate::rows::encode(detail)?)
                .bind(at.timestamp())
                .bind(operation_id)
                .execute(self.pool())
                .await
                .map_err(db)?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_upstream(
                &self,
                id: &str,
                state: desk::upstream::UpstreamState,
                poll: Option<&desk::upstream::PollAt>,
                last_error: Option<&str>,
                at: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<()> {
                // Only an unfinished operation moves (one recorded meanwhile stays as it is).
                sqlx::query(
                    "UPDATE upstream_operations SET state = $1, poll_url = $2, poll_kind = $3, last_error = $4, updated_at = $5 \
                     WHERE id = $6 AND state IN ('asked', 'sent')",
                )
                    .bind(state.as_str())
                    .bind(poll.map(|p| p.url.clone()))
                    .bind(poll.map(|p| p.kind.clone()))
                    .bind(last_error)
                    .bind(at.timestamp())
                    .bind(id)
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn finish_upstream(&self, id: &str, write: desk::upstream::Confirmed<'_>) -> desk::store::StoreResult<bool> {
                use desk::upstream::Confirmed;
                // Under the money lock (SQLite) or the customer's row lock (PostgreSQL), as a
                // return or an exchange.
                let (_money, mut tx) = pick!(
                    $d,
                    self.begin_money().await?,
                    {
                        let mut tx = self.pool().begin().await.map_err(db)?;
                        sqlx::query("SELECT 1 FROM customers WHERE id = $1 FOR NO KEY UPDATE")
                            .bind(write.customer_id())
                            .execute(&mut *tx)
                            .await
                            .map_err(db)?;
                        ((), tx)
                    }
                );
                let state: Option<String> = sqlx::query_scalar("SELECT state FROM upstream_operations WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                // A failed one too: Azure confirmed it after all (its answer came after a
                // reconciliation read ARM too early), and what Azure did is recorded.
                if !matches!(state.as_deref(), Some("asked" | "sent" | "failed")) {
                    return Ok(false);
                }
                sqlx::query("UPDATE upstream_operations SET state = 'succeeded', last_error = NULL, updated_at = $1 WHERE id = $2")
                    .bind(write.at().timestamp())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                let table = match write {
                    Confirmed::Return(_) => "refunds",
                    Confirmed::Exchange(_) => "exchanges",
                    Confirmed::Purchase(_) => "purchases",
                };
                let recorded: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE session_id = $1"))
                    .bind(write.session_id())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db)?;
                if recorded == 0 {
                    // The move's own write (units, ledger entry or purchases, record, audit
                    // entry), last.
                    match write {
                        Confirmed::Return(w) => returns::write_return(&mut tx, &self.key, w).await?,
                        Confirmed::Exchange(w) => write_exchange(&mut tx, &self.key, w).await?,
                        Confirmed::Purchase(w) => write_purchase(&mut tx, &self.key, w).await?,
                    }
                }
                tx.commit().await.map_err(db)?;
                Ok(true)
            }

            async fn unfinished_upstream(&self) -> desk::store::StoreResult<Vec<desk::upstream::UpstreamOperation>> {
                let rows: Vec<UpstreamRow> = sqlx::query_as(&format!(
                    "SELECT {UPSTREAM_COLUMNS} FROM upstream_operations WHERE state IN ('asked', 'sent') ORDER BY created_at, id"
                ))
                .fetch_all(self.pool())
                .await
                .map_err(db)?;
                rows.into_iter().map(upstream_of_row).collect()
            }
        }
    };
}
pub(crate) use upstream_store;
