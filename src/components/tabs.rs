use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One tab: its id suffix and its label.
#[derive(Clone)]
pub struct Tab {
    /// Used for element ids (`tab-{key}`, `panel-{key}`).
    pub key: &'static str,
    /// The visible label.
    pub label: Signal<String>,
}

/// The index after pressing `key` on tab `current` of `count`: arrows wrap, Home/End jump.
pub fn next_tab(key: &str, current: usize, count: usize) -> Option<usize> {
    match key {
        "ArrowRight" => Some((current + 1) % count),
        "ArrowLeft" => Some((current + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}

/// A WAI-ARIA tab list: `role="tab"` buttons with roving tabindex and arrow-key navigation;
/// `selected` says which panel the caller shows (with `role="tabpanel"`, id `panel-{key}`).
#[component]
pub fn TabList(
    /// The tabs, in order.
    tabs: Vec<Tab>,
    /// The selected tab's index.
    selected: RwSignal<usize>,
    /// The tab list's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// Called with the index of a tab the user chose (click or keys), after `selected` is set:
    /// e.g. to put the tab in the URL.
    #[prop(optional)]
    on_select: Option<Callback<usize>>,
) -> impl IntoView {
    let count = tabs.len();
    let choose = move |i: usize| {
        selected.set(i);
        if let Some(callback) = on_select {
            callback.run(i);
        }
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if let Some(next) = next_tab(&event.key(), selected.get_untracked(), count) {
            event.prevent_default();
            choose(next);
            let id = format!("tab-{next}");
            if let Some(el) = document().get_element_by_id(&id) {
                let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=move || label.get() on:keydown=on_key>
            {tabs
                .into_iter()
                .enumerate()
                .map(|(i, tab)| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{i}")
                            aria-controls=format!("panel-{}", tab.key)
                            aria-selected=move || (selected.get() == i).to_string()
                            tabindex=move || if selected.get() == i { "0" } else { "-1" }
                            on:click=move |_| choose(i)
                        >
                            {move || tab.label.get()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::next_tab;

    #[test]
    fn arrows_wrap_and_home_end_jump() {
        assert_eq!(next_tab("ArrowRight", 1, 2), Some(0));
        assert_eq!(next_tab("ArrowLeft", 0, 2), Some(1));
        assert_eq!(next_tab("End", 0, 3), Some(2));
        assert_eq!(next_tab("Home", 2, 3), Some(0));
        assert_eq!(next_tab("Enter", 0, 3), None);
    }
}
