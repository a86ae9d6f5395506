-- The partner's price for each customer and the default for all (crates/server/src/pricing_store.rs),
-- as the SQLite migration 0030: a history, one row per price set, never edited; customer_id NULL
-- for the default; the contract's PartnerPricing as JSON; when it was set (seconds).
CREATE TABLE partner_pricing (
    id BIGSERIAL PRIMARY KEY,
    customer_id TEXT,
    pricing TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX partner_pricing_customer ON partner_pricing (customer_id, id);
