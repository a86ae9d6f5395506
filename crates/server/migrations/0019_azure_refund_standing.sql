-- Azure mode (crates/server/src/source_store.rs), as
-- migrations-postgres/0014: Azure's own count of each customer's refunds, as its
-- calculateRefund last answered (policyResult: consumedRefundsTotal and maxRefundLimit, each
-- in its currency), and when (unix seconds). In Azure mode its headroom is the one that counts.
CREATE TABLE azure_refund_standing (
    customer_id        TEXT PRIMARY KEY NOT NULL REFERENCES customers (id),
    consumed           TEXT NOT NULL,
    consumed_currency  TEXT NOT NULL,
    max_limit          TEXT NOT NULL,
    max_limit_currency TEXT NOT NULL,
    read_at            INTEGER NOT NULL
);
