//! The audit log as a hash chain: each entry's hash covers the hash before it and the whole
//! entry (its text, its time and customer columns, which lists and filters read), so an entry
//! edited, removed or put in another place in the store breaks every link after it. Money
//! entries also record the refund-ledger rows they add, so [`verify`] checks that the ledger the
//! limit is computed from holds exactly what the chain records.
//!
//! The stores call [`ChainKey::link`] when they record an entry (inside the entry's transaction,
//! after the previous one) and keep the hash and its [format](FORMAT_TEXT) beside the entry;
//! [`verify`] walks the chain. With a key (`AUDIT_HMAC_KEY`) every link is an HMAC-SHA256, so
//! someone who can write the database but does not know the key cannot re-hash an edited chain.
//! What a chain cannot show by itself: entries cut off at its end. Its `head` (the last hash)
//! and length are reported so an operator can note them elsewhere and compare later.
//!
//! Formats, stored per entry so entries written before a format change verify as they were
//! written and are never re-hashed (which would hide a change made before it):
//! - [`FORMAT_TEXT`] (1): SHA-256 of the previous hash, a line feed and the entry's text.
//!   Only before the first entry of a newer format.
//! - [`FORMAT_PLAIN`] (2): SHA-256 of [`canonical`] (previous hash, time, customer, text).
//! - [`FORMAT_KEYED`] (3): HMAC-SHA256 of [`canonical`] under the key.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use contract::{AuditAction, AuditEntry, AuditLedgerRow, AuditVerification, ChainBreak, LedgerMismatch, LedgerMismatchKind};
use desk_service::limit::LedgerEntry;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Entries of the first format, from before the hash covered the whole row: the text alone hashed with SHA-256.
pub const FORMAT_TEXT: u8 = 1;
/// The whole entry ([`canonical`]) hashed with SHA-256: written when no key is set.
pub const FORMAT_PLAIN: u8 = 2;
/// The whole entry ([`canonical`]) under HMAC-SHA256: written when a key is set.
pub const FORMAT_KEYED: u8 = 3;

/// The `action` of the entries that start covering the refund ledger: one per customer, each
/// recording every ledger row of that customer there is when it is written (the seed's, or an
/// older database's), once per store.
pub const LEDGER_BASELINE: &str = AuditAction::LedgerBaseline.code();

/// One entry as a store keeps it for the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    /// How `hash` was computed: [`FORMAT_TEXT`], [`FORMAT_PLAIN`] or [`FORMAT_KEYED`].
    pub format: u8,
    /// The time column (Unix seconds), what lists are ordered and filtered by.
    pub at: i64,
    /// The customer column, what the per-customer filter reads.
    pub customer_id: Option<String>,
    /// The entry's JSON text, as stored.
    pub body: String,
    /// The stored hash.
    pub hash: String,
}

/// What [`verify`] reads of a store: the chain (oldest first), the whole refund ledger, and
/// the key the store links with.
#[derive(Clone, Debug, Default)]
pub struct AuditChain {
    /// Every audit entry, oldest first.
    pub links: Vec<ChainLink>,
    /// Every refund-ledger row, in any order.
    pub ledger: Vec<AuditLedgerRow>,
    /// The key the store links with.
    pub key: ChainKey,
}

/// The chain's key: none (SHA-256 links) or an HMAC-SHA256 secret. Its `Debug` never shows it.
#[derive(Clone, Default)]
pub struct ChainKey(Option<Arc<[u8]>>);

impl std::fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "ChainKey(<secret>)" } else { "ChainKey(none)" })
    }
}

impl ChainKey {
    /// No key: links are SHA-256 ([`FORMAT_PLAIN`]).
    pub fn none() -> Self {
        Self(None)
    }

    /// Links are HMAC-SHA256 under `secret` ([`FORMAT_KEYED`]); an empty secret is no key.
    pub fn hmac(secret: &[u8]) -> Self {
        Self((!secret.is_empty()).then(|| Arc::from(secret)))
    }

    /// Whether a key is set.
    pub fn is_keyed(&self) -> bool {
        self.0.is_some()
    }

