//! One module per routed page.

pub mod access;
pub mod alerts;
pub mod approvals;
pub mod audit;
pub mod customer;
pub mod customers;
pub mod not_found;
pub mod readiness;
pub mod reservation;
pub mod sign_in;
pub mod support_request;
pub mod worklist;
