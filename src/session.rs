//! Who is signed in, in this browser.
//!
//! Demo sign-in keeps the chosen user's fixed token in `localStorage`, so a reload stays signed
//! in. OpenID Connect (when `GET /api/config` says `oidc`) keeps the access token, its expiry and
//! what renewal and sign-out need in `sessionStorage` (this tab only, gone with it). The flow's
//! URLs, bodies and checks are pure functions in [`crate::oidc`]; this file only does the I/O:
//! random bytes and SHA-256 from WebCrypto, storage, and `fetch` to the provider.

use std::cell::RefCell;

use contract::SignInConfig;
use gloo_net::http::Request;
use leptos::prelude::window;
use wasm_bindgen::JsCast;

use crate::oidc::{self, Discovery, Pending, TokenResponse, Tokens};
use crate::paths;

const KEY: &str = "reservation-desk/token";
const OIDC_TOKENS: &str = "reservation-desk/oidc-tokens";
const OIDC_PENDING: &str = "reservation-desk/oidc-pending";
const RETURN_TO: &str = "reservation-desk/return-to";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn tab_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn read<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let text = tab_storage()?.get_item(key).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn write<T: serde::Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (tab_storage(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &text);
    }
}

fn remove(key: &str) {
    if let Some(s) = tab_storage() {
        let _ = s.remove_item(key);
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The current bearer token, if signed in: the provider's access token while it is valid, else
/// the demo token.
pub fn token() -> Option<String> {
    if let Some(tokens) = read::<Tokens>(OIDC_TOKENS) {
        return (!tokens.expired(now_ms())).then_some(tokens.access_token);
    }
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).filter(|t| !t.is_empty())
}

/// Remembers `token` (demo sign-in).
pub fn sign_in(token: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, token);
    }
}

/// Forgets every token and says where to go next: the provider's sign-out page when signed in
/// through one that has it, else the sign-in page.
pub fn sign_out() -> String {
    let tokens = read::<Tokens>(OIDC_TOKENS);
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
    remove(OIDC_TOKENS);
    remove(OIDC_PENDING);
    match tokens {
        Some(Tokens { end_session_endpoint: Some(endpoint), logout_hint, client_id, .. }) => {
            oidc::end_session_url(&endpoint, logout_hint.as_deref(), &client_id, &redirect_uri())
        }
        _ => paths::sign_in(),
    }
}

thread_local! {
    static CONFIG: RefCell<Option<SignInConfig>> = const { RefCell::new(None) };
}

/// How this deployment signs in: `GET /api/config`, kept once answered (the in-browser build is
/// always demo). When the server cannot be asked, why, and nothing kept: the sign-in page says so
/// and asks again, rather than offer the demo users a server in Azure mode would never show.
pub async fn config() -> Result<SignInConfig, String> {
    let Some(base) = crate::api::base::api_base() else { return Ok(SignInConfig::Demo) };
    if let Some(config) = CONFIG.with(|c| c.borrow().clone()) {
        return Ok(config);
    }
    let response = Request::get(&format!("{base}/config")).send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let config = response.json::<SignInConfig>().await.map_err(|e| e.to_string())?;
    CONFIG.with(|c| *c.borrow_mut() = Some(config.clone()));
    Ok(config)
}

/// The app's redirect URI: its base URL.
pub fn redirect_uri() -> String {
    oidc::redirect_uri(&window().location().origin().unwrap_or_default(), paths::base())
}

/// Remembers the in-app page to come back to after signing in.
pub fn remember_return_to(path: &str) {
    if let Some(s) = tab_storage() {
        let _ = s.set_item(RETURN_TO, path);
    }
}

/// When the provider sent the browser back to the app's base URL with a sign-in answer, moves
/// it to the sign-in page (keeping the query) before the router starts, which completes it.
pub fn route_callback() {
    if crate::api::base::api_base().is_none() || read::<Pending>(OIDC_PENDING).is_none() {
        return;
    }
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    if oidc::parse_callback(&search).is_some() && !path.ends_with("/sign-in") {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{}{search}", paths::sign_in())));
        }
    }
}

/// Why a sign-in through the provider failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The answer's `state` is not this tab's sign-in.
    BadState,
    /// The provider or the browser failed, with the detail.
    Failed(String),
}

fn failed(detail: impl std::fmt::Display) -> SignInError {
    SignInError::Failed(detail.to_string())
}

fn js_failed(value: wasm_bindgen::JsValue) -> SignInError {
    failed(value.as_string().or_else(|| value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| "?".into()))
}

