//! A purchase in Azure mode goes through Partner Center, on behalf of the signed-in user, and is
//! recorded only from what Partner Center and ARM answer. Against the stand-ins
//! (`azure_stand_ins/partner_center_purchase.rs`, written from Learn's "Purchase Azure
//! reservations" pages, and ARM's `calculatePrice` in the shape of the specification's
//! `CalculateReservationOrder.json`): Review shows Azure's price beside the desk's; Submit
//! registers the subscription, finds the catalog item in the customer's Azure plan catalog,
//! makes a cart and checks it out once, then reads the reservation ARM made through the
//! order's entitlement. A checkout whose answer is lost, followed by a restart, leaves exactly
//! one order and one record.

use crate::azure_desk;

use axum::http::StatusCode;
use azure_desk::*;
use serde_json::{json, Value};

const TENANT: &str = "tenant-contoso";
const D4_1Y: &str = "DZH318Z0BQ5D:00A1:DZH318Z0C1A1";

/// Review: `quantity` × `Standard_D4s_v5` in West Europe for a year, paid as `plan`.
async fn review_of(d: &Desk, quantity: u32, plan: &str) -> (StatusCode, Value) {
    let request = json!({"customerId": "contoso", "purchase": {"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": plan,
        "quantity": quantity, "appliedScopeType": "Shared", "displayName": "d4 for the web farm", "renew": true}});
    d.call("POST", "/api/calculatePurchase", Some(request)).await
}

async fn review(d: &Desk, quantity: u32) -> (StatusCode, Value) {
    review_of(d, quantity, "Upfront").await
}

async fn submit(d: &Desk, session: &str) -> (StatusCode, Value) {
    d.call("POST", "/api/purchase", Some(json!({"sessionId": session, "ticketReference": "CHG-4711"}))).await
}

async fn purchases_recorded(d: &Desk) -> Vec<Value> {
    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    audit.as_array().unwrap().iter().filter(|e| e["action"] == "purchase").cloned().collect()
}

/// Partner Center's purchase-flow requests: (method, path without the query).
fn partner_center_calls(d: &Desk) -> Vec<(String, String)> {
    d.stand_ins.purchases(|p| p.requests.iter().map(|(m, path, ..)| (m.clone(), path.split('?').next().unwrap_or_default().to_owned())).collect())
}

fn dec(n: &str) -> rust_decimal::Decimal {
    n.parse().unwrap()
}

/// A money value's amount (Azure writes `1800.0` where the desk writes `1800.00`).
fn amount(money: &Value) -> rust_decimal::Decimal {
    dec(money["amount"].as_str().unwrap_or_default())
}

fn bought(d: &Desk) -> usize {
    d.stand_ins.purchases(|p| p.checkouts_bought)
}

