//! What the two SQL stores do alike, written once: [`sql_store!`] expands, inside `sqlite/` and
//! `postgres/`, to the queries both run (the reads, the plain writes, the seed) and to the
//! store's whole `desk::Store` impl. Statements use `$1`, `$2`, … placeholders, which both
//! databases read; where the dialects differ (casts, `INSERT OR IGNORE`, `rowid`, collations),
//! [`pick!`] takes each store's text.
//!
//! What differs in how each store keeps a write safe, the store gives the expansion by name in
//! its module: `record` (an audit entry linked inside the transaction), `lock_owners` (the
//! reservations' customers locked, or nothing where the transaction's first statement took the
//! lock), and the inherent methods `begin_money`, `begin_order_change`, `begin_assignment`
//! (each write's transaction with its locks) and `decide_return` (a return: its view, decision
//! and write).

/// The SQLite store's text (`sqlite`) or PostgreSQL's (`postgres`).
macro_rules! pick {
    (sqlite, $sqlite:expr, $postgres:expr) => {
        $sqlite
    };
    (postgres, $sqlite:expr, $postgres:expr) => {
        $postgres
    };
}
pub(crate) use pick;

/// A reservation's `INSERT` in SQLite: `verb` is `INSERT OR IGNORE` (an existing ID is left as
/// it is) or `INSERT OR REPLACE` (written whole).
pub(crate) fn sqlite_reservation_insert(verb: &str) -> String {
    format!(
        "{verb} INTO reservations ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::rows::RESERVATION_COLUMNS
    )
}

/// A reservation's `INSERT` in PostgreSQL: an existing ID left as it is (`replace` false), or
/// the row written whole.
pub(crate) fn postgres_reservation_insert(replace: bool) -> String {
    let conflict = if replace {
        let every = "display_name, sku_name, location, reserved_resource_type, quantity, term, billing_plan, purchase_date, \
             expiry_date, unit_price, currency, pricing_unit_price_usd, applied_scope_type, applied_scope_properties, \
             provisioning_state, renew, usage_level, archived, split_properties, merge_properties, azure_utilization, price_unknown, today_price";
        let excluded = every.split(", ").map(|c| format!("EXCLUDED.{}", c.trim())).collect::<Vec<_>>().join(", ");
        format!("ON CONFLICT (id) DO UPDATE SET ({every}) = ROW({excluded})")
    } else {
        "ON CONFLICT DO NOTHING".to_owned()
    };
    format!(
        "INSERT INTO reservations ({}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::date, $13::numeric, $14, $15::numeric, \
         $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) {conflict}",
        crate::rows::RESERVATION_COLUMNS
    )
}

