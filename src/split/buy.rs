//! The customer page's Buy panel, a split point of its own ([`super`]): the customer page
//! shows it in its Buy tab, and its code (the catalog, the purchase quote) comes with the money
//! panels' module the first time the tab is opened.

use leptos::prelude::*;

use super::{Loaded, ViewLoading};
use crate::panels::buy::BuyPanel;

mod point {
    use super::*;
    split_points! {
        money: pub fn buy_panel() -> Loaded {
            Ok(view! { <BuyPanel /> }.into_any())
        }
    }
}

/// The Buy panel ([`BuyPanel`]), as a [`LoadView`](super::LoadView).
pub fn buy_panel() -> ViewLoading {
    Box::pin(point::buy_panel())
}
