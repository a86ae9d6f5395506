-- The partner's price for each customer and the default for all (crates/server/src/pricing_store.rs),
-- as migrations-postgres/0025: a history, one row per price set, never edited; customer_id NULL
-- for the default; the contract's PartnerPricing as JSON (from when, markup, fixed prices); when
-- it was set (seconds).
CREATE TABLE partner_pricing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT,
    pricing TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX partner_pricing_customer ON partner_pricing (customer_id, id);
