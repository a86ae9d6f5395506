-- Azure mode (crates/server/src/source_store.rs), as migrations/0031: what Microsoft
-- Graph (or a consent the desk made) last told of the desk's directory reads in the customer's
-- tenant (JSON of contract::source::DirectoryAccess; NULL while unknown). Partner Center cannot
-- be asked what an application consent grants; this is how the readiness table tells a tenant
-- whose consent predates Graph's grant.
ALTER TABLE azure_source ADD COLUMN directory TEXT;
