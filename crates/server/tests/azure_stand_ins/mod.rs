//! Stand-ins for Microsoft's services, on loopback, written from Microsoft's documentation (not
//! from the desk's own Azure surface): Entra ID's token endpoint taking the on-behalf-of grant,
//! Partner Center's customers, Microsoft Graph's GDAP relationships (`graph.rs`) and ARM's
//! reservations (Microsoft.Capacity 2022-11-01). Each
//! checks what the real one checks: the token endpoint verifies the user's assertion against the
//! desk's identity provider (signature, issuer, audience) and the confidential client's
//! credentials, and issues a token for one tenant and one resource (`tid`, `aud`) signed with a
//! key of its own; Partner Center and ARM verify that signature and that the token was issued for
//! them and for the tenant asked about. Paging is Microsoft's: Partner Center's `links.next` with
//! an `MS-ContinuationToken` header, ARM's absolute `nextLink` with `$skiptoken`. A tenant can be
//! set to answer 403 (no GDAP role), 429 with `Retry-After` a number of times, any other ARM error,
//! or its token refused for want of consent. A refund goes
//! through `calculateRefund` and `return` (`arm_refund.rs`), followed by its `Location`; an
//! exchange through `calculateExchange` and `exchange` (`arm_exchange.rs`), each followed by its
//! `Azure-AsyncOperation` status document: the returned units leave the tenant's reservations and
//! a new order with the reservations bought joins them, priced for the order read. A purchase
//! goes through Partner Center (registration, catalog, cart, checkout, orders, entitlements) and
//! ARM's `calculatePrice` (`partner_center_purchase.rs`): the reservation bought joins the
//! customer's tenant, its order priced. Who has access to a reservation order is ARM's role
//! assignments on it (Microsoft.Authorization 2022-04-01, `arm_access.rs`). The savings plans a
//! customer holds are Microsoft.BillingBenefits 2022-11-01's (`billing_benefits.rs`). A support
//! request reaches Microsoft as a Microsoft.Support 2024-04-01 ticket (`support.rs`).

#![allow(dead_code)]

mod arm_access;
mod arm_catalog;
mod arm_changes;
mod arm_exchange;
mod arm_orders;
mod arm_refund;
mod arm_reservations;
mod billing_benefits;
mod consumption;
mod graph;
mod graph_billing;
mod partner_center;
mod partner_center_purchase;
mod support;
mod token;

#[allow(unused_imports)]
pub use arm_refund::{Refunds, DEFAULT_UNIT_REFUND};
#[allow(unused_imports)]
pub use arm_exchange::{Exchanges, DEFAULT_UNIT_PRICE, REFUND_EXCEEDS_PURCHASE};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::oidc_provider::{self, AUDIENCE};

#[allow(unused_imports)]
pub use arm_access::{role_assignment, Access};
#[allow(unused_imports)]
pub use arm_orders::{priced_usd, Order};
#[allow(unused_imports)]
pub use billing_benefits::{savings_plan, SavingsPlans};
#[allow(unused_imports)]
pub use graph::{directory_application, directory_group, directory_user, gdap_relationship, DirectoryRequest, Graph};
#[allow(unused_imports)]
pub use consumption::{modern, recommendation, Asked, Consumption, Subscription};
#[allow(unused_imports)]
pub use partner_center_purchase::{CatalogSku, Purchases};
#[allow(unused_imports)]
pub use support::{Support, SupportRequestSeen};

pub const CLIENT_ID: &str = "desk-api-app";
pub const CLIENT_SECRET: &str = "stand-in-secret-not-real";
pub const PARTNER_TENANT: &str = "partner-tenant";
pub const ARM_AUDIENCE: &str = "https://management.azure.com";
pub const PARTNER_CENTER_AUDIENCE: &str = "https://api.partnercenter.microsoft.com";
pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
/// Items per page by default, small so that every list has several.
pub const PAGE: usize = 2;

/// How the stand-ins answer besides what each tenant holds: items per page, and a latency
/// added to every answer (a benchmark's round trip to Microsoft; tests keep it zero).
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub page: usize,
    pub latency: std::time::Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self { page: PAGE, latency: std::time::Duration::ZERO }
    }
}

