-- Azure mode (crates/server/src/source_store.rs), as migrations-postgres/0019: why Azure last
-- refused the user a refund or exchange quote in the customer's tenant though it reads (JSON of
-- contract::source::SourceError; NULL once a quote through Azure succeeds again).
ALTER TABLE azure_source ADD COLUMN change_refused TEXT;
