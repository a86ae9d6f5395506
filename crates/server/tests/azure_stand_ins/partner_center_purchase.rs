//! Buying an Azure reservation for a customer through Partner Center, and ARM's price of one.
//!
//! Partner Center's side follows the Learn pages "Purchase Azure reservations", "Register a
//! subscription", "Get subscription registration status", the customer-scoped "Get a list of
//! products / SKUs / availabilities", "Create a cart", "Checkout a cart", "Get all of a
//! customer's orders", "Get an order by ID", "Get order provisioning status" and "Get a
//! collection of entitlements" (shapes as the research note
//! `partner-center-reservation-purchase.md` copies them). Every request needs a Partner Center
//! token of the partner's tenant on behalf of a user (App+User: a delegated `scp`); each is
//! recorded with its `MS-RequestId` and how its token was obtained. A `POST` sent again with the
//! same `MS-RequestId` gets the first answer again (Partner Center's idempotency), except a 5xx.
//!
//! - `POST /v1/customers/{c}/subscriptions/{s}/registrations` answers `202` with `Location:
//!   /customers/{c}/subscriptions/{s}/registrationstatus`; the status reads `Registering`
//!   [`Purchases::registering_reads`] times, then `Registered` (unposted: `NotRegistered`).
//! - `GET /v1/customers/{c}/subscriptions` lists the customer's Partner Center subscriptions:
//!   its Azure plan ([`Purchases::azure_plans`], `offerId` `DZH318Z0BPS6:0001:DZH318Z0BML6`, as
//!   Learn's Azure plan records carry), none for a Microsoft Azure (MS-AZR-0145P) customer.
//! - `POST /v1/extensions/product/checkInventory?country=…` ("Check inventory") answers, for each
//!   `TargetItems` SKU, an `InventoryItem`: restricted with [`Purchases::inventory_restrictions`]'s
//!   reason, else not; its `InventoryContext` must name the customer and a registered
//!   subscription (Learn: "ensure the Azure subscription … is registered").
//! - The catalog (`/v1/customers/{c}/products?targetView=…`, `…/products/{p}/skus`,
//!   `…/skus/{sku}/availabilities`) holds [`Purchases::catalog`], but only with
//!   `reservationScope=AzurePlan`: without it (the MS-AZR-0145P view) the lists are empty.
//! - `POST /v1/customers/{c}/carts` answers `201` with the cart; a line Partner Center cannot sell
//!   carries its `error` (`10001` unknown catalog item, `10003` not purchasable, `10010` a term
//!   that is not the SKU's, `10011` subscription not registered). `POST …/carts/{id}/checkout`
//!   answers `201` with `orders` and `orderErrors`; a cart checked out already answers the same
//!   result again and buys nothing more (the page: "This API is idempotent").
//! - An order made gives, per line: an entitlement whose artifact's `resourceId` is the new ARM
//!   reservation order `ri-order-{n}` (the only documented link between the two), and in the
//!   customer's tenant the reservation `ri-order-{n}/reservations/ri-res-{n}` and its order,
//!   priced at [`Purchases::unit_prices`], as ARM then lists and reads them.
//! - ARM's `POST /providers/Microsoft.Capacity/calculatePrice` (2022-11-01, the shape of the
//!   specification's `CalculateReservationOrder.json`) prices a purchase at
//!   [`Purchases::unit_prices`] a unit for the whole term; totals are the whole term's, and a
//!   monthly plan's `paymentSchedule` lists its monthly dues (upfront: none).
//!
//! Switches: the checkout made and its answer lost (`500` 800005) or held past the client's
//! timeout, the checkout refused, the entitlement late, the orders list lagging (up to 15
//! minutes at Partner Center), ARM's price refused (`403`).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::*;

/// One reservation SKU of the catalog at one availability (one size × region × term).
#[derive(Clone, Debug)]
pub struct CatalogSku {
    pub product_id: String,
    pub product_title: String,
    /// `productType.subType.id`: `VirtualMachines`, `SqlDatabases`, `CosmosDb`.
    pub product_sub_type: String,
    pub sku_id: String,
    /// The SKU's `title`, which an order line's `friendlyName` repeats.
    pub sku_title: String,
    pub arm_sku_name: String,
    pub arm_region_name: String,
    /// `dynamicAttributes.region`: the region's display name (`EU West`).
    pub region: String,
    /// `1Year` or `3Years`.
    pub duration: String,
    pub availability_id: String,
    pub is_purchasable: bool,
    /// The SKU's `purchasePrerequisites` name `InventoryCheck` (Learn's reservation SKU example
    /// does).
    pub inventory_check: bool,
}

impl CatalogSku {
    /// A virtual machine reservation SKU titled as Partner Center titles them.
    pub fn vm(product: (&str, &str), sku_id: &str, arm_sku_name: &str, region: (&str, &str), duration: &str, availability_id: &str) -> Self {
        let years = if duration == "1Year" { "1 Year" } else { "3 Years" };
        Self {
            product_id: product.0.into(),
            product_title: product.1.into(),
            product_sub_type: "VirtualMachines".into(),
            sku_id: sku_id.into(),
            sku_title: format!("Reserved VM Instance, {arm_sku_name}, {}, {years}", region.1),
            arm_sku_name: arm_sku_name.into(),
            arm_region_name: region.0.into(),
            region: region.1.into(),
            duration: duration.into(),
            availability_id: availability_id.into(),
            is_purchasable: true,
            inventory_check: true,
        }
    }

    /// `{product}:{sku}:{availability}`, an order line's `offerId`.
    pub fn catalog_item_id(&self) -> String {
        format!("{}:{}:{}", self.product_id, self.sku_id, self.availability_id)
    }

    /// ARM's term: `P1Y` or `P3Y`.
    pub fn term(&self) -> &'static str {
        if self.duration == "1Year" {
            "P1Y"
        } else {
            "P3Y"
        }
    }
}

