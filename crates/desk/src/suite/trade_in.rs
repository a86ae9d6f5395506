//! The suite's cases for savings plan trade-in on the desk's own surfaces: a
//! trade-in quoted with the least hourly commitment that satisfies the lifetime rule (and a cent
//! less refused), submitted once (a repeat answers the same and buys no second plan), the plan
//! listed as the customer's with its commitment, term, start and end, audited, and the refund
//! limit's headroom unchanged; too many reservations, an ineligible reservation type and a zero
//! commitment refused; a SQL Database reservation traded in for a 1-year savings plan for
//! databases, quoted with its minimum and bought, and a 3-year database plan, or a database plan
//! bought with a VM reservation, refused.

use serde_json::{json, Value};

use super::{amount, Harness};

/// The customer's first active reservation of `family`, billed in any currency, with the most
/// units left to run (the largest remaining commitment), of any customer.
async fn reservation_of<S: crate::DeskStore>(h: &Harness<S>, family: &str) -> Value {
    let mut found: Vec<Value> = Vec::new();
    for customer in h.get("/customers").await.as_array().expect("a list") {
        let id = customer["id"].as_str().expect("an ID");
        found.extend(h.active(id).await.into_iter().filter(|r| r["reservedResourceType"] == family));
    }
    found.sort_by_key(|r| std::cmp::Reverse(r["expiryDate"].as_str().unwrap_or_default().to_owned()));
    found.into_iter().next().unwrap_or_else(|| panic!("the demo data has an active {family} reservation"))
}

/// Trading every unit of `r` in for a 1-year compute savings plan of `hourly` an hour.
fn trade_in(r: &Value, hourly: &str) -> Value {
    plan_trade_in(r, "Compute_Savings_Plan", "P1Y", hourly)
}

/// Trading every unit of `r` in for a `term` savings plan `sku` of `hourly` an hour.
fn plan_trade_in(r: &Value, sku: &str, term: &str, hourly: &str) -> Value {
    json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": r["quantity"] }],
        "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{
            "skuName": sku, "term": term, "billingPlan": "Upfront",
            "hourlyCommitment": { "amount": hourly, "currencyCode": r["unitPrice"]["currencyCode"] },
            "appliedScopeType": "Shared", "displayName": if sku == "Compute_Savings_Plan" { "compute plan" } else { "database plan" }
        }]
    })
}

fn codes(calc: &Value) -> Vec<String> {
    calc["quote"]["policyResult"]["policyErrors"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["code"].as_str().expect("a code").to_owned())
        .collect()
}

