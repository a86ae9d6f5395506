-- A new session's save deletes the sessions that expired long before and were never
-- submitted; these indexes let it find them without reading every session.
CREATE INDEX refund_sessions_by_expiry ON refund_sessions (expires_at);
CREATE INDEX exchange_sessions_by_expiry ON exchange_sessions (expires_at);
