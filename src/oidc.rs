//! OpenID Connect sign-in (Authorization Code with PKCE, S256) as pure functions: the URLs and
//! form bodies the flow sends, the callback it reads back, and when a token has expired. The
//! browser side (random bytes, SHA-256, storage, fetch) is in `session.rs`; nothing here does I/O.

use serde::{Deserialize, Serialize};

/// The parts of the issuer's discovery document the SPA uses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Discovery {
    /// Where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// Where the code is exchanged for tokens.
    pub token_endpoint: String,
    /// Where the browser is sent to sign out at the provider, if it has one.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// The token endpoint's answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TokenResponse {
    /// The bearer token for the API.
    pub access_token: String,
    /// Seconds it is valid for.
    #[serde(default)]
    pub expires_in: Option<u64>,
    /// To renew without asking the user again, if the provider gives one.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// The ID token: only its `login_hint` claim is kept, for sign-out.
    #[serde(default)]
    pub id_token: Option<String>,
}

/// A sign-in kept in `sessionStorage`: the access token, when it expires, and what renewal and
/// sign-out need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// The bearer token.
    pub access_token: String,
    /// When it expires (milliseconds since the epoch).
    pub expires_at: f64,
    /// The refresh token, if any.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// The `login_hint` claim of the ID token, if it had one (Entra ID's optional claim), sent
    /// as `logout_hint` at sign-out. The ID token itself is not kept: sent in the sign-out URL,
    /// it would stay in the browser's history and the provider's logs, and it is a token of
    /// the user.
    #[serde(default)]
    pub logout_hint: Option<String>,
    /// The token endpoint (for renewal).
    pub token_endpoint: String,
    /// The client the tokens were issued to (for renewal and sign-out).
    pub client_id: String,
    /// The provider's sign-out URL, if it has one.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// Seconds before the real expiry at which a token counts as expired (clock skew, a request in flight).
pub const EXPIRY_MARGIN_S: f64 = 30.0;

/// How long a token without `expires_in` is kept (the provider's usual hour).
pub const DEFAULT_LIFETIME_S: u64 = 3600;

impl Tokens {
    /// The tokens of a token endpoint answer received at `now_ms`. A renewal that brings no new
    /// refresh or ID token keeps what `previous` had of them.
    pub fn from_response(
        response: TokenResponse,
        now_ms: f64,
        discovery: &Discovery,
        client_id: &str,
        previous: Option<&Tokens>,
    ) -> Self {
        let lifetime = response.expires_in.unwrap_or(DEFAULT_LIFETIME_S) as f64;
        Self {
            access_token: response.access_token,
            expires_at: now_ms + lifetime * 1000.0,
            refresh_token: response.refresh_token.or_else(|| previous.and_then(|p| p.refresh_token.clone())),
            logout_hint: match response.id_token.as_deref() {
                Some(id_token) => login_hint_of(id_token),
                None => previous.and_then(|p| p.logout_hint.clone()),
            },
            token_endpoint: discovery.token_endpoint.clone(),
            client_id: client_id.to_string(),
            end_session_endpoint: discovery.end_session_endpoint.clone(),
        }
    }

    /// Whether the access token may no longer be used at `now_ms`.
    pub fn expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at - EXPIRY_MARGIN_S * 1000.0
    }
}

/// A sign-in under way, kept in `sessionStorage` between the redirect and the callback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pending {
    /// The PKCE code verifier.
    pub verifier: String,
    /// The `state` sent, which the callback must bring back.
    pub state: String,
    /// The in-app path (with its query) to return to.
    pub return_to: String,
}

/// The discovery document's URL.
pub fn discovery_url(issuer: &str) -> String {
    format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
}

/// base64url without padding (RFC 4648 §5), as PKCE writes verifiers and challenges.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Percent-encodes a form value (`application/x-www-form-urlencoded`, spaces as `%20`, which
/// both query strings and form bodies read as a space).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes one percent-encoded query value (`+` is a space).
pub fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// The URL the browser is sent to, to sign in.
pub fn authorization_url(endpoint: &str, client_id: &str, redirect_uri: &str, scope: &str, state: &str, challenge: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    let query = form(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", scope),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]);
    format!("{endpoint}{separator}{query}")
}

/// The token request's body that exchanges `code` (a public client: no secret).
pub fn code_exchange_body(code: &str, redirect_uri: &str, client_id: &str, verifier: &str) -> String {
    form(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
        ("code_verifier", verifier),
    ])
}

