//! The JSON wire layer: the issue's request shapes, 400-worthy inputs, and response key names.

use quote_engine::api::{self, ExchangeQuoteRequest, RefundQuoteRequest};
use serde_json::{json, Value};

fn refund_body() -> Value {
    json!({
        "policy": "azure-current", "asOf": "2026-11-22",
        "reservation": { "reservedResourceType": "VirtualMachines", "term": "P3Y", "billingPlan": "Upfront",
                         "purchaseDate": "2025-03-01", "quantity": 4,
                         "unitPrice": { "amount": "3600.00", "currencyCode": "USD" },
                         "pricingUnitPrice": { "amount": "3600.00", "currencyCode": "USD" },
                         "hasUsage": true },
        "quantity": 2,
        "priorRefunds": [ { "date": "2026-05-01", "amount": { "amount": "1000.00", "currencyCode": "USD" } } ]
    })
}

fn exchange_body() -> Value {
    json!({
        "policy": "partner-center-2020", "asOf": "2026-11-22",
        "returns": [ { "reservation": refund_body()["reservation"], "quantity": 1 } ],
        "purchases": [ { "reservedResourceType": "VirtualMachines", "term": "P3Y", "billingPlan": "Upfront",
                         "quantity": 2, "unitPrice": { "amount": "2000.00", "currencyCode": "USD" } } ]
    })
}

/// An edit applied to a valid body to make it invalid.
type Mutation = Box<dyn Fn(&mut Value)>;

fn parse_refund(v: Value) -> Result<RefundQuoteRequest, serde_json::Error> {
    serde_json::from_value(v)
}

#[test]
fn refund_request_from_the_issue_round_trips() {
    let req = parse_refund(refund_body()).unwrap();
    let resp = api::refund(&req).unwrap();
    let out = serde_json::to_value(&resp).unwrap();
    let keys: Vec<&str> = out
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "quantity",
        "totalPaid",
        "usedAmount",
        "remainingCommitment",
        "canceledFuturePayments",
        "earlyTerminationFee",
        "refundAmount",
        "forfeitedAmount",
        "maxQuantityWithinLimit",
        "fitsOn",
        "policyResult",
        "lines",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(keys.len(), 12);
    let pr = &out["policyResult"];
    for k in [
        "consumedRefundsTotal",
        "maxRefundLimit",
        "policyErrors",
        "warnings",
    ] {
        assert!(pr.get(k).is_some(), "{k}");
    }
    assert_eq!(
        pr["maxRefundLimit"],
        json!({"amount": "50000.00", "currencyCode": "USD"})
    );
    assert_eq!(pr["consumedRefundsTotal"]["amount"], "1000.00");
    assert_eq!(out["maxQuantityWithinLimit"], Value::Null);
    assert_eq!(out["quantity"], 2);
    assert!(out["lines"][0].get("reason").is_some());
    // The response parses back (the browser reads what the server sends).
    let back: api::RefundQuoteResponse = serde_json::from_value(out).unwrap();
    assert_eq!(back, resp);
    // ...and the request serializes back to the same JSON.
    assert_eq!(serde_json::to_value(&req).unwrap(), refund_body());
}

