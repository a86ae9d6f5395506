//! The server benchmark (prints figures; a bench target, not a test), SQLite and
//! PostgreSQL side by side, each on server binaries on loopback:
//!
//! - **submit**: `POST …/return` latency with 64 concurrent clients spread over the eight demo
//!   customers, on servers that have run one such round first (pools open, caches warm). In
//!   each round each of the 64 clients calculates one unit of a reservation (untimed), then
//!   the 64 submissions are released at once; each goes to the other server process than the
//!   one that calculated it, when there are two. A refund quote includes what the customer's
//!   earlier refunds consumed of the limit, so of the 8 concurrent submissions of one customer
//!   one moves money and the others find the quote changed (409, after waiting for the
//!   customer's lock and reading again): the table counts both and gives both percentiles.
//!   Between rounds the bench puts the reservations' units and the refund ledgers back as
//!   seeded (directly in the database), so every round returns the same reservations under
//!   the same limit.
//! - **list**: `GET /api/customers/{id}/reservations` under `wrk` (2 threads, 64 connections,
//!   the eight customers in turn, thread i against server i; `benches/list.lua`).
//!
//! ```sh
//! scripts/bench-server.sh     # starts PostgreSQL (fsync on), installs wrk if missing
//! ```
//! Needs `TEST_POSTGRES_URL` and `wrk` on PATH. It measures the binary cargo built for the
//! bench profile (release); `BENCH_SERVER_BIN` names another one. `BENCH_ROUNDS` (default 10)
//! and `BENCH_WRK_SECONDS` (default 5; 0 skips wrk) size it; `BENCH_ONLY=PostgreSQL` (part of
//! a row's label) measures only those rows.

#[path = "../tests/common_postgres/mod.rs"]
mod common_postgres;
#[path = "../tests/server_process/mod.rs"]
mod server_process;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};
use server_process::{get, request, Server};

/// The clients of the submit rounds.
const CLIENTS: usize = 64;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One store under test: how to get fresh servers on a fresh database.
#[derive(Clone, Copy)]
enum Setup {
    Sqlite { processes: usize },
    Postgres { processes: usize },
}

impl Setup {
    fn label(self) -> String {
        match self {
            Self::Sqlite { processes } => format!("SQLite, {processes} process{} on one file", if processes == 1 { "" } else { "es" }),
            Self::Postgres { processes } => format!("PostgreSQL, {processes} process{}", if processes == 1 { "" } else { "es" }),
        }
    }

    /// New servers over a new database (SQLite ones one after the other: the second finds the
    /// file migrated and seeded; PostgreSQL ones together, as in production).
    async fn start(self, dir: &std::path::Path) -> (Vec<Server>, Reset) {
        let (servers, url) = match self {
            Self::Sqlite { processes } => {
                let url = format!("sqlite://{}/bench.sqlite", dir.display());
                ((0..processes).map(|_| Server::start(&url, &[])).collect(), url)
            }
            Self::Postgres { processes } => {
                let url = common_postgres::fresh_database().await;
                let starting: Vec<_> = (0..processes).map(|_| Server::spawn(&url, &[])).collect();
                (starting.into_iter().map(server_process::Starting::ready).collect(), url)
            }
        };
        (servers, Reset::snapshot(self, &url).await)
    }
}

/// Puts the database back as it was after the seed, between rounds: the reservations' units
/// and states, and the customers' refund ledgers (so the limit does not run out and every
/// round has the same reservations to return). Refunds and audit entries stay: they are
/// what was answered.
enum Reset {
    Sqlite(sqlx::SqlitePool, Vec<(String, i64, String)>, i64),
    Postgres(sqlx::PgPool, Vec<(String, i64, String)>, i64),
}

const RESERVATIONS: &str = "SELECT id, quantity, provisioning_state FROM reservations";
const LAST_LEDGER_ROW: &str = "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM refund_ledger";

impl Reset {
    async fn snapshot(setup: Setup, url: &str) -> Self {
        match setup {
            Setup::Sqlite { .. } => {
                let pool = sqlx::SqlitePool::connect(url).await.expect("the bench opens the SQLite file");
                let rows = sqlx::query_as(RESERVATIONS).fetch_all(&pool).await.unwrap();
                let (last,) = sqlx::query_as(LAST_LEDGER_ROW).fetch_one(&pool).await.unwrap();
                Self::Sqlite(pool, rows, last)
            }
            Setup::Postgres { .. } => {
                let pool = sqlx::PgPool::connect(url).await.expect("the bench connects to PostgreSQL");
                let rows = sqlx::query_as(RESERVATIONS).fetch_all(&pool).await.unwrap();
                let (last,) = sqlx::query_as(LAST_LEDGER_ROW).fetch_one(&pool).await.unwrap();
                Self::Postgres(pool, rows, last)
            }
        }
    }

