-- Split, merge, archive and revisions, as crates/server/migrations/0008_lineage.sql.
ALTER TABLE reservations ADD COLUMN archived BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE reservations ADD COLUMN split_properties TEXT;   -- JSON of contract::SplitProperties
ALTER TABLE reservations ADD COLUMN merge_properties TEXT;   -- JSON of contract::MergeProperties

CREATE TABLE reservation_revisions (
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    revision             BIGINT NOT NULL CHECK (revision >= 1),
    at                   BIGINT NOT NULL,
    body                 TEXT NOT NULL,
    PRIMARY KEY (reservation_order_id, reservation_id, revision)
);
