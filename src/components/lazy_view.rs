use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::i18n::*;
use crate::split::LoadView;

/// Shows a view loaded on demand ([`crate::split`]): a loading line while its code is fetched,
/// then the view; if the fetch failed, an inline error with a button that fetches again (never a
/// dead page). Not generic: every page shares this one component in the first module.
///
/// The other pages' stylesheet ([`crate::split::stylesheet`]) is fetched beside the first view's
/// code, and the view is shown once it has loaded too: no page is ever shown unstyled.
#[component]
pub fn LazyView(load: LoadView) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0_u32);
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_page)}</p> }>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    // Linked before the code is awaited: the two are fetched at once.
                    let stylesheet = crate::split::stylesheet::pages();
                    let code = load().await;
                    let styled = match stylesheet {
                        Some(loaded) => wasm_bindgen_futures::JsFuture::from(loaded).await.is_ok_and(|ok| ok.is_truthy()),
                        None => true,
                    };
                    match code {
                        // A page without its styles is not shown: the same error and retry as
                        // for its code (the retry links the stylesheet again).
                        Ok(view) if styled => view,
                        _ => view! {
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
