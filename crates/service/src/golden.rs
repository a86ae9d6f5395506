//! Golden values: known inputs and the outputs they must give, written out literally.
//!
//! The server and the in-browser backend must derive the same IDs, histories and demo data
//! from the same inputs (a reservation ID seen in one must name the same reservation in the
//! other). Comparing a function's output with itself proves nothing; these checks compare it
//! with answers computed once and pinned here. They run natively (the unit tests of `hash`,
//! `utilization` and `seed`) and compiled to wasm in a browser (`tests/browser/golden.rs` of the
//! reservation-desk crate), so a difference between the two targets fails one of them.
//!
//! The hash values were checked against an independent implementation (SplitMix64's finalizer
//! and FNV-1a written in Python); `mix(0)` is SplitMix64's well-known first output for seed 0.
//! Changing any value here changes every seeded ID and figure: do it only on purpose.

use chrono::NaiveDate;

use crate::{hash, seed, utilization};

/// `hash::mix(input) == output`.
pub const MIX: &[(u64, u64)] = &[
    (0, 0xe220_a839_7b1d_cdaf),
    (1, 0x910a_2dec_8902_5cc1),
    (0x1234_5678_9abc_def0, 0x1619_22c6_45ce_50e8),
    (u64::MAX, 0xe4d9_7177_1b65_2c20),
];

/// `hash::of_str(input) == output` (non-ASCII text hashes its UTF-8 bytes).
pub const OF_STR: &[(&str, u64)] = &[
    ("", 0xc381_7c01_6ba4_ff30),
    ("a", 0x5f29_c2aa_dd9b_8527),
    ("reservation/1", 0x3ea3_7782_cdfd_05c5),
    ("0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01", 0xd502_9aae_6cec_c138),
    ("Zürich ✓", 0xdeb2_c2db_a7ec_4b2d),
];

/// `hash::guid(input) == output`.
pub const GUID: &[(&str, &str)] = &[
    ("a", "5f29c2aa-dd9b-4527-9348-5a5d672783e6"),
    ("b", "56f6a47e-3092-4664-9f31-c4ab97b29ab4"),
    ("reservation/1", "3ea37782-cdfd-45c5-a3f6-86ff92e78fd5"),
    ("order/0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01/0", "21807514-34b1-44cf-97f8-698edb69f3ad"),
];

/// A daily utilization history and its aggregates for known inputs.
pub struct HistoryCase {
    /// The reservation ID (seeds the noise).
    pub reservation_id: &'static str,
    /// The usage profile's level.
    pub level: Option<u8>,
    /// Purchase, "today" and end (expiry or cancellation), ISO dates.
    pub purchase: &'static str,
    pub until: &'static str,
    pub end: &'static str,
    /// One percent per day from `purchase` on.
    pub percents: &'static [&'static str],
    /// The 1, 7 and 30-day averages.
    pub aggregates: [&'static str; 3],
}

/// Histories: a used reservation (±12 points of noise around 70, 15 points lower on days 6–7
/// and 13–14 of each week), one at level 100 that expired after 6 days (capped at 100), and an
/// unused one (all zero).
pub const HISTORY: &[HistoryCase] = &[
    HistoryCase {
        reservation_id: "golden-used",
        level: Some(70),
        purchase: "2026-01-01",
        until: "2026-01-15",
        end: "2027-01-01",
        percents: &[
            "76.3", "72.9", "63.5", "76.8", "75.7", "51.3", "46.3", "74.1", "70.9", "70.3", "69.8", "77.3", "58.3", "46.5",
        ],
        aggregates: ["46.5", "66.7", "66.4"],
    },
    HistoryCase {
        reservation_id: "golden-full",
        level: Some(100),
        purchase: "2025-12-28",
        until: "2026-01-05",
        end: "2026-01-03",
        percents: &["100", "100", "100", "90.3", "94.1", "88.5"],
        aggregates: ["88.5", "95.5", "95.5"],
    },
    HistoryCase {
        reservation_id: "golden-unused",
        level: None,
        purchase: "2026-02-01",
        until: "2026-02-04",
        end: "2027-02-01",
        percents: &["0", "0", "0"],
        aggregates: ["0", "0", "0"],
    },
];

/// The day the pinned demo data is seeded for.
pub const SEED_TODAY: &str = "2026-11-22";

/// Customers, reservations, ledger entries and scopes in the demo data of [`SEED_TODAY`].
pub const SEED_COUNTS: [usize; 4] = [8, 58, 5, 40];