/// The default catalog: Dsv5 (`Standard_D4s_v5`, West Europe, 1 and 3 years), DSv3
/// (`Standard_D2s_v3`, West Europe, 1 year) and one SQL Database SKU.
pub fn default_catalog() -> Vec<CatalogSku> {
    let dsv5 = ("DZH318Z0BQ5D", "Virtual Machines Dsv5 Series");
    let dsv3 = ("DZH318Z0BQ3D", "Virtual Machines DSv3 Series");
    let westeurope = ("westeurope", "EU West");
    let mut sql = CatalogSku::vm(("DZH318Z0BQ4S", "SQL Database General Purpose - Compute Gen5"), "00S1", "SQLDB_GP_Compute_Gen5", westeurope, "1Year", "DZH318Z0C1S1");
    sql.product_sub_type = "SqlDatabases".into();
    sql.sku_title = "Reserved SQL Database, General Purpose - Compute Gen5, EU West, 1 Year".into();
    vec![
        CatalogSku::vm(dsv5, "00A1", "Standard_D4s_v5", westeurope, "1Year", "DZH318Z0C1A1"),
        CatalogSku::vm(dsv5, "00A3", "Standard_D4s_v5", westeurope, "3Years", "DZH318Z0C1A3"),
        CatalogSku::vm(dsv3, "00B1", "Standard_D2s_v3", westeurope, "1Year", "DZH318Z0C1B1"),
        sql,
    ]
}

/// The default whole-term price of a unit, in USD, by (ARM SKU name, term).
pub fn default_unit_prices() -> HashMap<(String, String), Decimal> {
    [("Standard_D4s_v5", "P1Y", "1752.00"), ("Standard_D4s_v5", "P3Y", "3368.00"), ("Standard_D2s_v3", "P1Y", "876.00"), ("SQLDB_GP_Compute_Gen5", "P1Y", "1500.00")]
        .into_iter()
        .map(|(sku, term, price)| ((sku.to_owned(), term.to_owned()), Decimal::from_str(price).unwrap()))
        .collect()
}

/// One request: (method, path and query, `MS-RequestId` or empty, body or null, grant).
pub type PurchaseRequest = (String, String, String, Value, String);

/// What the purchase stand-in does and has seen.
#[derive(Debug)]
pub struct Purchases {
    /// Status reads answered `Registering` after a registration, before `Registered`.
    pub registering_reads: usize,
    /// What Partner Center sells.
    pub catalog: Vec<CatalogSku>,
    /// The whole-term price of a unit, in USD, by (ARM SKU name, `P1Y`/`P3Y`): ARM's
    /// `calculatePrice` and the price of the ARM order a purchase makes.
    pub unit_prices: HashMap<(String, String), Decimal>,
    /// The checkout is made, then answered `500` with 800005 "Create order is not successful".
    pub lose_checkout_answer: bool,
    /// The checkout is made, then its answer (`201`) is held this long: longer than the
    /// client's timeout, it never hears it.
    pub hold_checkout_answer: Option<Duration>,
    /// Checkout answers this (status, code, description) and buys nothing.
    pub checkout_refusal: Option<(u16, u32, String)>,
    /// Entitlement reads that do not list a new entitlement yet.
    pub entitlement_after_reads: usize,
    /// The orders list shows the customer's orders (false: Partner Center's lag; by ID they
    /// are found).
    pub orders_listed: bool,
    /// ARM's `calculatePrice` answers `403 AuthorizationFailed`.
    pub price_forbidden: bool,
    /// A first payment `calculatePrice` lists in the `paymentSchedule` of an upfront price (none
    /// by default): a figure beside the total that is not what an upfront purchase costs.
    pub upfront_first_payment: Option<Decimal>,
    /// The customers' Azure plans: customer ID → the plan's Partner Center subscription ID.
    pub azure_plans: HashMap<String, String>,
    /// SKU ID → (`reasonCode`, `description`) the inventory check restricts it with.
    pub inventory_restrictions: HashMap<String, (String, String)>,
    /// Inventory checks asked (token accepted): each one's (`country`, body).
    pub inventory_checks: Vec<(String, Value)>,
    /// The bodies `calculatePrice` was asked with.
    pub price_bodies: Vec<Value>,
    /// Entitlement reads answer this (status, code, description), listing nothing.
    pub entitlements_refusal: Option<(u16, u32, String)>,
    /// The orders Partner Center cancelled: read as `cancelled`, their entitlements never listed.
    pub cancelled: Vec<String>,
    /// When the reservations bought start (`YYYY-MM-DD`).
    pub purchase_date: String,
    /// Every Partner Center purchase-flow request, in order.
    pub requests: Vec<PurchaseRequest>,
    /// Registrations posted (token accepted).
    pub registrations: usize,
    /// Carts created.
    pub carts: usize,
    /// Checkouts posted (token accepted).
    pub checkout_calls: usize,
    /// Checkouts that made an order.
    pub checkouts_bought: usize,
    /// `calculatePrice` calls (token accepted).
    pub price_calls: usize,
    /// (customer, subscription in lower case) → `Registering` reads left.
    subscriptions: HashMap<(String, String), usize>,
    kept_carts: HashMap<String, Cart>,
    orders: Vec<PcOrder>,
    entitlements: Vec<Entitlement>,
    /// The answer given to each (path, `MS-RequestId`) of a `POST`.
    answers: HashMap<(String, String), Answer>,
    reservations_made: usize,
    prices_made: usize,
}

impl Default for Purchases {
    fn default() -> Self {
        Self {
            registering_reads: 0,
            catalog: default_catalog(),
            unit_prices: default_unit_prices(),
            lose_checkout_answer: false,
            hold_checkout_answer: None,
            checkout_refusal: None,
            entitlement_after_reads: 0,
            orders_listed: true,
            price_forbidden: false,
            upfront_first_payment: None,
            azure_plans: HashMap::new(),
            inventory_restrictions: HashMap::new(),
            inventory_checks: Vec::new(),
            price_bodies: Vec::new(),
            entitlements_refusal: None,
            cancelled: Vec::new(),
            purchase_date: "2026-11-25".into(),
            requests: Vec::new(),
            registrations: 0,
            carts: 0,
            checkout_calls: 0,
            checkouts_bought: 0,
            price_calls: 0,
            subscriptions: HashMap::new(),
            kept_carts: HashMap::new(),
            orders: Vec::new(),
            entitlements: Vec::new(),
            answers: HashMap::new(),
            reservations_made: 0,
            prices_made: 0,
        }
    }
}

#[derive(Clone, Debug)]
struct Line {
    catalog_item_id: String,
    quantity: u32,
    term: String,
    subscription: String,
    scope: String,
}

#[derive(Clone, Debug)]
struct Cart {
    customer: String,
    body: Value,
    lines: Vec<Line>,
    /// The checkout result once an order was made.
    result: Option<Value>,
}

#[derive(Clone, Debug)]
struct PcOrder {
    customer: String,
    body: Value,
}

#[derive(Clone, Debug)]
struct Entitlement {
    customer: String,
    body: Value,
    order: String,
    line: usize,
    /// Reads that do not list it yet.
    hidden_reads: usize,
}

