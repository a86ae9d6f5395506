//! Self-check of the purchase stand-in (`azure_stand_ins/partner_center_purchase.rs`) with plain
//! HTTP: register, inventory check, the customer's subscriptions (its Azure plan), catalog, cart,
//! checkout twice, orders, entitlements, ARM's calculatePrice.

use crate::azure_stand_ins;
use crate::oidc_provider;

use std::collections::HashMap;

use azure_stand_ins::*;
use serde_json::{json, Value};

fn token(tid: &str, aud: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"aud": aud, "tid": tid, "oid": "user-1", "scp": "user_impersonation", "exp": now + 600, "via": "obo"});
    oidc_provider::sign(jsonwebtoken::Algorithm::RS256, &oidc_provider::rsa_b(), "entra-b", &claims)
}

async fn call(base: &str, method: &str, path: &str, tok: &str, body: Option<Value>) -> (u16, Value, Option<String>) {
    let c = reqwest::Client::new();
    let mut r = c.request(method.parse().unwrap(), format!("{base}{path}")).bearer_auth(tok).header("MS-RequestId", uuid::Uuid::new_v4().to_string());
    if let Some(b) = body {
        r = r.header("content-type", "application/json").body(b.to_string());
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let text = resp.text().await.unwrap();
    let text = text.trim_start_matches('\u{feff}');
    (status, serde_json::from_str(text).unwrap_or(Value::Null), location)
}

#[tokio::test]
async fn the_purchase_flow_answers_as_documented() {
    let mut tenants = HashMap::new();
    tenants.insert("tenant-contoso".to_owned(), Tenant::Reservations(vec![]));
    let s = StandIns::start("http://issuer.invalid", vec![customer("contoso", "tenant-contoso", "Contoso")], tenants).await;
    let b = s.base().to_owned();
    let pc = token(PARTNER_TENANT, PARTNER_CENTER_AUDIENCE);
    let sub = "1C461A25-F729-4FA5-AADB-280947DD05E8";

    let (st, v, _) = call(&b, "GET", "/v1/customers/contoso/products?targetView=AzureReservationsVM", &pc, None).await;
    assert_eq!((st, v["totalCount"].clone()), (200, json!(0)));
    let (st, v, _) = call(&b, "GET", "/v1/customers/contoso/products?targetView=AzureReservationsVM&reservationScope=AzurePlan", &pc, None).await;
    assert_eq!(st, 200);
    assert_eq!(v["totalCount"], 2, "{v}");
    let (st, v, _) = call(&b, "GET", "/v1/customers/contoso/products?targetView=Azure&reservationScope=AzurePlan", &pc, None).await;
    assert_eq!((st, v["code"].clone()), (403, json!(400036)));
    let (st, v, _) = call(&b, "GET", "/v1/customers/contoso/products/DZH318Z0BQ5D/skus?reservationScope=AzurePlan", &pc, None).await;
    assert_eq!((st, v["totalCount"].clone()), (200, json!(2)), "{v}");
    let (st, v, _) = call(&b, "GET", "/v1/customers/contoso/products/NOPE/skus?reservationScope=AzurePlan", &pc, None).await;
    assert_eq!((st, v["code"].clone()), (404, json!(400013)));
    let (st, v, _) = call(&b, "GET", "/v1/customers/contoso/products/DZH318Z0BQ5D/skus/00A1/availabilities?reservationScope=AzurePlan", &pc, None).await;
    assert_eq!(st, 200);
    let catalog_item = v["items"][0]["catalogItemId"].as_str().unwrap().to_owned();
    assert_eq!(catalog_item, "DZH318Z0BQ5D:00A1:DZH318Z0C1A1");

    let cart_body = json!({"lineItems": [{"id": 1, "catalogItemId": catalog_item, "quantity": 2, "billingCycle": "one_time", "termDuration": "P1Y",
        "provisioningContext": {"subscriptionId": sub, "scope": "single"}}]});
    // Not registered: the line carries 10011; the checkout answers orderErrors 800030.
    let (st, cart, _) = call(&b, "POST", "/v1/customers/contoso/carts", &pc, Some(cart_body.clone())).await;
    assert_eq!(st, 201);
    assert_eq!(cart["lineItems"][0]["error"]["errorCode"], 10011, "{cart}");
    let id = cart["id"].as_str().unwrap();
    let (st, v, _) = call(&b, "POST", &format!("/v1/customers/contoso/carts/{id}/checkout"), &pc, None).await;
    assert_eq!((st, v["orderErrors"][0]["code"].clone()), (201, json!(800030)), "{v}");

    // The inventory check needs a registered subscription.
    let check = json!({"TargetItems": [{"ProductId": "DZH318Z0BQ5D", "SkuId": "00A1"}],
        "InventoryContext": {"customerId": "contoso", "azureSubscriptionId": sub, "armRegionName": "westeurope"}});
    let (st, v, _) = call(&b, "POST", "/v1/extensions/product/checkInventory?country=US", &pc, Some(check.clone())).await;
    assert_eq!((st, v["code"].clone()), (400, json!(800030)), "{v}");

    let (st, v, loc) = call(&b, "POST", &format!("/v1/customers/contoso/subscriptions/{sub}/registrations"), &pc, None).await;
    assert_eq!((st, v, loc.as_deref()), (202, Value::Null, Some(format!("/customers/contoso/subscriptions/{sub}/registrationstatus").as_str())));
    let (_, v, _) = call(&b, "GET", &format!("/v1/customers/contoso/subscriptions/{sub}/registrationstatus"), &pc, None).await;
    assert_eq!(v["status"], "Registered");

    // Checked now: not restricted; restricted, with Partner Center's reason, in the shape of
    // Learn's "Check inventory" answer.
    let (st, v, _) = call(&b, "POST", "/v1/extensions/product/checkInventory?country=US", &pc, Some(check.clone())).await;
    assert_eq!((st, &v), (200, &json!([{"productId": "DZH318Z0BQ5D", "skuId": "00A1", "isRestricted": false, "restrictions": []}])));
    s.purchases(|p| p.inventory_restrictions.insert("00A1".into(), ("NotAvailableForSubscription".into(), "Not in this region.".into())));
    let (_, v, _) = call(&b, "POST", "/v1/extensions/product/checkInventory?country=US", &pc, Some(check)).await;
    assert_eq!((&v[0]["isRestricted"], &v[0]["restrictions"][0]["reasonCode"]), (&json!(true), &json!("NotAvailableForSubscription")), "{v}");
    s.purchases(|p| p.inventory_restrictions.clear());
    assert_eq!(s.purchases(|p| p.inventory_checks.len()), 3);

    // The customer's subscriptions: its Azure plan once it has one.
    let (_, v, _) = call(&b, "GET", "/v1/customers/contoso/subscriptions", &pc, None).await;
    assert_eq!(v["totalCount"], 0, "{v}");
    s.purchases(|p| p.azure_plans.insert("contoso".into(), "plan-1".into()));
    let (_, v, _) = call(&b, "GET", "/v1/customers/contoso/subscriptions", &pc, None).await;
    assert_eq!((&v["items"][0]["id"], &v["items"][0]["offerId"]), (&json!("plan-1"), &json!("DZH318Z0BPS6:0001:DZH318Z0BML6")), "{v}");
    assert_eq!(azure_client::azure_plan_of(v["items"].as_array().unwrap()).as_deref(), Some("plan-1"), "the client finds it");

    // Retrying the failed cart now buys.
    let (st, first, _) = call(&b, "POST", &format!("/v1/customers/contoso/carts/{id}/checkout"), &pc, None).await;
    assert_eq!(st, 201, "{first}");
    let (st, again, _) = call(&b, "POST", &format!("/v1/customers/contoso/carts/{id}/checkout"), &pc, None).await;
    assert_eq!((st, &again), (201, &first));
    assert_eq!(s.purchases(|p| (p.checkout_calls, p.checkouts_bought)), (3, 1));

    let order = first["orders"][0]["id"].as_str().unwrap();
    let (st, v, _) = call(&b, "GET", &format!("/v1/customers/contoso/orders/{order}"), &pc, None).await;
    assert_eq!((st, v["status"].clone()), (200, json!("completed")));
    s.purchases(|p| p.orders_listed = false);
    let (_, v, _) = call(&b, "GET", "/v1/customers/contoso/orders", &pc, None).await;
    assert_eq!(v["totalCount"], 0);
    let (_, v, _) = call(&b, "GET", "/v1/customers/contoso/entitlements?entitlementType=reservedInstance", &pc, None).await;
    assert_eq!(v["items"][0]["entitledArtifacts"][0]["resourceId"], "ri-order-1", "{v}");

    // ARM: the reservation bought, its order priced, and calculatePrice.
    let arm = token("tenant-contoso", ARM_AUDIENCE);
    let (_, v, _) = call(&b, "GET", "/providers/Microsoft.Capacity/reservations?api-version=2022-11-01", &arm, None).await;
    assert_eq!(v["value"][0]["name"], "ri-order-1/ri-res-1");
    assert_eq!(v["value"][0]["properties"]["appliedScopes"][0], format!("/subscriptions/{sub}"));
    let (_, v, _) = call(&b, "GET", "/providers/Microsoft.Capacity/reservationOrders/ri-order-1?api-version=2022-11-01&$expand=schedule", &arm, None).await;
    assert_eq!(v["properties"]["planInformation"]["pricingCurrencyTotal"]["amount"], 3504.0, "{v}");
    let price = json!({"sku": {"name": "Standard_D4s_v5"}, "location": "westeurope", "properties": {"reservedResourceType": "VirtualMachines",
        "billingScopeId": format!("/subscriptions/{sub}"), "term": "P3Y", "billingPlan": "Monthly", "quantity": 1, "displayName": "x", "appliedScopeType": "Shared"}});
    let (st, v, _) = call(&b, "POST", "/providers/Microsoft.Capacity/calculatePrice?api-version=2022-11-01", &arm, Some(price)).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["properties"]["grandTotal"], 3368.0);
    assert_eq!(v["properties"]["paymentSchedule"].as_array().unwrap().len(), 36);
    let sum: f64 = v["properties"]["paymentSchedule"].as_array().unwrap().iter().map(|d| d["pricingCurrencyTotal"]["amount"].as_f64().unwrap()).sum();
    assert!((sum - 3368.0).abs() < 0.001, "{sum}");
    let (st, v, _) = call(&b, "POST", "/providers/Microsoft.Capacity/calculatePrice?api-version=2022-11-01", &arm,
        Some(json!({"sku": {"name": "Standard_X"}, "location": "westeurope", "properties": {"term": "P1Y", "quantity": 1}}))).await;
    assert_eq!((st, v["error"]["code"].clone()), (400, json!("CalculatePriceFailed")));

    // A lost answer: made, then 500; the same cart again answers the order.
    let (_, cart2, _) = call(&b, "POST", "/v1/customers/contoso/carts", &pc, Some(cart_body)).await;
    let id2 = cart2["id"].as_str().unwrap();
    s.purchases(|p| p.lose_checkout_answer = true);
    let (st, v, _) = call(&b, "POST", &format!("/v1/customers/contoso/carts/{id2}/checkout"), &pc, None).await;
    assert_eq!((st, v["code"].clone()), (500, json!(800005)));
    s.purchases(|p| p.lose_checkout_answer = false);
    let (st, v, _) = call(&b, "POST", &format!("/v1/customers/contoso/carts/{id2}/checkout"), &pc, None).await;
    assert_eq!((st, v["orders"][0]["id"].clone()), (201, json!("311qiN8iFwkv-XARWMvXRYAwYKMACVqv2")));
    assert_eq!(s.purchases(|p| p.checkouts_bought), 2);
    assert!(s.purchases(|p| p.requests.iter().all(|r| r.4 == "obo")));
}

