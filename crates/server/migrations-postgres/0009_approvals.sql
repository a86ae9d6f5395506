-- maker and checker: a return or exchange above the deployment's approval
-- threshold waits here for another user's approval. One request per session and kind; `body` is
-- the request as the API answers it (JSON), `status` its state (for the open list).
CREATE TABLE approvals (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,           -- refund | exchange
    session_id  TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    status      TEXT NOT NULL,           -- pending | needsApprovalAgain | approved | rejected
    created_at  BIGINT NOT NULL,         -- unix seconds
    body        TEXT NOT NULL,
    UNIQUE (kind, session_id)
);
CREATE INDEX approvals_by_status ON approvals (status, created_at);
