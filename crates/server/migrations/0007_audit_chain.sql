-- The audit log's hash chain (desk::audit_chain): each entry's hash covers its body and the hash
-- of the entry before it. Rows written before this migration get theirs when the server opens
-- the database (db::chain_unhashed_audit), oldest first.
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
