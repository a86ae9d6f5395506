//! The suite's cases for the input limits: bounded exchanges,
//! sessions that are not kept for ever, display names that are one short line of plain text,
//! a portfolio CSV no spreadsheet runs, and an exchange line that names the wrong order.

use chrono::Duration;
use contract::{RefundLimit, Reservation};
use desk_service::portfolio::{portfolio, portfolio_csv, CSV_COLUMNS};
use quote_engine::PolicyName;
use serde_json::{json, Value};

use super::{noon, seed_day, Harness, FABRIKAM};

/// A catalog SKU of `r`'s product family (an exchange the policy accepts), or of another one
/// (`same` false: an exchange the policy refuses).
async fn sku_for<S: crate::DeskStore>(h: &Harness<S>, r: &Value, same: bool) -> Value {
    let catalog = h.get("/catalog").await;
    let family = |c: &&Value| (c["reservedResourceType"] == r["reservedResourceType"]) == same;
    catalog.as_array().expect("a list").iter().find(family).expect("a catalog SKU").clone()
}

/// A purchase line of one unit of `sku`, shared.
fn purchase(sku: &Value) -> Value {
    json!({ "skuId": sku["skuId"], "term": "P3Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared" })
}

/// An exchange returning one unit of `r` for one of `sku`.
fn exchange_of(r: &Value, sku: &Value) -> Value {
    json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
        "reservationsToPurchase": [purchase(sku)]
    })
}

/// 101 return lines (of reservations that do not even exist: the cap is checked before any is
/// read) or 101 purchase lines: a 400 `tooManyLines` naming the list; 100 purchase lines pass
/// the cap.
pub async fn an_exchange_takes_at_most_100_lines_in_each_list<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let sku = sku_for(&h, &r, true).await;
    let returns: Vec<Value> = (0..101).map(|i| json!({ "reservationId": format!("no-such-{i}"), "quantity": 1 })).collect();
    let request = json!({ "reservationsToExchange": returns, "reservationsToPurchase": [purchase(&sku)] });
    let (status, problem) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("tooManyLines"), Some("reservationsToExchange")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("100"), "the detail names the cap: {problem}");

    let mut request = exchange_of(&r, &sku);
    request["reservationsToPurchase"] = Value::Array(vec![purchase(&sku); 101]);
    let (status, problem) = h.call("POST", "/calculateExchange", Some(request.clone())).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("tooManyLines"), Some("reservationsToPurchase")), "{problem}");
    request["reservationsToPurchase"] = Value::Array(vec![purchase(&sku); 100]);
    let (status, problem) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_ne!(problem["code"].as_str(), Some("tooManyLines"), "{status} {problem}");
}

/// An exchange the policy refuses is answered with its quote; an exchange naming that quote is
/// answered with the same refusal (409 `policyRefused` with each of the quote's policy errors),
/// not as a session that never was, and moves nothing.
pub async fn a_refused_exchange_quote_is_refused_again_on_submit<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, refused) = h.call("POST", "/calculateExchange", Some(exchange_of(&r, &sku_for(&h, &r, false).await))).await;
    assert_eq!(status, 200, "{refused}");
    assert_eq!(refused["quote"]["isValidExchange"], false, "{refused}");
    let errors = refused["quote"]["policyResult"]["policyErrors"].as_array().cloned().unwrap_or_default();
    assert!(!errors.is_empty(), "{refused}");
    let audit_before = h.call("GET", "/audit", None).await.1;
    let (status, problem) = h.call("POST", "/exchange", Some(json!({ "sessionId": refused["sessionId"] }))).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyRefused")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    for error in &errors {
        let (code, message) = (error["code"].as_str().unwrap(), error["message"].as_str().unwrap());
        assert!(detail.contains(code) && detail.contains(message), "{detail} names {code}: {message}");
    }
    assert_eq!(h.call("GET", "/audit", None).await.1, audit_before, "nothing moved");
    assert_eq!(h.active(FABRIKAM).await[0], r, "the reservation is as it was");
    let (status, accepted) = h.call("POST", "/calculateExchange", Some(exchange_of(&r, &sku_for(&h, &r, true).await))).await;
    assert_eq!((status, &accepted["quote"]["isValidExchange"]), (200, &json!(true)), "{accepted}");
    assert!(h.desk.store().exchange_session(accepted["sessionId"].as_str().unwrap()).await.unwrap().is_some(), "a valid quote's session is kept");
}

