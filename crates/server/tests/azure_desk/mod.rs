//! The desk in Azure mode over the stand-ins (`azure_stand_ins`), signed in through the test
//! identity provider (`oidc_provider`): the harness every Azure-mode test file shares.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use azure_client::{AzureClient, SecretString};
use http_body_util::BodyExt;
use reservation_desk_server::config::DemoUsers;
use reservation_desk_server::oidc::Oidc;
use reservation_desk_server::server_store::ServerStore;
use reservation_desk_server::source::AzureSource;
use reservation_desk_server::state::AppState;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::azure_stand_ins::*;
use crate::oidc_provider::{self, Provider};

/// The desk in Azure mode over the stand-ins, as the server builds it, signed in as a partner
/// user.
pub struct Desk {
    pub router: Router,
    pub _obo: Option<OboProvider>,
    pub stand_ins: StandIns,
    /// The signed-in partner user's token (tenant `PARTNER_TENANT`).
    pub token: String,
    /// Every wait the client was asked to make.
    pub waits: Arc<Mutex<Vec<Duration>>>,
    pub _dir: tempfile::TempDir,
    /// The desk's identity provider (a restart signs in through it again).
    pub provider: Provider,
    /// The database (a restart opens it again).
    pub database_url: String,
    /// The state the router serves (a test may call the server's functions with it).
    pub state: AppState,
    token_url: String,
    client_secret: String,
    static_dir: Option<std::path::PathBuf>,
    /// The deployment's settings (Azure mode; a test may set an approval threshold).
    settings: contract::Settings,
}

pub fn tenants() -> HashMap<String, Tenant> {
    let contoso = (1..=5).map(|i| reservation("order-c", &format!("res-c{i}"), &format!("contoso vm {i}"), i, 80.0)).collect();
    HashMap::from([
        ("tenant-contoso".to_owned(), Tenant::Reservations(contoso)),
        ("tenant-fabrikam".to_owned(), Tenant::Reservations(vec![reservation("order-f", "res-f1", "fabrikam sql", 2, 12.5)])),
        ("tenant-slow".to_owned(), Tenant::Throttled { seconds: 30, times: 1, then: vec![reservation("order-s", "res-s1", "slow vm", 1, 50.0)] }),
        ("tenant-forbidden".to_owned(), Tenant::Forbidden),
        ("tenant-flooded".to_owned(), Tenant::Throttled { seconds: 2, times: 100, then: vec![] }),
    ])
}

pub async fn desk() -> Desk {
    desk_serving(None).await
}

/// [`desk`], also serving the built app in `static_dir`.
pub async fn desk_serving(static_dir: Option<&std::path::Path>) -> Desk {
    desk_at(static_dir, false, CLIENT_SECRET).await
}

/// [`desk_serving`] with `settings` (their source set to Azure), e.g. a read-only pilot.
pub async fn desk_serving_with(static_dir: Option<&std::path::Path>, settings: contract::Settings) -> Desk {
    desk_configured(static_dir, false, CLIENT_SECRET, settings).await
}

/// npm's oidc-provider as Entra ID's token endpoint (`azure_stand_ins/obo-provider.mjs`), killed
/// when dropped.
pub struct OboProvider {
    child: std::process::Child,
    pub token_url: String,
}

impl Drop for OboProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's tools/package.json, where oidc-provider is installed (`scripts/setup.sh`).
pub fn tools() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tools = root.join("tools/package.json");
    root.join("tools/node_modules/oidc-provider").exists().then_some(tools)
}

