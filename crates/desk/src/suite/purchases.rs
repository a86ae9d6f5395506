//! The suite's cases for purchases: a reservation bought for a customer from the catalog is
//! quoted as the engine quotes it, bought once per session (its order), listed, audited in the
//! chain and never counted toward the refund limit; above the approval threshold it waits for
//! another user and is bought once on approval; a Sales agent quotes but cannot buy.

use chrono::Duration;
use contract::Settings;
use quote_engine::{Currency, Money};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{amount, futures_join_all, noon, Harness, FABRIKAM};

/// Two units of Standard_D2s_v5 in West Europe for three years, paid monthly, shared scope.
fn d2s_request(customer: &str) -> Value {
    json!({
        "customerId": customer,
        "purchase": {
            "skuId": "Standard_D2s_v5/westeurope", "term": "P3Y", "billingPlan": "Monthly", "quantity": 2,
            "appliedScopeType": "Shared", "displayName": "web tier", "renew": true
        },
        "onDemand": { "cost": { "amount": "240.00", "currencyCode": "USD" }, "days": 30, "quantity": 2 }
    })
}

/// The harness's desk with an approval threshold of `usd`.
fn with_threshold<S: crate::DeskStore>(h: Harness<S>, usd: &str) -> Harness<S> {
    let threshold = Money::new(usd.parse::<Decimal>().expect("an amount"), Currency::USD);
    Harness { desk: h.desk.with_settings(Settings { approval_threshold: Some(threshold), ..Settings::default() }) }
}

/// The customer's reservations of `order`.
async fn of_order<S: crate::DeskStore>(h: &Harness<S>, customer: &str, order: &str) -> Vec<Value> {
    let list = h.get(&format!("/customers/{customer}/reservations")).await;
    list.as_array().expect("a list").iter().filter(|r| r["reservationOrderId"] == order).cloned().collect()
}

/// A purchase is quoted by the engine (monthly: 36 installments summing to the commitment, and
/// the savings against the usage it covers), bought once however often it is submitted at once,
/// listed, audited in an intact chain, and the refund limit does not move.
pub async fn a_purchase_is_quoted_bought_once_listed_and_audited_and_leaves_the_refund_limit<S: crate::DeskStore>(h: Harness<S>) {
    let limit_before = h.get(&format!("/customers/{FABRIKAM}/refundLimit")).await;
    let (status, calc) = h.at(noon(), "demo-admin-agent", "POST", "/calculatePurchase", Some(d2s_request(FABRIKAM))).await;
    assert_eq!(status, 200, "{calc}");
    let quote = &calc["quote"];
    // 876.00 a year × 2.4 for three years = 2102.40 a unit; two units: 4204.80 (Fabrikam pays USD).
    assert_eq!(amount(&quote["commitment"]), Decimal::new(420_480, 2), "{quote}");
    let schedule = quote["schedule"].as_array().expect("a schedule");
    assert_eq!(schedule.len(), 36);
    assert_eq!(schedule.iter().map(|p| amount(&p["amount"])).sum::<Decimal>(), Decimal::new(420_480, 2));
    assert_eq!(amount(&quote["dueToday"]), amount(&schedule[0]["amount"]));
    // On demand 8.00 a day for the three years' 1,096 days (2026-03-02 to 2029-03-02): 8768.00.
    assert_eq!(amount(&quote["savings"]["onDemandTotal"]), Decimal::new(876_800, 2), "{quote}");
    assert_eq!(amount(&quote["savings"]["savingsTotal"]), Decimal::new(456_320, 2));
    assert_eq!(quote["savings"]["breakEvenMonth"], 1, "monthly installments of 116.80 against 8.00 a day");
    assert!(calc.get("approvalNeeded").is_none(), "no threshold: {calc}");
    let order = calc["reservationOrderId"].as_str().expect("the order the purchase creates").to_owned();
    assert_eq!(calc["sessionId"], order.as_str(), "the session's ID is the order's");
    assert!(of_order(&h, FABRIKAM, &order).await.is_empty(), "a quote buys nothing");

    // A double click, and a resubmission later: one purchase.
    let body = json!({ "sessionId": calc["sessionId"], "ticketReference": "CHG-7001" });
    let answers = futures_join_all((0..8).map(|_| h.at(noon(), "demo-admin-agent", "POST", "/purchase", Some(body.clone())))).await;
    for (status, done) in &answers {
        assert_eq!(*status, 200, "{done}");
        assert_eq!(done, &answers[0].1, "every submission answers the one purchase");
    }
    let later = noon() + Duration::minutes(9);
    let (status, again) = h.at(later, "demo-global-admin", "POST", "/purchase", Some(body)).await;
    assert_eq!((status, &again), (200, &answers[0].1));
    let bought = of_order(&h, FABRIKAM, &order).await;
    assert_eq!(bought.len(), 1, "{bought:?}");
    let r = &bought[0];
    assert_eq!((r["skuName"].as_str(), r["quantity"].as_u64(), r["term"].as_str()), (Some("Standard_D2s_v5"), Some(2), Some("P3Y")));
    assert_eq!((r["displayName"].as_str(), r["renew"].as_bool(), r["billingPlan"].as_str()), (Some("web tier"), Some(true), Some("Monthly")));
    assert_eq!(r["purchaseDate"], "2026-03-02");
    let history = h.get(&format!("/reservationOrders/{order}/reservations/{}/revisions", r["id"].as_str().unwrap())).await;
    let first = &history.as_array().expect("a list")[0];
    assert_eq!((first["action"].as_str(), first["actor"].as_str(), first["ticketReference"].as_str()), (Some("purchase"), Some("adam.agent@partner.example"), Some("CHG-7001")), "{history}");

    let entry = h.last_audit(FABRIKAM).await;
    assert_eq!((entry["action"].as_str(), entry["ticketReference"].as_str()), (Some("purchase"), Some("CHG-7001")), "{entry}");
    assert!(entry["change"].as_str().unwrap().contains("bought 2 × Standard_D2s_v5 in westeurope for 3 years"), "{entry}");
    let purchases = h.get(&format!("/audit?customerId={FABRIKAM}")).await;
    assert_eq!(purchases.as_array().unwrap().iter().filter(|e| e["action"] == "purchase").count(), 1, "audited once");
    assert_eq!(h.get("/audit/verify").await["intact"], true);
    assert_eq!(h.get(&format!("/customers/{FABRIKAM}/refundLimit")).await, limit_before, "a purchase never counts toward the limit");
}

