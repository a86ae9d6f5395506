//! The in-browser backend: the same HTTP contract answered inside the page, for static
//! hosting (GitHub Pages) where there is no server. Same request and response types, same
//! validation, same service layer and engine as the server; the state lives in
//! `localStorage`, so it survives a reload, and [`reset`] puts the demo data back.

mod clock;
mod router;
mod state;

#[doc(hidden)]
pub use clock::set_clock_offset_for_tests;
pub use router::handle;
pub use state::reset;
