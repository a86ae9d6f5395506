//! The Microsoft.Capacity REST API, api-version 2022-11-01, as Reservation Desk answers it, so the
//! official Azure SDKs and `az rest` work against the desk. This crate is pure: the operations'
//! paths, the wire types (field names and nesting as the published specification
//! `reservations.json` of 2022-11-01 has them) and the mapping from the desk's contract. The
//! server's adapter (`crates/server/src/azure.rs`) signs the caller in, asks the desk and
//! answers with what this crate writes; every rule stays in the desk.

pub mod consumption;
pub mod error;
pub mod exchange;
pub mod filter;
pub mod ids;
pub mod lenient;
pub mod lineage;
pub mod number;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod operation;
pub mod operations_list;
pub mod order_price;
pub mod patch;
pub mod plan;
pub mod purchase;
pub mod read;
pub mod refund;
pub mod reservation;
pub mod role_assignment;
pub mod savings_plan;
pub mod scopes;
pub mod support;

pub use error::{ArmError, API_VERSION};
pub use operation::{AzureOperation, NoOperation};
