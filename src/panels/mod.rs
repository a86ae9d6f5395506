//! The panels of a reservation, one route each (nested under the reservation page), and the
//! customer page's Buy panel.

pub mod access_control;
pub mod buy;
pub mod buy_request;
pub mod configuration;
pub mod exchange;
pub mod exchange_request;
pub mod exchange_trade_in;
pub mod history;
pub mod overview;
pub mod properties;
pub mod refund;
pub mod split_merge;
pub mod statement;
pub mod support;
