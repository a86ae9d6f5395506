-- Azure mode (crates/server/src/source_store.rs), as migrations/0020 for SQLite: the IDs of the
-- failed call that Microsoft's support traces it by (JSON of contract::source::AzureRequestIds:
-- the desk's client request ID, Azure's request and correlation IDs), and the reservations the
-- last read could not read, each with why (JSON of a list of
-- contract::source::UnreadReservation; NULL when there were none).
ALTER TABLE azure_source ADD COLUMN error_request TEXT;
ALTER TABLE azure_source ADD COLUMN unread TEXT;