/// How a tenant answers ARM.
#[derive(Clone, Debug)]
pub enum Tenant {
    /// Its reservations, paged.
    Reservations(Vec<Value>),
    /// 403 AuthorizationFailed: the user has no GDAP role there.
    Forbidden,
    /// 429 with `Retry-After: seconds`, `times` times, then its reservations.
    Throttled { seconds: u64, times: usize, then: Vec<Value> },
    /// The desk's API app is not consented there: Entra ID's token endpoint refuses the
    /// on-behalf-of exchange for the tenant with `error` (`invalid_grant`,
    /// `interaction_required`, …) and `AADSTS65001`, `suberror: consent_required`. Once Partner
    /// Center's application consent is made for the customer, the tenant answers `then`.
    NotConsented { error: String, then: Vec<Value> },
    /// ARM answers the list with this status and error (a 5xx: Azure failing on its side;
    /// anything else: what ARM says).
    Fails { status: u16, code: String, message: String },
}

#[derive(Default)]
pub struct Record {
    /// Token requests answered, by (tenant, scope).
    pub tokens: HashMap<(String, String), usize>,
    /// ARM list requests, by tenant.
    pub arm: HashMap<String, usize>,
    /// Partner Center pages served.
    pub partner_center_pages: usize,
    /// ARM order requests, by order.
    pub orders: HashMap<String, usize>,
    /// Requests refused for their token, with why.
    pub refused: Vec<String>,
    /// The `x-ms-client-request-id` of every request, in order (empty when none was sent).
    pub client_request_ids: Vec<String>,
    /// Partner Center's application consents asked: (customer, `MS-RequestId`, body, when).
    pub consents: Vec<(String, String, Value, std::time::Instant)>,
    /// Partner Center's application consents deleted: (customer, application, `MS-RequestId`).
    pub consent_deletions: Vec<(String, String, String)>,
    /// Refresh tokens redeemed, by tenant.
    pub refreshed: HashMap<String, usize>,
    /// Each request that changes something in ARM (`POST`, `PATCH`, `PUT`, `DELETE`): its path,
    /// and how its token was obtained (`obo` or `refresh_token`).
    pub changes_by_grant: Vec<(String, String)>,
    /// Requests in flight now, and the most at once.
    pub in_flight: usize,
    pub peak_in_flight: usize,
    /// Requests answered, in all.
    pub requests: usize,
}

struct Inner {
    issuer: String,
    base: String,
    customers: Vec<Value>,
    /// Each tenant's state: changes made through ARM change it.
    tenants: Mutex<HashMap<String, Tenant>>,
    /// Each order's answer, by (tenant, order).
    orders: Mutex<HashMap<(String, String), Order>>,
    record: Mutex<Record>,
    /// Changes through ARM (`arm_changes.rs`): requests, operations, switches.
    changes: Mutex<arm_changes::Changes>,
    /// The refund stand-in's switches and record (`arm_refund.rs`).
    refunds: Mutex<arm_refund::Refunds>,
    /// The exchange stand-in's switches, sessions, operations and record (`arm_exchange.rs`).
    exchanges: Mutex<arm_exchange::Exchanges>,
    /// ARM's role assignments on reservation orders (`arm_access.rs`): state, switches, record.
    access: Mutex<arm_access::Access>,
    /// Microsoft Graph's GDAP relationships and switches (`graph.rs`).
    graph: Mutex<graph::Graph>,
    /// Microsoft Graph's billed reconciliation export (`graph_billing.rs`).
    billing: Mutex<graph_billing::Billing>,
    /// Each tenant's subscriptions and their reservation recommendations, and the requests
    /// seen (`consumption.rs`).
    consumption: Mutex<consumption::Consumption>,
    /// Buying reservations through Partner Center, and ARM's `calculatePrice`
    /// (`partner_center_purchase.rs`): switches, catalog, carts, orders, record.
    purchases: Mutex<partner_center_purchase::Purchases>,
    /// ARM's catalog of a subscription (`arm_catalog.rs`): switches and record.
    catalogs: Mutex<arm_catalog::Catalogs>,
    /// Azure's savings plans (`billing_benefits.rs`): one list of (tenant, plan), switches, record.
    savings_plans: Mutex<billing_benefits::SavingsPlans>,
    /// Microsoft.Support's services, classifications and tickets (`support.rs`).
    support: Mutex<support::Support>,
    /// Stops the server (`StandIns::stop`): Azure unreachable.
    stop: tokio::sync::Notify,
    /// Partner Center's application consents (`partner_center.rs`): what a customer's consent
    /// is refused with, and the answer given to each `MS-RequestId` (the same again on a retry).
    consents: Mutex<partner_center::Consents>,
    /// Items per page and the added latency.
    options: Options,
    /// The refresh tokens issued and still valid (`token.rs`); a revoked grant empties it.
    refresh_tokens: Mutex<std::collections::HashSet<String>>,
}

