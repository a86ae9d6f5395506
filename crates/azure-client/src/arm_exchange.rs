//! An exchange through ARM (`Microsoft.Capacity` 2022-11-01) in a customer's tenant, as the
//! specification's `CalculateExchange.json` and `Exchange.json` have it: `POST
//! /providers/Microsoft.Capacity/calculateExchange` with the reservations to return
//! (`reservationsToExchange`, fully qualified IDs) and to buy (`reservationsToPurchase`,
//! `azure_api::exchange::PurchaseRequest`) answers `202` with `Azure-AsyncOperation` (and
//! `Location`, `Retry-After`), followed to its end; the final `CalculateExchangeOperationResultResponse`
//! carries the `sessionId`, the figures (`netPayable`, `refundsTotal`, `purchasesTotal`, exact) and
//! `policyResult.policyErrors` (the specification's `ExchangePolicyErrors` has no `properties`
//! wrapper, unlike the refund's `policyResult`; both shapes are read, and `null` is none). `POST
//! /providers/Microsoft.Capacity/exchange` with that session is started here and followed by the
//! caller (who stores the operation's URL first); [`exchanged`] reads its final
//! `ExchangeOperationResultResponse`: the orders and reservations bought, bare IDs.
//!
//! A trade-in buys savings plans the same way: `savingsPlansToPurchase` in the calculation
//! (`azure_api::exchange::SavingsPlanPurchaseRequest`, as the example shapes it: `sku.name`,
//! `billingScopeId`, `term`, `billingPlan`, `appliedScopeType`/`appliedScopeProperties`,
//! `commitment {grain: Hourly, currencyCode, amount}`, `displayName`); the calculation answers
//! each plan's `billingCurrencyTotal`, the exchange each plan's `savingsPlanOrderId` and
//! `savingsPlanId` (Microsoft.BillingBenefits IDs, read to bare IDs).

use azure_api::exchange::{PurchaseRequest, SavingsPlanPurchaseRequest};
use azure_api::number::{ExactNumber, Price};
use azure_api::order_price::PriceRead;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::arm_ids::{checked, order_of, reservation_id, reservation_of};
use crate::{AzureClient, AzureError, Answer, OnBehalfOf, Started, CAPACITY_API_VERSION};

/// One reservation an exchange returns (bare IDs, as the desk keeps them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeReturn {
    /// The reservation order's ID.
    pub order_id: String,
    /// The reservation's ID.
    pub reservation_id: String,
    /// Units returned.
    pub quantity: u32,
}

/// Azure's `calculateExchange` answer, as the desk reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct CalculatedExchange {
    /// The session `exchange` is posted with.
    pub session_id: String,
    /// Purchases less refunds.
    pub net_payable: Price,
    /// What the returns refund.
    pub refunds_total: Price,
    /// What the purchases cost.
    pub purchases_total: Price,
    /// policyResult.policyErrors: (code, message)
    pub policy_errors: Vec<(String, String)>,
    /// Each savings plan's `billingCurrencyTotal` (what it costs now), in the request's order;
    /// `None` where Azure gave none.
    pub savings_plans: Vec<Option<Price>>,
}

/// What a finished exchange bought, in the request's order: (reservationOrderId, reservationId), bare IDs
/// (the last path segments of Azure's fully qualified IDs).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Exchanged {
    /// (order ID, reservation ID) of each reservation bought.
    pub purchased: Vec<(String, String)>,
    /// (savingsPlanOrderId, savingsPlanId) of each savings plan bought (a trade-in), bare IDs.
    pub savings_plans: Vec<(String, String)>,
}

/// `CalculateExchangeOperationResultResponse` / `ExchangeOperationResultResponse`, as far as the
/// desk reads them. Amounts are `Price` (read digit for digit from the JSON text).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OperationResult {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    properties: Option<ResultProperties>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default)]
    net_payable: Option<PriceRead>,
    #[serde(default)]
    refunds_total: Option<PriceRead>,
    #[serde(default)]
    purchases_total: Option<PriceRead>,
    #[serde(default)]
    policy_result: Option<PolicyResult>,
    #[serde(default)]
    reservations_to_purchase: Option<Vec<Purchased>>,
    #[serde(default)]
    savings_plans_to_purchase: Option<Vec<PlanPurchased>>,
}