    /// The format this key writes.
    pub fn format(&self) -> u8 {
        if self.is_keyed() { FORMAT_KEYED } else { FORMAT_PLAIN }
    }

    /// The hash of an entry written now (in [`Self::format`]) after the entry whose hash is
    /// `previous`.
    pub fn link(&self, previous: &str, at: i64, customer_id: Option<&str>, body: &str) -> String {
        let message = canonical(previous, at, customer_id, body);
        match &self.0 {
            None => hex(&Sha256::digest(message.as_bytes())),
            Some(secret) => {
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
                mac.update(message.as_bytes());
                hex(&mac.finalize().into_bytes())
            }
        }
    }

    /// HMAC's inner and outer key blocks (the key, hashed when longer than a block, padded to
    /// 64 bytes, XOR 0x36 and 0x5c), for a database that computes the links itself
    /// (PostgreSQL: `sha256(outer || sha256(inner || message))` is HMAC-SHA256); `None` without
    /// a key. As secret as the key.
    pub fn hmac_pads(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let secret = self.0.as_ref()?;
        let mut block = [0u8; 64];
        if secret.len() > 64 {
            block[..32].copy_from_slice(&Sha256::digest(secret));
        } else {
            block[..secret.len()].copy_from_slice(secret);
        }
        Some((block.iter().map(|b| b ^ 0x36).collect(), block.iter().map(|b| b ^ 0x5c).collect()))
    }
}

/// The text a link of format 2 or 3 hashes: a version line, the previous hash, the time column
/// (Unix seconds, decimal), the customer column (`-` when none, else `=` and the ID) and the
/// entry's JSON text, one per line (the JSON last: it has no line feed, and nothing before it
/// can take one from it). Every store builds exactly this, PostgreSQL in SQL
/// (migrations-postgres/0005).
pub fn canonical(previous: &str, at: i64, customer_id: Option<&str>, body: &str) -> String {
    let customer = customer_id.map_or_else(|| "-".to_owned(), |c| format!("={c}"));
    format!("reservation-desk audit v2\n{previous}\n{at}\n{customer}\n{body}")
}

/// The hash of an entry of [`FORMAT_TEXT`]: SHA-256 of `previous`, a line feed and `body`, in
/// lowercase hex (the first chain's link, kept to verify entries written before the hash covered the whole row).
pub fn link_text(previous: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.as_bytes());
    hex(&hasher.finalize())
}

fn hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

/// An entry's `time` (`YYYY-MM-DDTHH:MM:SSZ`, as the desk writes it) in Unix seconds; `None` for
/// any other shape. Read by hand, keeping chrono's parser out of the page's wasm.
pub fn seconds_of(time: &str) -> Option<i64> {
    let b = time.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let n = |from: usize, to: usize| time.get(from..to)?.parse::<u32>().ok();
    let day = NaiveDate::from_ymd_opt(i32::try_from(n(0, 4)?).ok()?, n(5, 7)?, n(8, 10)?)?;
    Some(day.and_hms_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?)?.and_utc().timestamp())
}

/// A ledger row as an audit entry records it.
pub fn ledger_row(entry: &LedgerEntry) -> AuditLedgerRow {
    AuditLedgerRow {
        customer_id: entry.customer_id.clone(),
        date: entry.date,
        amount: entry.amount,
        reservation_id: entry.reservation_id.clone(),
        reservation_order_id: entry.reservation_order_id.clone(),
    }
}