/// The running stand-ins: one loopback server for the three services.
#[derive(Clone)]
pub struct StandIns {
    inner: Arc<Inner>,
}

fn rsa_b_decoding() -> DecodingKey {
    let jwk: Jwk = Jwk::from_encoding_key(&oidc_provider::rsa_b(), Algorithm::RS256).unwrap();
    DecodingKey::from_jwk(&jwk).unwrap()
}

/// A reservation as ARM lists it (the shape of the specification's `GetReservations.json`).
pub fn reservation(order: &str, id: &str, name: &str, quantity: u32, utilization30: f64) -> Value {
    json!({
        "id": format!("/providers/microsoft.capacity/reservationOrders/{order}/reservations/{id}"),
        "name": format!("{order}/{id}"),
        "type": "microsoft.capacity/reservationOrders/reservations",
        "location": "westeurope", "etag": 3, "sku": {"name": "Standard_D2s_v3"},
        "properties": {
            "reservedResourceType": "VirtualMachines", "instanceFlexibility": "On", "displayName": name,
            "appliedScopeType": "Shared", "quantity": quantity, "provisioningState": "Succeeded",
            "effectiveDateTime": "2026-01-10T08:00:00Z", "benefitStartTime": "2026-01-10T08:00:00Z",
            "purchaseDate": "2026-01-10", "purchaseDateTime": "2026-01-10T08:00:00Z",
            "expiryDate": "2027-01-10", "expiryDateTime": "2027-01-10T08:00:00Z",
            "term": "P1Y", "billingPlan": "Upfront", "renew": false,
            "userFriendlyAppliedScopeType": "Shared", "userFriendlyRenewState": "Off", "displayProvisioningState": "Succeeded",
            "utilization": {"trend": "SAME", "aggregates": [
                {"grain": 1.0, "grainUnit": "days", "value": utilization30, "valueUnit": "percentage"},
                {"grain": 7.0, "grainUnit": "days", "value": utilization30, "valueUnit": "percentage"},
                {"grain": 30.0, "grainUnit": "days", "value": utilization30, "valueUnit": "percentage"}]}
        }
    })
}

/// A customer as Partner Center lists it.
pub fn customer(id: &str, tenant: &str, name: &str) -> Value {
    json!({
        "id": id,
        "companyProfile": {"tenantId": tenant, "domain": format!("{id}.onmicrosoft.com"), "companyName": name},
        "relationshipToPartner": "reseller",
        "attributes": {"objectType": "Customer"}
    })
}

impl StandIns {
    /// Starts the stand-ins for `customers` (Partner Center) and `tenants` (ARM), trusting the
    /// desk's identity provider `issuer` for assertions.
    pub async fn start(issuer: &str, customers: Vec<Value>, tenants: HashMap<String, Tenant>) -> StandIns {
        Self::start_with(issuer, customers, tenants, Options::default()).await
    }

