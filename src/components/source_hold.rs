//! Azure mode: refunds and exchanges are held on a customer whose last read from
//! Azure failed (the status `GET /api/source/customers/{id}` answers): Azure is where they would
//! be made, and it did not answer. The panels disable Review and Submit and say why, inline;
//! quotes in the browser go on working on the cached data. In local mode nothing is held.

use contract::source::SourceError;
use contract::DataSource;
use leptos::prelude::*;

use crate::api;
use crate::deployment::Deployment;
use crate::i18n::*;

/// Why money actions on `customer_id` are held: the last read's failure, as Azure answered it;
/// `None` in local mode, while the status is loading, or when the last read succeeded.
pub fn source_hold(customer_id: String) -> Signal<Option<SourceError>> {
    let settings = Deployment::settings();
    let status = LocalResource::new(move || {
        let id = customer_id.clone();
        async move {
            match settings.await {
                Ok(s) if s.source == DataSource::Azure => api::source_status(&id).await.ok(),
                _ => None,
            }
        }
    });
    Signal::derive(move || status.get().flatten().and_then(|s| s.error))
}

/// The inline reason, under `id` (the held buttons' `aria-describedby`).
#[component]
pub fn SourceHoldNote(hold: Signal<Option<SourceError>>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        hold.get().map(|error| {
            view! {
                <p id=id class="field-error source-hold" role="note">
                    {t_string!(i18n, source_money_held, message = error.message.clone(), code = error.code.clone()).to_string()}
                </p>
            }
        })
    }
}