/// The entries that start covering the refund ledger: one per customer (in ID order) with the
/// rows it holds at `at` (the seed's, or an older database's), each naming its customer so a
/// per-customer view shows only that customer's rows; one naming no one when the ledger is
/// empty. Written once by each store (when it is created, or by the step that upgrades it) and by
/// no one else.
pub fn ledger_baselines(at: DateTime<Utc>, ledger: Vec<AuditLedgerRow>) -> Vec<AuditEntry> {
    let mut by_customer: std::collections::BTreeMap<String, Vec<AuditLedgerRow>> = std::collections::BTreeMap::new();
    for row in ledger {
        by_customer.entry(row.customer_id.clone()).or_default().push(row);
    }
    let entry = |customer_id: Option<String>, rows: Vec<AuditLedgerRow>| AuditEntry {
        time: crate::time::timestamp(at),
        actor: "reservation-desk".into(),
        actor_id: None,
        actor_name: None,
        action: LEDGER_BASELINE.into(),
        target: "refundLedger".into(),
        customer_id,
        change: format!(
            "the audit chain covers the refund ledger from here: {} {}",
            rows.len(),
            if rows.len() == 1 { "row" } else { "rows" }
        ),
        detail: Some(contract::ChangeDetail::LedgerBaseline { rows: u32::try_from(rows.len()).unwrap_or(u32::MAX) }),
        ledger: rows,
        ticket_reference: None,
    };
    if by_customer.is_empty() {
        return vec![entry(None, Vec::new())];
    }
    by_customer.into_iter().map(|(customer, rows)| entry(Some(customer), rows)).collect()
}

/// Why `link` (after `previous`, with `newer_seen` when a format-2-or-3 entry came before it)
/// breaks the chain, if it does.
fn broken(link: &ChainLink, previous: &str, newer_seen: bool, key: &ChainKey) -> Option<ChainBreak> {
    match link.format {
        FORMAT_TEXT if newer_seen => Some(ChainBreak::Format),
        FORMAT_TEXT => (link_text(previous, &link.body) != link.hash).then_some(ChainBreak::Hash),
        FORMAT_PLAIN | FORMAT_KEYED => {
            if link.format != key.format() {
                return Some(if key.is_keyed() { ChainBreak::Unkeyed } else { ChainBreak::KeyNeeded });
            }
            if key.link(previous, link.at, link.customer_id.as_deref(), &link.body) != link.hash {
                return Some(ChainBreak::Hash);
            }
            let entry: Option<AuditEntry> = serde_json::from_str(&link.body).ok();
            let agrees = entry.is_some_and(|e| e.customer_id == link.customer_id && seconds_of(&e.time) == Some(link.at));
            (!agrees).then_some(ChainBreak::Columns)
        }
        _ => Some(ChainBreak::Format),
    }
}

/// Whether `chain` is intact: each hash is the link of the hash before it and its own entry
/// under `chain.key` (entries of the first format only before any newer one, and at least one
/// newer one in a chain that has entries: every store writes a [`LEDGER_BASELINE`] once), each
/// entry's columns agree with its text, and the refund ledger holds exactly the rows the
/// chain's entries record. Names the first entry (1 = oldest) that breaks the chain and why,
/// and every ledger row that disagrees.
pub fn verify(chain: &AuditChain) -> AuditVerification {
    let links = &chain.links;
    let mut previous = GENESIS;
    let mut newer_seen = false;
    let mut first_broken = None;
    for (index, link) in links.iter().enumerate() {
        if let Some(why) = broken(link, previous, newer_seen, &chain.key) {
            first_broken = Some((index as u64 + 1, why));
            break;
        }
        newer_seen |= link.format != FORMAT_TEXT;
        previous = &link.hash;
    }
    if first_broken.is_none() && !links.is_empty() && !newer_seen {
        first_broken = Some((1, ChainBreak::Format));
    }
    let ledger_mismatches = compare_ledger(links, &chain.ledger);
    AuditVerification {
        intact: first_broken.is_none() && ledger_mismatches.is_empty(),
        entries: links.len() as u64,
        head: links.last().map_or(GENESIS, |l| l.hash.as_str()).to_owned(),
        first_broken: first_broken.map(|(n, _)| n),
        broken_because: first_broken.map(|(_, why)| why),
        ledger_mismatches,
    }
}

