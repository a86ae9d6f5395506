//! The customer page's Statement panel, a split point of its own ([`super`]): its code (the
//! statement, the price form, the credit note) is fetched the first time the tab is opened.

use leptos::prelude::*;

use super::{Loaded, ViewLoading};
use crate::panels::statement::StatementPanel;

mod point {
    use super::*;
    split_points! {
        statement: pub fn statement_panel() -> Loaded {
            Ok(view! { <StatementPanel /> }.into_any())
        }
    }
}

/// The Statement panel ([`StatementPanel`]), as a [`LoadView`](super::LoadView).
pub fn statement_panel() -> ViewLoading {
    Box::pin(point::statement_panel())
}
