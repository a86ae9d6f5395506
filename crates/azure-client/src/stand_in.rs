//! A loopback stand-in for the client's own tests: one server for the token endpoint, ARM and
//! Microsoft Graph, answering each request as the test's function says and keeping what it saw,
//! and a client over it whose clock stands still and whose sleep only records the wait.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::{AzureClient, OnBehalfOf, Settings};

/// A request the stand-in answered.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    /// The path (`/{tenant}/oauth2/v2.0/token`, `/v1.0/users`, `/subscriptions`).
    pub path: String,
    /// The query, decoded.
    pub query: HashMap<String, String>,
    /// The headers, names in lowercase.
    pub headers: HashMap<String, String>,
}

/// An answer: status, headers, JSON body.
pub(crate) type Reply = (u16, Vec<(&'static str, String)>, serde_json::Value);

/// The running stand-in.
pub(crate) struct StandIn {
    base: String,
    /// Every request but the token endpoint's, in order.
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// Every wait the client's sleep was asked for.
    pub sleeps: Arc<Mutex<Vec<Duration>>>,
}

/// Graph's error body, with its `innerError` request ID.
pub(crate) fn graph_error(code: &str, message: &str, request_id: &str) -> serde_json::Value {
    serde_json::json!({"error": {"code": code, "message": message, "innerError": {"request-id": request_id, "date": "2026-11-26T08:00:00"}}})
}

impl StandIn {
    /// Serves on loopback: the token endpoint gives any tenant a token for any scope; every other
    /// request is answered by `answer`.
    pub(crate) async fn start(answer: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Self {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let record = seen.clone();
        let answer = Arc::new(answer);
        let app = axum::Router::new().fallback(move |request: Request| {
            let (record, answer) = (record.clone(), answer.clone());
            async move {
                let path = request.uri().path().to_owned();
                if path.ends_with("/oauth2/v2.0/token") {
                    return axum::Json(serde_json::json!({"token_type": "Bearer", "expires_in": 3599, "access_token": "stand-in-token"})).into_response();
                }
                let query = url::form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes()).into_owned().collect();
                let headers = request.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
                let seen = Seen { path, query, headers };
                let (status, headers, body) = answer(&seen);
                record.lock().unwrap().push(seen);
                let mut response: Response = (axum::http::StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response();
                for (k, v) in headers {
                    response.headers_mut().insert(k, v.parse().unwrap());
                }
                response
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, seen, sleeps: Arc::default() }
    }

    /// A client of the stand-in: its clock stands at `now`, its sleep records and returns at once.
    pub(crate) fn client(&self, now: DateTime<Utc>) -> AzureClient {
        let settings = Settings {
            token_url: format!("{}/{{tenantId}}/oauth2/v2.0/token", self.base),
            arm_url: self.base.clone(),
            partner_center_url: self.base.clone(),
            graph_url: self.base.clone(),
            ..Settings::microsoft("desk".into(), SecretString::from("secret"))
        };
        let sleeps = self.sleeps.clone();
        let sleep: crate::Sleep = Arc::new(move |d| {
            sleeps.lock().unwrap().push(d);
            Box::pin(async {})
        });
        AzureClient::new(settings, Arc::new(move || now), sleep).unwrap()
    }

    /// The requests seen on `path`.
    pub(crate) fn on(&self, path: &str) -> Vec<Seen> {
        self.seen.lock().unwrap().iter().filter(|s| s.path == path).cloned().collect()
    }
}

/// The signed-in user the tests ask for.
pub(crate) fn user() -> OnBehalfOf {
    OnBehalfOf { user: "oid-1".into(), assertion: Arc::new(SecretString::from("assertion")) }
}
