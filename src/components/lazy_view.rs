use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::i18n::*;
use crate::split::Loaded;

/// Shows a view loaded on demand ([`crate::split`]): a loading line while its code is fetched,
/// then the view; if the fetch failed, an inline error with a button that fetches again (never a
/// dead page).
#[component]
pub fn LazyView<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Loaded> + 'static,
{
    let i18n = use_i18n();
    let attempt = RwSignal::new(0_u32);
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_page)}</p> }>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(view) => view,
                        Err(_) => view! {
                            <div class="load-error" role="alert">
                                <p>{t!(i18n, page_load_failed)}</p>
                                <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                                    {t!(i18n, try_again)}
                                </button>
                            </div>
                        }.into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}
