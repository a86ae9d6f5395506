//! What Azure mode reads, tested against what Microsoft published rather than answers the desk
//! wrote: the example answers of Microsoft.Capacity 2022-11-01 and the specification itself
//! (`tests/published/`, byte for byte, with their sources).
//!
//! Which properties may be missing is derived from the specification: each example's body is
//! walked along its schema (`$ref`s and `allOf`s followed), and every property the schema does
//! not list as `required` is removed, one at a time, at every depth. Each variant must read: a
//! reservation with what it leaves out filled from its order, or, only where a value the desk
//! cannot do without is nowhere, that one reservation set aside with why; an order's price
//! known or unknown with why; a refund's figures, or the missing figure named. Never a failed
//! page, never a panic.

use std::collections::BTreeSet;

use azure_api::order_price::{OrderPrice, OrderRead};
use azure_api::read::{read_page, OrderFacts, ReadContext, RefundRead};
use rust_decimal_macros::dec;
use serde_json::{json, Value};

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/published/microsoft.capacity-2022-11-01");

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FOLDER}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn spec() -> Value {
    load("reservations.json")
}

fn response(example: &str, status: &str) -> Value {
    load(&format!("examples/{example}"))["responses"][status]["body"].clone()
}

/// A schema with its `$ref` followed (refs to other files are empty schemas: the specification
/// draws only ARM's common resource from them, whose members are read-only and optional).
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) if r.starts_with("#/definitions/") => resolve(spec, &spec["definitions"][&r["#/definitions/".len()..]]),
        Some(_) => &Value::Null,
        None => schema,
    }
}

/// The schema of member `key` of an object of `schema`, and whether it is required.
fn member<'a>(spec: &'a Value, schema: &'a Value, key: &str) -> Option<(&'a Value, bool)> {
    let schema = resolve(spec, schema);
    let required = schema["required"].as_array().is_some_and(|r| r.iter().any(|k| k == key));
    if let Some(s) = schema["properties"].get(key) {
        return Some((s, required));
    }
    schema["allOf"].as_array()?.iter().find_map(|part| member(spec, part, key)).map(|(s, r)| (s, r || required))
}

