-- Azure mode (crates/server/src/source_store.rs), as migrations-postgres/0016: consent runs
-- (the desk's API app consented in customers' tenants through Partner Center) and each
-- tenant's consent in a run, with what Partner Center answered. A tenant is claimed by one run
-- at a time: the partial unique index holds at most one pending or sending consent per
-- customer, whichever server inserts it. Times are unix seconds.
CREATE TABLE azure_consent_runs (
    id           TEXT PRIMARY KEY NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL
);

CREATE TABLE azure_consents (
    run_id            TEXT NOT NULL REFERENCES azure_consent_runs (id),
    customer_id       TEXT NOT NULL,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    tenant_id         TEXT NOT NULL,
    -- pending, sending, consented, alreadyConsented, failed, elsewhere
    state             TEXT NOT NULL,
    updated_at        BIGINT NOT NULL,
    client_request_id TEXT NOT NULL,
    status            INTEGER,
    code              TEXT,
    message           TEXT,
    request_id        TEXT,
    correlation_id    TEXT,
    finished_at       BIGINT,
    other_run         TEXT,
    PRIMARY KEY (run_id, customer_id)
);

CREATE UNIQUE INDEX azure_consents_in_flight ON azure_consents (customer_id) WHERE state IN ('pending', 'sending');