/// The token request's body that renews with a refresh token.
pub fn refresh_body(refresh_token: &str, client_id: &str) -> String {
    form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", client_id)])
}

/// The provider's sign-out URL (OpenID Connect RP-Initiated Logout 1.0): the client, where to
/// come back to, and which account as `logout_hint` when known. Never `id_token_hint`: a
/// browser keeps this URL in its history, and the spec lets `client_id` stand in for the token
/// (the provider then may ask the user to confirm).
pub fn end_session_url(endpoint: &str, logout_hint: Option<&str>, client_id: &str, post_logout_redirect_uri: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    let mut pairs = vec![("client_id", client_id), ("post_logout_redirect_uri", post_logout_redirect_uri)];
    if let Some(hint) = logout_hint {
        pairs.push(("logout_hint", hint));
    }
    format!("{endpoint}{separator}{}", form(&pairs))
}

/// The `login_hint` claim of an ID token (read, not verified: it is only a hint sent back to
/// the provider that issued it), if it has one.
pub fn login_hint_of(id_token: &str) -> Option<String> {
    let payload = base64url_decode(id_token.split('.').nth(1)?)?;
    let claims: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    claims.get("login_hint")?.as_str().filter(|hint| !hint.is_empty()).map(str::to_owned)
}

/// Decodes base64url without padding (RFC 4648 §5); `None` for anything else.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(value(*c)?) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// The app's redirect URI: its base URL (`{origin}{base}/`).
pub fn redirect_uri(origin: &str, base: &str) -> String {
    format!("{origin}{base}/")
}

/// What the provider sent back to the redirect URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Callback {
    /// A code to exchange, with the `state` it came with.
    Code { code: String, state: String },
    /// The provider refused (e.g. `access_denied`), with its description if any.
    Error { error: String, description: Option<String>, state: Option<String> },
}

/// Reads a callback from a query string (`?code=…&state=…`), or `None` when it is not one.
pub fn parse_callback(search: &str) -> Option<Callback> {
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for pair in search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match key {
            "code" => code = Some(value),
            "state" => state = Some(value),
            "error" => error = Some(value),
            "error_description" => description = Some(value),
            _ => {}
        }
    }
    match (code, state, error) {
        (_, state, Some(error)) => Some(Callback::Error { error, description, state }),
        (Some(code), Some(state), None) => Some(Callback::Code { code, state }),
        _ => None,
    }
}

/// Why a callback cannot complete the sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackError {
    /// No sign-in was started in this tab, or its `state` differs (a forged or stale answer).
    BadState,
    /// The provider answered with an error.
    Provider(String),
}

