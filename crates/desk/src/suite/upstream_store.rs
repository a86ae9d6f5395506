//! The behaviour every [`UpstreamStore`](crate::upstream::UpstreamStore) shows: run by the memory
//! store's tests and each SQL store's.

use chrono::{DateTime, Utc};
use quote_engine::api::RefundQuoteResponse;
use quote_engine::Money;

use crate::upstream::*;
use crate::source::{CustomerSnapshot, SourceStore};
use crate::store::{Decision, Move, RefundRecord, RefundSession, ReturnView, ReturnWrite, Store};
use quote_engine::Currency;
use rust_decimal::Decimal;

fn usd(n: i64) -> Money {
    Money::new(Decimal::from(n), Currency::USD)
}

fn quote() -> RefundQuoteResponse {
    let reservation = serde_json::from_value(serde_json::json!({
        "reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-01-10",
        "quantity": 3, "unitPrice": {"amount": "1000", "currencyCode": "USD"}, "hasUsage": true
    }))
    .expect("a reservation");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let request = quote_engine::api::RefundQuoteRequest { policy: quote_engine::PolicyName::DEFAULT, as_of, reservation, quantity: 1, prior_refunds: Vec::new() };
    quote_engine::api::refund(&request).expect("a quote")
}

/// An operation as a test keeps it: a return of one unit of `o-azure`/`r-up` of `c-up`.
pub fn operation(id: &str, session: &str, at: DateTime<Utc>) -> UpstreamOperation {
    let azure = AzureRefund {
        session_id: format!("azure-{session}"),
        quantity: 1,
        billing_refund_amount: usd(10),
        pricing_refund_amount: usd(10),
        consumed_refunds_total: usd(0),
        max_refund_limit: usd(50_000),
        policy_errors: Vec::new(),
    };
    let quote = quote();
    let check = crate::desk::check_of(&quote, &azure);
    UpstreamOperation {
        id: id.into(),
        kind: "return".into(),
        desk_session_id: session.into(),
        azure_session_id: azure.session_id.clone(),
        tenant_id: "t-up".into(),
        state: UpstreamState::Quoted,
        poll: None,
        requested_by: None,
        last_error: None,
        detail: Detail::Return(Box::new(ReturnDetail {
            order_id: "o-azure".into(),
            reservation_id: "r-up".into(),
            customer_id: "c-up".into(),
            quantity: 1,
            quantity_before: None,
            quote,
            azure,
            check,
            reason: String::new(),
            note: String::new(),
            approvers: None,
            ticket_reference: None,
        })),
        created_at: at,
        updated_at: at,
    }
}