/// The first five seeded reservations (Contoso's j = 0…4: unused in the grace window, used in
/// the grace window, expired, past half term, mid-term), one line each:
/// `id order displayName term plan quantity purchase expiry unitPrice state`.
pub const SEED_FIRST_ROWS: &[&str] = &[
    "6c5b73e5-1fb5-47d5-b4f2-944d58f0e659 21807514-34b1-44cf-97f8-698edb69f3ad vm-d4sv5-wes-01 P5Y Monthly 7 2026-11-20 2031-11-20 6307.20 USD Succeeded",
    "d24d9932-5dbe-4895-8df4-af5a13bb5673 ee2f3811-362a-4651-a29f-981527c85f0e vm-e8sv5-eas-02 P1Y Monthly 2 2026-11-19 2027-11-19 4380.00 USD Succeeded",
    "84381d08-2388-48cd-92b7-730533ad41c0 21c07062-0a45-4c05-976f-60e69258e7bf vm-f16sv2-nor-03 P1Y Upfront 3 2025-10-13 2026-10-13 5840.00 USD Expired",
    "37f5b96e-ec8e-4db2-a2c2-f6e54dfc5444 7e795d7e-07f0-4296-b022-6615f422427c vm-d2sv5-wes-04 P5Y Monthly 1 2024-05-03 2029-05-03 3153.60 USD Succeeded",
    "71fac81e-efc3-44f5-95e5-91e402ad20ee b229c3e6-1d33-4094-a121-56cb79839367 vm-e8sv5-wes-05 P1Y Upfront 3 2026-05-28 2027-05-28 4380.00 USD Succeeded",
];

/// `hash::of_str` of [`seed_json`] for [`SEED_TODAY`]: every other field of the data set
/// (changed on purpose for the dated rules: the retired-series rows and the D4s_v5 price cut).
pub const SEED_DIGEST: u64 = 0x3869_eb97_7deb_b7db;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap_or_else(|e| panic!("golden date {text:?}: {e}"))
}

/// Checks [`MIX`], [`OF_STR`] and [`GUID`]; panics naming the first difference.
pub fn check_hash() {
    for &(input, output) in MIX {
        assert_eq!(hash::mix(input), output, "hash::mix({input:#x})");
    }
    for &(input, output) in OF_STR {
        assert_eq!(hash::of_str(input), output, "hash::of_str({input:?})");
    }
    for &(input, output) in GUID {
        assert_eq!(hash::guid(input), output, "hash::guid({input:?})");
    }
}

/// Checks [`HISTORY`]; panics naming the first difference.
pub fn check_utilization() {
    for case in HISTORY {
        let profile = utilization::UsageProfile { level: case.level, read: None };
        let days = utilization::history(case.reservation_id, profile, date(case.purchase), date(case.until), date(case.end));
        let percents: Vec<String> = days.iter().map(|d| d.utilization_percent.to_string()).collect();
        assert_eq!(percents, case.percents, "history of {}", case.reservation_id);
        assert_eq!(days.first().map(|d| d.date), Some(date(case.purchase)), "first day of {}", case.reservation_id);
        let a = utilization::aggregates(&days);
        let shown = |p: Option<rust_decimal::Decimal>| p.map(|p| p.to_string()).unwrap_or_default();
        let aggregates = [shown(a.last1_day), shown(a.last7_days), shown(a.last30_days)];
        assert_eq!(aggregates, case.aggregates, "aggregates of {}", case.reservation_id);
    }
}

/// The whole demo data set as one JSON text (customers, reservations with their usage,
/// ledger, scopes), for [`SEED_DIGEST`].
pub fn seed_json(data: &seed::DemoData) -> String {
    let reservations: Vec<_> = data.reservations.iter().map(|r| (&r.reservation, r.usage)).collect();
    let scopes: Vec<_> = data.scopes.iter().map(|s| (&s.customer_id, s.scope_type, &s.properties)).collect();
    serde_json::json!({
        "customers": data.customers,
        "reservations": reservations,
        "ledger": data.ledger,
        "scopes": scopes,
    })
    .to_string()
}

/// One line of [`SEED_FIRST_ROWS`].
fn seed_row(r: &contract::Reservation) -> String {
    format!(
        "{} {} {} {:?} {:?} {} {} {} {} {} {:?}",
        r.id,
        r.reservation_order_id,
        r.display_name,
        r.term,
        r.billing_plan,
        r.quantity,
        r.purchase_date,
        r.expiry_date,
        r.unit_price.amount,
        r.unit_price.currency.code(),
        r.provisioning_state
    )
}

/// Checks [`SEED_COUNTS`], [`SEED_FIRST_ROWS`] and [`SEED_DIGEST`]; panics naming the first
/// difference.
pub fn check_seed() {
    let data = seed::demo_data(date(SEED_TODAY));
    let counts = [data.customers.len(), data.reservations.len(), data.ledger.len(), data.scopes.len()];
    assert_eq!(counts, SEED_COUNTS, "customers, reservations, ledger entries, scopes");
    let rows: Vec<String> = data.reservations.iter().take(SEED_FIRST_ROWS.len()).map(|r| seed_row(&r.reservation)).collect();
    assert_eq!(rows, SEED_FIRST_ROWS, "the first seeded reservations");
    assert_eq!(hash::of_str(&seed_json(&data)), SEED_DIGEST, "digest of the whole demo data set");
}
