-- Alerts (as crates/server/migrations/0015; crates/desk/src/desk/alerts.rs). A delivery is one alert (its key
-- names the condition and period) to one recipient (`mailto:…` or `webhook`): the primary key
-- makes the first sender's claim the only one, across restarts and processes. Times are Unix
-- seconds; `alert` is the alert's JSON as sent.
CREATE TABLE alert_deliveries (
    alert_key       TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    customer_id     TEXT NOT NULL REFERENCES customers (id),
    alert           TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    claimed_at      BIGINT NOT NULL,
    lease_until     BIGINT NOT NULL,
    sent_at         BIGINT,
    last_error      TEXT,
    next_attempt_at BIGINT,
    PRIMARY KEY (alert_key, recipient)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at);

-- Who receives a customer's alerts by e-mail besides ALERT_EMAIL_TO: users (by sign-in name).
CREATE TABLE alert_subscriptions (
    user_name   TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_name, customer_id)
);
