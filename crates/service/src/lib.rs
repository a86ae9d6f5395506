//! # desk-service
//!
//! The decisions behind the HTTP contract, shared by the SQLite server and the in-browser
//! backend so neither writes them twice. Pure functions over contract types: no I/O, no clock
//! (`today` is an argument), no randomness (IDs are inputs or derived from the seed).
//!
//! - [`seed`]: the deterministic demo data set, placed relative to `today`.
//! - [`utilization`]: daily utilization histories and their 1/7/30-day aggregates.
//! - [`limit`]: a customer's refund limit from their ledger.
//! - [`refund`]: the refund quote from stored data, the check before money moves, and what a
//!   plain refund of several reservations would give.
//! - [`current_price`]: today's catalog price of a stored reservation, which its refunds use
//!   when lower than its purchase price.
//! - [`exchange_rights`]: whether a stored reservation may be exchanged on a day (the
//!   2027 exchange rule).
//! - [`quantity`]: quantities as typed in the forms.
//! - [`reservations`]: the order a customer's reservations are listed in.
//! - [`portfolio`]: every active reservation of a customer quoted at once, with a
//!   recommendation, the best set of refunds within the shared limit, and the CSV export.
//! - [`error`]: what can go wrong, each with its stable code (the code decides the HTTP status:
//!   `contract::ProblemCode::status`).
//! - [`access`]: who may do what (the permission table), the demo users, and the user an
//!   identity provider's token stands for.

pub mod approval;
pub mod access;
pub mod access_control;
pub mod alerts;
pub mod catalog;
pub mod configuration;
pub mod current_price;
pub mod error;
pub mod exchange;
pub mod exchange_rights;
pub mod gdap;
#[doc(hidden)]
pub mod golden;
pub mod hash;
pub mod limit;
pub mod lineage;
pub mod payment_schedule;
pub mod portfolio;
pub mod purchase;
pub mod recommendations;
pub mod quantity;
pub mod readiness;
pub mod reconciliation;
pub mod refund;
pub mod region;
pub mod reservations;
pub mod seed;
pub mod statement;
pub mod support;
pub mod ticket;
pub mod utilization;
pub mod worklist;

pub use error::ServiceError;
