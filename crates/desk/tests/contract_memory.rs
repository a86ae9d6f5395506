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
