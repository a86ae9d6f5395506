//! Azure mode: the partner's GDAP relationships with each customer, as the last read of
//! Microsoft Graph listed them, kept per customer. Written with each full read of Azure, for
//! every customer at once; a read of Graph that failed keeps the relationships read before and
//! says why. No rule lives here: which relationship matters, and what it means for the tenant,
//! is `desk_service::gdap` and `desk_service::readiness`.

use chrono::{DateTime, Utc};
use contract::gdap::{GdapRelationship, GdapStatus};
use contract::source::SourceError;

use crate::store::StoreResult;

/// What a store keeps of Graph's answers.
#[allow(async_fn_in_trait)]
pub trait GdapStore {
    /// Replaces each customer's GDAP status with the one in `statuses`, in one transaction
    /// (a customer not in `statuses` keeps its own).
    async fn write_gdap(&self, statuses: &[GdapStatus]) -> StoreResult<()>;
    /// Every customer's GDAP status, in one read (the readiness table, the alerts).
    async fn gdap_statuses(&self) -> StoreResult<Vec<GdapStatus>>;
    /// The customer's GDAP status, `None` when Graph was never asked about it.
    async fn gdap_status(&self, customer_id: &str) -> StoreResult<Option<GdapStatus>>;
}

/// The status a read of Graph leaves for `customer_id`: its `relationships`, read `at`.
pub fn read(customer_id: &str, relationships: Vec<GdapRelationship>, at: DateTime<Utc>) -> GdapStatus {
    GdapStatus { customer_id: customer_id.to_owned(), relationships, read_at: Some(crate::source::instant_text(at)), error: None }
}

/// The status a failed read of Graph leaves: what the read before listed (and when), and why
/// this one failed.
pub fn failed(previous: Option<GdapStatus>, customer_id: &str, error: &SourceError) -> GdapStatus {
    let (relationships, read_at) = previous.map(|p| (p.relationships, p.read_at)).unwrap_or_default();
    GdapStatus { customer_id: customer_id.to_owned(), relationships, read_at, error: Some(error.clone()) }
}

/// The behaviour every [`GdapStore`] shows (feature `suite`): run by the memory store's tests
/// and each SQL store's.
#[cfg(feature = "suite")]
pub mod check {
    use super::*;
    use crate::source::{CustomerSnapshot, SourceStore};
    use contract::Customer;

    fn relationship(id: &str, tenant: &str, status: &str) -> GdapRelationship {
        GdapRelationship {
            id: id.into(),
            display_name: format!("{id} relationship"),
            customer_tenant_id: tenant.into(),
            status: status.into(),
            end_date_time: Some("2027-02-10T11:24:42.3148266Z".into()),
            duration: Some("P730D".into()),
            auto_extend_duration: Some("PT0S".into()),
            roles: vec!["62e90394-69f5-4237-9190-012177145e10".into(), "729827e3-9c14-49f7-bb1b-9608f156bbb8".into()],
        }
    }

    /// A read replaces each customer's relationships; a failure keeps them and says why; a
    /// customer left out keeps its own.
    pub async fn gdap_reads_replace_and_failures_keep<S: GdapStore + SourceStore>(store: &S) {
        let at = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
        for (id, tenant) in [("c-gdap", "t-gdap"), ("c-none", "t-none")] {
            let customer = Customer { id: id.into(), name: id.into(), domain: format!("{id}.onmicrosoft.com"), reservation_count: 0 };
            store.write_snapshot(&CustomerSnapshot { customer, tenant_id: tenant.into(), reservations: vec![], read_at: at, unread: vec![] }).await.unwrap();
        }
        assert_eq!(store.gdap_status("c-gdap").await.unwrap(), None, "never asked");
        let first = vec![read("c-gdap", vec![relationship("r1", "t-gdap", "active"), relationship("r0", "t-gdap", "expired")], at), read("c-none", vec![], at)];
        store.write_gdap(&first).await.unwrap();
        assert_eq!(store.gdap_status("c-gdap").await.unwrap().as_ref(), Some(&first[0]), "kept exactly, in Graph's order");
        let mut all = store.gdap_statuses().await.unwrap();
        all.sort_by(|a, b| a.customer_id.cmp(&b.customer_id));
        assert_eq!(all, vec![first[0].clone(), first[1].clone()]);

        let later = at + chrono::TimeDelta::minutes(15);
        store.write_gdap(&[read("c-gdap", vec![relationship("r2", "t-gdap", "active")], later)]).await.unwrap();
        let kept = store.gdap_status("c-gdap").await.unwrap().unwrap();
        assert_eq!((kept.relationships.len(), kept.relationships[0].id.as_str(), kept.read_at.as_deref()), (1, "r2", Some("2026-11-25T10:15:00Z")));
        assert_eq!(store.gdap_status("c-none").await.unwrap().as_ref(), Some(&first[1]), "a customer left out keeps its own");

        let error = SourceError {
            code: "Authorization_RequestDenied".into(),
            message: "Insufficient privileges to complete the operation.".into(),
            status: Some(403),
            at: "2026-11-25T10:30:00Z".into(),
            request: contract::source::AzureRequestIds { client_request_id: Some("desk-1".into()), request_id: Some("graph-1".into()), correlation_id: None },
        };
        store.write_gdap(&[failed(Some(kept.clone()), "c-gdap", &error)]).await.unwrap();
        let after = store.gdap_status("c-gdap").await.unwrap().unwrap();
        assert_eq!((after.relationships, after.read_at, after.error), (kept.relationships, kept.read_at, Some(error)), "the relationships read before stay, with why");
    }
}