#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    location: Option<String>,
    body: Option<Value>,
}

impl Purchases {
    /// Makes `subscription` of `customer` registered, as if registered long ago.
    pub fn register(&mut self, customer: &str, subscription: &str) {
        self.subscriptions.insert((customer.to_owned(), subscription.to_ascii_lowercase()), 0);
    }

    /// Whether `subscription` of `customer` is registered.
    pub fn is_registered(&self, customer: &str, subscription: &str) -> bool {
        self.subscriptions.get(&(customer.to_owned(), subscription.to_ascii_lowercase())) == Some(&0)
    }

    /// Every Partner Center order made, as Partner Center answers it by ID (its customer, the body).
    pub fn orders(&self) -> Vec<(String, Value)> {
        self.orders.iter().map(|o| (o.customer.clone(), o.body.clone())).collect()
    }

    /// Every entitlement made (listed or not yet): (customer, body).
    pub fn entitlements(&self) -> Vec<(String, Value)> {
        self.entitlements.iter().map(|e| (e.customer.clone(), e.body.clone())).collect()
    }

    /// The carts created: (customer, cart as answered, checkout result once ordered).
    pub fn carts_kept(&self) -> Vec<(String, Value, Option<Value>)> {
        self.kept_carts.values().map(|c| (c.customer.clone(), c.body.clone(), c.result.clone())).collect()
    }

    /// The unit price of (ARM SKU name, term), the name compared without regard to case.
    pub fn unit_price(&self, sku: &str, term: &str) -> Option<Decimal> {
        self.unit_prices.iter().find(|((s, t), _)| s.eq_ignore_ascii_case(sku) && t.eq_ignore_ascii_case(term)).map(|(_, p)| *p)
    }

    fn sku_of(&self, catalog_item_id: &str) -> Option<&CatalogSku> {
        self.catalog.iter().find(|c| c.catalog_item_id().eq_ignore_ascii_case(catalog_item_id))
    }

    /// Why Partner Center would not sell `line` now: (cart error code, description).
    fn line_error(&self, customer: &str, line: &Line) -> Option<(u32, String)> {
        let Some(sku) = self.sku_of(&line.catalog_item_id) else {
            return Some((10001, format!("The catalog item ID {} is not valid.", line.catalog_item_id)));
        };
        if !sku.is_purchasable {
            return Some((10003, format!("Inventory is not available for the catalog item {}.", line.catalog_item_id)));
        }
        if !line.term.eq_ignore_ascii_case(sku.term()) {
            return Some((10010, format!("The term duration {} is not the catalog item's ({}).", line.term, sku.term())));
        }
        if !self.is_registered(customer, &line.subscription) {
            return Some((10011, format!("The subscription {} is not registered for reservation purchases.", line.subscription)));
        }
        None
    }
}

impl StandIns {
    /// Reads or changes the purchase stand-in (a test's switch, its record).
    pub fn purchases<T>(&self, f: impl FnOnce(&mut Purchases) -> T) -> T {
        f(&mut self.inner.purchases.lock().unwrap())
    }
}

fn now_stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    // Seven decimals, as Partner Center writes them (chrono has no `%.7f`).
    format!("{}.{:07}Z", at.format("%Y-%m-%dT%H:%M:%S"), at.timestamp_subsec_nanos() / 100)
}

fn link(uri: String) -> Value {
    json!({"uri": uri, "method": "GET", "headers": []})
}

fn usd(amount: Decimal) -> Value {
    json!({"currencyCode": "USD", "amount": number(amount)})
}

fn number(amount: Decimal) -> Value {
    json!(amount.to_string().parse::<serde_json::Number>().unwrap())
}

/// Partner Center's JSON answer (it starts with a byte order mark).
fn pc_json(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [("content-type", "application/json; charset=utf-8")], format!("\u{feff}{body}")).into_response()
}

/// Partner Center's error body.
fn pc_error_body(code: u32, description: &str) -> Value {
    json!({"code": code, "description": description, "data": [], "source": "PartnerFD"})
}

fn pc_error(status: u16, code: u32, description: &str) -> Response {
    pc_json(status, &pc_error_body(code, description))
}

fn respond(a: &Answer) -> Response {
    match &a.body {
        Some(body) => pc_json(a.status, body),
        None => {
            let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut r = (status, "").into_response();
            if let Some(location) = &a.location {
                r.headers_mut().insert("location", axum::http::HeaderValue::from_str(location).unwrap());
            }
            r
        }
    }
}

fn collection(items: Vec<Value>) -> Value {
    json!({"totalCount": items.len(), "items": items, "attributes": {"objectType": "Collection"}})
}

