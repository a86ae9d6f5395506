//! The partner pricing's port for both SQL stores, `desk::pricing::PricingStore` written once:
//! [`pricing_store!`] expands inside `sqlite/` and `postgres/`. Each price set is one
//! `partner_pricing` row (migration 0030 / PostgreSQL 0025) holding the contract's
//! `PartnerPricing` as JSON, with its customer (NULL: the default for all); rows are only ever
//! added, with their audit entry in one transaction. No rule lives here.

/// `desk::pricing::PricingStore` for `$store` (see the module's doc).
macro_rules! pricing_store {
    ($store:ty) => {
        impl desk::pricing::PricingStore for $store {
            async fn partner_pricing(&self, customer_id: Option<&str>) -> desk::store::StoreResult<Vec<contract::PartnerPricing>> {
                let rows: Vec<(String,)> = match customer_id {
                    Some(customer) => sqlx::query_as("SELECT pricing FROM partner_pricing WHERE customer_id = $1 ORDER BY id")
                        .bind(customer)
                        .fetch_all(self.pool())
                        .await
                        .map_err(db)?,
                    None => sqlx::query_as("SELECT pricing FROM partner_pricing WHERE customer_id IS NULL ORDER BY id").fetch_all(self.pool()).await.map_err(db)?,
                };
                rows.into_iter().map(|(pricing,)| $crate::rows::decode("pricing", &pricing)).collect()
            }

            async fn add_partner_pricing(
                &self,
                customer_id: Option<&str>,
                pricing: &contract::PartnerPricing,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<()> {
                let text = serde_json::to_string(pricing).map_err(|e| desk::StoreError(format!("pricing: {e}")))?;
                let mut tx = self.pool().begin().await.map_err(db)?;
                sqlx::query("INSERT INTO partner_pricing (customer_id, pricing, created_at) VALUES ($1, $2, $3)")
                    .bind(customer_id)
                    .bind(text)
                    .bind(at.timestamp())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await
            }
        }
    };
}
pub(crate) use pricing_store;
