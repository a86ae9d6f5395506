use clap::Parser;
use reservation_desk_server::config::{AlertsCommand, Command, Config, DemoUsers, DEMO_HEADER};
use reservation_desk_server::server_store::ServerStore;
use reservation_desk_server::source::AzureSource;
use reservation_desk_server::{alerts, app_with_state, backup, db, oidc, postgres, serve, state::AppState};
use tracing_subscriber::EnvFilter;

/// Each worker thread's stack. A request's future in a debug build (the one the browser walks and
/// the Azure SDK walk run) is several times its release size, and the deepest (an Azure-surface
/// return that waits for approval) passed tokio's 2 MiB; 8 MiB leaves room at little cost.
const WORKER_STACK: usize = 8 * 1024 * 1024;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = Config::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(WORKER_STACK).build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("reservation-desk-server: starting the async runtime failed: {err}");
            std::process::exit(1);
        }
    };
    if let Err(err) = runtime.block_on(run(config)) {
        eprintln!("reservation-desk-server: {err}");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(Command::Backup { path }) = &config.command {
        if postgres::is_postgres_url(&config.database_url) {
            return Err(postgres::BACKUP_WITH_PG_DUMP.into());
        }
        // A backup copies the database as it is: nothing is seeded into it, in either mode.
        let pool = db::open_seeding(&config.database_url, None, &config.audit_key()).await?;
        backup::write(&pool, path).await?;
        tracing::info!("backup of {} written to {}", config.database_url, path.display());
        return Ok(());
    }
    if let Some(Command::Alerts { action: AlertsCommand::Send }) = &config.command {
        // Opened as the server opens it in its mode: nothing of the demo in Azure mode.
        let store = ServerStore::open_as(&config.database_url, &config.audit_key(), config.opening(chrono::Utc::now().date_naive())).await?;
        let desk = desk::Desk::new(store.clone(), reservation_desk_server::state::UuidIds, config.settings())
            .with_alert_thresholds(config.alert_thresholds())
            .with_alert_recipients(config.alert_delivery().recipients());
        let delivery = config.alert_delivery();
        if !delivery.any() {
            tracing::warn!("alerts send: neither SMTP_URL nor ALERT_WEBHOOK_URL is set, so there is nowhere to send to");
        }
        let report = alerts::send_due(&desk, &delivery, chrono::Utc::now()).await;
        store.close().await;
        let report = report?;
        println!("alerts: {} delivered, {} failed", report.sent, report.failed);
        return if report.failed == 0 { Ok(()) } else { Err(format!("{} deliveries failed; they are tried again later", report.failed).into()) };
    }
    if let Some(refusal) = config.refusal() {
        return Err(refusal.into());
    }
    // The in-browser build runs the whole demo: never served by a server in Azure mode.
    if let (Some(dir), contract::DataSource::Azure) = (&config.static_dir, config.source) {
        if let Some(refusal) = reservation_desk_server::static_files::azure_mode_refusal(dir) {
            return Err(refusal.into());
        }
    }
    // Azure mode's store is a cache of Azure: no demo data is seeded into it, and a database
    // holding the demo is refused (`opening.rs`). The demo's grants only where its users are:
    // otherwise they would govern real users' groups.
    // The server's clock (`--today` moves it, demos only): every request's instant and the seed's day.
    let clock = config.clock();
    let store = ServerStore::open_as(&config.database_url, &config.audit_key(), config.opening(clock().date_naive())).await?;
    let desk = desk::Desk::new(store.clone(), reservation_desk_server::state::UuidIds, config.settings())
        .with_alert_thresholds(config.alert_thresholds())
        .with_alert_recipients(config.alert_delivery().recipients());
    let mut state = AppState::with_desk(desk, clock.clone());
    state.demo_users = config.demo_users();
    state.limits = config.limits();
    if let Some(settings) = config.oidc() {
        let issuer = settings.issuer.clone();
        let oidc = oidc::Oidc::discover(settings, config.discovery())
            .await
            .map_err(|err| format!("OpenID Connect issuer {issuer} cannot be used: {err}"))?;
        state.oidc = Some(std::sync::Arc::new(oidc));
    }
    if let Some(settings) = config.azure() {
        let client = azure_client::AzureClient::with_limits(settings, std::sync::Arc::new(chrono::Utc::now), azure_client::AzureClient::tokio_sleep(), config.azure_limits())?;
        let interval = std::time::Duration::from_secs(config.azure_refresh_interval);
        let keys = config.secret_keys()?;
        if keys.is_none() {
            tracing::info!("DESK_SECRET_KEY_FILE is not set: the desk cannot be connected for unattended reads, and reads Azure only while a signed-in user's token lasts");
        }
        let source = AzureSource::new(client, config.azure_partner_tenant_id.clone(), interval).with_keys(keys);
        // Before the state is shared (the desk's port to Azure is set once).
        state.set_source(std::sync::Arc::new(source));
        // The audit log says under which mode everything after this start was written.
        state.desk.record_start(state.now()).await.map_err(|err| format!("the start of Azure mode could not be audited: {err}"))?;
        reservation_desk_server::source::background(state.clone());
        let changes = if config.azure_read_only {
            "a read-only pilot: quotes are asked of Azure, and nothing that changes anything is sent to it (409 readOnlyPilot)"
        } else {
            "refunds, exchanges and changes go through Azure, role assignments are refused"
        };
        tracing::info!(
            "reading customers from Partner Center at {}, reservations from Azure Resource Manager at {} and GDAP \
             relationships from Microsoft Graph at {}, with the stored connection when a Global admin connected the desk (read \
             now, and with nobody signed in), else on behalf of the signed-in user (the first sign-in starts a read and carries \
             on any return left unfinished); again every {} s; {changes}",
            config.partner_center_url, config.azure_arm_url, config.graph_url, config.azure_refresh_interval
        );
    }
    let delivery = config.alert_delivery();
    if delivery.any() {
        tracing::info!("alerts: a digest daily from {}:00 (local time), failed deliveries tried again with backoff", delivery.digest_hour);
        tokio::spawn(alerts::run(state.clone(), delivery));
    }
    let router = app_with_state(state, config.static_dir.as_deref());
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let address = listener.local_addr()?;
    tracing::info!("listening on http://{address}");
    tracing::info!("refunds are carried out under the {} policy; other presets quote what-ifs only", config.refund_policy);
    if let Some(day) = config.today {
        tracing::warn!("the desk's day is {day} (--today), not the calendar's: for demos and tests only");
    }
    say_who_can_sign_in(config.demo_users(), config.oidc_issuer.is_some(), address);
    serve::serve(listener, router, config.connections(), serve::termination()).await;
    store.close().await;
    tracing::info!("database closed");
    Ok(())
}

