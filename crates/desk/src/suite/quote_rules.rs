//! The suite's cases for Microsoft's dated rules in the stateless quotes (`/quotes/refund`,
//! `/quotes/exchange`): the optional `currentUnitPrice` and `skuName`, what they change, how
//! they are refused, and that they are documented.

use serde_json::{json, Value};

use super::Harness;

/// A refund quote of one of two units of a 1-year upfront VM reservation bought at USD 1,200.00
/// on 1 January 2026, quoted on 1 July 2026 (181 of 365 days used); `extra` is merged into the
/// reservation.
fn refund_request(extra: Value) -> Value {
    let mut reservation = json!({
        "reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": "Upfront",
        "purchaseDate": "2026-01-01", "quantity": 2,
        "unitPrice": { "amount": "1200.00", "currencyCode": "USD" }, "hasUsage": true
    });
    for (k, v) in extra.as_object().expect("an object") {
        reservation[k] = v.clone();
    }
    json!({ "policy": "azure-current", "asOf": "2026-07-01", "reservation": reservation, "quantity": 1, "priorRefunds": [] })
}

/// An exchange quote on `as_of` returning one unit of a 3-year VM reservation and buying one
/// 1-year VM reservation of `sku` (none: no `skuName`).
fn exchange_request(as_of: &str, sku: Option<&str>) -> Value {
    let mut purchase = json!({
        "reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1,
        "unitPrice": { "amount": "2000.00", "currencyCode": "USD" }
    });
    if let Some(sku) = sku {
        purchase["skuName"] = json!(sku);
    }
    json!({
        "policy": "azure-current", "asOf": as_of,
        "returns": [{ "quantity": 1, "reservation": {
            "reservedResourceType": "VirtualMachines", "term": "P3Y", "billingPlan": "Upfront",
            "purchaseDate": "2025-06-01", "quantity": 1,
            "unitPrice": { "amount": "1800.00", "currencyCode": "USD" }, "hasUsage": true
        } }],
        "purchases": [purchase]
    })
}

fn codes(quote: &Value) -> Vec<&str> {
    quote["policyResult"]["policyErrors"].as_array().expect("a list").iter().map(|e| e["code"].as_str().unwrap()).collect()
}

fn amount(v: &Value) -> rust_decimal::Decimal {
    v["amount"].as_str().expect("an amount").parse().expect("a decimal")
}

/// A lower `currentUnitPrice` refunds less, by a `refund-at-current-price` line that says which
/// price and why; a higher one (or none) refunds as at the purchase price, without that line.
pub async fn a_quote_at_a_lower_current_price_refunds_less_and_says_why<S: crate::DeskStore>(h: Harness<S>) {
    let (status, plain) = h.call("POST", "/quotes/refund", Some(refund_request(json!({})))).await;
    assert_eq!(status, 200, "{plain}");
    assert!(plain.get("refundUnitPrice").is_none(), "no currentUnitPrice, no refundUnitPrice: {plain}");
    assert!(!plain["lines"].as_array().unwrap().iter().any(|l| l["reason"] == "refund-at-current-price"), "{plain}");

    let lower = json!({ "currentUnitPrice": { "amount": "900.00", "currencyCode": "USD" }, "skuName": "Standard_D4s_v5" });
    let (status, quote) = h.call("POST", "/quotes/refund", Some(refund_request(lower))).await;
    assert_eq!(status, 200, "{quote}");
    // 1,200.00 − 181/365 used = 604.93 at the purchase price; 900.00 − 181/365 = 453.70 at the current one.
    assert_eq!((amount(&plain["refundAmount"]), amount(&quote["refundAmount"])), ("604.93".parse().unwrap(), "453.70".parse().unwrap()), "{plain}\n{quote}");
    let line = quote["lines"].as_array().unwrap().iter().find(|l| l["reason"] == "refund-at-current-price").expect("the line");
    assert_eq!(amount(&line["amount"]), "-151.23".parse().unwrap(), "{line}");
    assert_eq!(line["detail"], json!({ "kind": "currentPrice",
        "purchaseUnitPrice": { "amount": "1200.00", "currencyCode": "USD" }, "currentUnitPrice": { "amount": "900.00", "currencyCode": "USD" } }));
    let sum: rust_decimal::Decimal = quote["lines"].as_array().unwrap().iter().map(|l| amount(&l["amount"])).sum();
    assert_eq!(sum, amount(&quote["refundAmount"]), "the lines sum to the refund: {quote}");
    assert_eq!(quote["refundUnitPrice"]["basis"], "CurrentPrice", "{quote}");
    assert_eq!(amount(&quote["refundUnitPrice"]["unitPrice"]), "900.00".parse().unwrap(), "{quote}");

    let higher = json!({ "currentUnitPrice": { "amount": "1500.00", "currencyCode": "USD" } });
    let (_, quote) = h.call("POST", "/quotes/refund", Some(refund_request(higher))).await;
    assert_eq!(quote["refundAmount"], plain["refundAmount"], "{quote}");
    assert_eq!(quote["lines"], plain["lines"], "{quote}");
    assert_eq!(quote["refundUnitPrice"]["basis"], "PurchasePrice", "{quote}");
}