    /// [`StandIns::start`] with `options` (a page size, a latency).
    pub async fn start_with(issuer: &str, customers: Vec<Value>, tenants: HashMap<String, Tenant>, options: Options) -> StandIns {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let orders = Mutex::new(arm_orders::default_orders(&tenants));
        let inner = Arc::new(Inner {
            issuer: issuer.to_owned(),
            base,
            customers,
            tenants: Mutex::new(tenants),
            orders,
            record: Mutex::default(),
            changes: Mutex::default(),
            refunds: Mutex::default(),
            exchanges: Mutex::default(),
            access: Mutex::default(),
            graph: Mutex::default(),
            billing: Mutex::default(),
            consumption: Mutex::default(),
            purchases: Mutex::default(),
            catalogs: Mutex::default(),
            savings_plans: Mutex::default(),
            support: Mutex::default(),
            stop: tokio::sync::Notify::new(),
            consents: Mutex::default(),
            options,
            refresh_tokens: Mutex::default(),
        });
        let router = Router::new()
            .route("/{tenant}/oauth2/v2.0/token", post(token::token))
            .route("/v1/customers", get(partner_center::customers_page))
            .route("/v1/customers/{customer}/applicationconsents", post(partner_center::application_consent))
            .route("/v1/customers/{customer}/applicationconsents/{application}", axum::routing::delete(partner_center::delete_application_consent))
            .route("/v1/customers/{customer}/subscriptions", get(partner_center_purchase::subscriptions))
            .route("/v1/extensions/product/checkInventory", post(partner_center_purchase::check_inventory))
            .route("/v1/customers/{customer}/subscriptions/{subscription}/registrations", post(partner_center_purchase::register))
            .route("/v1/customers/{customer}/subscriptions/{subscription}/registrationstatus", get(partner_center_purchase::registration_status))
            .route("/v1/customers/{customer}/products", get(partner_center_purchase::products))
            .route("/v1/customers/{customer}/products/{product}/skus", get(partner_center_purchase::skus))
            .route("/v1/customers/{customer}/products/{product}/skus/{sku}/availabilities", get(partner_center_purchase::availabilities))
            .route("/v1/customers/{customer}/carts", post(partner_center_purchase::create_cart))
            .route("/v1/customers/{customer}/carts/{cart}", get(partner_center_purchase::get_cart))
            .route("/v1/customers/{customer}/carts/{cart}/checkout", post(partner_center_purchase::checkout))
            .route("/v1/customers/{customer}/orders", get(partner_center_purchase::orders))
            .route("/v1/customers/{customer}/orders/{order}", get(partner_center_purchase::order_by_id))
            .route("/v1/customers/{customer}/orders/{order}/provisioningstatus", get(partner_center_purchase::provisioning_status))
            .route("/v1/customers/{customer}/entitlements", get(partner_center_purchase::entitlements))
            .route("/providers/Microsoft.Capacity/calculatePrice", post(partner_center_purchase::calculate_price))
            .route("/subscriptions/{subscription}/providers/Microsoft.Capacity/catalogs", get(arm_catalog::catalogs_page))
            .route("/providers/Microsoft.Support/services", get(support::services))
            .route("/providers/Microsoft.Support/services/{service}/problemClassifications", get(support::classifications))
            .route("/subscriptions/{subscription}/providers/Microsoft.Support/checkNameAvailability", post(support::check_name))
            .route(
                "/subscriptions/{subscription}/providers/Microsoft.Support/supportTickets/{name}",
                axum::routing::put(support::create_ticket).get(support::ticket),
            )
            .route("/subscriptions/{subscription}/providers/Microsoft.Support/operationsStatus/{op}", get(support::operation_status))
            .route("/v1.0/tenantRelationships/delegatedAdminRelationships", get(graph::relationships_page))
            .route("/v1.0/{collection}", get(graph::directory))
            .route("/v1.0/reports/partners/billing/reconciliation/billed/export", post(graph_billing::export))
            .route("/v1.0/reports/partners/billing/operations/{id}", get(graph_billing::operation))
            .route("/v1.0/reports/partners/billing/manifests/{id}", get(graph_billing::manifest))
            .route("/blobs/reconciliation/v1/{partner}/{invoice}/{name}", get(graph_billing::blob))
            .route("/providers/Microsoft.Capacity/reservations", get(arm_reservations::reservations_page))
            .route("/providers/Microsoft.BillingBenefits/savingsPlans", get(billing_benefits::list))
            .route("/providers/Microsoft.BillingBenefits/savingsPlanOrders/{order}/savingsPlans/{id}", get(billing_benefits::get_plan))
            .route("/subscriptions", get(consumption::subscriptions_page))
            .route("/subscriptions/{subscription}/providers/Microsoft.Consumption/reservationRecommendations", get(consumption::recommendations_page))
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}", get(arm_orders::order))
            .route(
                "/providers/Microsoft.Capacity/reservationOrders/{order}/reservations/{id}",
                get(arm_refund::reservation).patch(arm_changes::patch),
            )
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}/reservations/{id}/{verb}", post(arm_changes::archive))
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}/providers/Microsoft.Authorization/roleAssignments", get(arm_access::list))
            .route(
                "/providers/Microsoft.Capacity/reservationOrders/{order}/providers/Microsoft.Authorization/roleAssignments/{name}",
                axum::routing::put(arm_access::create).delete(arm_access::delete),
            )
            .route("/providers/Microsoft.Authorization/roleDefinitions/{id}", get(arm_access::definition))
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}/split", post(arm_changes::split))
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}/merge", post(arm_changes::merge))
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}/calculateRefund", post(arm_refund::calculate_refund))
            .route("/providers/Microsoft.Capacity/reservationOrders/{order}/return", post(arm_refund::return_reservation))
            .route("/providers/Microsoft.Capacity/operationResults/{op}", get(operation_result))
            .route("/providers/Microsoft.Capacity/calculateExchange", post(arm_exchange::calculate_exchange))
            .route("/providers/Microsoft.Capacity/calculateExchangeOperationResults/{op}", get(arm_exchange::calculate_exchange_result))
            .route("/providers/Microsoft.Capacity/exchange", post(arm_exchange::exchange))
            .route("/providers/Microsoft.Capacity/exchangeOperationResults/{op}", get(arm_exchange::exchange_result))
            .layer(axum::middleware::from_fn_with_state(inner.clone(), request_ids))
            .with_state(inner.clone());
        let stopping = inner.clone();
        tokio::spawn(async move { axum::serve(listener, router).with_graceful_shutdown(async move { stopping.stop.notified().await }).await.unwrap() });
        StandIns { inner }
    }

    pub fn base(&self) -> &str {
        &self.inner.base
    }

    /// The token endpoint template.
    pub fn token_url(&self) -> String {
        format!("{}/{{tenantId}}/oauth2/v2.0/token", self.inner.base)
    }

    pub fn record<T>(&self, f: impl FnOnce(&Record) -> T) -> T {
        f(&self.inner.record.lock().unwrap())
    }

    /// Stops the three services: every later request finds nothing listening (Azure
    /// unreachable).
    pub fn stop(&self) {
        self.inner.stop.notify_one();
    }

    /// Makes Partner Center refuse `customer`'s application consent with `status` and its error
    /// (`code`, `description`), as it documents 400 and 403.
    pub fn refuse_consent(&self, customer: &str, status: u16, code: u32, description: &str) {
        self.inner.consents.lock().unwrap().refusals.insert(customer.to_owned(), (status, json!({"code": code, "description": description})));
    }

    /// Makes `customer`'s application consent one that exists already (Partner Center answers
    /// 409).
    pub fn consent_exists(&self, customer: &str) {
        self.inner.consents.lock().unwrap().made.insert(customer.to_owned());
    }

    /// Entra revokes every refresh token issued (an admin revoked the user's sessions): each
    /// answers `invalid_grant` from now on.
    pub fn revoke_grants(&self) {
        self.inner.refresh_tokens.lock().unwrap().clear();
    }

    /// The refresh tokens issued and still valid.
    pub fn refresh_tokens(&self) -> Vec<String> {
        self.inner.refresh_tokens.lock().unwrap().iter().cloned().collect()
    }

    /// Reads or changes a tenant's state (a test's switch: make it fail, throttle, answer).
    pub fn tenant<T>(&self, tenant: &str, f: impl FnOnce(Option<&mut Tenant>) -> T) -> T {
        f(self.inner.tenants.lock().unwrap().get_mut(tenant))
    }
}

