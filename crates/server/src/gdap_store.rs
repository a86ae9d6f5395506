//! The partner's GDAP relationships for both SQL stores, `desk::gdap::GdapStore` written once:
//! [`gdap_store!`] expands inside `sqlite/` and `postgres/`. One row per customer in
//! `azure_gdap` (migration 0022 / PostgreSQL 0017): its relationships and the last read's error
//! as JSON of the contract's types, as Graph listed them; a write of every customer's row is one
//! transaction. No rule lives here.

/// `desk::gdap::GdapStore` for `$store` (see the module's doc).
macro_rules! gdap_store {
    ($d:ident, $store:ty, $db:ty) => {
        const GDAP_ROWS: &str = "SELECT customer_id, relationships, read_at, error FROM azure_gdap";

        /// One `azure_gdap` row as [`GDAP_ROWS`] selects it.
        type GdapRow = (String, String, Option<i64>, Option<String>);

        fn gdap_status_of(row: GdapRow) -> desk::store::StoreResult<contract::gdap::GdapStatus> {
            let (customer_id, relationships, read_at, error) = row;
            Ok(contract::gdap::GdapStatus {
                relationships: $crate::rows::decode("relationships", &relationships)?,
                read_at: read_at.map(|s| desk::source::instant_text($crate::rows::instant(s))),
                error: error.map(|e| $crate::rows::decode("error", &e)).transpose()?,
                customer_id,
            })
        }

        impl desk::gdap::GdapStore for $store {
            async fn write_gdap(&self, statuses: &[contract::gdap::GdapStatus]) -> desk::store::StoreResult<()> {
                let mut tx = pick!($d, self.begin_immediate().await, self.pool().begin().await.map_err(db))?;
                for status in statuses {
                    let relationships = serde_json::to_string(&status.relationships).map_err(|e| desk::StoreError(format!("relationships: {e}")))?;
                    let error = status.error.as_ref().map(serde_json::to_string).transpose().map_err(|e| desk::StoreError(format!("error: {e}")))?;
                    let read_at = status
                        .read_at
                        .as_deref()
                        .map(|at| chrono::DateTime::parse_from_rfc3339(at).map(|t| t.timestamp()))
                        .transpose()
                        .map_err(|e| desk::StoreError(format!("readAt: {e}")))?;
                    sqlx::query(
                        "INSERT INTO azure_gdap (customer_id, relationships, read_at, error) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (customer_id) DO UPDATE SET relationships = excluded.relationships, \
                         read_at = excluded.read_at, error = excluded.error",
                    )
                    .bind(&status.customer_id)
                    .bind(relationships)
                    .bind(read_at)
                    .bind(error)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                tx.commit().await.map_err(db)
            }

            async fn gdap_statuses(&self) -> desk::store::StoreResult<Vec<contract::gdap::GdapStatus>> {
                let rows: Vec<GdapRow> = sqlx::query_as(GDAP_ROWS).fetch_all(self.pool()).await.map_err(db)?;
                rows.into_iter().map(gdap_status_of).collect()
            }

            async fn gdap_status(&self, customer_id: &str) -> desk::store::StoreResult<Option<contract::gdap::GdapStatus>> {
                let found: Option<GdapRow> =
                    sqlx::query_as(&format!("{GDAP_ROWS} WHERE customer_id = $1")).bind(customer_id).fetch_optional(self.pool()).await.map_err(db)?;
                found.map(gdap_status_of).transpose()
            }
        }
    };
}
pub(crate) use gdap_store;
