//! The tests against a real PostgreSQL (`TEST_POSTGRES_URL`; scripts/postgres-for-tests.sh starts
//! one) in one test binary, built only with the feature `postgres-tests`: each file beside this one
//! is a part (the contract suite, money under concurrency, server processes, the audit chain,
//! alerts), each test on a fresh database; the helpers they share are compiled once.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common_postgres/mod.rs"]
mod common_postgres;
#[path = "../alert_receivers/mod.rs"]
mod alert_receivers;
#[path = "../crash_scenario/mod.rs"]
mod crash_scenario;
#[path = "../server_process/mod.rs"]
mod server_process;

mod alerts_postgres;
mod audit_postgres;
mod azure_mode_postgres;
mod contract_postgres;
mod money_postgres;
mod process_postgres;