async fn discover(issuer: &str) -> Result<Discovery, SignInError> {
    let response = Request::get(&oidc::discovery_url(issuer)).send().await.map_err(failed)?;
    if !response.ok() {
        return Err(failed(format!("discovery: HTTP {}", response.status())));
    }
    response.json::<Discovery>().await.map_err(failed)
}

fn random_text() -> Result<String, SignInError> {
    let mut bytes = [0u8; 32];
    window().crypto().map_err(js_failed)?.get_random_values_with_u8_array(&mut bytes).map_err(js_failed)?;
    Ok(oidc::base64url(&bytes))
}

async fn sha256(text: &str) -> Result<Vec<u8>, SignInError> {
    let promise = window().crypto().map_err(js_failed)?.subtle().digest_with_str_and_u8_array("SHA-256", text.as_bytes()).map_err(js_failed)?;
    let digest = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(js_failed)?;
    Ok(js_sys::Uint8Array::new(&digest).to_vec())
}

/// Starts signing in at the provider: a new verifier and state kept in this tab, then the
/// browser goes to the authorization endpoint.
pub async fn start_sign_in(issuer: &str, client_id: &str, scopes: &str) -> Result<(), SignInError> {
    let discovery = discover(issuer).await?;
    let verifier = random_text()?;
    let state = random_text()?;
    let challenge = oidc::base64url(&sha256(&verifier).await?);
    let return_to = tab_storage().and_then(|s| s.get_item(RETURN_TO).ok().flatten()).unwrap_or_default();
    write(OIDC_PENDING, &Pending { verifier, state: state.clone(), return_to });
    let url = oidc::authorization_url(&discovery.authorization_endpoint, client_id, &redirect_uri(), scopes, &state, &challenge);
    window().location().set_href(&url).map_err(js_failed)
}

async fn token_request(endpoint: &str, body: String) -> Result<TokenResponse, SignInError> {
    let response = Request::post(endpoint)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    if response.ok() {
        return response.json::<TokenResponse>().await.map_err(failed);
    }
    let status = response.status();
    let detail = response.json::<serde_json::Value>().await.ok().and_then(|v| {
        let error = v.get("error")?.as_str()?.to_string();
        Some(match v.get("error_description").and_then(|d| d.as_str()) {
            Some(d) => format!("{error}: {d}"),
            None => error,
        })
    });
    Err(failed(detail.unwrap_or_else(|| format!("HTTP {status}"))))
}

/// Completes a sign-in from the provider's answer (`search`, the query it came back with):
/// checks the state, exchanges the code, keeps the tokens. Returns the page to go back to.
pub async fn complete_sign_in(issuer: &str, client_id: &str, search: &str) -> Result<String, SignInError> {
    let pending = read::<Pending>(OIDC_PENDING);
    remove(OIDC_PENDING);
    let callback = oidc::parse_callback(search).ok_or(SignInError::BadState)?;
    let code = oidc::check_callback(&callback, pending.as_ref()).map_err(|e| match e {
        oidc::CallbackError::BadState => SignInError::BadState,
        oidc::CallbackError::Provider(detail) => SignInError::Failed(detail),
    })?;
    let pending = pending.ok_or(SignInError::BadState)?;
    let discovery = discover(issuer).await?;
    let body = oidc::code_exchange_body(&code, &redirect_uri(), client_id, &pending.verifier);
    let response = token_request(&discovery.token_endpoint, body).await?;
    write(OIDC_TOKENS, &Tokens::from_response(response, now_ms(), &discovery, client_id, None));
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
    remove(RETURN_TO);
    Ok(oidc::safe_return_to(Some(&pending.return_to).filter(|p| !p.is_empty()).map(String::as_str), paths::base(), &paths::customers()))
}

/// Whether an expired sign-in can be renewed without asking (the provider gave a refresh token).
pub fn can_renew() -> bool {
    read::<Tokens>(OIDC_TOKENS).is_some_and(|t| t.refresh_token.is_some())
}

/// Renews the access token with the refresh token; on failure forgets the sign-in.
pub async fn renew() -> bool {
    let Some(tokens) = read::<Tokens>(OIDC_TOKENS) else { return false };
    let Some(refresh) = tokens.refresh_token.clone() else { return false };
    let discovery = Discovery {
        authorization_endpoint: String::new(),
        token_endpoint: tokens.token_endpoint.clone(),
        end_session_endpoint: tokens.end_session_endpoint.clone(),
    };
    match token_request(&tokens.token_endpoint, oidc::refresh_body(&refresh, &tokens.client_id)).await {
        Ok(response) => {
            write(OIDC_TOKENS, &Tokens::from_response(response, now_ms(), &discovery, &tokens.client_id, Some(&tokens)));
            true
        }
        Err(_) => {
            remove(OIDC_TOKENS);
            false
        }
    }
}
