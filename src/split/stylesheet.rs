//! The other pages' stylesheet (style/pages.css), fetched with the first page past the customer
//! list as their code is (a leaf module: [`LazyView`](crate::components::lazy_view::LazyView)
//! calls it).
//!
//! index.html does not link it (it is not the first load's): `scripts/split-wasm.sh` puts it
//! beside the route modules and names it in `<meta name="reservation-desk-pages-css">`. A build
//! without that `<meta>` (the browser tests' pages, which mount views alone) links nothing.

use std::cell::RefCell;

use js_sys::Promise;
use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

/// The `<meta>` that names the stylesheet's URL (written by scripts/split-wasm.sh).
const META: &str = "meta[name=reservation-desk-pages-css]";

thread_local! {
    /// The stylesheet linked, as the promise of its load (a failed load is forgotten, so that the
    /// next page links it again).
    static LINKED: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Links the stylesheet the first time (at the end of `<head>`, after main.css, so its rules come
/// after main.css's as they did in one stylesheet); then and on every later call, a promise that
/// settles with `true` once it has loaded, `false` if it could not be (offline, an error answer):
/// its `<link>` is then removed and the next call links it anew, as a page's failed module is
/// fetched again. `None` when the page names no such stylesheet.
pub fn pages() -> Option<Promise> {
    LINKED.with(|linked| {
        let mut linked = linked.borrow_mut();
        if linked.is_none() {
            *linked = link();
        }
        linked.clone()
    })
}

fn link() -> Option<Promise> {
    let meta = document().query_selector(META).ok()??;
    let href = meta.get_attribute("content")?;
    let head = meta.parent_node()?;
    let link = document().create_element("link").ok()?;
    link.set_attribute("rel", "stylesheet").ok()?;
    let loaded = Promise::new(&mut |resolve, _| {
        let on_load = resolve.clone();
        let load = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = on_load.call1(&JsValue::NULL, &JsValue::TRUE);
        });
        let failed_link = link.clone();
        let error = wasm_bindgen::closure::Closure::once_into_js(move || {
            failed_link.remove();
            LINKED.with(|linked| linked.borrow_mut().take());
            let _ = resolve.call1(&JsValue::NULL, &JsValue::FALSE);
        });
        let _ = link.add_event_listener_with_callback("load", load.unchecked_ref());
        let _ = link.add_event_listener_with_callback("error", error.unchecked_ref());
    });
    link.set_attribute("href", &href).ok()?;
    head.append_child(&link).ok()?;
    Some(loaded)
}
