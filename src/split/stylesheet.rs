//! The other pages' stylesheet (style/pages.css), fetched with the first page past the customer
//! list as their code is (a leaf module: [`LazyView`](crate::components::lazy_view::LazyView)
//! calls it).
//!
//! index.html does not link it (it is not the first load's): `scripts/split-wasm.sh` puts it
//! beside the route modules and names it in `<meta name="reservation-desk-pages-css">`. A build
//! without that `<meta>` (the browser tests' pages, which mount views alone) links nothing.

use std::cell::OnceCell;

use js_sys::Promise;
use leptos::prelude::document;

/// The `<meta>` that names the stylesheet's URL (written by scripts/split-wasm.sh).
const META: &str = "meta[name=reservation-desk-pages-css]";

thread_local! {
    static LINKED: OnceCell<Option<Promise>> = const { OnceCell::new() };
}

/// Links the stylesheet the first time (at the end of `<head>`, after main.css, so its rules come
/// after main.css's as they did in one stylesheet); then and on every later call, a promise
/// that settles once it has loaded or failed to (a page is shown unstyled rather than never).
/// `None` when the page names no such stylesheet.
pub fn pages() -> Option<Promise> {
    LINKED.with(|linked| linked.get_or_init(link).clone())
}

fn link() -> Option<Promise> {
    let meta = document().query_selector(META).ok()??;
    let href = meta.get_attribute("content")?;
    let head = meta.parent_node()?;
    let link = document().create_element("link").ok()?;
    link.set_attribute("rel", "stylesheet").ok()?;
    let loaded = Promise::new(&mut |resolve, _| {
        let _ = link.add_event_listener_with_callback("load", &resolve);
        let _ = link.add_event_listener_with_callback("error", &resolve);
    });
    link.set_attribute("href", &href).ok()?;
    head.append_child(&link).ok()?;
    Some(loaded)
}
