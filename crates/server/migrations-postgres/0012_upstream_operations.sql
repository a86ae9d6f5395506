-- Azure mode, changing (crates/server/src/upstream_store.rs), as migrations/0017
-- (SQLite): each money move made through Azure, a stored state machine
-- (desk::upstream): quoted (Azure's calculateRefund answered, its session kept) → asked (the
-- desk's session claimed, once) → sent (Azure accepted it; its operation URL kept) →
-- succeeded (recorded from Azure's answer, with the refund, in one transaction) | failed
-- (Azure's error kept, nothing else written). One row per desk session. Times are unix seconds.
-- Tokens are never stored.
CREATE TABLE upstream_operations (
    id               TEXT PRIMARY KEY NOT NULL,
    kind             TEXT NOT NULL,
    desk_session_id  TEXT NOT NULL UNIQUE,
    azure_session_id TEXT NOT NULL,
    tenant_id        TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('quoted', 'asked', 'sent', 'succeeded', 'failed')),
    poll_url         TEXT,
    poll_kind        TEXT,
    requested_by     TEXT,
    last_error       TEXT,
    -- JSON of desk::upstream::ReturnDetail: the reservation, the units, the desk's quote and
    -- Azure's calculation, the reason.
    detail           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX upstream_operations_unfinished ON upstream_operations (state) WHERE state IN ('asked', 'sent');
