//! The in-browser backend: the same HTTP contract answered inside the page, for static
//! hosting (GitHub Pages) where there is no server. Same request and response types, same
//! validation, same service layer and engine as the server; the state lives in
//! `localStorage`, so it survives a reload, and [`reset`] puts the demo data back.

mod router;
mod state;

pub use router::handle;
pub use state::reset;
