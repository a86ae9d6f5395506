//! The built SPA (trunk's dist/): compressed, cacheable, with an index.html fallback.
//!
//! The release build writes a `.br` and a `.gz` beside every file (`scripts/precompress.mjs`, a
//! trunk hook); `ServeDir` sends the one the browser accepts, or the file itself. Hashed assets
//! (trunk names them `name-<hash>.js`, `name-<hash>_bg.wasm`) never change under their name, so
//! they are cached for a year; HTML (index.html, and the fallback that answers every deep link)
//! is revalidated on every use. Every file carries an `ETag`, and `If-None-Match` answers 304. A
//! hashed asset that is not there (a module the server's build left out, or one an older build
//! had) is a 404, never the page in its place.

use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// `Cache-Control` of an asset whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: use it only after asking whether it changed.
pub const NO_CACHE: &str = "no-cache";

/// The file a build of the SPA writes beside its index.html (scripts/select-backend.sh): `http`
/// when it is the server's build (made with `RESERVATION_DESK_API`), `in-browser` when it runs
/// the desk with the demo data in the browser.
pub const BACKEND_FILE: &str = "desk-backend.txt";

/// What the server's build writes into its index.html: the API base the page calls. A page
/// without it runs the in-browser backend (src/api/base.rs).
pub const API_META: &str = "name=\"reservation-desk-api\"";

/// The in-browser backend's own modules, which the server's build leaves out
/// (scripts/select-backend.sh): the desk over the demo data.
pub const IN_BROWSER_MODULES: [&str; 2] = ["split_backend.wasm", "split_backend_first_screen.wasm"];

/// Why a server in Azure mode must not serve the build in `dir`: it runs the in-browser demo, does
/// not say which backend it holds, or says `http` while its page or its files are the static
/// build's (an index.html without the API base, the in-browser backend's modules). A message that
/// says what to do; `None` for the server's build.
pub fn azure_mode_refusal(dir: &Path) -> Option<String> {
    let said = std::fs::read_to_string(dir.join(BACKEND_FILE)).ok();
    match said.as_deref().map(str::trim) {
        Some("http") => static_build_inside(dir).map(|why| {
            format!(
                "--static-dir (STATIC_DIR) {} says it is the server's build, but {why}: it may run the in-browser demo, which Azure mode never shows. Make the server's build again (docs/release-builds.md: RESERVATION_DESK_API=/api scripts/derive-server-build.sh dist-pages dist) and serve that",
                dir.display()
            )
        }),
        Some("in-browser") => Some(format!(
            "--static-dir (STATIC_DIR) {} holds a build that runs the desk in the browser with the demo data, which Azure mode never shows: make the server's build (RESERVATION_DESK_API=/api trunk build --release --offline, or from a static build RESERVATION_DESK_API=/api scripts/derive-server-build.sh dist-pages dist) and serve that",
            dir.display()
        )),
        _ => Some(format!(
            "--static-dir (STATIC_DIR) {} does not say which backend its build holds (no {BACKEND_FILE} beside index.html), so it may run the in-browser demo, which Azure mode never shows: make the server's build (RESERVATION_DESK_API=/api trunk build --release --offline, or from a static build RESERVATION_DESK_API=/api scripts/derive-server-build.sh dist-pages dist) and serve that",
            dir.display()
        )),
    }
}

/// What in `dir` is the static build's, though its [`BACKEND_FILE`] says `http`: an index.html
/// that names no API base, or one of [`IN_BROWSER_MODULES`] in a module folder.
fn static_build_inside(dir: &Path) -> Option<String> {
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap_or_default();
    if !index.contains(API_META) {
        return Some("its index.html names no API base (<meta name=\"reservation-desk-api\">)".to_owned());
    }
    let folders = std::fs::read_dir(dir).into_iter().flatten().flatten().filter(|entry| entry.path().is_dir());
    for folder in folders {
        for module in IN_BROWSER_MODULES {
            let path = folder.path().join(module);
            if path.exists() {
                return Some(format!("it holds the in-browser backend's module {}", path.display()));
            }
        }
    }
    None
}

/// A router that serves `dir`, falling back to its `index.html` for any unknown path but a
/// hashed asset's (a 404: the page in a module's place would only fail to compile as wasm).
pub fn router(dir: &Path) -> Router {
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_headers))
        .layer(axum::middleware::from_fn(missing_asset))
}

/// A hashed asset (a `.wasm`, `.js` or `.css` file by its name; a client route's last segment has
/// no such ending) answered with the fallback's page is not there: 404.
async fn missing_asset(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let file = [".wasm", ".js", ".css"].iter().any(|ending| path.ends_with(ending));
    let hashed = file && is_hashed_asset(path);
    let response = next.run(request).await;
    if hashed && is_html(response.headers()) {
        let mut missing = Response::new(Body::from("not found"));
        *missing.status_mut() = StatusCode::NOT_FOUND;
        missing.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
        return missing;
    }
    response
}

/// Adds `Cache-Control`, `Vary` and `ETag` to what `ServeDir` answers, and turns a matching
/// `If-None-Match` into a 304.
async fn cache_headers(mut request: Request, next: Next) -> Response {
    let conditional = matches!(*request.method(), Method::GET | Method::HEAD);
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned().filter(|_| conditional);
    if if_none_match.is_some() {
        // RFC 9110 §13.2.2: If-None-Match is evaluated instead of If-Modified-Since.
        request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    }
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return response;
    }
    let html = is_html(response.headers());
    let headers = response.headers_mut();
    let cache = if hashed && !html { IMMUTABLE } else { NO_CACHE };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if status != StatusCode::OK {
        return response; // a range (206) or ServeDir's own 304: no whole-representation tag
    }
    let Some(etag) = etag(headers) else { return response };
    headers.insert(header::ETAG, etag.clone());
    if if_none_match.is_some_and(|tags| matches_any(&tags, &etag)) {
        return not_modified(headers);
    }
    response
}