#[test]
fn exchange_request_from_the_issue() {
    let req: ExchangeQuoteRequest = serde_json::from_value(exchange_body()).unwrap();
    let resp = api::exchange(&req).unwrap();
    let out = serde_json::to_value(&resp).unwrap();
    let mut keys: Vec<&str> = out
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "isValidExchange",
            "lines",
            "netPayable",
            "newCommitmentTotal",
            "policyResult",
            "purchasesTotal",
            "refundsTotal",
            "remainingCommitmentTotal"
        ]
    );
    assert_eq!(out["isValidExchange"], true);
    assert!(out["policyResult"]["policyErrors"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn policy_outcomes_are_data_not_errors() {
    let mut body = refund_body();
    body["quantity"] = json!(9);
    let resp = api::refund(&parse_refund(body).unwrap()).unwrap();
    assert_eq!(
        resp.policy_result.policy_errors[0].code.as_str(),
        "InvalidRefundQuantity"
    );
    let v = serde_json::to_value(&resp).unwrap();
    assert_eq!(
        v["policyResult"]["policyErrors"][0]["code"],
        "InvalidRefundQuantity"
    );
    assert_eq!(v["refundAmount"]["amount"], "0.00");
}

#[test]
fn serde_rejects_malformed_bodies() {
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "unknown policy",
            Box::new(|b| b["policy"] = json!("generous")),
        ),
        (
            "unknown term",
            Box::new(|b| b["reservation"]["term"] = json!("P2Y")),
        ),
        (
            "impossible date",
            Box::new(|b| b["asOf"] = json!("2026-02-29")),
        ),
        (
            "float amount",
            Box::new(|b| b["reservation"]["unitPrice"]["amount"] = json!(3600.5)),
        ),
        (
            "integer amount",
            Box::new(|b| b["reservation"]["unitPrice"]["amount"] = json!(3600)),
        ),
        ("unknown field", Box::new(|b| b["surprise"] = json!(1))),
        (
            "unknown nested field",
            Box::new(|b| b["reservation"]["color"] = json!("red")),
        ),
        ("negative quantity", Box::new(|b| b["quantity"] = json!(-1))),
        (
            "huge quantity",
            Box::new(|b| b["quantity"] = json!(1u64 << 40)),
        ),
        (
            "bad currency",
            Box::new(|b| b["reservation"]["unitPrice"]["currencyCode"] = json!("dollars")),
        ),
        (
            "missing hasUsage",
            Box::new(|b| {
                b["reservation"].as_object_mut().unwrap().remove("hasUsage");
            }),
        ),
        (
            "bad family",
            Box::new(|b| b["reservation"]["reservedResourceType"] = json!("Virtual Machines")),
        ),
    ];
    for (what, mutate) in cases {
        let mut body = refund_body();
        mutate(&mut body);
        assert!(parse_refund(body).is_err(), "{what} was accepted");
    }
    let err = parse_refund({
        let mut b = refund_body();
        b["reservation"]["unitPrice"]["amount"] = json!(3600.5);
        b
    })
    .unwrap_err();
    assert!(err.to_string().contains("lose cents"), "{err}");
}

#[test]
fn validation_errors_name_the_field() {
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "reservation.unitPrice.amount",
            Box::new(|b| b["reservation"]["unitPrice"]["amount"] = json!("-1.00")),
        ),
        (
            "reservation.unitPrice.amount",
            Box::new(|b| b["reservation"]["unitPrice"]["amount"] = json!("99999999999999999999")),
        ),
        (
            "reservation.quantity",
            Box::new(|b| b["reservation"]["quantity"] = json!(0)),
        ),
        (
            "reservation.pricingUnitPrice.currencyCode",
            Box::new(|b| b["reservation"]["pricingUnitPrice"]["currencyCode"] = json!("EUR")),
        ),
        (
            "priorRefunds[0].amount.amount",
            Box::new(|b| b["priorRefunds"][0]["amount"]["amount"] = json!("-5")),
        ),
        (
            "reservation.purchaseDate",
            Box::new(|b| b["reservation"]["purchaseDate"] = json!("+262142-12-31")),
        ),
    ];
    for (field, mutate) in cases {
        let mut body = refund_body();
        mutate(&mut body);
        let err = api::refund(&parse_refund(body).unwrap()).unwrap_err();
        assert_eq!(err.field, field, "{err}");
        assert!(!err.message.is_empty());
    }
    let mut body = refund_body();
    body["reservation"]["unitPrice"]["currencyCode"] = json!("EUR");
    body["reservation"]
        .as_object_mut()
        .unwrap()
        .remove("pricingUnitPrice");
    let err = api::refund(&parse_refund(body).unwrap()).unwrap_err();
    assert_eq!(err.field, "reservation.pricingUnitPrice");
    let mut body = exchange_body();
    body["purchases"] = json!([]);
    let err = api::exchange(&serde_json::from_value(body).unwrap()).unwrap_err();
    assert_eq!(err.field, "purchases");
}
