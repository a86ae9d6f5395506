//! The built app goes out compressed (the precompressed `.br`/`.gz` the browser
//! accepts), hashed assets cached for a year, HTML (and the deep-link fallback) revalidated,
//! every file with an ETag that answers 304.

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use reservation_desk_server::{app, db};
use tower::ServiceExt;

const WASM: &str = "/reservation-desk-0123456789abcdef_bg.wasm";
const JS: &str = "/reservation-desk-0123456789abcdef.js";

/// The app over a temporary dist/ of fake files: each compressed variant has its own content,
/// so a test sees which one was sent.
async fn served() -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in [
        ("index.html", "<!doctype html><title>index</title>"),
        ("index.html.br", "index as brotli"),
        ("index.html.gz", "index as gzip"),
        (&WASM[1..], "the wasm"),
        (&format!("{}.br", &WASM[1..]), "the wasm as brotli"),
        (&format!("{}.gz", &WASM[1..]), "the wasm as gzip"),
        (&JS[1..], "the js"),
        ("robots.txt", "not hashed"),
    ] {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    let pool = db::open(&format!("sqlite://{}/test.sqlite", dir.path().display())).await.unwrap();
    (app(pool, Some(dir.path())), dir)
}

async fn get(router: &Router, path: &str, headers: &[(header::HeaderName, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (parts.status, parts.headers, body)
}

fn value(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn the_browser_gets_the_encoding_it_accepts() {
    let (router, _dir) = served().await;
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), Some("br"), "the wasm as brotli"),
        (Some("gzip"), Some("gzip"), "the wasm as gzip"),
        (None, None, "the wasm"),
        (Some("identity"), None, "the wasm"),
    ] {
        let headers: Vec<_> = accept.map(|a| (header::ACCEPT_ENCODING, a)).into_iter().collect();
        let (status, headers, sent) = get(&router, WASM, &headers).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert_eq!(value(&headers, header::CONTENT_ENCODING), encoding, "{accept:?}");
        assert_eq!(sent, body, "{accept:?}");
        assert_eq!(value(&headers, header::CONTENT_TYPE), Some("application/wasm"), "{accept:?}");
        assert_eq!(value(&headers, header::VARY), Some("accept-encoding"), "{accept:?}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_for_a_year_and_the_rest_is_revalidated() {
    let (router, _dir) = served().await;
    for path in [WASM, JS] {
        let (status, headers, _) = get(&router, path, &[(header::ACCEPT_ENCODING, "br")]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(value(&headers, header::CACHE_CONTROL), Some("public, max-age=31536000, immutable"), "{path}");
    }
    for path in ["/", "/index.html", "/robots.txt"] {
        let (status, headers, _) = get(&router, path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(value(&headers, header::CACHE_CONTROL), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn a_deep_link_gets_index_html_compressed_and_revalidated() {
    let (router, _dir) = served().await;
    // A client route that looks hashed must not be cached for a year either: it is HTML.
    for path in ["/customers/0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01/reservations", "/customers/0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01"] {
        let (status, headers, body) = get(&router, path, &[(header::ACCEPT_ENCODING, "br, gzip")]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, "index as brotli", "{path}");
        assert_eq!(value(&headers, header::CONTENT_ENCODING), Some("br"), "{path}");
        assert!(value(&headers, header::CONTENT_TYPE).unwrap().starts_with("text/html"), "{path}");
        assert_eq!(value(&headers, header::CACHE_CONTROL), Some("no-cache"), "{path}");
        assert!(headers.contains_key(header::ETAG), "{path}");
    }
    let (_, _, body) = get(&router, "/customers", &[]).await;
    assert_eq!(body, "<!doctype html><title>index</title>");
}

#[tokio::test]
async fn a_hashed_asset_that_is_not_there_is_a_404_not_the_page() {
    // A module the server's build left out (the in-browser backend's), or one of an older build:
    // the page in its place would only fail to compile as wasm.
    let (router, _dir) = served().await;
    for path in [
        "/reservation-desk-0123456789abcdef/split_backend.wasm",
        "/reservation-desk-0123456789abcdef/chunk_7.wasm",
        "/missing-0123456789abcdef.js",
        "/main-0123456789abcdef.css",
    ] {
        let (status, headers, body) = get(&router, path, &[(header::ACCEPT_ENCODING, "br, gzip")]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_ne!(body, "index as brotli", "{path}");
        assert_eq!(value(&headers, header::CACHE_CONTROL), Some("no-cache"), "{path}");
    }
    let (status, _, body) = get(&router, WASM, &[]).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "the wasm"), "a file that is there");
}

#[tokio::test]
async fn a_matching_etag_answers_304_without_a_body() {
    let (router, _dir) = served().await;
    let br = [(header::ACCEPT_ENCODING, "br")];
    let (_, first, _) = get(&router, WASM, &br).await;
    let etag = value(&first, header::ETAG).expect("an ETag").to_owned();
    let (_, plain, _) = get(&router, WASM, &[]).await;
    assert_ne!(value(&plain, header::ETAG), Some(etag.as_str()), "each encoding is its own representation");

    let (status, headers, body) = get(&router, WASM, &[br[0].clone(), (header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(body, "");
    assert_eq!(value(&headers, header::ETAG), Some(etag.as_str()));
    assert_eq!(value(&headers, header::CACHE_CONTROL), Some("public, max-age=31536000, immutable"));

    // Another tag: the whole file, even though If-Modified-Since alone would have said 304.
    let (status, _, body) = get(
        &router,
        WASM,
        &[br[0].clone(), (header::IF_NONE_MATCH, "W/\"0000000000000000\""), (header::IF_MODIFIED_SINCE, "Fri, 01 Jan 2100 00:00:00 GMT")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "the wasm as brotli");

    // The deep-link fallback revalidates too.
    let (_, index, _) = get(&router, "/customers", &br).await;
    let index_tag = value(&index, header::ETAG).unwrap().to_owned();
    let (status, _, _) = get(&router, "/customers/x", &[br[0].clone(), (header::IF_NONE_MATCH, &index_tag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn the_api_is_not_taken_over_by_the_fallback() {
    let (router, _dir) = served().await;
    let (status, headers, _) = get(&router, "/api/customers", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(value(&headers, header::CONTENT_TYPE).unwrap().contains("problem+json"));
}
