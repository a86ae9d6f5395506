-- Azure mode (crates/server/src/reads_store.rs), as migrations/0025 (SQLite): the reads of the
-- partner's whole book, and the desk's connection for unattended reads.
--
-- One read at a time across every server on the database: a reading row holds reading_slot = 1,
-- unique (NULLs are distinct), and its lease; a server that stops leaves a lease that runs out,
-- and the next read marks that row abandoned first. Progress is written on the row, so every
-- server shows it. Times are unix seconds.
CREATE TABLE azure_reads (
    id           TEXT PRIMARY KEY NOT NULL,
    -- the order reads started in (SQLite's rowid is that there)
    seq          BIGSERIAL NOT NULL,
    -- reading, done, failed, abandoned
    state        TEXT NOT NULL,
    reading_slot INTEGER UNIQUE,
    unattended   BOOLEAN NOT NULL,
    started_by   TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    lease_until  BIGINT NOT NULL,
    total        INTEGER,
    read_count   INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,
    finished_at  BIGINT,
    -- JSON of contract::source::SourceError
    error        TEXT,
    -- the alert that this read could not read the book was claimed (sent once)
    alerted      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX azure_reads_started ON azure_reads (started_at);

-- The connection (one row, id 1): the Global admin's refresh token for the desk's API app,
-- sealed with AES-256-GCM under the key of DESK_SECRET_KEY_FILE (key_id names which key), never
-- in clear. state: connected, lost. lost_alerted: the alert that it was lost was claimed (sent
-- once). tenant_id: the partner's tenant, where Partner Center is read.
CREATE TABLE azure_connection (
    id           INTEGER PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    user_name    TEXT NOT NULL,
    connected_at BIGINT NOT NULL,
    key_id       TEXT NOT NULL,
    sealed       TEXT NOT NULL,
    state        TEXT NOT NULL,
    error        TEXT,
    lost_at      BIGINT,
    lost_alerted BOOLEAN NOT NULL DEFAULT FALSE
);
