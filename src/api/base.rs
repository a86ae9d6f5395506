//! Where this build's backend is: the API base URL set at build time (`RESERVATION_DESK_API`),
//! or none (the in-browser backend). What the transport and the sign-in both ask, in a module
//! that depends on neither.

/// The API base URL this build talks to, if any.
const API_BASE: Option<&str> = match option_env!("RESERVATION_DESK_API") {
    Some(base) if !base.is_empty() => Some(base),
    _ => None,
};

/// The API base URL this build talks to, if any.
pub fn api_base() -> Option<&'static str> {
    API_BASE
}
