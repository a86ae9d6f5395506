-- A per-customer counter of changes to its reservations, for the reservation list's cache
-- (crates/server/src/list_cache.rs), as crates/server/migrations-postgres/0003: triggers bump
-- it in the transaction that changes the rows, whoever writes them. It only ever grows.
ALTER TABLE customers ADD COLUMN reservations_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER reservations_version_insert AFTER INSERT ON reservations BEGIN
    UPDATE customers SET reservations_version = reservations_version + 1 WHERE id = NEW.customer_id;
END;

CREATE TRIGGER reservations_version_update AFTER UPDATE ON reservations BEGIN
    UPDATE customers SET reservations_version = reservations_version + 1 WHERE id = OLD.customer_id;
    UPDATE customers SET reservations_version = reservations_version + 1
        WHERE id = NEW.customer_id AND NEW.customer_id IS NOT OLD.customer_id;
END;

CREATE TRIGGER reservations_version_delete AFTER DELETE ON reservations BEGIN
    UPDATE customers SET reservations_version = reservations_version + 1 WHERE id = OLD.customer_id;
END;