/// A negative `currentUnitPrice`, one in another currency, or a `skuName` that is no SKU name
/// (on a reservation or a purchase) is a 400 naming the field; a bad SKU name has its own code.
pub async fn a_bad_current_price_or_sku_name_is_a_400_naming_the_field<S: crate::DeskStore>(h: Harness<S>) {
    for (extra, code, field) in [
        (json!({ "currentUnitPrice": { "amount": "-1.00", "currencyCode": "USD" } }), "invalidQuoteInput", "reservation.currentUnitPrice.amount"),
        (json!({ "currentUnitPrice": { "amount": "900.00", "currencyCode": "EUR" } }), "invalidQuoteInput", "reservation.currentUnitPrice.currencyCode"),
        (json!({ "skuName": "" }), "invalidSkuName", "reservation.skuName"),
        (json!({ "skuName": "Standard D2s v3" }), "invalidSkuName", "reservation.skuName"),
        (json!({ "skuName": "x".repeat(129) }), "invalidSkuName", "reservation.skuName"),
    ] {
        let (status, problem) = h.call("POST", "/quotes/refund", Some(refund_request(extra.clone()))).await;
        assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some(code), Some(field)), "{extra}: {problem}");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "the detail names the field: {problem}");
    }
    let (status, problem) = h.call("POST", "/quotes/exchange", Some(exchange_request("2026-07-02", Some("Standard_D2s_v3\t")))).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("invalidSkuName"), Some("purchases[0].skuName")), "{problem}");
}

/// Buying `Standard_D2s_v3` (Dsv3) for 1 year after 1 July 2026 is refused by policy, naming the
/// SKU; on 30 June 2026, or without a `skuName`, it is not.
pub async fn an_exchange_buying_a_retired_vm_series_is_refused_naming_the_sku<S: crate::DeskStore>(h: Harness<S>) {
    let (status, quote) = h.call("POST", "/quotes/exchange", Some(exchange_request("2026-07-02", Some("Standard_D2s_v3")))).await;
    assert_eq!(status, 200, "{quote}");
    assert_eq!(codes(&quote), ["RetiredVmSeries"], "{quote}");
    let error = &quote["policyResult"]["policyErrors"][0];
    assert!(error["message"].as_str().unwrap().contains("Standard_D2s_v3"), "{error}");
    assert_eq!(error["detail"], json!({ "kind": "retiredVmSeries", "skuName": "Standard_D2s_v3", "series": "Dsv3",
        "term": "P1Y", "from": "2026-07-01", "renewal": false }));

    for (as_of, sku) in [("2026-06-30", Some("Standard_D2s_v3")), ("2026-07-02", None), ("2026-07-02", Some("Standard_D2s_v5"))] {
        let (status, quote) = h.call("POST", "/quotes/exchange", Some(exchange_request(as_of, sku))).await;
        assert_eq!((status, codes(&quote)), (200, vec![]), "{as_of} {sku:?}: {quote}");
    }
    // The day before, the SKU changes nothing in the answer.
    let (_, with) = h.call("POST", "/quotes/exchange", Some(exchange_request("2026-06-30", Some("Standard_D2s_v3")))).await;
    let (_, without) = h.call("POST", "/quotes/exchange", Some(exchange_request("2026-06-30", None))).await;
    assert_eq!(with, without);
}

/// The API document describes the new optional fields.
pub async fn the_quote_fields_of_the_dated_rules_are_documented<S: crate::DeskStore>(_h: Harness<S>) {
    let doc = crate::openapi::document();
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [("QuoteReservation", "currentUnitPrice"), ("QuoteReservation", "skuName"), ("Purchase", "skuName")] {
        let property = &schemas[schema]["properties"][field];
        let text = property.to_string();
        assert!(text.contains("\"description\""), "{schema}.{field} has a description: {property}");
        let required = schemas[schema]["required"].as_array().expect("required fields");
        assert!(!required.iter().any(|r| r == field), "{schema}.{field} is optional");
    }
    let problem_codes = schemas["ProblemCode"].to_string();
    assert!(problem_codes.contains("invalidSkuName"), "{problem_codes}");
}