/// `SavingsPlanToPurchaseCalculateExchange` / `SavingsPlanToPurchaseExchange`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanPurchased {
    #[serde(default)]
    savings_plan_order_id: Option<String>,
    #[serde(default)]
    savings_plan_id: Option<String>,
    #[serde(default)]
    billing_currency_total: Option<PriceRead>,
    #[serde(default)]
    status: Option<String>,
}

/// The bare (order, plan) of a savings plan's full IDs
/// (`/providers/Microsoft.BillingBenefits/savingsPlanOrders/{o}/savingsPlans/{p}`), the plan's
/// order the one its own ID names.
fn plan_ids(order: &str, plan: &str) -> Option<(String, String)> {
    let segments = |id: &str| id.trim_matches('/').split('/').map(str::to_owned).collect::<Vec<_>>();
    let (o, p) = (segments(order), segments(plan));
    let well_formed = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (o.as_slice(), p.as_slice()) {
        ([pr, bb, spo, order], [pr2, bb2, spo2, of, sp, plan])
            if [pr, pr2].iter().all(|x| x.eq_ignore_ascii_case("providers"))
                && [bb, bb2].iter().all(|x| x.eq_ignore_ascii_case("Microsoft.BillingBenefits"))
                && [spo, spo2].iter().all(|x| x.eq_ignore_ascii_case("savingsPlanOrders"))
                && sp.eq_ignore_ascii_case("savingsPlans")
                && of.eq_ignore_ascii_case(order)
                && well_formed(order)
                && well_formed(plan) =>
        {
            Some((order.clone(), plan.clone()))
        }
        _ => None,
    }
}

/// `ExchangePolicyErrors`: `{policyErrors}`; read also as `{properties: {policyErrors}}`, the
/// refund's shape.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PolicyResult {
    #[serde(default)]
    policy_errors: Option<Vec<PolicyError>>,
    #[serde(default)]
    properties: Option<PolicyErrors>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PolicyErrors {
    #[serde(default)]
    policy_errors: Option<Vec<PolicyError>>,
}

#[derive(Deserialize)]
struct PolicyError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// `ReservationToPurchaseExchange`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Purchased {
    #[serde(default)]
    reservation_order_id: Option<String>,
    #[serde(default)]
    reservation_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// The operation result in `answer`, refused unless it says `Succeeded` (or says nothing, as an
/// answer given at once may).
fn succeeded(answer: &Answer, what: &str) -> Result<OperationResult, AzureError> {
    if answer.status == 202 {
        return Err(AzureError { retry_after: None, request: Default::default(), status: Some(202), code: "StillRunning".into(), message: format!("{what} is still running") });
    }
    let result: OperationResult = serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable(what, e))?;
    match result.status.as_deref() {
        None | Some("Succeeded") => Ok(result),
        Some(status) => {
            let body = json!({ "error": result.error.clone().unwrap_or_default() });
            let mut error = AzureError::from_answer(answer.status, what, body.to_string().as_bytes()).with_request(answer.request.clone());
            if error.code == "HttpStatus" {
                error.code = format!("Operation{status}");
                error.message = format!("{what} ended {}", status.to_lowercase());
            }
            Err(error)
        }
    }
}

/// An amount with both its members (each optional in the specification), else none.
fn price(read: Option<PriceRead>) -> Option<Price> {
    let read = read?;
    Some(Price { currency_code: read.currency_code?, amount: ExactNumber(read.amount?.0) })
}

fn calculated(answer: &Answer) -> Result<CalculatedExchange, AzureError> {
    let what = "ARM's calculateExchange";
    let result = succeeded(answer, what)?;
    let missing = |field: &str| answer.unreadable(what, format!("it has no {field}"));
    let p = result.properties.ok_or_else(|| missing("properties"))?;
    let policy_errors = p
        .policy_result
        .map(|r| r.policy_errors.or_else(|| r.properties.and_then(|p| p.policy_errors)).unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.code.unwrap_or_default(), e.message.unwrap_or_default()))
        .collect();
    let savings_plans = p.savings_plans_to_purchase.unwrap_or_default().into_iter().map(|plan| price(plan.billing_currency_total)).collect();
    Ok(CalculatedExchange {
        session_id: p.session_id.filter(|s| !s.is_empty()).ok_or_else(|| missing("sessionId"))?,
        net_payable: price(p.net_payable).ok_or_else(|| missing("netPayable"))?,
        refunds_total: price(p.refunds_total).ok_or_else(|| missing("refundsTotal"))?,
        purchases_total: price(p.purchases_total).ok_or_else(|| missing("purchasesTotal"))?,
        policy_errors,
        savings_plans,
    })
}

