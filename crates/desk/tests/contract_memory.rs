//! The contract suite against the memory store (the in-browser backend's store over an
//! in-memory document instead of Web Storage), and what only that store promises: a reload
//! (a new store over the same saved document) sees every change.

use chrono::NaiveDate;
use desk::memory::{InMemory, MemoryStore};
use desk::suite::{noon, seed_day, Harness, FABRIKAM};

async fn open(seed_day: NaiveDate) -> MemoryStore<InMemory> {
    MemoryStore::new(InMemory::default(), seed_day)
}

desk::contract_suite!(open);

#[tokio::test]
async fn a_reload_sees_every_change_and_a_fresh_storage_is_seeded() {
    let h = Harness::new(open(seed_day()).await);
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(h.submit_at(noon(), &r, &session["sessionId"]).await.0, 200);
    let saved = desk::memory::Persist::load(h.desk.store().persist()).expect("saved");
    let reloaded = InMemory::default();
    desk::memory::Persist::save(&reloaded, &saved).unwrap();
    let again = Harness::new(MemoryStore::new(reloaded, seed_day()));
    assert_eq!(again.active(FABRIKAM).await, h.active(FABRIKAM).await);
    assert_eq!(again.last_audit(FABRIKAM).await["action"], "refund");
    let fresh = Harness::new(open(seed_day()).await);
    assert_ne!(fresh.active(FABRIKAM).await, h.active(FABRIKAM).await, "a new storage starts from the seed");
}

#[tokio::test]
async fn the_customer_list_reads_the_same_before_and_after_the_document_is_saved() {
    use desk::Store;
    let store = open(seed_day()).await;
    // Nothing saved: the list comes from the seed without reading or writing a document.
    let before = store.customers().await.unwrap();
    assert!(desk::memory::Persist::load(store.persist()).is_none(), "listing saved nothing");
    assert!(before.iter().all(|c| c.reservation_count >= 6), "{before:?}");
    // A change saves the whole document; the list reads only its customers and reservations.
    let h = Harness::new(store);
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(h.submit_at(noon(), &r, &session["sessionId"]).await.0, 200);
    assert!(desk::memory::Persist::load(h.desk.store().persist()).is_some());
    assert_eq!(h.desk.store().customers().await.unwrap(), before);
    for customer in &before {
        assert_eq!(h.desk.store().customer(&customer.id).await.unwrap().as_ref(), Some(customer));
    }
}

/// The saved document, edited by `edit` as someone with the page's storage could, saved back.
fn tamper(store: &MemoryStore<InMemory>, edit: impl FnOnce(&mut serde_json::Value)) {
    let saved = desk::memory::Persist::load(store.persist()).expect("saved");
    let mut document: serde_json::Value = serde_json::from_str(&saved).unwrap();
    edit(&mut document);
    desk::memory::Persist::save(store.persist(), &document.to_string()).unwrap();
}

/// A return, so the document is saved with a refund entry that records its ledger row.
async fn returned() -> Harness<MemoryStore<InMemory>> {
    let h = Harness::new(open(seed_day()).await);
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(h.submit_at(noon(), &r, &session["sessionId"]).await.0, 200);
    assert_eq!(h.get("/audit/verify").await["intact"], true);
    h
}

#[tokio::test]
async fn an_edited_customer_or_time_or_a_deleted_ledger_row_in_the_saved_document_is_reported() {
    // The in-browser store: the same chain as the server's stores.
    let h = returned().await;
    // Entries 1 and 2 record the seed's ledger (Contoso's, Fabrikam's); 3 is the refund.
    tamper(h.desk.store(), |d| d["audit"][2]["customerId"] = "someone-else".into());
    let report = h.get("/audit/verify").await;
    assert_eq!((report["intact"].as_bool(), report["firstBroken"].as_u64(), report["brokenBecause"].as_str()), (Some(false), Some(3), Some("hash")), "{report}");

    let h = returned().await;
    tamper(h.desk.store(), |d| d["audit"][2]["time"] = "2026-03-02T11:00:00Z".into());
    assert_eq!(h.get("/audit/verify").await["firstBroken"], 3);

    let h = returned().await;
    let counted = h.consumed(FABRIKAM).await;
    tamper(h.desk.store(), |d| {
        let ledger = d["ledger"].as_array_mut().unwrap();
        let last = ledger.iter().rposition(|e| e["customer_id"] == FABRIKAM).unwrap();
        ledger.remove(last);
    });
    let report = h.get("/audit/verify").await;
    assert_eq!((report["intact"].as_bool(), report.get("firstBroken")), (Some(false), None), "{report}");
    assert_eq!(report["ledgerMismatches"][0]["kind"], "missing", "{report}");
    assert_eq!(report["ledgerMismatches"][0]["recorded"]["customerId"], FABRIKAM, "{report}");
    assert!(h.consumed(FABRIKAM).await < counted, "the limit no longer counts the refund: what verify now reports");
}

