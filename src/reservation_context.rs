//! The reservation a page shows, as its panels and components share it.

use contract::{Approval, ReservationDetail};
use leptos::prelude::*;

/// What every panel of a reservation works on, provided by the reservation's page
/// (`pages::reservation::ReservationPage`). Its own module: panels and components read it without
/// importing the page.
#[derive(Clone)]
pub struct CurrentReservation {
    /// The customer the reservation belongs to.
    pub customer_id: String,
    /// The reservation with its utilization history.
    pub detail: ReservationDetail,
    /// Reloads the reservation (after a change or a refund).
    pub reload: Callback<()>,
    /// The open approval request that returns this reservation, if any: then no refund or
    /// exchange of it is offered until someone else decides it.
    pub waiting: RwSignal<Option<Approval>>,
    /// Whether such a request waits: what the Refund and Exchange buttons disable themselves by.
    pub waiting_now: Signal<bool>,
    /// Its display name as last saved: the page's title follows a rename at once.
    pub name: RwSignal<String>,
}
