-- Azure mode (crates/server/src/source_store.rs), as migrations-postgres/0011: each
-- customer read from Azure, with its tenant, when its reservations were last read whole, and
-- why the last read failed (Azure's code and message), if it did. Times are unix seconds.
-- Tokens are never stored.
CREATE TABLE azure_source (
    customer_id   TEXT PRIMARY KEY NOT NULL REFERENCES customers (id),
    tenant_id     TEXT NOT NULL,
    read_at       INTEGER,
    error_code    TEXT,
    error_message TEXT,
    error_status  INTEGER,
    error_at      INTEGER
);

-- ARM's utilization averages of a reservation read from Azure (JSON of
-- desk_service::utilization::ReadAggregates), shown as Azure reported them; NULL for the desk's
-- own reservations, whose averages come from their history.
ALTER TABLE reservations ADD COLUMN azure_utilization TEXT;
