//! The partner's worklist at a partner's size: 500 customers × 20 reservations (their refund
//! ledgers empty), written as Azure mode's reads write them, then `GET /worklist` (every row) and
//! the console's first page (`?state=open&top=100`) answered by the
//! desk (`Desk::handle`: the grant and role check, the whole-book reads, the rules, the ranking
//! and the JSON; the HTTP layer, a few microseconds, left out) in local mode (the recommendations'
//! savings computed per customer) and Azure mode (from the stored read, readiness included), on
//! SQLite and, when `TEST_POSTGRES_URL` names a database, PostgreSQL. Median and worst of 9 after
//! one warm-up; the bytes on the wire are the JSON gzip'd at the server's level (fastest).
//! Prints a Markdown table. `WORKLIST_BENCH_CUSTOMERS` (500), `…_RESERVATIONS` (20).

use std::time::{Duration, Instant};

use chrono::Utc;
use desk::source::{CustomerSnapshot, SourceStore};
use desk::{Call, Desk};
use reservation_desk_server::server_store::ServerStore;
use reservation_desk_server::state::UuidIds;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Writes `customers` customers of `per` reservations each: the demo's reservations, cycled,
/// each given its own IDs and customer.
async fn fill(store: &ServerStore, customers: usize, per: usize) {
    let today = Utc::now().date_naive();
    let demo = desk_service::seed::demo_data(today);
    let read_at = Utc::now();
    for c in 0..customers {
        let id = format!("{c:08}-0000-4000-8000-000000000000");
        let customer = contract::Customer { id: id.clone(), name: format!("Customer {c:04}"), domain: format!("c{c}.example"), reservation_count: 0 };
        let reservations = (0..per)
            .map(|i| {
                let seed = &demo.reservations[(c * per + i) % demo.reservations.len()];
                let mut r = seed.reservation.clone();
                r.id = format!("{c:08}-{i:04}-4000-8000-000000000001");
                r.reservation_order_id = format!("{c:08}-{i:04}-4000-8000-000000000002");
                r.customer_id = id.clone();
                (r, seed.usage)
            })
            .collect();
        let snapshot = CustomerSnapshot { customer, tenant_id: format!("tenant-{c}"), reservations, read_at, unread: Vec::new() };
        store.write_snapshot(&snapshot).await.expect("written");
    }
}

/// The median of 9 runs of `f` after one warm-up.
async fn median_of<F: std::future::Future<Output = ()>>(mut f: impl FnMut() -> F) -> Duration {
    let mut times = Vec::new();
    for i in 0..10 {
        let started = Instant::now();
        f().await;
        if i > 0 {
            times.push(started.elapsed());
        }
    }
    times.sort();
    times[times.len() / 2]
}

/// The parts of an answer: the whole book read (reservations, ledgers) and the JSON written.
async fn parts(desk: &Desk<ServerStore, UuidIds>, body: &str) -> (Duration, Duration) {
    use desk::worklist::WorklistStore;
    let read = median_of(|| async {
        desk.store().book().await.expect("the book");
        desk.store().ledgers().await.expect("the ledgers");
    })
    .await;
    let list: contract::Worklist = serde_json::from_str(body).expect("a worklist");
    let json = median_of(|| async {
        std::hint::black_box(serde_json::to_string(&list).expect("JSON"));
    })
    .await;
    (read, json)
}

/// The JSON's size gzip'd as the server sends it to a client that accepts gzip (fastest level).
fn gzipped(body: &str) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(body.as_bytes()).expect("gzip");
    encoder.finish().expect("gzip").len()
}

async fn measure(desk: &Desk<ServerStore, UuidIds>, query: &[(String, String)]) -> (Duration, Duration, usize, usize, String) {
    let user = desk_service::access::demo_user("demo-admin-agent").expect("a demo user");
    let mut times = Vec::new();
    let mut answer = (0, 0);
    let mut text = String::new();
    for i in 0..10 {
        let call = Call::new(user.clone(), Utc::now());
        let started = Instant::now();
        let reply = desk.handle(&call, desk::Operation::ListWorklist, &[], query, None).await.expect("the worklist");
        let took = started.elapsed();
        let body = reply.body.expect("a body");
        if i > 0 {
            times.push(took);
        }
        let list: contract::Worklist = serde_json::from_str(&body).expect("a worklist");
        answer = (list.items.len(), body.len());
        text = body;
    }
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], answer.0, answer.1, text)
}

#[tokio::main]
async fn main() {
    let customers = env("WORKLIST_BENCH_CUSTOMERS", 500);
    let per = env("WORKLIST_BENCH_RESERVATIONS", 20);
    println!(
        "## The worklist at {customers} customers × {per} reservations — {} UTC, {} cores\n",
        Utc::now().format("%F %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| store | mode | asked | rows | JSON | on the wire (gzip) | median | worst of 9 | of which: the book read (median) | the JSON written (median) |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut stores = vec![("SQLite", format!("sqlite://{}/worklist.sqlite", dir.path().display()))];
    if let Ok(url) = std::env::var("TEST_POSTGRES_URL") {
        stores.push(("PostgreSQL", url));
    }
    for (name, url) in stores {
        let key = desk::audit_chain::ChainKey::none();
        let store = ServerStore::open_seeding(&url, &key, false).await.expect("opened");
        fill(&store, customers, per).await;
        for source in [contract::DataSource::Local, contract::DataSource::Azure] {
            let store = ServerStore::open_seeding(&url, &key, false).await.expect("opened");
            let desk = Desk::new(store, UuidIds, contract::Settings { source, ..contract::Settings::default() });
            let first_page: Vec<(String, String)> = vec![("state".into(), "open".into()), ("top".into(), "100".into())];
            for (asked, query) in [("every row", Vec::new()), ("first page (open, top 100)", first_page)] {
                let (median, worst, rows, bytes, body) = measure(&desk, &query).await;
                let (read, json) = parts(&desk, &body).await;
                let ms = |d: Duration| d.as_secs_f64() * 1000.0;
                println!(
                    "| {name} | {source:?} | {asked} | {rows} | {:.0} KiB | {:.0} KiB | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
                    bytes as f64 / 1024.0,
                    gzipped(&body) as f64 / 1024.0,
                    ms(median),
                    ms(worst),
                    ms(read),
                    ms(json)
                );
            }
        }
    }
}