/// The claims of the request's bearer token when it is this stand-in's, for `audience`;
/// otherwise the 401 the service answers.
fn verified(s: &Inner, headers: &HeaderMap, audience: &str) -> Result<Value, Box<Response>> {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "aud"]);
    match jsonwebtoken::decode::<Value>(token, &rsa_b_decoding(), &validation) {
        Ok(data) => Ok(data.claims),
        Err(e) => {
            s.record.lock().unwrap().refused.push(format!("{audience}: {e}"));
            Err(Box::new((StatusCode::UNAUTHORIZED, Json(json!({"error": {"code": "InvalidAuthenticationToken", "message": format!("The access token is invalid ({e}).")}}))).into_response()))
        }
    }
}

/// `GET /providers/Microsoft.Capacity/operationResults/{op}`: a return's operation
/// (`arm_refund.rs`, IDs `return-…`), else a change's (`arm_changes.rs`).
async fn operation_result(
    state: axum::extract::State<Arc<Inner>>,
    op: axum::extract::Path<String>,
    headers: HeaderMap,
    query: axum::extract::Query<HashMap<String, String>>,
) -> Response {
    if op.0.starts_with("return-") {
        arm_refund::operation_result(state, op, headers, query).await
    } else {
        arm_changes::operation(state, op, headers, query).await
    }
}