    async fn restore(&self) {
        match self {
            Self::Sqlite(pool, rows, last) => {
                let mut tx = pool.begin().await.unwrap();
                for (id, quantity, state) in rows {
                    sqlx::query("UPDATE reservations SET quantity = ?, provisioning_state = ? WHERE id = ?")
                        .bind(quantity).bind(state).bind(id).execute(&mut *tx).await.unwrap();
                }
                sqlx::query("DELETE FROM refund_ledger WHERE id > ?").bind(last).execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
            }
            Self::Postgres(pool, rows, last) => {
                let mut tx = pool.begin().await.unwrap();
                for (id, quantity, state) in rows {
                    sqlx::query("UPDATE reservations SET quantity = $1, provisioning_state = $2 WHERE id = $3")
                        .bind(quantity).bind(state).bind(id).execute(&mut *tx).await.unwrap();
                }
                sqlx::query("DELETE FROM refund_ledger WHERE id > $1").bind(last).execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
            }
        }
    }
}

/// What a submission answered and how long it took.
struct Submitted {
    ms: f64,
    status: u16,
    code: String,
}

/// The customers' IDs and, per customer, the reservations one unit of which can be returned.
async fn refundable(port: u16) -> (Vec<String>, Vec<Vec<Value>>) {
    let customers: Vec<String> =
        get(port, "/api/customers").await.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    let mut reservations = Vec::new();
    for c in &customers {
        let list = get(port, &format!("/api/customers/{c}/reservations")).await;
        reservations.push(
            list.as_array()
                .unwrap()
                .iter()
                .filter(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap_or(0) > 0)
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    (customers, reservations)
}

/// Every server answers a few concurrent list requests, so its pool has its connections open
/// before anything is timed.
async fn warm_up(ports: &[u16], customers: &[String]) {
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let port = ports[i % ports.len()];
            let path = format!("/api/customers/{}/reservations", customers[i % customers.len()]);
            tokio::spawn(async move { get(port, &path).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
}

/// One round: client i calculates one unit of a reservation of customer `i % 8` on server
/// `i % processes`, then all 64 submit at once, each to the next server. With `reason` empty
/// every submission is answered 400 before the store is asked anything: the floor that HTTP,
/// sign-in and JSON alone put under the figures, on the same machine in the same minute.
async fn round(ports: &[u16], reason: &'static str) -> Vec<Submitted> {
    let (customers, reservations) = refundable(ports[0]).await;
    warm_up(ports, &customers).await;
    let start = Arc::new(tokio::sync::Barrier::new(CLIENTS));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let of = &reservations[i % customers.len()];
            assert!(!of.is_empty(), "customer {} has no reservation to return", customers[i % customers.len()]);
            let r = of[(i / customers.len()) % of.len()].clone();
            let calculate_on = ports[i % ports.len()];
            let submit_on = ports[(i + 1) % ports.len()];
            let start = start.clone();
            tokio::spawn(async move {
                let order = r["reservationOrderId"].as_str().unwrap().to_owned();
                let body = json!({ "reservationId": r["id"], "quantity": 1 });
                let (status, calc) =
                    request(calculate_on, "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(&body)).await;
                assert_eq!(status, 200, "calculateRefund: {calc}");
                let body = json!({ "sessionId": calc["sessionId"], "returnReason": reason });
                start.wait().await;
                let t = Instant::now();
                let (status, answer) = request(submit_on, "POST", &format!("/api/reservationOrders/{order}/return"), Some(&body)).await;
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                let expected = if reason.is_empty() { status == 400 } else { status == 200 || status == 409 };
                assert!(expected, "return answered {status}: {answer}");
                Submitted { ms, status, code: answer["code"].as_str().unwrap_or("").to_owned() }
            })
        })
        .collect();
    let mut out = Vec::with_capacity(CLIENTS);
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// What wrk measured (`benches/list.lua` prints it).
struct WrkFigures {
    requests: u64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// wrk against `ports` for `seconds`, the customers in turn; an error when an answer was not
/// 2xx or a socket failed (the figure would not be the list's).
fn wrk(ports: &[u16], customers: &[String], seconds: u64) -> Result<WrkFigures, String> {
    let script = std::env::temp_dir().join(format!("desk-bench-list-{}.lua", std::process::id()));
    std::fs::write(&script, include_str!("list.lua")).map_err(|e| format!("writing {}: {e}", script.display()))?;
    let ports_text: Vec<String> = ports.iter().map(u16::to_string).collect();
    let output = std::process::Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{seconds}s"), "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}/", ports[0]))
        .env("DESK_PORTS", ports_text.join(","))
        .env("DESK_CUSTOMERS", customers.join(","))
        .output()
        .map_err(|e| format!("running wrk (apt-get install wrk): {e}"))?;
    let _ = std::fs::remove_file(&script);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let line = text.lines().find(|l| l.starts_with("WRK ")).ok_or_else(|| format!("wrk printed no WRK line:\n{text}"))?;
    let field = |name: &str| -> u64 {
        line.split_whitespace().find_map(|kv| kv.strip_prefix(&format!("{name}="))).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    let (requests, non_2xx, socket_errors) = (field("requests"), field("non2xx"), field("socket_errors"));
    if requests == 0 || non_2xx > 0 || socket_errors > 0 {
        return Err(format!("{non_2xx} of {requests} answers were not 2xx, {socket_errors} socket errors:\n{text}"));
    }
    Ok(WrkFigures {
        requests,
        per_second: requests as f64 / (field("duration_us") as f64 / 1e6),
        p50_ms: field("p50_us") as f64 / 1000.0,
        p99_ms: field("p99_us") as f64 / 1000.0,
    })
}

/// The rounds and the wrk run of one setup; its two table rows.
async fn measure(setup: Setup, rounds: usize, wrk_seconds: u64) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    let mut accepted = Vec::new();
    let mut codes = BTreeMap::<String, usize>::new();
    let (servers, reset) = setup.start(dir.path()).await;
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    // One round first, not counted: every server process opens its pool's connections, and
    // each PostgreSQL backend fills its catalog caches, as they are in a server that has run.
    round(&ports, "Benchmark").await;
    let mut floor = Vec::new();
    for _ in 0..rounds {
        reset.restore().await;
        floor.extend(round(&ports, "").await.into_iter().map(|s| s.ms));
        for s in round(&ports, "Benchmark").await {
            all.push(s.ms);
            if s.status == 200 {
                accepted.push(s.ms);
            } else {
                *codes.entry(s.code).or_default() += 1;
            }
        }
    }
    all.sort_by(f64::total_cmp);
    accepted.sort_by(f64::total_cmp);
    floor.sort_by(f64::total_cmp);
    let refused: usize = codes.values().sum();
    let submit = format!(
        "| {} | {} ({} × 200, {refused} × 409{}) | {:.1} / {:.1} | {:.1} / {:.1} | {:.1} | {:.1} / {:.1} |",
        setup.label(),
        all.len(),
        accepted.len(),
        if codes.is_empty() { String::new() } else { format!(": {codes:?}") },
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&accepted, 0.5),
        percentile(&accepted, 0.99),
        all.last().copied().unwrap_or(f64::NAN),
        percentile(&floor, 0.5),
        percentile(&floor, 0.99),
    );
    // The list on the same servers (some reservations have fewer units now: the same shape).
    let (customers, _) = refundable(ports[0]).await;
    if wrk_seconds == 0 {
        return (submit, format!("| {} | not measured (BENCH_WRK_SECONDS=0) | | |", setup.label()));
    }
    let list = match wrk(&ports, &customers, 1).and_then(|_| wrk(&ports, &customers, wrk_seconds)) {
        Ok(f) => format!(
            "| {} | {:.0} | {} | {:.2} / {:.2} |",
            setup.label(),
            f.per_second,
            f.requests,
            f.p50_ms,
            f.p99_ms
        ),
        Err(e) => {
            eprintln!("wrk against {}: {e}", setup.label());
            format!("| {} | FAILED (see stderr) | | |", setup.label())
        }
    };
    (submit, list)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let rounds = usize::try_from(env_number("BENCH_ROUNDS", 10)).unwrap_or(10);
        let wrk_seconds = env_number("BENCH_WRK_SECONDS", 5);
        println!(
            "\nserver binary: {}; {} cores; {rounds} rounds of {CLIENTS} concurrent submissions over the 8 demo customers \
             (one untimed round first); wrk 2 threads, 64 connections, {wrk_seconds} s (after 1 s not counted)",
            server_process::binary(),
            std::thread::available_parallelism().map_or(0, usize::from),
        );
        let setups = [
            Setup::Sqlite { processes: 1 },
            Setup::Sqlite { processes: 2 },
            Setup::Postgres { processes: 1 },
            Setup::Postgres { processes: 2 },
        ];
        // BENCH_ONLY=PostgreSQL (a part of the label) measures only those setups.
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        let mut rows = Vec::new();
        for setup in setups.into_iter().filter(|s| s.label().contains(&only)) {
            rows.push(measure(setup, rounds, wrk_seconds).await);
        }
        println!("\n| submit (`POST …/return`), 64 concurrent clients over 8 customers | submissions timed | all: p50 / p99 ms | 200 only: p50 / p99 ms | max ms | floor: 400 before the store, p50 / p99 ms |");
        println!("|---|---|---|---|---|---|");
        for (submit, _) in &rows {
            println!("{submit}");
        }
        println!("\n| list (`GET /api/customers/{{id}}/reservations`) under wrk | requests/s | requests (all 2xx) | latency p50 / p99 ms |");
        println!("|---|---|---|---|");
        for (_, list) in &rows {
            println!("{list}");
        }
    });
}
