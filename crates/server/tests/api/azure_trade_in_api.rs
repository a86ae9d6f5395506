//! A trade-in in Azure mode (reservations traded in for a savings plan) goes to Azure first and
//! is recorded only from Azure's answer. Against the ARM stand-in
//! (`azure_stand_ins/arm_exchange.rs`, written from the specification's `CalculateExchange.json`
//! and `Exchange.json`): Review sends ARM's `calculateExchange` the savings plan as the published
//! example shapes it, with the hourly commitment the user asked for, and shows Azure's figures
//! (the plan's `billingCurrencyTotal` among them) beside the desk's; Submit posts `exchange`
//! with Azure's session once (a repeat answers the same without posting again), follows it, and
//! records the plan under the savings plan order and ID Azure answered, in History and the audit
//! log. Azure's policy refusal is shown at Review with its code and refuses Submit before
//! anything is sent.

use crate::azure_desk;

use axum::http::StatusCode;
use azure_desk::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// A VM reservation of contoso's, as the desk read it from Azure.
async fn vm_reservation(d: &Desk) -> Value {
    let (_, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["reservedResourceType"] == "VirtualMachines" && r["quantity"].as_u64().unwrap_or(0) > 0)
        .cloned()
        .unwrap_or_else(|| panic!("contoso has a VM reservation: {list}"))
}

/// Trading every unit of `r` in for a 1-year compute savings plan of `hourly` an hour.
fn trade_in(r: &Value, hourly: &str) -> Value {
    json!({
        "reservationsToExchange": [{"reservationId": r["id"], "quantity": r["quantity"]}],
        "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{
            "skuName": "Compute_Savings_Plan", "term": "P1Y", "billingPlan": "Upfront",
            "hourlyCommitment": {"amount": hourly, "currencyCode": r["unitPrice"]["currencyCode"]},
            "appliedScopeType": "Shared", "displayName": "compute plan"
        }]
    })
}

fn amount(v: &Value) -> Decimal {
    v["amount"].as_str().unwrap_or_else(|| panic!("an amount: {v}")).parse().unwrap()
}

fn posted(d: &Desk) -> usize {
    d.stand_ins.exchanges(|x| x.exchanges_posted.values().sum())
}