/// Quoted, claimed once, sent with its URL, failed with its reason, the unfinished listed; a
/// confirmed return written with its operation marked, once.
pub async fn operations_are_claimed_once<S: Store + SourceStore + UpstreamStore>(store: &S) {
    let at = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").unwrap().with_timezone(&Utc);
    let op = operation("op-1", "s-1", at);
    let returned = op.detail.returned().expect("a return").clone();
    let session = |id: &str| RefundSession {
        id: id.into(),
        order_id: "o-azure".into(),
        reservation_id: "r-up".into(),
        policy: quote_engine::PolicyName::DEFAULT,
        quote: returned.quote.clone(),
        created_at: at,
        expires_at: at + chrono::TimeDelta::minutes(10),
    };
    store.save_refund_session(&session("s-1"), at).await.unwrap();
    let long_ago = at - chrono::TimeDelta::days(2);
    let old = UpstreamOperation { created_at: long_ago, updated_at: long_ago, ..operation("op-old", "s-old", long_ago) };
    store.save_upstream(&old, long_ago).await.unwrap();
    store.save_upstream(&op, at - chrono::TimeDelta::days(1)).await.unwrap();
    assert_eq!(store.upstream_of_session("s-1").await.unwrap(), Some(op.clone()));
    assert_eq!(store.upstream_of_session("s-old").await.unwrap(), None, "a quote whose session is long gone is purged");
    // The session's quote asked of Azure again (an approval's) replaces the quoted one.
    let again = UpstreamOperation { id: "op-1b".into(), azure_session_id: "azure-again".into(), ..op.clone() };
    store.save_upstream(&again, long_ago).await.unwrap();
    assert_eq!(store.upstream_of_session("s-1").await.unwrap(), Some(again));
    assert!(store.save_upstream(&op, long_ago).await.unwrap());
    assert_eq!(store.upstream_of_session("s-1").await.unwrap(), Some(op.clone()));
    assert_eq!(store.upstream_of_session("nobody").await.unwrap(), None);
    assert!(store.unfinished_upstream().await.unwrap().is_empty(), "a quote is not unfinished");

    let detail = Detail::Return(Box::new(ReturnDetail { reason: "too many".into(), quantity_before: Some(3), ..returned.clone() }));
    let later = at + chrono::TimeDelta::seconds(5);
    assert!(!store.claim_upstream("op-1b", "bob@partner.example", &detail, later).await.unwrap(), "a quote replaced since is not claimed");
    assert!(store.claim_upstream("op-1", "ann@partner.example", &detail, later).await.unwrap());
    assert!(!store.claim_upstream("op-1", "bob@partner.example", &detail, later).await.unwrap(), "claimed once");
    let late = UpstreamOperation { id: "op-1c".into(), azure_session_id: "azure-late".into(), ..op.clone() };
    assert!(!store.save_upstream(&late, long_ago).await.unwrap(), "a quote asked while another request carries the move is not kept");
    assert_eq!(store.upstream_of_session("s-1").await.unwrap().map(|o| o.id), Some("op-1".to_owned()), "the claimed one stays");
    let claimed = store.upstream_of_session("s-1").await.unwrap().unwrap();
    assert_eq!((claimed.state, claimed.requested_by.as_deref(), claimed.detail.returned().map(|d| d.reason.as_str())), (UpstreamState::Asked, Some("ann@partner.example"), Some("too many")));
    assert_eq!((claimed.created_at, claimed.updated_at), (at, later));

    let poll = PollAt { url: "https://management.azure.com/providers/Microsoft.Capacity/operationResults/1".into(), kind: "location".into(), wait_seconds: 0 };
    store.set_upstream("op-1", UpstreamState::Sent, Some(&poll), None, later).await.unwrap();
    // A day later a new session's save purges expired ones, but not one Azure is carrying out.
    store.save_refund_session(&session("s-2"), at + chrono::TimeDelta::days(1)).await.unwrap();
    let other = operation("op-2", "s-2", at);
    store.save_upstream(&other, long_ago).await.unwrap();
    assert!(store.claim_upstream("op-2", "bob@partner.example", &other.detail, later).await.unwrap());
    let unfinished = store.unfinished_upstream().await.unwrap();
    assert_eq!(unfinished.iter().map(|o| (o.id.as_str(), o.state)).collect::<Vec<_>>(), vec![("op-1", UpstreamState::Sent), ("op-2", UpstreamState::Asked)]);
    assert_eq!(unfinished[0].poll.as_ref().map(|p| (p.url.as_str(), p.kind.as_str())), Some((poll.url.as_str(), "location")));

    store.set_upstream("op-2", UpstreamState::Failed, None, Some("RefundLimitExceeded (HTTP 400): over the limit"), later).await.unwrap();
    let failed = store.upstream_of_session("s-2").await.unwrap().unwrap();
    assert_eq!((failed.state, failed.last_error.as_deref()), (UpstreamState::Failed, Some("RefundLimitExceeded (HTTP 400): over the limit")));
    assert_eq!(store.unfinished_upstream().await.unwrap().len(), 1);

    // Confirmed: the return written (units, refund) and the operation marked, together.
    let r: contract::Reservation = serde_json::from_value(serde_json::json!({
        "id": "r-up", "reservationOrderId": "o-azure", "customerId": "c-up", "displayName": "r-up",
        "skuName": "Standard_D2s_v3", "location": "westeurope", "reservedResourceType": "VirtualMachines",
        "quantity": 3, "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-01-10", "expiryDate": "2027-01-10",
        "unitPrice": {"amount": "0", "currencyCode": "USD"}, "appliedScopeType": "Shared",
        "provisioningState": "Succeeded", "renew": false,
        "utilization": {"last1Day": "0", "last7Days": "0", "last30Days": "0"}
    }))
    .expect("a reservation");
    let customer = contract::Customer { id: "c-up".into(), name: "Up".into(), domain: "up.onmicrosoft.com".into(), reservation_count: 0 };
    let usage = desk_service::utilization::UsageProfile { level: Some(50), read: None };
    store.write_snapshot(&CustomerSnapshot { customer, tenant_id: "t-up".into(), reservations: vec![(r, usage)], read_at: at, unread: Vec::new() }).await.unwrap();
    let response = contract::ReturnResponse { refund_id: "refund-1".into(), session_id: "s-1".into(), quote: returned.quote.clone(), remaining_quantity: 2 };
    let entry = desk_service::limit::LedgerEntry {
        customer_id: "c-up".into(),
        date: later.date_naive(),
        amount: usd(10),
        reservation_id: "r-up".into(),
        reservation_order_id: "o-azure".into(),
    };
    let moved = Move {
        order_id: "o-azure".into(),
        reservation_id: "r-up".into(),
        action: contract::AuditAction::Refund.code().into(),
        time: "2026-11-25T10:00:05Z".into(),
        actor: "ann@partner.example".into(),
        change: "returned 1 unit through Azure: quantity 3 → 2".into(),
        quantity_before: 3,
        quantity: 2,
        state: contract::ProvisioningState::Succeeded,
        ticket_reference: Some("CHG-7".into()),
        detail: None,
    };
    let write = ReturnWrite {
        moved: moved.clone(),
        remaining_quantity: 2,
        state: contract::ProvisioningState::Succeeded,
        ledger_entry: Some(entry.clone()),
        refund: RefundRecord { response: response.clone(), order_id: "o-azure".into(), reservation_id: "r-up".into(), customer_id: "c-up".into(), reason: "too many".into(), at: later },
        audit: contract::AuditEntry {
            time: "2026-11-25T10:00:05Z".into(),
            actor: "ann@partner.example".into(),
            actor_id: None,
            actor_name: None,
            action: contract::AuditAction::Refund.code().into(),
            target: "reservationOrders/o-azure/reservations/r-up".into(),
            customer_id: Some("c-up".into()),
            change: "returned 1 unit through Azure".into(),
            ledger: vec![crate::audit_chain::ledger_row(&entry)],
            ticket_reference: None,
            detail: None,
        },
    };
    assert!(store.finish_upstream("op-1", Confirmed::Return(&write)).await.unwrap());
    assert_eq!(store.upstream_of_session("s-1").await.unwrap().unwrap().state, UpstreamState::Succeeded);
    assert_eq!(store.reservation("o-azure", "r-up").await.unwrap().map(|(r, _)| r.quantity), Some(2));
    let answered = store.return_reservation("s-1", |view: ReturnView| Ok(Decision::<ReturnWrite, _>::Answer(view.completed))).await.unwrap();
    assert_eq!(answered, Some(response));
    assert_eq!(store.ledger("c-up").await.unwrap(), vec![entry]);
    assert_eq!(store.moves_of("o-azure", "r-up").await.unwrap(), vec![moved], "the refund kept for the reservation's History");
    assert!(!store.finish_upstream("op-1", Confirmed::Return(&write)).await.unwrap(), "a succeeded one is not written again");
    assert!(store.finish_upstream("op-2", Confirmed::Return(&write)).await.unwrap(), "a failed one Azure confirmed after all is marked");
    assert_eq!(store.upstream_of_session("s-2").await.unwrap().unwrap().state, UpstreamState::Succeeded);
    store.set_upstream("op-1", UpstreamState::Failed, None, Some("late"), later).await.unwrap();
    assert_eq!(store.upstream_of_session("s-1").await.unwrap().unwrap().state, UpstreamState::Succeeded, "a recorded one stays recorded");
    assert_eq!(store.audit(Some("c-up"), 10).await.unwrap().iter().filter(|e| e.action == "refund").count(), 1);
    assert!(store.unfinished_upstream().await.unwrap().is_empty());
}