/// What every Microsoft service answers besides its body: ARM's `x-ms-request-id` and
/// `x-ms-correlation-request-id`, Partner Center's `MS-RequestId` and `MS-CorrelationId` (its
/// caller's when it sent one), each request's numbered; and what the caller sent is recorded.
async fn request_ids(
    axum::extract::State(s): axum::extract::State<Arc<Inner>>, request: axum::extract::Request, next: axum::middleware::Next,
) -> Response {
    let sent = request.headers().get("x-ms-client-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let partner_center = request.uri().path().starts_with("/v1/");
    let changes_arm = request.uri().path().starts_with("/providers/") && request.method() != axum::http::Method::GET;
    let via = changes_arm.then(|| grant_of(request.headers()));
    let n = {
        let mut record = s.record.lock().unwrap();
        record.client_request_ids.push(sent.clone().unwrap_or_default());
        if let Some(via) = via {
            record.changes_by_grant.push((request.uri().path().to_owned(), via));
        }
        record.in_flight += 1;
        record.peak_in_flight = record.peak_in_flight.max(record.in_flight);
        record.client_request_ids.len()
    };
    if !s.options.latency.is_zero() {
        tokio::time::sleep(s.options.latency).await;
    }
    let mut response = next.run(request).await;
    {
        let mut record = s.record.lock().unwrap();
        record.in_flight -= 1;
        record.requests += 1;
    }
    let h = response.headers_mut();
    let id = |v: String| axum::http::HeaderValue::from_str(&v).unwrap();
    if partner_center {
        h.insert("ms-requestid", id(format!("pc-request-{n}")));
        h.insert("ms-correlationid", id(sent.unwrap_or_else(|| format!("pc-correlation-{n}"))));
    } else {
        h.insert("x-ms-request-id", id(format!("arm-request-{n}")));
        h.insert("x-ms-correlation-request-id", id(format!("arm-correlation-{n}")));
    }
    response
}

/// How the request's bearer token was obtained, as the stand-in's token endpoint wrote it in
/// the token (`via`): `obo` or `refresh_token`; `none` without one.
fn grant_of(headers: &HeaderMap) -> String {
    use base64::Engine;
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default();
    token
        .split('.')
        .nth(1)
        .and_then(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|json| serde_json::from_slice::<Value>(&json).ok())
        .and_then(|claims| claims["via"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "none".into())
}

/// ARM's error body.
fn arm_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"code": code, "message": message}}))).into_response()
}

/// What ARM checks on every request: a token of this stand-in's for ARM, and api-version
/// 2022-11-01. The token's claims (its `tid` is the tenant asked about).
fn arm_claims(s: &Inner, headers: &HeaderMap, query: &HashMap<String, String>) -> Result<Value, Box<Response>> {
    let claims = verified(s, headers, ARM_AUDIENCE)?;
    if query.get("api-version").map(String::as_str) != Some("2022-11-01") {
        return Err(Box::new(arm_error(StatusCode::BAD_REQUEST, "InvalidApiVersionParameter", "The api-version is invalid.")));
    }
    Ok(claims)
}
