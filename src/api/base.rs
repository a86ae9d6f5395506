//! Where this page's backend is: the API base URL its index.html names
//! (`<meta name="reservation-desk-api" content="/api">`, which scripts/select-backend.sh writes
//! into the server's build), or none (the in-browser backend of the static build). One compiled
//! app serves both; what the transport and the sign-in both ask, in a module that depends on
//! neither.

/// The `<meta>` element's name.
pub const META_NAME: &str = "reservation-desk-api";

/// The API base URL this page talks to, if any: read from the document once.
pub fn api_base() -> Option<&'static str> {
    thread_local! {
        static BASE: Option<&'static str> = read();
    }
    BASE.with(|base| *base)
}

#[cfg(target_arch = "wasm32")]
fn read() -> Option<&'static str> {
    let meta = leptos::prelude::document().query_selector(&format!("meta[name=\"{META_NAME}\"]")).ok()??;
    let base = meta.get_attribute("content")?;
    // Read once per page and kept for its life, as a constant would be.
    (!base.trim().is_empty()).then(|| &*Box::leak(base.trim().to_owned().into_boxed_str()))
}

/// Natively (the library's unit tests) there is no page: no server either.
#[cfg(not(target_arch = "wasm32"))]
fn read() -> Option<&'static str> {
    None
}
