//! Command-line flags, each with an environment-variable fallback.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Reservation Desk API server.
///
/// Serves the JSON API under /api from a SQLite database (created and migrated on start, demo
/// data seeded once) and, with --static-dir, the built single-page app with an index.html
/// fallback so deep links work.
#[derive(Debug, Clone, Parser)]
#[command(version, about, long_about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// SQLite database URL or file path; the file and its folder are created when missing.
    #[arg(long = "database", env = "DATABASE_URL", default_value = "sqlite://data/reservation-desk.sqlite")]
    pub database_url: String,

    /// Folder of a built SPA (trunk's dist/) to serve besides the API; unknown paths get its index.html.
    #[arg(long, env = "STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Whether the fixed demo tokens (demo-global-admin, demo-admin-agent, demo-helpdesk-agent,
    /// demo-sales-agent, demo-user-management-admin) sign in. Set to false for a real deployment.
    #[arg(long, env = "DEMO_USERS", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_users: bool,
}
