//! In Azure mode the customer's Savings plans tab (`GET /api/customers/{id}/savingsPlans`) lists
//! the savings plans the customer holds in Azure (Microsoft.BillingBenefits 2022-11-01; the
//! stand-in in `azure_stand_ins/billing_benefits.rs`, written from Microsoft's published
//! examples), read with the book: every page, each renewing plan's renewal asked with
//! `$expand=renewProperties`, a plan that cannot be read left out and the others listed, a figure
//! Azure did not give absent. A refused read is the tab's answer, with Azure's code, message and
//! request IDs, never the desk's own records. Without a read kept (after a start) the tab reads
//! the tenant then, on behalf of the signed-in user.

use crate::azure_desk;
use crate::azure_stand_ins;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::savings_plan;
use serde_json::{json, Value};

const PATH: &str = "/api/customers/contoso/savingsPlans";

/// Contoso holds three plans (a page and a half), one renewing, one Azure lists in a shape the
/// specification does not give; Fabrikam one of its own.
fn hold_plans(d: &Desk) {
    let renewing = savings_plan(
        "order-sp1", "plan-1", "Contoso compute 3y", 1.25, "USD", "P3Y", true, "2026-02-01T10:00:00Z", "2029-02-01T10:00:00Z",
        &[(1.0, 100.0), (7.0, 84.5), (30.0, 83.87)], Some("Contoso compute 3y renewed"),
    );
    let quiet = savings_plan("order-sp2", "plan-2", "Contoso compute 1y", 0.5, "USD", "P1Y", false, "2026-05-01T00:00:00Z", "2027-05-01T00:00:00Z", &[(7.0, 12.0)], None);
    let mut bad = savings_plan("order-sp3", "plan-3", "Contoso broken", 2.0, "USD", "P1Y", false, "2026-03-01T00:00:00Z", "2027-03-01T00:00:00Z", &[], None);
    bad["properties"]["expiryDateTime"] = json!("next March");
    let fabrikam = savings_plan("order-sp9", "plan-9", "Fabrikam plan", 9.0, "EUR", "P1Y", false, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", &[], None);
    d.stand_ins.savings_plans(|s| {
        s.held.push(("tenant-contoso".into(), renewing));
        s.held.push(("tenant-contoso".into(), bad));
        s.held.push(("tenant-contoso".into(), quiet));
        s.held.push(("tenant-fabrikam".into(), fabrikam));
    });
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|p| p["id"] == id).unwrap_or(&Value::Null)
}

