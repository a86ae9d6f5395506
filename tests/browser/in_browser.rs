//! The in-browser adapter in real browsers: what only it does. The contract's behaviour is the
//! desk's, run natively against the same memory store by the contract suite
//! (crates/desk/tests/contract_memory.rs); here: the document really lives in `localStorage` (a
//! reload sees it, `reset` seeds again), the adapter's clock expires sessions, and it signs in.

use contract::seed::FABRIKAM;
use reservation_desk::in_browser::{handle, reset, set_clock_offset_for_tests};
use serde_json::{json, Value};
use wasm_bindgen_test::*;


const ADMIN: Option<&str> = Some("demo-admin-agent");

fn get(path: &str) -> Value {
    handle(ADMIN, "GET", path, &[], None).unwrap_or_else(|p| panic!("{path}: {p:?}"))
}

fn post(path: &str, body: Value) -> Result<Value, contract::Problem> {
    handle(ADMIN, "POST", path, &[], Some(&body.to_string()))
}

fn active(customer: &str) -> Vec<Value> {
    get(&format!("/customers/{customer}/reservations"))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["provisioningState"] == "Succeeded")
        .cloned()
        .collect()
}

fn calculate(r: &Value, quantity: i64) -> Result<Value, contract::Problem> {
    let order = r["reservationOrderId"].as_str().unwrap();
    post(&format!("/reservationOrders/{order}/calculateRefund"), json!({ "reservationId": r["id"], "quantity": quantity }))
}

fn submit(r: &Value, session: &Value) -> Result<Value, contract::Problem> {
    let order = r["reservationOrderId"].as_str().unwrap();
    post(&format!("/reservationOrders/{order}/return"), json!({ "sessionId": session, "returnReason": "Not needed" }))
}

#[wasm_bindgen_test]
fn a_return_moves_money_once_and_survives_a_reload() {
    reset();
    let r = active(FABRIKAM).into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let calc = calculate(&r, 1).unwrap();
    let first = submit(&r, &calc["sessionId"]).unwrap();
    let second = submit(&r, &calc["sessionId"]).unwrap();
    assert_eq!(first, second);
    // Every call reads the state back from localStorage, as a reloaded page would.
    let after = active(FABRIKAM).into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"].as_u64().unwrap(), r["quantity"].as_u64().unwrap() - 1);
    let limit = get(&format!("/customers/{FABRIKAM}/refundLimit"));
    let entries = limit["entries"].as_array().unwrap();
    assert_eq!(entries.iter().filter(|e| e["reservationId"] == r["id"]).count(), 1);

    reset();
    let restored = active(FABRIKAM).into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(restored["quantity"], r["quantity"], "reset puts the demo data back");
}

/// Runs the backend's clock at noon (UTC) of the browser's day plus `seconds` while `f` runs:
/// a session's ten minutes then never cross midnight, after which every quote changes with the
/// day (a run at 23:55 would see "the quote changed" instead of the session's expiry).
fn at_noon_plus<T>(seconds: f64, f: impl FnOnce() -> T) -> T {
    const DAY_MS: f64 = 86_400_000.0;
    let now = js_sys::Date::now();
    let noon = (now / DAY_MS).floor() * DAY_MS + DAY_MS / 2.0;
    set_clock_offset_for_tests(noon - now + seconds * 1000.0);
    let result = f();
    set_clock_offset_for_tests(0.0);
    result
}

#[wasm_bindgen_test]
fn an_expired_refund_session_is_refused_and_nothing_changes() {
    reset();
    let r = active(FABRIKAM).into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let consumed = get(&format!("/customers/{FABRIKAM}/refundLimit"))["consumed"].clone();
    let calc = at_noon_plus(0.0, || calculate(&r, 1)).unwrap();
    let expired = at_noon_plus(601.0, || submit(&r, &calc["sessionId"])).unwrap_err();
    assert_eq!((expired.status, expired.code), (409, contract::ProblemCode::SessionExpired), "{expired:?}");
    let after = active(FABRIKAM).into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"], r["quantity"], "nothing was returned");
    assert_eq!(get(&format!("/customers/{FABRIKAM}/refundLimit"))["consumed"], consumed);
    assert!(get("/audit").as_array().unwrap().iter().all(|e| e["action"] != "refund"));

    // A session is good for its whole ten minutes: submitted after 9 min 59 s it goes through.
    let calc = at_noon_plus(0.0, || calculate(&r, 1)).unwrap();
    let done = at_noon_plus(599.0, || submit(&r, &calc["sessionId"])).unwrap();
    assert_eq!(done["remainingQuantity"].as_u64().unwrap(), r["quantity"].as_u64().unwrap() - 1);
}