#[tokio::test]
async fn a_purchase_goes_through_partner_centers_cart_and_checkout_and_is_read_back_from_arm() {
    let d = desk().await;
    read(&d).await;
    // The read asked today's price of each reservation: not what this test counts.
    d.stand_ins.purchases(|p| p.price_calls = 0);

    // Review: the desk's quote and Azure's price beside it (the same: nothing named).
    let (status, quote) = review(&d, 2).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["quote"]["commitment"]["amount"], "3504.00", "{quote}");
    assert_eq!((amount(&quote["azure"]["commitment"]), &quote["azure"]["commitment"]["currencyCode"]), (dec("3504"), &json!("USD")), "{quote}");
    assert_eq!(quote["azure"]["differences"], json!([]), "{quote}");
    assert_eq!(d.stand_ins.purchases(|p| p.price_calls), 2, "one unit (the quote's price), then the whole purchase");
    assert!(partner_center_calls(&d).is_empty(), "a review asks Partner Center nothing");
    let session = quote["sessionId"].as_str().unwrap().to_owned();

    // Buy: registration, catalog, cart, checkout, in that order, on behalf of the user.
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let order = done["reservationOrderId"].as_str().unwrap().to_owned();
    let reservation = done["purchased"][0]["id"].as_str().unwrap().to_owned();
    assert!(order.starts_with("ri-order-") && reservation.starts_with("ri-res-"), "ARM's IDs: {done}");
    assert_eq!((done["purchased"][0]["skuName"].as_str(), done["purchased"][0]["quantity"].as_u64()), (Some("Standard_D4s_v5"), Some(2)), "{done}");
    let calls = partner_center_calls(&d);
    let steps: Vec<&str> = calls.iter().map(|(_, p)| p.rsplit('/').next().unwrap()).collect();
    assert_eq!(
        steps,
        vec!["subscriptions", "registrations", "registrationstatus", "products", "skus", "availabilities", "checkInventory", "carts", "checkout", "entitlements"],
        "{calls:?}"
    );
    assert!(d.stand_ins.record(|r| r.changes_by_grant.iter().any(|(path, _)| path.contains("/reservations/ri-res-"))), "named in ARM");
    d.stand_ins.purchases(|p| {
        let cart = p.requests.iter().find(|(m, path, ..)| m == "POST" && path.ends_with("/carts")).unwrap();
        assert_eq!(
            cart.3["lineItems"][0],
            json!({"id": 0, "catalogItemId": D4_1Y, "quantity": 2, "billingCycle": "one_time", "termDuration": "P1Y",
                "provisioningContext": {"subscriptionId": "tenant-contoso-sub", "scope": "shared", "duration": "1Year"}}),
            "the documented line"
        );
        assert!(p.requests.iter().all(|(_, _, _, _, grant)| grant == "obo"), "every call on behalf of the user: {:?}", p.requests);
        let checkout = p.requests.iter().find(|(_, path, ..)| path.ends_with("/checkout")).unwrap();
        assert!(!checkout.2.is_empty(), "the checkout carries the desk's MS-RequestId");
        assert_eq!((p.checkout_calls, p.checkouts_bought), (1, 1));
    });

    // Recorded from Azure's answer: the reservation under ARM's IDs, its History, the audit entry.
    let (status, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{reservation}"), None).await;
    assert_eq!((status, &r["quantity"]), (StatusCode::OK, &json!(2)), "{r}");
    let recorded = purchases_recorded(&d).await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let change = recorded[0]["change"].as_str().unwrap();
    for said in ["bought through Partner Center", "named \"d4 for the web farm\", renewal on in ARM", "Partner Center order 311qiN8iFwkv", D4_1Y, "subscription tenant-contoso-sub", "asked by ada@partner.example"] {
        assert!(change.contains(said), "{said:?} in {change}");
    }
    assert_eq!(recorded[0]["ticketReference"], "CHG-4711");
    let detail = &recorded[0]["detail"];
    assert_eq!((&detail["kind"], &detail["throughAzure"], &detail["bought"]["quantity"]), (&json!("purchase"), &json!(true), &json!(2)), "{detail}");
    let (status, report) = d.call_as(&d.global_admin(), "GET", "/api/audit/verify", None).await;
    assert_eq!((status, report["intact"].as_bool()), (StatusCode::OK, Some(true)), "{report}");
    // On the month's statement at Azure's figure: Partner Center sells upfront, so Azure's total
    // for the order is what was due the day it was bought, and the customer is charged it.
    assert_eq!(amount(&detail["dueToday"]), dec("3504"), "{detail}");
    let month = &recorded[0]["time"].as_str().unwrap()[..7];
    let (status, statement) = d.call("GET", &format!("/api/customers/contoso/statements/{month}"), None).await;
    assert_eq!(status, StatusCode::OK, "{statement}");
    let line = statement["lines"].as_array().unwrap().iter().find(|l| l["reservationOrderId"] == order.as_str()).unwrap_or_else(|| panic!("the purchase is on the statement: {statement}"));
    assert_eq!((line["kind"].as_str(), amount(&line["microsoft"]), amount(&line["customer"])), (Some("purchase"), dec("3504"), dec("3504")), "{line}");
    assert_eq!((line["name"].as_str(), line["quantity"].as_u64()), (Some("d4 for the web farm"), Some(2)), "{line}");

    // The same session again answers what was bought; nothing is checked out again.
    let (status, again) = submit(&d, &session).await;
    assert_eq!((status, &again["reservationOrderId"]), (StatusCode::OK, &json!(order)));
    assert_eq!((d.stand_ins.purchases(|p| p.checkout_calls), bought(&d)), (1, 1));

    // Read again: ARM's reservation of the same ID, held once.
    read(&d).await;
    let (_, list) = d.call("GET", "/api/customers/contoso/reservations", None).await;
    let ids: Vec<&str> = list.as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).filter(|id| id.starts_with("ri-res-")).collect();
    assert_eq!(ids, vec![reservation.as_str()], "{list}");
    let (_, r) = d.call("GET", &format!("/api/reservationOrders/{order}/reservations/{reservation}"), None).await;
    assert_eq!((&r["displayName"], &r["renew"]), (&json!("d4 for the web farm"), &json!(true)), "the name and renewal the user chose, as ARM now has them: {r}");
    assert_eq!(purchases_recorded(&d).await.len(), 1);
}

