//! Everything the desk asks of a store, as one bound: the desk's own records
//! ([`crate::store::Store`]), Azure mode's cache ([`crate::source::SourceStore`]), the partner's
//! GDAP relationships read from Graph ([`crate::gdap::GdapStore`]) and its money moves through
//! Azure ([`crate::upstream::UpstreamStore`]), the worklist's marks and whole-book reads
//! ([`crate::worklist::WorklistStore`]), and the partner's prices
//! ([`crate::pricing::PricingStore`]). Every store is all six. The ports know nothing of each
//! other's callers; only this bound names them together.

use crate::gdap::GdapStore;
use crate::source::SourceStore;
use crate::store::Store;
use crate::upstream::UpstreamStore;
use crate::pricing::PricingStore;
use crate::worklist::WorklistStore;

/// A store the desk can run on: all six ports.
pub trait DeskStore: Store + SourceStore + GdapStore + UpstreamStore + WorklistStore + PricingStore {}

impl<S: Store + SourceStore + GdapStore + UpstreamStore + WorklistStore + PricingStore> DeskStore for S {}