/// The code to exchange, once the callback's `state` matches the pending sign-in's.
pub fn check_callback(callback: &Callback, pending: Option<&Pending>) -> Result<String, CallbackError> {
    match callback {
        Callback::Error { error, description, .. } => {
            Err(CallbackError::Provider(description.as_ref().map_or_else(|| error.clone(), |d| format!("{error}: {d}"))))
        }
        Callback::Code { code, state } => match pending {
            Some(p) if !p.state.is_empty() && constant_time_eq(p.state.as_bytes(), state.as_bytes()) => Ok(code.clone()),
            _ => Err(CallbackError::BadState),
        },
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where to go after signing in: the kept in-app path when it is one (starts with the base and
/// a single `/`), else `fallback`. Never another origin.
pub fn safe_return_to(kept: Option<&str>, base: &str, fallback: &str) -> String {
    match kept {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && path.starts_with(base) => {
            let rest = &path[base.len()..];
            if rest.starts_with('/') && !rest.ends_with("/sign-in") && !rest.starts_with("/sign-in?") {
                path.to_string()
            } else {
                fallback.to_string()
            }
        }
        _ => fallback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery() -> Discovery {
        Discovery {
            authorization_endpoint: "https://id.example/auth".into(),
            token_endpoint: "https://id.example/token".into(),
            end_session_endpoint: Some("https://id.example/session/end".into()),
        }
    }

    #[test]
    fn base64url_matches_rfc_4648_without_padding() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(&[0xfb, 0xff, 0xfe]), "-__-");
        // 32 random bytes give a 43-character verifier (RFC 7636 §4.1).
        assert_eq!(base64url(&[7; 32]).len(), 43);
    }

    #[test]
    fn rfc_7636_appendix_b_challenge_of_its_verifier() {
        // The verifier's bytes and its SHA-256 from RFC 7636 Appendix B.
        let verifier_bytes = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240,
            91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(base64url(&verifier_bytes), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let digest = [
            19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109, 241, 68, 86, 110,
            225, 137, 74, 203, 112, 249, 195,
        ];
        assert_eq!(base64url(&digest), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn the_authorization_url_carries_every_parameter_encoded() {
        let url = authorization_url(
            "https://id.example/auth",
            "spa",
            "http://127.0.0.1:8080/",
            "openid profile api://x/access_as_user",
            "s t",
            "E9Mel",
        );
        assert_eq!(
            url,
            "https://id.example/auth?response_type=code&client_id=spa&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F\
             &scope=openid%20profile%20api%3A%2F%2Fx%2Faccess_as_user&state=s%20t&code_challenge=E9Mel&code_challenge_method=S256"
        );
        assert!(authorization_url("https://id.example/auth?p=1", "c", "r", "s", "t", "x").starts_with("https://id.example/auth?p=1&response_type=code"));
    }

    #[test]
    fn the_exchange_and_refresh_bodies_are_form_encoded_without_a_secret() {
        assert_eq!(
            code_exchange_body("a/b", "http://h/", "spa", "v"),
            "grant_type=authorization_code&code=a%2Fb&redirect_uri=http%3A%2F%2Fh%2F&client_id=spa&code_verifier=v"
        );
        assert_eq!(refresh_body("r+1", "spa"), "grant_type=refresh_token&refresh_token=r%2B1&client_id=spa");
    }

    #[test]
    fn callbacks_are_read_and_checked_against_the_pending_state() {
        let pending = Pending { verifier: "v".into(), state: "abc".into(), return_to: "/customers".into() };
        let ok = parse_callback("?code=x%2By&state=abc&iss=https%3A%2F%2Fid").unwrap();
        assert_eq!(ok, Callback::Code { code: "x+y".into(), state: "abc".into() });
        assert_eq!(check_callback(&ok, Some(&pending)), Ok("x+y".into()));
        let forged = parse_callback("code=x&state=abd").unwrap();
        assert_eq!(check_callback(&forged, Some(&pending)), Err(CallbackError::BadState));
        assert_eq!(check_callback(&ok, None), Err(CallbackError::BadState));
        let empty = Pending { state: String::new(), ..pending.clone() };
        assert_eq!(check_callback(&parse_callback("code=x&state=").unwrap(), Some(&empty)), Err(CallbackError::BadState));
        let denied = parse_callback("?error=access_denied&error_description=End-User+aborted&state=abc").unwrap();
        assert_eq!(check_callback(&denied, Some(&pending)), Err(CallbackError::Provider("access_denied: End-User aborted".into())));
        assert_eq!(parse_callback("?lang=de"), None);
        assert_eq!(parse_callback(""), None);
        assert_eq!(parse_callback("?code=x"), None);
    }

    #[test]
    fn decoding_survives_broken_escapes() {
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%41%42"), "AB");
    }

    #[test]
    fn tokens_expire_with_a_margin_and_keep_what_a_renewal_omits() {
        let id_token = format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", base64url(br#"{"sub":"s","nonce":"n","login_hint":"O.aW5mbw"}"#));
        let first = TokenResponse { access_token: "a".into(), expires_in: Some(600), refresh_token: Some("r".into()), id_token: Some(id_token.clone()) };
        let tokens = Tokens::from_response(first, 1_000_000.0, &discovery(), "spa", None);
        assert_eq!(tokens.expires_at, 1_600_000.0);
        assert!(!tokens.expired(1_000_000.0 + 569_000.0));
        assert!(tokens.expired(1_000_000.0 + 570_000.0));
        let renewed = TokenResponse { access_token: "b".into(), expires_in: None, refresh_token: None, id_token: None };
        let renewed = Tokens::from_response(renewed, 2_000_000.0, &discovery(), "spa", Some(&tokens));
        assert_eq!(renewed.refresh_token.as_deref(), Some("r"));
        assert_eq!(renewed.logout_hint.as_deref(), Some("O.aW5mbw"));
        assert_eq!(renewed.expires_at, 2_000_000.0 + 3_600_000.0);
        let json = serde_json::to_string(&renewed).unwrap();
        assert!(!json.contains(&id_token) && !json.contains("c2ln"), "the ID token is not kept: {json}");
        assert_eq!(serde_json::from_str::<Tokens>(&json).unwrap(), renewed);
    }

    #[test]
    fn sign_out_and_discovery_urls() {
        assert_eq!(discovery_url("https://id.example/t/v2.0/"), "https://id.example/t/v2.0/.well-known/openid-configuration");
        assert_eq!(
            end_session_url("https://id.example/session/end", Some("O.aW5mbw"), "spa", "http://h/"),
            "https://id.example/session/end?client_id=spa&post_logout_redirect_uri=http%3A%2F%2Fh%2F&logout_hint=O.aW5mbw"
        );
        assert_eq!(
            end_session_url("https://id.example/session/end?p=1", None, "spa", "http://h/"),
            "https://id.example/session/end?p=1&client_id=spa&post_logout_redirect_uri=http%3A%2F%2Fh%2F"
        );
        assert_eq!(redirect_uri("http://127.0.0.1:8080", "/reservation-desk"), "http://127.0.0.1:8080/reservation-desk/");
        assert_eq!(redirect_uri("http://127.0.0.1:8080", ""), "http://127.0.0.1:8080/");
    }

    #[test]
    fn the_login_hint_is_read_from_an_id_token_and_base64url_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0xfb, 0xff, 0xfe]] {
            assert_eq!(base64url_decode(&base64url(bytes)).as_deref(), Some(bytes), "{bytes:?}");
        }
        assert_eq!(base64url_decode("Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(base64url_decode("Zm9v+g"), None, "not the url alphabet");
        assert_eq!(base64url_decode("Z"), None);
        let token = |claims: &str| format!("e30.{}.sig", base64url(claims.as_bytes()));
        assert_eq!(login_hint_of(&token(r#"{"login_hint":"hint-1","sub":"s"}"#)).as_deref(), Some("hint-1"));
        assert_eq!(login_hint_of(&token(r#"{"sub":"s"}"#)), None);
        assert_eq!(login_hint_of(&token(r#"{"login_hint":""}"#)), None);
        assert_eq!(login_hint_of("not a token"), None);
        assert_eq!(login_hint_of("a.!!!.c"), None);
    }

    #[test]
    fn only_an_in_app_path_is_returned_to() {
        assert_eq!(safe_return_to(Some("/customers/c1?x=1"), "", "/customers"), "/customers/c1?x=1");
        assert_eq!(safe_return_to(Some("//evil.example/"), "", "/customers"), "/customers");
        assert_eq!(safe_return_to(Some("https://evil.example/"), "", "/customers"), "/customers");
        assert_eq!(safe_return_to(Some("/sign-in"), "", "/customers"), "/customers");
        assert_eq!(safe_return_to(Some("/other/customers"), "/desk", "/desk/customers"), "/desk/customers");
        assert_eq!(safe_return_to(Some("/desk/audit"), "/desk", "/desk/customers"), "/desk/audit");
        assert_eq!(safe_return_to(None, "", "/customers"), "/customers");
    }

    #[test]
    fn the_discovery_and_token_answers_are_read() {
        let d: Discovery = serde_json::from_str(r#"{"issuer":"x","authorization_endpoint":"a","token_endpoint":"t","jwks_uri":"j"}"#).unwrap();
        assert_eq!(d.end_session_endpoint, None);
        let t: TokenResponse = serde_json::from_str(r#"{"access_token":"a","token_type":"Bearer","expires_in":3600,"scope":"openid"}"#).unwrap();
        assert_eq!(t.expires_in, Some(3600));
    }
}
