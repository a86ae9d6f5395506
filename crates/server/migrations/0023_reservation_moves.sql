-- The money moves that returned units of a reservation (a refund, or an exchange's return), as
-- its History shows them: written with the move, in its transaction (desk::store::Move as JSON).
-- As migrations-postgres/0018. Times are unix seconds.
CREATE TABLE reservation_moves (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    reservation_order_id TEXT NOT NULL,
    reservation_id       TEXT NOT NULL,
    at                   INTEGER NOT NULL,
    body                 TEXT NOT NULL
);

CREATE INDEX reservation_moves_of ON reservation_moves (reservation_order_id, reservation_id);