/// Reads a finished exchange operation's final answer (the body `follow` returned, or a 200 from `start_exchange`).
pub fn exchanged(answer: &Answer) -> Result<Exchanged, AzureError> {
    let what = "ARM's exchange";
    let result = succeeded(answer, what)?;
    let (bought, plans) = match result.properties {
        Some(p) => (p.reservations_to_purchase.unwrap_or_default(), p.savings_plans_to_purchase.unwrap_or_default()),
        None => (Vec::new(), Vec::new()),
    };
    let mut purchased = Vec::with_capacity(bought.len());
    for (i, b) in bought.iter().enumerate() {
        if let Some(status) = b.status.as_deref().filter(|s| *s != "Succeeded") {
            return Err(AzureError {
                retry_after: None,
                request: Default::default(),
                status: Some(answer.status),
                code: "ExchangeIncomplete".into(),
                message: format!("{what} says purchase {} ended {status}", i + 1),
            });
        }
        let order = b.reservation_order_id.as_deref().and_then(order_of);
        let reservation = b.reservation_id.as_deref().and_then(reservation_of);
        match (order, reservation) {
            (Some(order), Some((of, reservation))) if of.eq_ignore_ascii_case(order) => purchased.push((order.to_owned(), reservation.to_owned())),
            _ => {
                return Err(answer.unreadable(
                    what,
                    format!("purchase {} names no reservation order and reservation of it ({:?}, {:?})", i + 1, b.reservation_order_id, b.reservation_id),
                ))
            }
        }
    }
    let mut savings_plans = Vec::with_capacity(plans.len());
    for (i, plan) in plans.iter().enumerate() {
        if let Some(status) = plan.status.as_deref().filter(|s| *s != "Succeeded") {
            return Err(AzureError {
                retry_after: None,
                request: Default::default(),
                status: Some(answer.status),
                code: "ExchangeIncomplete".into(),
                message: format!("{what} says savings plan {} ended {status}", i + 1),
            });
        }
        match (plan.savings_plan_order_id.as_deref(), plan.savings_plan_id.as_deref()) {
            (Some(order), Some(id)) if plan_ids(order, id).is_some() => savings_plans.extend(plan_ids(order, id)),
            _ => {
                return Err(answer.unreadable(
                    what,
                    format!("savings plan {} names no savings plan order and savings plan of it ({:?}, {:?})", i + 1, plan.savings_plan_order_id, plan.savings_plan_id),
                ))
            }
        }
    }
    Ok(Exchanged { purchased, savings_plans })
}

/// `savingsPlansToPurchase` as the published example writes it: a member with no value left out
/// (never `null`).
fn plans_body(plans: &[SavingsPlanPurchaseRequest]) -> Result<serde_json::Value, AzureError> {
    fn without_nulls(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(without_nulls);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_nulls),
            _ => {}
        }
    }
    let mut body = serde_json::to_value(plans).map_err(|e| AzureError::local(e.to_string()))?;
    without_nulls(&mut body);
    Ok(body)
}

impl AzureClient {
    pub(crate) fn capacity_url(&self, action: &str) -> String {
        let base = self.settings.arm_url.trim_end_matches('/');
        format!("{base}/providers/Microsoft.Capacity/{action}?api-version={CAPACITY_API_VERSION}")
    }

    /// POST /providers/Microsoft.Capacity/calculateExchange?api-version=2022-11-01 in `tenant`; a 202 is followed
    /// (Azure-AsyncOperation / Location) to its end; the final answer read.
    /// `plans`: the savings plans a trade-in buys (`savingsPlansToPurchase`, sent only when any).
    pub async fn calculate_exchange(
        &self, user: &OnBehalfOf, tenant: &str, returns: &[ExchangeReturn], purchases: &[PurchaseRequest], plans: &[SavingsPlanPurchaseRequest],
    ) -> Result<CalculatedExchange, AzureError> {
        let mut to_exchange = Vec::with_capacity(returns.len());
        for r in returns {
            let (order, reservation) = (checked(&r.order_id)?, checked(&r.reservation_id)?);
            to_exchange.push(json!({"reservationId": reservation_id(order, reservation), "quantity": r.quantity}));
        }
        let purchases = serde_json::to_value(purchases).map_err(|e| AzureError::local(e.to_string()))?;
        let mut body = json!({"properties": {"reservationsToPurchase": purchases, "reservationsToExchange": to_exchange}});
        if !plans.is_empty() {
            body["properties"]["savingsPlansToPurchase"] = plans_body(plans)?;
        }
        let started = self.start(user, tenant, Method::POST, &self.capacity_url("calculateExchange"), &body).await?;
        let answer = match started.poll {
            Some(poll) => self.follow(user, tenant, &poll, started.wait).await?,
            None => started.answer,
        };
        calculated(&answer)
    }

