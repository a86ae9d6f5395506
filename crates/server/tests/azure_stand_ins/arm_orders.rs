//! ARM's reservation orders in the token's tenant (`GET
//! /providers/Microsoft.Capacity/reservationOrders/{id}`, Microsoft.Capacity 2022-11-01, the
//! shape of the specification's `GetReservationOrderDetailsWithExpandPlanInformation.json`):
//! `originalQuantity`, and with `$expand=schedule` the plan information whose
//! `pricingCurrencyTotal` is the order's price. Every order of the fixtures is priced at
//! [`UNIT_PRICE_USD`] a unit, billed in USD upfront, unless a test switches it ([`StandIns::order`]).
//! An order of another tenant is not found, as ARM answers it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::*;

/// The whole-term price of one unit of every fixture order, in USD.
pub const UNIT_PRICE_USD: &str = "2102.40";

/// How ARM answers one order.
#[derive(Clone, Debug)]
pub enum Order {
    /// Its plan: `originalQuantity` units for `pricing_total` (`{currencyCode, amount}`), paid
    /// in `transactions` (`PaymentDetail`s).
    Priced { original_quantity: u32, pricing_total: Value, transactions: Vec<Value> },
    /// 403 AuthorizationFailed: the user may list the tenant's reservations but not read this order.
    Forbidden,
    /// 200 without `planInformation` (an answer the desk cannot price).
    NoPlan,
    /// This body, as it is (a published answer replayed).
    Published(Value),
}

/// The orders of `tenants`' reservations, each priced at [`UNIT_PRICE_USD`] a unit for the
/// units its reservations hold, paid upfront in USD: `(tenant, order)` → how it answers.
pub fn default_orders(tenants: &HashMap<String, Tenant>) -> HashMap<(String, String), Order> {
    let mut units: HashMap<(String, String), u32> = HashMap::new();
    for (tenant, state) in tenants {
        let listed = match state {
            Tenant::Reservations(all) | Tenant::Throttled { then: all, .. } | Tenant::NotConsented { then: all, .. } => all.as_slice(),
            Tenant::Forbidden | Tenant::Fails { .. } => &[],
        };
        for r in listed {
            // `…/reservationOrders/{order}/reservations/{id}`: the order from the ID (a name may be
            // the bare reservation ID, as in Microsoft's examples).
            let id = r["id"].as_str().unwrap_or_default();
            let order = id.split('/').skip_while(|s| !s.eq_ignore_ascii_case("reservationOrders")).nth(1).unwrap_or_default().to_owned();
            *units.entry((tenant.clone(), order)).or_default() += r["properties"]["quantity"].as_u64().unwrap_or(0) as u32;
        }
    }
    units.into_iter().map(|(key, q)| (key, priced_usd(q))).collect()
}

/// `quantity` units at [`UNIT_PRICE_USD`], paid upfront in USD.
pub fn priced_usd(quantity: u32) -> Order {
    let unit: rust_decimal::Decimal = UNIT_PRICE_USD.parse().unwrap();
    let total = unit * rust_decimal::Decimal::from(quantity);
    let price = json!({"currencyCode": "USD", "amount": total.to_string().parse::<serde_json::Number>().unwrap()});
    Order::Priced {
        original_quantity: quantity,
        pricing_total: price.clone(),
        transactions: vec![json!({
            "dueDate": "2026-01-10", "paymentDate": "2026-01-10", "status": "Succeeded",
            "pricingCurrencyTotal": price, "billingCurrencyTotal": price, "billingAccount": "23456"
        })],
    }
}

impl StandIns {
    /// Reads or changes how ARM answers `order` in `tenant` (a test's switch).
    pub fn order<T>(&self, tenant: &str, order: &str, f: impl FnOnce(&mut Option<Order>) -> T) -> T {
        let mut orders = self.inner.orders.lock().unwrap();
        let key = (tenant.to_owned(), order.to_owned());
        let mut entry = orders.remove(&key);
        let out = f(&mut entry);
        if let Some(e) = entry {
            orders.insert(key, e);
        }
        out
    }
}

/// ARM's `GET /providers/Microsoft.Capacity/reservationOrders/{id}` in the token's tenant.
pub(super) async fn order(State(s): State<Arc<Inner>>, headers: HeaderMap, Path(id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    let claims = match arm_claims(&s, &headers, &query) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    *s.record.lock().unwrap().orders.entry(id.clone()).or_default() += 1;
    let answer = s.orders.lock().unwrap().get(&(tenant.clone(), id.clone())).cloned();
    let (original_quantity, plan) = match answer {
        None => {
            let body = json!({"error": {"code": "ReservationOrderNotFound", "message": format!("Reservation order {id} was not found.")}});
            return (StatusCode::NOT_FOUND, Json(body)).into_response();
        }
        Some(Order::Forbidden) => {
            let message = format!(
                "The client with object id '{}' does not have authorization to perform action 'Microsoft.Capacity/reservationOrders/read' over scope '/providers/Microsoft.Capacity/reservationOrders/{id}' or the scope is invalid.",
                claims["oid"].as_str().unwrap_or_default()
            );
            return (StatusCode::FORBIDDEN, Json(json!({"error": {"code": "AuthorizationFailed", "message": message}}))).into_response();
        }
        Some(Order::NoPlan) => (1, None),
        Some(Order::Published(body)) => return Json(body).into_response(),
        Some(Order::Priced { original_quantity, pricing_total, transactions }) => {
            (original_quantity, Some(json!({"pricingCurrencyTotal": pricing_total, "startDate": "2026-01-10", "transactions": transactions})))
        }
    };
    // The order's reservations as the tenant holds them (`ReservationResponse` IDs).
    let listed: Vec<Value> = match s.tenants.lock().unwrap().get(&tenant) {
        Some(Tenant::Reservations(all) | Tenant::Throttled { then: all, .. } | Tenant::NotConsented { then: all, .. }) => all
            .iter()
            .filter_map(|r| r["id"].as_str())
            .filter(|rid| rid.to_ascii_lowercase().contains(&format!("/reservationorders/{}/", id.to_ascii_lowercase())))
            .map(|rid| json!({"id": rid}))
            .collect(),
        _ => Vec::new(),
    };
    let mut body = json!({
        "id": format!("/providers/microsoft.capacity/reservationOrders/{id}"),
        "type": "Microsoft.Capacity/reservationOrders", "name": id, "etag": 3,
        "properties": {
            "displayName": id, "requestDateTime": "2026-01-10T07:59:00Z", "createdDateTime": "2026-01-10T08:00:00Z",
            "benefitStartTime": "2026-01-10T08:00:00Z", "expiryDate": "2027-01-10", "expiryDateTime": "2027-01-10T08:00:00Z",
            "term": "P1Y", "billingPlan": "Upfront", "provisioningState": "Succeeded",
            "reservations": listed, "originalQuantity": original_quantity
        }
    });
    // The plan only when asked for, as `$expand` does at ARM.
    let expanded = query.get("$expand").is_some_and(|e| e.split(',').any(|v| v.trim().eq_ignore_ascii_case("schedule")));
    if let (Some(plan), true) = (plan, expanded) {
        body["properties"]["planInformation"] = plan;
    }
    Json(body).into_response()
}
