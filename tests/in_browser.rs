//! The in-browser backend (static hosting) answers the contract as the server does: the same
//! behaviors as crates/server/tests, run in headless browsers against `localStorage`.

use reservation_desk::in_browser::{handle, reset, set_clock_offset_for_tests};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ADMIN: Option<&str> = Some("demo-admin-agent");
const CONTOSO: &str = "0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01";
const FABRIKAM: &str = "1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02";

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
fn customers_and_reservations_are_seeded_and_searchable() {
    reset();
    let all = get("/customers");
    assert_eq!(all.as_array().unwrap().len(), 8);
    let found = handle(ADMIN, "GET", "/customers", &[("search", "FABRIKAM")], None).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);
    let list = get(&format!("/customers/{CONTOSO}/reservations"));
    assert!(list.as_array().unwrap().len() >= 6);
    let limit = get(&format!("/customers/{CONTOSO}/refundLimit"));
    assert_eq!(limit["headroom"]["amount"], "3500.00");
}

#[wasm_bindgen_test]
fn ids_that_do_not_belong_together_are_not_found() {
    reset();
    let c = &active(CONTOSO)[0];
    let f = &active(FABRIKAM)[0];
    let path = format!("/reservationOrders/{}/reservations/{}", f["reservationOrderId"].as_str().unwrap(), c["id"].as_str().unwrap());
    assert_eq!(handle(ADMIN, "GET", &path, &[], None).unwrap_err().status, 404);
    assert_eq!(handle(ADMIN, "GET", "/customers/nobody", &[], None).unwrap_err().status, 404);
    assert_eq!(handle(ADMIN, "GET", "/nothing/here", &[], None).unwrap_err().status, 404);
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

#[wasm_bindgen_test]
fn a_stale_quote_is_refused_and_bad_requests_name_the_problem() {
    reset();
    let r = active(CONTOSO).into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let first = calculate(&r, 1).unwrap();
    let second = calculate(&r, 1).unwrap();
    submit(&r, &first["sessionId"]).unwrap();
    let stale = submit(&r, &second["sessionId"]).unwrap_err();
    assert_eq!(stale.status, 409, "{stale:?}");

    assert_eq!(calculate(&r, 0).unwrap_err().field.as_deref(), Some("quantity"));
    assert_eq!(calculate(&r, -1).unwrap_err().status, 400);
    let order = r["reservationOrderId"].as_str().unwrap();
    let unknown = post(&format!("/reservationOrders/{order}/calculateRefund"), json!({ "reservationId": r["id"], "quantity": 1, "x": 1 }));
    assert_eq!(unknown.unwrap_err().status, 400);
    let no_reason = post(&format!("/reservationOrders/{order}/return"), json!({ "sessionId": "s", "returnReason": "" }));
    assert_eq!(no_reason.unwrap_err().field.as_deref(), Some("returnReason"));
}

#[wasm_bindgen_test]
fn scope_changes_accept_only_the_customers_own_scopes_and_are_kept() {
    reset();
    let r = &active(CONTOSO)[0];
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let other = get(&format!("/customers/{FABRIKAM}/scopes"));
    let refused = handle(ADMIN, "PATCH", &path, &[], Some(&json!({
        "appliedScopeType": "Single", "appliedScopeProperties": other[0]["appliedScopeProperties"]
    }).to_string()));
    assert_eq!(refused.unwrap_err().field.as_deref(), Some("appliedScopeProperties"));
    let changed = handle(ADMIN, "PATCH", &path, &[], Some(&json!({ "appliedScopeType": "Shared", "displayName": "shared-vm" }).to_string())).unwrap();
    assert_eq!(changed["appliedScopeType"], "Shared");
    assert_eq!(get(&path)["displayName"], "shared-vm");
}

#[wasm_bindgen_test]
fn an_exchange_in_the_browser_swaps_once() {
    reset();
    let r = active(FABRIKAM).into_iter().find(|r| r["reservedResourceType"] == "VirtualMachines").unwrap_or_else(|| active(FABRIKAM).remove(0));
    let before = r["quantity"].as_u64().unwrap();
    let catalog = get("/catalog");
    let target = catalog.as_array().unwrap().iter().find(|i| i["reservedResourceType"] == r["reservedResourceType"]).unwrap();
    let calc = post("/calculateExchange", json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
        "reservationsToPurchase": [{ "skuId": target["skuId"], "term": "P5Y", "billingPlan": "Monthly", "quantity": 5, "appliedScopeType": "Shared" }]
    })).unwrap();
    assert_eq!(calc["quote"]["isValidExchange"], true, "{calc}");
    let done = post("/exchange", json!({ "sessionId": calc["sessionId"] })).unwrap();
    assert_eq!(post("/exchange", json!({ "sessionId": calc["sessionId"] })).unwrap(), done);

    // The returned reservation lost the unit (once, although the session was submitted twice)…
    let list = get(&format!("/customers/{FABRIKAM}/reservations"));
    let returned = list.as_array().unwrap().iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(returned["quantity"].as_u64().unwrap(), before - 1, "{returned}");
    let expected_state = if before == 1 { "Cancelled" } else { "Succeeded" };
    assert_eq!(returned["provisioningState"], expected_state);
    // …and the purchase exists as asked for, in the new order.
    let bought: Vec<&Value> = list.as_array().unwrap().iter().filter(|x| x["reservationOrderId"] == done["reservationOrderId"]).collect();
    assert_eq!(bought.len(), 1, "{list}");
    let bought = bought[0];
    assert_ne!(bought["id"], r["id"]);
    assert_eq!(bought["skuName"], target["skuName"], "{bought} from {target}");
    assert_eq!((bought["quantity"].as_u64(), &bought["term"], &bought["billingPlan"]), (Some(5), &json!("P5Y"), &json!("Monthly")));
    assert_eq!((&bought["appliedScopeType"], &bought["provisioningState"]), (&json!("Shared"), &json!("Succeeded")));
    assert_eq!(done["purchased"][0]["id"], bought["id"]);
}

