-- Customers of the partner (tenants). IDs are GUID strings.
CREATE TABLE customers (
    id     TEXT PRIMARY KEY NOT NULL,
    name   TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE
);
