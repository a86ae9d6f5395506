//! Every in-app URL, built in one place and prefixed with the base path the app is served
//! under (empty at the root, `/repo` on GitHub Pages). leptos_router leaves absolute hrefs
//! alone, so links and redirects must carry the base themselves.

use std::sync::OnceLock;

static BASE: OnceLock<String> = OnceLock::new();

/// The base path from `<base href>` (trunk's `--public-url`), without a trailing slash.
pub fn base() -> &'static str {
    BASE.get_or_init(|| {
        let base = leptos::prelude::document().base_uri().ok().flatten().unwrap_or_default();
        let path = web_sys::Url::new(&base).map(|url| url.pathname()).unwrap_or_default();
        path.trim_end_matches('/').to_string()
    })
}

/// `path` (starting with `/`) under the base.
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// `href` (built here) as leptos_router's `navigate()` takes it: without the base, which
/// `navigate()` adds itself (unlike `<A href>`, which takes an absolute href as it is).
pub fn for_navigate(href: &str) -> &str {
    href.strip_prefix(base()).filter(|rest| rest.starts_with('/')).unwrap_or(href)
}

/// The customer list.
pub fn customers() -> String {
    href("/customers")
}

/// One customer, with their Azure reservations.
pub fn customer(customer_id: &str) -> String {
    href(&format!("/customers/{customer_id}"))
}

/// One tab of a customer's page: `""` is Azure reservations; else `support` or `portfolio`.
pub fn customer_tab(customer_id: &str, tab: &str) -> String {
    if tab.is_empty() {
        customer(customer_id)
    } else {
        href(&format!("/customers/{customer_id}/{tab}"))
    }
}

/// One support request of a customer.
pub fn support_request(customer_id: &str, request_id: &str) -> String {
    href(&format!("/customers/{customer_id}/support/{request_id}"))
}

/// One panel of a reservation (`""` is the Overview; else `properties`, `configuration`,
/// `access-control`, `support`, `refund`, `exchange`).
pub fn reservation(customer_id: &str, reservation_id: &str, panel: &str) -> String {
    let base = format!("/customers/{customer_id}/reservations/{reservation_id}");
    href(&if panel.is_empty() { base } else { format!("{base}/{panel}") })
}

/// Every tenant's readiness for Azure mode.
pub fn readiness() -> String {
    href("/readiness")
}

/// The demo sign-in page.
pub fn sign_in() -> String {
    href("/sign-in")
}

/// The audit log.
pub fn audit() -> String {
    href("/audit")
}

/// Alerts: what the desk watches per customer.
pub fn alerts() -> String {
    href("/alerts")
}

/// Approvals: refunds and exchanges waiting for a second person.
pub fn approvals() -> String {
    href("/approvals")
}

/// Access: which security groups see which customers (Global admin).
pub fn access() -> String {
    href("/access")
}

/// The worklist: what needs doing across every customer, most money at stake first.
pub fn worklist() -> String {
    href("/worklist")
}
