//! The Azure surface through the router: what the SDK walk (scripts/azure-sdk-walk.sh) does not
//! reach. ARM error shapes for every refusal, the provider and api-version checks, 405 with
//! `Allow`, 415, `$filter`, a refund quoted exactly as `/api` quotes it, and a Reader role's 403;
//! split, merge, archive and revisions with their ARM IDs, links and refusals; an order's payment
//! plan (`$expand=schedule`); a refund at the lower current price; a billing
//! scope only among the customer's subscriptions, and each savings plan answered billed where it
//! asked; every refusal's `target` resolved against the request sent; a trade-in of more
//! reservations than one takes answered as Azure's policy error.
//! Its OpenAPI document (`/providers/Microsoft.Capacity/openapi.json`) is public and describes
//! exactly the operations the adapter answers, with the statuses they answer.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{call_as, fresh, CONTOSO, FABRIKAM};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use tower::ServiceExt;

const V: &str = "api-version=2022-11-01";

fn arm(path: &str) -> String {
    format!("/providers/Microsoft.Capacity{path}?{V}")
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn every_refusal_is_an_arm_error_with_the_desks_code() {
    let (router, _dir, _) = fresh().await;
    let (status, body) = call_as(&router, "", "GET", &arm("/reservationOrders"), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "signInRequired"), "{body}");
    let (status, body) = call_as(&router, "not-a-token", "GET", &arm("/reservationOrders"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    let (status, body) = call_as(&router, "demo-admin-agent", "GET", "/providers/Microsoft.Capacity/reservationOrders", None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "MissingApiVersionParameter"));
    let (status, body) = call_as(&router, "demo-admin-agent", "GET", "/providers/Microsoft.Capacity/reservationOrders?api-version=2023-03-01", None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "InvalidApiVersionParameter"));
    let (status, body) = call_as(&router, "demo-admin-agent", "GET", &format!("/providers/Microsoft.Compute/virtualMachines?{V}"), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "notFound"));
    let (status, body) = call_as(&router, "demo-admin-agent", "GET", &arm("/reservationOrders/nope"), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "notFound"));
    let (status, body) = call_as(&router, "demo-admin-agent", "GET", &arm("/quotas"), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "notFound"));
}

#[tokio::test]
async fn a_wrong_method_is_a_405_with_allow_and_a_body_that_is_not_json_a_415() {
    let (router, _dir, _) = fresh().await;
    let request = Request::builder().method("DELETE").uri(arm("/reservationOrders/o-1/return")).header(header::AUTHORIZATION, "Bearer demo-admin-agent").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "POST");
    let request = Request::builder().method("POST").uri(arm("/reservationOrders/o-1/reservations/r-1")).header(header::AUTHORIZATION, "Bearer demo-admin-agent").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!((response.status(), response.headers()[header::ALLOW].to_str().unwrap()), (StatusCode::METHOD_NOT_ALLOWED, "GET, PATCH"));
    let (status, body) = call_as(&router, "demo-admin-agent", "DELETE", &arm("/reservationOrders/o-1/return"), None).await;
    assert_eq!((status, error_code(&body)), (StatusCode::METHOD_NOT_ALLOWED, "methodNotAllowed"), "{body}");
    let request = Request::builder()
        .method("POST")
        .uri(arm("/reservationOrders/o-1/calculateRefund"))
        .header(header::AUTHORIZATION, "Bearer demo-admin-agent")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: Value = serde_json::from_slice(&http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes()).unwrap();
    assert_eq!(error_code(&body), "unsupportedMediaType", "{body}");
}

