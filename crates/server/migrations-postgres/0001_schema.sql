-- The desk's tables in PostgreSQL (crates/server/src/postgres): the same data as the SQLite
-- migrations (crates/server/migrations), in one step. Amounts are NUMERIC (exact, never floating
-- point), read back as text; dates are DATE; instants are unix seconds (BIGINT); JSON columns
-- are TEXT as the desk wrote them. `seq` columns keep insertion order where SQLite used rowid.

CREATE TABLE customers (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE
);

CREATE TABLE reservations (
    id                       TEXT PRIMARY KEY,
    reservation_order_id     TEXT NOT NULL,
    customer_id              TEXT NOT NULL REFERENCES customers (id),
    display_name             TEXT NOT NULL,
    sku_name                 TEXT NOT NULL,
    location                 TEXT NOT NULL,
    reserved_resource_type   TEXT NOT NULL,
    quantity                 BIGINT NOT NULL CHECK (quantity >= 0),
    term                     TEXT NOT NULL CHECK (term IN ('P1Y', 'P3Y', 'P5Y')),
    billing_plan             TEXT NOT NULL CHECK (billing_plan IN ('Upfront', 'Monthly')),
    purchase_date            DATE NOT NULL,
    expiry_date              DATE NOT NULL,
    unit_price               NUMERIC NOT NULL,
    currency                 TEXT NOT NULL,
    pricing_unit_price_usd   NUMERIC,
    applied_scope_type       TEXT NOT NULL CHECK (applied_scope_type IN ('Single', 'Shared', 'ManagementGroup')),
    applied_scope_properties TEXT,           -- JSON of contract::AppliedScopeProperties
    provisioning_state       TEXT NOT NULL,
    renew                    BOOLEAN NOT NULL,
    usage_level              BIGINT          -- typical utilization percent; NULL: never used
);
CREATE INDEX reservations_by_customer ON reservations (customer_id);
CREATE UNIQUE INDEX reservations_by_order ON reservations (reservation_order_id, id);

CREATE TABLE customer_scopes (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    scope_type  TEXT NOT NULL,
    properties  TEXT NOT NULL,               -- JSON of contract::AppliedScopeProperties
    PRIMARY KEY (customer_id, properties)
);

CREATE TABLE refund_ledger (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    date                 DATE NOT NULL,
    amount               NUMERIC NOT NULL,
    currency             TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    reservation_order_id TEXT NOT NULL
);
CREATE INDEX refund_ledger_by_customer ON refund_ledger (customer_id, date);

CREATE TABLE refund_sessions (
    id                   TEXT PRIMARY KEY,
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    policy               TEXT NOT NULL,
    quote                TEXT NOT NULL,      -- JSON of the quote given to the client
    created_at           BIGINT NOT NULL,    -- unix seconds
    expires_at           BIGINT NOT NULL
);

-- One refund per session (UNIQUE): a replay finds it and moves nothing.
CREATE TABLE refunds (
    id                   TEXT PRIMARY KEY,
    session_id           TEXT NOT NULL UNIQUE REFERENCES refund_sessions (id),
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    quantity             BIGINT NOT NULL,
    refund_amount        NUMERIC NOT NULL,
    currency             TEXT NOT NULL,
    return_reason        TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    response             TEXT NOT NULL       -- JSON answered, so a repeat submission gets the same
);

CREATE TABLE exchange_sessions (
    id          TEXT PRIMARY KEY,
    request     TEXT NOT NULL,               -- JSON of contract::CalculateExchangeRequest
    quote       TEXT NOT NULL,               -- JSON of the quote given to the client
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE exchanges (
    session_id           TEXT PRIMARY KEY REFERENCES exchange_sessions (id),
    reservation_order_id TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    response             TEXT NOT NULL
);

CREATE TABLE support_requests (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    id           TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    created_at   BIGINT NOT NULL,
    body         TEXT NOT NULL               -- JSON of contract::SupportRequest
);
CREATE INDEX support_requests_by_customer ON support_requests (customer_id, created_at);

CREATE TABLE role_assignments (
    id                   TEXT PRIMARY KEY,
    reservation_order_id TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    body                 TEXT NOT NULL       -- JSON of contract::RoleAssignment
);
CREATE INDEX role_assignments_by_order ON role_assignments (reservation_order_id, created_at);

-- Every change and money movement, hash-chained (desk::audit_chain): each row's hash covers its
-- body and the previous row's hash. Writers take one transaction-scoped advisory lock before
-- reading the previous hash, so ids are handed out in chain order (postgres::record).
CREATE TABLE audit (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT NOT NULL,
    customer_id TEXT,
    body        TEXT NOT NULL,               -- JSON of contract::AuditEntry
    hash        TEXT NOT NULL
);
CREATE INDEX audit_by_customer ON audit (customer_id, id);
