//! The views loaded on demand: each routed page past the customer list is a split point.
//!
//! In the trunk builds (cargo feature `split`, turned on in index.html) each function below is a
//! `wasm_split` point: `scripts/split-wasm.sh`, a trunk hook, cuts the code only it reaches into
//! a module of its own, fetched the first time the page is opened (code shared by several
//! modules goes into shared chunks, fetched with the first that needs it). The first load is
//! then the shell, the sign-in-free customer list and what they use. Without the feature (the
//! wasm-bindgen-test binaries, `cargo check`), the same functions are plain `async fn`s.
//!
//! The pages and panels are in [`views`]; the split points here (the in-browser backend, the
//! renewal of a sign-in) and in [`problems`] (the problems' texts) are what the shell and the first screen call.
//!
//! A load can fail (a dropped connection, a deploy that removed the old files): the function
//! then answers [`ChunkError`] instead of aborting the module, and
//! [`LazyView`](crate::components::lazy_view::LazyView) shows the error with a retry.

use leptos::prelude::*;

mod chunk;

pub use chunk::ChunkError;

/// What a split point answers: the view, or why its code is not there.
pub type Loaded = Result<AnyView, ChunkError>;

/// `split_points! { module: pub fn name(args) -> Result<_, ChunkError> { body } … }` declares
/// each function as a fallible `wasm_split` point in module `module` with the `split` feature
/// (called, it becomes `async` and fetches the module first), and as the same `async fn`
/// without. Functions given the same module share one fetched file.
macro_rules! split_points {
    ($($(#[$attr:meta])* $module:ident: pub fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block)*) => {$(
        $(#[$attr])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name($($arg: $ty),*) -> $ret $body

        $(#[$attr])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> $ret $body
    )*};
}

// The problems' texts are a module of their own (a leaf: the components that show a problem
// import it, and `views` imports the pages that use those components).
pub mod buy;
pub mod problems;
pub mod statement;
pub mod stylesheet;
pub mod views;

/// A view's split point, called: the future that fetches its module (the first time) and then
/// answers the view. One type for every view, so [`LazyView`](crate::components::lazy_view::LazyView)
/// is compiled once for all of them, not once per page into the first module.
pub type LoadView = fn() -> ViewLoading;

/// What a [`LoadView`] answers.
pub type ViewLoading = std::pin::Pin<Box<dyn std::future::Future<Output = Loaded>>>;

split_points! {
    /// The in-browser backend's every operation ([`crate::in_browser`]): the whole desk, the
    /// quote engine and the contract's (de)serializers, fetched with the first request the
    /// customer list did not need. Only the static build calls it; the server's build leaves
    /// its module out of what it serves.
    backend: pub fn backend(
        token: Option<&str>,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&str>
    ) -> Result<Result<Option<String>, contract::Problem>, ChunkError> {
        Ok(crate::in_browser::answer_any(token, method, path, query, body))
    }

    /// The in-browser backend's answers to the first screen's reads (who is signed in, the
    /// customer list), `None` for any other request: the static build's first screen without
    /// the whole desk, and nothing of the demo in the first module the server's build shares.
    backend_first_screen: pub fn backend_first_screen(
        token: Option<&str>,
        method: &str,
        path: &str,
        query: &[(&str, &str)]
    ) -> Result<Option<Result<Option<String>, contract::Problem>>, ChunkError> {
        Ok(crate::in_browser::answer_first_screen(token, method, path, query))
    }

    /// The renewal of an expired OpenID Connect sign-in ([`crate::session::renew`]): the token
    /// request is the sign-in page's code, so it comes with that module, not with the first
    /// load. The future is boxed: a split function cannot be `async` itself.
    sign_in: pub fn renewal() -> Result<Renewal, ChunkError> {
        Ok(Box::pin(crate::session::renew()))
    }
}

/// [`renewal`]'s future: whether the sign-in was renewed.
pub type Renewal = std::pin::Pin<Box<dyn std::future::Future<Output = bool>>>;
