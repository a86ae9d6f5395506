-- Each audit entry's hash covers the whole row (its time and customer columns, which
-- lists and the per-customer filter read, and its text), under an optional HMAC key, and money
-- entries record the refund-ledger rows they add (desk::audit_chain). `format` says how a row's
-- hash was computed: 1, the text alone (every row before this migration), 2 the whole row with
-- SHA-256, 3 the whole row with HMAC-SHA256. Rows keep the format they were written in: they are
-- never re-hashed, which would hide a change made before this migration.
ALTER TABLE audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1;

-- The one-time step opening runs for this migration (sqlite::open::upgrade_audit), in one
-- transaction that ends by setting `pending` to 0: rows written before the chain existed
-- (migration 0007's empty hashes) linked in format 1, then the entries (one per customer) that record every
-- refund-ledger row there is (`ledgerBaseline`). After it, nothing links a row at start: a row
-- with an empty hash stays reported.
CREATE TABLE audit_upgrade (pending INTEGER NOT NULL);
INSERT INTO audit_upgrade (pending) VALUES (1);
