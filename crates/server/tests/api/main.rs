//! The server's integration tests in one test binary: each file beside this one is a part of
//! the HTTP surface or a process-level behaviour, and the stand-ins, the identity provider and the
//! helpers they share are compiled once for all of them rather than once per file (the PostgreSQL
//! tests and the browser walk's server are their own binaries: they need a database or run alone).

#[path = "../common/mod.rs"]
mod common;
#[path = "../azure_stand_ins/mod.rs"]
mod azure_stand_ins;
#[path = "../azure_desk/mod.rs"]
mod azure_desk;
#[path = "../oidc_provider/mod.rs"]
mod oidc_provider;
#[path = "../server_process/mod.rs"]
mod server_process;
#[path = "../crash_scenario/mod.rs"]
mod crash_scenario;
#[path = "../alert_receivers/mod.rs"]
mod alert_receivers;

mod access_api;
mod access_control_api;
mod alerts_delivery;
mod approvals_api;
mod audit_api;
mod audit_chain_api;
mod azure_access_control_api;
mod azure_api;
mod azure_approvals_api;
mod azure_catalog_api;
mod azure_changes_api;
mod azure_client_exchange;
mod azure_consents_api;
mod azure_demo_audit_api;
mod azure_exchange_api;
mod azure_faults_api;
mod azure_figures_api;
mod azure_gdap_api;
mod azure_prices_api;
mod azure_published_api;
mod azure_purchase_api;
mod azure_readiness_api;
mod azure_mode_store_api;
mod azure_reconciliation_api;
mod azure_recommendations_api;
mod azure_savings_plans_api;
mod azure_refund_api;
mod azure_source_api;
mod azure_support_api;
mod azure_trade_in_api;
mod azure_stand_in_purchase;
mod azure_unattended_api;
mod configuration_api;
mod connections_api;
mod contract_sqlite;
mod customers_api;
mod demo_users_api;
mod edge_api;
mod exchanges_api;
mod grants_api;
mod list_cache_api;
mod oidc_api;
mod openapi_api;
mod process_api;
mod quotes_api;
mod refund_policy_api;
mod refunds_api;
mod static_files_api;
mod statement_review_api;
mod support_api;
mod worklist_api;