#[tokio::test]
async fn azures_other_price_is_named_and_what_partner_center_refuses_buys_nothing() {
    let d = desk().await;
    read(&d).await;

    // Quoted at Azure's price of one unit (1,752.00); then Azure's price changes before Review:
    // the desk's quote is still at the price it was given, Azure's is the new one, and the
    // difference is named beside the desk's figure. Quoted again, the desk asks the price anew.
    let (status, quote) = d.call("GET", "/api/customers/contoso/price?skuId=Standard_D4s_v5/westeurope&term=P1Y", None).await;
    assert_eq!((status, amount(&quote["unitPrice"])), (StatusCode::OK, dec("1752")), "{quote}");
    d.stand_ins.purchases(|p| {
        p.unit_prices.insert(("Standard_D4s_v5".into(), "P1Y".into()), "1800.00".parse().unwrap());
    });
    let (status, quote) = review(&d, 1).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let named = &quote["azure"]["differences"];
    assert_eq!(named.as_array().map(Vec::len), Some(1), "{quote}");
    assert_eq!((&named[0]["figure"], amount(&named[0]["desk"]), amount(&named[0]["azure"])), (&json!("commitment"), dec("1752"), dec("1800")), "{quote}");
    let (status, again) = review(&d, 1).await;
    assert_eq!((status, &again["quote"]["commitment"]["amount"], &again["azure"]["differences"]), (StatusCode::OK, &json!("1800.00"), &json!([])), "quoted again at Azure's new price: {again}");

    // Partner Center sells reservations paid upfront only: a monthly plan is refused at Review.
    let (status, problem) = review_of(&d, 1, "Monthly").await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("azureChangesNotYetSupported")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("upfront"), "{problem}");

    // ARM refuses the user the price: its reason, as such.
    d.stand_ins.purchases(|p| p.price_forbidden = true);
    let (status, problem) = review(&d, 1).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().starts_with("Azure "), "ARM's refusal is Azure's: {problem}");
    d.stand_ins.purchases(|p| p.price_forbidden = false);

    // The subscription is still registering: nothing is claimed nor checked out; Submit later buys.
    d.stand_ins.purchases(|p| p.registering_reads = 1);
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("registering subscription tenant-contoso-sub"), "{problem}");
    assert_eq!(d.stand_ins.purchases(|p| p.checkout_calls), 0);
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "registered now: {done}");
    assert_eq!(bought(&d), 1);

    // Partner Center refuses the checkout: its reason, said as Partner Center's (not Azure's);
    // nothing recorded; the session answers it again.
    d.stand_ins.purchases(|p| p.checkout_refusal = Some((400, 800069, "Order failed Risk Management check".into())));
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.starts_with("Partner Center refused the purchase: 800069") && detail.contains("Order failed Risk Management check"), "Partner Center's code and description: {problem}");
    assert!(!detail.contains("Azure refused"), "{problem}");
    let (status, again) = submit(&d, &session).await;
    assert_eq!((status, &again["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{again}");
    assert_eq!((bought(&d), purchases_recorded(&d).await.len()), (1, 1), "only the first purchase");
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "{:?}", r.refused));
}

