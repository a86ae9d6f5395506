//! Reservation Desk single-page app (Leptos, client-side rendered).
//!
//! Views are thin: the figures come from the quote engine and the backend; files here only
//! fetch, arrange and show them. Every user-visible string goes through [`i18n`]
//! (`locales/*.json`, checked at compile time by leptos_i18n's code generation in build.rs).

pub mod api;
pub mod app;
pub mod clock;
pub mod components;
pub mod customer_context;
pub mod deployment;
pub mod format;
pub mod in_browser;
pub mod language;
pub mod pages;
pub mod panels;
pub mod oidc;
pub mod paths;
pub mod reservation_context;
pub mod session;
pub mod split;
pub mod user;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
