//! Azure mode's writes for both SQL stores, `desk::source::SourceStore` written once:
//! [`source_store!`] expands inside `sqlite/` and `postgres/` after `sql_store!` (whose
//! `save_reservation` it uses). The reads of a group of customers are one transaction (`write_reads`):
//! per customer, its name and domain, its reservations written whole (those ARM no longer lists
//! deleted), and its `azure_source` row (migration 0016 / PostgreSQL 0011). The desk's own rows (audit, sessions,
//! refunds, revisions, grants) are not touched. Triggers bump the customer's
//! `reservations_version` with every reservation written, so the list cache follows.

/// `desk::source::SourceStore` for `$store` (see the module's doc).
macro_rules! source_store {
    ($d:ident, $store:ty, $db:ty) => {
        const UPSERT_CUSTOMER: &str = "INSERT INTO customers (id, name, domain) VALUES ($1, $2, $3) \
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, domain = excluded.domain";
        const INSERT_CUSTOMER: &str = "INSERT INTO customers (id, name, domain) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING";
        const SOURCE_ROWS: &str = "SELECT customer_id, tenant_id, read_at, error_code, error_message, error_status, error_at, error_request, unread, \
            change_refused, directory FROM azure_source";

        /// One `azure_source` row as [`SOURCE_ROWS`] selects it.
        type SourceRow = (
            String,
            String,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<i32>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );

        /// A customer's status from its row; `stale` as the row alone says (the caller decides
        /// it as of a clock: `desk::source::as_of`).
        fn source_status_of(row: SourceRow) -> desk::store::StoreResult<contract::source::SourceStatus> {
            let (customer_id, tenant_id, read_at, code, message, status, at, request, unread, change_refused, directory) = row;
            let text = |s: i64| desk::source::instant_text($crate::rows::instant(s));
            let request: contract::source::AzureRequestIds = match request {
                Some(json) => serde_json::from_str(&json).map_err(|e| desk::StoreError(format!("request IDs: {e}")))?,
                None => Default::default(),
            };
            let unread: Vec<contract::source::UnreadReservation> = match unread {
                Some(json) => serde_json::from_str(&json).map_err(|e| desk::StoreError(format!("unread: {e}")))?,
                None => Vec::new(),
            };
            let change_refused: Option<contract::source::SourceError> = change_refused
                .map(|json| serde_json::from_str(&json).map_err(|e| desk::StoreError(format!("change refused: {e}"))))
                .transpose()?;
            let directory: Option<contract::source::DirectoryAccess> =
                directory.map(|json| serde_json::from_str(&json).map_err(|e| desk::StoreError(format!("directory: {e}")))).transpose()?;
            Ok(contract::source::SourceStatus {
                directory,
                customer_id,
                tenant_id,
                stale: code.is_some() || read_at.is_none(),
                read_at: read_at.map(text),
                error: code.map(|code| contract::source::SourceError {
                    code,
                    message: message.unwrap_or_default(),
                    status: status.and_then(|s| u16::try_from(s).ok()),
                    at: at.map(text).unwrap_or_default(),
                    request,
                }),
                unread,
                change_refused,
            })
        }

        impl $store {
            async fn begin_source(&self) -> desk::store::StoreResult<sqlx::Transaction<'static, $db>> {
                pick!($d, self.begin_immediate().await, self.pool().begin().await.map_err(db))
            }
        }

        /// One customer's snapshot written in `tx`.
        async fn snapshot_in(tx: &mut sqlx::Transaction<'static, $db>, snapshot: &desk::source::CustomerSnapshot) -> desk::store::StoreResult<()> {
            let c = &snapshot.customer;
            sqlx::query(UPSERT_CUSTOMER).bind(&c.id).bind(&c.name).bind(&c.domain).execute(&mut **tx).await.map_err(db)?;
            let listed: Vec<&str> = snapshot.reservations.iter().map(|(r, _)| r.id.as_str()).collect();
            let placeholders = (0..listed.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
            let gone = if listed.is_empty() {
                "DELETE FROM reservations WHERE customer_id = $1".to_owned()
            } else {
                format!("DELETE FROM reservations WHERE customer_id = $1 AND id NOT IN ({placeholders})")
            };
            let mut delete = sqlx::query(&gone).bind(&c.id);
            for id in &listed {
                delete = delete.bind(*id);
            }
            delete.execute(&mut **tx).await.map_err(db)?;
            for (r, usage) in &snapshot.reservations {
                save_reservation(tx, r, *usage).await.map_err(db)?;
            }
            let unread = if snapshot.unread.is_empty() {
                None
            } else {
                Some(serde_json::to_string(&snapshot.unread).map_err(|e| desk::StoreError(format!("unread: {e}")))?)
            };
            sqlx::query(
                "INSERT INTO azure_source (customer_id, tenant_id, read_at, unread) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (customer_id) DO UPDATE SET tenant_id = excluded.tenant_id, read_at = excluded.read_at, \
                 unread = excluded.unread, error_code = NULL, error_message = NULL, error_status = NULL, error_at = NULL, \
                 error_request = NULL",
            )
            .bind(&c.id)
            .bind(&snapshot.tenant_id)
            .bind(snapshot.read_at.timestamp())
            .bind(unread)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
            Ok(())
        }

        /// One customer's failed read recorded in `tx`.
        async fn failure_in(
            tx: &mut sqlx::Transaction<'static, $db>,
            customer: &contract::Customer,
            tenant_id: &str,
            error: &contract::source::SourceError,
        ) -> desk::store::StoreResult<()> {
            let at = chrono::DateTime::parse_from_rfc3339(&error.at).map(|t| t.timestamp()).unwrap_or_default();
            sqlx::query(INSERT_CUSTOMER).bind(&customer.id).bind(&customer.name).bind(&customer.domain).execute(&mut **tx).await.map_err(db)?;
            let request = if error.request.is_empty() {
                None
            } else {
                Some(serde_json::to_string(&error.request).map_err(|e| desk::StoreError(format!("request IDs: {e}")))?)
            };
            sqlx::query(
                "INSERT INTO azure_source (customer_id, tenant_id, error_code, error_message, error_status, error_at, error_request) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (customer_id) DO UPDATE SET tenant_id = excluded.tenant_id, \
                 error_code = excluded.error_code, error_message = excluded.error_message, \
                 error_status = excluded.error_status, error_at = excluded.error_at, error_request = excluded.error_request",
            )
            .bind(&customer.id)
            .bind(tenant_id)
            .bind(&error.code)
            .bind(&error.message)
            .bind(error.status.map(i32::from))
            .bind(at)
            .bind(request)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
            Ok(())
        }


        impl desk::source::SourceStore for $store {
            async fn write_reads(&self, reads: &[desk::source::TenantRead]) -> desk::store::StoreResult<()> {
                let mut tx = self.begin_source().await?;
                for read in reads {
                    match read {
                        desk::source::TenantRead::Read(snapshot) => snapshot_in(&mut tx, snapshot).await?,
                        desk::source::TenantRead::Failed { customer, tenant_id, error } => failure_in(&mut tx, customer, tenant_id, error).await?,
                    }
                }
                tx.commit().await.map_err(db)
            }

            async fn record_refund_standing(&self, customer_id: &str, s: &contract::AzureRefundStanding) -> desk::store::StoreResult<()> {
                let at = chrono::DateTime::parse_from_rfc3339(&s.read_at).map_err(|e| desk::StoreError(format!("readAt: {e}")))?.timestamp();
                let sql = pick!(
                    $d,
                    "INSERT INTO azure_refund_standing (customer_id, consumed, consumed_currency, max_limit, max_limit_currency, read_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (customer_id) DO UPDATE SET consumed = excluded.consumed, \
                     consumed_currency = excluded.consumed_currency, max_limit = excluded.max_limit, \
                     max_limit_currency = excluded.max_limit_currency, read_at = excluded.read_at",
                    "INSERT INTO azure_refund_standing (customer_id, consumed, consumed_currency, max_limit, max_limit_currency, read_at) \
                     VALUES ($1, $2::numeric, $3, $4::numeric, $5, $6) ON CONFLICT (customer_id) DO UPDATE SET consumed = excluded.consumed, \
                     consumed_currency = excluded.consumed_currency, max_limit = excluded.max_limit, \
                     max_limit_currency = excluded.max_limit_currency, read_at = excluded.read_at"
                );
                sqlx::query(sql)
                    .bind(customer_id)
                    .bind(s.consumed_refunds_total.amount.to_string())
                    .bind(s.consumed_refunds_total.currency.code())
                    .bind(s.max_refund_limit.amount.to_string())
                    .bind(s.max_refund_limit.currency.code())
                    .bind(at)
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn record_change_refused(&self, customer_id: &str, refused: Option<&contract::source::SourceError>) -> desk::store::StoreResult<()> {
                let json = refused.map(serde_json::to_string).transpose().map_err(|e| desk::StoreError(format!("change refused: {e}")))?;
                sqlx::query("UPDATE azure_source SET change_refused = $2 WHERE customer_id = $1")
                    .bind(customer_id)
                    .bind(json)
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn record_directory(&self, customer_id: &str, access: &contract::source::DirectoryAccess) -> desk::store::StoreResult<()> {
                let json = serde_json::to_string(access).map_err(|e| desk::StoreError(format!("directory: {e}")))?;
                // The newer word by time (RFC 3339 in UTC, one format: compared as text).
                let sql = pick!(
                    $d,
                    "UPDATE azure_source SET directory = $2 WHERE customer_id = $1 AND (directory IS NULL OR json_extract(directory, '$.at') <= $3)",
                    "UPDATE azure_source SET directory = $2 WHERE customer_id = $1 AND (directory IS NULL OR (directory::json ->> 'at') <= $3)"
                );
                sqlx::query(sql)
                    .bind(customer_id)
                    .bind(json)
                    .bind(&access.at)
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(())
            }

            async fn refund_standing(&self, customer_id: &str) -> desk::store::StoreResult<Option<contract::AzureRefundStanding>> {
                let sql = pick!(
                    $d,
                    "SELECT consumed, consumed_currency, max_limit, max_limit_currency, read_at FROM azure_refund_standing WHERE customer_id = $1",
                    "SELECT consumed::text, consumed_currency, max_limit::text, max_limit_currency, read_at FROM azure_refund_standing \
                     WHERE customer_id = $1"
                );
                let found: Option<(String, String, String, String, i64)> =
                    sqlx::query_as(sql).bind(customer_id).fetch_optional(self.pool()).await.map_err(db)?;
                found
                    .map(|(consumed, consumed_currency, max, max_currency, at)| {
                        let consumed = $crate::rows::parse_money(&consumed, &consumed_currency).map_err(db)?;
                        let max = $crate::rows::parse_money(&max, &max_currency).map_err(db)?;
                        Ok(desk::source::standing(consumed, max, $crate::rows::instant(at)))
                    })
                    .transpose()
            }

            async fn source_status(&self, customer_id: &str) -> desk::store::StoreResult<Option<contract::source::SourceStatus>> {
                let found: Option<SourceRow> = sqlx::query_as(&format!("{SOURCE_ROWS} WHERE customer_id = $1"))
                    .bind(customer_id)
                    .fetch_optional(self.pool())
                    .await
                    .map_err(db)?;
                found.map(source_status_of).transpose()
            }

            async fn source_statuses(&self) -> desk::store::StoreResult<Vec<contract::source::SourceStatus>> {
                let rows: Vec<SourceRow> = sqlx::query_as(SOURCE_ROWS).fetch_all(self.pool()).await.map_err(db)?;
                rows.into_iter().map(source_status_of).collect()
            }

            async fn start_consent_run(&self, run: &desk::source::NewConsentRun, stale_before: chrono::DateTime<chrono::Utc>) -> desk::store::StoreResult<()> {
                let at = run.requested_at.timestamp();
                let mut tx = self.begin_source().await?;
                sqlx::query("INSERT INTO azure_consent_runs (id, requested_by, requested_at) VALUES ($1, $2, $3)")
                    .bind(&run.id)
                    .bind(&run.requested_by)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                for (position, t) in run.tenants.iter().enumerate() {
                    let position = i32::try_from(position).unwrap_or(i32::MAX);
                    // A claim its server abandoned (older than the claim's life) ends first.
                    sqlx::query(
                        "UPDATE azure_consents SET state = 'failed', code = 'Abandoned', message = $2, finished_at = $3, updated_at = $3 \
                         WHERE customer_id = $1 AND state IN ('pending', 'sending') AND updated_at < $4",
                    )
                    .bind(&t.customer_id)
                    .bind(desk::source::CONSENT_ABANDONED)
                    .bind(at)
                    .bind(stale_before.timestamp())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                    // Consented by another run within the claim's life: asked there.
                    let consented: Option<String> = sqlx::query_scalar(
                        "SELECT run_id FROM azure_consents WHERE customer_id = $1 AND state IN ('consented', 'alreadyConsented', 'renewed') \
                         AND updated_at >= $2 ORDER BY updated_at DESC LIMIT 1",
                    )
                    .bind(&t.customer_id)
                    .bind(stale_before.timestamp())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
                    let claimed = if consented.is_some() {
                        0
                    } else {
                        sqlx::query(
                        "INSERT INTO azure_consents (run_id, customer_id, position, name, tenant_id, state, updated_at, client_request_id) \
                         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT (customer_id) WHERE state IN ('pending', 'sending') DO NOTHING",
                    )
                    .bind(&run.id)
                    .bind(&t.customer_id)
                    .bind(position)
                    .bind(&t.name)
                    .bind(&t.tenant_id)
                    .bind(at)
                    .bind(&t.client_request_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?
                    .rows_affected()
                    };
                    if claimed == 1 {
                        continue;
                    }
                    let holder: Option<String> = match consented {
                        Some(run) => Some(run),
                        None => sqlx::query_scalar("SELECT run_id FROM azure_consents WHERE customer_id = $1 AND state IN ('pending', 'sending')")
                            .bind(&t.customer_id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db)?,
                    };
                    sqlx::query(
                        "INSERT INTO azure_consents (run_id, customer_id, position, name, tenant_id, state, updated_at, client_request_id, finished_at, other_run) \
                         VALUES ($1, $2, $3, $4, $5, 'elsewhere', $6, $7, $6, $8)",
                    )
                    .bind(&run.id)
                    .bind(&t.customer_id)
                    .bind(position)
                    .bind(&t.name)
                    .bind(&t.tenant_id)
                    .bind(at)
                    .bind(&t.client_request_id)
                    .bind(holder)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                tx.commit().await.map_err(db)
            }

            async fn consent_run(&self, id: &str) -> desk::store::StoreResult<Option<contract::source::ConsentRun>> {
                let run: Option<(String, String, i64)> = sqlx::query_as("SELECT id, requested_by, requested_at FROM azure_consent_runs WHERE id = $1")
                    .bind(id)
                    .fetch_optional(self.pool())
                    .await
                    .map_err(db)?;
                let Some((id, requested_by, requested_at)) = run else { return Ok(None) };
                type Row = (String, String, String, String, Option<i32>, Option<String>, Option<String>, Option<i64>, Option<String>, String, Option<String>, Option<String>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT customer_id, name, tenant_id, state, status, code, message, finished_at, other_run, client_request_id, request_id, correlation_id \
                     FROM azure_consents WHERE run_id = $1 ORDER BY position",
                )
                .bind(&id)
                .fetch_all(self.pool())
                .await
                .map_err(db)?;
                let text = |s: i64| desk::source::instant_text($crate::rows::instant(s));
                let mut tenants = Vec::with_capacity(rows.len());
                for (customer_id, name, tenant_id, state, status, code, message, finished_at, other_run, client_request_id, request_id, correlation_id) in rows {
                    let state = contract::source::ConsentState::from_code(&state).ok_or_else(|| desk::StoreError(format!("consent state {state:?}")))?;
                    tenants.push(contract::source::TenantConsent {
                        customer_id,
                        name,
                        tenant_id,
                        state,
                        status: status.and_then(|s| u16::try_from(s).ok()),
                        code,
                        message,
                        finished_at: finished_at.map(text),
                        other_run,
                        request: contract::source::AzureRequestIds { client_request_id: Some(client_request_id), request_id, correlation_id },
                    });
                }
                let run = contract::source::ConsentRun { id, requested_by, requested_at: text(requested_at), total: 0, finished: 0, done: false, tenants };
                Ok(Some(desk::source::counted(run)))
            }

            async fn consent_sending(&self, run_id: &str, customer_id: &str, at: chrono::DateTime<chrono::Utc>) -> desk::store::StoreResult<bool> {
                let sent = sqlx::query("UPDATE azure_consents SET state = 'sending', updated_at = $3 WHERE run_id = $1 AND customer_id = $2 AND state = 'pending'")
                    .bind(run_id)
                    .bind(customer_id)
                    .bind(at.timestamp())
                    .execute(self.pool())
                    .await
                    .map_err(db)?;
                Ok(sent.rows_affected() == 1)
            }

            async fn finish_consent(
                &self,
                run_id: &str,
                customer_id: &str,
                outcome: &desk::source::ConsentOutcome,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<bool> {
                let mut tx = self.begin_source().await?;
                let written = sqlx::query(
                    "UPDATE azure_consents SET state = $3, status = $4, code = $5, message = $6, request_id = $7, correlation_id = $8, \
                     finished_at = $9, updated_at = $9 WHERE run_id = $1 AND customer_id = $2 AND state IN ('pending', 'sending')",
                )
                .bind(run_id)
                .bind(customer_id)
                .bind(outcome.state.code())
                .bind(outcome.status.map(i32::from))
                .bind(&outcome.code)
                .bind(&outcome.message)
                .bind(&outcome.request.request_id)
                .bind(&outcome.request.correlation_id)
                .bind(at.timestamp())
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
                if written != 1 {
                    return Ok(false);
                }
                record(&mut tx, &self.key, at, audit).await?;
                tx.commit().await.map_err(db)?;
                Ok(true)
            }

            async fn unpriced_counts(&self) -> desk::store::StoreResult<Vec<(String, usize)>> {
                let rows: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT customer_id, COUNT(*) FROM reservations WHERE price_unknown IS NOT NULL GROUP BY customer_id",
                )
                .fetch_all(self.pool())
                .await
                .map_err(db)?;
                Ok(rows.into_iter().map(|(c, n)| (c, usize::try_from(n).unwrap_or_default())).collect())
            }
        }
    };
}
pub(crate) use source_store;