#[tokio::test]
async fn the_filter_keeps_the_states_asked_for_and_refuses_what_it_cannot_read() {
    let (router, _dir, _) = fresh().await;
    let (status, all) = call_as(&router, "demo-admin-agent", "GET", &arm("/reservations"), None).await;
    assert_eq!(status, StatusCode::OK);
    let all = all["value"].as_array().unwrap().clone();
    let path = format!("/providers/Microsoft.Capacity/reservations?{V}&$filter=properties%2FprovisioningState%20eq%20%27Expired%27");
    let (status, expired) = call_as(&router, "demo-admin-agent", "GET", &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let expired = expired["value"].as_array().unwrap();
    let counted = all.iter().filter(|r| r["properties"]["provisioningState"] == "Expired").count();
    assert!(counted > 0 && expired.len() == counted, "{} of {}", expired.len(), counted);
    let path = format!("/providers/Microsoft.Capacity/reservations?{V}&$filter=properties%2FdisplayName%20eq%20%27x%27");
    let (status, body) = call_as(&router, "demo-admin-agent", "GET", &path, None).await;
    assert_eq!((status, body["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some("$filter")));
}

#[tokio::test]
async fn a_refund_is_quoted_to_the_cent_as_api_quotes_it_and_a_helpdesk_agent_may_not_return() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() > 1).unwrap().clone();
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let arm_id = format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{id}");
    let request = json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": arm_id, "quantity": 1}}});
    let (status, quote) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/calculateRefund")), Some(request.clone())).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let (_, desk) = call_as(&router, "demo-admin-agent", "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1, "policy": "azure-current"}))).await;
    let p = &quote["properties"];
    // (The digits on the wire are the decimal's own: azure-api's unit test and the SDK walk read
    // the text; here the router's JSON has gone through serde_json's f64.)
    let same = |number: &Value, text: &Value| Decimal::from_str(&number.to_string()).unwrap() == Decimal::from_str(text.as_str().unwrap()).unwrap();
    assert!(same(&p["billingRefundAmount"]["amount"], &desk["quote"]["refundAmount"]["amount"]), "{p}");
    assert_eq!(p["billingRefundAmount"]["currencyCode"], desk["quote"]["refundAmount"]["currencyCode"]);
    assert!(same(&p["policyResult"]["properties"]["maxRefundLimit"]["amount"], &desk["quote"]["policyResult"]["maxRefundLimit"]["amount"]));
    assert!(same(&p["billingInformation"]["billingCurrencyRemainingCommitmentAmount"]["amount"], &desk["quote"]["remainingCommitment"]["amount"]));
    // A reservation of another order in the body is refused, naming the field.
    let other = json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": format!("/providers/microsoft.capacity/reservationOrders/other/reservations/{id}"), "quantity": 1}}});
    let (status, body) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/calculateRefund")), Some(other)).await;
    assert_eq!((status, body["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some("properties.reservationToReturn.reservationId")));
    // A missing field is named too.
    let (status, body) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/calculateRefund")), Some(json!({"properties": {"scope": "Reservation"}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("reservationToReturn"), "{body}");
    // The Helpdesk agent reads but may not move money; nothing is returned.
    let refund = json!({"properties": {"sessionId": p["sessionId"], "scope": "Reservation", "returnReason": "test"}});
    let (status, body) = call_as(&router, "demo-helpdesk-agent", "POST", &arm(&format!("/reservationOrders/{order}/return")), Some(refund.clone())).await;
    assert_eq!((status, error_code(&body)), (StatusCode::FORBIDDEN, "roleForbids"), "{body}");
    let (status, after) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/return")), Some(refund)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    let returned = after["properties"]["reservations"].as_array().unwrap().iter().find(|x| x["name"] == format!("{order}/{id}")).unwrap();
    assert_eq!(returned["properties"]["quantity"].as_u64(), Some(r["quantity"].as_u64().unwrap() - 1));
}

/// The Azure surface's `calculateRefund` names no policy, so the deployment's
/// governs it; a session the desk's API quoted under another preset (a what-if) is refused by
/// the Azure `return` too, in ARM's shape, and nothing is returned.
#[tokio::test]
async fn the_azure_surface_quotes_by_the_deployments_policy_and_refuses_a_what_if_session() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() > 1).unwrap().clone();
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let request = json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": id, "quantity": 1}}});
    let (status, quote) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/calculateRefund")), Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let (_, desk) = call_as(&router, "demo-admin-agent", "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
    assert_eq!((desk["policy"].as_str(), desk["whatIf"].as_bool()), (Some("azure-current"), Some(false)), "{desk}");
    let same = |number: &Value, text: &Value| Decimal::from_str(&number.to_string()).unwrap() == Decimal::from_str(text.as_str().unwrap()).unwrap();
    assert!(same(&quote["properties"]["billingRefundAmount"]["amount"], &desk["quote"]["refundAmount"]["amount"]), "{quote}");

    let (_, what_if) = call_as(&router, "demo-admin-agent", "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1, "policy": "partner-center-2020"}))).await;
    assert_eq!(what_if["whatIf"], true, "{what_if}");
    let refund = json!({"properties": {"sessionId": what_if["sessionId"], "scope": "Reservation", "returnReason": "test"}});
    let (status, body) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/return")), Some(refund)).await;
    assert_eq!((status, error_code(&body)), (StatusCode::CONFLICT, "policyNotDeployed"), "{body}");
    let (_, after) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/reservationOrders/{order}/reservations/{id}"), None).await;
    assert_eq!(after["quantity"], r["quantity"], "nothing returned");
}

#[tokio::test]
async fn an_exchange_the_policy_refuses_lists_why_and_no_item_amounts() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let r = list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded" && r["reservedResourceType"] == "VirtualMachines").unwrap().clone();
    let arm_id = format!("/providers/microsoft.capacity/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    // One unit of the smallest VM for one year is less than what the returned units still owe.
    let body = json!({"properties": {
        "reservationsToExchange": [{"reservationId": arm_id, "quantity": r["quantity"]}],
        "reservationsToPurchase": [{"sku": {"name": "Standard_D2s_v5"}, "location": "westeurope", "properties": {"term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}}]
    }});
    let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let errors = answer["properties"]["policyResult"]["policyErrors"].as_array().unwrap();
    assert!(!errors.is_empty() && errors.iter().all(|e| e["code"].is_string() && e["message"].is_string()), "{answer}");
    assert!(answer["properties"]["reservationsToExchange"][0].get("billingRefundAmount").is_none(), "{answer}");
    assert!(answer["properties"]["reservationsToPurchase"][0].get("billingCurrencyTotal").is_none(), "{answer}");
}

/// A savings plan in `savingsPlansToPurchase`, as the SDK's `SavingsPlanPurchaseRequest` writes it,
/// billed to `billing_scope` (a subscription of the customer's).
fn compute_plan(billing_scope: &str, term: &str, billing_plan: Option<&str>, hourly: Value) -> Value {
    let mut properties = json!({
        "displayName": "compute plan", "billingScopeId": billing_scope, "term": term,
        "appliedScopeType": "Shared", "commitment": {"currencyCode": "USD", "amount": hourly, "grain": "Hourly"}
    });
    if let Some(plan) = billing_plan {
        properties["billingPlan"] = json!(plan);
    }
    json!({"sku": {"name": "Compute_Savings_Plan"}, "properties": properties})
}

/// The savings plan trade-in on the Azure surface: `calculateExchange` with `savingsPlansToPurchase` answers
/// each plan as `SavingsPlanToPurchaseCalculateExchange` (the request's item under `properties`,
/// `billingCurrencyTotal`, `pricingCurrencyTotal`), a commitment below the returned remaining
/// commitment is `SavingsPlanCommitmentTooLow`, a database reservation `TradeInNotEligible`;
/// `exchange` answers `SavingsPlanToPurchaseExchange` with the plan's full IDs and the plan as it
/// was asked (its `billingScopeId` too), and the plan is the customer's on `/api`. A bad billing
/// plan or grain is a 400 naming the field.
#[tokio::test]
async fn a_trade_in_through_the_azure_surface_buys_a_savings_plan_in_the_specifications_shapes() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let active = |family: &str| {
        list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded" && r["reservedResourceType"] == family && r["unitPrice"]["currencyCode"] == "USD").cloned()
    };
    let r = active("VirtualMachines").expect("a USD VM reservation of Contoso");
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let billing = subscriptions(&router, CONTOSO).await[1].clone();
    let body = |plan: Value| json!({"properties": {
        "reservationsToExchange": [{"reservationId": arm_id(order, id), "quantity": r["quantity"]}],
        "savingsPlansToPurchase": [plan]
    }});

    let (status, probe) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body(compute_plan(&billing, "P3Y", None, json!(0.01))))).await;
    assert_eq!(status, StatusCode::OK, "{probe}");
    let codes: Vec<&str> = probe["properties"]["policyResult"]["policyErrors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SavingsPlanCommitmentTooLow"], "{probe}");
    assert!(probe["properties"]["savingsPlansToPurchase"][0].get("billingCurrencyTotal").is_none(), "refused: no amounts: {probe}");
    // The least hourly commitment, from the desk's own quote of the same trade-in.
    let desk_body = json!({"reservationsToExchange": [{"reservationId": id, "quantity": r["quantity"]}], "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{"skuName": "Compute_Savings_Plan", "term": "P3Y", "billingPlan": "Upfront",
            "hourlyCommitment": {"amount": "0.01", "currencyCode": "USD"}, "appliedScopeType": "Shared"}]});
    let (_, desk_quote) = call_as(&router, "demo-admin-agent", "POST", "/api/calculateExchange", Some(desk_body)).await;
    let minimum = desk_quote["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]["amount"].as_str().unwrap().to_owned();
    let hourly: Value = serde_json::from_str(&minimum).unwrap();

    let plan = compute_plan(&billing, "P3Y", Some("P1M"), hourly.clone());
    let (status, calc) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body(plan.clone()))).await;
    assert_eq!((status, calc["properties"]["policyResult"]["policyErrors"].clone()), (StatusCode::OK, json!([])), "{calc}");
    let quoted = &calc["properties"]["savingsPlansToPurchase"][0];
    assert_eq!(quoted["properties"], plan, "the requested item, as sent");
    let lifetime = Decimal::from_str(&minimum).unwrap() * Decimal::from(26_280);
    let installment = (lifetime / Decimal::from(36)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    assert_eq!(decimal(&quoted["billingCurrencyTotal"]["amount"]), installment, "monthly: the first of 36 installments now: {quoted}");
    assert_eq!(quoted["pricingCurrencyTotal"], quoted["billingCurrencyTotal"]);
    assert!(calc["properties"].get("reservationsToPurchase").is_none(), "{calc}");

    let session = calc["properties"]["sessionId"].clone();
    let (status, done) = call_as(&router, "demo-admin-agent", "POST", &arm("/exchange"), Some(json!({"properties": {"sessionId": session}}))).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let bought = &done["properties"]["savingsPlansToPurchase"][0];
    assert_eq!(bought["status"], "Succeeded");
    let order_id = bought["savingsPlanOrderId"].as_str().unwrap();
    assert!(order_id.starts_with("/providers/Microsoft.BillingBenefits/savingsPlanOrders/"), "{bought}");
    assert!(bought["savingsPlanId"].as_str().unwrap().starts_with(&format!("{order_id}/savingsPlans/")), "{bought}");
    assert_eq!(bought["properties"]["properties"]["commitment"], json!({"currencyCode": "USD", "amount": hourly, "grain": "Hourly"}));
    assert_eq!((bought["properties"]["properties"]["billingPlan"].clone(), bought["properties"]["sku"]["name"].clone()), (json!("P1M"), json!("Compute_Savings_Plan")));
    assert_eq!(decimal(&bought["billingCurrencyTotal"]["amount"]), installment);
    assert_eq!(bought["properties"], plan, "the plan as bought is the plan as asked, its billingScopeId too: {bought}");
    let (_, plans) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/savingsPlans"), None).await;
    assert_eq!(plans.as_array().map(Vec::len), Some(1), "{plans}");
    assert!(bought["savingsPlanId"].as_str().unwrap().ends_with(plans[0]["id"].as_str().unwrap()));

    // A database reservation cannot be traded for a compute plan.
    if let Some(sql) = active("SqlDatabases") {
        let (o, i) = (sql["reservationOrderId"].as_str().unwrap(), sql["id"].as_str().unwrap());
        let sql_body = json!({"properties": {"reservationsToExchange": [{"reservationId": arm_id(o, i), "quantity": 1}], "savingsPlansToPurchase": [compute_plan(&billing, "P1Y", None, json!(100))]}});
        let (status, refused) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(sql_body)).await;
        assert_eq!((status, refused["properties"]["policyResult"]["policyErrors"][0]["code"].as_str()), (StatusCode::OK, Some("TradeInNotEligible")), "{refused}");
    }
    for (plan, target) in [
        (compute_plan(&billing, "P1Y", Some("Yearly"), json!(1)), "properties.savingsPlansToPurchase[0].properties.billingPlan"),
        (json!({"sku": {"name": "Compute_Savings_Plan"}, "properties": {"term": "P1Y", "appliedScopeType": "Shared", "commitment": {"currencyCode": "USD", "amount": 1, "grain": "Daily"}}}), "properties.savingsPlansToPurchase[0].properties.commitment.grain"),
    ] {
        let (status, e) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body(plan))).await;
        assert_eq!((status, e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some(target)), "{e}");
    }
}

