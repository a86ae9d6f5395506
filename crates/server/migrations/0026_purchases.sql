-- Purchases (crates/desk/src/desk/purchases.rs), as migrations-postgres/0021: a purchase session
-- (the request and the quote given) and the purchases made. A session's ID is the order the
-- purchase creates, so the order is unique by construction: a session bought twice is answered
-- from `purchases`, never bought again.
CREATE TABLE purchase_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL,
    session     TEXT NOT NULL,      -- JSON of desk::store::PurchaseSession
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX purchase_sessions_by_expiry ON purchase_sessions (expires_at);

CREATE TABLE purchases (
    session_id           TEXT PRIMARY KEY NOT NULL REFERENCES purchase_sessions (id),
    reservation_order_id TEXT NOT NULL UNIQUE,
    created_at           INTEGER NOT NULL,
    response             TEXT NOT NULL   -- JSON answered, so a repeat submission gets the same
);