/// Whether an answer is a page (index.html, or the fallback in a file's place).
fn is_html(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// A weak validator of the representation sent: the file's modification time (`Last-Modified`),
/// its length and its encoding, so the brotli, gzip and plain bodies of one file differ and a
/// rebuilt file gets a new tag.
fn etag(headers: &HeaderMap) -> Option<HeaderValue> {
    let part = |name| headers.get(name).map(HeaderValue::as_bytes).unwrap_or_default();
    let modified = headers.get(header::LAST_MODIFIED)?.as_bytes();
    let length = headers.get(header::CONTENT_LENGTH)?.as_bytes();
    // FNV-1a, 64 bits: stable across builds and platforms, which std's hasher does not promise.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in [modified, b"|", length, b"|", part(header::CONTENT_ENCODING)].concat() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    HeaderValue::from_str(&format!("W/\"{hash:016x}\"")).ok()
}

/// Weak comparison (RFC 9110 §8.8.3.2) of `tag` with an `If-None-Match` list, `*` included.
fn matches_any(list: &HeaderValue, tag: &HeaderValue) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let (Ok(list), Ok(tag)) = (list.to_str(), tag.to_str()) else { return false };
    list.split(',').any(|candidate| candidate.trim() == "*" || opaque(candidate) == opaque(tag))
}

/// The 304 for a matching tag: the validators and caching headers, no body.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY, header::LAST_MODIFIED, header::CONTENT_LOCATION] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

/// Whether `path` names a file whose content a trunk hash pins: its last segment is a name trunk
/// gave with a content hash, `stem-<hex>.ext` or `stem-<hex>_bg.wasm` (trunk writes the 64-bit
/// hash in hex, up to 16 digits), or it sits in a folder so named (the modules of the route
/// split, scripts/split-wasm.sh: `reservation-desk-<hex>/split_customer.wasm`).
pub fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.rsplit('/');
    let name = segments.next().unwrap_or_default();
    hashed_name(name) || segments.next().is_some_and(|folder| !folder.contains('.') && hashed_name(&format!("{folder}.wasm")))
}

fn hashed_name(name: &str) -> bool {
    let Some((stem, _extension)) = name.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else { return false };
    (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_mode_serves_only_a_build_that_calls_the_server() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html></html>").unwrap();
        let unsaid = azure_mode_refusal(dir.path()).expect("a build that does not say is refused");
        assert!(unsaid.contains(BACKEND_FILE) && unsaid.contains("RESERVATION_DESK_API"), "{unsaid}");
        std::fs::write(dir.path().join(BACKEND_FILE), "in-browser\n").unwrap();
        let demo = azure_mode_refusal(dir.path()).expect("the in-browser build is refused");
        assert!(demo.contains("in the browser") && demo.contains("RESERVATION_DESK_API=/api"), "{demo}");
        // `http` over a page that names no API base: the static build's page, refused.
        std::fs::write(dir.path().join(BACKEND_FILE), "http\n").unwrap();
        let no_base = azure_mode_refusal(dir.path()).expect("a page without the API base is refused");
        assert!(no_base.contains("names no API base"), "{no_base}");
        std::fs::write(dir.path().join("index.html"), "<html><meta name=\"reservation-desk-api\" content=\"/api\"></html>").unwrap();
        let modules = dir.path().join("reservation-desk-3f1c0a9d2b7e4c51");
        std::fs::create_dir(&modules).unwrap();
        std::fs::write(modules.join("split_customer.wasm"), b"\0asm").unwrap();
        assert_eq!(azure_mode_refusal(dir.path()), None);
        // …and with the in-browser backend's module still beside the others: refused.
        std::fs::write(modules.join("split_backend_first_screen.wasm"), b"\0asm").unwrap();
        let demo_module = azure_mode_refusal(dir.path()).expect("the in-browser backend's module is refused");
        assert!(demo_module.contains("split_backend_first_screen.wasm"), "{demo_module}");
    }

    #[test]
    fn trunk_names_are_hashed_others_are_not() {
        assert!(is_hashed_asset("/reservation-desk-3f1c0a9d2b7e4c51_bg.wasm"));
        assert!(is_hashed_asset("/reservation-desk-3f1c0a9d2b7e4c51.js"));
        assert!(is_hashed_asset("/sub/main-a9d2b7e4c51.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/customers/0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01"));
        assert!(!is_hashed_asset("/reservation-desk_bg.wasm"));
        assert!(!is_hashed_asset("/favicon-DEADBEEF.ico"));
        // The route split's modules, in a folder named after the hashed main module.
        assert!(is_hashed_asset("/reservation-desk-3f1c0a9d2b7e4c51/split_customer.wasm"));
        assert!(is_hashed_asset("/sub/reservation-desk-3f1c0a9d2b7e4c51/__wasm_split.js"));
        assert!(!is_hashed_asset("/customers/split_customer.wasm"));
        assert!(!is_hashed_asset("/reservation-desk-3f1c0a9d2b7e4c51.js/x.wasm"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        for list in ["W/\"abc\"", "\"abc\"", "\"x\", W/\"abc\"", "*"] {
            assert!(matches_any(&HeaderValue::from_static(list), &tag), "{list}");
        }
        assert!(!matches_any(&HeaderValue::from_static("W/\"abd\""), &tag));
    }
}