/// Runs the backend's clock `seconds` ahead of the browser's while `f` runs.
fn with_clock_ahead<T>(seconds: f64, f: impl FnOnce() -> T) -> T {
    set_clock_offset_for_tests(seconds * 1000.0);
    let result = f();
    set_clock_offset_for_tests(0.0);
    result
}

#[wasm_bindgen_test]
fn an_expired_refund_session_is_refused_and_nothing_changes() {
    reset();
    let r = active(FABRIKAM).into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let consumed = get(&format!("/customers/{FABRIKAM}/refundLimit"))["consumed"].clone();
    let calc = calculate(&r, 1).unwrap();
    let expired = with_clock_ahead(601.0, || submit(&r, &calc["sessionId"])).unwrap_err();
    assert_eq!((expired.status, expired.code), (409, contract::ProblemCode::SessionExpired), "{expired:?}");
    let after = active(FABRIKAM).into_iter().find(|x| x["id"] == r["id"]).unwrap();
    assert_eq!(after["quantity"], r["quantity"], "nothing was returned");
    assert_eq!(get(&format!("/customers/{FABRIKAM}/refundLimit"))["consumed"], consumed);
    assert!(get("/audit").as_array().unwrap().iter().all(|e| e["action"] != "refund"));

    // A session is good for its whole ten minutes: submitted after 9 min 59 s it goes through.
    let calc = calculate(&r, 1).unwrap();
    let done = with_clock_ahead(599.0, || submit(&r, &calc["sessionId"])).unwrap();
    assert_eq!(done["remainingQuantity"].as_u64().unwrap(), r["quantity"].as_u64().unwrap() - 1);
}

#[wasm_bindgen_test]
fn an_expired_exchange_session_is_refused_and_nothing_changes() {
    reset();
    let r = active(FABRIKAM).remove(0);
    let target = get("/catalog").as_array().unwrap().iter().find(|i| i["reservedResourceType"] == r["reservedResourceType"]).cloned().unwrap();
    let request = json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
        "reservationsToPurchase": [{ "skuId": target["skuId"], "term": "P5Y", "billingPlan": "Monthly", "quantity": 5, "appliedScopeType": "Shared" }]
    });
    let calc = post("/calculateExchange", request.clone()).unwrap();
    assert_eq!(calc["quote"]["isValidExchange"], true, "{calc}");
    let count = active(FABRIKAM).len();
    let expired = with_clock_ahead(601.0, || post("/exchange", json!({ "sessionId": calc["sessionId"] }))).unwrap_err();
    assert_eq!((expired.status, expired.code), (409, contract::ProblemCode::SessionExpired), "{expired:?}");
    let after = active(FABRIKAM);
    assert_eq!(after.len(), count, "nothing was bought");
    assert_eq!(after.iter().find(|x| x["id"] == r["id"]).unwrap()["quantity"], r["quantity"], "nothing was returned");

    let calc = post("/calculateExchange", request).unwrap();
    with_clock_ahead(599.0, || post("/exchange", json!({ "sessionId": calc["sessionId"] }))).unwrap();
}

/// A `Money` as the API writes it.
fn amount(money: &Value) -> Decimal {
    money["amount"].as_str().unwrap_or_else(|| panic!("not money: {money}")).parse().unwrap()
}

