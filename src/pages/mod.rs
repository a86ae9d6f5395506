//! One module per routed page.

pub mod customers;
pub mod not_found;