#[tokio::test]
async fn the_tab_lists_azures_plans_with_their_figures_read_with_the_book_a_bad_one_left_out() {
    let d = desk_with(contract::Settings::default()).await;
    hold_plans(&d);
    read(&d).await;
    let asked_by_the_read = d.stand_ins.savings_plans(|s| s.requests.clone());
    let lists: Vec<&String> = asked_by_the_read.iter().filter(|r| r.contains("/savingsPlans?")).collect();
    assert!(lists.iter().any(|r| r.contains("$skiptoken=2")), "every page read: {lists:?}");
    assert!(asked_by_the_read.iter().all(|r| r.contains("api-version=2022-11-01")), "{asked_by_the_read:?}");
    let expanded: Vec<&String> = asked_by_the_read.iter().filter(|r| r.contains("$expand=renewProperties")).collect();
    assert_eq!(expanded.len(), 1, "only the renewing plan's renewal is asked: {asked_by_the_read:?}");
    assert!(expanded[0].starts_with("/providers/Microsoft.BillingBenefits/savingsPlanOrders/order-sp1/savingsPlans/plan-1?"), "{expanded:?}");

    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["plan-2", "plan-1"], "newest first; the unreadable plan left out, Fabrikam's not here: {list}");
    assert_eq!(d.stand_ins.savings_plans(|s| s.requests.len()), asked_by_the_read.len(), "the tab answers what the read kept");

    let renewing = by_id(&list, "plan-1");
    assert_eq!(renewing["savingsPlanOrderId"], "order-sp1");
    assert_eq!((&renewing["displayName"], &renewing["skuName"]), (&json!("Contoso compute 3y"), &json!("Compute_Savings_Plan")));
    assert_eq!(renewing["commitment"], json!({"currencyCode": "USD", "amount": "1.25", "grain": "Hourly"}));
    assert_eq!((&renewing["term"], &renewing["billingPlan"], &renewing["appliedScopeType"]), (&json!("P3Y"), &json!("Monthly"), &json!("Shared")));
    assert_eq!((&renewing["startDate"], &renewing["expiryDate"]), (&json!("2026-02-01"), &json!("2029-02-01")));
    let azure = &renewing["azure"];
    assert_eq!(azure["armId"], "/providers/Microsoft.BillingBenefits/savingsPlanOrders/order-sp1/savingsPlans/plan-1");
    assert_eq!(azure["utilization"], json!({"last1Day": "100", "last7Days": "84.5", "last30Days": "83.87"}));
    assert_eq!(azure["renew"], true);
    assert_eq!(azure["renewal"], json!({"displayName": "Contoso compute 3y renewed", "term": "P3Y", "billingPlan": "Monthly",
        "commitment": {"currencyCode": "USD", "amount": "1.25", "grain": "Hourly"}, "appliedScopeType": "Shared"}));
    assert_eq!(renewing.get("exchangeSessionId"), None, "not the desk's own record");

    let quiet = by_id(&list, "plan-2");
    assert_eq!(quiet.get("billingPlan"), None, "Azure gave no billingPlan: unknown, not made up: {quiet}");
    assert_eq!(quiet["azure"]["utilization"], json!({"last7Days": "12"}), "the windows Azure did not report are absent");
    assert_eq!((&quiet["azure"]["renew"], quiet["azure"].get("renewal")), (&json!(false), None));
}

#[tokio::test]
async fn a_refused_read_is_the_tabs_answer_with_azures_error_and_never_the_desks_records() {
    let d = desk_with(contract::Settings::default()).await;
    hold_plans(&d);
    d.stand_ins.savings_plans(|s| {
        s.refused.insert(
            "tenant-contoso".into(),
            (403, "AuthorizationFailed".into(), "The client does not have authorization to perform action 'Microsoft.BillingBenefits/savingsPlans/read'.".into()),
        );
    });
    read(&d).await;
    let (status, problem) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "upstreamForbidden", "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("AuthorizationFailed") && detail.contains("savingsPlans/read") && detail.contains("arm-request-"), "Azure's code, message and request ID: {detail}");

    // Another customer's plans are read all the same.
    let (status, fabrikam) = d.call("GET", "/api/customers/fabrikam/savingsPlans", None).await;
    assert_eq!(status, StatusCode::OK, "{fabrikam}");
    assert_eq!(fabrikam.as_array().unwrap().len(), 1, "{fabrikam}");
    assert_eq!(fabrikam[0]["commitment"]["currencyCode"], "EUR");

    // A customer the desk never read from Azure is not found; one the caller cannot see neither.
    let (status, _) = d.call("GET", "/api/customers/nobody/savingsPlans", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_read_kept_the_tab_reads_azure_on_behalf_of_the_user_and_a_renewal_it_cannot_read_is_unknown() {
    let mut d = desk_with(contract::Settings::default()).await;
    read(&d).await;
    hold_plans(&d);
    d.stand_ins.savings_plans(|s| {
        s.failing_reads.insert("plan-1".into());
    });
    // A start forgets what was read: the tab asks Azure itself.
    d.restart().await;
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    let renewing = by_id(&list, "plan-1");
    assert_eq!(renewing["azure"]["renew"], true);
    assert_eq!(renewing["azure"].get("renewal"), None, "{renewing}");
    let why = renewing["azure"]["renewalUnknown"].as_str().unwrap();
    assert!(why.contains("InternalServerError") && why.contains("arm-request-"), "Azure's reason, with its request ID: {why}");
}
