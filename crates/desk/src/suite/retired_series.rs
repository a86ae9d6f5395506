//! The suite's cases for retired VM series on the desk's own surfaces: the
//! catalog marks a retired series × term, an exchange cannot buy one from its date (nor does
//! the session's re-check let one through), and automatic renewal cannot be turned on for one.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use super::{noon, Harness};

/// A 1-year Fsv2 size in the demo catalog: 1-year reservations of the Fsv2 series can be neither
/// bought nor renewed from 1 July 2026 (docs/policy-sources.md).
const RETIRED_SKU: &str = "Standard_F16s_v2/westeurope";
/// A VM size of a series that is not retired.
const CURRENT_SKU: &str = "Standard_D2s_v5/westeurope";

/// `y-m-d h:m:s` UTC.
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("a time")
}

/// An active VM reservation of any customer still running after 2 July 2026.
async fn vm_reservation<S: crate::DeskStore>(h: &Harness<S>) -> Value {
    for customer in h.get("/customers").await.as_array().expect("a list") {
        let id = customer["id"].as_str().expect("an ID");
        let found = h.active(id).await.into_iter().find(|r| {
            r["reservedResourceType"] == "VirtualMachines" && r["expiryDate"].as_str().is_some_and(|d| d > "2026-07-02")
        });
        if let Some(r) = found {
            return r;
        }
    }
    panic!("the demo data has an active VM reservation running past July 2026");
}

/// A purchase line of `quantity` units of `sku` for `term`, shared, paid upfront.
fn buy(sku: &str, term: &str, quantity: u32) -> Value {
    json!({ "skuId": sku, "term": term, "billingPlan": "Upfront", "quantity": quantity, "appliedScopeType": "Shared" })
}

/// Returning one unit of `r` for `purchases`.
fn exchange_of(r: &Value, purchases: Vec<Value>) -> Value {
    json!({ "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }], "reservationsToPurchase": purchases })
}

/// The quote's policy errors with code `RetiredVmSeries`.
fn retired_errors(calc: &Value) -> Vec<Value> {
    calc["quote"]["policyResult"]["policyErrors"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["code"] == "RetiredVmSeries")
        .cloned()
        .collect()
}

/// The catalog lists Fsv2's retired 1-year term with its date (and no other SKU's); buying 4
/// units of it for 1 year is quoted on 30 June 2026 and refused by the policy, naming the SKU
/// and the series, on 1 July; 3 years of it still may be bought; a session quoted at 23:55 on
/// 30 June is refused on the re-check at 00:01 on 1 July, and nothing moves.
pub async fn an_exchange_cannot_buy_a_retired_vm_series_for_its_term_from_its_date<S: crate::DeskStore>(h: Harness<S>) {
    let catalog = h.get("/catalog").await;
    let items = catalog.as_array().expect("a list");
    let item = |id: &str| items.iter().find(|i| i["skuId"] == id).expect("in the catalog").clone();
    assert_eq!(item(RETIRED_SKU)["retiredTerms"], json!([{ "term": "P1Y", "from": "2026-07-01", "series": "Fsv2" }]));
    assert_eq!(item(CURRENT_SKU)["retiredTerms"], json!([]));

    let r = vm_reservation(&h).await;
    let one_year = exchange_of(&r, vec![buy(RETIRED_SKU, "P1Y", 4)]);
    let admin = "demo-global-admin";
    let (status, before) = h.at(at(2026, 6, 30, 12, 0), admin, "POST", "/calculateExchange", Some(one_year.clone())).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["quote"]["isValidExchange"], true, "the day before: {before}");
    assert!(retired_errors(&before).is_empty());

    let (status, refused) = h.at(at(2026, 7, 1, 12, 0), admin, "POST", "/calculateExchange", Some(one_year.clone())).await;
    assert_eq!(status, 200, "{refused}");
    assert_eq!(refused["quote"]["isValidExchange"], false, "{refused}");
    let errors = retired_errors(&refused);
    assert_eq!(errors.len(), 1, "{refused}");
    let message = errors[0]["message"].as_str().expect("a message");
    assert!(message.contains("Standard_F16s_v2") && message.contains("Fsv2") && message.contains("2026-07-01"), "{message}");

    let three_years = exchange_of(&r, vec![buy(RETIRED_SKU, "P3Y", 4)]);
    let (status, other_term) = h.at(at(2026, 7, 1, 12, 0), admin, "POST", "/calculateExchange", Some(three_years)).await;
    assert_eq!((status, other_term["quote"]["isValidExchange"].clone()), (200, json!(true)), "{other_term}");

    let (_, late) = h.at(at(2026, 6, 30, 23, 55), admin, "POST", "/calculateExchange", Some(one_year)).await;
    assert_eq!(late["quote"]["isValidExchange"], true, "{late}");
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let stored = h.get(&path).await;
    let (status, problem) =
        h.at(at(2026, 7, 1, 0, 1), admin, "POST", "/exchange", Some(json!({ "sessionId": late["sessionId"] }))).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Standard_F16s_v2"), "{problem}");
    assert_eq!(h.get(&path).await["quantity"], stored["quantity"], "nothing moved");
}

/// Reservations bought on the seed day (2 March 2026): Fsv2 for 1 year would renew after 1 July
/// 2026, so renewal cannot be turned on (409 `renewalRetired` on `renew`, nothing saved or
/// audited); turning it off is allowed; Fsv2 for 3 years and Dsv5 for 1 year renew.
pub async fn renewal_cannot_be_turned_on_for_a_retired_vm_series_and_term<S: crate::DeskStore>(h: Harness<S>) {
    let r = vm_reservation(&h).await;
    let request = exchange_of(&r, vec![buy(RETIRED_SKU, "P1Y", 4), buy(RETIRED_SKU, "P3Y", 1), buy(CURRENT_SKU, "P1Y", 1)]);
    let (status, calc) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_eq!((status, calc["quote"]["isValidExchange"].clone()), (200, json!(true)), "{calc}");
    let (status, done) = h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    let path = |i: usize| {
        let p = &done["purchased"][i];
        format!("/reservationOrders/{}/reservations/{}", p["reservationOrderId"].as_str().unwrap(), p["id"].as_str().unwrap())
    };
    let customer = done["purchased"][0]["customerId"].as_str().unwrap().to_owned();
    let audit_before = h.last_audit(&customer).await;

    let (status, problem) = h.call("PATCH", &path(0), Some(json!({ "renew": true, "displayName": "renewed" }))).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (409, Some("renewalRetired"), Some("renew")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("Standard_F16s_v2") && detail.contains("Fsv2") && detail.contains("2026-07-01"), "{detail}");
    let unchanged = h.get(&path(0)).await;
    assert_eq!((unchanged["renew"].clone(), unchanged["displayName"] != "renewed"), (json!(false), true), "nothing saved");
    assert_eq!(h.last_audit(&customer).await, audit_before, "nothing audited");

    let (status, off) = h.call("PATCH", &path(0), Some(json!({ "renew": false, "displayName": "kept off" }))).await;
    assert_eq!((status, off["renew"].clone(), off["displayName"].clone()), (200, json!(false), json!("kept off")), "{off}");
    for i in [1, 2] {
        let (status, on) = h.at(noon(), "demo-global-admin", "PATCH", &path(i), Some(json!({ "renew": true }))).await;
        assert_eq!((status, on["renew"].clone()), (200, json!(true)), "purchase {i}: {on}");
    }
}