/// The ledger rows the chain records (every entry's `ledger`) against the rows stored: a row
/// recorded and not stored is missing, one stored and not recorded extra, and a missing and an
/// extra row of the same customer, reservation and day are one row edited.
fn compare_ledger(links: &[ChainLink], stored: &[AuditLedgerRow]) -> Vec<LedgerMismatch> {
    let mut unmatched: HashMap<&AuditLedgerRow, usize> = HashMap::new();
    for row in stored {
        *unmatched.entry(row).or_default() += 1;
    }
    let recorded: Vec<AuditLedgerRow> = links
        .iter()
        .filter(|l| l.format != FORMAT_TEXT)
        .filter_map(|l| serde_json::from_str::<AuditEntry>(&l.body).ok())
        .flat_map(|e| e.ledger)
        .collect();
    let mut missing = Vec::new();
    for row in &recorded {
        match unmatched.get_mut(row) {
            Some(n) if *n > 0 => *n -= 1,
            _ => missing.push(row.clone()),
        }
    }
    let mut extra: Vec<AuditLedgerRow> = Vec::new();
    for row in stored {
        if let Some(n) = unmatched.get_mut(row).filter(|n| **n > 0) {
            *n -= 1;
            extra.push(row.clone());
        }
    }
    let same_place = |a: &AuditLedgerRow, b: &AuditLedgerRow| {
        (&a.customer_id, &a.reservation_id, &a.reservation_order_id, a.date) == (&b.customer_id, &b.reservation_id, &b.reservation_order_id, b.date)
    };
    let mut mismatches = Vec::new();
    for row in missing {
        match extra.iter().position(|e| same_place(e, &row)) {
            Some(i) => mismatches.push(LedgerMismatch {
                kind: LedgerMismatchKind::Edited,
                stored: Some(extra.remove(i)),
                recorded: Some(row),
            }),
            None => mismatches.push(LedgerMismatch { kind: LedgerMismatchKind::Missing, recorded: Some(row), stored: None }),
        }
    }
    mismatches.extend(extra.into_iter().map(|row| LedgerMismatch { kind: LedgerMismatchKind::Extra, recorded: None, stored: Some(row) }));
    mismatches
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::{Currency, Money};
    use rust_decimal::Decimal;

    fn entry(customer: Option<&str>, change: &str) -> AuditEntry {
        AuditEntry {
            time: "2026-01-02T03:04:05Z".into(),
            actor: "a@example.com".into(),
            actor_id: None,
            actor_name: None,
            action: "refund".into(),
            target: "t".into(),
            customer_id: customer.map(str::to_owned),
            change: change.into(),
            ledger: Vec::new(),
            ticket_reference: None,
            detail: None,
        }
    }

    /// A chain of `entries` as a store writes it under `key`.
    fn chain(key: &ChainKey, entries: &[AuditEntry]) -> AuditChain {
        let mut previous = GENESIS.to_owned();
        let links = entries
            .iter()
            .map(|e| {
                let body = serde_json::to_string(e).unwrap();
                let at = seconds_of(&e.time).unwrap();
                previous = key.link(&previous, at, e.customer_id.as_deref(), &body);
                ChainLink { format: key.format(), at, customer_id: e.customer_id.clone(), body, hash: previous.clone() }
            })
            .collect();
        let ledger = entries.iter().flat_map(|e| e.ledger.clone()).collect();
        AuditChain { links, ledger, key: key.clone() }
    }

    fn three(key: &ChainKey) -> AuditChain {
        chain(key, &[entry(Some("c1"), "one"), entry(None, "two"), entry(Some("c2"), "three")])
    }

    fn row(amount: i64) -> AuditLedgerRow {
        AuditLedgerRow {
            customer_id: "c1".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
            amount: Money::new(Decimal::new(amount, 2), Currency::USD),
            reservation_id: "r1".into(),
            reservation_order_id: "o1".into(),
        }
    }

    #[test]
    fn the_first_format_is_sha256_of_the_previous_hash_a_line_feed_and_the_text() {
        // printf '%s\n%s' 0000…0000 '{"a":1}' | sha256sum
        assert_eq!(link_text(GENESIS, r#"{"a":1}"#), "f21735afd2cd6af4fc5804b0045cebfd545aef8396d29d030c39cb8880b45b7f");
        assert_ne!(link_text(GENESIS, "a"), link_text(&link_text(GENESIS, "a"), "a"), "the same text after another entry hashes differently");
    }

    #[test]
    fn the_current_format_covers_the_time_and_customer_and_the_key_makes_it_an_hmac() {
        let plain = ChainKey::none();
        let base = plain.link(GENESIS, 10, Some("c"), "{}");
        assert_eq!(base, hex(&Sha256::digest(format!("reservation-desk audit v2\n{GENESIS}\n10\n=c\n{{}}").as_bytes())));
        assert_ne!(base, plain.link(GENESIS, 11, Some("c"), "{}"), "the time is hashed");
        assert_ne!(base, plain.link(GENESIS, 10, Some("d"), "{}"), "the customer is hashed");
        assert_ne!(base, plain.link(GENESIS, 10, None, "{}"));
        assert_ne!(plain.link(GENESIS, 10, None, "{}"), plain.link(GENESIS, 10, Some(""), "{}"), "no customer is not an empty one");
        let keyed = ChainKey::hmac(b"secret");
        assert_ne!(keyed.link(GENESIS, 10, Some("c"), "{}"), base);
        // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(hex(&mac.finalize().into_bytes()), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert_eq!(ChainKey::hmac(b"").format(), FORMAT_PLAIN, "an empty key is no key");
        assert_eq!(format!("{keyed:?}"), "ChainKey(<secret>)", "Debug never shows the key");
    }

    #[test]
    fn the_pads_compute_the_same_hmac_as_the_library_for_short_and_long_keys() {
        for secret in [b"k".to_vec(), vec![7u8; 64], vec![9u8; 100]] {
            let key = ChainKey::hmac(&secret);
            let (inner, outer) = key.hmac_pads().unwrap();
            let message = canonical(GENESIS, 5, None, "{}");
            let inner_digest = Sha256::digest([inner.as_slice(), message.as_bytes()].concat());
            let by_pads = hex(&Sha256::digest([outer.as_slice(), inner_digest.as_slice()].concat()));
            assert_eq!(by_pads, key.link(GENESIS, 5, None, "{}"), "key of {} bytes", secret.len());
        }
        assert_eq!(ChainKey::none().hmac_pads(), None);
    }

    #[test]
    fn times_are_read_exactly_as_the_desk_writes_them() {
        assert_eq!(seconds_of("1970-01-01T00:00:10Z"), Some(10));
        assert_eq!(seconds_of("2026-01-02T03:04:05Z"), Some(1_767_323_045));
        for bad in ["2026-01-02T03:04:05", "2026-01-02 03:04:05Z", "2026-13-02T03:04:05Z", "2026-01-02T03:04:05+00:00"] {
            assert_eq!(seconds_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_intact_chain_reports_its_length_and_head() {
        let chain = three(&ChainKey::none());
        let report = verify(&chain);
        assert!(report.intact, "{report:?}");
        assert_eq!((report.entries, report.first_broken), (3, None));
        assert_eq!(report.head, chain.links[2].hash);
        assert_eq!(verify(&AuditChain::default()).head, GENESIS);
    }

    #[test]
    fn entries_written_before_the_detail_and_entries_with_it_verify_in_one_chain() {
        let key = ChainKey::none();
        // An entry as a desk before the detail wrote it: its text has no `detail`, reads back
        // without one and serializes to the very same text (so it hashes as it was written).
        let old_text = r#"{"time":"2026-01-02T03:04:05Z","actor":"a@example.com","action":"refund","target":"t","customerId":"c1","change":"returned 2 units: quantity 5 → 3; refund 6575.75 USD"}"#;
        let old: AuditEntry = serde_json::from_str(old_text).unwrap();
        assert_eq!(old.detail, None);
        assert_eq!(serde_json::to_string(&old).unwrap(), old_text, "an old entry serializes as it was written");
        let new = AuditEntry {
            detail: Some(contract::ChangeDetail::Refund {
                units: contract::UnitsMoved { quantity_before: 3, quantity_after: 1 },
                refund: Money::new(Decimal::new(657_575, 2), Currency::USD),
                approval: None,
                statement: Vec::new(),
                through_azure: false,
            }),
            ..entry(Some("c1"), "returned 2 units: quantity 3 → 1; refund 6575.75 USD")
        };
        let mut chain = chain(&key, &[old, new.clone(), entry(None, "three")]);
        assert_eq!(chain.links[0].body, old_text);
        assert!(chain.links[1].body.contains(r#""detail":{"kind":"refund""#), "{}", chain.links[1].body);
        let report = verify(&chain);
        assert!(report.intact, "{report:?}");
        // The detail is inside the hash: another figure breaks the chain at that entry.
        chain.links[1].body = chain.links[1].body.replace(r#""6575.75""#, r#""6575.76""#);
        assert_eq!((verify(&chain).first_broken, verify(&chain).broken_because), (Some(2), Some(ChainBreak::Hash)));
    }

    #[test]
    fn an_edited_removed_or_moved_entry_breaks_the_chain_there() {
        let key = ChainKey::none();
        let mut edited = three(&key);
        edited.links[1].body = edited.links[1].body.replace("two", "tw0");
        assert_eq!((verify(&edited).first_broken, verify(&edited).broken_because), (Some(2), Some(ChainBreak::Hash)));

        let mut rehashed = three(&key);
        let l = &rehashed.links[1];
        let body = l.body.replace("two", "tw0");
        rehashed.links[1].hash = key.link(&rehashed.links[0].hash, l.at, None, &body);
        rehashed.links[1].body = body;
        assert_eq!(verify(&rehashed).first_broken, Some(3), "re-hashing the edited entry breaks the next one");

        let mut removed = three(&key);
        removed.links.remove(1);
        assert_eq!(verify(&removed).first_broken, Some(2));

        let mut swapped = three(&key);
        swapped.links.swap(0, 1);
        assert_eq!(verify(&swapped).first_broken, Some(1));
    }

    #[test]
    fn an_edited_customer_or_time_column_breaks_the_chain_there() {
        let mut moved = three(&ChainKey::none());
        moved.links[0].customer_id = Some("c2".into());
        assert_eq!((verify(&moved).first_broken, verify(&moved).broken_because), (Some(1), Some(ChainBreak::Hash)));
        let mut hidden = three(&ChainKey::none());
        hidden.links[2].customer_id = None;
        assert_eq!(verify(&hidden).first_broken, Some(3));
        let mut backdated = three(&ChainKey::none());
        backdated.links[1].at -= 3600;
        assert_eq!(verify(&backdated).first_broken, Some(2));
    }

    #[test]
    fn columns_that_disagree_with_the_text_are_reported_even_when_hashed_so() {
        let key = ChainKey::none();
        let mut chain = three(&key);
        let l = &mut chain.links[0];
        l.customer_id = Some("c9".into());
        l.hash = key.link(GENESIS, l.at, Some("c9"), &l.body);
        let next = chain.links[0].hash.clone();
        let l = &mut chain.links[1];
        l.hash = key.link(&next, l.at, None, &l.body);
        let next = chain.links[1].hash.clone();
        let l = &mut chain.links[2];
        l.hash = key.link(&next, l.at, l.customer_id.as_deref(), &l.body);
        assert_eq!((verify(&chain).first_broken, verify(&chain).broken_because), (Some(1), Some(ChainBreak::Columns)));
    }

    #[test]
    fn with_a_key_a_chain_rewritten_without_it_is_caught() {
        let key = ChainKey::hmac(b"kept secret");
        let keyed = three(&key);
        assert!(verify(&keyed).intact);
        // Someone edits the first entry and re-hashes the whole chain, as plain SHA-256 …
        let entries = vec![entry(Some("c2"), "one"), entry(None, "two"), entry(Some("c2"), "three")];
        let mut forged = chain(&ChainKey::none(), &entries);
        forged.key = key.clone();
        assert_eq!((verify(&forged).first_broken, verify(&forged).broken_because), (Some(1), Some(ChainBreak::Unkeyed)));
        // … or claiming the keyed format, or the first one, without knowing the key.
        for link in &mut forged.links {
            link.format = FORMAT_KEYED;
        }
        assert_eq!((verify(&forged).first_broken, verify(&forged).broken_because), (Some(1), Some(ChainBreak::Hash)));
        let mut previous = GENESIS.to_owned();
        let texts: Vec<ChainLink> = keyed
            .links
            .iter()
            .map(|l| {
                previous = link_text(&previous, &l.body);
                ChainLink { format: FORMAT_TEXT, hash: previous.clone(), ..l.clone() }
            })
            .collect();
        let as_text = AuditChain { links: texts, ledger: Vec::new(), key: key.clone() };
        assert_eq!((verify(&as_text).first_broken, verify(&as_text).broken_because), (Some(1), Some(ChainBreak::Format)));
        // And a keyed chain checked without its key says so.
        let without = AuditChain { key: ChainKey::none(), ..keyed };
        assert_eq!(verify(&without).broken_because, Some(ChainBreak::KeyNeeded));
    }

    #[test]
    fn entries_of_the_first_format_verify_only_before_the_newer_ones() {
        let key = ChainKey::none();
        let first = serde_json::to_string(&entry(None, "old")).unwrap();
        let old = ChainLink { format: FORMAT_TEXT, at: 0, customer_id: None, body: first.clone(), hash: link_text(GENESIS, &first) };
        let mut chain = three(&key);
        let mut links = vec![old.clone()];
        let mut previous = old.hash.clone();
        for l in &chain.links {
            previous = key.link(&previous, l.at, l.customer_id.as_deref(), &l.body);
            links.push(ChainLink { hash: previous.clone(), ..l.clone() });
        }
        chain.links = links;
        assert!(verify(&chain).intact, "{:?}", verify(&chain));
        let tail = chain.links.last().unwrap().hash.clone();
        chain.links.push(ChainLink { format: FORMAT_TEXT, hash: link_text(&tail, &first), ..old });
        assert_eq!((verify(&chain).first_broken, verify(&chain).broken_because), (Some(5), Some(ChainBreak::Format)));
    }

    #[test]
    fn the_ledger_is_checked_against_the_rows_the_chain_records() {
        let key = ChainKey::none();
        let mut refund = entry(Some("c1"), "refund");
        refund.ledger = vec![row(10_000)];
        let at = DateTime::from_timestamp(1_767_323_045, 0).unwrap();
        let baseline = ledger_baselines(at, vec![row(500), row(500)]).remove(0);
        assert_eq!(baseline.customer_id.as_deref(), Some("c1"));
        assert_eq!(ledger_baselines(at, Vec::new())[0].customer_id, None, "an empty ledger: one entry naming no one");
        let chain = chain(&key, &[baseline, refund]);
        assert!(verify(&chain).intact, "{:?}", verify(&chain));

        let mut deleted = chain.clone();
        deleted.ledger.remove(2);
        let report = verify(&deleted);
        assert_eq!((report.intact, report.first_broken), (false, None));
        assert_eq!(report.ledger_mismatches, vec![LedgerMismatch { kind: LedgerMismatchKind::Missing, recorded: Some(row(10_000)), stored: None }]);

        let mut edited = chain.clone();
        edited.ledger[0].amount.amount = Decimal::new(1, 2);
        assert_eq!(
            verify(&edited).ledger_mismatches,
            vec![LedgerMismatch { kind: LedgerMismatchKind::Edited, recorded: Some(row(500)), stored: Some(row(1)) }]
        );

        let mut inserted = chain.clone();
        inserted.ledger.push(AuditLedgerRow { reservation_id: "r2".into(), ..row(7) });
        assert_eq!(verify(&inserted).ledger_mismatches[0].kind, LedgerMismatchKind::Extra);

        let mut same_value = chain;
        same_value.ledger[2].amount.amount = Decimal::new(1_000_000, 4);
        assert!(verify(&same_value).intact, "100.00 and 100.0000 are one amount");
    }
}
