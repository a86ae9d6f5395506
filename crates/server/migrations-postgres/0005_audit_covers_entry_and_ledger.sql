-- Each audit entry's hash covers the whole row (its time and customer columns, which
-- lists and the per-customer filter read, and its text), under an optional HMAC key, and money
-- entries record the refund-ledger rows they add (desk::audit_chain). `format` says how a row's
-- hash was computed: 1, the text alone (every row before this migration), 2 the whole row with
-- SHA-256, 3 the whole row with HMAC-SHA256. Rows keep the format they were written in: they are
-- never re-hashed, which would hide a change made before this migration.
ALTER TABLE audit ADD COLUMN format SMALLINT NOT NULL DEFAULT 1;

-- The one-time step opening runs for this migration (postgres::open::upgrade_audit), under the
-- open lock, in one transaction that ends by setting `pending` to 0: the entries (one per customer) that record every
-- refund-ledger row there is (`ledgerBaseline`). Nothing links a row at start.
CREATE TABLE audit_upgrade (pending INTEGER NOT NULL);
INSERT INTO audit_upgrade (pending) VALUES (1);

-- One link of format 2 or 3: `desk::audit_chain::canonical` (a version line, the previous hash,
-- the time in Unix seconds, `-` or `=` and the customer, the text; one per line) hashed with
-- SHA-256, or with HMAC-SHA256 when the key's pads are given (`ChainKey::hmac_pads`:
-- sha256(outer || sha256(inner || message)) is HMAC's definition), in lowercase hex.
CREATE FUNCTION desk_audit_link(p_previous TEXT, p_at BIGINT, p_customer TEXT, p_body TEXT, p_inner BYTEA, p_outer BYTEA)
RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT encode(CASE WHEN p_inner IS NULL THEN sha256(m.bytes) ELSE sha256(p_outer || sha256(p_inner || m.bytes)) END, 'hex')
    FROM (SELECT convert_to('reservation-desk audit v2' || E'\n' || p_previous || E'\n' || p_at::text || E'\n'
                            || COALESCE('=' || p_customer, '-') || E'\n' || p_body, 'UTF8') AS bytes) AS m
$$;

-- Migration 0004's function, linking the whole row in the given format (2 without pads, 3 with).
DROP FUNCTION desk_link_audit(INTEGER, INTEGER, BIGINT[], TEXT[], TEXT[], TEXT);
CREATE FUNCTION desk_link_audit(lock_class INTEGER, chain_lock INTEGER, ats BIGINT[], customer_ids TEXT[],
                                bodies TEXT[], genesis TEXT, entry_format SMALLINT, inner_pad BYTEA, outer_pad BYTEA)
RETURNS VOID LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_class, chain_lock);
    WITH RECURSIVE input AS (
        SELECT * FROM unnest(ats, customer_ids, bodies) WITH ORDINALITY AS t(at, customer_id, body, ord)),
    chain (ord, at, customer_id, body, hash) AS (
        SELECT i.ord, i.at, i.customer_id, i.body,
               desk_audit_link(COALESCE((SELECT a.hash FROM audit a ORDER BY a.id DESC LIMIT 1), genesis),
                               i.at, i.customer_id, i.body, inner_pad, outer_pad)
        FROM input i WHERE i.ord = 1
        UNION ALL
        SELECT i.ord, i.at, i.customer_id, i.body, desk_audit_link(c.hash, i.at, i.customer_id, i.body, inner_pad, outer_pad)
        FROM chain c JOIN input i ON i.ord = c.ord + 1)
    INSERT INTO audit (at, customer_id, body, hash, format)
    SELECT chain.at, chain.customer_id, chain.body, chain.hash, entry_format FROM chain ORDER BY chain.ord;
END
$$;