fn request_id(headers: &HeaderMap) -> String {
    headers.get("ms-requestid").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// Records the request, then checks its token: Partner Center's, of the partner's tenant, on
/// behalf of a user.
fn admitted(s: &Inner, headers: &HeaderMap, method: &str, uri: &Uri, body: &Value) -> Result<Value, Box<Response>> {
    let path = uri.path_and_query().map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    s.purchases.lock().unwrap().requests.push((method.to_owned(), path, request_id(headers), body.clone(), grant_of(headers)));
    let claims = verified(s, headers, PARTNER_CENTER_AUDIENCE)?;
    if claims["tid"] != PARTNER_TENANT {
        s.record.lock().unwrap().refused.push(format!("Partner Center: token of tenant {}", claims["tid"]));
        return Err(Box::new(pc_error(403, 900, "The token is not of the partner's tenant.")));
    }
    if claims["scp"].as_str().is_none_or(str::is_empty) {
        return Err(Box::new(pc_error(403, 900, "This operation supports App+User credentials only.")));
    }
    Ok(claims)
}

/// The customer's Partner Center ID and tenant (the path may name either).
fn customer_of(s: &Inner, customer: &str) -> Result<(String, String), Box<Response>> {
    s.customers
        .iter()
        .find(|c| {
            let id = c["id"].as_str().unwrap_or_default();
            let tenant = c["companyProfile"]["tenantId"].as_str().unwrap_or_default();
            id.eq_ignore_ascii_case(customer) || tenant.eq_ignore_ascii_case(customer)
        })
        .map(|c| (c["id"].as_str().unwrap_or_default().to_owned(), c["companyProfile"]["tenantId"].as_str().unwrap_or_default().to_owned()))
        .ok_or_else(|| Box::new(pc_error(403, 20002, &format!("The partner has no commerce relationship with the customer {customer}."))))
}

/// The answer already given to this `POST`'s `MS-RequestId`.
fn replayed(s: &Inner, path: &str, headers: &HeaderMap) -> Option<Response> {
    let id = request_id(headers);
    if id.is_empty() {
        return None;
    }
    s.purchases.lock().unwrap().answers.get(&(path.to_owned(), id)).map(respond)
}

/// Keeps the answer to this `POST`'s `MS-RequestId` (not a 5xx: the caller may retry that).
fn keep(p: &mut Purchases, path: &str, headers: &HeaderMap, answer: &Answer) {
    let id = request_id(headers);
    if !id.is_empty() && answer.status < 500 {
        p.answers.insert((path.to_owned(), id), answer.clone());
    }
}

// ---- Enablement -------------------------------------------------------------------------

/// `POST /v1/customers/{customer}/subscriptions/{subscription}/registrations`.
pub(super) async fn register(State(s): State<Arc<Inner>>, Path((customer, subscription)): Path<(String, String)>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "POST", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if let Some(r) = replayed(&s, uri.path(), &headers) {
        return r;
    }
    let mut p = s.purchases.lock().unwrap();
    p.registrations += 1;
    let reads = p.registering_reads;
    p.subscriptions.entry((customer.clone(), subscription.to_ascii_lowercase())).or_insert(reads);
    let answer = Answer { status: 202, location: Some(format!("/customers/{customer}/subscriptions/{subscription}/registrationstatus")), body: None };
    keep(&mut p, uri.path(), &headers, &answer);
    respond(&answer)
}

/// `GET /v1/customers/{customer}/subscriptions/{subscription}/registrationstatus`.
pub(super) async fn registration_status(State(s): State<Arc<Inner>>, Path((customer, subscription)): Path<(String, String)>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let mut p = s.purchases.lock().unwrap();
    let status = match p.subscriptions.get_mut(&(customer, subscription.to_ascii_lowercase())) {
        None => "NotRegistered",
        Some(left) if *left > 0 => {
            *left -= 1;
            "Registering"
        }
        Some(_) => "Registered",
    };
    pc_json(200, &json!({"subscriptionId": subscription, "status": status, "attributes": {"objectType": "SubscriptionRegistrationStatus"}}))
}

/// `GET /v1/customers/{customer}/subscriptions`: the customer's Azure plan, when it has one.
pub(super) async fn subscriptions(State(s): State<Arc<Inner>>, Path(customer): Path<String>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let p = s.purchases.lock().unwrap();
    let items: Vec<Value> = p
        .azure_plans
        .get(&customer)
        .map(|plan| {
            json!({
                "id": plan, "offerId": "DZH318Z0BPS6:0001:DZH318Z0BML6", "offerName": "Azure plan", "friendlyName": "Azure plan",
                "quantity": 1, "unitType": "Usage-based", "status": "active", "autoRenewEnabled": false, "billingType": "usage",
                "contractType": "subscription", "orderId": format!("order-of-{plan}"),
                "links": {"self": link(format!("/customers/{customer}/subscriptions/{plan}"))},
                "attributes": {"objectType": "Subscription"}
            })
        })
        .into_iter()
        .collect();
    let mut page = collection(items);
    page["links"] = json!({"self": link(format!("/customers/{customer}/subscriptions"))});
    pc_json(200, &page)
}

/// `POST /v1/extensions/product/checkInventory?country=…`.
pub(super) async fn check_inventory(State(s): State<Arc<Inner>>, headers: HeaderMap, uri: Uri, Query(query): Query<HashMap<String, String>>, body: axum::body::Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Err(r) = admitted(&s, &headers, "POST", &uri, &body) {
        return *r;
    }
    let context = &body["InventoryContext"];
    let (Some(customer), Some(subscription)) = (context["customerId"].as_str(), context["azureSubscriptionId"].as_str()) else {
        return pc_error(400, 800002, "Invalid request input: InventoryContext needs customerId and azureSubscriptionId.");
    };
    let (customer, _) = match customer_of(&s, customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let mut p = s.purchases.lock().unwrap();
    p.inventory_checks.push((query.get("country").cloned().unwrap_or_default(), body.clone()));
    if !p.is_registered(&customer, subscription) {
        return pc_error(400, 800030, &format!("The subscription {subscription} is not registered for reservation purchases."));
    }
    let targets = body["TargetItems"].as_array().cloned().unwrap_or_default();
    let mut items = Vec::new();
    for t in &targets {
        let product = t["ProductId"].as_str().unwrap_or_default();
        let wanted = t["SkuId"].as_str();
        for c in p.catalog.iter().filter(|c| c.product_id.eq_ignore_ascii_case(product) && wanted.is_none_or(|w| c.sku_id.eq_ignore_ascii_case(w))) {
            let restriction = p.inventory_restrictions.get(&c.sku_id);
            items.push(json!({
                "productId": c.product_id, "skuId": c.sku_id, "isRestricted": restriction.is_some(),
                "restrictions": restriction.map_or_else(Vec::new, |(code, description)| vec![json!({
                    "reasonCode": code, "description": description,
                    "properties": {"type": "Location", "values": c.arm_region_name}
                })])
            }));
        }
    }
    pc_json(200, &Value::Array(items))
}

// ---- Discovery --------------------------------------------------------------------------

/// Whether `targetView` lists products of `sub_type`; `None` for a view Partner Center refuses.
fn in_view(view: &str, sub_type: &str) -> Option<bool> {
    let wanted = match view.to_ascii_lowercase().as_str() {
        "azurereservations" => return Some(true),
        "azurereservationsvm" => "VirtualMachines",
        "azurereservationssql" => "SqlDatabases",
        "azurereservationscosmosdb" => "CosmosDb",
        _ => return None,
    };
    Some(sub_type.eq_ignore_ascii_case(wanted))
}

fn azure_plan(query: &HashMap<String, String>) -> bool {
    query.get("reservationScope").is_some_and(|v| v.eq_ignore_ascii_case("AzurePlan"))
}

fn product_json(customer: &str, c: &CatalogSku) -> Value {
    json!({
        "id": c.product_id, "title": c.product_title, "description": c.product_title,
        "productType": {"id": "Azure", "displayName": "Azure", "subType": {"id": c.product_sub_type, "displayName": c.product_sub_type}},
        "isMicrosoftProduct": true, "publisherName": "Microsoft",
        "links": {
            "skus": link(format!("/customers/{customer}/products/{}/skus?reservationScope=AzurePlan", c.product_id)),
            "self": link(format!("/customers/{customer}/products/{}?reservationScope=AzurePlan", c.product_id))
        }
    })
}

fn sku_json(customer: &str, c: &CatalogSku) -> Value {
    let base = format!("/customers/{customer}/products/{}/skus/{}", c.product_id, c.sku_id);
    json!({
        "id": c.sku_id, "productId": c.product_id, "title": c.sku_title, "description": c.sku_title.replacen("Reserved VM Instance", "Reserved Virtual Machines Instance", 1),
        "minimumQuantity": 1, "maximumQuantity": 999_999_999, "isTrial": false,
        "supportedBillingCycles": ["one_time"],
        "purchasePrerequisites": if c.inventory_check { json!(["AzureSubscriptionRegistration", "InventoryCheck"]) } else { json!(["AzureSubscriptionRegistration"]) },
        "inventoryVariables": ["CustomerId", "AzureSubscriptionId", "ArmRegionName"],
        "provisioningVariables": ["Scope", "SubscriptionId"],
        "dynamicAttributes": {"armSkuName": c.arm_sku_name, "armRegionName": c.arm_region_name, "duration": c.duration, "region": c.region},
        "links": {
            "availabilities": link(format!("{base}/availabilities?reservationScope=AzurePlan")),
            "self": link(format!("{base}?reservationScope=AzurePlan"))
        }
    })
}

fn availability_json(customer: &str, c: &CatalogSku) -> Value {
    let years = if c.term() == "P1Y" { "1 Year" } else { "3 Years" };
    json!({
        "id": c.availability_id, "productId": c.product_id, "skuId": c.sku_id, "catalogItemId": c.catalog_item_id(),
        "defaultCurrency": {"code": "USD", "symbol": "$"}, "segment": "commercial", "country": "US",
        "isPurchasable": c.is_purchasable, "isRenewable": false,
        "product": product_json(customer, c), "sku": sku_json(customer, c),
        "terms": [{"duration": c.term(), "description": years}],
        "links": {"self": link(format!("/customers/{customer}/products/{}/skus/{}/availabilities/{}?reservationScope=AzurePlan", c.product_id, c.sku_id, c.availability_id))}
    })
}

/// `GET /v1/customers/{customer}/products?targetView=…&reservationScope=AzurePlan`.
pub(super) async fn products(State(s): State<Arc<Inner>>, Path(customer): Path<String>, headers: HeaderMap, uri: Uri, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    if let Err(r) = customer_of(&s, &customer) {
        return *r;
    }
    let view = query.get("targetView").map(String::as_str).unwrap_or_default();
    if in_view(view, "").is_none() {
        return pc_error(403, 400036, "Access to the requested targetView is not allowed.");
    }
    let p = s.purchases.lock().unwrap();
    let mut items: Vec<Value> = Vec::new();
    if azure_plan(&query) {
        for c in p.catalog.iter().filter(|c| in_view(view, &c.product_sub_type) == Some(true)) {
            if !items.iter().any(|i| i["id"] == c.product_id.as_str()) {
                items.push(product_json(&customer, c));
            }
        }
    }
    pc_json(200, &collection(items))
}

/// `GET /v1/customers/{customer}/products/{product}/skus?reservationScope=AzurePlan`.
pub(super) async fn skus(State(s): State<Arc<Inner>>, Path((customer, product)): Path<(String, String)>, headers: HeaderMap, uri: Uri, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    if let Err(r) = customer_of(&s, &customer) {
        return *r;
    }
    if !azure_plan(&query) {
        return pc_json(200, &collection(Vec::new()));
    }
    let p = s.purchases.lock().unwrap();
    let of_product: Vec<&CatalogSku> = p.catalog.iter().filter(|c| c.product_id.eq_ignore_ascii_case(&product)).collect();
    if of_product.is_empty() {
        return pc_error(404, 400013, "The parent product was not found.");
    }
    let mut items: Vec<Value> = Vec::new();
    for c in of_product {
        if !items.iter().any(|i| i["id"] == c.sku_id.as_str()) {
            items.push(sku_json(&customer, c));
        }
    }
    pc_json(200, &collection(items))
}

/// `GET /v1/customers/{customer}/products/{product}/skus/{sku}/availabilities?reservationScope=AzurePlan`.
pub(super) async fn availabilities(
    State(s): State<Arc<Inner>>, Path((customer, product, sku)): Path<(String, String, String)>, headers: HeaderMap, uri: Uri, Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    if let Err(r) = customer_of(&s, &customer) {
        return *r;
    }
    if !azure_plan(&query) {
        return pc_json(200, &collection(Vec::new()));
    }
    let p = s.purchases.lock().unwrap();
    if !p.catalog.iter().any(|c| c.product_id.eq_ignore_ascii_case(&product)) {
        return pc_error(404, 400013, "The parent product was not found.");
    }
    let items: Vec<Value> = p
        .catalog
        .iter()
        .filter(|c| c.product_id.eq_ignore_ascii_case(&product) && c.sku_id.eq_ignore_ascii_case(&sku))
        .map(|c| availability_json(&customer, c))
        .collect();
    if items.is_empty() {
        return pc_error(404, 400013, "The parent SKU was not found.");
    }
    pc_json(200, &collection(items))
}

// ---- Cart and checkout ------------------------------------------------------------------

/// The cart's lines as asked, or the `400` 800002 that refuses the request.
fn read_lines(p: &Purchases, body: &Value) -> Result<Vec<(Value, Line)>, String> {
    let lines = body["lineItems"].as_array().filter(|l| !l.is_empty()).ok_or("lineItems is required.")?;
    let mut read = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let catalog_item_id = l["catalogItemId"].as_str().filter(|c| !c.is_empty()).ok_or(format!("lineItems[{i}].catalogItemId is required."))?.to_owned();
        let quantity = l["quantity"].as_u64().and_then(|q| u32::try_from(q).ok()).filter(|q| *q > 0).ok_or(format!("lineItems[{i}].quantity must be a positive number."))?;
        if !l["billingCycle"].as_str().is_some_and(|b| b.eq_ignore_ascii_case("one_time")) {
            return Err(format!("lineItems[{i}].billingCycle must be one_time for a reservation."));
        }
        let context = &l["provisioningContext"];
        let subscription = context["subscriptionId"].as_str().filter(|c| !c.is_empty()).ok_or(format!("lineItems[{i}].provisioningContext.subscriptionId is required."))?.to_owned();
        let scope = context["scope"].as_str().filter(|c| c.eq_ignore_ascii_case("shared") || c.eq_ignore_ascii_case("single"));
        let scope = scope.ok_or(format!("lineItems[{i}].provisioningContext.scope must be shared or single."))?.to_ascii_lowercase();
        let term = match l["termDuration"].as_str() {
            Some(t) => t.to_owned(),
            None => p.sku_of(&catalog_item_id).map_or("P1Y", CatalogSku::term).to_owned(),
        };
        read.push((l.clone(), Line { catalog_item_id, quantity, term, subscription, scope }));
    }
    Ok(read)
}

/// `POST /v1/customers/{customer}/carts`.
pub(super) async fn create_cart(State(s): State<Arc<Inner>>, Path(customer): Path<String>, headers: HeaderMap, uri: Uri, body: axum::body::Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let claims = match admitted(&s, &headers, "POST", &uri, &body) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    if let Some(r) = replayed(&s, uri.path(), &headers) {
        return r;
    }
    let lines = match read_lines(&s.purchases.lock().unwrap(), &body) {
        Ok(l) => l,
        Err(why) => return pc_error(400, 800002, &format!("Invalid request input: {why}")),
    };
    let mut p = s.purchases.lock().unwrap();
    let now = chrono::Utc::now();
    let id = uuid::Uuid::new_v4().to_string();
    let items: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, (asked, line))| {
            let mut item = json!({
                "id": asked["id"].as_u64().unwrap_or(i as u64 + 1), "catalogItemId": line.catalog_item_id, "quantity": line.quantity,
                "currencyCode": "USD", "billingCycle": "one_time", "termDuration": line.term,
                "provisioningContext": asked["provisioningContext"], "orderGroup": "0"
            });
            if let Some(name) = asked["friendlyName"].as_str() {
                item["friendlyName"] = json!(name);
            }
            if let Some((code, description)) = p.line_error(&customer, line) {
                item["error"] = json!({"errorCode": code, "errorDescription": description});
            }
            item
        })
        .collect();
    let cart = json!({
        "id": id, "creationTimestamp": now_stamp(now), "lastModifiedTimestamp": now_stamp(now),
        "expirationTimestamp": now_stamp(now + chrono::Duration::days(7)), "lastModifiedUser": claims["oid"],
        "status": "Active", "lineItems": items,
        "links": {"self": link(format!("/customers/{customer}/carts/{id}"))},
        "attributes": {"objectType": "Cart"}
    });
    p.carts += 1;
    p.kept_carts.insert(id, Cart { customer, body: cart.clone(), lines: lines.into_iter().map(|(_, l)| l).collect(), result: None });
    let answer = Answer { status: 201, location: None, body: Some(cart) };
    keep(&mut p, uri.path(), &headers, &answer);
    respond(&answer)
}

