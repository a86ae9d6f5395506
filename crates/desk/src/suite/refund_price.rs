//! The suite's cases for refunds at the lower of the purchase price and the
//! current price on the desk's own sessions: the desk takes today's catalog price of a stored
//! reservation from its own catalog, so a refund session, its re-check before money moves and
//! the return refund at the lower price with the engine's `refund-at-current-price` line; a
//! price that is not lower changes nothing. Upfront and monthly.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{amount, noon, seed_day, Harness};

/// Today's catalog unit price of `r`'s SKU for its term (the catalog prices a SKU per term, the
/// same in every region; USD), if the catalog sells it.
fn catalog_price(catalog: &Value, r: &Value) -> Option<Decimal> {
    let item = catalog.as_array()?.iter().find(|i| i["skuName"] == r["skuName"] && i["reservedResourceType"] == r["reservedResourceType"])?;
    let price = item["prices"].as_array()?.iter().find(|p| p["term"] == r["term"])?;
    Some(amount(&price["unitPrice"]))
}

/// Every active USD reservation of every customer bought before the grace window (so usage does
/// not decide the quote), with today's catalog price.
async fn priced<S: crate::DeskStore>(h: &Harness<S>) -> Vec<(Value, Decimal)> {
    let catalog = h.get("/catalog").await;
    let before_grace = (seed_day() - chrono::Duration::days(10)).to_string();
    let mut all = Vec::new();
    for customer in h.get("/customers").await.as_array().expect("a list") {
        for r in h.active(customer["id"].as_str().expect("an ID")).await {
            if r["unitPrice"]["currencyCode"] == "USD" && r["purchaseDate"].as_str() < Some(before_grace.as_str()) {
                if let Some(price) = catalog_price(&catalog, &r) {
                    all.push((r, price));
                }
            }
        }
    }
    all
}

/// `/quotes/refund` of one unit of the stored `r` on the seed day, with `current` as its
/// `currentUnitPrice` (none: the purchase price).
async fn stateless_refund<S: crate::DeskStore>(h: &Harness<S>, r: &Value, current: Option<Decimal>) -> Value {
    let mut reservation = json!({
        "reservedResourceType": r["reservedResourceType"], "term": r["term"], "billingPlan": r["billingPlan"],
        "purchaseDate": r["purchaseDate"], "quantity": r["quantity"], "unitPrice": r["unitPrice"], "hasUsage": true
    });
    if let Some(price) = current {
        reservation["currentUnitPrice"] = json!({ "amount": price.to_string(), "currencyCode": "USD" });
    }
    let request = json!({ "policy": "azure-current", "asOf": seed_day().to_string(), "reservation": reservation, "quantity": 1, "priorRefunds": [] });
    let (status, quote) = h.call("POST", "/quotes/refund", Some(request)).await;
    assert_eq!(status, 200, "{quote}");
    quote
}

fn has_current_price_line(quote: &Value) -> bool {
    quote["lines"].as_array().expect("lines").iter().any(|l| l["reason"] == "refund-at-current-price")
}

/// A stored reservation bought above today's catalog price (the demo's D4s_v5 price cut), paid
/// upfront and one paid monthly: its refund session refunds one unit at the catalog price, less
/// than at its purchase price, with the `refund-at-current-price` line and `refundUnitPrice`
/// naming the current price; the return goes through (its re-check quotes at the same price, so
/// the quote has not changed) and refunds exactly the session's figure.
pub async fn a_refund_session_refunds_at_a_lower_current_price_upfront_and_monthly<S: crate::DeskStore>(h: Harness<S>) {
    let all = priced(&h).await;
    for plan in ["Upfront", "Monthly"] {
        let (r, current) = all
            .iter()
            .find(|(r, price)| r["billingPlan"] == plan && *price < amount(&r["unitPrice"]))
            .unwrap_or_else(|| panic!("the demo has an active {plan} reservation bought above today's catalog price"))
            .clone();
        let (status, session) = h.calculate_at(noon(), &r, 1).await;
        assert_eq!(status, 200, "{session}");
        let quote = &session["quote"];
        assert!(has_current_price_line(quote), "{plan}: {quote}");
        assert_eq!(quote["refundUnitPrice"]["basis"], "CurrentPrice", "{quote}");
        assert_eq!(amount(&quote["refundUnitPrice"]["unitPrice"]), current, "{quote}");
        assert_eq!(amount(&quote["refundUnitPrice"]["purchaseUnitPrice"]), amount(&r["unitPrice"]), "{quote}");
        // The same figures through the stateless quote: at the catalog price, and more at the purchase price.
        let at_current = stateless_refund(&h, &r, Some(current)).await;
        let at_purchase = stateless_refund(&h, &r, None).await;
        assert_eq!(amount(&quote["refundAmount"]), amount(&at_current["refundAmount"]), "{plan}: {quote}\n{at_current}");
        assert!(amount(&quote["refundAmount"]) < amount(&at_purchase["refundAmount"]), "{plan}: refunds less");
        let sum: Decimal = quote["lines"].as_array().unwrap().iter().map(|l| amount(&l["amount"])).sum();
        assert_eq!(sum, amount(&quote["refundAmount"]), "the lines add up: {quote}");

        let (status, done) = h.submit_at(noon(), &r, &session["sessionId"]).await;
        assert_eq!(status, 200, "{plan}: the re-check quotes at the same current price: {done}");
        assert_eq!(done["quote"], *quote, "the return refunds the session's figure");
    }
}

/// A stored reservation bought at today's catalog price, paid upfront and one paid monthly: its
/// session has no `refund-at-current-price` line and refunds what the purchase price gives; and a
/// current price above the purchase price changes nothing (the stateless quote, both plans).
pub async fn a_current_price_that_is_not_lower_changes_nothing_upfront_and_monthly<S: crate::DeskStore>(h: Harness<S>) {
    let all = priced(&h).await;
    for plan in ["Upfront", "Monthly"] {
        let (r, current) = all
            .iter()
            .find(|(r, price)| r["billingPlan"] == plan && *price == amount(&r["unitPrice"]))
            .unwrap_or_else(|| panic!("the demo has an active {plan} reservation at today's catalog price"))
            .clone();
        let (status, session) = h.calculate_at(noon(), &r, 1).await;
        assert_eq!(status, 200, "{session}");
        let quote = &session["quote"];
        assert!(!has_current_price_line(quote), "{plan}: {quote}");
        assert_eq!(quote["refundUnitPrice"]["basis"], "PurchasePrice", "{quote}");
        let at_purchase = stateless_refund(&h, &r, None).await;
        assert_eq!(quote["refundAmount"], at_purchase["refundAmount"], "{plan}");
        let higher = stateless_refund(&h, &r, Some(current * Decimal::new(12, 1))).await;
        assert_eq!((&higher["refundAmount"], &higher["lines"]), (&at_purchase["refundAmount"], &at_purchase["lines"]), "{plan}: a higher price");
        assert_eq!(higher["refundUnitPrice"]["basis"], "PurchasePrice", "{higher}");
    }
}
