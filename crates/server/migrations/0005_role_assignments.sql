-- Who has which access to a reservation order.
CREATE TABLE role_assignments (
    id                   TEXT PRIMARY KEY NOT NULL,
    reservation_order_id TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    body                 TEXT NOT NULL     -- JSON of contract::RoleAssignment
);
CREATE INDEX role_assignments_by_order ON role_assignments (reservation_order_id, created_at);
