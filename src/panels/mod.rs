//! The panels of a reservation, one route each (nested under the reservation page).

pub mod access_control;
pub mod configuration;
pub mod exchange;
pub mod exchange_request;
pub mod exchange_trade_in;
pub mod history;
pub mod overview;
pub mod properties;
pub mod refund;
pub mod split_merge;
pub mod support;
