//! What the browser tests that mount the whole app share (`panels`, `portfolio`, `worklist`):
//! the app mounted at a URL over the in-browser backend, and waiting for a condition, never for a
//! time.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The seeded customer close to the refund limit (`contract::seed`).
pub const CONTOSO: &str = contract::seed::CONTOSO;
/// A seeded customer with headroom.
pub const FABRIKAM: &str = contract::seed::FABRIKAM;

/// How long [`wait_for`] waits before the test fails. Every condition the tests wait for holds
/// within a few turns of the scheduler; this is only how long a broken one takes to fail.
pub const PATIENCE_MS: f64 = 5_000.0;

/// Waits until `probe` finds something, and returns it: checks at once, then after each turn
/// of the browser's event loop (where the in-browser backend answers and the app renders),
/// until [`PATIENCE_MS`] have passed; then fails naming `what` it waited for, with the page's
/// text.
pub async fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = js_sys::Date::now() + PATIENCE_MS;
    loop {
        if let Some(found) = probe() {
            return found;
        }
        if js_sys::Date::now() > deadline {
            let page = document().body().and_then(|b| b.text_content()).unwrap_or_default();
            panic!("waited {PATIENCE_MS} ms for {what}, in vain; the page: {page}");
        }
        next_turn().await;
    }
}

/// Waits until `condition` holds (see [`wait_for`]).
pub async fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    wait_for(what, || condition().then_some(())).await
}

/// Resolves on a later turn of the event loop: after Leptos's own scheduled work (a tick), then
/// after the browser's queued tasks (a zero-delay timer), so that promises the app awaits, such
/// as the in-browser backend's answers, have a chance to settle.
async fn next_turn() {
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The whole app mounted at a path, signed in as the Admin agent, over whatever data the
/// in-browser backend holds. Unmounted on drop.
pub struct Mounted {
    pub root: web_sys::HtmlElement,
    /// The mounted app's handle: dropping it unmounts the app.
    _app: Box<dyn std::any::Any>,
}

impl Mounted {
    /// The app at `path` (e.g. `/customers/{id}/portfolio`).
    pub fn at(path: &str) -> Self {
        let document = document();
        // The app takes its base path from <base href> (GitHub Pages); the runner's page has none.
        if document.query_selector("base").unwrap().is_none() {
            let base = document.create_element("base").unwrap();
            base.set_attribute("href", "/").unwrap();
            document.head().unwrap().append_child(&base).unwrap();
        }
        reservation_desk::session::sign_in("demo-admin-agent");
        window().history().unwrap().push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path)).unwrap();
        let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&root).unwrap();
        let app = leptos::mount::mount_to(root.clone(), || reservation_desk::app::App().into_any());
        Self { root, _app: Box::new(app) }
    }

    /// The elements `selector` matches in the app.
    pub fn all(&self, selector: &str) -> Vec<web_sys::HtmlElement> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
    }

    /// The app's text.
    pub fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}