#[wasm_bindgen_test]
fn a_burst_of_returns_never_passes_the_customers_limit_nor_refunds_a_unit_twice() {
    reset();
    // The page has one thread, so the server test's race becomes this interleaving: 64 sessions
    // for one unit each, round robin over Contoso's reservations (several on the same unit),
    // all quoted against the same headroom (USD 3,500 of 50,000), then submitted in a shuffled
    // order.
    let limit = get(&format!("/customers/{CONTOSO}/refundLimit"));
    let (max, before) = (amount(&limit["limit"]), amount(&limit["consumed"]));
    assert_eq!(max - before, Decimal::from(3_500));
    let originals = active(CONTOSO);
    let sessions: Vec<(Value, Value)> = (0..64)
        .map(|i| {
            let r = &originals[i % originals.len()];
            (r.clone(), calculate(r, 1).unwrap_or_else(|p| panic!("{p:?}"))["sessionId"].clone())
        })
        .collect();
    let mut counted = Decimal::ZERO;
    let mut accepted = std::collections::HashMap::<String, u64>::new();
    for k in 0..64 {
        let (r, session) = &sessions[(k * 37) % 64];
        match submit(r, session) {
            Ok(done) => {
                counted += amount(&done["quote"]["policyResult"]["countedTowardLimit"]);
                *accepted.entry(r["id"].as_str().unwrap().to_owned()).or_default() += 1;
            }
            Err(problem) => assert_eq!(problem.status, 409, "a refusal is a conflict: {problem:?}"),
        }
    }
    let consumed = amount(&get(&format!("/customers/{CONTOSO}/refundLimit"))["consumed"]);
    assert!(consumed <= max, "after the burst: consumed {consumed} of {max}");
    assert_eq!(consumed - before, counted, "the ledger holds exactly the accepted returns");
    // Then keep returning whole reservations with fresh quotes: now the limit, not the
    // staleness of a session, is what stops the money (the default policy, partner-center-2020,
    // truncates a refund to the headroom and says `RefundCapped`; a refusing policy says
    // `RefundLimitExceeded` and the return is refused).
    let mut capped = 0;
    for r in active(CONTOSO) {
        let calc = calculate(&r, r["quantity"].as_i64().unwrap()).unwrap();
        let result = &calc["quote"]["policyResult"];
        let has = |list: &str, code: &str| result[list].as_array().unwrap().iter().any(|e| e["code"] == code);
        if result["policyErrors"].as_array().unwrap().is_empty() {
            let done = submit(&r, &calc["sessionId"]).unwrap_or_else(|p| panic!("a fresh quote within the limit goes through: {p:?}"));
            counted += amount(&done["quote"]["policyResult"]["countedTowardLimit"]);
            *accepted.entry(r["id"].as_str().unwrap().to_owned()).or_default() += calc["quote"]["quantity"].as_u64().unwrap();
            if has("warnings", "RefundCapped") {
                capped += 1;
                assert!(amount(&done["quote"]["forfeitedAmount"]) > Decimal::ZERO, "{done}");
            }
        } else {
            assert!(has("policyErrors", "RefundLimitExceeded"), "{result}");
            let refused = submit(&r, &calc["sessionId"]).unwrap_err();
            assert_eq!(refused.code, contract::ProblemCode::PolicyRefused, "{refused:?}");
        }
        let consumed = amount(&get(&format!("/customers/{CONTOSO}/refundLimit"))["consumed"]);
        assert!(consumed <= max, "consumed {consumed} of {max}");
    }
    assert!(capped > 0, "the limit was reached and cut a refund");
    assert!(!accepted.is_empty(), "some returns went through");
    let after = amount(&get(&format!("/customers/{CONTOSO}/refundLimit"))["consumed"]);
    assert_eq!(after, max, "a truncated refund fills the limit exactly, never more");
    assert_eq!(after - before, counted, "the ledger holds exactly the accepted returns");
    for r in get(&format!("/customers/{CONTOSO}/reservations")).as_array().unwrap() {
        let Some(original) = originals.iter().find(|x| x["id"] == r["id"]) else { continue };
        let taken = accepted.get(r["id"].as_str().unwrap()).copied().unwrap_or(0);
        assert_eq!(r["quantity"].as_u64().unwrap(), original["quantity"].as_u64().unwrap() - taken, "units of {}", r["id"]);
    }
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
fn role_assignments_are_added_and_removed_only_within_their_order() {
    reset();
    let order = active(CONTOSO)[0]["reservationOrderId"].as_str().unwrap().to_owned();
    let other = active(FABRIKAM)[0]["reservationOrderId"].as_str().unwrap().to_owned();
    let path = format!("/reservationOrders/{order}/roleAssignments");
    assert_eq!(get(&path).as_array().unwrap().len(), 2, "seeded Owner and Reader");
    let created = post(&path, json!({ "principalName": "ada@contoso.com", "principalType": "User", "role": "Reader" })).unwrap();
    let id = created["id"].as_str().unwrap();
    let denied = handle(Some("demo-helpdesk-agent"), "DELETE", &format!("{path}/{id}"), &[], None);
    assert_eq!(denied.unwrap_err().status, 403);
    let elsewhere = handle(ADMIN, "DELETE", &format!("/reservationOrders/{other}/roleAssignments/{id}"), &[], None);
    assert_eq!(elsewhere.unwrap_err().status, 404);
    handle(ADMIN, "DELETE", &format!("{path}/{id}"), &[], None).unwrap();
    assert_eq!(get(&path).as_array().unwrap().len(), 2);
}

#[wasm_bindgen_test]
fn refunds_and_changes_are_audited_in_the_browser_too() {
    reset();
    let r = active(FABRIKAM).into_iter().find(|r| r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let calc = calculate(&r, 1).unwrap();
    submit(&r, &calc["sessionId"]).unwrap();
    let audit = get("/audit");
    assert_eq!(audit[0]["action"], "refund");
    assert_eq!(audit[0]["actor"], "adam.agent@partner.example");
    assert_eq!(audit[0]["customerId"], FABRIKAM);
}