pub fn start_obo_provider(desk_issuer: &str) -> OboProvider {
    use std::io::BufRead;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oidc");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/azure_stand_ins/obo-provider.mjs");
    let mut child = std::process::Command::new("node")
        .arg(script)
        .env("OBO_TOOLS", tools().expect("oidc-provider in tools/ (scripts/setup.sh installs it)"))
        .env("OBO_ASSERTION_KEY", fixtures.join("rsa-a.pub.pem"))
        .env("OBO_SIGNING_KEY", fixtures.join("rsa-b.pem"))
        .env("OBO_DESK_ISSUER", desk_issuer)
        .env("OBO_DESK_AUDIENCE", oidc_provider::AUDIENCE)
        .env("OBO_CLIENT_ID", CLIENT_ID)
        .env("OBO_CLIENT_SECRET", CLIENT_SECRET)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node runs");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let issuer = line.trim().strip_prefix("listening ").unwrap_or_else(|| panic!("obo-provider said {line:?}")).to_owned();
    OboProvider { child, token_url: format!("{issuer}/{{tenantId}}/oauth2/v2.0/token") }
}

/// The desk over the stand-ins; with `obo`, the on-behalf-of exchange at npm's oidc-provider.
pub async fn desk_at(static_dir: Option<&std::path::Path>, obo: bool, client_secret: &str) -> Desk {
    desk_configured(static_dir, obo, client_secret, contract::Settings::default()).await
}

/// [`desk`] with `settings` (their source set to Azure), e.g. an approval threshold.
pub async fn desk_with(settings: contract::Settings) -> Desk {
    desk_configured(None, false, CLIENT_SECRET, settings).await
}

/// The five customers of [`tenants`] as Partner Center lists them.
pub fn customers() -> Vec<Value> {
    vec![
        customer("contoso", "tenant-contoso", "Contoso"),
        customer("fabrikam", "tenant-fabrikam", "Fabrikam"),
        customer("slow", "tenant-slow", "Slow Throttled Ltd"),
        customer("forbidden", "tenant-forbidden", "No GDAP Role Inc"),
        customer("flooded", "tenant-flooded", "Always Throttled plc"),
    ]
}

async fn desk_configured(static_dir: Option<&std::path::Path>, obo: bool, client_secret: &str, settings: contract::Settings) -> Desk {
    desk_over(static_dir, obo, client_secret, settings, customers(), tenants()).await
}

/// The desk over stand-ins of a partner with these `customers` (Partner Center) and `tenants`
/// (ARM, and the token endpoint's answer for each).
pub async fn desk_of(customers: Vec<Value>, tenants: HashMap<String, Tenant>) -> Desk {
    desk_over(None, false, CLIENT_SECRET, contract::Settings::default(), customers, tenants).await
}

/// [`desk_of_with`], also serving the built app in `static_dir`.
pub async fn desk_serving_of(static_dir: Option<&std::path::Path>, settings: contract::Settings, customers: Vec<Value>, tenants: HashMap<String, Tenant>) -> Desk {
    desk_over(static_dir, false, CLIENT_SECRET, settings, customers, tenants).await
}

/// [`desk_of`] with `settings` (their source set to Azure), e.g. a read-only pilot.
pub async fn desk_of_with(customers: Vec<Value>, tenants: HashMap<String, Tenant>, settings: contract::Settings) -> Desk {
    desk_over(None, false, CLIENT_SECRET, settings, customers, tenants).await
}

async fn desk_over(
    static_dir: Option<&std::path::Path>, obo: bool, client_secret: &str, settings: contract::Settings, customers: Vec<Value>,
    tenants: HashMap<String, Tenant>,
) -> Desk {
    desk_over_options(static_dir, obo, client_secret, settings, customers, tenants, Options::default()).await
}

/// [`desk_of`] over stand-ins answering with `options` (a page size, a latency: the Azure
/// benchmark's).
pub async fn desk_of_options(customers: Vec<Value>, tenants: HashMap<String, Tenant>, options: Options) -> Desk {
    desk_over_options(None, false, CLIENT_SECRET, contract::Settings::default(), customers, tenants, options).await
}

