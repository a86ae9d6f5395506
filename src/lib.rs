//! Reservation Desk single-page app (Leptos, client-side rendered).
//!
//! Views are thin: the figures come from the quote engine and the backend; files here only
//! fetch, arrange and show them.

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