/// A session expired ten minutes ago is still told `sessionExpired`; once a newer session is
/// saved more than ten minutes after its expiry, it is gone (404). A submitted session stays:
/// its repeat answers the same refund.
pub async fn expired_sessions_are_purged_when_a_session_is_saved<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, abandoned) = h.calculate_at(noon(), &r, 1).await;
    let (_, submitted) = h.calculate_at(noon(), &r, 1).await;
    let (status, done) = h.submit_at(noon(), &r, &submitted["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    let sku = sku_for(&h, &r, true).await;
    let (_, exchange) = h.at(noon(), "demo-global-admin", "POST", "/calculateExchange", Some(exchange_of(&r, &sku))).await;
    let exchange_id = exchange["sessionId"].as_str().unwrap().to_owned();

    // Ten minutes past the expiry a new session purges nothing yet.
    let soon = noon() + Duration::seconds(1200);
    assert_eq!(h.calculate_at(soon, &r, 1).await.0, 200);
    let (status, problem) = h.submit_at(soon, &r, &abandoned["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("sessionExpired")), "{problem}");

    let later = noon() + Duration::seconds(1202);
    assert_eq!(h.calculate_at(later, &r, 1).await.0, 200, "saving a refund session purges expired refund sessions");
    let (status, problem) = h.submit_at(later, &r, &abandoned["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("notFound")), "the abandoned session is gone: {problem}");
    assert_eq!(h.submit_at(later, &r, &submitted["sessionId"]).await, (200, done), "a submitted session still answers its repeat");

    assert!(h.desk.store().exchange_session(&exchange_id).await.unwrap().is_some());
    let (status, fresh) = h.at(later, "demo-global-admin", "POST", "/calculateExchange", Some(exchange_of(&r, &sku))).await;
    assert_eq!(status, 200, "{fresh}");
    assert!(h.desk.store().exchange_session(&exchange_id).await.unwrap().is_none(), "saving an exchange session purges expired ones");
    let (status, problem) = h.at(later, "demo-global-admin", "POST", "/exchange", Some(json!({ "sessionId": exchange_id }))).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("notFound")), "{problem}");
}

/// The one display-name rule wherever a name is written: a rename with a tab or a
/// right-to-left override, an exchange purchase's 65-character name or line break, each a 400
/// naming the field; nothing is renamed and no session is kept.
pub async fn display_names_are_one_to_64_characters_without_control_characters<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    for name in ["web\ttier", "invoice\u{202e}fdp.exe", "two\nlines"] {
        let (status, problem) = h.call("PATCH", &path, Some(json!({ "displayName": name }))).await;
        assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("controlCharacter"), Some("displayName")), "{name:?}: {problem}");
    }
    let (status, problem) = h.call("PATCH", &path, Some(json!({ "displayName": "x".repeat(65) }))).await;
    assert_eq!((status, problem["code"].as_str()), (400, Some("tooLong")), "{problem}");
    assert_eq!(h.get(&path).await["displayName"], r["displayName"], "nothing renamed");

    let sku = sku_for(&h, &r, true).await;
    for (name, code) in [("x".repeat(65), "tooLong"), ("web\r\ntier".to_owned(), "controlCharacter")] {
        let mut request = exchange_of(&r, &sku);
        request["reservationsToPurchase"][0]["displayName"] = json!(name);
        let (status, problem) = h.call("POST", "/calculateExchange", Some(request)).await;
        assert_eq!(
            (status, problem["code"].as_str(), problem["field"].as_str()),
            (400, Some(code), Some("reservationsToPurchase[0].displayName")),
            "{problem}"
        );
    }
    let mut request = exchange_of(&r, &sku);
    request["reservationsToPurchase"][0]["displayName"] = json!(format!("  {}  ", "y".repeat(64)));
    let (status, calc) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "64 characters after trimming: {calc}");
    let (status, done) = h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!((status, done["purchased"][0]["displayName"].as_str()), (200, Some("y".repeat(64).as_str())), "{done}");
}

/// A name set to a formula reaches the portfolio CSV as text a spreadsheet shows and never
/// runs; the amounts next to it are plain numbers.
pub async fn a_formula_name_reaches_the_portfolio_csv_neutralised<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let formula = "=HYPERLINK(\"http://evil.example\",\"Open\")";
    let (status, changed) = h.call("PATCH", &path, Some(json!({ "displayName": formula }))).await;
    assert_eq!(status, 200, "a formula is a name like any other: {changed}");
    let list: Vec<Reservation> = serde_json::from_value(h.get(&format!("/customers/{FABRIKAM}/reservations")).await).unwrap();
    let limit: RefundLimit = serde_json::from_value(h.get(&format!("/customers/{FABRIKAM}/refundLimit")).await).unwrap();
    let p = portfolio(&list, &limit, seed_day(), PolicyName::AzureCurrent);
    let row = p.rows.iter().position(|row| list[row.position].id == r["id"]).expect("the renamed reservation is active");
    let header = [""; CSV_COLUMNS];
    let text = portfolio_csv(&p, &list, &[row], &header, &|_| (String::new(), String::new()));
    let record = text.split("\r\n").nth(1).unwrap();
    assert!(record.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Open\"\")\","), "{record}");
    assert!(!record.contains(",=") && !record.contains(",\"="), "no cell starts a formula: {record}");
}

/// An exchange line that names its reservation's order (the Azure surface's full IDs) must name
/// the right one: another order's is refused as an unknown reservation, and no session is kept.
pub async fn an_exchange_line_naming_another_order_is_refused<S: crate::DeskStore>(h: Harness<S>) {
    let active = h.active(FABRIKAM).await;
    let r = &active[0];
    let other = active.iter().find(|o| o["reservationOrderId"] != r["reservationOrderId"]).expect("two orders");
    let sku = sku_for(&h, r, true).await;
    let mut request = exchange_of(r, &sku);
    request["reservationsToExchange"][0]["reservationOrderId"] = other["reservationOrderId"].clone();
    let (status, problem) = h.call("POST", "/calculateExchange", Some(request.clone())).await;
    assert_eq!(
        (status, problem["code"].as_str(), problem["field"].as_str()),
        (400, Some("unknownReservation"), Some("reservationsToExchange[0].reservationId")),
        "{problem}"
    );
    request["reservationsToExchange"][0]["reservationOrderId"] = r["reservationOrderId"].clone();
    let (status, calc) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "its own order is accepted: {calc}");
}
