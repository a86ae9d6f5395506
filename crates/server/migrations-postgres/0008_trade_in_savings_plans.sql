-- Savings plans bought by trading reservations in (an exchange with
-- savingsPlansToPurchase), written in the exchange's transaction. A savings plan cannot be
-- cancelled, exchanged or refunded: rows are only ever inserted.
CREATE TABLE savings_plans (
    id                       TEXT PRIMARY KEY NOT NULL,
    savings_plan_order_id    TEXT NOT NULL,
    customer_id              TEXT NOT NULL REFERENCES customers (id),
    display_name             TEXT NOT NULL,
    sku_name                 TEXT NOT NULL,
    term                     TEXT NOT NULL,
    billing_plan             TEXT NOT NULL,
    commitment_amount        NUMERIC NOT NULL,
    currency                 TEXT NOT NULL,
    commitment_grain         TEXT NOT NULL,
    lifetime_commitment      NUMERIC NOT NULL,
    applied_scope_type       TEXT NOT NULL,
    applied_scope_properties TEXT,
    start_date               DATE NOT NULL,
    expiry_date              DATE NOT NULL,
    exchange_session_id      TEXT NOT NULL REFERENCES exchange_sessions (id)
);
CREATE INDEX savings_plans_by_customer ON savings_plans (customer_id);
