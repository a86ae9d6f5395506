//! The customer a page shows, as the panels loaded into its tabs share it.

use contract::{CustomerRecommendations, LookBackPeriod, Reservation};
use leptos::prelude::*;

use crate::api::ApiError;

/// What the customer page (`pages::customer::CustomerPage`) shares with the panels loaded into
/// its tabs on demand. Its own module: a panel reads it without importing the page.
#[derive(Clone, Copy)]
pub struct CurrentCustomer {
    /// The customer's ID.
    pub customer_id: Memo<String>,
    /// The customer's reservations, as the Azure reservations tab lists them (refetched after a
    /// purchase, so the new one appears there).
    pub reservations: LocalResource<Result<Vec<Reservation>, ApiError>>,
    /// What to buy for the customer, and the yearly savings still on the table, over
    /// [`Self::look_back`].
    pub recommendations: LocalResource<Result<CustomerRecommendations, ApiError>>,
    /// The usage the recommendations look back over, as the Buy tab's picker sets it (30 days
    /// to begin with).
    pub look_back: RwSignal<LookBackPeriod>,
}