#[tokio::test]
async fn an_exchange_line_whose_full_id_names_another_order_is_refused_not_echoed() {
    let (router, _dir, _) = fresh().await;
    let (order, id, _, other) = splittable_and_another(&router).await;
    let other_order = other["reservationOrderId"].as_str().unwrap();
    let line = |order: &str| json!({"properties": {
        "reservationsToExchange": [{"reservationId": arm_id(order, &id), "quantity": 1}],
        "reservationsToPurchase": [{"sku": {"name": "Standard_E8s_v5"}, "location": "westeurope", "properties": {"term": "P3Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}}]
    }});
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(line(other_order))).await;
    assert_eq!(
        (status, error_code(&e), e["error"]["target"].as_str()),
        (StatusCode::BAD_REQUEST, "unknownReservation", Some("properties.reservationsToExchange[0].reservationId")),
        "{e}"
    );
    assert!(!e.to_string().contains(&arm_id(other_order, &id)), "the wrong ID is not echoed back: {e}");
    let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(line(&order))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["properties"]["reservationsToExchange"][0]["reservationId"], arm_id(&order, &id));
}

#[tokio::test]
async fn a_patched_name_follows_the_desks_rule_and_is_blamed_as_arm_names_it() {
    let (router, _dir, _) = fresh().await;
    let (order, id, _, _) = splittable_and_another(&router).await;
    let path = arm(&format!("/reservationOrders/{order}/reservations/{id}"));
    for (name, code) in [("web\ttier".to_owned(), "controlCharacter"), ("x".repeat(65), "tooLong")] {
        let (status, e) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({"properties": {"name": name}}))).await;
        assert_eq!((status, error_code(&e), e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, code, Some("properties.name")), "{e}");
    }
    let (status, changed) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({"properties": {"name": "=HYPERLINK(\"x\")"}}))).await;
    assert_eq!((status, changed["properties"]["displayName"].as_str()), (StatusCode::OK, Some("=HYPERLINK(\"x\")")), "a formula is a name; the CSV neutralises it: {changed}");
}

/// On the Azure surface (the server's clock: any day from 1 July 2026): buying
/// 1-year Fsv2 (`Standard_F16s_v2`) is a policy error naming the SKU, 3 years of it is not; turning
/// renewal on for Fabrikam's 1-year Fsv2 reservation is a 409 `renewalRetired`, off is allowed.
#[tokio::test]
async fn the_azure_surface_refuses_buying_or_renewing_a_retired_vm_series_for_its_term() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let r = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && r["skuName"] == "Standard_F16s_v2" && r["term"] == "P1Y" && r["renew"] == false)
        .expect("the seed's 1-year Fsv2 reservation of Fabrikam")
        .clone();
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let buy = |term: &str| json!({"properties": {
        "reservationsToExchange": [{"reservationId": arm_id(order, id), "quantity": 1}],
        "reservationsToPurchase": [{"sku": {"name": "Standard_F16s_v2"}, "location": "westeurope", "properties": {"term": term, "billingPlan": "Upfront", "quantity": 4, "appliedScopeType": "Shared"}}]
    }});
    let retired = |answer: &Value| -> Vec<String> {
        answer["properties"]["policyResult"]["policyErrors"].as_array().map_or(Vec::new(), |errors| {
            errors.iter().filter(|e| e["code"] == "RetiredVmSeries").map(|e| e["message"].as_str().unwrap().to_owned()).collect()
        })
    };
    let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(buy("P1Y"))).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let messages = retired(&answer);
    assert!(messages.len() == 1 && messages[0].contains("Standard_F16s_v2") && messages[0].contains("Fsv2"), "{answer}");
    let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(buy("P3Y"))).await;
    assert_eq!((status, retired(&answer).len()), (StatusCode::OK, 0), "{answer}");

    let path = arm(&format!("/reservationOrders/{order}/reservations/{id}"));
    let (status, e) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({"properties": {"renew": true}}))).await;
    assert_eq!((status, error_code(&e)), (StatusCode::CONFLICT, "renewalRetired"), "{e}");
    let (status, changed) = call_as(&router, "demo-admin-agent", "PATCH", &path, Some(json!({"properties": {"renew": false}}))).await;
    assert_eq!((status, changed["properties"]["renew"].as_bool()), (StatusCode::OK, Some(false)), "{changed}");
}

/// Refunds at the lower price through the Azure surface: Fabrikam's D4s_v5 reservation bought before the
/// demo catalog's price cut is refunded at today's lower catalog price, the figure `/api` quotes
/// with its `refund-at-current-price` line, and the Azure `return` (whose re-check quotes at the
/// same price) goes through.
#[tokio::test]
async fn the_azure_surface_refunds_at_the_lower_current_price() {
    let (router, _dir, _) = fresh().await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{FABRIKAM}/reservations"), None).await;
    let r = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && r["skuName"] == "Standard_D4s_v5" && r["unitPrice"]["amount"] == "4625.28")
        .expect("Fabrikam's 3-year D4s_v5 reservation bought before the price cut (catalog: 4,204.80)")
        .clone();
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let request = json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": arm_id(order, id), "quantity": 1}}});
    let (status, quote) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/calculateRefund")), Some(request)).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let (_, desk) = call_as(&router, "demo-admin-agent", "POST", &format!("/api/reservationOrders/{order}/calculateRefund"), Some(json!({"reservationId": id, "quantity": 1}))).await;
    let line = desk["quote"]["lines"].as_array().unwrap().iter().find(|l| l["reason"] == "refund-at-current-price").expect("the line");
    assert_eq!(line["detail"]["currentUnitPrice"]["amount"], "4204.80", "{line}");
    let p = &quote["properties"];
    let amount = Decimal::from_str(&p["billingRefundAmount"]["amount"].to_string()).unwrap();
    assert_eq!(amount, Decimal::from_str(desk["quote"]["refundAmount"]["amount"].as_str().unwrap()).unwrap(), "{p}");
    let refund = json!({"properties": {"sessionId": p["sessionId"], "scope": "Reservation", "returnReason": "test"}});
    let (status, after) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/return")), Some(refund)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
}

fn arm_id(order: &str, id: &str) -> String {
    format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{id}")
}