#[tokio::test]
async fn registration_and_entitlements_lag_and_a_cart_retried_with_its_request_id_is_one_cart() {
    let s = StandIns::start("http://issuer.invalid", vec![customer("contoso", "tenant-contoso", "Contoso")], HashMap::new()).await;
    let b = s.base().to_owned();
    let pc = token(PARTNER_TENANT, PARTNER_CENTER_AUDIENCE);
    let sub = "sub-1";
    s.purchases(|p| {
        p.registering_reads = 1;
        p.entitlement_after_reads = 2;
    });
    call(&b, "POST", &format!("/v1/customers/contoso/subscriptions/{sub}/registrations"), &pc, None).await;
    let status = format!("/v1/customers/contoso/subscriptions/{sub}/registrationstatus");
    assert_eq!(call(&b, "GET", &status, &pc, None).await.1["status"], "Registering");
    assert_eq!(call(&b, "GET", &status, &pc, None).await.1["status"], "Registered");

    let cart = json!({"lineItems": [{"catalogItemId": "DZH318Z0BQ3D:00B1:DZH318Z0C1B1", "quantity": 1, "billingCycle": "one_time",
        "provisioningContext": {"subscriptionId": sub, "scope": "shared"}}]});
    let c = reqwest::Client::new();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = c.post(format!("{b}/v1/customers/contoso/carts")).bearer_auth(&pc).header("MS-RequestId", "same-request")
            .header("content-type", "application/json").body(cart.to_string()).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = serde_json::from_str(r.text().await.unwrap().trim_start_matches('\u{feff}')).unwrap();
        assert_eq!(v["lineItems"][0]["termDuration"], "P1Y");
        assert!(v["lineItems"][0]["error"].is_null(), "{v}");
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids[0], ids[1]);
    assert_eq!(s.purchases(|p| p.carts), 1);
    let (st, bad, _) = call(&b, "POST", "/v1/customers/contoso/carts", &pc, Some(json!({"lineItems": [{"catalogItemId": "x", "quantity": 1, "billingCycle": "monthly",
        "provisioningContext": {"subscriptionId": sub, "scope": "shared"}}]}))).await;
    assert_eq!((st, bad["code"].clone()), (400, json!(800002)));

    let (st, _, _) = call(&b, "POST", &format!("/v1/customers/contoso/carts/{}/checkout", ids[0]), &pc, None).await;
    assert_eq!(st, 201);
    let (st, v, _) = call(&b, "POST", "/v1/customers/contoso/carts/no-such-cart/checkout", &pc, None).await;
    assert_eq!((st, v["code"].clone()), (404, json!(800008)));
    let entitlements = "/v1/customers/contoso/entitlements?entitlementType=reservedInstance";
    assert_eq!(call(&b, "GET", entitlements, &pc, None).await.1["totalCount"], 0);
    assert_eq!(call(&b, "GET", entitlements, &pc, None).await.1["totalCount"], 0);
    let (_, v, _) = call(&b, "GET", entitlements, &pc, None).await;
    assert_eq!(v["items"][0]["dynamicAttributes"]["reservationType"], "virtualmachines");
    // The tenant had no reservations: the one bought is its first.
    assert!(s.tenant("tenant-contoso", |t| matches!(t, Some(Tenant::Reservations(all)) if all.len() == 1)));
    // An ARM token is not Partner Center's.
    let (st, _, _) = call(&b, "GET", "/v1/customers/contoso/orders", &token("tenant-contoso", ARM_AUDIENCE), None).await;
    assert_eq!(st, 401);
}
