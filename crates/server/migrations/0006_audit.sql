-- Every change and money movement: who, what, when, before → after.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    customer_id TEXT,
    body        TEXT NOT NULL      -- JSON of contract::AuditEntry
);
CREATE INDEX audit_by_customer ON audit (customer_id, at);