/// The queries and the `desk::Store` impl of `$store` over database `$db` (`sqlx::Sqlite` or
/// `sqlx::Postgres`), in dialect `$d` (`sqlite` or `postgres`); see the module's doc.
macro_rules! sql_store {
    ($d:ident, $store:ty, $db:ty) => {
        use $crate::rows::db;
        use $crate::sql_store::pick;

        /// The `SELECT` list of a reservation row (`rows::ReservationRow`) in this store.
        const RESERVATION_LIST: &str = pick!($d, $crate::rows::RESERVATION_COLUMNS, RESERVATION_SELECT);

        const CUSTOMERS: &str = "SELECT id, name, domain, \
            (SELECT COUNT(*) FROM reservations r WHERE r.customer_id = customers.id) AS reservation_count FROM customers";

        type Connection = <$db as sqlx::Database>::Connection;

        /// The reservations a `WHERE` clause (bound texts `$1`, `$2`, …) selects.
        pub(crate) async fn reservations_where(
            conn: &mut Connection,
            clause: &str,
            values: &[&str],
        ) -> desk::store::StoreResult<Vec<desk::store::Stored>> {
            let sql = format!("SELECT {RESERVATION_LIST} FROM reservations WHERE {clause}");
            let mut query = sqlx::query_as::<_, $crate::rows::ReservationRow>(&sql);
            for value in values {
                query = query.bind(*value);
            }
            let rows = query.fetch_all(conn).await.map_err(db)?;
            rows.into_iter().map(|row| row.into_reservation().map_err(db)).collect()
        }

        /// A reservation by order and ID; `None` when the pair does not belong together.
        pub(crate) async fn reservation(
            conn: &mut Connection,
            order_id: &str,
            reservation_id: &str,
        ) -> desk::store::StoreResult<Option<desk::store::Stored>> {
            let found = reservations_where(conn, "reservation_order_id = $1 AND id = $2", &[order_id, reservation_id]).await?;
            Ok(found.into_iter().next())
        }

        /// The reservations with these IDs, in any order, in one query (`id IN ($1, …)`).
        pub(crate) async fn reservations_by_ids(
            conn: &mut Connection,
            ids: &[String],
        ) -> desk::store::StoreResult<Vec<desk::store::Stored>> {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let placeholders = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let values: Vec<&str> = ids.iter().map(String::as_str).collect();
            reservations_where(conn, &format!("id IN ({placeholders})"), &values).await
        }

        /// The scopes a customer owns, in seed order.
        pub(crate) async fn scopes_of(conn: &mut Connection, customer_id: &str) -> desk::store::StoreResult<Vec<contract::Scope>> {
            let sql = pick!(
                $d,
                "SELECT scope_type, properties FROM customer_scopes WHERE customer_id = $1 ORDER BY rowid",
                "SELECT scope_type, properties FROM customer_scopes WHERE customer_id = $1 ORDER BY seq"
            );
            let found: Vec<(String, String)> = sqlx::query_as(sql).bind(customer_id).fetch_all(conn).await.map_err(db)?;
            found.into_iter().map($crate::rows::scope).collect()
        }

        /// An order's role assignments, oldest first.
        pub(crate) async fn assignments_of(
            conn: &mut Connection,
            order_id: &str,
        ) -> desk::store::StoreResult<Vec<contract::RoleAssignment>> {
            let sql = pick!(
                $d,
                "SELECT body FROM role_assignments WHERE reservation_order_id = $1 ORDER BY created_at, id",
                "SELECT body FROM role_assignments WHERE reservation_order_id = $1 ORDER BY created_at, id COLLATE \"C\""
            );
            let found: Vec<(String,)> = sqlx::query_as(sql).bind(order_id).fetch_all(conn).await.map_err(db)?;
            found.iter().map(|(body,)| $crate::rows::decode("role assignment", body)).collect()
        }

        /// Whether any reservation belongs to the order.
        pub(crate) async fn order_exists(conn: &mut Connection, order_id: &str) -> desk::store::StoreResult<bool> {
            let found = sqlx::query("SELECT 1 FROM reservations WHERE reservation_order_id = $1 LIMIT 1")
                .bind(order_id)
                .fetch_optional(conn)
                .await
                .map_err(db)?;
            Ok(found.is_some())
        }

        /// A customer's refund ledger, oldest first.
        pub(crate) async fn ledger(
            conn: &mut Connection,
            customer_id: &str,
        ) -> desk::store::StoreResult<Vec<desk_service::limit::LedgerEntry>> {
            let sql = pick!(
                $d,
                "SELECT customer_id, date, amount, currency, reservation_id, reservation_order_id \
                 FROM refund_ledger WHERE customer_id = $1 ORDER BY date, id",
                "SELECT customer_id, to_char(date, 'YYYY-MM-DD'), amount::text, currency, reservation_id, reservation_order_id \
                 FROM refund_ledger WHERE customer_id = $1 ORDER BY date, id"
            );
            let rows: Vec<$crate::rows::LedgerText> = sqlx::query_as(sql).bind(customer_id).fetch_all(conn).await.map_err(db)?;
            rows.into_iter().map($crate::rows::ledger_entry).collect()
        }

        /// Every row of the refund ledger, in the order written.
        pub(crate) async fn whole_ledger(conn: &mut Connection) -> desk::store::StoreResult<Vec<desk_service::limit::LedgerEntry>> {
            let sql = pick!(
                $d,
                "SELECT customer_id, date, amount, currency, reservation_id, reservation_order_id FROM refund_ledger ORDER BY id",
                "SELECT customer_id, to_char(date, 'YYYY-MM-DD'), amount::text, currency, reservation_id, reservation_order_id \
                 FROM refund_ledger ORDER BY id"
            );
            let rows: Vec<$crate::rows::LedgerText> = sqlx::query_as(sql).fetch_all(conn).await.map_err(db)?;
            rows.into_iter().map($crate::rows::ledger_entry).collect()
        }

        /// Records the entries that start covering the refund ledger (`desk::audit_chain::ledger_baselines`):
        /// every row the ledger holds now, one entry per customer. Run once per database, by the step that opens it
        /// after the migration that asks for it (`audit_upgrade`), in that step's transaction.
        pub(crate) async fn record_ledger_baseline(
            conn: &mut Connection,
            key: &desk::audit_chain::ChainKey,
            at: chrono::DateTime<chrono::Utc>,
        ) -> desk::store::StoreResult<()> {
            let rows = whole_ledger(&mut *conn).await?.iter().map(desk::audit_chain::ledger_row).collect();
            for entry in desk::audit_chain::ledger_baselines(at, rows) {
                record(&mut *conn, key, at, &entry).await?;
            }
            Ok(())
        }

        /// Deletes the sessions of one kind (`sessions`: `refund_sessions` or `exchange_sessions`) that
        /// expired before `before` and were never submitted (`done`: the table whose rows name a
        /// submitted one by `session_id`; a repeat submission is answered from it, so those stay).
        pub(crate) async fn purge_expired_sessions(
            conn: &mut Connection,
            sessions: &'static str,
            done: &'static str,
            before: chrono::DateTime<chrono::Utc>,
        ) -> desk::store::StoreResult<()> {
            let sql = format!(
                "DELETE FROM {sessions} WHERE expires_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM {done} WHERE {done}.session_id = {sessions}.id) \
                 AND NOT EXISTS (SELECT 1 FROM approvals WHERE approvals.session_id = {sessions}.id) \
                 AND NOT EXISTS (SELECT 1 FROM upstream_operations u WHERE u.desk_session_id = {sessions}.id AND u.state IN ('asked', 'sent'))"
            );
            sqlx::query(&sql).bind(before.timestamp()).execute(conn).await.map_err(db)?;
            Ok(())
        }

        /// The customer of an order's reservations.
        pub(crate) async fn order_customer(conn: &mut Connection, order_id: &str) -> desk::store::StoreResult<Option<String>> {
            let found: Option<(String,)> = sqlx::query_as("SELECT customer_id FROM reservations WHERE reservation_order_id = $1 LIMIT 1")
                .bind(order_id)
                .fetch_optional(conn)
                .await
                .map_err(db)?;
            Ok(found.map(|(id,)| id))
        }

        /// The ledger of `reservation`'s customer; empty without a reservation.
        pub(crate) async fn ledger_of(
            conn: &mut Connection,
            reservation: Option<&desk::store::Stored>,
        ) -> desk::store::StoreResult<Vec<desk_service::limit::LedgerEntry>> {
            match reservation {
                Some((r, _)) => ledger(conn, &r.customer_id).await,
                None => Ok(Vec::new()),
            }
        }

        /// The stored answer of a completed session (`sql` selects one `response` column by
        /// session ID).
        pub(crate) async fn completed<T: serde::de::DeserializeOwned>(
            conn: &mut Connection,
            sql: &str,
            session_id: &str,
        ) -> desk::store::StoreResult<Option<T>> {
            let row: Option<(String,)> = sqlx::query_as(sql).bind(session_id).fetch_optional(conn).await.map_err(db)?;
            row.map(|(json,)| $crate::rows::decode("response", &json)).transpose()
        }

        /// A refund session by ID.
        pub(crate) async fn refund_session(
            conn: &mut Connection,
            session_id: &str,
        ) -> desk::store::StoreResult<Option<desk::store::RefundSession>> {
            let row: Option<$crate::rows::RefundSessionRow> = sqlx::query_as(
                "SELECT reservation_order_id, reservation_id, policy, quote, created_at, expires_at FROM refund_sessions WHERE id = $1",
            )
            .bind(session_id)
            .fetch_optional(conn)
            .await
            .map_err(db)?;
            row.map(|row| $crate::rows::refund_session(session_id, row)).transpose()
        }

        /// An exchange session by ID.
        async fn exchange_session(
            conn: &mut Connection,
            session_id: &str,
        ) -> desk::store::StoreResult<Option<desk::store::ExchangeSession>> {
            let row: Option<$crate::rows::ExchangeSessionRow> =
                sqlx::query_as("SELECT request, quote, offers, created_at, expires_at FROM exchange_sessions WHERE id = $1")
                    .bind(session_id)
                    .fetch_optional(conn)
                    .await
                    .map_err(db)?;
            row.map(|row| $crate::rows::exchange_session(session_id, row)).transpose()
        }

        /// A purchase session by ID.
        pub(crate) async fn purchase_session(
            conn: &mut Connection,
            session_id: &str,
        ) -> desk::store::StoreResult<Option<desk::store::PurchaseSession>> {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT session FROM purchase_sessions WHERE id = $1").bind(session_id).fetch_optional(conn).await.map_err(db)?;
            row.map(|(json,)| $crate::rows::decode("purchase session", &json)).transpose()
        }

        /// What a purchase of `session_id` is decided on, its customer locked as its other money
        /// moves lock it (`lock_customer`) before anything of theirs is read.
        pub(crate) async fn purchase_view(conn: &mut Connection, session_id: &str) -> desk::store::StoreResult<desk::store::PurchaseView> {
            let Some(session) = purchase_session(&mut *conn, session_id).await? else {
                return Ok(desk::store::PurchaseView::default());
            };
            let customer = session.request.customer_id.clone();
            lock_customer(&mut *conn, &customer).await?;
            let completed = completed(&mut *conn, "SELECT response FROM purchases WHERE session_id = $1", session_id).await?;
            let scopes = scopes_of(&mut *conn, &customer).await?;
            let currency: Option<(String,)> = sqlx::query_as("SELECT currency FROM reservations WHERE customer_id = $1 LIMIT 1")
                .bind(&customer)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
            let currency = match currency {
                Some((code,)) => Some(
                    quote_engine::Currency::new(&code).map_err(|e| desk::StoreError::corrupt("reservation currency", e))?,
                ),
                None => None,
            };
            Ok(desk::store::PurchaseView { completed, session: Some(session), scopes, currency })
        }

        /// Writes a purchase (the reservation bought, the record and the audit entry) in the
        /// caller's transaction.
        pub(crate) async fn write_purchase(
            conn: &mut Connection, key: &desk::audit_chain::ChainKey, write: &desk::store::PurchaseWrite,
        ) -> desk::store::StoreResult<()> {
            let (r, usage) = &write.purchased;
            insert_reservation(&mut *conn, r, *usage).await.map_err(db)?;
            // In Azure mode a read may bring the reservation, and a change its revisions, before
            // the purchase is recorded: its History then starts there.
            let revised: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM reservation_revisions WHERE reservation_order_id = $1 AND reservation_id = $2 LIMIT 1")
                .bind(&r.reservation_order_id)
                .bind(&r.id)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
            if revised.is_none() {
                insert_revision(&mut *conn, &write.revision, write.at).await?;
            }
            let response = $crate::rows::encode(&write.response)?;
            insert_completed(&mut *conn, "purchases", &write.response.session_id, &write.response.reservation_order_id, write.at, &response).await?;
            record(conn, key, write.at, &write.audit).await
        }

        /// Records a completed money move of a session (`table`: `exchanges` or `purchases`) with
        /// the answer a repeated submission gets.
        async fn insert_completed(
            conn: &mut Connection, table: &'static str, session_id: &str, order_id: &str, at: chrono::DateTime<chrono::Utc>, response: &str,
        ) -> desk::store::StoreResult<()> {
            let sql = format!("INSERT INTO {table} (session_id, reservation_order_id, created_at, response) VALUES ($1, $2, $3, $4)");
            sqlx::query(&sql).bind(session_id).bind(order_id).bind(at.timestamp()).bind(response).execute(conn).await.map_err(db)?;
            Ok(())
        }

        /// Adds a revision of a reservation, written at `at`.
        pub(crate) async fn insert_revision(
            conn: &mut Connection, revision: &contract::Revision, at: chrono::DateTime<chrono::Utc>,
        ) -> desk::store::StoreResult<()> {
            sqlx::query(
                "INSERT INTO reservation_revisions (reservation_order_id, reservation_id, revision, at, body) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&revision.reservation.reservation_order_id)
            .bind(&revision.reservation.id)
            .bind(i64::from(revision.revision))
            .bind(at.timestamp())
            .bind($crate::rows::encode(revision)?)
            .execute(conn)
            .await
            .map_err(db)?;
            Ok(())
        }

        /// Writes an exchange (its returns, purchases, record and audit entry) in the caller's
        /// transaction.
        pub(crate) async fn write_exchange(
            conn: &mut Connection, key: &desk::audit_chain::ChainKey, write: &desk::store::ExchangeWrite,
        ) -> desk::store::StoreResult<()> {
            for (order_id, reservation_id, left, state) in &write.returns {
                set_quantity(&mut *conn, order_id, reservation_id, *left, *state).await?;
            }
            for (r, usage) in &write.purchased {
                insert_reservation(&mut *conn, r, *usage).await.map_err(db)?;
            }
            for plan in &write.savings_plans {
                insert_savings_plan(&mut *conn, plan).await.map_err(db)?;
            }
            for m in &write.moves {
                insert_move(&mut *conn, m, write.at.timestamp()).await?;
            }
            let response = $crate::rows::encode(&write.response)?;
            insert_completed(&mut *conn, "exchanges", &write.response.session_id, &write.response.reservation_order_id, write.at, &response).await?;
            record(conn, key, write.at, &write.audit).await
        }

        /// The approval requests a `SELECT body FROM approvals …` (bound texts `$1`, `$2`, …) selects.
        pub(crate) async fn approvals_where(
            conn: &mut Connection, sql: &str, binds: &[&str],
        ) -> desk::store::StoreResult<Vec<contract::Approval>> {
            let mut query = sqlx::query_as::<_, (String,)>(sql);
            for bind in binds {
                query = query.bind(*bind);
            }
            let rows = query.fetch_all(conn).await.map_err(db)?;
            rows.iter().map(|(json,)| $crate::rows::decode("approval", json)).collect()
        }

        /// Inserts an approval request, or replaces the stored one of its ID (its state and body).
        pub(crate) async fn save_approval(
            conn: &mut Connection, a: &contract::Approval, at: chrono::DateTime<chrono::Utc>,
        ) -> desk::store::StoreResult<()> {
            sqlx::query(
                "INSERT INTO approvals (id, kind, session_id, customer_id, status, created_at, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body",
            )
            .bind(&a.id)
            .bind($crate::rows::enum_text(&a.kind))
            .bind(&a.session_id)
            .bind(&a.customer_id)
            .bind($crate::rows::enum_text(&a.status))
            .bind(at.timestamp())
            .bind($crate::rows::encode(a)?)
            .execute(conn)
            .await
            .map_err(db)?;
            Ok(())
        }

        /// Sets a reservation's units and state.
        pub(crate) async fn set_quantity(
            conn: &mut Connection,
            order_id: &str,
            reservation_id: &str,
            quantity: u32,
            state: contract::ProvisioningState,
        ) -> desk::store::StoreResult<()> {
            sqlx::query("UPDATE reservations SET quantity = $1, provisioning_state = $2 WHERE reservation_order_id = $3 AND id = $4")
                .bind(i64::from(quantity))
                .bind($crate::rows::enum_text(&state))
                .bind(order_id)
                .bind(reservation_id)
                .execute(conn)
                .await
                .map_err(db)?;
            Ok(())
        }

        /// Keeps a money move for its reservation's History.
        pub(crate) async fn insert_move(conn: &mut Connection, m: &desk::store::Move, at: i64) -> desk::store::StoreResult<()> {
            sqlx::query("INSERT INTO reservation_moves (reservation_order_id, reservation_id, at, body) VALUES ($1, $2, $3, $4)")
                .bind(&m.order_id)
                .bind(&m.reservation_id)
                .bind(at)
                .bind($crate::rows::encode(m)?)
                .execute(conn)
                .await
                .map_err(db)?;
            Ok(())
        }

        /// Adds an entry to a customer's ledger.
        pub(crate) async fn insert_ledger_entry(
            conn: &mut Connection, e: &desk_service::limit::LedgerEntry,
        ) -> Result<(), sqlx::Error> {
            let sql = pick!(
                $d,
                "INSERT INTO refund_ledger (customer_id, date, amount, currency, reservation_id, reservation_order_id) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                "INSERT INTO refund_ledger (customer_id, date, amount, currency, reservation_id, reservation_order_id) \
                 VALUES ($1, $2::date, $3::numeric, $4, $5, $6)"
            );
            sqlx::query(sql)
                .bind(&e.customer_id)
                .bind(e.date.to_string())
                .bind(e.amount.amount.to_string())
                .bind(e.amount.currency.code())
                .bind(&e.reservation_id)
                .bind(&e.reservation_order_id)
                .execute(conn)
                .await?;
            Ok(())
        }

        /// A customer's savings plans, newest first.
        pub(crate) async fn savings_plans_of(
            conn: &mut Connection, customer_id: &str,
        ) -> desk::store::StoreResult<Vec<contract::SavingsPlan>> {
            let sql = pick!(
                $d,
                format!(
                    "SELECT {} FROM savings_plans WHERE customer_id = $1 ORDER BY start_date DESC, id",
                    $crate::rows::SAVINGS_PLAN_COLUMNS
                ),
                "SELECT id, savings_plan_order_id, customer_id, display_name, sku_name, term, billing_plan, \
                 commitment_amount::text AS commitment_amount, currency, commitment_grain, \
                 lifetime_commitment::text AS lifetime_commitment, applied_scope_type, applied_scope_properties, \
                 to_char(start_date, 'YYYY-MM-DD') AS start_date, to_char(expiry_date, 'YYYY-MM-DD') AS expiry_date, \
                 exchange_session_id FROM savings_plans WHERE customer_id = $1 ORDER BY start_date DESC, id COLLATE \"C\""
                    .to_owned()
            );
            let rows: Vec<$crate::rows::SavingsPlanRow> = sqlx::query_as(&sql).bind(customer_id).fetch_all(conn).await.map_err(db)?;
            rows.into_iter().map($crate::rows::savings_plan).collect()
        }

        /// Inserts a savings plan bought by a trade-in.
        pub(crate) async fn insert_savings_plan(conn: &mut Connection, p: &contract::SavingsPlan) -> Result<(), sqlx::Error> {
            use $crate::rows::{enum_text, json_text};
            let sql = pick!(
                $d,
                format!(
                    "INSERT INTO savings_plans ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                    $crate::rows::SAVINGS_PLAN_COLUMNS
                ),
                format!(
                    "INSERT INTO savings_plans ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $9, $10, $11::numeric, $12, $13, \
                     $14::date, $15::date, $16)",
                    $crate::rows::SAVINGS_PLAN_COLUMNS
                )
            );
            sqlx::query(&sql)
                .bind(&p.id)
                .bind(&p.savings_plan_order_id)
                .bind(&p.customer_id)
                .bind(&p.display_name)
                .bind(&p.sku_name)
                .bind(enum_text(&p.term))
                .bind(enum_text(&p.billing_plan))
                .bind(p.commitment.amount.to_string())
                .bind(p.commitment.currency_code.code())
                .bind(enum_text(&p.commitment.grain))
                .bind(p.lifetime_commitment.amount.to_string())
                .bind(enum_text(&p.applied_scope_type))
                .bind(json_text(p.applied_scope_properties.as_ref()))
                .bind(p.start_date.to_string())
                .bind(p.expiry_date.to_string())
                .bind(&p.exchange_session_id)
                .execute(conn)
                .await?;
            Ok(())
        }

        /// Inserts a reservation (the seed, exchanges); an existing ID is left as it is.
        pub(crate) async fn insert_reservation(
            conn: &mut Connection, r: &contract::Reservation, usage: desk_service::utilization::UsageProfile,
        ) -> Result<(), sqlx::Error> {
            write_reservation(conn, false, r, usage).await
        }

        /// Writes a reservation whole: inserted, or replacing the row of the same ID.
        pub(crate) async fn save_reservation(
            conn: &mut Connection, r: &contract::Reservation, usage: desk_service::utilization::UsageProfile,
        ) -> Result<(), sqlx::Error> {
            write_reservation(conn, true, r, usage).await
        }

        /// Inserts a reservation; `replace`: an existing ID's row is written whole, otherwise it
        /// is left as it is.
        async fn write_reservation(
            conn: &mut Connection,
            replace: bool,
            r: &contract::Reservation,
            usage: desk_service::utilization::UsageProfile,
        ) -> Result<(), sqlx::Error> {
            use $crate::rows::{enum_text, json_text};
            let sql = pick!(
                $d,
                $crate::sql_store::sqlite_reservation_insert(if replace { "INSERT OR REPLACE" } else { "INSERT OR IGNORE" }),
                $crate::sql_store::postgres_reservation_insert(replace)
            );
            sqlx::query(&sql)
                .bind(&r.id)
                .bind(&r.reservation_order_id)
                .bind(&r.customer_id)
                .bind(&r.display_name)
                .bind(&r.sku_name)
                .bind(&r.location)
                .bind(&r.reserved_resource_type)
                .bind(i64::from(r.quantity))
                .bind(enum_text(&r.term))
                .bind(enum_text(&r.billing_plan))
                .bind(r.purchase_date.to_string())
                .bind(r.expiry_date.to_string())
                .bind(r.unit_price.amount.to_string())
                .bind(r.unit_price.currency.code())
                .bind(r.pricing_unit_price.map(|p| p.amount.to_string()))
                .bind(enum_text(&r.applied_scope_type))
                .bind(json_text(r.applied_scope_properties.as_ref()))
                .bind(enum_text(&r.provisioning_state))
                .bind(r.renew)
                .bind(usage.level.map(i64::from))
                .bind(r.archived)
                .bind(json_text(r.split_properties.as_ref()))
                .bind(json_text(r.merge_properties.as_ref()))
                .bind(json_text(usage.read.as_ref()))
                .bind(json_text(r.price_unknown.as_ref()))
                .bind(json_text(r.today_price.as_ref()))
                .execute(conn)
                .await?;
            Ok(())
        }

        /// Stores a role assignment (also the seed's); an existing ID is left as it is.
        pub(crate) async fn insert_role_assignment(
            conn: &mut Connection, a: &contract::RoleAssignment, at: i64,
        ) -> Result<(), sqlx::Error> {
            let sql = pick!(
                $d,
                "INSERT OR IGNORE INTO role_assignments (id, reservation_order_id, created_at, body) VALUES ($1, $2, $3, $4)",
                "INSERT INTO role_assignments (id, reservation_order_id, created_at, body) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING"
            );
            sqlx::query(sql)
                .bind(&a.id)
                .bind(&a.reservation_order_id)
                .bind(at)
                .bind(serde_json::to_string(a).unwrap_or_default())
                .execute(conn)
                .await?;
            Ok(())
        }

        /// Stores a grant (also the seed's); `false` when it is there already (the same ID, or the
        /// same group, customer and role).
        pub(crate) async fn insert_grant(conn: &mut Connection, g: &contract::Grant, at: i64) -> Result<bool, sqlx::Error> {
            let sql = pick!(
                $d,
                "INSERT OR IGNORE INTO grants (id, group_id, customer_id, role, created_at) VALUES ($1, $2, $3, $4, $5)",
                "INSERT INTO grants (id, group_id, customer_id, role, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"
            );
            let done = sqlx::query(sql)
                .bind(&g.id)
                .bind(&g.group_id)
                .bind(g.customer_id.as_deref())
                .bind($crate::rows::enum_text(&g.role))
                .bind(at)
                .execute(conn)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        /// Inserts the demo data's rows (`desk_service::seed::demo_data`) in the caller's
        /// transaction: its customers on every start, the rest only into a store without
        /// reservations (a restart keeps every change); rows that already exist are left as they are.
        pub(crate) async fn insert_seed(conn: &mut Connection, data: &desk_service::seed::DemoData) -> Result<(), sqlx::Error> {
            let (seeded,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reservations").fetch_one(&mut *conn).await?;
            for customer in &data.customers {
                let sql = pick!(
                    $d,
                    "INSERT OR IGNORE INTO customers (id, name, domain) VALUES ($1, $2, $3)",
                    "INSERT INTO customers (id, name, domain) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                );
                sqlx::query(sql).bind(&customer.id).bind(&customer.name).bind(&customer.domain).execute(&mut *conn).await?;
            }
            if seeded != 0 {
                return Ok(());
            }
            for r in &data.reservations {
                insert_reservation(conn, &r.reservation, r.usage).await?;
            }
            for a in &data.role_assignments {
                insert_role_assignment(conn, a, 0).await?;
            }
            for g in &data.grants {
                insert_grant(conn, g, 0).await?;
            }
            for entry in &data.ledger {
                insert_ledger_entry(conn, entry).await?;
            }
            for scope in &data.scopes {
                let sql = pick!(
                    $d,
                    "INSERT OR IGNORE INTO customer_scopes (customer_id, scope_type, properties) VALUES ($1, $2, $3)",
                    "INSERT INTO customer_scopes (customer_id, scope_type, properties) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                );
                sqlx::query(sql)
                    .bind(&scope.customer_id)
                    .bind($crate::rows::enum_text(&scope.scope_type))
                    .bind(serde_json::to_string(&scope.properties).unwrap_or_default())
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }

        async fn commit(tx: sqlx::Transaction<'_, $db>) -> desk::store::StoreResult<()> {
            tx.commit().await.map_err(db)
        }

        impl $store {
            async fn conn(&self) -> desk::store::StoreResult<sqlx::pool::PoolConnection<$db>> {
                self.pool().acquire().await.map_err(db)
            }

            async fn customers_where(&self, clause: &str, value: Option<&str>) -> desk::store::StoreResult<Vec<contract::Customer>> {
                let order = pick!($d, "ORDER BY name", "ORDER BY name COLLATE \"C\", id COLLATE \"C\"");
                let sql = format!("{CUSTOMERS} {clause} {order}");
                let mut query = sqlx::query_as::<_, (String, String, String, i64)>(&sql);
                if let Some(value) = value {
                    query = query.bind(value);
                }
                let rows = query.fetch_all(self.pool()).await.map_err(db)?;
                Ok(rows.into_iter().map($crate::rows::customer).collect())
            }

            /// The texts of a `body` column a statement selects with `$1` bound to `value` (and
            /// `$2` to `limit`, when given).
            async fn bodies<T: serde::de::DeserializeOwned>(
                &self,
                what: &str,
                sql: &str,
                value: Option<&str>,
                limit: Option<i64>,
            ) -> desk::store::StoreResult<Vec<T>> {
                let mut query = sqlx::query_as::<_, (String,)>(sql).bind(value);
                if let Some(limit) = limit {
                    query = query.bind(limit);
                }
                let found = query.fetch_all(self.pool()).await.map_err(db)?;
                found.iter().map(|(body,)| $crate::rows::decode(what, body)).collect()
            }

            /// The customer's reservations' change counter (`customers.reservations_version`, kept
            /// by triggers; `list_cache.rs`), `None` when there is no such customer.
            pub async fn reservations_version(&self, customer_id: &str) -> desk::store::StoreResult<Option<i64>> {
                let found: Option<(i64,)> = sqlx::query_as("SELECT reservations_version FROM customers WHERE id = $1")
                    .bind(customer_id)
                    .fetch_optional(self.pool())
                    .await
                    .map_err(db)?;
                Ok(found.map(|(v,)| v))
            }
        }

        impl desk::store::Store for $store {
            async fn customers(&self) -> desk::store::StoreResult<Vec<contract::Customer>> {
                self.customers_where("", None).await
            }

            async fn customer(&self, id: &str) -> desk::store::StoreResult<Option<contract::Customer>> {
                Ok(self.customers_where("WHERE id = $1", Some(id)).await?.into_iter().next())
            }

            async fn reservations_of(&self, customer_id: &str) -> desk::store::StoreResult<Vec<desk::store::Stored>> {
                reservations_where(&mut *self.conn().await?, "customer_id = $1", &[customer_id]).await
            }

            async fn reservation(
                &self,
                order_id: &str,
                reservation_id: &str,
            ) -> desk::store::StoreResult<Option<desk::store::Stored>> {
                reservation(&mut *self.conn().await?, order_id, reservation_id).await
            }

            async fn reservations_by_ids(&self, reservation_ids: &[String]) -> desk::store::StoreResult<Vec<desk::store::Stored>> {
                reservations_by_ids(&mut *self.conn().await?, reservation_ids).await
            }

            async fn order_exists(&self, order_id: &str) -> desk::store::StoreResult<bool> {
                order_exists(&mut *self.conn().await?, order_id).await
            }

            async fn ledger(&self, customer_id: &str) -> desk::store::StoreResult<Vec<desk_service::limit::LedgerEntry>> {
                ledger(&mut *self.conn().await?, customer_id).await
            }

            async fn scopes(&self, customer_id: &str) -> desk::store::StoreResult<Vec<contract::Scope>> {
                scopes_of(&mut *self.conn().await?, customer_id).await
            }

            async fn role_assignments(&self, order_id: &str) -> desk::store::StoreResult<Vec<contract::RoleAssignment>> {
                assignments_of(&mut *self.conn().await?, order_id).await
            }

            async fn audit(&self, customer_id: Option<&str>, limit: usize) -> desk::store::StoreResult<Vec<contract::AuditEntry>> {
                let sql = pick!(
                    $d,
                    "SELECT body FROM audit WHERE $1 IS NULL OR customer_id = $1 ORDER BY id DESC LIMIT $2",
                    "SELECT body FROM audit WHERE $1::text IS NULL OR customer_id = $1 ORDER BY id DESC LIMIT $2"
                );
                self.bodies("audit entry", sql, customer_id, Some(i64::try_from(limit).unwrap_or(i64::MAX))).await
            }

            async fn audit_chain(&self) -> desk::store::StoreResult<desk::audit_chain::AuditChain> {
                // One snapshot: the ledger read as of the same moment as the chain (a SQLite
                // read transaction is one; PostgreSQL's default takes one per statement).
                let mut tx = self.pool().begin().await.map_err(db)?;
                let snapshot: Option<&str> = pick!($d, None, Some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
                if let Some(sql) = snapshot {
                    sqlx::query(sql).execute(&mut *tx).await.map_err(db)?;
                }
                let rows: Vec<(i64, i64, Option<String>, String, String)> = sqlx::query_as(pick!(
                    $d,
                    "SELECT format, at, customer_id, body, hash FROM audit ORDER BY id",
                    "SELECT format::bigint, at, customer_id, body, hash FROM audit ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
                let links = rows
                    .into_iter()
                    .map(|(format, at, customer_id, body, hash)| desk::audit_chain::ChainLink {
                        // An unknown format (a tampered row) is reported by `verify` as such.
                        format: u8::try_from(format).unwrap_or(u8::MAX),
                        at,
                        customer_id,
                        body,
                        hash,
                    })
                    .collect();
                let ledger = whole_ledger(&mut tx).await?.iter().map(desk::audit_chain::ledger_row).collect();
                tx.rollback().await.map_err(db)?;
                Ok(desk::audit_chain::AuditChain { links, ledger, key: self.key.clone() })
            }

            async fn order_customer(&self, order_id: &str) -> desk::store::StoreResult<Option<String>> {
                order_customer(&mut *self.conn().await?, order_id).await
            }

            async fn support_requests(&self, customer_id: Option<&str>) -> desk::store::StoreResult<Vec<contract::SupportRequest>> {
                let sql = pick!(
                    $d,
                    "SELECT body FROM support_requests WHERE $1 IS NULL OR customer_id = $1 ORDER BY created_at DESC, rowid DESC",
                    "SELECT body FROM support_requests WHERE $1::text IS NULL OR customer_id = $1 ORDER BY created_at DESC, seq DESC"
                );
                self.bodies("support request", sql, customer_id, None).await
            }

            async fn support_request(&self, id: &str) -> desk::store::StoreResult<Option<contract::SupportRequest>> {
                let found = self.bodies("support request", "SELECT body FROM support_requests WHERE id = $1", Some(id), None).await?;
                Ok(found.into_iter().next())
            }

            async fn revisions(&self, order_id: &str, reservation_id: &str) -> desk::store::StoreResult<Vec<contract::Revision>> {
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT body FROM reservation_revisions WHERE reservation_order_id = $1 AND reservation_id = $2 \
                     ORDER BY revision",
                )
                .bind(order_id)
                .bind(reservation_id)
                .fetch_all(self.pool())
                .await
                .map_err(db)?;
                rows.iter().map(|(body,)| $crate::rows::decode("revision", body)).collect()
            }

            async fn moves_of(&self, order_id: &str, reservation_id: &str) -> desk::store::StoreResult<Vec<desk::store::Move>> {
                let rows: Vec<(String,)> = sqlx::query_as(
                    "SELECT body FROM reservation_moves WHERE reservation_order_id = $1 AND reservation_id = $2 ORDER BY seq",
                )
                .bind(order_id)
                .bind(reservation_id)
                .fetch_all(self.pool())
                .await
                .map_err(db)?;
                rows.iter().map(|(body,)| $crate::rows::decode("money move", body)).collect()
            }

            async fn savings_plans_of(&self, customer_id: &str) -> desk::store::StoreResult<Vec<contract::SavingsPlan>> {
                savings_plans_of(&mut *self.conn().await?, customer_id).await
            }

            async fn exchange_session(&self, session_id: &str) -> desk::store::StoreResult<Option<desk::store::ExchangeSession>> {
                exchange_session(&mut *self.conn().await?, session_id).await
            }

            async fn grants(&self) -> desk::store::StoreResult<Vec<contract::Grant>> {
                let sql = pick!(
                    $d,
                    "SELECT id, group_id, customer_id, role FROM grants ORDER BY created_at, rowid",
                    "SELECT id, group_id, customer_id, role FROM grants ORDER BY created_at, seq"
                );
                let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(sql).fetch_all(self.pool()).await.map_err(db)?;
                rows.into_iter()
                    .map(|(id, group_id, customer_id, role)| {
                        Ok(contract::Grant { id, group_id, customer_id, role: $crate::rows::decode_enum("grant role", role)? })
                    })
                    .collect()
            }

            async fn alert_subscriptions(&self) -> desk::store::StoreResult<Vec<(String, String)>> {
                let sql = "SELECT user_name, customer_id FROM alert_subscriptions ORDER BY user_name, customer_id";
                sqlx::query_as(sql).fetch_all(self.pool()).await.map_err(db)
            }

            async fn alert_deliveries(&self, limit: usize) -> desk::store::StoreResult<Vec<contract::AlertDelivery>> {
                let sql = "SELECT alert_key, recipient, customer_id, alert, status, attempts, sent_at, last_error, next_attempt_at \
                           FROM alert_deliveries ORDER BY claimed_at DESC, alert_key, recipient LIMIT $1";
                let rows: Vec<$crate::alerts::DeliveryRow> =
                    sqlx::query_as(sql).bind(i64::try_from(limit).unwrap_or(i64::MAX)).fetch_all(self.pool()).await.map_err(db)?;
                rows.into_iter().map($crate::alerts::delivery_of_row).collect()
            }

            async fn set_alert_subscription(
                &self,
                user: &str,
                customer_id: &str,
                subscribed: bool,
                at: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<()> {
                let query = if subscribed {
                    sqlx::query("INSERT INTO alert_subscriptions (user_name, customer_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(user)
                        .bind(customer_id)
                        .bind(at.timestamp())
                } else {
                    sqlx::query("DELETE FROM alert_subscriptions WHERE user_name = $1 AND customer_id = $2").bind(user).bind(customer_id)
                };
                query.execute(self.pool()).await.map_err(db)?;
                Ok(())
            }

            async fn claim_alerts(
                &self,
                alerts: &[contract::Alert],
                recipient: &str,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<Vec<String>> {
                // One transaction, in key order: a second sender's inserts wait for the first
                // one's commit (PostgreSQL: on the uncommitted keys; SQLite: the write lock) and
                // then find every key taken, so a digest is claimed whole by one sender.
                let sql = "INSERT INTO alert_deliveries (alert_key, recipient, customer_id, alert, status, attempts, claimed_at, lease_until) \
                           VALUES ($1, $2, $3, $4, 'sending', 0, $5, $6) ON CONFLICT DO NOTHING";
                // SQLite: the write lock up front, so a second process waits for it (a deferred
                // transaction could find its snapshot stale and fail instead).
                let mut tx = self.pool().begin_with(pick!($d, "BEGIN IMMEDIATE", "BEGIN")).await.map_err(db)?;
                let mut keys = Vec::new();
                for alert in alerts {
                    let done = sqlx::query(sql)
                        .bind(&alert.key)
                        .bind(recipient)
                        .bind(&alert.customer_id)
                        .bind(serde_json::to_string(alert).unwrap_or_default())
                        .bind(now.timestamp())
                        .bind(lease_until.timestamp())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                    if done.rows_affected() == 1 {
                        keys.push(alert.key.clone());
                    }
                }
                tx.commit().await.map_err(db)?;
                Ok(keys)
            }

            async fn claim_alert_retries(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<Vec<contract::AlertDelivery>> {
                // One statement: PostgreSQL re-checks the condition on a row another sender
                // updated meanwhile (READ COMMITTED), SQLite runs writes one at a time.
                let sql = "UPDATE alert_deliveries SET status = 'sending', lease_until = $1 \
                           WHERE (status = 'failed' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until <= $3) \
                           RETURNING alert_key, recipient, customer_id, alert, status, attempts, sent_at, last_error, next_attempt_at";
                let rows: Vec<$crate::alerts::DeliveryRow> = sqlx::query_as(sql)
                    .bind(lease_until.timestamp())
                    .bind(now.timestamp())
                    .bind(now.timestamp())
                    .fetch_all(self.pool())
                    .await
                    .map_err(db)?;
                rows.into_iter().map($crate::alerts::delivery_of_row).collect()
            }

            async fn finish_alert(
                &self,
                alert_key: &str,
                recipient: &str,
                lease_until: chrono::DateTime<chrono::Utc>,
                outcome: &desk::store::DeliveryOutcome,
            ) -> desk::store::StoreResult<bool> {
                // Only while this sender holds the claim: the row is still `sending` under the
                // lease it took. Once that lease ran out another sender may have taken the
                // delivery over (`claim_alert_retries` gives it a later lease) and recorded its
                // own outcome, which must stand; one statement, so the check and the write are
                // one step in both databases.
                let query = match outcome {
                    desk::store::DeliveryOutcome::Sent(at) => sqlx::query(
                        "UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1, sent_at = $1, next_attempt_at = NULL \
                         WHERE alert_key = $2 AND recipient = $3 AND status = 'sending' AND lease_until = $4",
                    )
                    .bind(at.timestamp()),
                    desk::store::DeliveryOutcome::Failed(error, _) => sqlx::query(
                        "UPDATE alert_deliveries SET status = 'failed', attempts = attempts + 1, last_error = $1, next_attempt_at = $5 \
                         WHERE alert_key = $2 AND recipient = $3 AND status = 'sending' AND lease_until = $4",
                    )
                    .bind(error.as_str()),
                };
                let query = query.bind(alert_key).bind(recipient).bind(lease_until.timestamp());
                let query = match outcome {
                    desk::store::DeliveryOutcome::Failed(_, next) => query.bind(next.timestamp()),
                    desk::store::DeliveryOutcome::Sent(_) => query,
                };
                let done = query.execute(self.pool()).await.map_err(db)?;
                Ok(done.rows_affected() == 1)
            }

            async fn add_grant(
                &self,
                grant: &contract::Grant,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<bool> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                if !insert_grant(&mut tx, grant, at.timestamp()).await.map_err(db)? {
                    return Ok(false);
                }
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await?;
                Ok(true)
            }

            async fn remove_grant(
                &self,
                id: &str,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<bool> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                let done = sqlx::query("DELETE FROM grants WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(db)?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await?;
                Ok(true)
            }

            async fn save_refund_session(
                &self,
                s: &desk::store::RefundSession,
                purge_expired_before: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<()> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                purge_expired_sessions(&mut tx, "refund_sessions", "refunds", purge_expired_before).await?;
                sqlx::query(
                    "INSERT INTO refund_sessions (id, reservation_order_id, reservation_id, policy, quote, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&s.id)
                .bind(&s.order_id)
                .bind(&s.reservation_id)
                .bind($crate::rows::enum_text(&s.policy))
                .bind($crate::rows::encode(&s.quote)?)
                .bind(s.created_at.timestamp())
                .bind(s.expires_at.timestamp())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                commit(tx).await
            }

            async fn purchase_session(&self, session_id: &str) -> desk::store::StoreResult<Option<desk::store::PurchaseSession>> {
                purchase_session(&mut *self.conn().await?, session_id).await
            }

            async fn save_purchase_session(
                &self,
                s: &desk::store::PurchaseSession,
                purge_expired_before: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<()> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                purge_expired_sessions(&mut tx, "purchase_sessions", "purchases", purge_expired_before).await?;
                sqlx::query("INSERT INTO purchase_sessions (id, customer_id, session, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&s.id)
                    .bind(&s.request.customer_id)
                    .bind($crate::rows::encode(s)?)
                    .bind(s.created_at.timestamp())
                    .bind(s.expires_at.timestamp())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                commit(tx).await
            }

            async fn purchase<T>(
                &self,
                session_id: &str,
                decide: impl desk::store::Decide<desk::store::PurchaseView, desk::store::PurchaseWrite, T>,
            ) -> Result<T, desk::DeskError> {
                let (_money, mut tx) = self.begin_money().await?;
                let view = purchase_view(&mut tx, session_id).await?;
                let (write, answer) = match decide(view)? {
                    desk::store::Decision::Answer(answer) => return Ok(answer),
                    desk::store::Decision::Write(write, answer) => (write, answer),
                };
                write_purchase(&mut tx, &self.key, &write).await?;
                commit(tx).await?;
                Ok(answer)
            }

            async fn save_exchange_session(
                &self,
                s: &desk::store::ExchangeSession,
                purge_expired_before: chrono::DateTime<chrono::Utc>,
            ) -> desk::store::StoreResult<()> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                purge_expired_sessions(&mut tx, "exchange_sessions", "exchanges", purge_expired_before).await?;
                let offers = if s.offers.is_empty() { None } else { Some($crate::rows::encode(&s.offers)?) };
                sqlx::query("INSERT INTO exchange_sessions (id, request, quote, offers, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&s.id)
                    .bind($crate::rows::encode(&s.request)?)
                    .bind($crate::rows::encode(&s.quote)?)
                    .bind(offers)
                    .bind(s.created_at.timestamp())
                    .bind(s.expires_at.timestamp())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                commit(tx).await
            }

            async fn record_audit(&self, at: chrono::DateTime<chrono::Utc>, audit: &contract::AuditEntry) -> desk::store::StoreResult<()> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await
            }

            async fn add_support_request(
                &self,
                request: &contract::SupportRequest,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<()> {
                let mut tx = self.pool().begin().await.map_err(db)?;
                sqlx::query("INSERT INTO support_requests (id, customer_id, created_at, body) VALUES ($1, $2, $3, $4)")
                    .bind(&request.id)
                    .bind(&request.customer_id)
                    .bind(at.timestamp())
                    .bind($crate::rows::encode(request)?)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await
            }

            async fn remove_role_assignment(
                &self,
                order_id: &str,
                id: &str,
                at: chrono::DateTime<chrono::Utc>,
                audit: &contract::AuditEntry,
            ) -> desk::store::StoreResult<bool> {
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
                record(&mut tx, &self.key, at, audit).await?;
                commit(tx).await?;
                Ok(true)
            }

            async fn change_order<T>(
                &self,
                order_id: &str,
                decide: impl desk::store::Decide<desk::store::OrderView, desk::store::OrderWrite, T>,
            ) -> Result<T, desk::DeskError> {
                // The store's lock for a change of this order (begin_order_change) is taken before
                // the view is read: no return, exchange or other change of the customer comes
                // between the view and the write.
                let mut tx = self.begin_order_change(order_id).await?;
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
                let (write, answer) = match decide(desk::store::OrderView { reservations, revisions, scopes })? {
                    desk::store::Decision::Answer(answer) => {
                        // Release the locks now rather than when the pool next uses the connection.
                        tx.rollback().await.map_err(db)?;
                        return Ok(answer);
                    }
                    desk::store::Decision::Write(write, answer) => (write, answer),
                };
                for (r, usage) in &write.reservations {
                    save_reservation(&mut tx, r, *usage).await.map_err(db)?;
                }
                for revision in &write.revisions {
                    insert_revision(&mut tx, revision, write.at).await?;
                }
                if let Some(audit) = &write.audit {
                    record(&mut tx, &self.key, write.at, audit).await?;
                }
                commit(tx).await?;
                Ok(answer)
            }

            async fn add_role_assignment<T>(
                &self,
                order_id: &str,
                decide: impl desk::store::Decide<(bool, Vec<contract::RoleAssignment>), desk::store::RoleAssignmentWrite, T>,
            ) -> Result<T, desk::DeskError> {
                let mut tx = self.begin_assignment(order_id).await?;
                let exists = order_exists(&mut tx, order_id).await?;
                let existing = assignments_of(&mut tx, order_id).await?;
                let (write, answer) = match decide((exists, existing))? {
                    desk::store::Decision::Answer(answer) => return Ok(answer),
                    desk::store::Decision::Write(write, answer) => (write, answer),
                };
                insert_role_assignment(&mut tx, &write.assignment, write.at.timestamp()).await.map_err(db)?;
                record(&mut tx, &self.key, write.at, &write.audit).await?;
                commit(tx).await?;
                Ok(answer)
            }

            async fn return_reservation<T>(
                &self,
                session_id: &str,
                decide: impl desk::store::Decide<desk::store::ReturnView, desk::store::ReturnWrite, T>,
            ) -> Result<T, desk::DeskError> {
                self.decide_return(session_id, decide).await
            }

            async fn approval(&self, id: &str) -> desk::store::StoreResult<Option<contract::Approval>> {
                let mut conn = self.conn().await?;
                Ok(approvals_where(&mut conn, "SELECT body FROM approvals WHERE id = $1", &[id]).await?.pop())
            }

            async fn open_approvals(&self) -> desk::store::StoreResult<Vec<contract::Approval>> {
                let mut conn = self.conn().await?;
                approvals_where(
                    &mut conn,
                    "SELECT body FROM approvals WHERE status IN ('pending', 'needsApprovalAgain') ORDER BY created_at, id",
                    &[],
                )
                .await
            }

            async fn approval_step<T>(
                &self,
                kind: contract::ApprovalKind,
                session_id: &str,
                decide: impl desk::store::Decide<desk::store::ApprovalView, desk::store::ApprovalWrite, T>,
            ) -> Result<T, desk::DeskError> {
                // A money move's transaction and locks, as the session's return or exchange takes
                // them, before anything is read: steps of one request (and submissions of its
                // session) run one after another, whichever process serves them.
                let (_money, mut tx) = self.begin_money().await?;
                let mut view = desk::store::ApprovalView::default();
                match kind {
                    contract::ApprovalKind::Refund => {
                        let session = refund_session(&mut tx, session_id).await?;
                        let ids: Vec<String> = session.iter().map(|s| s.reservation_id.clone()).collect();
                        lock_owners(&mut tx, &ids).await?;
                        let completed = completed(&mut tx, "SELECT response FROM refunds WHERE session_id = $1", session_id).await?;
                        let reservation = match &session {
                            Some(s) => reservation(&mut tx, &s.order_id, &s.reservation_id).await?,
                            None => None,
                        };
                        let ledger = ledger_of(&mut tx, reservation.as_ref()).await?;
                        view.refund = desk::store::ReturnView { completed, session, reservation, ledger };
                    }
                    contract::ApprovalKind::Exchange => {
                        let session = exchange_session(&mut tx, session_id).await?;
                        let ids: Vec<String> =
                            session.iter().flat_map(|s| &s.request.reservations_to_exchange).map(|r| r.reservation_id.clone()).collect();
                        lock_owners(&mut tx, &ids).await?;
                        let completed = completed(&mut tx, "SELECT response FROM exchanges WHERE session_id = $1", session_id).await?;
                        let reservations = reservations_by_ids(&mut tx, &ids).await?;
                        let scopes = match reservations.first() {
                            Some((r, _)) => scopes_of(&mut tx, &r.customer_id).await?,
                            None => Vec::new(),
                        };
                        view.exchange = desk::store::ExchangeView { completed, session, reservations, scopes };
                    }
                    contract::ApprovalKind::Purchase => {
                        view.purchase = purchase_view(&mut tx, session_id).await?;
                    }
                }
                let kind_text = $crate::rows::enum_text(&kind);
                view.approval = approvals_where(
                    &mut tx,
                    "SELECT body FROM approvals WHERE kind = $1 AND session_id = $2",
                    &[&kind_text, session_id],
                )
                .await?
                .pop();
                let (write, answer) = match decide(view)? {
                    desk::store::Decision::Answer(answer) => {
                        tx.rollback().await.map_err(db)?;
                        return Ok(answer);
                    }
                    desk::store::Decision::Write(write, answer) => (write, answer),
                };
                if let Some(approval) = &write.approval {
                    save_approval(&mut tx, approval, write.at).await?;
                }
                for entry in &write.audit {
                    record(&mut tx, &self.key, write.at, entry).await?;
                }
                if let Some(refund) = &write.refund {
                    write_return(&mut tx, &self.key, refund).await?;
                }
                if let Some(exchange) = &write.exchange {
                    write_exchange(&mut tx, &self.key, exchange).await?;
                }
                if let Some(purchase) = &write.purchase {
                    write_purchase(&mut tx, &self.key, purchase).await?;
                }
                commit(tx).await?;
                Ok(answer)
            }

            async fn exchange<T>(
                &self,
                session_id: &str,
                decide: impl desk::store::Decide<desk::store::ExchangeView, desk::store::ExchangeWrite, T>,
            ) -> Result<T, desk::DeskError> {
                let (_money, mut tx) = self.begin_money().await?;
                let session = exchange_session(&mut tx, session_id).await?;
                let ids: Vec<String> =
                    session.iter().flat_map(|s| &s.request.reservations_to_exchange).map(|r| r.reservation_id.clone()).collect();
                // Every customer whose reservations are returned, where the transaction does not
                // hold the whole database's write lock already.
                lock_owners(&mut tx, &ids).await?;
                let completed = completed(&mut tx, "SELECT response FROM exchanges WHERE session_id = $1", session_id).await?;
                let reservations = reservations_by_ids(&mut tx, &ids).await?;
                let scopes = match reservations.first() {
                    Some((r, _)) => scopes_of(&mut tx, &r.customer_id).await?,
                    None => Vec::new(),
                };
                let view = desk::store::ExchangeView { completed, session, reservations, scopes };
                let (write, answer) = match decide(view)? {
                    desk::store::Decision::Answer(answer) => return Ok(answer),
                    desk::store::Decision::Write(write, answer) => (write, answer),
                };
                write_exchange(&mut tx, &self.key, &write).await?;
                commit(tx).await?;
                Ok(answer)
            }
        }
    };
}
pub(crate) use sql_store;