/// An active reservation of two or more units (its order and ID), and a reservation of
/// another order.
async fn splittable_and_another(router: &axum::Router) -> (String, String, u64, Value) {
    let (_, list) = call_as(router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let list = list.as_array().unwrap();
    let r = list.iter().find(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() >= 2).unwrap();
    let other = list.iter().find(|x| x["reservationOrderId"] != r["reservationOrderId"]).unwrap().clone();
    (r["reservationOrderId"].as_str().unwrap().to_owned(), r["id"].as_str().unwrap().to_owned(), r["quantity"].as_u64().unwrap(), other)
}

#[tokio::test]
async fn a_split_answers_the_parts_then_the_source_linked_by_full_ids_and_a_merge_puts_them_back() {
    let (router, _dir, _) = fresh().await;
    let (order, id, quantity, other) = splittable_and_another(&router).await;
    let split_path = arm(&format!("/reservationOrders/{order}/split"));
    let body = json!({"properties": {"quantities": [1, quantity - 1], "reservationId": arm_id(&order, &id)}});

    // Refusals, each in ARM's shape with the field the request named.
    let (status, e) = call_as(&router, "demo-sales-agent", "POST", &split_path, Some(body.clone())).await;
    assert_eq!((status, error_code(&e)), (StatusCode::FORBIDDEN, "roleForbids"), "a Sales agent may not split: {e}");
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &split_path, Some(json!({"properties": {"quantities": [1, quantity], "reservationId": arm_id(&order, &id)}}))).await;
    assert_eq!((status, e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some("properties.quantities")), "{e}");
    let (other_order, other_id) = (other["reservationOrderId"].as_str().unwrap(), other["id"].as_str().unwrap());
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &split_path, Some(json!({"properties": {"quantities": [1, 1], "reservationId": arm_id(other_order, other_id)}}))).await;
    assert_eq!((status, e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some("properties.reservationId")), "{e}");
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &split_path, Some(json!({"properties": {"quantities": [1, 1], "reservationId": other_id}}))).await;
    assert_eq!((status, error_code(&e)), (StatusCode::NOT_FOUND, "notFound"), "another order's reservation by its bare ID: {e}");
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &split_path, Some(json!({"properties": {"quantities": [1, 1]}}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");

    // The split (a Helpdesk agent may): the two parts, then the source, as Azure's example has it.
    let (status, split) = call_as(&router, "demo-helpdesk-agent", "POST", &split_path, Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{split}");
    let split = split.as_array().unwrap().clone();
    assert_eq!(split.len(), 3);
    let (parts, source) = (&split[..2], &split[2]);
    assert_eq!(source["id"], arm_id(&order, &id));
    assert_eq!(source["properties"]["provisioningState"], "Split");
    assert_eq!(source["properties"]["extendedStatusInfo"]["statusCode"], "Split");
    let part_ids: Vec<Value> = parts.iter().map(|p| p["id"].clone()).collect();
    assert_eq!(source["properties"]["splitProperties"]["splitDestinations"], Value::Array(part_ids.clone()));
    for (part, units) in parts.iter().zip([1, quantity - 1]) {
        assert!(part["id"].as_str().unwrap().starts_with(&format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/")), "{part}");
        assert_eq!(part["properties"]["splitProperties"], json!({"splitSource": arm_id(&order, &id)}));
        assert_eq!((part["properties"]["quantity"].as_u64(), &part["properties"]["provisioningState"]), (Some(units), &json!("Succeeded")));
    }
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &split_path, Some(body)).await;
    assert_eq!((status, error_code(&e)), (StatusCode::CONFLICT, "notActive"), "a split reservation cannot be split again: {e}");
    // What GET shows is what the split answered.
    let (_, got) = call_as(&router, "demo-admin-agent", "GET", &arm(&format!("/reservationOrders/{order}/reservations/{id}")), None).await;
    assert_eq!(got["properties"]["splitProperties"], source["properties"]["splitProperties"]);

    // Merge the parts back: the sources (Merged), then the merged reservation.
    let merge_path = arm(&format!("/reservationOrders/{order}/merge"));
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &merge_path, Some(json!({"properties": {"sources": [part_ids[0], arm_id(other_order, other_id)]}}))).await;
    assert_eq!((status, e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some("properties.sources[1]")), "{e}");
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &merge_path, Some(json!({"properties": {"sources": [part_ids[0], part_ids[0]]}}))).await;
    assert_eq!((status, e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, Some("properties.sources[1]")), "listed twice: {e}");
    let (status, e) = call_as(&router, "demo-sales-agent", "POST", &merge_path, Some(json!({"properties": {"sources": part_ids}}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    let (status, merged) = call_as(&router, "demo-admin-agent", "POST", &merge_path, Some(json!({"properties": {"sources": part_ids}}))).await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    let merged = merged.as_array().unwrap();
    assert_eq!(merged.len(), 3);
    let result = &merged[2];
    assert_eq!(result["properties"]["mergeProperties"], json!({"mergeSources": part_ids}));
    assert_eq!(result["properties"]["quantity"].as_u64(), Some(quantity));
    for (source, part_id) in merged[..2].iter().zip(&part_ids) {
        assert_eq!(&source["id"], part_id);
        assert_eq!(source["properties"]["provisioningState"], "Merged");
        assert_eq!(source["properties"]["mergeProperties"]["mergeDestination"], result["id"]);
        assert_eq!(source["properties"]["splitProperties"]["splitSource"], arm_id(&order, &id), "a part keeps where it came from");
    }
}

#[tokio::test]
async fn archive_takes_only_a_finished_reservation_answers_no_body_and_every_change_is_a_revision() {
    let (router, _dir, _) = fresh().await;
    let (order, id, quantity, other) = splittable_and_another(&router).await;
    let reservation = |action: &str| arm(&format!("/reservationOrders/{order}/reservations/{id}{action}"));

    // Never changed: one revision, itself.
    let (status, revisions) = call_as(&router, "demo-sales-agent", "GET", &reservation("/revisions"), None).await;
    assert_eq!(status, StatusCode::OK, "{revisions}");
    assert_eq!(revisions["value"].as_array().unwrap().len(), 1, "{revisions}");
    assert_eq!(revisions["value"][0]["etag"], 1);

    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &reservation("/archive"), None).await;
    assert_eq!((status, error_code(&e)), (StatusCode::BAD_REQUEST, "isActive"), "an active reservation is not archived: {e}");
    let body = json!({"properties": {"quantities": [1, quantity - 1], "reservationId": arm_id(&order, &id)}});
    let (status, _) = call_as(&router, "demo-admin-agent", "POST", &arm(&format!("/reservationOrders/{order}/split")), Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = call_as(&router, "demo-sales-agent", "POST", &reservation("/archive"), None).await;
    assert_eq!((status, error_code(&e)), (StatusCode::FORBIDDEN, "roleForbids"), "{e}");

    // Archive the split reservation: 200 and an empty body; GET shows it archived.
    let request = Request::builder().method("POST").uri(reservation("/archive")).header(header::AUTHORIZATION, "Bearer demo-admin-agent").body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(axum::body::to_bytes(response.into_body(), 1024).await.unwrap().is_empty(), "no body, as the specification has it");
    let (_, got) = call_as(&router, "demo-admin-agent", "GET", &reservation(""), None).await;
    assert_eq!(got["properties"]["archived"], true, "{got}");
    let (status, again) = call_as(&router, "demo-admin-agent", "POST", &reservation("/unarchive"), None).await;
    assert_eq!((status, again), (StatusCode::OK, Value::Null));
    let (_, got) = call_as(&router, "demo-admin-agent", "GET", &reservation(""), None).await;
    assert_eq!(got["properties"]["archived"], false);

    // Revisions, newest first: unarchived, archived, split, and how it was before.
    let (status, revisions) = call_as(&router, "demo-admin-agent", "GET", &reservation("/revisions"), None).await;
    assert_eq!(status, StatusCode::OK, "{revisions}");
    let value = revisions["value"].as_array().unwrap();
    let etags: Vec<u64> = value.iter().map(|v| v["etag"].as_u64().unwrap()).collect();
    assert_eq!(etags, [4, 3, 2, 1], "{revisions}");
    for v in value {
        let n = &v["etag"];
        assert_eq!(v["id"], format!("{}/revisions/{n}", arm_id(&order, &id)));
        assert_eq!(v["name"], format!("{order}/{id}/{n}"));
        assert_eq!(v["type"], "microsoft.capacity/reservationOrders/reservations/revisions");
        assert!(v["properties"].get("utilization").is_none(), "{v}");
    }
    let states: Vec<(&Value, &Value)> = value.iter().map(|v| (&v["properties"]["provisioningState"], &v["properties"]["archived"])).collect();
    assert_eq!(states, [(&json!("Split"), &json!(false)), (&json!("Split"), &json!(true)), (&json!("Split"), &json!(false)), (&json!("Succeeded"), &json!(false))]);
    assert_eq!(value[0]["systemData"]["lastModifiedBy"].as_str().map(|s| !s.is_empty()), Some(true), "{}", value[0]);
    assert_eq!(value[0]["systemData"]["lastModifiedAt"], value[0]["properties"]["lastUpdatedDateTime"]);
    assert!(value[3].get("systemData").is_none(), "revision 1 records no change: {}", value[3]);

    // Another order's reservation under this order is not found.
    let other_id = other["id"].as_str().unwrap();
    for (method, action) in [("GET", "/revisions"), ("POST", "/archive"), ("POST", "/unarchive")] {
        let (status, e) = call_as(&router, "demo-admin-agent", method, &arm(&format!("/reservationOrders/{order}/reservations/{other_id}{action}")), None).await;
        assert_eq!((status, error_code(&e)), (StatusCode::NOT_FOUND, "notFound"), "{method} {action}: {e}");
    }
}

const DOCUMENT: &str = "/providers/Microsoft.Capacity/openapi.json";

/// `(METHOD, path, operation)` of every operation the document lists, the document itself left out.
fn documented(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if path != DOCUMENT {
                out.push((method.to_uppercase(), path.clone(), operation.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_document_is_public_and_lists_exactly_the_operations_the_adapter_answers() {
    let (router, _dir, _) = fresh().await;
    // No token and no api-version: the document describes the version, and anyone may read it.
    let (status, doc) = call_as(&router, "", "GET", DOCUMENT, None).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], "2022-11-01");
    let (status, same) = call_as(&router, "", "GET", "/providers/microsoft.capacity/OpenApi.json", None).await;
    assert_eq!((status, &same), (StatusCode::OK, &doc), "matched in any case, as the provider's paths are");
    let listed = documented(&doc);
    for op in azure_api::AzureOperation::ALL {
        let path = contract::route::on_wire("/providers/Microsoft.Capacity", op.template());
        assert!(listed.iter().any(|(m, p, _)| m == op.method().as_str() && *p == path), "{} {path} is answered but not documented", op.method().as_str());
    }
    for (method, path, _) in &listed {
        // A subscription's operation has the provider after the subscription.
        let below = path.replacen("/providers/Microsoft.Capacity", "", 1).replace("{reservationOrderId}", "o").replace("{reservationId}", "r").replace("{subscriptionId}", "s");
        assert!(azure_api::AzureOperation::find(method, &below).is_ok(), "{method} {path} is documented but not answered");
    }
    assert_eq!(listed.len(), azure_api::AzureOperation::ALL.len());
    // Another method on the document is a 405 in ARM's shape.
    let request = Request::builder().method("POST").uri(DOCUMENT).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!((response.status(), response.headers()[header::ALLOW].to_str().unwrap()), (StatusCode::METHOD_NOT_ALLOWED, "GET, HEAD"));
}

/// Each documented operation called with IDs that do not exist and an empty body, by each role
/// and without a token: never a 5xx, always a documented status, every error in ARM's shape.
#[tokio::test]
async fn every_documented_operation_answers_a_documented_status_in_arms_shape() {
    let (router, _dir, _) = fresh().await;
    let (_, doc) = call_as(&router, "", "GET", DOCUMENT, None).await;
    let mut calls = 0;
    for (method, path, operation) in documented(&doc) {
        let concrete = path.split('/').map(|s| if s.starts_with('{') { "unknown-id" } else { s }).collect::<Vec<_>>().join("/");
        let body = matches!(method.as_str(), "POST" | "PUT" | "PATCH").then(|| json!({}));
        for token in ["", "demo-admin-agent", "demo-sales-agent", "demo-helpdesk-agent"] {
            for query in [V, "", "api-version=1999-01-01"] {
                let uri = format!("{concrete}?{query}");
                let (status, answer) = call_as(&router, token, &method, &uri, body.clone()).await;
                calls += 1;
                assert!(!status.is_server_error(), "{method} {uri} as {token:?}: {status} {answer}");
                let responses = operation["responses"].as_object().unwrap();
                assert!(responses.contains_key(status.as_str()), "{method} {uri} as {token:?}: {status} is not documented ({:?}): {answer}", responses.keys().collect::<Vec<_>>());
                if !status.is_success() {
                    assert!(answer["error"]["code"].is_string() && answer["error"]["message"].is_string(), "{method} {uri}: {answer}");
                }
            }
        }
    }
    assert_eq!(calls, azure_api::AzureOperation::ALL.len() * 4 * 3);
}

fn decimal(number: &Value) -> Decimal {
    Decimal::from_str(&number.to_string()).unwrap_or_else(|_| panic!("not a number: {number}"))
}

/// `$expand=schedule`: the order's payment plan, `planInformation` as the specification shapes
/// it; its transactions add up to what the order's reservations commit now, those due by today
/// are paid. Without `$expand` (or with another value) the order is as before.
#[tokio::test]
async fn expand_schedule_adds_the_payment_plan_that_adds_up_to_the_orders_commitment() {
    let (router, _dir, _) = fresh().await;
    let (status, orders) = call_as(&router, "demo-sales-agent", "GET", &arm("/reservationOrders"), None).await;
    assert_eq!(status, StatusCode::OK);
    let orders = orders["value"].as_array().unwrap().clone();
    let active = |plan: &str| {
        orders.iter().find(|o| o["properties"]["billingPlan"] == plan && o["properties"]["provisioningState"] == "Succeeded").unwrap_or_else(|| panic!("no active {plan} order")).clone()
    };
    let today = chrono::Utc::now().date_naive().to_string();
    for plan in ["Monthly", "Upfront"] {
        let order = active(plan);
        let id = order["name"].as_str().unwrap();
        let (status, plain) = call_as(&router, "demo-sales-agent", "GET", &arm(&format!("/reservationOrders/{id}")), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(plain["properties"].get("planInformation").is_none(), "without $expand, no plan: {plain}");
        let (status, other) = call_as(&router, "demo-sales-agent", "GET", &format!("{}&$expand=renewProperties", arm(&format!("/reservationOrders/{id}"))), None).await;
        assert_eq!((status, &other), (StatusCode::OK, &plain), "another $expand value is ignored");
        let (status, expanded) = call_as(&router, "demo-sales-agent", "GET", &format!("{}&$expand=schedule", arm(&format!("/reservationOrders/{id}"))), None).await;
        assert_eq!(status, StatusCode::OK, "{expanded}");
        let info = &expanded["properties"]["planInformation"];
        let mut without = expanded.clone();
        without["properties"].as_object_mut().unwrap().remove("planInformation");
        assert_eq!(without, plain, "the plan is the only addition");

        // What the order's reservations commit now: round(unit price × quantity) of each that holds its units.
        let mut billing_commitment = Decimal::ZERO;
        let mut currency = String::new();
        let mut purchase = String::new();
        for r in order["properties"]["reservations"].as_array().unwrap() {
            let (_, detail) = call_as(&router, "demo-sales-agent", "GET", &format!("/api/reservationOrders/{id}/reservations/{}", r["name"].as_str().unwrap().split('/').nth(1).unwrap()), None).await;
            if detail["provisioningState"] == "Succeeded" || detail["provisioningState"] == "Expired" {
                let unit = Decimal::from_str(detail["unitPrice"]["amount"].as_str().unwrap()).unwrap();
                billing_commitment += (unit * Decimal::from(detail["quantity"].as_u64().unwrap())).round_dp(2);
                currency = detail["unitPrice"]["currencyCode"].as_str().unwrap().to_owned();
                purchase = detail["purchaseDate"].as_str().unwrap().to_owned();
            }
        }
        assert_eq!(info["startDate"], purchase.as_str(), "{info}");
        let transactions = info["transactions"].as_array().unwrap();
        let term_months = match order["properties"]["term"].as_str().unwrap() {
            "P1Y" => 12,
            "P3Y" => 36,
            _ => 60,
        };
        assert_eq!(transactions.len(), if plan == "Monthly" { term_months } else { 1 }, "{plan}: {info}");
        let billing: Decimal = transactions.iter().map(|t| decimal(&t["billingCurrencyTotal"]["amount"])).sum();
        assert_eq!(billing, billing_commitment, "{plan}: the transactions add up to the commitment");
        assert!(transactions.iter().all(|t| t["billingCurrencyTotal"]["currencyCode"] == currency.as_str()));
        let pricing: Decimal = transactions.iter().map(|t| decimal(&t["pricingCurrencyTotal"]["amount"])).sum();
        assert_eq!(pricing, decimal(&info["pricingCurrencyTotal"]["amount"]), "{plan}: pricingCurrencyTotal is the order's total");
        assert_eq!(info["pricingCurrencyTotal"]["currencyCode"], "USD");
        // Statuses by date: paid up to today (with its payment date), scheduled after.
        let mut dues = Vec::new();
        for t in transactions {
            let due = t["dueDate"].as_str().unwrap();
            dues.push(due.to_owned());
            if due <= today.as_str() {
                assert_eq!((&t["status"], &t["paymentDate"]), (&json!("Succeeded"), &json!(due)), "{t}");
            } else {
                assert_eq!(t["status"], "Scheduled", "{t}");
                assert!(t.get("paymentDate").is_none(), "{t}");
            }
        }
        assert!(dues.windows(2).all(|w| w[0] < w[1]), "earliest first: {dues:?}");
        let next = transactions.iter().find(|t| t["status"] == "Scheduled").map(|t| t["dueDate"].clone());
        assert_eq!(info.get("nextPaymentDueDate").cloned(), next, "{info}");
        if plan == "Monthly" {
            assert!(next.is_some(), "an active monthly order still has payments to come");
            let first = decimal(&transactions[0]["billingCurrencyTotal"]["amount"]);
            assert!(transactions[..term_months - 1].iter().all(|t| decimal(&t["billingCurrencyTotal"]["amount"]) == first), "equal installments, the remainder in the last");
        } else {
            assert_eq!((&transactions[0]["dueDate"], &transactions[0]["status"]), (&json!(purchase), &json!("Succeeded")));
        }
    }
    // An unknown order is still a 404 with $expand.
    let (status, e) = call_as(&router, "demo-sales-agent", "GET", &format!("{}&$expand=schedule", arm("/reservationOrders/nope")), None).await;
    assert_eq!((status, error_code(&e)), (StatusCode::NOT_FOUND, "notFound"));
}

/// The scopes `customer` owns, as `/api` lists them.
async fn scopes_of(router: &axum::Router, customer: &str) -> Vec<Value> {
    let (status, scopes) = call_as(router, "demo-admin-agent", "GET", &format!("/api/customers/{customer}/scopes"), None).await;
    assert_eq!(status, StatusCode::OK, "{scopes}");
    scopes.as_array().unwrap().clone()
}

/// The subscriptions of `customer` (`/subscriptions/{id}`), each once, in the order its scopes name them.
async fn subscriptions(router: &axum::Router, customer: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for scope in scopes_of(router, customer).await {
        if let Some(s) = scope["appliedScopeProperties"]["subscriptionId"].as_str() {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
    }
    assert!(out.len() > 1, "the demo customers have two subscriptions: {out:?}");
    out
}

/// An active USD VM reservation of `customer`.
async fn usd_vm(router: &axum::Router, customer: &str) -> Value {
    let (_, list) = call_as(router, "demo-admin-agent", "GET", &format!("/api/customers/{customer}/reservations"), None).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && r["reservedResourceType"] == "VirtualMachines" && r["unitPrice"]["currencyCode"] == "USD")
        .cloned()
        .expect("an active USD VM reservation")
}

fn arm_id_of(r: &Value) -> String {
    arm_id(r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap())
}

/// A `billingScopeId` is the subscription charged: the desk bills the customer, so it takes only
/// one of the customer's own subscriptions (in any case, as ARM compares IDs), for a reservation
/// bought as for a savings plan; another customer's, or one no customer has, is a 400 in ARM's
/// shape naming the member that says it.
#[tokio::test]
async fn a_billing_scope_that_is_not_one_of_the_customers_subscriptions_is_refused_naming_it() {
    let (router, _dir, _) = fresh().await;
    let r = usd_vm(&router, CONTOSO).await;
    let own = subscriptions(&router, CONTOSO).await;
    let other = subscriptions(&router, FABRIKAM).await;
    let purchase = |billing: &str| {
        json!({"sku": {"name": "Standard_E8s_v5"}, "location": "westeurope", "properties": {"billingScopeId": billing, "term": "P3Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}})
    };
    let buying = |billing: &str| json!({"properties": {"reservationsToExchange": [{"reservationId": arm_id_of(&r), "quantity": 1}], "reservationsToPurchase": [purchase(billing)]}});
    let trading = |billing: &str| json!({"properties": {"reservationsToExchange": [{"reservationId": arm_id_of(&r), "quantity": 1}], "savingsPlansToPurchase": [compute_plan(billing, "P3Y", None, json!(100))]}});
    for billing in [other[0].as_str(), "/subscriptions/00000000-0000-0000-0000-000000000001", "/providers/Microsoft.Billing/billingAccounts/1"] {
        for (body, target) in [
            (buying(billing), "properties.reservationsToPurchase[0].properties.billingScopeId"),
            (trading(billing), "properties.savingsPlansToPurchase[0].properties.billingScopeId"),
        ] {
            let (status, e) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body)).await;
            assert_eq!((status, error_code(&e), e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, "scopeInvalid", Some(target)), "{billing}: {e}");
            assert!(e["error"]["message"].as_str().is_some_and(|m| m.contains("subscription")), "{e}");
        }
    }
    for billing in [own[0].clone(), own[1].to_uppercase()] {
        for body in [buying(&billing), trading(&billing)] {
            let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{billing}: {answer}");
        }
    }
}

/// The API over a new database whose deployment asks another user's approval above USD 0.00.
async fn waiting_router() -> (axum::Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/test.sqlite", dir.path().display());
    let threshold = quote_engine::Money::new(Decimal::ZERO, quote_engine::Currency::USD);
    let settings = contract::Settings { approval_threshold: Some(threshold), ..contract::Settings::default() };
    let store = reservation_desk_server::db::open(&url).await.unwrap();
    let state = reservation_desk_server::state::AppState::with_settings(store, std::sync::Arc::new(chrono::Utc::now), settings);
    (reservation_desk_server::api_with_state(state), dir)
}

/// A trade-in that waits for approval: its result, once another user approved it, answers each
/// plan as it was asked, billed to the subscription it named, as `exchange` answers at once.
#[tokio::test]
async fn a_trade_in_approved_later_answers_each_plans_billing_scope_as_exchange_does() {
    let (router, _dir) = waiting_router().await;
    let r = usd_vm(&router, CONTOSO).await;
    let billing = subscriptions(&router, CONTOSO).await[1].clone();
    let desk_body = json!({"reservationsToExchange": [{"reservationId": r["id"], "quantity": 1}], "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{"skuName": "Compute_Savings_Plan", "term": "P3Y", "billingPlan": "Upfront",
            "hourlyCommitment": {"amount": "0.01", "currencyCode": "USD"}, "appliedScopeType": "Shared"}]});
    let (_, desk_quote) = call_as(&router, "demo-admin-agent", "POST", "/api/calculateExchange", Some(desk_body)).await;
    let minimum = desk_quote["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]["amount"].as_str().unwrap().to_owned();
    let plan = compute_plan(&billing, "P3Y", None, serde_json::from_str(&minimum).unwrap());
    let body = json!({"properties": {"reservationsToExchange": [{"reservationId": arm_id_of(&r), "quantity": 1}], "savingsPlansToPurchase": [plan.clone()]}});
    let (status, calc) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body)).await;
    assert_eq!((status, calc["properties"]["policyResult"]["policyErrors"].clone()), (StatusCode::OK, json!([])), "{calc}");
    let exchange = json!({"properties": {"sessionId": calc["properties"]["sessionId"]}});
    let request = Request::builder()
        .method("POST")
        .uri(arm("/exchange"))
        .header(header::AUTHORIZATION, "Bearer demo-admin-agent")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(exchange.to_string()))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let approval = location.split('?').next().unwrap().rsplit('/').next().unwrap().to_owned();
    let (status, approved) = call_as(&router, "demo-global-admin", "POST", &format!("/api/approvals/{approval}/approve"), None).await;
    assert_eq!((status, approved["status"].as_str()), (StatusCode::OK, Some("approved")), "{approved}");
    let (status, done) = call_as(&router, "demo-admin-agent", "GET", &location, None).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let bought = &done["properties"]["savingsPlansToPurchase"][0];
    assert_eq!((bought["status"].as_str(), &bought["properties"]), (Some("Succeeded"), &plan), "the plan as asked, billed where it said: {done}");
}

/// The member of `body` that an ARM error's `target` names (`properties.list[0].member`), if the
/// body holds it.
fn member<'a>(body: &'a Value, target: &str) -> Option<&'a Value> {
    let mut at = body;
    for part in target.split('.') {
        let (name, indexes) = part.split_at(part.find('[').unwrap_or(part.len()));
        at = at.as_object()?.get(name)?;
        for index in indexes.split('[').skip(1) {
            at = at.as_array()?.get(index.strip_suffix(']')?.parse::<usize>().ok()?)?;
        }
    }
    Some(at)
}

#[test]
fn a_target_names_a_member_of_the_body_or_nothing() {
    let body = json!({"properties": {"list": [{"a": 1}, {"b": {"c": [0, 5]}}]}});
    assert_eq!(member(&body, "properties.list[1].b.c[1]"), Some(&json!(5)));
    assert_eq!(member(&body, "properties"), body.get("properties"));
    for absent in ["properties.list[2]", "properties.list[0].b", "properties.list.a", "list", "properties.list[x]", "properties.list[0]]"] {
        assert_eq!(member(&body, absent), None, "{absent}");
    }
}

/// Every refusal of a request's content names, as its `target`, a member the request sent holds:
/// the desk's own field names (`hourlyCommitment`, `skuId`, a purchase's `quantity`, a scope's
/// target, a refund's `quantity`, a return's `returnReason`) are written as the Azure request
/// writes them, a scope by the ID that names it, a list the request leaves out by the object
/// that leaves it out, and a session's content by `properties.sessionId`.
#[tokio::test]
async fn every_refusal_names_a_member_of_the_request_that_was_sent() {
    let (router, _dir, _) = fresh().await;
    let r = usd_vm(&router, CONTOSO).await;
    let (_, list) = call_as(&router, "demo-admin-agent", "GET", &format!("/api/customers/{CONTOSO}/reservations"), None).await;
    let second = list.as_array().unwrap().iter().find(|x| x["provisioningState"] == "Succeeded" && x["id"] != r["id"]).unwrap().clone();
    let theirs = usd_vm(&router, FABRIKAM).await;
    let own = subscriptions(&router, CONTOSO).await;
    let other_scopes = scopes_of(&router, FABRIKAM).await;
    let other_sub = other_scopes[0]["appliedScopeProperties"]["subscriptionId"].as_str().unwrap().to_owned();
    let other_group = other_scopes.iter().find_map(|s| s["appliedScopeProperties"]["resourceGroupId"].as_str()).unwrap().to_owned();
    let other_mg = other_scopes.iter().find_map(|s| s["appliedScopeProperties"]["managementGroupId"].as_str()).unwrap().to_owned();

    let line = |x: &Value, quantity: u64| json!({"reservationId": arm_id_of(x), "quantity": quantity});
    let purchase = json!({"sku": {"name": "Standard_D2s_v5"}, "location": "westeurope", "properties": {"term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}});
    let plan = compute_plan(&own[0], "P1Y", None, json!(1));
    // The request with the member at `pointer` of its one purchase (`reservationsToPurchase`) or
    // plan set to `value`.
    let with = |list: &str, pointer: &str, value: Value| {
        let mut item = if list == "reservationsToPurchase" { purchase.clone() } else { plan.clone() };
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        item.pointer_mut(parent).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("{pointer}")).insert(key.to_owned(), value);
        json!({"properties": {"reservationsToExchange": [line(&r, 1)], list: [item]}})
    };
    let buying = |pointer: &str, value: Value| with("reservationsToPurchase", pointer, value);
    let trading = |pointer: &str, value: Value| with("savingsPlansToPurchase", pointer, value);
    let scoped = |list: &str, scope_type: &str, properties: Option<Value>, applied_scopes: Option<Value>| {
        let mut body = with(list, "/properties/appliedScopeType", json!(scope_type));
        let item = &mut body["properties"][list][0]["properties"];
        if let Some(p) = properties {
            item["appliedScopeProperties"] = p;
        }
        if let Some(s) = applied_scopes {
            item["appliedScopes"] = s;
        }
        body
    };
    let plans = "savingsPlansToPurchase";
    let buys = "reservationsToPurchase";
    let calc = arm("/calculateExchange");
    let p = "properties.savingsPlansToPurchase[0]";
    let b = "properties.reservationsToPurchase[0]";
    let mut cases: Vec<(&str, String, Value, String)> = vec![
        // A savings plan.
        ("POST", calc.clone(), trading("/properties/commitment/amount", json!(0.001)), format!("{p}.properties.commitment.amount")),
        ("POST", calc.clone(), trading("/properties/commitment/amount", json!(0)), format!("{p}.properties.commitment.amount")),
        ("POST", calc.clone(), trading("/properties/commitment/amount", json!("x")), format!("{p}.properties.commitment.amount")),
        ("POST", calc.clone(), trading("/properties/commitment/currencyCode", json!("dollars")), format!("{p}.properties.commitment.currencyCode")),
        ("POST", calc.clone(), trading("/properties/commitment/grain", json!("Daily")), format!("{p}.properties.commitment.grain")),
        ("POST", calc.clone(), trading("/properties/billingPlan", json!("Yearly")), format!("{p}.properties.billingPlan")),
        ("POST", calc.clone(), trading("/properties/displayName", json!("web\ttier")), format!("{p}.properties.displayName")),
        ("POST", calc.clone(), trading("/properties/billingScopeId", json!(other_sub)), format!("{p}.properties.billingScopeId")),
        ("POST", calc.clone(), trading("/properties/term", json!("P7Y")), format!("{p}.properties.term")),
        ("POST", calc.clone(), scoped(plans, "Single", Some(json!({"subscriptionId": other_sub})), None), format!("{p}.properties.appliedScopeProperties.subscriptionId")),
        ("POST", calc.clone(), scoped(plans, "Single", Some(json!({"subscriptionId": other_sub, "resourceGroupId": other_group})), None), format!("{p}.properties.appliedScopeProperties.resourceGroupId")),
        ("POST", calc.clone(), scoped(plans, "ManagementGroup", Some(json!({"managementGroupId": other_mg})), None), format!("{p}.properties.appliedScopeProperties.managementGroupId")),
        ("POST", calc.clone(), scoped(plans, "Single", Some(json!({"displayName": "somewhere"})), None), format!("{p}.properties.appliedScopeProperties")),
        ("POST", calc.clone(), scoped(plans, "Shared", Some(json!({"subscriptionId": own[0]})), None), format!("{p}.properties.appliedScopeProperties")),
        ("POST", calc.clone(), scoped(plans, "Single", None, None), format!("{p}.properties.appliedScopeType")),
        // A reservation bought.
        ("POST", calc.clone(), buying("/properties/quantity", json!(0)), format!("{b}.properties.quantity")),
        ("POST", calc.clone(), buying("/properties/quantity", json!(1001)), format!("{b}.properties.quantity")),
        ("POST", calc.clone(), buying("/properties/quantity", json!("one")), format!("{b}.properties.quantity")),
        ("POST", calc.clone(), buying("/properties/displayName", json!("x".repeat(65))), format!("{b}.properties.displayName")),
        ("POST", calc.clone(), buying("/sku/name", json!("Standard_Nope")), format!("{b}.sku.name")),
        ("POST", calc.clone(), buying("/location", json!("mars")), format!("{b}.sku.name")),
        ("POST", calc.clone(), scoped(buys, "Single", None, Some(json!([other_sub]))), format!("{b}.properties.appliedScopes[0]")),
        ("POST", calc.clone(), scoped(buys, "Single", Some(json!({"subscriptionId": other_sub})), None), format!("{b}.properties.appliedScopeProperties.subscriptionId")),
        ("POST", calc.clone(), scoped(buys, "Shared", None, Some(json!([own[0]]))), format!("{b}.properties.appliedScopes")),
        ("POST", calc.clone(), scoped(buys, "ManagementGroup", None, None), format!("{b}.properties.appliedScopeType")),
        // The reservations returned, and the lists.
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 0)], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange[0].quantity".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1), line(&r, 1)], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange[1].reservationId".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1), line(&theirs, 1)], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange[1].reservationId".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1), {"reservationId": arm_id("nope", "nope"), "quantity": 1}], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange[1].reservationId".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [{"reservationId": "/subscriptions/x", "quantity": 1}], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange[0].reservationId".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToPurchase": [purchase]}}), "properties".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1)]}}), "properties".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1)], "reservationsToPurchase": []}}), "properties.reservationsToPurchase".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1)], "reservationsToPurchase": vec![purchase.clone(); 101]}}), "properties.reservationsToPurchase".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": vec![line(&r, 1); 101], "reservationsToPurchase": [purchase]}}), "properties.reservationsToExchange".into()),
        ("POST", calc.clone(), json!({"properties": {"reservationsToExchange": [line(&r, 1)], "savingsPlansToPurchase": vec![plan.clone(); 101]}}), "properties.savingsPlansToPurchase".into()),
        ("POST", calc.clone(), json!({}), "".into()),
        // An exchange names only its session.
        ("POST", arm("/exchange"), json!({"properties": {}}), "properties".into()),
    ];
    // A refund and a return.
    let (order, id) = (second["reservationOrderId"].as_str().unwrap(), second["id"].as_str().unwrap());
    let refund = |quantity: u64| json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": arm_id(order, id), "quantity": quantity}}});
    let refund_path = arm(&format!("/reservationOrders/{order}/calculateRefund"));
    let (status, quote) = call_as(&router, "demo-admin-agent", "POST", &refund_path, Some(refund(1))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let session = quote["properties"]["sessionId"].clone();
    let units = second["quantity"].as_u64().unwrap();
    let return_path = arm(&format!("/reservationOrders/{order}/return"));
    cases.extend([
        ("POST", refund_path.clone(), refund(0), "properties.reservationToReturn.quantity".to_owned()),
        ("POST", refund_path.clone(), refund(units + 1), "properties.reservationToReturn.quantity".to_owned()),
        ("POST", refund_path.clone(), json!({"properties": {"scope": "Order", "reservationToReturn": {"reservationId": arm_id(order, id), "quantity": 1}}}), "properties.scope".to_owned()),
        ("POST", refund_path.clone(), json!({"properties": {"scope": "Reservation", "reservationToReturn": {"reservationId": arm_id("other", id), "quantity": 1}}}), "properties.reservationToReturn.reservationId".to_owned()),
        ("POST", return_path.clone(), json!({"properties": {"sessionId": session, "scope": "Reservation", "returnReason": "  "}}), "properties.returnReason".to_owned()),
    ]);
    // A change of a reservation, a split, a merge and the scopes available.
    let patch_path = arm(&format!("/reservationOrders/{order}/reservations/{id}"));
    cases.extend([
        ("PATCH", patch_path.clone(), json!({"properties": {"name": "web\ttier"}}), "properties.name".to_owned()),
        ("PATCH", patch_path.clone(), json!({"properties": {"appliedScopeType": "Single", "appliedScopes": [other_sub]}}), "properties.appliedScopes[0]".to_owned()),
        ("PATCH", patch_path.clone(), json!({"properties": {"appliedScopeType": "Single", "appliedScopeProperties": {"subscriptionId": other_sub}}}), "properties.appliedScopeProperties.subscriptionId".to_owned()),
        ("PATCH", patch_path.clone(), json!({"properties": {"appliedScopeType": "Shared", "appliedScopes": [own[0]]}}), "properties.appliedScopes".to_owned()),
        ("PATCH", patch_path.clone(), json!({"properties": {"appliedScopeType": "Single"}}), "properties.appliedScopeType".to_owned()),
        ("PATCH", patch_path.clone(), json!({"properties": {"appliedScopeProperties": {"subscriptionId": own[0]}}}), "properties".to_owned()),
        ("PATCH", patch_path.clone(), json!({"properties": {"instanceFlexibility": "On"}}), "properties.instanceFlexibility".to_owned()),
        ("POST", arm(&format!("/reservationOrders/{order}/split")), json!({"properties": {"quantities": [1, units], "reservationId": arm_id(order, id)}}), "properties.quantities".to_owned()),
        ("POST", arm(&format!("/reservationOrders/{order}/merge")), json!({"properties": {"sources": [arm_id(order, id), arm_id(order, "nope")]}}), "properties.sources[1]".to_owned()),
        ("POST", arm(&format!("/reservationOrders/{order}/reservations/{id}/availableScopes")), json!({"properties": {"scopes": "all"}}), "properties.scopes".to_owned()),
    ]);
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &cases {
        let (status, e) = call_as(&router, "demo-admin-agent", method, path, Some(body.clone())).await;
        let target = e["error"]["target"].as_str();
        if !status.is_client_error() || !e["error"]["code"].is_string() {
            wrong.push(format!("{method} {path} {body}: {status} {e}"));
            continue;
        }
        if let Some(t) = target {
            if member(body, t).is_none() {
                wrong.push(format!("{method} {path}: target {t} is not in the request sent {body}: {e}"));
            }
        }
        if target.unwrap_or_default() != expected {
            wrong.push(format!("{method} {path}: target {target:?}, not {expected:?}: {e}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} refusals:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// Azure answers a trade-in of more reservations than one takes with the policy error
/// `TradeInTooManyReservations` in the quote (a 200 `calculateExchange` result listing it, as
/// every policy refusal), not an HTTP error; nothing is kept to exchange. A plain exchange of as
/// many is still the 400 `tooManyLines` naming the list, and so is the desk's own `/api`.
#[tokio::test]
async fn a_trade_in_of_more_than_100_reservations_is_azures_policy_error_in_the_quote() {
    let (router, _dir, _) = fresh().await;
    let r = usd_vm(&router, CONTOSO).await;
    let billing = subscriptions(&router, CONTOSO).await[0].clone();
    let lines = vec![json!({"reservationId": arm_id_of(&r), "quantity": 1}); 101];
    let plan = compute_plan(&billing, "P3Y", None, json!(100));
    let body = json!({"properties": {"reservationsToExchange": lines, "savingsPlansToPurchase": [plan.clone()]}});
    let (status, answer) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(body.clone())).await;
    assert_eq!((status, answer["status"].as_str()), (StatusCode::OK, Some("Succeeded")), "{answer}");
    let errors = answer["properties"]["policyResult"]["policyErrors"].as_array().expect("policy errors");
    let codes: Vec<&str> = errors.iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["TradeInTooManyReservations"], "{answer}");
    assert!(errors[0]["message"].as_str().unwrap().contains("100"), "{answer}");
    let p = &answer["properties"];
    assert_eq!(p["savingsPlansToPurchase"][0]["properties"], plan, "the plan asked for: {answer}");
    assert!(p["savingsPlansToPurchase"][0].get("billingCurrencyTotal").is_none(), "refused: no amounts: {answer}");
    assert_eq!(p["reservationsToExchange"].as_array().map(Vec::len), Some(101), "{answer}");
    assert!(p.get("sessionId").is_none(), "nothing is kept to exchange: {answer}");
    // The Helpdesk agent may not quote: still the 403 first.
    let (status, e) = call_as(&router, "demo-helpdesk-agent", "POST", &arm("/calculateExchange"), Some(body)).await;
    assert_eq!((status, error_code(&e)), (StatusCode::FORBIDDEN, "roleForbids"), "{e}");
    // Reservations bought instead of a plan: the desk's bound, named as the request names it.
    let purchase = json!({"sku": {"name": "Standard_D2s_v5"}, "location": "westeurope", "properties": {"term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}});
    let plain = json!({"properties": {"reservationsToExchange": vec![json!({"reservationId": arm_id_of(&r), "quantity": 1}); 101], "reservationsToPurchase": [purchase]}});
    let (status, e) = call_as(&router, "demo-admin-agent", "POST", &arm("/calculateExchange"), Some(plain)).await;
    assert_eq!((status, error_code(&e), e["error"]["target"].as_str()), (StatusCode::BAD_REQUEST, "tooManyLines", Some("properties.reservationsToExchange")), "{e}");
    // The desk's own API keeps its 400.
    let desk = json!({"reservationsToExchange": vec![json!({"reservationId": r["id"], "quantity": 1}); 101], "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{"skuName": "Compute_Savings_Plan", "term": "P3Y", "billingPlan": "Upfront", "hourlyCommitment": {"amount": "100", "currencyCode": "USD"}, "appliedScopeType": "Shared"}]});
    let (status, problem) = call_as(&router, "demo-admin-agent", "POST", "/api/calculateExchange", Some(desk)).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::BAD_REQUEST, Some("tooManyLines")), "{problem}");
}
