-- Azure mode (crates/server/src/gdap_store.rs), as migrations/0022 for SQLite: each customer's
-- GDAP relationships as the last read of Microsoft Graph listed them (JSON of a list of
-- contract::gdap::GdapRelationship; an empty list: none with its tenant), when Graph last
-- answered (unix seconds; NULL before it ever did), and why the last read failed (JSON of
-- contract::source::SourceError; NULL when it answered). One read of Graph writes every
-- customer's row at once, after the customers are written; no foreign key, so that a row never
-- waits on one customer's write. Tokens are never stored.
CREATE TABLE azure_gdap (
    customer_id   TEXT PRIMARY KEY NOT NULL,
    relationships TEXT NOT NULL,
    read_at       BIGINT,
    error         TEXT
);