/// A Sales agent quotes but cannot buy; bad input names the field; a session expires; a retired
/// series × term is quoted with why and leaves no session.
pub async fn a_sales_agent_quotes_a_purchase_and_only_a_money_mover_buys_it<S: crate::DeskStore>(h: Harness<S>) {
    let (status, calc) = h.at(noon(), "demo-sales-agent", "POST", "/calculatePurchase", Some(d2s_request(FABRIKAM))).await;
    assert_eq!(status, 200, "{calc}");
    let body = json!({ "sessionId": calc["sessionId"] });
    let (status, problem) = h.at(noon(), "demo-sales-agent", "POST", "/purchase", Some(body.clone())).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{problem}");
    let (status, problem) = h.at(noon(), "demo-helpdesk-agent", "POST", "/calculatePurchase", Some(d2s_request(FABRIKAM))).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{problem}");

    let mut bad = d2s_request(FABRIKAM);
    bad["purchase"]["quantity"] = json!(0);
    let (status, problem) = h.call("POST", "/calculatePurchase", Some(bad)).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("purchase.quantity")), "{problem}");
    let mut bad = d2s_request(FABRIKAM);
    bad["purchase"]["skuId"] = json!("Standard_Z9/westeurope");
    let (status, problem) = h.call("POST", "/calculatePurchase", Some(bad)).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("purchase.skuId")), "{problem}");
    let (status, _) = h.call("POST", "/calculatePurchase", Some(d2s_request("no-such-customer"))).await;
    assert_eq!(status, 404);

    let late = noon() + Duration::minutes(11);
    let (status, problem) = h.at(late, "demo-admin-agent", "POST", "/purchase", Some(body)).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("sessionExpired")), "{problem}");

    let mut retired = d2s_request(FABRIKAM);
    retired["purchase"]["skuId"] = json!("Standard_F16s_v2/westeurope");
    retired["purchase"]["term"] = json!("P1Y");
    let at = chrono::TimeZone::from_utc_datetime(&chrono::Utc, &chrono::NaiveDate::from_ymd_opt(2026, 8, 3).unwrap().and_hms_opt(12, 0, 0).unwrap());
    let (status, calc) = h.at(at, "demo-admin-agent", "POST", "/calculatePurchase", Some(retired)).await;
    assert_eq!(status, 200, "{calc}");
    assert_eq!(calc["quote"]["policyErrors"][0]["code"], "RetiredVmSeries", "{calc}");
    let (status, _) = h.at(at, "demo-admin-agent", "POST", "/purchase", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 404, "a refused quote keeps no session");
}

