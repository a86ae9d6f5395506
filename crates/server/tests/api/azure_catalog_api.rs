//! In Azure mode a customer can buy what ARM's catalog lists for its subscription, at the price
//! ARM's `calculatePrice` answers for it: never the demo catalog nor its prices. Against the
//! stand-ins (`azure_stand_ins/arm_catalog.rs`, in the shape of the specification's
//! `CatalogsResult` with the members of Microsoft's `GetCatalog.json`; `calculatePrice` as in
//! `CalculateReservationOrder.json`): a SKU in a region the demo catalog does not sell is listed,
//! priced by Azure, quoted by the engine at that price to the minor unit and bought through
//! Partner Center; a term Azure restricts is listed with Azure's reason and refused; a refused
//! catalog read is said, with nothing of the demo in its place.

use crate::azure_desk;
use crate::azure_stand_ins;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::CatalogSku;
use serde_json::{json, Value};

/// Memory-optimized E4s v5 in North Europe: neither the SKU nor the region is the demo's.
const E4_NORTH: &str = "Standard_E4s_v5/northeurope";

/// Partner Center (and so ARM's catalog) also sells `Standard_E4s_v5` in North Europe for a
/// year, at 2,101.37 USD a unit; and `Standard_D2s_v3` for a year is restricted for the
/// customer's subscription, as in Microsoft's example.
async fn desk_selling_e4() -> Desk {
    let d = desk().await;
    d.stand_ins.purchases(|p| {
        let mut e4 = CatalogSku::vm(("DZH318Z0BQ4E", "Virtual Machines Esv5 Series"), "00E1", "Standard_E4s_v5", ("northeurope", "EU North"), "1Year", "DZH318Z0C1E1");
        e4.product_title = "Virtual Machines Esv5 Series".into();
        p.catalog.push(e4);
        p.unit_prices.insert(("Standard_E4s_v5".into(), "P1Y".into()), "2101.37".parse().unwrap());
    });
    d.stand_ins.catalogs(|c| {
        c.term_restrictions.insert(("Standard_D2s_v3".into(), "P1Y".into()), "NotAvailableForSubscription".into());
    });
    read(&d).await;
    // The read asked today's price of each reservation: not what these tests count.
    d.stand_ins.purchases(|p| p.price_calls = 0);
    d
}

