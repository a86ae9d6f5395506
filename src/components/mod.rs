//! Reusable view pieces, one per file.

pub mod approval_waiting;
pub mod archive_button;
pub mod audit_chain_check;
pub mod customer_table;
pub mod exchange_breakdown;
pub mod keep_refund_exchange;
pub mod language_picker;
pub mod lazy_view;
pub mod limit_meter;
pub mod portfolio;
pub mod load_error;
pub mod money_actions;
pub mod optimize_utilization;
pub mod problem_text;
pub mod quote_lines;
pub mod quote_text;
pub mod refund_breakdown;
pub mod refund_calculator;
pub mod labels;
pub mod reservation_table;
pub mod retired_series;
pub mod copy_button;
pub mod support_request_list;
pub mod tabs;
pub mod utilization_chart;