async fn desk_over_options(
    static_dir: Option<&std::path::Path>, obo: bool, client_secret: &str, settings: contract::Settings, customers: Vec<Value>,
    tenants: HashMap<String, Tenant>, options: Options,
) -> Desk {
    let settings = contract::Settings { source: contract::DataSource::Azure, ..settings };
    let provider = Provider::start().await;
    let stand_ins = StandIns::start_with(&provider.issuer, customers, tenants, options).await;
    let obo = obo.then(|| start_obo_provider(&provider.issuer));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/azure.sqlite", dir.path().display());
    let token_url = obo.as_ref().map_or_else(|| stand_ins.token_url(), |o| o.token_url.clone());
    let (state, waits) = azure_state(&url, &provider, &stand_ins, &token_url, client_secret, settings, chrono::TimeDelta::zero()).await;
    let token = provider.token_with(|c| c["tid"] = json!(PARTNER_TENANT));
    let static_dir = static_dir.map(std::path::Path::to_path_buf);
    let router = router_of(&state, static_dir.as_deref());
    Desk {
        router,
        _obo: obo,
        stand_ins,
        token,
        waits,
        _dir: dir,
        provider,
        database_url: url,
        state,
        token_url,
        client_secret: client_secret.to_owned(),
        static_dir,
        settings,
    }
}

fn router_of(state: &AppState, static_dir: Option<&std::path::Path>) -> Router {
    match static_dir {
        Some(dist) => reservation_desk_server::app_with_state(state.clone(), Some(dist)),
        None => reservation_desk_server::api_with_state(state.clone()),
    }
}

/// The server's state in Azure mode over the database at `url` and the stand-ins, as `main`
/// builds it; and the waits its client is asked to make.
async fn azure_state(
    url: &str, provider: &Provider, stand_ins: &StandIns, token_url: &str, client_secret: &str, settings: contract::Settings,
    later: chrono::TimeDelta,
) -> (AppState, Arc<Mutex<Vec<Duration>>>) {
    // Opened as `main` opens it in Azure mode: nothing of the demo.
    let store = ServerStore::open_as(url, &desk::audit_chain::ChainKey::none(), reservation_desk_server::opening::Opening::Azure).await.unwrap();
    let mut state = AppState::with_settings(store, Arc::new(move || chrono::Utc::now() + later), settings);
    state.demo_users = DemoUsers::Off;
    state.oidc = Some(Arc::new(Oidc::discover(provider.settings(), oidc_provider::quick()).await.unwrap()));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let client = azure_client_of(stand_ins, token_url, client_secret, &waits);
    state.set_source(Arc::new(AzureSource::new(client, None, Duration::from_secs(900)).with_keys(Some(secret_keys(url)))));
    (state, waits)
}

/// The key that seals the stored connection, in a file beside the database (as
/// `DESK_SECRET_KEY_FILE` names one): the same for every server over that database.
pub fn secret_keys(database_url: &str) -> reservation_desk_server::source::connection::SecretKeys {
    use base64::Engine;
    let dir = std::path::Path::new(database_url.trim_start_matches("sqlite://")).parent().unwrap().to_path_buf();
    let path = dir.join("desk.key");
    if !path.exists() {
        let key: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect();
        std::fs::write(&path, base64::engine::general_purpose::STANDARD.encode(key)).unwrap();
    }
    reservation_desk_server::source::connection::SecretKeys::load(&path, None).unwrap()
}

/// The client `main` builds, over the stand-ins, its waits recorded in `waits` (and not made).
pub fn azure_client_of(stand_ins: &StandIns, token_url: &str, client_secret: &str, waits: &Arc<Mutex<Vec<Duration>>>) -> AzureClient {
    let recorded = waits.clone();
    let sleep: azure_client::Sleep = Arc::new(move |d| {
        recorded.lock().unwrap().push(d);
        Box::pin(async {})
    });
    AzureClient::new(
        azure_client::Settings {
            token_url: token_url.to_owned(),
            arm_url: stand_ins.base().to_owned(),
            partner_center_url: stand_ins.base().to_owned(),
            graph_url: stand_ins.base().to_owned(),
            timeout: Duration::from_secs(5),
            ..azure_client::Settings::microsoft(CLIENT_ID.to_owned(), SecretString::from(client_secret.to_owned()))
        },
        Arc::new(chrono::Utc::now),
        sleep,
    )
    .unwrap()
}