/// `GET /v1/customers/{customer}/carts/{cart}`.
pub(super) async fn get_cart(State(s): State<Arc<Inner>>, Path((customer, cart)): Path<(String, String)>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let p = s.purchases.lock().unwrap();
    match p.kept_carts.get(&cart.to_ascii_lowercase()).filter(|c| c.customer == customer) {
        Some(c) => pc_json(200, &c.body),
        None => pc_error(404, 800008, "Unable to retrieve cart Id"),
    }
}

/// The checkout's order error for a cart error.
fn order_error(code: u32) -> (u32, &'static str) {
    match code {
        10001 => (800004, "Invalid offer Id"),
        10003 => (800010, "Inventory is not available for this catalog item"),
        10011 => (800030, "This subscription is not registered"),
        _ => (800002, "Invalid request input"),
    }
}

/// The reservation `line` buys, as ARM lists it.
fn bought_reservation(order: &str, id: &str, sku: &CatalogSku, line: &Line, purchase_date: &str) -> Value {
    let mut r = reservation(order, id, &sku.sku_title, line.quantity, 0.0);
    let years = if sku.term() == "P3Y" { 3 } else { 1 };
    let bought = chrono::NaiveDate::parse_from_str(purchase_date, "%Y-%m-%d").expect("purchase_date is YYYY-MM-DD");
    let expiry = bought.checked_add_months(chrono::Months::new(12 * years)).unwrap();
    let scope = if line.scope == "single" { "Single" } else { "Shared" };
    r["sku"]["name"] = json!(sku.arm_sku_name);
    r["location"] = json!(sku.arm_region_name);
    let props = r["properties"].as_object_mut().unwrap();
    props.remove("utilization");
    for (field, value) in [
        ("reservedResourceType", json!(sku.product_sub_type)),
        ("term", json!(sku.term())),
        ("billingPlan", json!("Upfront")),
        ("appliedScopeType", json!(scope)),
        ("userFriendlyAppliedScopeType", json!(scope)),
        ("purchaseDate", json!(purchase_date)),
        ("purchaseDateTime", json!(format!("{purchase_date}T08:00:00Z"))),
        ("effectiveDateTime", json!(format!("{purchase_date}T08:00:00Z"))),
        ("benefitStartTime", json!(format!("{purchase_date}T08:00:00Z"))),
        ("expiryDate", json!(expiry.to_string())),
        ("expiryDateTime", json!(format!("{expiry}T08:00:00Z"))),
    ] {
        props.insert(field.into(), value);
    }
    if scope == "Single" {
        props.insert("appliedScopes".into(), json!([format!("/subscriptions/{}", line.subscription)]));
    }
    r
}

