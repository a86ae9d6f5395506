-- A per-customer counter of changes to its reservations, for the reservation list's cache
-- (crates/server/src/list_cache.rs). A trigger keeps it, so every writer bumps it in the
-- transaction that changes the rows (the desk's writes, the seed, an edit made with psql), and
-- a server process that reads the same number as when it cached a list knows the list is as
-- cached. It only ever grows.
ALTER TABLE customers ADD COLUMN reservations_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_reservations_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE customers SET reservations_version = reservations_version + 1 WHERE id = OLD.customer_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.customer_id IS DISTINCT FROM OLD.customer_id) THEN
        UPDATE customers SET reservations_version = reservations_version + 1 WHERE id = NEW.customer_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER reservations_version AFTER INSERT OR UPDATE OR DELETE ON reservations
    FOR EACH ROW EXECUTE FUNCTION bump_reservations_version();
