-- Support requests created through the wizard.
CREATE TABLE support_requests (
    id           TEXT PRIMARY KEY NOT NULL,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    created_at   INTEGER NOT NULL,
    body         TEXT NOT NULL      -- JSON of contract::SupportRequest
);
CREATE INDEX support_requests_by_customer ON support_requests (customer_id, created_at);
