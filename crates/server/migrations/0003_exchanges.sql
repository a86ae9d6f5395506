-- Exchange sessions (the request and the quote given) and completed exchanges.
CREATE TABLE exchange_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    request     TEXT NOT NULL,      -- JSON of contract::CalculateExchangeRequest
    quote       TEXT NOT NULL,      -- JSON of the quote given to the client
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE exchanges (
    session_id           TEXT PRIMARY KEY NOT NULL REFERENCES exchange_sessions (id),
    reservation_order_id TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    response             TEXT NOT NULL   -- JSON answered, so a repeat submission gets the same
);
