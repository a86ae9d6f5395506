//! Benchmark (prints figures; a bench target, not a test): return latency under a burst of 64
//! concurrent returns spread over the eight customers versus all of one customer, on SQLite (one
//! server process) and on PostgreSQL (two server processes on one database, the burst split over
//! both). Each request is one HTTP/1.1 connection to a server binary on loopback.
//!
//! ```sh
//! source scripts/postgres-for-tests.sh && start_test_postgres
//! cargo bench -p reservation-desk-server --features postgres-tests --bench returns
//! stop_test_postgres
//! ```
//! It measures the binary cargo built for the bench profile (release); `BENCH_SERVER_BIN` names
//! another one.

#[path = "../tests/common_postgres/mod.rs"]
mod common_postgres;
#[path = "../tests/server_process/mod.rs"]
mod server_process;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use server_process::{get, request, Server};

async fn sessions(ports: &[u16], customers: &[String], n: usize) -> Vec<(u16, Value, Value)> {
    let mut reservations: Vec<Vec<Value>> = Vec::new();
    for c in customers {
        let list = get(ports[0], &format!("/api/customers/{c}/reservations")).await;
        reservations.push(
            list.as_array().unwrap().iter().filter(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() > 0).cloned().collect(),
        );
    }
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while out.len() < n {
        let of = &reservations[i % customers.len()];
        if !of.is_empty() {
            let r = of[(i / customers.len()) % of.len()].clone();
            let port = ports[out.len() % ports.len()];
            let order = r["reservationOrderId"].as_str().unwrap();
            let body = json!({ "reservationId": r["id"], "quantity": 1 });
            let (status, calc) = request(port, "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(&body)).await;
            if status == 200 {
                out.push((port, r, calc["sessionId"].clone()));
            }
        }
        i += 1;
        assert!(i < n * 50, "not enough refundable reservations");
    }
    out
}

/// Submits the sessions all at once (each returned to the server after the one that calculated
/// it); the latencies in milliseconds, sorted, and how many were 200.
async fn burst(ports: &[u16], pending: Vec<(u16, Value, Value)>) -> (Vec<f64>, usize, Duration, Vec<String>) {
    let started = Instant::now();
    let tasks: Vec<_> = pending
        .into_iter()
        .map(|(calculated_on, r, session)| {
            let port = ports[(ports.iter().position(|p| *p == calculated_on).unwrap() + 1) % ports.len()];
            tokio::spawn(async move {
                let order = r["reservationOrderId"].as_str().unwrap().to_owned();
                let body = json!({ "sessionId": session, "returnReason": "Benchmark" });
                let t = Instant::now();
                let (status, answer) = request(port, "POST", &format!("/api/reservationOrders/{order}/return"), Some(&body)).await;
                assert!(status == 200 || status == 409, "{status} {answer}");
                (t.elapsed().as_secs_f64() * 1000.0, status == 200, answer["code"].as_str().unwrap_or("").to_owned())
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut ok = 0;
    let mut refusals = Vec::new();
    for task in tasks {
        let (ms, accepted, code) = task.await.unwrap();
        latencies.push(ms);
        ok += usize::from(accepted);
        if !accepted {
            refusals.push(code);
        }
    }
    let wall = started.elapsed();
    latencies.sort_by(f64::total_cmp);
    (latencies, ok, wall, refusals)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// `rounds` bursts of 64 on fresh servers over `database` (`start` starts them); one table row.
async fn measure(label: &str, ports: &[u16], spread: bool, rounds: usize) {
    let customers: Vec<String> = get(ports[0], "/api/customers").await.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    // One customer: the one with the most headroom and units (Fabrikam), so most returns are accepted.
    let chosen = if spread { customers.clone() } else { vec!["1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02".to_owned()] };
    // One burst first, not counted: every server process opens its pool's connections.
    let warm_up = sessions(ports, &customers, 64).await;
    burst(ports, warm_up).await;
    let mut all = Vec::new();
    let (mut accepted, mut total, mut walls) = (0, 0, Vec::new());
    let mut refusals = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..rounds {
        let pending = sessions(ports, &chosen, 64).await;
        let (latencies, ok, wall, refused) = burst(ports, pending).await;
        for code in refused {
            *refusals.entry(code).or_default() += 1;
        }
        accepted += ok;
        total += latencies.len();
        walls.push(wall.as_secs_f64() * 1000.0);
        all.extend(latencies);
    }
    all.sort_by(f64::total_cmp);
    walls.sort_by(f64::total_cmp);
    println!(
        "| {label} | {} | {total} ({accepted} × 200; 409: {refusals:?}) | {:.1} | {:.1} | {:.1} | {:.0} |",
        if spread { "8 customers" } else { "1 customer" },
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all[all.len() - 1],
        percentile(&walls, 0.5),
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(4).enable_all().build().expect("a runtime");
    runtime.block_on(return_latency_under_a_burst_of_64_spread_over_customers_versus_one_customer());
}

async fn return_latency_under_a_burst_of_64_spread_over_customers_versus_one_customer() {
    const ROUNDS: usize = 5;
    println!("\nserver binary: {}; {ROUNDS} bursts of 64 concurrent returns each, every request its own connection", server_process::binary());
    println!("| store | returns of | returns (accepted) | p50 ms | p99 ms | max ms | burst wall ms (median) |");
    println!("|---|---|---|---|---|---|---|");
    for spread in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = Server::start(&format!("sqlite://{}/bench.sqlite", dir.path().display()), &[]);
        measure("SQLite, 1 process", &[sqlite.port], spread, ROUNDS).await;
        drop(sqlite);
        let url = common_postgres::fresh_database().await;
        let a = Server::start(&url, &[]);
        let b = Server::start(&url, &[]);
        measure("PostgreSQL, 2 processes", &[a.port, b.port], spread, ROUNDS).await;
    }
}