#[wasm_bindgen_test]
fn the_in_browser_backend_enforces_sign_in_and_roles_like_the_server() {
    reset();
    assert_eq!(handle(None, "GET", "/customers", &[], None).unwrap_err().status, 401);
    assert_eq!(handle(Some("forged"), "GET", "/customers", &[], None).unwrap_err().status, 401);
    let me = handle(Some("demo-sales-agent"), "GET", "/me", &[], None).unwrap();
    assert_eq!(me["role"], "SalesAgent");
    let r = active(FABRIKAM).remove(0);
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = json!({ "reservationId": r["id"], "quantity": 1 }).to_string();
    let calc = handle(Some("demo-sales-agent"), "POST", &format!("/reservationOrders/{order}/calculateRefund"), &[], Some(&body)).unwrap();
    let submit = json!({ "sessionId": calc["sessionId"], "returnReason": "x" }).to_string();
    let refused = handle(Some("demo-sales-agent"), "POST", &format!("/reservationOrders/{order}/return"), &[], Some(&submit));
    assert_eq!(refused.unwrap_err().status, 403);
}

#[wasm_bindgen_test]
fn the_document_is_in_local_storage_and_a_page_without_it_starts_from_the_seed() {
    reset();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let r = active(FABRIKAM).remove(0);
    let calc = calculate(&r, 1).unwrap();
    submit(&r, &calc["sessionId"]).unwrap();
    let saved = storage.get_item("reservation-desk/demo-data/v3").unwrap().expect("the document is saved");
    assert!(saved.contains(calc["sessionId"].as_str().unwrap()), "the refund is in the saved document");
    reset();
    assert_eq!(storage.get_item("reservation-desk/demo-data/v3").unwrap(), None);
    assert_eq!(active(FABRIKAM)[0]["quantity"], r["quantity"]);
}

#[wasm_bindgen_test]
fn a_trade_in_for_a_savings_plan_is_kept_in_the_document_and_listed() {
    reset();
    let r = active(FABRIKAM).into_iter().find(|r| r["reservedResourceType"] == "VirtualMachines").unwrap();
    let plan = |hourly: &str| {
        json!({
            "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
            "reservationsToPurchase": [],
            "savingsPlansToPurchase": [{
                "skuName": "Compute_Savings_Plan", "term": "P1Y", "billingPlan": "Upfront",
                "hourlyCommitment": { "amount": hourly, "currencyCode": "USD" },
                "appliedScopeType": "Shared", "displayName": "In-browser plan"
            }]
        })
    };
    // Quoted with a cent an hour: the quote names the minimum, and refuses the cent.
    let probe = post("/calculateExchange", plan("0.01")).unwrap();
    assert_eq!(probe["quote"]["isValidExchange"], false);
    let minimum = probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]["amount"].as_str().unwrap().to_owned();
    let calc = post("/calculateExchange", plan(&minimum)).unwrap();
    assert_eq!(calc["quote"]["isValidExchange"], true, "{calc}");
    let done = post("/exchange", json!({ "sessionId": calc["sessionId"] })).unwrap();
    assert_eq!(done["savingsPlans"][0]["displayName"], "In-browser plan");
    // Read back from localStorage, as a reloaded page would.
    let listed = get(&format!("/customers/{FABRIKAM}/savingsPlans"));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["commitment"]["amount"], minimum.as_str());
    reset();
    assert_eq!(get(&format!("/customers/{FABRIKAM}/savingsPlans")), json!([]), "reset puts the demo data back");
}
