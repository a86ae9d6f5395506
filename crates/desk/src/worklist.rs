//! What a store keeps for the partner's worklist: the team's state on its rows (open, snoozed,
//! done, with an owner and a note), and the whole book in one read, so the list over hundreds
//! of customers is a handful of queries rather than a few per customer. No rule lives here:
//! which rows there are is `desk_service::worklist`.

use chrono::{DateTime, Utc};
use contract::{AuditEntry, WorkMark};
use desk_service::limit::LedgerEntry;

use crate::store::{StoreResult, Stored};

/// The worklist's port.
#[allow(async_fn_in_trait)]
pub trait WorklistStore {
    /// Every row's state the team set (one per row ID).
    async fn work_marks(&self) -> StoreResult<Vec<WorkMark>>;
    /// Sets the state of row `mark.id` (replacing the one before) and records `audit`, in one
    /// transaction.
    async fn set_work_mark(&self, mark: &WorkMark, at: DateTime<Utc>, audit: &AuditEntry) -> StoreResult<()>;
    /// Forgets the states of rows `ids` (their cause is gone); unknown IDs are ignored.
    async fn forget_work_marks(&self, ids: &[String]) -> StoreResult<()>;
    /// Every customer's reservations with their usage, in one read.
    async fn book(&self) -> StoreResult<Vec<Stored>>;
    /// Every customer's refund ledger, in one read.
    async fn ledgers(&self) -> StoreResult<Vec<LedgerEntry>>;
}

/// The behaviour every [`WorklistStore`] shows (feature `suite`): run by the memory store's
/// tests and each SQL store's.
#[cfg(feature = "suite")]
pub mod check {
    use super::*;
    use crate::store::Store;
    use contract::{WorkMarked, WorkState};

    fn mark(id: &str, customer: &str, state: WorkState, note: Option<&str>) -> WorkMark {
        WorkMark {
            id: id.into(),
            customer_id: customer.into(),
            state,
            snoozed_until: (state == WorkState::Snoozed).then(|| "2026-12-07".parse().unwrap()),
            owner: Some("adam.agent@partner.example".into()),
            note: note.map(str::to_owned),
            marked: WorkMarked { by: "adam.agent@partner.example".into(), at: "2026-11-27T10:00:00Z".into() },
        }
    }

    fn audit(target: &str) -> AuditEntry {
        AuditEntry {
            time: "2026-11-27T10:00:00Z".into(),
            actor: "adam.agent@partner.example".into(),
            actor_id: None,
            actor_name: None,
            action: contract::AuditAction::MarkWorkItem.code().into(),
            target: target.into(),
            customer_id: None,
            change: "marked".into(),
            ledger: Vec::new(),
            ticket_reference: None,
            detail: None,
        }
    }

    /// A mark is kept exactly, replaced by the next for the same row, audited with each write,
    /// and forgotten on request (others kept).
    pub async fn marks_are_kept_replaced_audited_and_forgotten<S: WorklistStore + Store>(store: &S) {
        let at = DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z").unwrap().with_timezone(&Utc);
        assert!(store.work_marks().await.unwrap().is_empty());
        let before = store.audit(None, 1000).await.unwrap().len();
        let snoozed = mark("underused:c1:r1", "c1", WorkState::Snoozed, Some("Asked the customer — 2 lines\nsecond line"));
        store.set_work_mark(&snoozed, at, &audit("worklist/underused:c1:r1")).await.unwrap();
        let other = mark("refundLimit:c2", "c2", WorkState::Done, None);
        store.set_work_mark(&other, at, &audit("worklist/refundLimit:c2")).await.unwrap();
        let mut all = store.work_marks().await.unwrap();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(all, vec![other.clone(), snoozed.clone()], "kept exactly");

        let done = mark("underused:c1:r1", "c1", WorkState::Done, None);
        store.set_work_mark(&done, at, &audit("worklist/underused:c1:r1")).await.unwrap();
        let mut all = store.work_marks().await.unwrap();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(all, vec![other.clone(), done], "replaced, not added");
        assert_eq!(store.audit(None, 1000).await.unwrap().len(), before + 3, "each write audited");

        store.forget_work_marks(&["underused:c1:r1".into(), "nothing:here".into()]).await.unwrap();
        assert_eq!(store.work_marks().await.unwrap(), vec![other]);
    }

    /// The book in one read is every customer's reservations and ledgers, as the per-customer
    /// reads give them.
    pub async fn the_book_is_every_customers_reservations_and_ledgers<S: WorklistStore + Store>(store: &S) {
        let mut per_customer = Vec::new();
        let mut ledgers = Vec::new();
        for c in store.customers().await.unwrap() {
            per_customer.extend(store.reservations_of(&c.id).await.unwrap().into_iter().map(|(r, _)| r.id));
            ledgers.extend(store.ledger(&c.id).await.unwrap().into_iter().map(|e| (e.customer_id, e.reservation_id, e.date)));
        }
        let mut book: Vec<String> = store.book().await.unwrap().into_iter().map(|(r, _)| r.id).collect();
        let mut all: Vec<_> = store.ledgers().await.unwrap().into_iter().map(|e| (e.customer_id, e.reservation_id, e.date)).collect();
        for list in [&mut per_customer, &mut book] {
            list.sort();
        }
        ledgers.sort();
        all.sort();
        assert!(!book.is_empty());
        assert_eq!(book, per_customer);
        assert_eq!(all, ledgers);
    }
}
