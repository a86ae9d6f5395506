-- The money moves that returned units of a reservation (a refund, or an exchange's return), as
-- its History shows them: written with the move, in its transaction (desk::store::Move as JSON).
-- As migrations/0023 (SQLite). Times are unix seconds.
CREATE TABLE reservation_moves (
    seq                  BIGSERIAL PRIMARY KEY,
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    at                   BIGINT NOT NULL,
    body                 TEXT NOT NULL
);

CREATE INDEX reservation_moves_of ON reservation_moves (reservation_order_id, reservation_id);