/// The checkout reached Partner Center, which made the order, and its answer was lost. After a
/// restart the first signed-in request reconciles it by reading the customer's orders, never
/// by checking out again: one order at Partner Center, one record in the desk.
#[tokio::test]
async fn a_checkout_whose_answer_is_lost_is_found_in_the_customers_orders_after_a_restart() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.purchases(|p| p.lose_checkout_answer = true);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    assert_eq!(bought(&d), 1, "Partner Center made it");
    assert!(purchases_recorded(&d).await.is_empty(), "the desk recorded nothing it was not told");

    // A second Submit while the first may still be carrying it: in progress, never a second checkout.
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    let checkouts = d.stand_ins.purchases(|p| p.checkout_calls);

    d.stand_ins.purchases(|p| p.lose_checkout_answer = false);
    d.restart_later(chrono::TimeDelta::seconds(desk::desk::ASKED_GRACE_SECONDS + 60)).await;
    let _ = d.call("GET", "/api/customers", None).await;
    until(|| async { !purchases_recorded(&d).await.is_empty() }).await;
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done["reservationOrderId"].as_str().unwrap().starts_with("ri-order-"), "{done}");
    assert!(partner_center_calls(&d).iter().any(|(m, p)| m == "GET" && p.ends_with("/orders")), "found among the customer's orders");
    // Which order is this purchase's: its own cart asked again with its own MS-RequestId, which
    // Partner Center answers with the order it made, buying nothing more.
    d.stand_ins.purchases(|p| {
        let checkouts: Vec<&(String, String, String, Value, String)> = p.requests.iter().filter(|(_, path, ..)| path.ends_with("/checkout")).collect();
        assert!(checkouts.len() >= 2, "{checkouts:?}");
        assert!(checkouts.windows(2).all(|w| w[0].1 == w[1].1 && w[0].2 == w[1].2), "the same cart, the same MS-RequestId: {checkouts:?}");
        assert_eq!((p.checkouts_bought, p.orders().len()), (1, 1), "one order");
    });
    assert!(d.stand_ins.purchases(|p| p.checkout_calls) > checkouts);
    assert_eq!(purchases_recorded(&d).await.len(), 1);
    let _ = TENANT;
}

/// A checkout that never reached Partner Center (a 503 each time): nothing is listed, so the
/// desk never checks it out on its own; once Partner Center would have listed it, the session
/// says nothing was bought.
#[tokio::test]
async fn a_checkout_that_never_reached_partner_center_ends_as_nothing_bought_without_a_new_checkout() {
    let mut d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.purchases(|p| p.checkout_refusal = Some((503, 800005, "Create order is not successful".into())));
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::SERVICE_UNAVAILABLE, &json!("upstreamUnavailable")), "{problem}");
    d.stand_ins.purchases(|p| p.checkout_refusal = None);
    let calls = d.stand_ins.purchases(|p| p.checkout_calls);

    // After the claim's grace: nothing listed yet, and Partner Center may still list it.
    d.restart_later(chrono::TimeDelta::seconds(desk::desk::ASKED_GRACE_SECONDS + 60)).await;
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    // Past the time Partner Center takes to list an order: nothing was bought.
    d.restart_later(chrono::TimeDelta::minutes(40)).await;
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("lists no order"), "{problem}");
    assert_eq!(d.stand_ins.purchases(|p| (p.checkout_calls, p.checkouts_bought)), (calls, 0), "never checked out by the desk on its own");
    assert!(purchases_recorded(&d).await.is_empty());
}

/// Once Partner Center has the order, only its own word ends the purchase: a refused read (a
/// user whose role may not read entitlements) leaves it to follow; an order Partner Center
/// cancelled fails it with why.
#[tokio::test]
async fn a_checked_out_purchase_survives_a_refused_read_and_fails_only_when_partner_center_cancels_it() {
    let d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.purchases(|p| p.entitlements_refusal = Some((403, 900, "The user may not read entitlements.".into())));
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    d.stand_ins.purchases(|p| p.entitlements_refusal = None);
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "followed again and recorded: {done}");
    assert_eq!(bought(&d), 1);

    // Partner Center cancels the next one before its entitlement is listed.
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.purchases(|p| p.entitlement_after_reads = 1000);
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamInProgress")), "{problem}");
    d.stand_ins.purchases(|p| {
        let order = p.orders().last().unwrap().1["id"].as_str().unwrap().to_owned();
        p.cancelled.push(order);
    });
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("cancelled"), "{problem}");
    assert_eq!(purchases_recorded(&d).await.len(), 1, "only the first");
}

