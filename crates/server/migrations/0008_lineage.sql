-- Split, merge, archive and revisions (the Azure surface's reservation lineage).
-- A split or merged reservation keeps its row (state 'Split' or 'Merged') and links to where its
-- units went; the parts and the result are new rows of the same order.
ALTER TABLE reservations ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reservations ADD COLUMN split_properties TEXT;   -- JSON of contract::SplitProperties
ALTER TABLE reservations ADD COLUMN merge_properties TEXT;   -- JSON of contract::MergeProperties

-- What a reservation was after each change (contract::Revision as JSON), numbered from 1.
CREATE TABLE reservation_revisions (
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    revision             INTEGER NOT NULL CHECK (revision >= 1),
    at                   INTEGER NOT NULL,  -- unix seconds
    body                 TEXT NOT NULL,
    PRIMARY KEY (reservation_order_id, reservation_id, revision)
);