/// A VM reservation traded for a compute savings plan: the quote names the least hourly
/// commitment; at it the trade-in is valid, a cent below it is refused with
/// `SavingsPlanCommitmentTooLow` naming both figures. Submitted, the reservation is cancelled,
/// the plan is the customer's (listed with commitment, term, start and end), the audit entry
/// names it, the refund limit's consumption is what it was, and a second submit answers the same
/// without a second plan.
pub async fn a_trade_in_buys_one_savings_plan_at_the_least_hourly_commitment_and_leaves_the_refund_limit<S: crate::DeskStore>(h: Harness<S>) {
    let r = reservation_of(&h, "VirtualMachines").await;
    let customer = r["customerId"].as_str().expect("a customer").to_owned();
    let consumed_before = h.consumed(&customer).await;

    let (status, probe) = h.call("POST", "/calculateExchange", Some(trade_in(&r, "0.01"))).await;
    assert_eq!(status, 200, "{probe}");
    let plan = &probe["quote"]["savingsPlans"][0];
    let minimum = amount(&plan["minimumHourlyCommitment"]);
    let remaining = amount(&probe["quote"]["remainingCommitmentTotal"]);
    assert!(minimum * rust_decimal::Decimal::from(8_760) >= remaining, "{probe}");
    assert!(minimum > rust_decimal::Decimal::new(1, 2), "a sizeable reservation: {probe}");

    let below = (minimum - rust_decimal::Decimal::new(1, 2)).to_string();
    let (status, refused) = h.call("POST", "/calculateExchange", Some(trade_in(&r, &below))).await;
    assert_eq!((status, codes(&refused)), (200, vec!["SavingsPlanCommitmentTooLow".to_owned()]), "{refused}");
    let detail = &refused["quote"]["policyResult"]["policyErrors"][0]["detail"];
    assert_eq!(amount(&detail["remainingCommitment"]), remaining, "{detail}");
    assert_eq!(amount(&detail["lifetimeCommitment"]), (minimum - rust_decimal::Decimal::new(1, 2)) * rust_decimal::Decimal::from(8_760));

    let (status, calc) = h.call("POST", "/calculateExchange", Some(trade_in(&r, &minimum.to_string()))).await;
    assert_eq!((status, calc["quote"]["isValidExchange"].clone()), (200, json!(true)), "{calc}");
    assert_eq!(amount(&calc["quote"]["savingsPlans"][0]["lifetimeCommitment"]), minimum * rust_decimal::Decimal::from(8_760));

    let submit = json!({ "sessionId": calc["sessionId"] });
    let (status, done) = h.call("POST", "/exchange", Some(submit.clone())).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["purchased"], json!([]));
    let bought = &done["savingsPlans"][0];
    assert_eq!(
        (bought["skuName"].clone(), bought["term"].clone(), bought["billingPlan"].clone(), bought["displayName"].clone()),
        (json!("Compute_Savings_Plan"), json!("P1Y"), json!("Upfront"), json!("compute plan"))
    );
    assert_eq!(bought["commitment"]["grain"], "Hourly");
    assert_eq!(amount(&bought["commitment"]), minimum);
    assert_eq!(bought["commitment"]["currencyCode"], r["unitPrice"]["currencyCode"]);
    assert_eq!((bought["startDate"].clone(), bought["expiryDate"].clone()), (json!("2026-03-02"), json!("2027-03-02")));
    assert_eq!(bought["customerId"], customer.as_str());

    let listed = h.get(&format!("/customers/{customer}/savingsPlans")).await;
    assert_eq!(listed, json!([bought.clone()]), "the customer has the plan, as answered");
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let returned = h.get(&path).await;
    assert_eq!((returned["quantity"].clone(), returned["provisioningState"].clone()), (json!(0), json!("Cancelled")), "{returned}");
    let audit = h.last_audit(&customer).await;
    assert_eq!(audit["action"], "exchange", "{audit}");
    let change = audit["change"].as_str().expect("a change");
    assert!(change.contains(bought["id"].as_str().unwrap()) && change.contains(r["id"].as_str().unwrap()), "{change}");
    assert_eq!(h.consumed(&customer).await, consumed_before, "a trade-in does not count toward the refund limit");

    let (status, again) = h.call("POST", "/exchange", Some(submit)).await;
    assert_eq!((status, &again), (200, &done), "a repeat answers the same");
    assert_eq!(h.get(&format!("/customers/{customer}/savingsPlans")).await.as_array().map(Vec::len), Some(1), "no second plan");
}

/// 101 reservations (more than a trade-in takes) are a 400 before anything is read; a database
/// reservation traded for a compute plan is refused by the policy (`TradeInNotEligible`) and its
/// session is not kept; a zero hourly commitment is a 400 naming it; another customer's list of
/// savings plans is empty and an unknown customer's is a 404.
pub async fn a_trade_in_of_101_reservations_or_a_database_reservation_is_refused<S: crate::DeskStore>(h: Harness<S>) {
    let r = reservation_of(&h, "VirtualMachines").await;
    let mut request = trade_in(&r, "100.00");
    request["reservationsToExchange"] = json!((0..101).map(|i| json!({ "reservationId": format!("r{i}"), "quantity": 1 })).collect::<Vec<_>>());
    let (status, problem) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("tooManyLines"), Some("reservationsToExchange")), "{problem}");

    let sql = reservation_of(&h, "SqlDatabases").await;
    let (status, refused) = h.call("POST", "/calculateExchange", Some(trade_in(&sql, "100.00"))).await;
    assert_eq!((status, codes(&refused)), (200, vec!["TradeInNotEligible".to_owned()]), "{refused}");
    let detail = &refused["quote"]["policyResult"]["policyErrors"][0]["detail"];
    assert_eq!((detail["reservedResourceType"].clone(), detail["savingsPlanSku"].clone()), (json!("SqlDatabases"), json!("Compute_Savings_Plan")));
    let (status, problem) = h.call("POST", "/exchange", Some(json!({ "sessionId": refused["sessionId"] }))).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyRefused")), "a refused trade-in is refused again: {problem}");
    assert!(problem["detail"].as_str().unwrap().contains("TradeInNotEligible"), "{problem}");

    let (status, problem) = h.call("POST", "/calculateExchange", Some(trade_in(&r, "0.00"))).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (400, Some("savingsPlansToPurchase[0].hourlyCommitment.amount")),
        "{problem}"
    );
    let customer = r["customerId"].as_str().unwrap();
    assert_eq!(h.get(&format!("/customers/{customer}/savingsPlans")).await, json!([]));
    let (status, _) = h.call("GET", "/customers/nobody/savingsPlans", None).await;
    assert_eq!(status, 404);
}

