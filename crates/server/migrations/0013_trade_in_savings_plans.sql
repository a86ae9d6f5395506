-- Savings plans bought by trading reservations in (an exchange with
-- savingsPlansToPurchase), written in the exchange's transaction. A savings plan cannot be
-- cancelled, exchanged or refunded: rows are only ever inserted.
CREATE TABLE savings_plans (
    id                       TEXT PRIMARY KEY NOT NULL,
    savings_plan_order_id    TEXT NOT NULL,
    customer_id              TEXT NOT NULL REFERENCES customers (id),
    display_name             TEXT NOT NULL,
    sku_name                 TEXT NOT NULL,      -- e.g. Compute_Savings_Plan
    term                     TEXT NOT NULL,      -- P1Y, P3Y
    billing_plan             TEXT NOT NULL,      -- Upfront, Monthly
    commitment_amount        TEXT NOT NULL,      -- per commitment_grain, decimal text
    currency                 TEXT NOT NULL,
    commitment_grain         TEXT NOT NULL,      -- Hourly
    lifetime_commitment      TEXT NOT NULL,      -- commitment × hours of the term, decimal text
    applied_scope_type       TEXT NOT NULL,
    applied_scope_properties TEXT,               -- JSON, or NULL for Shared
    start_date               TEXT NOT NULL,      -- YYYY-MM-DD, the trade-in's day
    expiry_date              TEXT NOT NULL,
    exchange_session_id      TEXT NOT NULL REFERENCES exchange_sessions (id)
);
CREATE INDEX savings_plans_by_customer ON savings_plans (customer_id);
