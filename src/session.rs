//! The signed-in user's bearer token, kept in `localStorage` so a reload stays signed in.

const KEY: &str = "reservation-desk/token";

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The current token, if signed in.
pub fn token() -> Option<String> {
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).filter(|t| !t.is_empty())
}

/// Remembers `token` (demo sign-in).
pub fn sign_in(token: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, token);
    }
}

/// Forgets the token.
pub fn sign_out() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}