/// Every path (JSON pointer) in `value` to a property its schema does not require.
fn optional_paths(spec: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let path = format!("{at}/{key}");
                match member(spec, schema, key) {
                    Some((s, required)) => {
                        if !required {
                            out.push(path.clone());
                        }
                        optional_paths(spec, s, v, &path, out);
                    }
                    // A property the specification does not describe is never read as required.
                    None => out.push(path),
                }
            }
        }
        Value::Array(items) => {
            let item = &resolve(spec, schema)["items"];
            for (i, v) in items.iter().enumerate() {
                optional_paths(spec, item, v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `value` without the property at `path`.
fn without(value: &Value, path: &str) -> Value {
    let mut copy = value.clone();
    let (parent, key) = path.rsplit_once('/').unwrap();
    if let Some(Value::Object(map)) = copy.pointer_mut(parent) {
        map.remove(key);
    }
    copy
}

fn definition(name: &str) -> Value {
    json!({"$ref": format!("#/definitions/{name}")})
}

/// The published order's facts: 466 USD for 7 units, P1Y, Monthly.
fn published_order() -> OrderFacts {
    let order: OrderRead = serde_json::from_value(response("GetReservationOrderDetailsWithExpandPlanInformation.json", "200")).unwrap();
    order.facts()
}

#[test]
fn the_specification_requires_nothing_the_desk_reads() {
    // Were a property made required upstream, the removal tests below would stop removing it and
    // this list would say which: the desk's read types keep every property optional.
    let spec = spec();
    let mut required = BTreeSet::new();
    for (name, definition) in spec["definitions"].as_object().unwrap() {
        for key in definition["required"].as_array().into_iter().flatten() {
            required.insert(format!("{name}.{}", key.as_str().unwrap()));
        }
    }
    let read = [
        "ReservationResponse", "ReservationsProperties", "SkuName", "ReservationOrderResponse", "ReservationOrderProperties",
        "ReservationOrderBillingPlanInformation", "PaymentDetail", "Price", "RefundResponse", "RefundResponseProperties",
        "RefundPolicyResult", "RefundPolicyResultProperty", "ReservationsListResult", "ReservationList",
    ];
    let read_required: Vec<&String> = required.iter().filter(|r| read.iter().any(|d| r.starts_with(&format!("{d}.")))).collect();
    assert!(read_required.is_empty(), "the specification now requires {read_required:?}");
    for d in read {
        assert!(spec["definitions"].get(d).is_some(), "{d} is a definition of the specification");
    }
}

#[test]
fn every_published_reservation_reads_with_its_order_filling_what_it_leaves_out() {
    let context = ReadContext { customer_id: "c".into(), order: published_order() };
    let lists = [
        ("GetReservations.json", "/value"),
        ("GetReservationsFromOrder.json", "/value"),
        ("SplitReservation.json", ""),
        ("MergeReservations.json", ""),
    ];
    let mut read = 0;
    for (example, at) in lists {
        let body = response(example, "200");
        for item in body.pointer(at).unwrap().as_array().unwrap() {
            let r = azure_api::read::read_item(item.clone()).unwrap().to_reservation(&context);
            let r = r.unwrap_or_else(|why| panic!("{example}: {why:?}"));
            let p = &item["properties"];
            assert_eq!(Some(u64::from(r.quantity)), p["quantity"].as_u64(), "{example}");
            assert_eq!(r.expiry_date.to_string(), p["expiryDate"].as_str().unwrap(), "{example}: Azure's expiry");
            assert_eq!(r.unit_price.amount, dec!(66.57), "{example}");
            read += 1;
        }
    }
    for example in ["GetReservationDetails.json", "UpdateReservation.json"] {
        let item = response(example, "200");
        let r = azure_api::read::read_item(item.clone()).unwrap().to_reservation(&context).unwrap_or_else(|why| panic!("{example}: {why:?}"));
        assert_eq!(serde_json::to_value(r.billing_plan).unwrap(), item["properties"]["billingPlan"], "{example}");
        read += 1;
    }
    assert_eq!(read, 1 + 5 + 3 + 3 + 2);
    // The list's one reservation: P3Y as published (the order's P1Y does not override it), its
    // billing plan from the order, its expiry Azure's even where purchase + term would differ.
    let listed = read_page(serde_json::to_string(&response("GetReservations.json", "200")).unwrap().as_bytes()).unwrap();
    let r = listed.items[0].as_ref().unwrap().to_reservation(&context).unwrap();
    assert_eq!((serde_json::to_value(r.term).unwrap(), serde_json::to_value(r.billing_plan).unwrap()), (json!("P3Y"), json!("Monthly")));
    assert_eq!((r.purchase_date.to_string(), r.expiry_date.to_string()), ("2021-04-22".into(), "2023-07-21".into()));
    assert_eq!(r.utilization.last30_days, Some(dec!(0.05)));
}

/// The codes a reservation may be set aside with when `removed` is gone: only for what the desk
/// cannot do without.
fn may_set_aside(removed: &str, item: &Value) -> &'static [&'static str] {
    let key = removed.rsplit('/').next().unwrap();
    let in_properties = |k: &str| item["properties"].get(k).is_some();
    match key {
        "properties" => &["QuantityUnknown"],
        "quantity" if removed.ends_with("/properties/quantity") => &["QuantityUnknown"],
        "provisioningState" if !in_properties("displayProvisioningState") => &["ProvisioningStateUnknown"],
        "displayProvisioningState" if !in_properties("provisioningState") => &["ProvisioningStateUnknown"],
        // Without its ID, a reservation is known by its name only when the name says its order.
        "id" if !item["name"].as_str().unwrap_or_default().contains('/') => &["UnreadableReservation"],
        _ => &[],
    }
}

#[test]
fn removing_any_optional_property_of_a_published_reservation_leaves_it_read_or_set_aside_with_why() {
    let spec = spec();
    let context = ReadContext { customer_id: "c".into(), order: published_order() };
    let cases = [
        ("GetReservations.json", definition("ReservationsListResult")),
        ("GetReservationsFromOrder.json", definition("ReservationList")),
        ("GetReservationDetails.json", definition("ReservationResponse")),
        ("UpdateReservation.json", definition("ReservationResponse")),
    ];
    let mut variants = 0;
    for (example, schema) in cases {
        let body = response(example, "200");
        let mut paths = Vec::new();
        optional_paths(&spec, &schema, &body, "", &mut paths);
        assert!(paths.len() > 20, "{example}: {paths:?}");
        for path in paths {
            let changed = without(&body, &path);
            // A single reservation's answer is read as a page of one, as the list reads it.
            let page = if body.get("value").is_some() { changed.clone() } else { json!({"value": [changed.clone()]}) };
            let original_items: Vec<Value> = if body.get("value").is_some() { body["value"].as_array().unwrap().clone() } else { vec![body.clone()] };
            let read = read_page(page.to_string().as_bytes()).unwrap_or_else(|e| panic!("{example} without {path}: the page failed: {e}"));
            for (i, item) in read.items.iter().enumerate() {
                let outcome = item.clone().and_then(|r| r.to_reservation(&context));
                if let Err(why) = outcome {
                    let touched = path.starts_with(&format!("/value/{i}/")) || !path.starts_with("/value/");
                    let allowed = if touched { may_set_aside(path.trim_start_matches(&format!("/value/{i}")), &original_items[i]) } else { &[] };
                    assert!(allowed.contains(&why.code.as_str()), "{example} without {path}: item {i} set aside as {why:?}");
                    assert!(!why.message.is_empty(), "{example} without {path}: why is said");
                }
            }
            variants += 1;
        }
    }
    println!("{variants} variants read");
}

#[test]
fn removing_any_optional_property_of_a_published_order_leaves_its_price_known_or_unknown_with_why() {
    let spec = spec();
    for example in ["GetReservationOrderDetailsWithExpandPlanInformation.json", "GetReservationOrderDetails.json"] {
        let body = response(example, "200");
        let mut paths = Vec::new();
        optional_paths(&spec, &definition("ReservationOrderResponse"), &body, "", &mut paths);
        for path in paths {
            let order: OrderRead = serde_json::from_value(without(&body, &path)).unwrap_or_else(|e| panic!("{example} without {path}: {e}"));
            match order.facts().price {
                OrderPrice::Known { unit_price, .. } => assert_eq!(unit_price.amount, dec!(66.57), "{example} without {path}"),
                OrderPrice::Unknown(why) => assert!(!why.code.is_empty() && !why.message.is_empty(), "{example} without {path}"),
            }
        }
    }
    // The plan is what prices it: without `$expand`, the order says so.
    let plain: OrderRead = serde_json::from_value(response("GetReservationOrderDetails.json", "200")).unwrap();
    assert!(matches!(plain.facts().price, OrderPrice::Unknown(why) if why.code == "NoPlanInformation"));
}

#[test]
fn removing_any_optional_property_of_a_published_refund_names_what_the_desk_cannot_do_without() {
    let spec = spec();
    for (example, status) in [("CalculateRefund.json", "200"), ("Return.json", "202")] {
        let body = response(example, status);
        let whole: RefundRead = serde_json::from_value(body.clone()).unwrap();
        let figures = whole.figures(1).unwrap_or_else(|why| panic!("{example}: {why}"));
        assert!(!figures.session_id.is_empty() && figures.max_refund_limit.amount > dec!(0), "{example}");
        let mut paths = Vec::new();
        optional_paths(&spec, &definition("RefundResponse"), &body, "", &mut paths);
        let needed = ["sessionId", "billingRefundAmount", "consumedRefundsTotal", "maxRefundLimit", "currencyCode", "amount", "properties", "policyResult"];
        for path in paths {
            let read: RefundRead = serde_json::from_value(without(&body, &path)).unwrap_or_else(|e| panic!("{example} without {path}: {e}"));
            match read.figures(1) {
                Ok(_) => {}
                Err(why) => {
                    let key = path.rsplit('/').next().unwrap();
                    let pricing_not_usd = key == "pricingRefundAmount" && figures.billing_refund_amount.currency.code() != "USD";
                    assert!(needed.contains(&key) || pricing_not_usd, "{example} without {path}: {why}");
                }
            }
        }
    }
}

#[test]
fn an_answer_that_is_not_a_page_fails_the_read_and_an_item_that_is_not_a_reservation_only_itself() {
    assert!(read_page(b"<html>busy</html>").is_err());
    let mut body = response("GetReservationsFromOrder.json", "200");
    body["value"][2]["properties"] = json!("not an object");
    let read = read_page(body.to_string().as_bytes()).unwrap();
    assert_eq!(read.items.iter().filter(|i| i.is_ok()).count(), 4);
    let why = read.items[2].as_ref().unwrap_err();
    assert!(why.id.ends_with("e0e4b4f5-77ea-4984-9ee4-6bf9850ee6de") && why.message.contains("properties"), "{why:?}");
}
