//! The desk's half of Azure mode's non-money changes (`desk::desk::through_azure`): a change is
//! checked by local mode's rules and nothing is written; it is recorded only after the adapter
//! has read Azure's result into the store, with a revision of what that read changed and one
//! audit entry naming Azure's answer and the operation's URL.

use contract::reservation::ProvisioningState;
use desk::desk::{AzureChange, AzureConfirmation};
use desk::memory::{InMemory, MemoryStore};
use desk::source::{CustomerSnapshot, SourceStore};
use desk::store::Store;
use desk::suite::{noon, seed_day, Harness, FABRIKAM};
use desk::{Call, Operation};
use desk_service::access::demo_user;
use serde_json::json;

fn call(token: &str) -> Call {
    Call::new(demo_user(token).unwrap(), noon())
}

#[tokio::test]
async fn a_change_is_checked_by_local_rules_and_recorded_only_from_what_azure_left() {
    let h = Harness::new(MemoryStore::new(InMemory::default(), seed_day()));
    let store = h.desk.store();
    let active = h.active(FABRIKAM).await;
    let r = active.iter().find(|r| r["quantity"].as_u64().unwrap_or(0) >= 2).expect("a reservation of two units or more").clone();
    let (order, id, quantity) = (r["reservationOrderId"].as_str().unwrap().to_owned(), r["id"].as_str().unwrap().to_owned(), r["quantity"].as_u64().unwrap() as u32);
    let params = [order.clone()];
    let audit_before = h.get(&format!("/audit?customerId={FABRIKAM}")).await.as_array().unwrap().len();

    // Local mode's rules: quantities that do not add up, a role that may not change.
    let wrong = json!({"reservationId": id, "quantities": [1, quantity]}).to_string();
    let refused = h.desk.check_azure_change(&call("demo-global-admin"), Operation::SplitReservation, &params, Some(&wrong)).await.unwrap_err();
    assert_eq!((refused.status(), refused.problem().field.as_deref()), (400, Some("quantities")));
    let good = json!({"reservationId": id, "quantities": [1, quantity - 1]}).to_string();
    let forbidden = h.desk.check_azure_change(&call("demo-sales-agent"), Operation::SplitReservation, &params, Some(&good)).await.unwrap_err();
    assert_eq!(forbidden.status(), 403);

    let checked = h.desk.check_azure_change(&call("demo-global-admin"), Operation::SplitReservation, &params, Some(&good)).await.unwrap();
    assert!(matches!(&checked.change, AzureChange::Split(s) if s.reservation_id == id && s.quantities == [1, quantity - 1]));
    assert_eq!((checked.customer_id.as_str(), checked.action(), checked.unchanged), (FABRIKAM, "splitReservation", false));
    assert_eq!(checked.expected, format!("split {id} ({quantity} units) into 1 + {}", quantity - 1));
    assert_eq!(h.get(&format!("/audit?customerId={FABRIKAM}")).await.as_array().unwrap().len(), audit_before, "checking writes nothing");
    assert_eq!(h.active(FABRIKAM).await, active, "checking changes nothing");

    // What Azure left, as the adapter's read writes it: the source split, two parts.
    let mut all = store.reservations_of(FABRIKAM).await.unwrap();
    let i = all.iter().position(|(r, _)| r.id == id).unwrap();
    let mut parts = Vec::new();
    for (n, q) in [1, quantity - 1].into_iter().enumerate() {
        let (mut part, usage) = all[i].clone();
        part.id = format!("{id}-azure-{n}");
        part.quantity = q;
        parts.push((part, usage));
    }
    all[i].0.provisioning_state = ProvisioningState::Split;
    all.extend(parts);
    let customer = store.customer(FABRIKAM).await.unwrap().unwrap();
    store.write_snapshot(&CustomerSnapshot { customer, tenant_id: "t-fabrikam".into(), reservations: all, read_at: noon(), unread: Vec::new() }).await.unwrap();

    let azure = AzureConfirmation { status: 200, answer: "parts Succeeded".into(), operation_url: Some("https://management.azure.com/providers/Microsoft.Capacity/operationResults/op-1".into()) };
    h.desk.record_azure_change(&call("demo-global-admin"), &checked, &azure).await.unwrap();
    let entry = h.last_audit(FABRIKAM).await;
    assert_eq!((&entry["action"], &entry["actor"]), (&json!("splitReservation"), &json!("gina.admin@partner.example")));
    let change = entry["change"].as_str().unwrap();
    assert!(change.contains("Azure answered HTTP 200: parts Succeeded; operation https://management.azure.com/providers/Microsoft.Capacity/operationResults/op-1"), "{change}");
    // A revision of each reservation Azure's result changed or added, none of the others.
    let revisions = h.get(&format!("/reservationOrders/{order}/reservations/{id}/revisions")).await;
    assert_eq!(revisions[0]["reservation"]["provisioningState"], "Split", "{revisions}");
    assert_eq!(revisions[0]["action"], "splitReservation");
    let part = h.get(&format!("/reservationOrders/{order}/reservations/{id}-azure-0/revisions")).await;
    assert_eq!((part.as_array().unwrap().len(), &part[0]["action"]), (1, &json!("splitReservation")));
    let other = active.iter().find(|r| r["id"] != json!(id) && r["reservationOrderId"] == json!(order));
    if let Some(other) = other {
        let kept = h.get(&format!("/reservationOrders/{order}/reservations/{}/revisions", other["id"].as_str().unwrap())).await;
        assert_eq!(kept[0]["action"], "purchase", "an untouched reservation gets no revision");
    }
}

#[tokio::test]
async fn a_change_that_changes_nothing_is_not_asked_of_azure() {
    let h = Harness::new(MemoryStore::new(InMemory::default(), seed_day()));
    let r = h.active(FABRIKAM).await[0].clone();
    let params = [r["reservationOrderId"].as_str().unwrap().to_owned(), r["id"].as_str().unwrap().to_owned()];
    let same = json!({"displayName": r["displayName"]}).to_string();
    let checked = h.desk.check_azure_change(&call("demo-global-admin"), Operation::ChangeReservation, &params, Some(&same)).await.unwrap();
    assert!(checked.unchanged, "{checked:?}");
    let renamed = json!({"displayName": "web tier"}).to_string();
    let checked = h.desk.check_azure_change(&call("demo-global-admin"), Operation::ChangeReservation, &params, Some(&renamed)).await.unwrap();
    assert!(!checked.unchanged && checked.expected.contains("web tier"), "{checked:?}");
    let not_a_change = h.desk.check_azure_change(&call("demo-global-admin"), Operation::Return, &params, Some("{}")).await.unwrap_err();
    assert_eq!(not_a_change.status(), 404, "a money move is not checked here");
}
