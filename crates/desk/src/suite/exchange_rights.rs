//! The suite's cases for exchange eligibility from 1 February 2027 through
//! the desk's own exchange sessions, with the test clock moved into 2027: a reservation bought in
//! an exchange is a purchase of the exchange day, so one bought on 31 January 2027 keeps a final
//! exchange and one bought on 1 February has none; a pre-2027 reservation's final exchange buys
//! reservations that cannot be exchanged; exchanged units leave the reservation, so a partial
//! final exchange leaves the other units their right; database reservations (SQL Database,
//! Cosmos DB) follow the same rule; a service savings plans do not cover (Redis, managed disks)
//! stays exchangeable. (The desk renews nothing itself: a renewal reaches it as a reservation
//! starting on its renewal day, judged as a purchase of that day; desk-service's
//! `exchange_rights` tests that case.)

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use super::Harness;

const ADMIN: &str = "demo-global-admin";

/// Noon UTC of `y-m-d`.
fn noon_of(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().expect("a time")
}

/// An active reservation of `family` of any customer, of at least `units` units, running past
/// 2027 (so it can be exchanged in 2027), bought before 2027.
async fn running_into_2027<S: crate::DeskStore>(h: &Harness<S>, family: &str, units: u64) -> Value {
    for customer in h.get("/customers").await.as_array().expect("a list") {
        let found = h.active(customer["id"].as_str().expect("an ID")).await.into_iter().find(|r| {
            r["reservedResourceType"] == family
                && r["quantity"].as_u64().is_some_and(|q| q >= units)
                && r["expiryDate"].as_str().is_some_and(|d| d > "2027-06-30")
        });
        if let Some(r) = found {
            return r;
        }
    }
    panic!("the demo has an active {family} reservation of {units} units running past June 2027");
}

/// Returning `units` units of `r` for as many units of its own SKU (west Europe) for 5 years:
/// a new commitment at least what is returned.
fn exchange_of(r: &Value, units: u64) -> Value {
    let sku = format!("{}/westeurope", r["skuName"].as_str().expect("a SKU"));
    json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": units }],
        "reservationsToPurchase": [{ "skuId": sku, "term": "P5Y", "billingPlan": "Upfront", "quantity": units, "appliedScopeType": "Shared" }]
    })
}