/// Makes the order of `cart_id`'s lines: the Partner Center order, and per line an entitlement
/// and an ARM reservation order in `tenant`. The checkout result.
fn make_order(s: &Inner, p: &mut Purchases, customer: &str, tenant: &str, lines: &[Line]) -> Value {
    p.checkouts_bought += 1;
    let n = p.orders.len() + 1;
    let order_id = format!("311qiN8iFwkv-XARWMvXRYAwYKMACVqv{n}");
    let now = chrono::Utc::now();
    let mut items = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let sku = p.sku_of(&line.catalog_item_id).cloned().expect("a line without error is of the catalog");
        items.push(json!({
            "lineItemNumber": i, "offerId": sku.catalog_item_id(), "termDuration": sku.term(), "transactionType": "New",
            "friendlyName": sku.sku_title, "quantity": line.quantity,
            "links": {"sku": link(format!("/products/{}/skus/{}?country=US", sku.product_id, sku.sku_id))}
        }));
        p.reservations_made += 1;
        let k = p.reservations_made;
        let (arm_order, arm_reservation) = (format!("ri-order-{k}"), format!("ri-res-{k}"));
        p.entitlements.push(Entitlement {
            customer: customer.to_owned(),
            body: json!({
                "referenceOrder": {"id": order_id, "lineItemId": i.to_string()},
                "productId": sku.product_id, "skuId": sku.sku_id, "quantity": line.quantity, "entitlementType": "reservedinstance",
                "entitledArtifacts": [{
                    "artifactType": "reservedinstance", "resourceId": arm_order,
                    "link": link(format!("/customers/{customer}/artifacts/reservedinstance/groups/{order_id}/lineitems/{i}/resource/{arm_order}"))
                }],
                "dynamicAttributes": {"reservationType": sku.product_sub_type.to_ascii_lowercase()}
            }),
            order: order_id.clone(),
            line: i,
            hidden_reads: p.entitlement_after_reads,
        });
        let bought = bought_reservation(&arm_order, &arm_reservation, &sku, line, &p.purchase_date);
        {
            let mut tenants = s.tenants.lock().unwrap();
            match tenants.get_mut(tenant) {
                Some(Tenant::Reservations(all) | Tenant::Throttled { then: all, .. } | Tenant::NotConsented { then: all, .. }) => all.push(bought),
                Some(Tenant::Forbidden | Tenant::Fails { .. }) => {}
                None => {
                    tenants.insert(tenant.to_owned(), Tenant::Reservations(vec![bought]));
                }
            }
        }
        let priced = match p.unit_price(&sku.arm_sku_name, sku.term()) {
            Some(unit) => {
                let price = usd(unit * Decimal::from(line.quantity));
                let date = p.purchase_date.clone();
                Order::Priced {
                    original_quantity: line.quantity,
                    pricing_total: price.clone(),
                    transactions: vec![json!({
                        "dueDate": date, "paymentDate": date, "status": "Succeeded",
                        "pricingCurrencyTotal": price, "billingCurrencyTotal": price, "billingAccount": "23456"
                    })],
                }
            }
            None => priced_usd(line.quantity),
        };
        s.orders.lock().unwrap().insert((tenant.to_owned(), arm_order), priced);
    }
    let order = json!({
        "id": order_id, "alternateId": format!("0a3624c6{n:04x}"), "referenceCustomerId": customer,
        "billingCycle": "one_time", "currencyCode": "USD", "currencySymbol": "$",
        "lineItems": items, "creationDate": now_stamp(now), "status": "pending", "transactionType": "UserPurchase",
        "links": {
            "provisioningStatus": link(format!("/customers/{customer}/orders/{order_id}/provisioningstatus")),
            "self": link(format!("/customers/{customer}/orders/{order_id}"))
        },
        "attributes": {"objectType": "Order"}
    });
    p.orders.push(PcOrder { customer: customer.to_owned(), body: order.clone() });
    json!({"orders": [order], "orderErrors": []})
}