fn items(catalog: &Value) -> Vec<Value> {
    catalog["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn the_customers_catalog_is_arms_with_azures_restrictions_and_nothing_of_the_demo() {
    let d = desk_selling_e4().await;
    let (status, catalog) = d.call("GET", "/api/customers/contoso/catalog", None).await;
    assert_eq!(status, StatusCode::OK, "{catalog}");
    assert_eq!((&catalog["source"], &catalog["subscriptionId"]), (&json!("azure"), &json!("tenant-contoso-sub")), "{catalog}");
    assert!(catalog["readAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{catalog}");
    let listed = items(&catalog);
    let ids: Vec<&str> = listed.iter().map(|i| i["skuId"].as_str().unwrap()).collect();
    for sold in [E4_NORTH, "Standard_D4s_v5/westeurope", "Standard_D2s_v3/westeurope", "SQLDB_GP_Compute_Gen5/westeurope"] {
        assert!(ids.contains(&sold), "{sold} in {ids:?}");
    }
    // Nothing of the demo catalog: its SKUs and its East US prices are not Azure's answer.
    for demo in ["Standard_F16s_v2/westeurope", "CosmosDB_100RUs/eastus", "Standard_D2s_v5/eastus"] {
        assert!(!ids.contains(&demo), "{demo} is the demo's: {ids:?}");
    }
    assert!(listed.iter().all(|i| i["prices"] == json!([])), "no demo price: {catalog}");
    let e4 = listed.iter().find(|i| i["skuId"] == E4_NORTH).unwrap();
    assert_eq!((&e4["title"], &e4["reservedResourceType"], &e4["location"]), (&json!("Virtual Machines Esv5 Series"), &json!("VirtualMachines"), &json!("northeurope")));
    assert_eq!(e4["terms"], json!([{"term": "P1Y", "billingPlans": ["Upfront", "Monthly"]}]), "{e4}");
    // A restricted term is listed with Azure's reason, not hidden.
    let d2 = listed.iter().find(|i| i["skuId"] == "Standard_D2s_v3/westeurope").unwrap();
    assert_eq!(d2["restrictions"], json!([{"type": "Term", "values": ["P1Y"], "reasonCode": "NotAvailableForSubscription"}]), "{d2}");

    // Every type the desk quotes is asked (ARM answers one type per call), each once: a second
    // look within the hour is answered from what Azure said.
    let reads = d.stand_ins.catalogs(|c| c.reads.clone());
    assert!(reads.iter().any(|(_, t, _)| t.as_deref() == Some("SqlDatabases")), "{reads:?}");
    assert!(reads.iter().all(|(s, ..)| s == "tenant-contoso-sub"), "{reads:?}");
    let (_, again) = d.call("GET", "/api/customers/contoso/catalog", None).await;
    assert_eq!(again, catalog);
    assert_eq!(d.stand_ins.catalogs(|c| c.reads.len()), reads.len(), "kept, not read again");

    // One region and one type: only those.
    let (status, north) = d.call("GET", "/api/customers/contoso/catalog?location=northeurope&reservedResourceType=VirtualMachines", None).await;
    assert_eq!(status, StatusCode::OK, "{north}");
    assert_eq!(items(&north).iter().map(|i| i["skuId"].as_str().unwrap()).collect::<Vec<_>>(), [E4_NORTH]);

    // The desk's one catalog says that in Azure mode the catalog is each customer's.
    let (status, problem) = d.call("GET", "/api/catalog", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("catalogPerCustomer")), "{problem}");
}

#[tokio::test]
async fn a_sku_and_region_the_demo_does_not_sell_is_quoted_at_azures_price_to_the_cent_and_bought() {
    let d = desk_selling_e4().await;
    // One unit's price: Azure's, asked once and kept.
    let (status, price) = d.call("GET", &format!("/api/customers/contoso/price?skuId={E4_NORTH}&term=P1Y&billingPlan=Upfront"), None).await;
    assert_eq!(status, StatusCode::OK, "{price}");
    assert_eq!((&price["unitPrice"]["amount"], &price["unitPrice"]["currencyCode"], &price["source"]), (&json!("2101.37"), &json!("USD"), &json!("azure")), "{price}");
    let calls = d.stand_ins.purchases(|p| p.price_calls);
    assert_eq!(calls, 1);
    let (_, same) = d.call("GET", &format!("/api/customers/contoso/price?skuId={E4_NORTH}&term=P1Y"), None).await;
    assert_eq!(same["unitPrice"], price["unitPrice"]);
    assert_eq!(d.stand_ins.purchases(|p| p.price_calls), calls, "kept, not asked again");

    // Review of three units: the engine's quote at Azure's unit price equals what Azure answers
    // for the whole purchase, to the cent: no difference named.
    let request = json!({"customerId": "contoso", "purchase": {"skuId": E4_NORTH, "term": "P1Y", "billingPlan": "Upfront",
        "quantity": 3, "appliedScopeType": "Shared", "displayName": "e4 for the analytics", "renew": false}});
    let (status, quote) = d.call("POST", "/api/calculatePurchase", Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(quote["quote"]["commitment"]["amount"], "6304.11", "3 × 2,101.37: {quote}");
    assert_eq!(quote["commitmentUsd"]["amount"], "6304.11", "{quote}");
    assert_eq!(quote["azure"]["differences"], json!([]), "the desk's quote is Azure's price: {quote}");

    // Bought through Partner Center as before, in the region asked.
    let (status, done) = d.call("POST", "/api/purchase", Some(json!({"sessionId": quote["sessionId"], "ticketReference": "CHG-5120"}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let bought = &done["purchased"][0];
    assert_eq!((&bought["skuName"], &bought["location"], &bought["quantity"]), (&json!("Standard_E4s_v5"), &json!("northeurope"), &json!(3)), "{done}");
    let cart = d.stand_ins.purchases(|p| p.requests.iter().find(|(m, path, ..)| m == "POST" && path.ends_with("/carts")).map(|r| r.3.clone()).unwrap());
    assert_eq!(cart["lineItems"][0]["catalogItemId"], "DZH318Z0BQ4E:00E1:DZH318Z0C1E1", "{cart}");
}

#[tokio::test]
async fn a_term_azure_restricts_is_refused_with_azures_reason_and_nothing_is_priced() {
    let d = desk_selling_e4().await;
    let request = json!({"customerId": "contoso", "purchase": {"skuId": "Standard_D2s_v3/westeurope", "term": "P1Y", "billingPlan": "Upfront",
        "quantity": 1, "appliedScopeType": "Shared", "renew": false}});
    let (status, problem) = d.call("POST", "/api/calculatePurchase", Some(request)).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("policyRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("NotAvailableForSubscription"), "{problem}");
    assert_eq!(d.stand_ins.purchases(|p| p.price_calls), 0, "nothing asked of calculatePrice");
    // A SKU the customer's catalog does not list (the demo's own SKU) is not in its catalog.
    let (status, problem) = d.call("GET", "/api/customers/contoso/price?skuId=Standard_F16s_v2/westeurope&term=P1Y", None).await;
    assert_eq!((status, &problem["code"], &problem["field"]), (StatusCode::BAD_REQUEST, &json!("notInCatalog"), &json!("purchase.skuId")), "{problem}");
    // A term the price cannot be asked for is a 400 naming it.
    let (status, problem) = d.call("GET", &format!("/api/customers/contoso/price?skuId={E4_NORTH}&term=P2Y"), None).await;
    assert_eq!((status, &problem["field"]), (StatusCode::BAD_REQUEST, &json!("term")), "{problem}");
    let (status, problem) = d.call("GET", "/api/customers/contoso/price?term=P1Y", None).await;
    assert_eq!((status, &problem["field"]), (StatusCode::BAD_REQUEST, &json!("skuId")), "{problem}");
}

#[tokio::test]
async fn a_catalog_azure_refuses_is_said_with_azures_reason_and_never_replaced_by_the_demos() {
    let d = desk_selling_e4().await;
    d.stand_ins.catalogs(|c| c.forbidden = true);
    let (status, problem) = d.call("GET", "/api/customers/contoso/catalog", None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("Microsoft.Capacity/catalogs/read"), "Azure's own words: {problem}");
    let request = json!({"customerId": "contoso", "purchase": {"skuId": "Standard_D4s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront",
        "quantity": 1, "appliedScopeType": "Shared", "renew": false}});
    let (status, problem) = d.call("POST", "/api/calculatePurchase", Some(request)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no quote from the demo's prices: {problem}");
    assert_eq!(d.stand_ins.purchases(|p| p.price_calls), 0);
}

#[tokio::test]
async fn an_exchange_in_azure_mode_buys_from_the_customers_catalog_at_azures_price() {
    let d = desk_selling_e4().await;
    let request = json!({
        "reservationsToExchange": [{"reservationId": "res-c4", "quantity": 1}],
        "reservationsToPurchase": [{"skuId": E4_NORTH, "term": "P1Y", "billingPlan": "Upfront", "quantity": 2, "appliedScopeType": "Shared"}]
    });
    let (status, calculated) = d.call("POST", "/api/calculateExchange", Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{calculated}");
    let quote = &calculated["quote"];
    assert_eq!(quote["purchasesTotal"]["amount"], "4202.74", "2 × Azure's 2,101.37: {quote}");
    // A SKU the customer's catalog does not list cannot be bought in an exchange either.
    let demo = json!({
        "reservationsToExchange": [{"reservationId": "res-c4", "quantity": 1}],
        "reservationsToPurchase": [{"skuId": "Standard_F16s_v2/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}]
    });
    let (status, problem) = d.call("POST", "/api/calculateExchange", Some(demo)).await;
    assert_eq!((status, &problem["code"]), (StatusCode::BAD_REQUEST, &json!("notInCatalog")), "{problem}");
}
