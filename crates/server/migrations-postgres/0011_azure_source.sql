-- Azure mode (issue 30; crates/server/src/source_store.rs), as migrations/0016 (SQLite): each
-- customer read from Azure, with its tenant, when its reservations were last read whole, and
-- why the last read failed (Azure's code and message), if it did. Times are unix seconds.
-- Tokens are never stored.
CREATE TABLE azure_source (
    customer_id   TEXT PRIMARY KEY NOT NULL REFERENCES customers (id),
    tenant_id     TEXT NOT NULL,
    read_at       BIGINT,
    error_code    TEXT,
    error_message TEXT,
    error_status  INTEGER,
    error_at      BIGINT
);
