//! In Azure mode a customer's statement is matched to an invoice Microsoft Graph exports on behalf
//! of the signed-in user (`POST /api/customers/{id}/statements/{month}/reconciliation` with an
//! `invoiceId`): the export started in the partner's tenant, its operation polled through
//! `running` after each `Retry-After`, the manifest followed by its link, each file fetched from
//! Blob Storage with the SAS token and no Graph token (the stand-in in
//! `azure_stand_ins/graph_billing.rs`, in the shapes of Microsoft's published examples). A refund
//! made through Azure is matched to its credit line; a failed export is Azure's refusal, with
//! Graph's message; an uploaded file is matched as in local mode.

use crate::azure_desk;
use crate::azure_stand_ins::PARTNER_TENANT;

use axum::http::StatusCode;
use azure_desk::*;
use base64::Engine as _;
use serde_json::{json, Value};
use std::io::Write as _;

/// `lines` as one gzip-compressed JSON lines file, as Graph's export writes its blobs.
fn blob(lines: &[Value]) -> Vec<u8> {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

/// A reconciliation line with the attribute set's names (no sample of the file is published: the
/// casing is Microsoft's attribute table's).
fn line(customer: &str, charge: &str, order: &str, quantity: &str, subtotal: &str) -> Value {
    json!({"PartnerId": PARTNER_TENANT, "CustomerId": customer, "CustomerName": "Contoso", "InvoiceNumber": "G000024135", "ChargeType": charge,
        "ReservationOrderId": order, "ProductName": "Reserved VM Instance, Standard_D2s_v3, West Europe, 1 Year", "Quantity": quantity,
        "BillableQuantity": quantity, "UnitPrice": "120.50", "EffectiveUnitPrice": "120.50", "Subtotal": subtotal, "TaxTotal": "0", "Total": subtotal,
        "Currency": "USD", "PricingCurrency": "USD", "PCToBCExchangeRate": "1", "ChargeStartDate": "2026-11-02T00:00:00"})
}

/// A refund of two units of res-c3 through Azure (241.0 USD credited), and the month of its entry.
async fn refund_two_units(d: &Desk) -> String {
    read(d).await;
    let (status, quote) = d.call("POST", "/api/reservationOrders/order-c/calculateRefund", Some(json!({"reservationId": "res-c3", "quantity": 2}))).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let body = json!({"sessionId": quote["sessionId"], "returnReason": "Bought too many", "ticketReference": "CHG-AZ-1"});
    let (status, done) = d.call("POST", "/api/reservationOrders/order-c/return", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    let refund = audit.as_array().unwrap().iter().find(|e| e["action"] == "refund").unwrap().clone();
    refund["time"].as_str().unwrap()[..7].to_owned()
}

#[tokio::test]
async fn an_invoice_exported_through_graph_matches_a_refund_made_through_azure() {
    let d = desk().await;
    let month = refund_two_units(&d).await;
    d.stand_ins.billing(|b| {
        b.running_polls = 2;
        // Two files: the refund's credit and another reservation's charge in the first, another
        // customer's line in the second.
        b.invoices.insert(
            "G000024135".into(),
            vec![
                blob(&[line("tenant-contoso", "Cancel", "order-c", "-2", "-241.00"), line("tenant-contoso", "New", "order-x", "1", "120.50")]),
                blob(&[line("tenant-fabrikam", "New", "order-f", "1", "99.00")]),
            ],
        );
    });
    let path = format!("/api/customers/contoso/statements/{month}/reconciliation");
    let (status, matched) = d.call("POST", &path, Some(json!({"invoiceId": "G000024135"}))).await;
    assert_eq!(status, StatusCode::OK, "{matched}");
    let lines = matched["statement"]["lines"].as_array().unwrap();
    let at = lines.iter().position(|l| l["kind"] == "refund").expect("the refund's line");
    assert_eq!(matched["matches"][at]["state"], "matched", "{matched}");
    assert_eq!(matched["matches"][at]["invoiceLines"], json!([1]));
    assert_eq!(matched["matches"][at]["invoiced"], json!({"amount": "-241.00", "currencyCode": "USD"}));
    let unexplained: Vec<&Value> = matched["unexplained"].as_array().unwrap().iter().collect();
    assert_eq!(unexplained.len(), 1, "{unexplained:?}");
    assert_eq!((&unexplained[0]["number"], &unexplained[0]["reservationOrderId"]), (&json!(2), &json!("order-x")));
    assert_eq!((&matched["linesRead"], &matched["customerLines"]), (&json!(3), &json!(2)), "lines numbered across both files; the customer's by its tenant");
    assert_eq!(matched["source"]["kind"], "graph");
    assert_eq!((&matched["source"]["invoiceId"], &matched["source"]["files"]), (&json!("G000024135"), &json!(2)));
    assert!(matched["source"]["operationId"].as_str().unwrap().starts_with("op-G000024135-"), "{}", matched["source"]);
    d.stand_ins.billing(|b| assert_eq!((b.exports, b.polls, b.files_served), (1, 3, 2), "one export, polled through two `running`, both files fetched"));
    assert!(d.waits.lock().unwrap().iter().filter(|w| **w == std::time::Duration::from_secs(2)).count() >= 2, "each Retry-After waited");
    d.stand_ins.record(|r| assert!(r.refused.is_empty(), "no Graph token went to Blob Storage, no token was refused: {:?}", r.refused));
}

#[tokio::test]
async fn a_failed_export_is_graphs_refusal_and_an_uploaded_file_is_matched_as_in_local_mode() {
    let d = desk().await;
    let month = refund_two_units(&d).await;
    let path = format!("/api/customers/contoso/statements/{month}/reconciliation");
    // Graph has no data for the invoice: its published failed operation.
    let (status, problem) = d.call("POST", &path, Some(json!({"invoiceId": "G000000404"}))).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("upstreamRefused")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("No data available") && detail.contains("op-G000000404-"), "{detail}");
    for bad in ["", "G0000/../x", "a b"] {
        let (status, problem) = d.call("POST", &path, Some(json!({"invoiceId": bad}))).await;
        assert_eq!((status, problem["field"].as_str()), (StatusCode::BAD_REQUEST, Some("invoiceId")), "{bad:?}: {problem}");
    }
    // The same lines as a CSV file uploaded: the desk matches them without Graph.
    let csv = "CustomerId,ChargeType,ReservationOrderId,BillableQuantity,Subtotal,Currency\ntenant-contoso,Cancel,order-c,-2,-241.50,USD\n";
    let file = json!({"file": {"name": "G000024135.csv", "base64": base64::engine::general_purpose::STANDARD.encode(csv)}});
    let exports = d.stand_ins.billing(|b| b.exports);
    let (status, matched) = d.call("POST", &path, Some(file)).await;
    assert_eq!(status, StatusCode::OK, "{matched}");
    let at = matched["statement"]["lines"].as_array().unwrap().iter().position(|l| l["kind"] == "refund").unwrap();
    assert_eq!(matched["matches"][at]["state"], "differing", "Microsoft credited 0.50 more: {matched}");
    assert_eq!(matched["matches"][at]["difference"], json!({"amount": "-0.50", "currencyCode": "USD"}));
    assert_eq!(d.stand_ins.billing(|b| b.exports), exports, "an upload asks nothing of Graph");
}