/// `POST /v1/customers/{customer}/carts/{cart}/checkout`.
pub(super) async fn checkout(State(s): State<Arc<Inner>>, Path((customer, cart)): Path<(String, String)>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "POST", &uri, &Value::Null) {
        return *r;
    }
    let (customer, tenant) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    s.purchases.lock().unwrap().checkout_calls += 1;
    if let Some(r) = replayed(&s, uri.path(), &headers) {
        return r;
    }
    let (answer, made, lose, hold) = {
        let mut p = s.purchases.lock().unwrap();
        let (lose, hold) = (p.lose_checkout_answer, p.hold_checkout_answer);
        let kept = p.kept_carts.get(&cart.to_ascii_lowercase()).filter(|c| c.customer == customer).cloned();
        let (answer, made) = if let Some((status, code, description)) = p.checkout_refusal.clone() {
            (Answer { status, location: None, body: Some(pc_error_body(code, &description)) }, false)
        } else if let Some(kept) = kept {
            if let Some(result) = kept.result {
                // Checked out already: the same result, nothing bought.
                (Answer { status: 201, location: None, body: Some(result) }, false)
            } else {
                let errors: Vec<Value> = kept
                    .lines
                    .iter()
                    .filter_map(|l| p.line_error(&customer, l))
                    .map(|(code, description)| {
                        let (code, what) = order_error(code);
                        json!({"orderGroupId": "0", "code": code, "description": format!("{what}: {description}")})
                    })
                    .collect();
                if errors.is_empty() {
                    let result = make_order(&s, &mut p, &customer, &tenant, &kept.lines);
                    if let Some(c) = p.kept_carts.get_mut(&cart.to_ascii_lowercase()) {
                        c.result = Some(result.clone());
                        c.body["status"] = json!("Ordered");
                    }
                    (Answer { status: 201, location: None, body: Some(result) }, true)
                } else {
                    (Answer { status: 201, location: None, body: Some(json!({"orders": [], "orderErrors": errors})) }, false)
                }
            }
        } else {
            (Answer { status: 404, location: None, body: Some(pc_error_body(800008, "Unable to retrieve cart Id")) }, false)
        };
        keep(&mut p, uri.path(), &headers, &answer);
        (answer, made, lose, hold)
    };
    if made && lose {
        return pc_error(500, 800005, "Create order is not successful");
    }
    if let (true, Some(hold)) = (made, hold) {
        tokio::time::sleep(hold).await;
    }
    respond(&answer)
}

// ---- Orders and entitlements ------------------------------------------------------------

/// An order as read later: `completed` once each of its entitlements is listed.
fn order_now(p: &Purchases, order: &PcOrder) -> Value {
    let id = order.body["id"].as_str().unwrap_or_default();
    let pending = p.entitlements.iter().any(|e| e.order == id && e.hidden_reads > 0);
    let mut body = order.body.clone();
    body["status"] = json!(if p.cancelled.iter().any(|c| c == id) {
        "cancelled"
    } else if pending {
        "pending"
    } else {
        "completed"
    });
    body
}

/// `GET /v1/customers/{customer}/orders`.
pub(super) async fn orders(State(s): State<Arc<Inner>>, Path(customer): Path<String>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let p = s.purchases.lock().unwrap();
    let items: Vec<Value> = if p.orders_listed { p.orders.iter().filter(|o| o.customer == customer).map(|o| order_now(&p, o)).collect() } else { Vec::new() };
    let mut page = collection(items);
    page["links"] = json!({"self": link(format!("/customers/{customer}/orders"))});
    pc_json(200, &page)
}

/// `GET /v1/customers/{customer}/orders/{order}`.
pub(super) async fn order_by_id(State(s): State<Arc<Inner>>, Path((customer, order)): Path<(String, String)>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let p = s.purchases.lock().unwrap();
    match p.orders.iter().find(|o| o.customer == customer && o.body["id"] == order.as_str()) {
        Some(o) => pc_json(200, &order_now(&p, o)),
        None => pc_error(404, 20000, "Order Id not found"),
    }
}

