-- Reservations, their customers' scopes, the refund ledger, and refund sessions and results.
-- Amounts are decimal TEXT (exact), never REAL. Dates are 'YYYY-MM-DD' (UTC calendar days).

CREATE TABLE reservations (
    id                       TEXT PRIMARY KEY NOT NULL,
    reservation_order_id     TEXT NOT NULL,
    customer_id              TEXT NOT NULL REFERENCES customers (id),
    display_name             TEXT NOT NULL,
    sku_name                 TEXT NOT NULL,
    location                 TEXT NOT NULL,
    reserved_resource_type   TEXT NOT NULL,
    quantity                 INTEGER NOT NULL CHECK (quantity >= 0),
    term                     TEXT NOT NULL CHECK (term IN ('P1Y', 'P3Y', 'P5Y')),
    billing_plan             TEXT NOT NULL CHECK (billing_plan IN ('Upfront', 'Monthly')),
    purchase_date            TEXT NOT NULL,
    expiry_date              TEXT NOT NULL,
    unit_price               TEXT NOT NULL,
    currency                 TEXT NOT NULL,
    pricing_unit_price_usd   TEXT,
    applied_scope_type       TEXT NOT NULL CHECK (applied_scope_type IN ('Single', 'Shared', 'ManagementGroup')),
    applied_scope_properties TEXT,          -- JSON of contract::AppliedScopeProperties
    provisioning_state       TEXT NOT NULL,
    renew                    INTEGER NOT NULL,
    usage_level              INTEGER        -- typical utilization percent; NULL: never used
);
CREATE INDEX reservations_by_customer ON reservations (customer_id);
CREATE UNIQUE INDEX reservations_by_order ON reservations (reservation_order_id, id);

CREATE TABLE customer_scopes (
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    scope_type      TEXT NOT NULL,
    properties      TEXT NOT NULL,          -- JSON of contract::AppliedScopeProperties
    PRIMARY KEY (customer_id, properties)
);

CREATE TABLE refund_ledger (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    date                 TEXT NOT NULL,
    amount               TEXT NOT NULL,
    currency             TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    reservation_order_id TEXT NOT NULL
);
CREATE INDEX refund_ledger_by_customer ON refund_ledger (customer_id, date);

CREATE TABLE refund_sessions (
    id                   TEXT PRIMARY KEY NOT NULL,
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    policy               TEXT NOT NULL,
    quote                TEXT NOT NULL,     -- JSON of the quote given to the client
    created_at           INTEGER NOT NULL,  -- unix seconds
    expires_at           INTEGER NOT NULL
);

CREATE TABLE refunds (
    id                   TEXT PRIMARY KEY NOT NULL,
    session_id           TEXT NOT NULL UNIQUE REFERENCES refund_sessions (id),
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    quantity             INTEGER NOT NULL,
    refund_amount        TEXT NOT NULL,
    currency             TEXT NOT NULL,
    return_reason        TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    response             TEXT NOT NULL      -- JSON answered, so a repeat submission gets the same
);
