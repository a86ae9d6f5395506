use leptos::prelude::*;

use crate::api;
use crate::components::book_read_panel::BookReadPanel;
use crate::components::consent_panel::ConsentPanel;
use crate::components::load_error::LoadError;
use crate::components::readiness_table::ReadinessTable;
use crate::i18n::*;

/// Readiness: every Partner Center customer's tenant as the last read from Azure found it, and
/// what fixes the ones that could not be read or quoted (the Global admin's and Admin agents'
/// page; a desk that does not read Azure says so). The Global admin consents the desk's app in
/// the tenants that need it from here ([`ConsentPanel`]); the desk's connection for unattended
/// reads and a read of the whole book are above the table ([`BookReadPanel`]).
#[component]
pub fn ReadinessPage() -> impl IntoView {
    let i18n = use_i18n();
    let rows = LocalResource::new(api::readiness);
    // The consent run followed: the page's, as the panel is made again with each table read.
    let run = RwSignal::new(None);
    let on_done = Callback::new(move |()| rows.refetch());
    view! {
        <h1>{t!(i18n, readiness_title)}</h1>
        <p class="note">{t!(i18n, readiness_intro)}</p>
        // Outside the table's Transition: the read it follows outlives each read of the table.
        <BookReadPanel on_read=on_done />
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_readiness)}</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, readiness_empty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ConsentPanel rows=list.clone() run on_done />
                        <ReadinessTable rows=list />
                    }
                    .into_any(),
                    // The desk's own data: there is no tenant to read (the server's 404).
                    Err(api::ApiError::Problem(problem)) if problem.code == contract::ProblemCode::NotFound => {
                        view! { <p class="empty">{t!(i18n, readiness_not_azure)}</p> }.into_any()
                    }
                    Err(error) => view! { <LoadError error retry=move || rows.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}