/// Above the threshold (the commitment in USD) a purchase waits; the requester cannot approve
/// it; another user's approval buys it once, and a second approval or a resubmission buys
/// nothing more.
pub async fn a_purchase_above_the_threshold_waits_and_is_bought_once_on_approval<S: crate::DeskStore>(h: Harness<S>) {
    let h = with_threshold(h, "4000.00");
    let (_, calc) = h.at(noon(), "demo-admin-agent", "POST", "/calculatePurchase", Some(d2s_request(FABRIKAM))).await;
    assert_eq!(amount(&calc["approvalNeeded"]["figure"]), Decimal::new(420_480, 2), "Review says it will wait: {calc}");
    let order = calc["reservationOrderId"].as_str().unwrap().to_owned();
    let body = json!({ "sessionId": calc["sessionId"], "reason": "Web tier moved off pay-as-you-go" });
    let (status, approval) = h.at(noon(), "demo-admin-agent", "POST", "/purchase", Some(body.clone())).await;
    assert_eq!((status, approval["status"].as_str(), approval["kind"].as_str()), (202, Some("pending"), Some("purchase")), "{approval}");
    assert_eq!(approval["purchaseRequest"]["skuId"], "Standard_D2s_v5/westeurope", "the approver sees what is bought: {approval}");
    assert!(of_order(&h, FABRIKAM, &order).await.is_empty(), "nothing bought while it waits");
    let (status, same) = h.at(noon(), "demo-admin-agent", "POST", "/purchase", Some(body.clone())).await;
    assert_eq!((status, &same["id"]), (202, &approval["id"]), "a resubmission answers the same request");

    let approve = format!("/approvals/{}/approve", approval["id"].as_str().unwrap());
    let (status, problem) = h.at(noon(), "demo-admin-agent", "POST", &approve, None).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("ownApproval")), "{problem}");
    let later = noon() + Duration::minutes(5);
    let answers = futures_join_all((0..4).map(|_| h.at(later, "demo-global-admin", "POST", &approve, None))).await;
    let approved: Vec<&Value> = answers.iter().filter(|(s, _)| *s == 200).map(|(_, a)| a).collect();
    assert!(!approved.is_empty(), "{answers:?}");
    for a in &approved {
        assert_eq!(a["status"], "approved", "{a}");
        assert_eq!(a["purchase"]["reservationOrderId"], order.as_str(), "{a}");
    }
    assert_eq!(of_order(&h, FABRIKAM, &order).await.len(), 1, "bought once");
    let (status, done) = h.at(later, "demo-admin-agent", "POST", "/purchase", Some(body)).await;
    assert_eq!((status, &done["reservationOrderId"]), (200, &json!(order)), "a resubmission answers the purchase: {done}");
    assert_eq!(of_order(&h, FABRIKAM, &order).await.len(), 1);
    assert_eq!(h.get("/audit/verify").await["intact"], true);
}

/// Each customer's recommendations follow their usage, and each one's proposal is exactly what
/// `calculatePurchase` quotes for the same purchase against the same usage; buying one adds the
/// reservation recommended.
pub async fn a_recommendation_is_quoted_as_its_proposal_and_bought_from_it<S: crate::DeskStore>(h: Harness<S>) {
    let mut seen = 0;
    for customer in h.get("/customers").await.as_array().expect("a list") {
        let id = customer["id"].as_str().expect("an ID");
        let view = h.get(&format!("/customers/{id}/recommendations")).await;
        let list = view["recommendations"].as_array().expect("a list");
        if list.is_empty() {
            assert_eq!(amount(&view["savingsPerYear"]), Decimal::ZERO, "{view}");
            continue;
        }
        seen += 1;
        assert!(amount(&view["savingsPerYear"]) > Decimal::ZERO, "{view}");
        let r = list.iter().find(|r| r.get("refusal").is_none()).expect("a buyable one");
        let request = json!({
            "customerId": id,
            "purchase": { "skuId": r["skuId"], "term": r["term"], "billingPlan": "Upfront", "quantity": r["recommendedQuantity"], "appliedScopeType": "Shared" },
            "onDemand": r["onDemand"],
        });
        let (status, calc) = h.at(noon(), "demo-admin-agent", "POST", "/calculatePurchase", Some(request)).await;
        assert_eq!(status, 200, "{calc}");
        assert_eq!(calc["quote"], r["proposal"], "the proposal is the quote, to the cent");
        let (status, done) = h.at(noon(), "demo-admin-agent", "POST", "/purchase", Some(json!({ "sessionId": calc["sessionId"] }))).await;
        assert_eq!(status, 200, "{done}");
        let bought = of_order(&h, id, calc["reservationOrderId"].as_str().unwrap()).await;
        assert_eq!((bought.len(), &bought[0]["skuName"], &bought[0]["quantity"]), (1, &r["skuName"], &r["recommendedQuantity"]));
    }
    assert!(seen > 0, "the demo recommends something to some customer");
    let (status, _) = h.call("GET", "/customers/no-such-customer/recommendations", None).await;
    assert_eq!(status, 404);
}
