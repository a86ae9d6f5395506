-- Links audit entries to the chain (desk::audit_chain) in one round trip: the chain's
-- transaction-scoped advisory lock, then the rows, each linked to the one before it and the first
-- to the last committed row. Two statements in a VOLATILE function: the INSERT takes its own
-- snapshot after the lock was granted (READ COMMITTED), so it reads the last committed hash, as
-- when the two were sent one after the other (postgres::record_all calls it; the lock keys come
-- from there). The hash is `desk::audit_chain::link`: SHA-256 of the previous hash, a line feed
-- and the body's UTF-8, in lowercase hex; rows inserted in the order given.
CREATE FUNCTION desk_link_audit(lock_class INTEGER, chain_lock INTEGER, ats BIGINT[], customer_ids TEXT[],
                                bodies TEXT[], genesis TEXT) RETURNS VOID
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_class, chain_lock);
    WITH RECURSIVE input AS (
        SELECT * FROM unnest(ats, customer_ids, bodies) WITH ORDINALITY AS t(at, customer_id, body, ord)),
    chain (ord, at, customer_id, body, hash) AS (
        SELECT i.ord, i.at, i.customer_id, i.body, encode(sha256(convert_to(
            COALESCE((SELECT a.hash FROM audit a ORDER BY a.id DESC LIMIT 1), genesis) || E'\n' || i.body, 'UTF8')), 'hex')
        FROM input i WHERE i.ord = 1
        UNION ALL
        SELECT i.ord, i.at, i.customer_id, i.body, encode(sha256(convert_to(c.hash || E'\n' || i.body, 'UTF8')), 'hex')
        FROM chain c JOIN input i ON i.ord = c.ord + 1)
    INSERT INTO audit (at, customer_id, body, hash) SELECT chain.at, chain.customer_id, chain.body, chain.hash FROM chain ORDER BY chain.ord;
END
$$;
