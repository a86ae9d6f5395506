//! The desk's document kept in the browser's `localStorage`.

use desk::memory::Persist;

/// Where the document lives. `v3`: audit entries carry their hash chain; `v2`: sessions carry
/// their instants (data saved by an earlier layout is left alone and the demo starts again from
/// the seed).
pub const KEY: &str = "reservation-desk/demo-data/v3";

/// `localStorage`, or nothing where the browser blocks it (then changes last for the page).
#[derive(Clone, Copy, Debug, Default)]
pub struct WebStorage;

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

impl Persist for WebStorage {
    fn load(&self) -> Option<String> {
        storage()?.get_item(KEY).ok().flatten()
    }

    fn save(&self, document: &str) -> Result<(), String> {
        let storage = storage().ok_or("the browser gives this page no storage")?;
        storage.set_item(KEY, document).map_err(|e| format!("{e:?}"))
    }
}

/// Puts the demo data back as it will be seeded today.
pub fn reset() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
