//! What one OpenID Connect token check costs (`Oidc::verify`: header, key lookup, signature,
//! claims), RS256 and ES256, against the loopback provider of the OIDC tests. Prints figures; a
//! bench target, not a test (it asserts only that every token passes).
//!
//! ```sh
//! cargo bench -p reservation-desk-server --bench oidc    # BENCH_ROUNDS (default 200) per algorithm
//! ```

#[path = "../tests/oidc_provider/mod.rs"]
mod oidc_provider;

use std::time::Instant;

use jsonwebtoken::Algorithm;
use oidc_provider::{ec, quick, sign, Provider};
use reservation_desk_server::oidc::Oidc;

#[tokio::main]
async fn main() {
    let rounds: u32 = std::env::var("BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let provider = Provider::start().await;
    let oidc = Oidc::discover(provider.settings(), quick()).await.expect("the loopback provider is discovered");
    println!("| token check (Oidc::verify) | time per token | rounds |");
    println!("|---|---|---|");
    for (alg, token) in [
        ("RS256", provider.token_with(|_| {})),
        ("ES256", sign(Algorithm::ES256, &ec(), "ec-1", &provider.claims())),
    ] {
        let started = Instant::now();
        for _ in 0..rounds {
            oidc.verify(&token, chrono::Utc::now()).await.expect("a valid token passes");
        }
        println!("| {alg} | {:?} | {rounds} |", started.elapsed() / rounds);
    }
}