/// On 1 June 2026 (after the savings plan for databases became available): a SQL Database
/// reservation traded in for a 1-year `Database_Savings_Plan` is quoted with the least hourly
/// commitment (× 8,760 hours at least the remaining commitment returned), and a cent below it
/// is refused; at it the plan is bought and listed as the customer's, the reservation cancelled.
/// A 3-year database plan is refused (`TradeInNotEligible` naming `SqlDatabases` and the plan),
/// and so is a database plan bought with a VM reservation (naming `VirtualMachines`).
pub async fn a_sql_database_reservation_trades_in_for_a_one_year_database_plan_and_not_for_three_years_nor_a_vm_for_it<S: crate::DeskStore>(h: Harness<S>) {
    const ADMIN: &str = "demo-global-admin";
    let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 6, 1, 12, 0, 0).single().expect("a time");
    let sql = reservation_of(&h, "SqlDatabases").await;
    let customer = sql["customerId"].as_str().expect("a customer").to_owned();
    let hours = rust_decimal::Decimal::from(8_760);
    let cent = rust_decimal::Decimal::new(1, 2);

    let (status, probe) = h.at(at, ADMIN, "POST", "/calculateExchange", Some(plan_trade_in(&sql, "Database_Savings_Plan", "P1Y", "0.01"))).await;
    assert_eq!(status, 200, "{probe}");
    let minimum = amount(&probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]);
    let remaining = amount(&probe["quote"]["remainingCommitmentTotal"]);
    assert!(minimum * hours >= remaining && (minimum - cent) * hours < remaining, "the least such hourly figure: {probe}");

    let (_, below) = h.at(at, ADMIN, "POST", "/calculateExchange", Some(plan_trade_in(&sql, "Database_Savings_Plan", "P1Y", &(minimum - cent).to_string()))).await;
    assert_eq!(codes(&below), vec!["SavingsPlanCommitmentTooLow".to_owned()], "{below}");

    let (status, three) = h.at(at, ADMIN, "POST", "/calculateExchange", Some(plan_trade_in(&sql, "Database_Savings_Plan", "P3Y", "100.00"))).await;
    assert_eq!((status, codes(&three)), (200, vec!["TradeInNotEligible".to_owned()]), "{three}");
    let detail = &three["quote"]["policyResult"]["policyErrors"][0]["detail"];
    assert_eq!(
        (detail["reservedResourceType"].clone(), detail["savingsPlanSku"].clone(), detail["term"].clone()),
        (json!("SqlDatabases"), json!("Database_Savings_Plan"), json!("P3Y"))
    );

    let vm = reservation_of(&h, "VirtualMachines").await;
    let (status, vm_for_database) = h.at(at, ADMIN, "POST", "/calculateExchange", Some(plan_trade_in(&vm, "Database_Savings_Plan", "P1Y", "100.00"))).await;
    assert_eq!((status, codes(&vm_for_database)), (200, vec!["TradeInNotEligible".to_owned()]), "{vm_for_database}");
    let detail = &vm_for_database["quote"]["policyResult"]["policyErrors"][0]["detail"];
    assert_eq!((detail["reservedResourceType"].clone(), detail["savingsPlanSku"].clone()), (json!("VirtualMachines"), json!("Database_Savings_Plan")));

    let (status, calc) = h.at(at, ADMIN, "POST", "/calculateExchange", Some(plan_trade_in(&sql, "Database_Savings_Plan", "P1Y", &minimum.to_string()))).await;
    assert_eq!((status, calc["quote"]["isValidExchange"].clone()), (200, json!(true)), "{calc}");
    assert_eq!(amount(&calc["quote"]["savingsPlans"][0]["lifetimeCommitment"]), minimum * hours);
    let (status, done) = h.at(at, ADMIN, "POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    let bought = &done["savingsPlans"][0];
    assert_eq!(
        (bought["skuName"].clone(), bought["term"].clone(), bought["startDate"].clone(), bought["expiryDate"].clone()),
        (json!("Database_Savings_Plan"), json!("P1Y"), json!("2026-06-01"), json!("2027-06-01"))
    );
    assert_eq!(amount(&bought["commitment"]), minimum);
    let (_, listed) = h.at(at, ADMIN, "GET", &format!("/customers/{customer}/savingsPlans"), None).await;
    assert!(listed.as_array().expect("a list").contains(bought), "{listed}");
    let path = format!("/reservationOrders/{}/reservations/{}", sql["reservationOrderId"].as_str().unwrap(), sql["id"].as_str().unwrap());
    let (_, returned) = h.at(at, ADMIN, "GET", &path, None).await;
    assert_eq!(returned["provisioningState"], "Cancelled", "{returned}");
}
