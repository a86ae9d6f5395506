-- The team's state on the partner's worklist rows (crates/server/src/worklist_store.rs), as
-- migrations-postgres/0024: one row per worklist row ID, its customer (a user sees the marks of
-- the customers it sees), the contract's WorkMark as JSON (state, snooze day, owner, note, who
-- and when), and when it was last set (seconds).
CREATE TABLE work_marks (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    mark TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
