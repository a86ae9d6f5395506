//! # desk
//!
//! The application layer: every operation of the HTTP contract written once, for every
//! backend. [`Desk`] owns input validation, the permission check, refund and exchange sessions
//! (creation, expiry, replay), the decision (desk-service and the engine), the audit entry and
//! new IDs. It persists through a [`Store`] (SQLite in the server, Web Storage in the page, memory
//! in tests) and reads no clock and no randomness: each call carries `now` ([`Call`]) and the
//! desk is given an [`Ids`] source.
//!
//! [`Operation`] is the one table of the contract's operations (method, path, permission,
//! status, body types, words); the server's router, the in-browser dispatch, the permission check,
//! the SPA's API client and the OpenAPI document come from it, and [`Desk::handle`] answers any of
//! them from a method, a path and a JSON body.
//!
//! - [`operation`]: the operation table and how a path finds an operation.
//! - [`audit_chain`]: the audit log's hash chain, which every store keeps.
//! - [`desk`](mod@desk): one method per operation.
//! - [`dispatch`]: an operation's JSON in, JSON out (both adapters call it).
//! - [`store`]: what a store must do, and nothing more (no rules).
//! - [`memory`]: the store over one JSON document (Web Storage in the page, memory in tests).
//! - [`suite`] (feature `suite`): the behavioural suite every store passes.

pub mod audit_chain;
pub mod call;
pub mod desk;
pub mod dispatch;
pub mod error;
pub mod gdap;
pub mod ids;
pub mod memory;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod operation;
pub mod ports;
pub mod pricing;
pub mod source;
pub mod store;
pub mod time;
pub mod upstream;
pub mod worklist;
#[cfg(feature = "suite")]
pub mod suite;

pub use call::Call;
pub use desk::Desk;
pub use dispatch::Reply;
pub use error::{DeskError, StoreError};
pub use ids::Ids;
pub use operation::{Operation, RouteError};
pub use ports::DeskStore;
pub use store::Store;