/// The least hourly commitment the desk's quote names for trading `r` in (its probe at a cent
/// asks Azure nothing: the desk refuses it first).
async fn minimum(d: &Desk, r: &Value) -> Decimal {
    let calculations = d.stand_ins.exchanges(|x| x.calculations);
    let (status, probe) = d.call("POST", "/api/calculateExchange", Some(trade_in(r, "0.01"))).await;
    assert_eq!(status, StatusCode::OK, "{probe}");
    assert_eq!(probe["quote"]["isValidExchange"], false, "{probe}");
    assert!(probe.get("azure").is_none_or(Value::is_null), "a quote the desk refuses is not sent to Azure: {probe}");
    assert_eq!(d.stand_ins.exchanges(|x| x.calculations), calculations);
    amount(&probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"])
}

#[tokio::test]
async fn a_trade_in_goes_to_azure_once_and_records_the_savings_plan_under_azures_ids() {
    let d = desk().await;
    read(&d).await;
    let r = vm_reservation(&d).await;
    let hourly = minimum(&d, &r).await + Decimal::ONE;

    // Review: ARM's calculateExchange with the plan as the example shapes it, the commitment the
    // user asked for; Azure's figures beside the desk's.
    let (status, quote) = d.call("POST", "/api/calculateExchange", Some(trade_in(&r, &hourly.to_string()))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["quote"]["isValidExchange"], true, "{quote}");
    let sent = d.stand_ins.exchanges(|x| x.last_calculation.clone()).expect("calculateExchange was asked");
    let plan = &sent["properties"]["savingsPlansToPurchase"][0];
    assert_eq!(plan["sku"]["name"], "Compute_Savings_Plan", "{sent}");
    let p = &plan["properties"];
    assert_eq!((p["term"].clone(), p["appliedScopeType"].clone(), p["displayName"].clone()), (json!("P1Y"), json!("Shared"), json!("compute plan")), "{sent}");
    assert_eq!(p["commitment"]["grain"], "Hourly", "{sent}");
    assert_eq!(p["commitment"]["currencyCode"], r["unitPrice"]["currencyCode"], "{sent}");
    assert_eq!(p["commitment"]["amount"].to_string().parse::<Decimal>().unwrap(), hourly, "the commitment asked goes to Azure: {sent}");
    assert!(p["billingScopeId"].as_str().is_some_and(|s| s.starts_with("/subscriptions/")), "a subscription of the customer's is billed: {sent}");
    assert!(p.get("billingPlan").is_none(), "upfront: no billingPlan, as the example: {sent}");
    assert_eq!(sent["properties"]["reservationsToPurchase"], json!([]), "{sent}");
    let azure = &quote["azure"];
    let lifetime = hourly * Decimal::from(8760);
    assert_eq!(amount(&azure["savingsPlans"][0]), lifetime, "Azure's billingCurrencyTotal of the plan: {quote}");
    assert_eq!(amount(&azure["purchasesTotal"]), lifetime, "{quote}");
    assert_eq!(amount(&azure["netPayable"]), lifetime - amount(&azure["refundsTotal"]), "{quote}");
    assert!(azure.get("policyErrors").is_none(), "{quote}");
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    assert_eq!(posted(&d), 0, "a review posts nothing");

    // The customer's plans as read before (none): kept, until the trade-in buys one.
    let (status, before) = d.call("GET", "/api/customers/contoso/savingsPlans", None).await;
    assert_eq!((status, before.to_string().contains("sp-1-1")), (StatusCode::OK, false), "{before}");
    // Submit: one exchange at ARM, followed to its end; the plan under Azure's IDs.
    let (status, done) = d.call("POST", "/api/exchange", Some(json!({"sessionId": session}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(posted(&d), 1);
    assert_eq!(done["purchased"], json!([]), "{done}");
    let bought = &done["savingsPlans"][0];
    assert_eq!((bought["id"].clone(), bought["savingsPlanOrderId"].clone()), (json!("sp-1-1"), json!("spo-1-1")), "Azure's savings plan IDs: {done}");
    assert_eq!(amount(&bought["commitment"]), hourly, "{done}");
    assert_eq!(amount(&done["quote"]["netPayable"]), amount(&azure["netPayable"]), "Azure's figures: {done}");
    let plans = d.stand_ins.exchanges(|x| x.savings_plans.clone());
    assert_eq!(plans.len(), 1, "ARM bought one plan: {plans:?}");
    assert_eq!(plans[0].1["id"], "/providers/Microsoft.BillingBenefits/savingsPlanOrders/spo-1-1/savingsPlans/sp-1-1");
    // The customer's Savings plans tab lists it as Microsoft.BillingBenefits holds it, under Azure's IDs.
    let (status, listed) = d.call("GET", "/api/customers/contoso/savingsPlans", None).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert!(listed.to_string().contains("spo-1-1") && listed.to_string().contains("sp-1-1"), "the plan bought is listed: {listed}");

    // The same claim again answers what was done: exchange is not posted twice.
    let (status, again) = d.call("POST", "/api/exchange", Some(json!({"sessionId": session}))).await;
    assert_eq!((status, &again["savingsPlans"]), (StatusCode::OK, &done["savingsPlans"]), "{again}");
    assert_eq!(posted(&d), 1, "never moved twice");
    assert_eq!(d.stand_ins.exchanges(|x| x.savings_plans.len()), 1);

    // History: the returned reservation's row says what the trade-in bought, under Azure's IDs.
    let path = format!("/api/reservationOrders/{}/reservations/{}/revisions", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (_, revisions) = d.call("GET", &path, None).await;
    let row = revisions.as_array().unwrap().iter().find(|v| v["action"] == "exchange").cloned().unwrap_or_else(|| panic!("the trade-in's History row: {revisions}"));
    assert_eq!(row["detail"]["throughAzure"], true, "{row}");
    let plan = &row["detail"]["savingsPlans"][0];
    assert_eq!((plan["savingsPlanId"].clone(), plan["savingsPlanOrderId"].clone()), (json!("sp-1-1"), json!("spo-1-1")), "{row}");
    assert_eq!(amount(&plan["hourlyCommitment"]), hourly, "{row}");
    assert_eq!(row["reservation"]["quantity"], 0, "the units traded in left, as Azure holds them: {row}");
    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "exchange").cloned().unwrap();
    let change = entry["change"].as_str().unwrap();
    for said in ["exchanged through Azure", "savings plan sp-1-1 in savings plan order spo-1-1", "exchangeOperationResults/"] {
        assert!(change.contains(said), "{said:?} in {change}");
    }
}

#[tokio::test]
async fn azures_policy_refusal_of_a_trade_in_is_shown_with_its_code_and_nothing_is_sent() {
    let d = desk().await;
    read(&d).await;
    let r = vm_reservation(&d).await;
    let hourly = minimum(&d, &r).await + Decimal::ONE;
    // Azure's minimum above the desk's: the desk's quote is valid, Azure's refuses.
    d.stand_ins.exchanges(|x| x.minimum_hourly_commitment = Some(hourly + Decimal::from(100)));
    let (status, quote) = d.call("POST", "/api/calculateExchange", Some(trade_in(&r, &hourly.to_string()))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["quote"]["isValidExchange"], true, "{quote}");
    let errors = quote["azure"]["policyErrors"].as_array().unwrap_or_else(|| panic!("Azure's policy errors: {quote}"));
    assert_eq!(errors[0]["code"], "SavingsPlanCommitmentTooLow", "{quote}");
    let (status, problem) = d.call("POST", "/api/exchange", Some(json!({"sessionId": quote["sessionId"]}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("policyRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("SavingsPlanCommitmentTooLow"), "{problem}");
    assert_eq!(posted(&d), 0, "nothing sent");
    assert!(d.stand_ins.exchanges(|x| x.savings_plans.is_empty()));
}
