//! The suite's cases for the money passed on: the partner's price set by a Global admin (audited,
//! refused to others), and a customer's statement for a month: a refund made that month at the
//! markup in force then, totals that add up, and a later price change that leaves it as it was.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{amount, noon, Harness, FABRIKAM};

fn month_of(now: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", now.year(), now.month())
}

/// A Global admin sets a markup for Fabrikam, audited (an Admin agent and a Sales agent may not,
/// and a bad markup is a 400 naming the field); a refund that month is on Fabrikam's statement
/// with Microsoft's credit, the customer's at the markup, and the margin, the totals the lines'
/// sums; a later price change leaves that line as it was; a bad month is a 400.
pub async fn a_refund_is_on_the_months_statement_at_the_markup_in_force_then<S: crate::DeskStore>(h: Harness<S>) {
    let path = format!("/customers/{FABRIKAM}/pricing");
    let before = h.get(&path).await;
    assert!(before["inForce"].is_null(), "no price set: Microsoft's figures as billed: {before}");
    for token in ["demo-admin-agent", "demo-sales-agent"] {
        let (status, problem) = h.at(noon(), token, "PUT", &path, Some(json!({ "markupPercent": "10" }))).await;
        assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{token}: {problem}");
    }
    let (status, problem) = h.call("PUT", &path, Some(json!({ "markupPercent": "-150" }))).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("markupPercent")), "{problem}");
    let (status, set) = h.call("PUT", &path, Some(json!({ "markupPercent": "12.5" }))).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["inForce"]["markupPercent"], "12.5");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["detail"]["kind"].as_str(), audit["detail"]["markupPercent"].as_str()), (Some("setPricing"), Some("pricingSet"), Some("12.5")), "{audit}");

    // A refund of one unit an hour later, priced at 12.5 %.
    let later = noon() + chrono::Duration::hours(1);
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, session) = h.calculate_at(later, &r, 1).await;
    assert_eq!(status, 200, "{session}");
    let (status, done) = h.submit_at(later, &r, &session["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    let refund = amount(&session["quote"]["refundAmount"]);

    let statement_path = format!("/customers/{FABRIKAM}/statements/{}", month_of(later));
    let (status, statement) = h.at(later, "demo-sales-agent", "GET", &statement_path, None).await;
    assert_eq!(status, 200, "{statement}");
    let line = statement["lines"].as_array().unwrap().iter().find(|l| l["kind"] == "refund").expect("the refund's line").clone();
    assert_eq!(amount(&line["microsoft"]), -refund);
    let customer = (-refund * Decimal::new(1125, 3)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    assert_eq!(amount(&line["customer"]), customer, "{line}");
    assert_eq!(amount(&line["margin"]), customer + refund);
    assert_eq!(line["reservationId"], r["id"]);
    assert_eq!(line["quantity"], 1);
    let lines = statement["lines"].as_array().unwrap();
    let total = statement["totals"].as_array().unwrap().iter().find(|t| t["customer"]["currencyCode"] == line["customer"]["currencyCode"]).unwrap().clone();
    let same: Vec<&Value> = lines.iter().filter(|l| l["customer"]["currencyCode"] == line["customer"]["currencyCode"]).collect();
    assert_eq!(amount(&total["customer"]), same.iter().map(|l| amount(&l["customer"])).sum::<Decimal>());
    assert_eq!(amount(&total["microsoft"]), same.iter().map(|l| amount(&l["microsoft"])).sum::<Decimal>());
    assert_eq!(amount(&total["credited"]), same.iter().map(|l| amount(&l["customer"])).filter(|a| *a < Decimal::ZERO).sum::<Decimal>(), "{total}");
    assert_eq!(amount(&total["charged"]) + amount(&total["credited"]), amount(&total["customer"]), "{total}");

    // A new price the next day leaves the refund's line as it was.
    let next_day = later + chrono::Duration::days(1);
    let (status, _) = h.at(next_day, "demo-global-admin", "PUT", &path, Some(json!({ "markupPercent": "40" }))).await;
    assert_eq!(status, 200);
    let (_, again) = h.at(next_day, "demo-global-admin", "GET", &statement_path, None).await;
    let again_line = again["lines"].as_array().unwrap().iter().find(|l| l["kind"] == "refund").unwrap().clone();
    assert_eq!(again_line, line, "priced at what was in force when it happened");

    for bad in ["2026-13", "march"] {
        let (status, problem) = h.call("GET", &format!("/customers/{FABRIKAM}/statements/{bad}"), None).await;
        assert_eq!((status, problem["field"].as_str()), (400, Some("month")), "{bad}: {problem}");
    }
    let (status, _) = h.call("GET", "/customers/nobody/statements/2026-03", None).await;
    assert_eq!(status, 404);
    // The default for all: set by a Global admin, audited, listed as every customer's default.
    let (status, default) = h.at(Utc.with_ymd_and_hms(2026, 3, 2, 12, 30, 0).unwrap(), "demo-global-admin", "PUT", "/pricing", Some(json!({ "markupPercent": "8" }))).await;
    assert_eq!((status, default.as_array().map(Vec::len)), (200, Some(1)), "{default}");
    assert_eq!(h.get(&path).await["default"][0]["markupPercent"], "8");
}

/// A refund is matched to its credit on Microsoft's reconciliation file, uploaded by a Sales agent
/// (reading only): the file's line for the refund's order is taken and matched, another of the
/// customer's reservation lines is listed as unexplained, another customer's line is not theirs;
/// a file off by more than a cent is differing; what is not a file is a 400 naming the field.
pub async fn a_refund_is_matched_to_its_credit_on_microsofts_reconciliation_file<S: crate::DeskStore>(h: Harness<S>) {
    use base64::Engine as _;
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(status, 200, "{session}");
    let (status, done) = h.submit_at(noon(), &r, &session["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    let refund = amount(&session["quote"]["refundAmount"]);
    let currency = session["quote"]["refundAmount"]["currencyCode"].as_str().unwrap().to_owned();
    let order = r["reservationOrderId"].as_str().unwrap();
    let file = |credit: Decimal| {
        let csv = format!(
            "CustomerId,CustomerName,InvoiceNumber,ChargeType,ReservationOrderId,BillableQuantity,Subtotal,Currency,ChargeStartDate\n\
             {FABRIKAM},Fabrikam,G000000001,Cancel,{order},-1,{},{currency},{}\n\
             {FABRIKAM},Fabrikam,G000000001,New,unknown-order,1,10.00,{currency},{}\n\
             another-customer,Other,G000000001,Cancel,{order},-1,{},{currency},{}\n",
            -credit,
            noon().format("%m/%d/%Y"),
            noon().format("%m/%d/%Y"),
            -credit,
            noon().format("%m/%d/%Y"),
        );
        json!({ "file": { "name": "G000000001.csv", "base64": base64::engine::general_purpose::STANDARD.encode(csv) } })
    };
    let path = format!("/customers/{FABRIKAM}/statements/{}/reconciliation", month_of(noon()));
    let (status, matched) = h.at(noon(), "demo-sales-agent", "POST", &path, Some(file(refund))).await;
    assert_eq!(status, 200, "{matched}");
    let lines = matched["statement"]["lines"].as_array().unwrap();
    let at = lines.iter().position(|l| l["kind"] == "refund" && l["reservationOrderId"] == order).expect("the refund's line");
    let m = &matched["matches"][at];
    assert_eq!((m["state"].as_str(), m["invoiceLines"].clone()), (Some("matched"), json!([1])), "{matched}");
    assert_eq!(amount(&m["invoiced"]), -refund);
    assert_eq!(matched["unexplained"].as_array().map(|u| u.iter().map(|l| l["number"].clone()).collect::<Vec<_>>()), Some(vec![json!(2)]));
    assert_eq!((matched["linesRead"].as_u64(), matched["customerLines"].as_u64()), (Some(3), Some(2)));
    assert_eq!(matched["source"], json!({ "kind": "upload", "fileName": "G000000001.csv" }));

    // Microsoft's credit two cents more than the desk's: differing, by how much.
    let (_, off) = h.at(noon(), "demo-sales-agent", "POST", &path, Some(file(refund + Decimal::new(2, 2)))).await;
    assert_eq!(off["matches"][at]["state"], "differing", "{off}");
    assert_eq!(amount(&off["matches"][at]["difference"]), Decimal::new(-2, 2));

    for (body, field) in [
        (json!({ "file": { "name": "x.csv", "base64": "not base64!" } }), "file.base64"),
        (json!({ "file": { "name": "x.csv", "base64": base64::engine::general_purpose::STANDARD.encode("a,b\n1,2\n") } }), "file"),
        (json!({ "invoiceId": "G000000001" }), "invoiceId"),
        (json!({}), "file"),
    ] {
        let (status, problem) = h.call("POST", &path, Some(body.clone())).await;
        assert_eq!((status, problem["field"].as_str()), (400, Some(field)), "{body}: {problem}");
    }
}

/// An exchange is on the month's statement as both its sides: what the returns credited and what
/// the purchases cost (each as the desk's quote had them), which add up to its net payable; on
/// Microsoft's file the return's credit and the purchase's charge, filed under the exchange's
/// orders, match each side.
pub async fn an_exchange_is_on_the_statement_as_its_return_and_its_purchase_each_matched<S: crate::DeskStore>(h: Harness<S>) {
    use base64::Engine as _;
    let r = h.active(FABRIKAM).await.into_iter().find(|r| r["quantity"].as_u64().unwrap_or(0) >= 2).expect("two or more units");
    let (status, calc) = h.call("POST", "/calculateExchange", Some(h.exchange_request(&r, 2).await)).await;
    assert_eq!(status, 200, "{calc}");
    let (status, done) = h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    let quote = &done["quote"];
    let (credited, cost, net) = (amount(&quote["refundsTotal"]), amount(&quote["purchasesTotal"]), amount(&quote["netPayable"]));
    let month = month_of(noon());
    let (_, statement) = h.call("GET", &format!("/customers/{FABRIKAM}/statements/{month}"), None).await;
    let lines = statement["lines"].as_array().unwrap();
    let back = lines.iter().find(|l| l["kind"] == "exchangeReturn").unwrap_or_else(|| panic!("the return's line: {statement}"));
    let bought = lines.iter().find(|l| l["kind"] == "exchangePurchase").expect("the purchase's line");
    assert_eq!((amount(&back["microsoft"]), amount(&bought["microsoft"])), (-credited, cost), "{statement}");
    assert_eq!(amount(&back["microsoft"]) + amount(&bought["microsoft"]), net, "both sides add up to the net payable");
    assert_eq!((back["quantity"].as_u64(), back["skuName"].as_str()), (Some(1), r["skuName"].as_str()), "{back}");
    let new_order = done["purchased"][0]["reservationOrderId"].as_str().unwrap();
    let orders = back["orders"].as_array().unwrap();
    assert!(orders.contains(&r["reservationOrderId"]) && orders.contains(&json!(new_order)), "{back}");

    let currency = quote["netPayable"]["currencyCode"].as_str().unwrap();
    let csv = format!(
        "CustomerId,ChargeType,ReservationOrderId,BillableQuantity,Subtotal,Currency\n{FABRIKAM},Cancel,{},-1,{},{currency}\n{FABRIKAM},New,{new_order},2,{cost},{currency}\n",
        r["reservationOrderId"].as_str().unwrap(),
        -credited
    );
    let body = json!({ "file": { "name": "invoice.csv", "base64": base64::engine::general_purpose::STANDARD.encode(csv) } });
    let (status, matched) = h.call("POST", &format!("/customers/{FABRIKAM}/statements/{month}/reconciliation"), Some(body)).await;
    assert_eq!(status, 200, "{matched}");
    let state = |kind: &str| {
        let at = matched["statement"]["lines"].as_array().unwrap().iter().position(|l| l["kind"] == kind).unwrap();
        (matched["matches"][at]["state"].clone(), matched["matches"][at]["invoiceLines"].clone())
    };
    assert_eq!(state("exchangeReturn"), (json!("matched"), json!([1])), "{matched}");
    assert_eq!(state("exchangePurchase"), (json!("matched"), json!([2])), "{matched}");
    assert_eq!(matched["unexplained"], json!([]));
}

/// What a finance person checks when prices change after a sale: a reservation bought through the
/// desk at 0 % is charged Microsoft's figure; the markup raised to 50 % a moment later changes
/// nothing of it; a whole refund credits no more than the customer was charged for the units
/// (not Microsoft's credit at the 50 % in force that day); renaming the reservation and reading
/// the month once it has closed give the same lines.
pub async fn a_credit_is_capped_by_what_the_customer_was_charged_and_a_closed_month_reads_the_same<S: crate::DeskStore>(h: Harness<S>) {
    let pricing = format!("/customers/{FABRIKAM}/pricing");
    // A fixed price in euros for a customer billed in dollars would price nothing: refused.
    let euros = json!({ "markupPercent": "0", "fixed": [{ "skuName": "Standard_D2s_v5", "term": "P1Y", "unitPrice": { "amount": "900.00", "currencyCode": "EUR" } }] });
    let (status, problem) = h.at(noon(), "demo-global-admin", "PUT", &pricing, Some(euros)).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("fixed[0].unitPrice.currencyCode")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("USD"), "names the customer's currency: {problem}");
    let (status, _) = h.at(noon(), "demo-global-admin", "PUT", &pricing, Some(json!({ "markupPercent": "0" }))).await;
    assert_eq!(status, 200);
    let buy = json!({
        "customerId": FABRIKAM,
        "purchase": { "skuId": "Standard_D2s_v5/westeurope", "term": "P1Y", "billingPlan": "Upfront", "quantity": 2, "appliedScopeType": "Shared", "displayName": "bought at cost" }
    });
    let (status, calc) = h.at(noon(), "demo-admin-agent", "POST", "/calculatePurchase", Some(buy)).await;
    assert_eq!(status, 200, "{calc}");
    let (status, bought) = h.at(noon(), "demo-admin-agent", "POST", "/purchase", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{bought}");
    let charged = amount(&calc["quote"]["dueToday"]);
    // The markup raised in the same second as the purchase, after it: the purchase keeps 0 %.
    let (status, _) = h.at(noon(), "demo-global-admin", "PUT", &pricing, Some(json!({ "markupPercent": "50" }))).await;
    assert_eq!(status, 200);
    let r = bought["purchased"][0].clone();
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let next_day = noon() + chrono::Duration::days(1);
    // One of the two units given back: the reservation stays, so that it can be renamed below.
    let (status, session) = h.calculate_at(next_day, &r, 1).await;
    assert_eq!(status, 200, "{session}");
    let (status, done) = h.submit_at(next_day, &r, &session["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    let refund = amount(&session["quote"]["refundAmount"]);

    let path = format!("/customers/{FABRIKAM}/statements/{}", month_of(noon()));
    let (status, statement) = h.at(next_day, "demo-global-admin", "GET", &path, None).await;
    assert_eq!(status, 200, "{statement}");
    let of_order: Vec<Value> = statement["lines"].as_array().unwrap().iter().filter(|l| l["reservationOrderId"] == order.as_str()).cloned().collect();
    assert_eq!(of_order.iter().map(|l| l["kind"].as_str().unwrap()).collect::<Vec<_>>(), vec!["purchase", "refund"], "{statement}");
    assert_eq!((amount(&of_order[0]["microsoft"]), amount(&of_order[0]["customer"])), (charged, charged), "bought at 0 %: {}", of_order[0]);
    assert_eq!(of_order[0]["name"], "bought at cost");
    let credit = &of_order[1];
    let paid_for_one = charged / rust_decimal::Decimal::TWO;
    assert_eq!(amount(&credit["customerPaidForUnits"]), paid_for_one, "{credit}");
    assert!(-amount(&credit["customer"]) <= paid_for_one, "never more back than the customer paid: {credit}");
    assert_eq!(amount(&credit["customer"]), -refund.min(paid_for_one), "Microsoft's share of what it was paid, not its credit × 1.5: {credit}");
    assert_eq!(credit["capped"], true, "the day's 50 % would have given more than was paid: {credit}");

    // Renamed, and read once the month has closed: the same lines.
    let reservation = format!("/reservationOrders/{order}/reservations/{}", r["id"].as_str().unwrap());
    let (status, renamed) = h.at(next_day, "demo-global-admin", "PATCH", &reservation, Some(json!({ "displayName": "renamed later" }))).await;
    assert_eq!(status, 200, "{renamed}");
    let closed = noon() + chrono::Duration::days(40);
    let (status, again) = h.at(closed, "demo-global-admin", "GET", &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(again["closed"], true);
    assert_eq!(again["lines"], statement["lines"], "a closed month reads as it was");
    assert_eq!(again["totals"], statement["totals"]);
}