/// Above the approval threshold a purchase waits for another user; approved, it goes through
/// Partner Center on the approver's behalf, once.
#[tokio::test]
async fn a_purchase_above_the_threshold_goes_through_partner_center_once_approved() {
    let threshold = quote_engine::Money::new(rust_decimal::Decimal::from(2000), quote_engine::Currency::USD);
    let d = desk_with(contract::Settings { approval_threshold: Some(threshold), ..contract::Settings::default() }).await;
    read(&d).await;
    let (_, quote) = review(&d, 2).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    let (status, waiting) = submit(&d, &session).await;
    assert_eq!((status, &waiting["status"]), (StatusCode::ACCEPTED, &json!("pending")), "{waiting}");
    assert!(partner_center_calls(&d).is_empty(), "nothing asked of Partner Center before approval");
    let approval = format!("/api/approvals/{}", waiting["id"].as_str().unwrap());
    let bob = d.other_user("00000000-0000-0000-0000-00000000b0b0", "bob@partner.example", "Bob Checker");
    let (status, approved) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &approved["status"]), (StatusCode::OK, &json!("approved")), "{approved}");
    assert!(approved["purchase"]["reservationOrderId"].as_str().unwrap().starts_with("ri-order-"), "{approved}");
    let change = purchases_recorded(&d).await[0]["change"].as_str().unwrap().to_owned();
    assert!(change.contains("asked by bob@partner.example") && change.contains("approved by Bob Checker"), "{change}");
    // Approving again changes nothing.
    let (status, again) = d.call_as(&bob, "POST", &format!("{approval}/approve"), None).await;
    assert_eq!((status, &again["code"]), (StatusCode::CONFLICT, &json!("approvalClosed")), "{again}");
    assert_eq!(bought(&d), 1);
}

/// Partner Center's error 800010 ("Inventory is not available for this catalog item") at the
/// checkout is Partner Center's refusal, said so with its code and description.
#[tokio::test]
async fn partner_centers_800010_is_said_as_partner_centers_refusal() {
    let d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.purchases(|p| p.checkout_refusal = Some((400, 800010, "Inventory is not available for this catalog item".into())));
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.starts_with("Partner Center refused the purchase: 800010"), "{problem}");
    assert!(detail.contains("Inventory is not available for this catalog item"), "{problem}");
    assert_eq!(bought(&d), 0);
}

/// A SKU whose `purchasePrerequisites` include `InventoryCheck` (as Learn's reservation SKU
/// example does) is checked with Learn's "Check inventory" before any cart: the customer, the
/// registered subscription and the region. A restricted one is refused with Partner Center's
/// reason, and nothing is bought: no cart made, no checkout. Lifted, the same session buys.
#[tokio::test]
async fn an_inventory_check_sku_is_checked_before_the_cart_and_a_restricted_one_buys_nothing() {
    let d = desk().await;
    read(&d).await;
    let (_, quote) = review(&d, 1).await;
    let session = quote["sessionId"].as_str().unwrap().to_owned();
    d.stand_ins.purchases(|p| {
        p.inventory_restrictions.insert("00A1".into(), ("NotAvailableForSubscription".into(), "Restriction identified of type 'Location' with values 'westeurope'.".into()));
    });
    let (status, problem) = submit(&d, &session).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.starts_with("Partner Center refused the purchase"), "{problem}");
    assert!(detail.contains("NotAvailableForSubscription: Restriction identified of type 'Location' with values 'westeurope'."), "Partner Center's reason: {problem}");
    d.stand_ins.purchases(|p| {
        assert_eq!((p.carts, p.checkout_calls, p.checkouts_bought), (0, 0, 0), "no cart made, nothing checked out");
        let (country, body) = p.inventory_checks.last().cloned().unwrap();
        assert_eq!(country, "US", "the availability's country");
        assert_eq!(body["TargetItems"], json!([{"ProductId": "DZH318Z0BQ5D", "SkuId": "00A1"}]), "{body}");
        assert_eq!(body["InventoryContext"], json!({"customerId": "contoso", "azureSubscriptionId": "tenant-contoso-sub", "armRegionName": "westeurope"}), "{body}");
    });
    assert!(purchases_recorded(&d).await.is_empty());
    let steps: Vec<String> = partner_center_calls(&d).iter().map(|(_, p)| p.rsplit('/').next().unwrap().to_owned()).collect();
    assert_eq!(steps.last().map(String::as_str), Some("checkInventory"), "checked, then nothing more: {steps:?}");

    // Restriction lifted: the same session is checked again and bought.
    d.stand_ins.purchases(|p| p.inventory_restrictions.clear());
    let (status, done) = submit(&d, &session).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(bought(&d), 1);

    // A SKU that does not ask for it is not checked.
    d.stand_ins.purchases(|p| p.catalog.iter_mut().for_each(|c| c.inventory_check = false));
    let checks = d.stand_ins.purchases(|p| p.inventory_checks.len());
    let (_, quote) = review(&d, 1).await;
    let (status, done) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(d.stand_ins.purchases(|p| p.inventory_checks.len()), checks, "no InventoryCheck prerequisite, no check");
}