/// Tells the operator at start who can sign in at this address.
fn say_who_can_sign_in(demo: DemoUsers, oidc: bool, address: std::net::SocketAddr) {
    match demo {
        DemoUsers::OnLoopback => tracing::info!(
            "demo users are on (loopback only): the demo tokens (demo-global-admin, …) sign in from this machine; \
             requests through a proxy or naming another host than localhost are refused"
        ),
        DemoUsers::OnExposed => tracing::warn!(
            "DEMO USERS ARE ON AT {address}, WHICH OTHER MACHINES CAN REACH: anyone who sends the public token \
             demo-global-admin signs in as Global admin and can move money. Every response carries \
             '{DEMO_HEADER}: true'. Use this for a demo only; without --demo-users true (DEMO_USERS=true) \
             demo users are off on a non-loopback address"
        ),
        DemoUsers::Off if oidc => tracing::info!("demo users are off: only the identity provider's tokens sign in"),
        DemoUsers::Off => tracing::warn!(
            "demo users are off and no identity provider is configured, so nobody can sign in: every /api \
             request except /api/openapi.json and /api/config answers 401. Configure an identity provider with \
             --oidc-issuer and --oidc-audience, or, to try it, listen on 127.0.0.1 (demo users are on there by default), or start with \
             --demo-users true (DEMO_USERS=true) to accept the public demo tokens from every address that \
             can reach {address}"
        ),
    }
}
