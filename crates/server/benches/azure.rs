//! Reading a partner's whole book from Azure, as a partner's real Azure answers: the stand-ins
//! (`tests/azure_stand_ins`) answer every request after `AZURE_BENCH_LATENCY_MS` (100 ms, a
//! round trip to ARM), each customer with 20 reservations over 10 orders and one GDAP
//! relationship, pages as large as the services allow (Partner Center's 500, Graph's 300), no
//! throttling; the desk with its default settings. For 50, 200 and 500 customers
//! (`AZURE_BENCH_CUSTOMERS`): the first read of the book, the floor of the design (the least
//! time its bounds allow), the requests by kind, the most in flight at once, a later read of
//! the same book (its time and requests), one customer's refresh, and the process's peak memory
//! (the desk and the stand-ins in one process). Prints a Markdown table.

#[path = "../tests/azure_desk/mod.rs"]
mod azure_desk;
#[path = "../tests/azure_stand_ins/mod.rs"]
mod azure_stand_ins;
#[path = "../tests/oidc_provider/mod.rs"]
mod oidc_provider;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use azure_stand_ins::*;
use serde_json::Value;

const RESERVATIONS: usize = 20;
const ORDERS: usize = 10;
const ARM_PAGE: usize = 100;

fn book(customers: usize) -> (Vec<Value>, HashMap<String, Tenant>) {
    let mut listed = Vec::new();
    let mut tenants = HashMap::new();
    for c in 0..customers {
        let tenant = format!("tenant-{c:04}");
        listed.push(customer(&format!("customer-{c:04}"), &tenant, &format!("Customer {c:04}")));
        let reservations = (0..RESERVATIONS)
            .map(|r| reservation(&format!("order-{c:04}-{}", r % ORDERS), &format!("res-{c:04}-{r:02}"), &format!("vm {c} {r}"), 1 + (r % 3) as u32, 70.0))
            .collect();
        tenants.insert(tenant, Tenant::Reservations(reservations));
    }
    (listed, tenants)
}

/// Requests the stand-ins answered so far, by kind: tokens, Partner Center pages, Graph pages,
/// ARM lists, ARM orders, and in all.
fn requests(d: &azure_desk::Desk) -> [usize; 6] {
    let graph = d.stand_ins.graph(|g| g.pages);
    d.stand_ins.record(|r| [r.tokens.values().sum(), r.partner_center_pages, graph, r.arm.values().sum(), r.orders.values().sum(), r.requests])
}

fn peak_memory_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned()))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or_else(|| "?".into(), |kib| format!("{:.1}", kib / 1024.0))
}

async fn timed_read(d: &azure_desk::Desk) -> Duration {
    let started = Instant::now();
    let (status, read) = d.call("POST", "/api/source/refresh", None).await;
    assert_eq!(status, axum::http::StatusCode::ACCEPTED, "{read}");
    let id = read["id"].as_str().unwrap().to_owned();
    loop {
        let (_, now) = d.call("GET", &format!("/api/source/reads/{id}"), None).await;
        if now["state"] != "reading" {
            assert_eq!((&now["state"], &now["failed"]), (&serde_json::json!("done"), &serde_json::json!(0)), "{now}");
            return started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::main]
async fn main() {
    if std::env::var("RUST_LOG").is_ok() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let latency = Duration::from_millis(std::env::var("AZURE_BENCH_LATENCY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(100));
    let sizes: Vec<usize> = std::env::var("AZURE_BENCH_CUSTOMERS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![50, 200, 500]);
    let limits = azure_client::Limits::default();
    println!(
        "## Azure mode: reading the book — {} UTC, {} cores; {} ms a request, {RESERVATIONS} reservations over {ORDERS} orders a customer; \
         {} requests in flight at most, {} per tenant (the defaults)\n",
        chrono::Utc::now().format("%F %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        latency.as_millis(),
        limits.in_flight,
        limits.per_tenant
    );
    println!("| customers | first read | floor of the design | requests (tokens / Partner Center / Graph / lists / orders) | peak in flight | later read | its requests | one customer | peak memory |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let (customers, tenants) = book(n);
        let d = azure_desk::desk_of_options(customers, tenants, Options { page: ARM_PAGE.max(n), latency }).await;
        let first = timed_read(&d).await;
        let [tokens, pc, graph, lists, orders, all] = requests(&d);
        let peak = d.stand_ins.record(|r| r.peak_in_flight);
        // The floor: the partner's token and customers (two round trips, Graph alongside), then
        // each tenant's token, list and its orders in rounds of the tenant's share, so many
        // tenants at once, and never more requests in flight than the bound.
        let rounds = 2 + ORDERS.div_ceil(limits.per_tenant);
        let at_once = (limits.in_flight / 2).max(1);
        let by_tenants = n.div_ceil(at_once) * rounds;
        let tenant_requests = n * (2 + ORDERS);
        let by_bound = tenant_requests.div_ceil(limits.in_flight);
        let floor = latency * (2 + by_tenants.max(by_bound)) as u32;
        let later = timed_read(&d).await;
        let [.., all_after] = requests(&d);
        let one = {
            let started = Instant::now();
            let (status, _) = d.call("POST", "/api/source/customers/customer-0001/refresh", None).await;
            assert_eq!(status, axum::http::StatusCode::OK);
            started.elapsed()
        };
        println!(
            "| {n} | {:.2} s | {:.2} s | {all} ({tokens} / {pc} / {graph} / {lists} / {orders}) | {peak} | {:.2} s | {} | {:.2} s | {} MiB |",
            first.as_secs_f64(),
            floor.as_secs_f64(),
            later.as_secs_f64(),
            all_after - all,
            one.as_secs_f64(),
            peak_memory_mib()
        );
    }
    println!("\nfloor = (2 + max(⌈customers ÷ tenants at once⌉ × rounds a tenant, ⌈requests ÷ in flight⌉)) × latency; rounds a tenant = token, list, ⌈orders ÷ per tenant⌉");
}