/// `GET /v1/customers/{customer}/orders/{order}/provisioningstatus`: a line is `fulfilled`
/// once its entitlement is listed, `PrefulfillmentPending` before.
pub(super) async fn provisioning_status(State(s): State<Arc<Inner>>, Path((customer, order)): Path<(String, String)>, headers: HeaderMap, uri: Uri) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let p = s.purchases.lock().unwrap();
    if !p.orders.iter().any(|o| o.customer == customer && o.body["id"] == order.as_str()) {
        return pc_error(404, 800007, "Unable to retrieve provisioning information");
    }
    let items: Vec<Value> = p
        .entitlements
        .iter()
        .filter(|e| e.order == order)
        .map(|e| {
            let status = if e.hidden_reads > 0 { "PrefulfillmentPending" } else { "fulfilled" };
            json!({"orderLineItemId": e.line, "lineItemNumber": e.line, "status": status,
                "quantityProvisioningInformation": [{"quantity": e.body["quantity"], "status": status}]})
        })
        .collect();
    pc_json(200, &collection(items))
}

/// `GET /v1/customers/{customer}/entitlements?entitlementType=reservedInstance`: an entitlement
/// is listed after [`Purchases::entitlement_after_reads`] reads that do not list it.
pub(super) async fn entitlements(State(s): State<Arc<Inner>>, Path(customer): Path<String>, headers: HeaderMap, uri: Uri, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = admitted(&s, &headers, "GET", &uri, &Value::Null) {
        return *r;
    }
    let (customer, _) = match customer_of(&s, &customer) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let reserved = query.get("entitlementType").is_none_or(|t| t.eq_ignore_ascii_case("reservedInstance"));
    let mut p = s.purchases.lock().unwrap();
    if let Some((status, code, description)) = p.entitlements_refusal.clone() {
        return pc_error(status, code, &description);
    }
    let cancelled = p.cancelled.clone();
    let mut items = Vec::new();
    for e in p.entitlements.iter_mut().filter(|e| e.customer == customer && !cancelled.contains(&e.order)) {
        if e.hidden_reads > 0 {
            e.hidden_reads -= 1;
        } else if reserved {
            items.push(e.body.clone());
        }
    }
    pc_json(200, &collection(items))
}

// ---- ARM's price ------------------------------------------------------------------------

/// ARM's `POST /providers/Microsoft.Capacity/calculatePrice` in the token's tenant.
pub(super) async fn calculate_price(State(s): State<Arc<Inner>>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, body: axum::body::Bytes) -> Response {
    let claims = match arm_claims(&s, &headers, &query) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let tenant = claims["tid"].as_str().unwrap_or_default().to_owned();
    let mut p = s.purchases.lock().unwrap();
    p.price_calls += 1;
    p.price_bodies.push(serde_json::from_slice(&body).unwrap_or(Value::Null));
    if p.price_forbidden || matches!(s.tenants.lock().unwrap().get(&tenant), Some(Tenant::Forbidden)) {
        let message = format!(
            "The client with object id '{}' does not have authorization to perform action 'Microsoft.Capacity/calculatePrice/action' over scope '/providers/Microsoft.Capacity' or the scope is invalid.",
            claims["oid"].as_str().unwrap_or_default()
        );
        return arm_error(StatusCode::FORBIDDEN, "AuthorizationFailed", &message);
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let bad = |field: &str| arm_error(StatusCode::BAD_REQUEST, "InvalidRequestContent", &format!("{field} is missing or invalid."));
    let Some(sku) = body["sku"]["name"].as_str().filter(|t| !t.is_empty()) else {
        return bad("sku.name");
    };
    let Some(location) = body["location"].as_str().filter(|t| !t.is_empty()) else {
        return bad("location");
    };
    let props = &body["properties"];
    let Some(term) = props["term"].as_str().filter(|t| matches!(*t, "P1Y" | "P3Y" | "P5Y")) else {
        return bad("properties.term");
    };
    let plan = props["billingPlan"].as_str().unwrap_or("Upfront");
    if !matches!(plan, "Upfront" | "Monthly") {
        return bad("properties.billingPlan");
    }
    let Some(quantity) = props["quantity"].as_u64().and_then(|q| u32::try_from(q).ok()).filter(|q| *q > 0) else {
        return bad("properties.quantity");
    };
    let Some(unit) = p.unit_price(sku, term) else {
        return arm_error(StatusCode::BAD_REQUEST, "CalculatePriceFailed", &format!("There is no price for SKU {sku} with term {term} in {location}."));
    };
    let total = unit * Decimal::from(quantity);
    let years: u32 = term[1..2].parse().unwrap();
    let title = p
        .catalog
        .iter()
        .find(|c| c.arm_sku_name.eq_ignore_ascii_case(sku) && c.arm_region_name.eq_ignore_ascii_case(location) && c.term() == term)
        .map_or_else(|| format!("Reserved VM Instance, {sku}, {location}, {years} Year{}", if years == 1 { "" } else { "s" }), |c| c.sku_title.clone());
    let mut schedule = Vec::new();
    if plan == "Monthly" {
        let months = 12 * years;
        let monthly = (total / Decimal::from(months)).round_dp(2);
        let first = chrono::NaiveDate::parse_from_str(&p.purchase_date, "%Y-%m-%d").expect("purchase_date is YYYY-MM-DD");
        for k in 0..months {
            let due = if k + 1 == months { total - monthly * Decimal::from(months - 1) } else { monthly };
            let date = first.checked_add_months(chrono::Months::new(k)).unwrap();
            schedule.push(json!({"dueDate": date.to_string(), "pricingCurrencyTotal": usd(due), "billingCurrencyTotal": usd(due)}));
        }
    } else if let Some(first) = p.upfront_first_payment {
        schedule.push(json!({"dueDate": p.purchase_date.clone(), "pricingCurrencyTotal": usd(first), "billingCurrencyTotal": usd(first)}));
    }
    p.prices_made += 1;
    let order = format!("6d9cec54-7de8-4000-9de7-{:012}", p.prices_made);
    Json(json!({"properties": {
        "billingCurrencyTotal": usd(total), "pricingCurrencyTotal": usd(total),
        "netTotal": number(total), "taxTotal": 0.0, "grandTotal": number(total),
        "isTaxIncluded": false, "isBillingPartnerManaged": true,
        "reservationOrderId": order, "skuTitle": title, "skuDescription": sku,
        "paymentSchedule": schedule
    }}))
    .into_response()
}