    /// POST /providers/Microsoft.Capacity/exchange with calculateExchange's session: Started as `start` answers it.
    pub async fn start_exchange(&self, user: &OnBehalfOf, tenant: &str, session_id: &str) -> Result<Started, AzureError> {
        let body = json!({"properties": {"sessionId": session_id}});
        self.start(user, tenant, Method::POST, &self.capacity_url("exchange"), &body).await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn answer(status: u16, body: serde_json::Value) -> Answer {
        Answer { status, headers: reqwest::header::HeaderMap::new(), body: body.to_string().into_bytes(), request: Default::default() }
    }

    fn raw(status: u16, body: &str) -> Answer {
        Answer { status, headers: reqwest::header::HeaderMap::new(), body: body.as_bytes().to_vec(), request: Default::default() }
    }

    /// A published example's `200` body (`crates/azure-api/tests/published/`, as Microsoft
    /// published it).
    use crate::test_json::{paths, without};

    fn published(name: &str) -> serde_json::Value {
        let path = format!("{}/../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let example: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        example["responses"]["200"]["body"].clone()
    }

    #[test]
    fn microsofts_published_exchange_answers_read_and_a_missing_member_is_named() {
        let calculate = published("CalculateExchange.json");
        let c = calculated(&answer(200, calculate.clone())).unwrap();
        assert_eq!((c.session_id.as_str(), c.net_payable.amount.0.to_string(), c.policy_errors.len()), ("66e2ac8f-439e-4345-8235-6fef07608081", "149254.8".into(), 0));
        let exchange = published("Exchange.json");
        let x = exchanged(&answer(200, exchange.clone())).unwrap();
        assert_eq!(x.purchased, vec![("1e85c519-b815-4169-8d79-62fc460c608f".to_owned(), "0c80fceb-305c-40a8-b5a6-11445807bbb3".to_owned())]);
        // The trade-in's savings plan: its figure in the calculation, its IDs after the exchange.
        assert_eq!(c.savings_plans.iter().map(|p| p.as_ref().map(|p| p.amount.0.to_string())).collect::<Vec<_>>(), vec![Some("133414.8".to_owned())]);
        assert_eq!(x.savings_plans, vec![("20000000-0000-0000-0000-000000000000".to_owned(), "30000000-0000-0000-0000-000000000000".to_owned())]);
        // Every member the specification leaves optional removed, one at a time: the answer reads,
        // or the one figure the desk needs is named as missing.
        for path in paths(&calculate) {
            if let Err(e) = calculated(&answer(200, without(&calculate, &path))) {
                let key = path.rsplit('/').next().unwrap();
                let needed = ["properties", "sessionId", "netPayable", "refundsTotal", "purchasesTotal", "currencyCode", "amount"];
                assert!(needed.contains(&key) && e.code == "UnreadableAnswer", "without {path}: {e}");
            }
        }
        for path in paths(&exchange) {
            let read = exchanged(&answer(200, without(&exchange, &path)));
            let key = path.rsplit('/').next().unwrap();
            match read {
                Ok(x) => assert!(x.purchased.len() <= 1 && x.savings_plans.len() <= 1, "without {path}"),
                Err(e) => assert!(
                    ["reservationOrderId", "reservationId", "savingsPlanOrderId", "savingsPlanId"].contains(&key) && e.code == "UnreadableAnswer",
                    "without {path}: {e}"
                ),
            }
        }
    }

    /// The published trade-in's `savingsPlansToPurchase` reads into the request the desk sends and
    /// is written back member for member (so what the desk sends is shaped as Microsoft's
    /// example), with each optional member removed in turn too.
    #[test]
    fn the_published_savings_plan_request_is_what_the_desk_sends() {
        let path = format!("{}/../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/CalculateExchange.json", env!("CARGO_MANIFEST_DIR"));
        let example: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let plans = example["parameters"]["body"]["properties"]["savingsPlansToPurchase"].clone();
        let read: Vec<SavingsPlanPurchaseRequest> = serde_json::from_value(plans.clone()).unwrap();
        assert_eq!(plans_body(&read).unwrap(), plans);
        assert_eq!((read[0].properties.commitment.amount.0.to_string(), read[0].properties.commitment.grain.as_deref()), ("15.23".to_owned(), Some("Hourly")));
        let required = ["sku", "name", "properties", "term", "appliedScopeType", "commitment", "currencyCode", "amount"];
        for path in paths(&plans) {
            let key = path.rsplit('/').next().unwrap();
            let without = without(&plans, &path);
            match serde_json::from_value::<Vec<SavingsPlanPurchaseRequest>>(without.clone()) {
                Ok(read) => assert_eq!(plans_body(&read).unwrap(), without, "without {path}"),
                Err(e) => assert!(required.contains(&key) || key == "0", "without {path}: {e}"),
            }
        }
    }

    /// The shape of the specification's `CalculateExchange.json` 200 (its own figures and IDs).
    const CALCULATED: &str = r#"{
        "id": "/providers/microsoft.capacity/operationResults/5a3b2c1d-0000-4000-8000-000000000001",
        "name": "5a3b2c1d-0000-4000-8000-000000000001",
        "status": "Succeeded",
        "properties": {
            "sessionId": "7d1e9f00-1111-4222-8333-444455556666",
            "netPayable": {"currencyCode": "USD", "amount": 12345678901234.57},
            "refundsTotal": {"currencyCode": "USD", "amount": 4210.10},
            "purchasesTotal": {"currencyCode": "USD", "amount": 12345678905444.67},
            "policyResult": {"policyErrors": null},
            "reservationsToPurchase": [{
                "properties": {"sku": {"name": "Standard_D4s_v3"}, "location": "westeurope", "properties": {
                    "reservedResourceType": "VirtualMachines", "billingScopeId": "/subscriptions/00000000-0000-0000-0000-000000000001",
                    "term": "P3Y", "billingPlan": "Monthly", "quantity": 2, "displayName": "new vms", "appliedScopeType": "Shared",
                    "appliedScopes": null, "renew": false, "reservedResourceProperties": {"instanceFlexibility": "On"}}},
                "billingCurrencyTotal": {"currencyCode": "USD", "amount": 12345678905444.67}
            }],
            "reservationsToExchange": [{
                "reservationId": "/providers/microsoft.capacity/reservationOrders/1f14354c-dc12-4c8d-8090-6f295a3a34aa/reservations/c8c926bd-fc5d-4e29-9d43-b68340ac23a6",
                "quantity": 1,
                "billingRefundAmount": {"currencyCode": "USD", "amount": 4210.10},
                "billingInformation": {
                    "billingCurrencyTotalPaidAmount": {"currencyCode": "USD", "amount": 9000.0},
                    "billingCurrencyProratedAmount": {"currencyCode": "USD", "amount": 4210.10},
                    "billingCurrencyRemainingCommitmentAmount": {"currencyCode": "USD", "amount": 0.0}
                }
            }]
        }
    }"#;

    /// The shape of the specification's `Exchange.json` 200 (its own IDs).
    const EXCHANGED: &str = r#"{
        "id": "/providers/microsoft.capacity/operationResults/5a3b2c1d-0000-4000-8000-000000000002",
        "name": "5a3b2c1d-0000-4000-8000-000000000002",
        "status": "Succeeded",
        "properties": {
            "sessionId": "7d1e9f00-1111-4222-8333-444455556666",
            "netPayable": {"currencyCode": "EUR", "amount": 100.5},
            "refundsTotal": {"currencyCode": "EUR", "amount": 20.0},
            "purchasesTotal": {"currencyCode": "EUR", "amount": 120.5},
            "policyResult": {"policyErrors": null},
            "reservationsToPurchase": [
                {"reservationOrderId": "/providers/microsoft.capacity/reservationOrders/2e85c519-b815-4169-8d79-62fc460c6001",
                 "reservationId": "/providers/microsoft.capacity/reservationOrders/2e85c519-b815-4169-8d79-62fc460c6001/reservations/0c80fceb-305c-40a8-b5a6-000000000001",
                 "properties": {"sku": {"name": "Standard_B1ls"}, "location": "westus", "properties": {"term": "P1Y", "billingPlan": "Upfront", "quantity": 1, "appliedScopeType": "Shared"}},
                 "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 60.25}, "status": "Succeeded"},
                {"reservationOrderId": "/providers/Microsoft.Capacity/reservationOrders/2e85c519-b815-4169-8d79-62fc460c6002",
                 "reservationId": "/providers/Microsoft.Capacity/reservationOrders/2e85c519-b815-4169-8d79-62fc460c6002/reservations/0c80fceb-305c-40a8-b5a6-000000000002",
                 "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 60.25}, "status": "Succeeded"}
            ],
            "savingsPlansToPurchase": [{
                "savingsPlanOrderId": "/providers/Microsoft.BillingBenefits/savingsPlanOrders/20000000-0000-0000-0000-000000000000",
                "savingsPlanId": "/providers/Microsoft.BillingBenefits/savingsPlanOrders/20000000-0000-0000-0000-000000000000/savingsPlans/30000000-0000-0000-0000-000000000000",
                "properties": {"sku": {"name": "Compute_Savings_Plan"}, "properties": {"term": "P1Y", "appliedScopeType": "Shared", "commitment": {"currencyCode": "EUR", "amount": 0.5, "grain": "Hourly"}}},
                "billingCurrencyTotal": {"currencyCode": "EUR", "amount": 4380.0}, "status": "Succeeded"
            }],
            "reservationsToExchange": [{
                "reservationId": "/providers/microsoft.capacity/reservationOrders/1f14354c-dc12-4c8d-8090-6f295a3a34aa/reservations/c8c926bd-fc5d-4e29-9d43-b68340ac23a6",
                "quantity": 1, "billingRefundAmount": {"currencyCode": "EUR", "amount": 20.0}, "status": "Succeeded"
            }]
        }
    }"#;

    #[test]
    fn a_calculation_reads_to_its_session_and_exact_figures() {
        let c = calculated(&raw(200, CALCULATED)).unwrap();
        assert_eq!(c.session_id, "7d1e9f00-1111-4222-8333-444455556666");
        assert_eq!(c.net_payable.currency_code, "USD");
        // Every digit: a float would have read 12345678901234.57 as …234.5703125 or so.
        assert_eq!(c.net_payable.amount.0.to_string(), "12345678901234.57");
        assert_eq!(c.refunds_total.amount.0.to_string(), "4210.10");
        assert_eq!(c.purchases_total.amount.0.to_string(), "12345678905444.67");
        assert_eq!(c.purchases_total.amount.0 - c.refunds_total.amount.0, c.net_payable.amount.0);
        assert!(c.policy_errors.is_empty(), "policyErrors: null is none");
    }

    #[test]
    fn policy_errors_are_read_in_either_shape() {
        let with = |policy: serde_json::Value| {
            answer(200, json!({"status": "Succeeded", "properties": {
                "sessionId": "s", "netPayable": {"currencyCode": "USD", "amount": -10},
                "refundsTotal": {"currencyCode": "USD", "amount": 30}, "purchasesTotal": {"currencyCode": "USD", "amount": 20},
                "policyResult": policy}}))
        };
        let want = vec![("ExchangeRefundExceedsPurchase".to_owned(), "The purchases cost less than the refunds.".to_owned())];
        let errors = json!([{"code": "ExchangeRefundExceedsPurchase", "message": "The purchases cost less than the refunds."}]);
        assert_eq!(calculated(&with(json!({"policyErrors": errors}))).unwrap().policy_errors, want, "the specification's ExchangePolicyErrors");
        assert_eq!(calculated(&with(json!({"properties": {"policyErrors": errors}}))).unwrap().policy_errors, want, "the refund's shape");
        assert!(calculated(&with(json!({}))).unwrap().policy_errors.is_empty());
        assert_eq!(calculated(&with(json!(null))).unwrap().net_payable.amount.0.to_string(), "-10");
    }

    #[test]
    fn a_calculation_without_its_session_or_figures_is_unreadable() {
        let no_session = answer(200, json!({"status": "Succeeded", "properties": {"netPayable": {"currencyCode": "USD", "amount": 1}}}));
        assert_eq!(calculated(&no_session).unwrap_err().code, "UnreadableAnswer");
        let no_figures = answer(200, json!({"status": "Succeeded", "properties": {"sessionId": "s"}}));
        let e = calculated(&no_figures).unwrap_err();
        assert!(e.code == "UnreadableAnswer" && e.message.contains("netPayable"), "{e}");
        assert_eq!(calculated(&raw(200, "<html>")).unwrap_err().code, "UnreadableAnswer");
        let failed = answer(200, json!({"status": "Failed", "error": {"code": "CalculatePriceFailed", "message": "No price."}}));
        assert_eq!(calculated(&failed).unwrap_err(), AzureError { retry_after: None, request: Default::default(), status: Some(200), code: "CalculatePriceFailed".into(), message: "No price.".into() });
    }

    #[test]
    fn a_finished_exchange_names_what_it_bought_by_bare_ids() {
        let e = exchanged(&raw(200, EXCHANGED)).unwrap();
        assert_eq!(
            e.purchased,
            vec![
                ("2e85c519-b815-4169-8d79-62fc460c6001".to_owned(), "0c80fceb-305c-40a8-b5a6-000000000001".to_owned()),
                ("2e85c519-b815-4169-8d79-62fc460c6002".to_owned(), "0c80fceb-305c-40a8-b5a6-000000000002".to_owned()),
            ]
        );
        assert_eq!(exchanged(&answer(200, json!({"status": "Succeeded", "properties": {"sessionId": "s"}}))).unwrap(), Exchanged::default());
    }

    #[test]
    fn an_exchange_that_did_not_finish_well_is_an_error() {
        let running = exchanged(&answer(202, json!({"status": "InProgress"}))).unwrap_err();
        assert_eq!((running.status, running.code.as_str()), (Some(202), "StillRunning"));
        let failed = exchanged(&answer(200, json!({"status": "Failed", "error": {"code": "PurchaseError", "message": "It failed."}}))).unwrap_err();
        assert_eq!((failed.code.as_str(), failed.message.as_str()), ("PurchaseError", "It failed."));
        let canceled = exchanged(&answer(200, json!({"status": "Canceled"}))).unwrap_err();
        assert_eq!(canceled.code, "OperationCanceled");
        let partial = json!({"status": "Succeeded", "properties": {"reservationsToPurchase": [{"status": "Failed"}]}});
        assert_eq!(exchanged(&answer(200, partial)).unwrap_err().code, "ExchangeIncomplete");
    }

    #[test]
    fn an_exchange_answer_naming_no_arm_ids_is_refused() {
        let order = "/providers/microsoft.capacity/reservationOrders/o1";
        for (o, r) in [
            (json!(order), json!(null)),
            (json!(null), json!(format!("{order}/reservations/r1"))),
            (json!(order), json!("/providers/microsoft.capacity/reservationOrders/other/reservations/r1")),
            (json!("/providers/microsoft.capacity/reservationOrders/../x"), json!("/providers/microsoft.capacity/reservationOrders/../x/reservations/r1")),
            (json!(order), json!(format!("{order}/reservations/r 1"))),
            (json!("o1"), json!("r1")),
        ] {
            let body = json!({"status": "Succeeded", "properties": {"reservationsToPurchase": [{"reservationOrderId": o, "reservationId": r, "status": "Succeeded"}]}});
            assert_eq!(exchanged(&answer(200, body)).unwrap_err().code, "UnreadableAnswer", "{o} {r}");
        }
    }

    #[tokio::test]
    async fn a_return_that_is_not_an_arm_id_is_refused_before_any_request() {
        let settings = crate::Settings {
            // Nothing listens here: a request would fail with Unreachable, not InvalidId.
            arm_url: "http://127.0.0.1:9".into(),
            token_url: "http://127.0.0.1:9/{tenantId}/token".into(),
            ..crate::Settings::microsoft("c".into(), crate::SecretString::from("s".to_owned()))
        };
        let sleep: crate::Sleep = Arc::new(|_| Box::pin(async {}));
        let client = AzureClient::new(settings, Arc::new(|| chrono::DateTime::UNIX_EPOCH), sleep).unwrap();
        let user = OnBehalfOf { user: "u".into(), assertion: Arc::new(crate::SecretString::from("a".to_owned())) };
        for (order, reservation) in [("order-c", "../../reservations"), ("a/b", "r"), ("o", ""), ("o?x=1", "r")] {
            let returns = [ExchangeReturn { order_id: order.into(), reservation_id: reservation.into(), quantity: 1 }];
            let e = client.calculate_exchange(&user, "t", &returns, &[], &[]).await.unwrap_err();
            assert_eq!((e.status, e.code.as_str()), (None, "InvalidId"), "{order} {reservation}");
        }
    }
}
