-- The team's state on the partner's worklist rows (crates/server/src/worklist_store.rs), as
-- migrations/0029 (SQLite): one row per worklist row ID, its customer, the contract's WorkMark
-- as JSON, and when it was last set (seconds).
CREATE TABLE work_marks (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    mark TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