#[tokio::test]
async fn a_document_saved_before_issue_33_verifies_as_written_and_covers_its_ledger_once() {
    // A document as the previous version saved it: entries hashed in the first format (the text
    // alone), no formats, no ledger entry.
    let h = returned().await;
    tamper(h.desk.store(), |d| {
        let entries: Vec<serde_json::Value> = d["audit"].as_array().unwrap()[2..].to_vec();
        let mut previous = desk::audit_chain::GENESIS.to_owned();
        let hashes: Vec<String> = entries
            .iter()
            .map(|e| {
                let mut e: contract::AuditEntry = serde_json::from_value(e.clone()).unwrap();
                e.ledger.clear();
                previous = desk::audit_chain::link_text(&previous, &serde_json::to_string(&e).unwrap());
                previous.clone()
            })
            .collect();
        let entries: Vec<serde_json::Value> = entries.into_iter().map(|mut e| { e.as_object_mut().unwrap().remove("ledger"); e }).collect();
        d["audit"] = entries.into();
        d["auditHashes"] = hashes.into();
        let object = d.as_object_mut().unwrap();
        object.remove("auditFormats");
        object.remove("ledgerCovered");
    });
    let report = h.get("/audit/verify").await;
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(3)), "{report}");
    let all = h.get("/audit").await;
    assert_eq!(all[0]["action"], "ledgerBaseline", "the old refund first, then the entry covering the ledger: {all}");
    // An old entry edited is still caught, under the old rule.
    tamper(h.desk.store(), |d| d["audit"][0]["change"] = "nothing happened".into());
    assert_eq!(h.get("/audit/verify").await["firstBroken"], 1);
}

#[tokio::test]
async fn the_saved_document_keeps_only_the_sessions_of_the_last_twenty_minutes() {
    use chrono::Duration;
    let h = Harness::new(open(seed_day()).await);
    let r = h.active(FABRIKAM).await[0].clone();
    // A partner quoting on and on: one refund quote every 30 seconds for 100 minutes.
    for i in 0..200 {
        let (status, calc) = h.calculate_at(noon() + Duration::seconds(30 * i), &r, 1).await;
        assert_eq!(status, 200, "{calc}");
    }
    let saved = desk::memory::Persist::load(h.desk.store().persist()).expect("saved");
    let document: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let kept = document["refundSessions"].as_array().unwrap().len();
    // Live 10 minutes, kept 10 more: the quotes of the last 1,200 seconds, 41 of the 200.
    assert_eq!(kept, 41, "sessions kept");
    println!("200 refund quotes over 100 minutes: {kept} sessions kept, document {} bytes", saved.len());
}

#[tokio::test]
async fn azure_snapshots_replace_a_customers_reservations_and_failures_keep_them() {
    desk::source::check::snapshots_replace_and_failures_keep(&open(seed_day()).await).await;
    desk::gdap::check::gdap_reads_replace_and_failures_keep(&open(seed_day()).await).await;
    desk::source::check::directory_words_are_kept_through_reads(&open(seed_day()).await).await;
}

#[tokio::test]
async fn a_tenants_consent_is_claimed_by_one_run_at_a_time() {
    desk::source::check::consent_claims_hold_once_per_tenant(&open(seed_day()).await).await;
}

#[tokio::test]
async fn azure_returns_are_claimed_once_and_recorded_with_their_operation() {
    desk::suite::upstream_store::operations_are_claimed_once(&open(seed_day()).await).await;
}

#[tokio::test]
async fn worklist_marks_are_kept_and_the_book_is_read_whole() {
    desk::worklist::check::marks_are_kept_replaced_audited_and_forgotten(&open(seed_day()).await).await;
    desk::worklist::check::the_book_is_every_customers_reservations_and_ledgers(&open(seed_day()).await).await;
}

#[tokio::test]
async fn pricing_histories_are_kept_apart_in_order_and_audited() {
    desk::pricing::check::pricing_histories_are_kept_apart_in_order_and_audited(&open(seed_day()).await).await;
}