/// `calculateExchange` at `at`: the answer (200 expected).
async fn quote_at<S: crate::DeskStore>(h: &Harness<S>, at: DateTime<Utc>, request: Value) -> Value {
    let (status, calc) = h.at(at, ADMIN, "POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "{calc}");
    calc
}

/// Exchanges `units` units of `r` at `at` (quote, then exchange): the reservation bought.
async fn exchange_at<S: crate::DeskStore>(h: &Harness<S>, at: DateTime<Utc>, r: &Value, units: u64) -> Value {
    let calc = quote_at(h, at, exchange_of(r, units)).await;
    assert_eq!(calc["quote"]["isValidExchange"], true, "{calc}");
    let (status, done) = h.at(at, ADMIN, "POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    done["purchased"][0].clone()
}

/// The quote's `ReservationNotExchangeable` errors.
fn not_exchangeable(calc: &Value) -> Vec<Value> {
    calc["quote"]["policyResult"]["policyErrors"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["code"] == "ReservationNotExchangeable")
        .cloned()
        .collect()
}

/// Asserts that exchanging one unit of `r` at `at` is refused as not exchangeable (bought on or
/// after 1 February 2027), with the figures, and that no session is kept: nothing moves.
async fn assert_refused<S: crate::DeskStore>(h: &Harness<S>, at: DateTime<Utc>, r: &Value) {
    let calc = quote_at(h, at, exchange_of(r, 1)).await;
    assert_eq!(calc["quote"]["isValidExchange"], false, "{calc}");
    let errors = not_exchangeable(&calc);
    assert_eq!(errors.len(), 1, "{calc}");
    assert_eq!(
        errors[0]["detail"],
        json!({ "kind": "notExchangeable", "reservedResourceType": r["reservedResourceType"], "from": "2027-02-01", "renewal": false }),
        "{calc}"
    );
    // A refused quote's exchange is refused as the quote was, and moves nothing.
    let (status, problem) = h.at(at, ADMIN, "POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("ReservationNotExchangeable"), "{problem}");
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (_, still) = h.at(at, ADMIN, "GET", &path, None).await;
    assert_eq!((&still["quantity"], &still["provisioningState"]), (&r["quantity"], &json!("Succeeded")), "nothing moved: {still}");
}

/// Bought (in an exchange) on 31 January 2027: exchangeable on 2 February, its final exchange;
/// bought on 1 February: refused, naming the rule.
pub async fn a_vm_reservation_bought_on_31_january_2027_is_exchangeable_and_one_bought_on_1_february_is_not<S: crate::DeskStore>(h: Harness<S>) {
    let r = running_into_2027(&h, "VirtualMachines", 2).await;
    let on_31 = exchange_at(&h, noon_of(2027, 1, 31), &r, 1).await;
    assert_eq!(on_31["purchaseDate"], "2027-01-31");
    let on_1 = exchange_at(&h, noon_of(2027, 2, 1), &r, 1).await;
    assert_eq!(on_1["purchaseDate"], "2027-02-01");

    assert_refused(&h, noon_of(2027, 2, 2), &on_1).await;
    let calc = quote_at(&h, noon_of(2027, 2, 2), exchange_of(&on_31, 1)).await;
    assert_eq!(calc["quote"]["isValidExchange"], true, "the final exchange of a unit bought on 31 January: {calc}");
    assert!(not_exchangeable(&calc).is_empty());
}

/// A reservation bought in 2026, exchanged on 1 March 2027 (its final exchange): the
/// reservation that exchange buys cannot be exchanged, on the day after nor a year later.
pub async fn a_final_exchange_buys_reservations_that_cannot_be_exchanged<S: crate::DeskStore>(h: Harness<S>) {
    let r = running_into_2027(&h, "VirtualMachines", 1).await;
    assert!(r["purchaseDate"].as_str().is_some_and(|d| d < "2027-02-01"));
    let bought = exchange_at(&h, noon_of(2027, 3, 1), &r, 1).await;
    assert_refused(&h, noon_of(2027, 3, 2), &bought).await;
    assert_refused(&h, noon_of(2028, 3, 1), &bought).await;
}

/// Exchanging 2 units of a reservation bought in 2026 on 1 March 2027 leaves the others in it,
/// each with its final exchange: on 2 March every remaining unit is exchanged, and the
/// reservation is then cancelled.
pub async fn a_partial_final_exchange_leaves_the_other_units_their_right<S: crate::DeskStore>(h: Harness<S>) {
    let r = running_into_2027(&h, "VirtualMachines", 3).await;
    let units = r["quantity"].as_u64().expect("a quantity");
    exchange_at(&h, noon_of(2027, 3, 1), &r, 2).await;
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (_, left) = h.at(noon_of(2027, 3, 2), ADMIN, "GET", &path, None).await;
    assert_eq!(left["quantity"].as_u64(), Some(units - 2), "{left}");
    exchange_at(&h, noon_of(2027, 3, 2), &r, units - 2).await;
    let (_, after) = h.at(noon_of(2027, 3, 2), ADMIN, "GET", &path, None).await;
    assert_eq!(after["provisioningState"], "Cancelled", "{after}");
}

/// The database reservations the demo sells (SQL Database, Cosmos DB) follow the rule as compute
/// does: bought (in an exchange) on 31 January 2027, exchangeable on 2 February, its final
/// exchange; bought on 1 February, refused naming its type and the date; and the final exchange
/// of a reservation bought in 2026 is a right of each unit (2 exchanged on 1 March, the rest on
/// 2 March).
pub async fn database_reservations_bought_on_1_february_2027_cannot_be_exchanged_and_older_ones_keep_a_final_exchange_per_unit<S: crate::DeskStore>(h: Harness<S>) {
    for family in ["SqlDatabases", "CosmosDb"] {
        let r = running_into_2027(&h, family, 4).await;
        assert!(r["purchaseDate"].as_str().is_some_and(|d| d < "2027-02-01"), "{r}");
        let on_31 = exchange_at(&h, noon_of(2027, 1, 31), &r, 1).await;
        let on_1 = exchange_at(&h, noon_of(2027, 2, 1), &r, 1).await;
        assert_eq!((on_1["purchaseDate"].clone(), on_1["reservedResourceType"].clone()), (json!("2027-02-01"), json!(family)), "{on_1}");
        assert_refused(&h, noon_of(2027, 2, 2), &on_1).await;
        let calc = quote_at(&h, noon_of(2027, 2, 2), exchange_of(&on_31, 1)).await;
        assert_eq!(calc["quote"]["isValidExchange"], true, "{family}: the final exchange of a unit bought on 31 January: {calc}");

        // The 2 units left of the 2026 reservation: one on 1 March, the other on 2 March.
        exchange_at(&h, noon_of(2027, 3, 1), &r, 1).await;
        let bought = exchange_at(&h, noon_of(2027, 3, 2), &r, r["quantity"].as_u64().expect("a quantity") - 3).await;
        assert_refused(&h, noon_of(2027, 3, 3), &bought).await;
    }
}

/// A service savings plans do not cover (Redis, managed disks) stays exchangeable: bought in an
/// exchange on 1 February 2027, it is exchanged again on 1 March, and what that buys again on
/// 1 April.
pub async fn a_service_outside_the_list_stays_exchangeable_after_the_date<S: crate::DeskStore>(h: Harness<S>) {
    for family in ["RedisCache", "ManagedDisk"] {
        let r = running_into_2027(&h, family, 1).await;
        let first = exchange_at(&h, noon_of(2027, 2, 1), &r, 1).await;
        let second = exchange_at(&h, noon_of(2027, 3, 1), &first, 1).await;
        let third = exchange_at(&h, noon_of(2027, 4, 1), &second, 1).await;
        assert_eq!(third["purchaseDate"], "2027-04-01", "{family}");
    }
}