/// An Azure plan customer buys under its Azure plan, as Learn's "Purchase Azure reservations"
/// says: the plan (Partner Center's subscription, listed among the customer's subscriptions) is
/// what is registered, what the inventory check names, and the cart's provisioning context.
#[tokio::test]
async fn an_azure_plan_customers_purchase_registers_and_names_the_azure_plan() {
    const PLAN: &str = "11111111-7d58-6654-69fa-0797198155d3";
    let d = desk().await;
    read(&d).await;
    d.stand_ins.purchases(|p| {
        p.azure_plans.insert("contoso".into(), PLAN.into());
    });
    let (_, quote) = review(&d, 1).await;
    let (status, done) = submit(&d, quote["sessionId"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    d.stand_ins.purchases(|p| {
        let registration = p.requests.iter().find(|(m, path, ..)| m == "POST" && path.ends_with("/registrations")).unwrap();
        assert_eq!(registration.1, format!("/v1/customers/contoso/subscriptions/{PLAN}/registrations"), "the Azure plan is registered");
        assert!(p.is_registered("contoso", PLAN));
        assert!(!p.is_registered("contoso", "tenant-contoso-sub"), "not an ARM subscription");
        let cart = p.requests.iter().find(|(m, path, ..)| m == "POST" && path.ends_with("/carts")).unwrap();
        assert_eq!(cart.3["lineItems"][0]["provisioningContext"], json!({"subscriptionId": PLAN, "scope": "shared", "duration": "1Year"}), "{:?}", cart.3);
        assert_eq!(p.inventory_checks[0].1["InventoryContext"]["azureSubscriptionId"], PLAN);
    });
    let change = purchases_recorded(&d).await[0]["change"].as_str().unwrap().to_owned();
    assert!(change.contains(&format!("subscription {PLAN}")), "{change}");
}

/// `calculatePrice` carries the subscription charged (`billingScopeId`, as the specification's
/// `CalculateReservationOrder.json` sends it): the one the user sees for a shared scope.
#[tokio::test]
async fn calculate_price_names_the_billing_scope_as_microsofts_example_does() {
    let d = desk().await;
    read(&d).await;
    let (status, quote) = review(&d, 1).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let body = d.stand_ins.purchases(|p| p.price_bodies.last().cloned().unwrap());
    assert_eq!(body["properties"]["billingScopeId"], "/subscriptions/tenant-contoso-sub", "{body}");
    let published: Value = serde_json::from_str(include_str!("../../../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/CalculateReservationOrder.json")).unwrap();
    let example = &published["parameters"]["body"]["properties"];
    assert!(example["billingScopeId"].as_str().unwrap().starts_with("/subscriptions/"), "the example's shape");
    let keys = |v: &Value| v.as_object().unwrap().keys().filter(|k| example.get(k.as_str()).is_some()).cloned().collect::<Vec<_>>();
    assert!(keys(&body["properties"]).contains(&"billingScopeId".to_owned()));
}
