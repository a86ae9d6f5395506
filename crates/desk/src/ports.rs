//! Everything the desk asks of a store, as one bound: the desk's own records
//! ([`crate::store::Store`]), Azure mode's cache ([`crate::source::SourceStore`]) and its money
//! moves through Azure ([`crate::upstream::UpstreamStore`]). Every store is all three. The three
//! ports know nothing of each other's callers; only this bound names them together.

use crate::source::SourceStore;
use crate::store::Store;
use crate::upstream::UpstreamStore;

/// A store the desk can run on: all three ports.
pub trait DeskStore: Store + SourceStore + UpstreamStore {}

impl<S: Store + SourceStore + UpstreamStore> DeskStore for S {}
