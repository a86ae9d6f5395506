-- Which security groups see which customers, and in which role (desk_service::access,
-- crates/desk/src/desk/reach.rs). `customer_id` NULL: all customers. A group holds a role on a
-- customer (or on all customers) once.
CREATE TABLE grants (
    id          TEXT PRIMARY KEY NOT NULL,
    group_id    TEXT NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    role        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX grants_once ON grants (group_id, COALESCE(customer_id, ''), role);