impl Desk {
    /// A client of its own over the stand-ins (as the server's, its waits recorded in
    /// `self.waits`), and the signed-in user it acts for: a test of the client itself.
    pub fn azure_client(&self) -> (AzureClient, azure_client::OnBehalfOf) {
        let user = azure_client::OnBehalfOf { user: oidc_provider::OID.to_owned(), assertion: Arc::new(SecretString::from(self.token.clone())) };
        (azure_client_of(&self.stand_ins, &self.token_url, &self.client_secret, &self.waits), user)
    }

    /// The server stopped and started again: a new state over the same database file and the
    /// same stand-ins (nothing in memory survives: no token, no client, no cache).
    pub async fn restart(&mut self) {
        self.restart_later(chrono::TimeDelta::zero()).await;
    }

    /// [`Desk::restart`], its clock `later` than the real one (the server started again after a
    /// while; Azure's tokens keep the real time). The user signs in again: a token valid until
    /// `later` plus five minutes (the desk checks it on its clock).
    pub async fn restart_later(&mut self, later: chrono::TimeDelta) {
        self.token = self.provider.token_with(|c| {
            c["tid"] = json!(PARTNER_TENANT);
            c["exp"] = json!(c["exp"].as_i64().unwrap_or_default() + later.num_seconds());
        });
        let (state, waits) =
            azure_state(&self.database_url, &self.provider, &self.stand_ins, &self.token_url, &self.client_secret, self.settings, later).await;
        self.router = router_of(&state, self.static_dir.as_deref());
        self.state = state;
        self.waits = waits;
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(&self.token, method, path, body).await
    }

    /// A token of another partner user (`oid`, `preferred_username`, `name`) of the partner's
    /// tenant, an Admin agent as the first.
    pub fn other_user(&self, oid: &str, upn: &str, name: &str) -> String {
        self.provider.token_with(|c| {
            c["tid"] = json!(PARTNER_TENANT);
            c["oid"] = json!(oid);
            c["preferred_username"] = json!(upn);
            c["name"] = json!(name);
        })
    }

    /// A token of the partner's Global admin (`oid` `global-admin`).
    pub fn global_admin(&self) -> String {
        self.provider.token_with(|c| {
            c["tid"] = json!(PARTNER_TENANT);
            c["oid"] = json!("global-admin");
            c["preferred_username"] = json!("gina.admin@partner.example");
            c["name"] = json!("Gina Global");
            c["roles"] = json!(["GlobalAdmin"]);
        })
    }

    /// A second server over the same database and stand-ins (another process of the same
    /// deployment): its router.
    pub async fn second_server(&self) -> Router {
        let (state, _) =
            azure_state(&self.database_url, &self.provider, &self.stand_ins, &self.token_url, &self.client_secret, self.settings, chrono::TimeDelta::zero()).await;
        router_of(&state, None)
    }

    /// [`Desk::call`] signed in with `token`.
    pub async fn call_as(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}

/// Reads every customer from the stand-ins now, as the signed-in user (`POST /api/source/refresh`,
/// followed until the read ends): the read as it ended.
pub async fn read(d: &Desk) -> Value {
    read_as(d, &d.token).await
}

/// [`read`] signed in with `token`.
pub async fn read_as(d: &Desk, token: &str) -> Value {
    let (status, started) = d.call_as(token, "POST", "/api/source/refresh", None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    follow(d, started["id"].as_str().unwrap()).await
}

/// Follows read `id` (`GET /api/source/reads/{id}`) until it is no longer reading (at most ten
/// seconds): the read as it ended.
pub async fn follow(d: &Desk, id: &str) -> Value {
    for _ in 0..400 {
        let (status, read) = d.call("GET", &format!("/api/source/reads/{id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{read}");
        if read["state"] != "reading" {
            return read;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("read {id} did not end in ten seconds");
}

/// Waits (at most five seconds) until `done` says the desk got there.
pub async fn until<F: std::future::Future<Output = bool>>(mut done: impl FnMut() -> F) {
    for _ in 0..100 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the desk did not get there in five seconds");
}
