//! Buying a reservation for a customer through Partner Center (Learn: "Purchase Azure
//! reservations", the channel the article links), on behalf of the signed-in user in the
//! partner's tenant: the customer's subscription registered for reservation purchases
//! (`…/registrations`, then `…/registrationstatus`), the catalog item found in the customer's
//! catalog (`products` → `skus` → `availabilities`, with `reservationScope=AzurePlan`: Azure
//! plan customers have their own availabilities), a cart with one line, its checkout (carrying
//! the desk's `MS-RequestId`: Partner Center's idempotency on a retry), the customer's orders
//! (how a checkout whose answer was lost is found), and the entitlement whose artifact names
//! the ARM reservation order a Partner Center order made. Partner Center documents every
//! property of these resources as optional, so each is read as `serde_json::Value` member by
//! member; an ID from an answer goes into a URL only when it is plain.

use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::{AzureClient, AzureError, OnBehalfOf, PARTNER_CENTER_SCOPE};

/// At most this many pages of one collection are followed.
const MOST_PAGES: usize = 100;

/// Whether `id` can stand in a path segment as it is (GUIDs, Partner Center's product and SKU
/// IDs): an ID from a caller or an answer never reshapes a URL.
fn plain(id: &str) -> bool {
    !id.is_empty() && id.len() <= 256 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn checked<'a>(id: &'a str, what: &str) -> Result<&'a str, AzureError> {
    if plain(id) {
        Ok(id)
    } else {
        Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "InvalidId".into(), message: format!("{id:?} is not a {what}") })
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The catalog's `targetView` for a reservation of `reserved_resource_type` (ARM's
/// `reservedResourceType`): the family's own view where Partner Center has one, else all
/// reservation items.
pub fn target_view(reserved_resource_type: &str) -> &'static str {
    match reserved_resource_type.to_ascii_lowercase().as_str() {
        "virtualmachines" => "AzureReservationsVM",
        "sqldatabases" => "AzureReservationsSQL",
        "cosmosdb" => "AzureReservationsCosmosDb",
        _ => "AzureReservations",
    }
}

/// The SKU's `dynamicAttributes.duration` for an ARM term (`P1Y` → `1Year`, `P3Y` → `3Years`;
/// Partner Center's tables also write `3Year`, read as the same).
fn durations(term: &str) -> &'static [&'static str] {
    match term {
        "P1Y" => &["1Year"],
        "P3Y" => &["3Years", "3Year"],
        "P5Y" => &["5Years", "5Year"],
        _ => &[],
    }
}

/// What is bought: one line of a cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReservationLine {
    /// The customer's ID in Partner Center.
    pub customer_id: String,
    /// The subscription it is bought under (registered for reservation purchases): an Azure plan
    /// customer's Azure plan (its Partner Center subscription ID), else an Azure subscription.
    pub subscription_id: String,
    /// ARM's `reservedResourceType` (`VirtualMachines`, …): which catalog view to search.
    pub reserved_resource_type: String,
    /// ARM's SKU name, e.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// ARM's region name, e.g. `westeurope`.
    pub region: String,
    /// `P1Y`, `P3Y`.
    pub term: String,
    /// Units.
    pub quantity: u32,
    /// `shared` or `single`.
    pub scope: String,
}

/// The catalog item a line buys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogItem {
    /// `{product}:{sku}:{availability}`, as the cart takes it (it changes over time: found at
    /// the time of purchase).
    pub catalog_item_id: String,
    /// The SKU's title, e.g. `Reserved VM Instance, Standard_D4s_v5, West Europe, 1 Year`.
    pub title: String,
    /// The product's ID (`DZH318Z0BQ3V`).
    pub product_id: String,
    /// The SKU's ID (`00G1`).
    pub sku_id: String,
    /// Whether the SKU's `purchasePrerequisites` name `InventoryCheck`: its inventory is checked
    /// before it is bought (Learn's "Purchase Azure reservations", Discovery step 2).
    pub inventory_check: bool,
    /// The availability's `country` (`US`): the inventory check's `country`.
    pub country: Option<String>,
}

/// Whether a SKU (Learn's SKU resource) asks for an inventory check before it is bought.
pub fn needs_inventory_check(sku: &Value) -> bool {
    sku.get("purchasePrerequisites").and_then(Value::as_array).is_some_and(|p| p.iter().any(|p| p.as_str().is_some_and(|p| p.eq_ignore_ascii_case("InventoryCheck"))))
}

/// The product ID of the Azure plan in Partner Center's catalog ("Microsoft Azure plan",
/// `DZH318Z0BPS6`, SKU `0001`, as Learn's product examples list it): an Azure plan subscription's
/// `offerId` is `DZH318Z0BPS6:{sku}:{availability}`.
pub const AZURE_PLAN_PRODUCT: &str = "DZH318Z0BPS6";

/// The customer's Azure plan among its Partner Center subscriptions (`GET
/// /customers/{id}/subscriptions`): the active one whose `offerId` is of the Azure plan product.
/// Its `id` is the Partner Center subscription ID Learn registers for reservation purchases
/// ("the Azure plan is represented by a Partner Center subscription resource").
pub fn azure_plan_of(subscriptions: &[Value]) -> Option<String> {
    subscriptions
        .iter()
        .filter(|s| text(s, "status").is_none_or(|st| st.eq_ignore_ascii_case("active")))
        .filter(|s| text(s, "offerId").and_then(|o| o.split(':').next()).is_some_and(|p| p.eq_ignore_ascii_case(AZURE_PLAN_PRODUCT)))
        .filter_map(|s| text(s, "id").filter(|id| plain(id)))
        .map(str::to_owned)
        .next()
}

/// What the inventory check is asked about: the SKU of the line, in the inventory context
/// (the customer, the registered subscription, the ARM region).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryQuestion {
    /// The customer's ID in Partner Center (`customerId`).
    pub customer_id: String,
    /// The subscription registered for reservation purchases (`azureSubscriptionId`: Learn asks
    /// that it be registered).
    pub subscription_id: String,
    /// ARM's region (`armRegionName`).
    pub region: String,
    /// The product.
    pub product_id: String,
    /// The SKU.
    pub sku_id: String,
}

/// The `InventoryCheckRequest` body, in the shape of Learn's "Check inventory" request example
/// (`TargetItems`, `InventoryContext` with `customerId`, `azureSubscriptionId`, `armRegionName`).
pub fn inventory_check_body(q: &InventoryQuestion) -> Value {
    json!({
        "TargetItems": [{"ProductId": q.product_id, "SkuId": q.sku_id}],
        "InventoryContext": {"customerId": q.customer_id, "azureSubscriptionId": q.subscription_id, "armRegionName": q.region},
    })
}

/// Partner Center's reasons `product`/`sku` may not be bought, read from a "Check inventory"
/// answer (a collection of `InventoryItem`s): each restriction's `reasonCode: description`.
/// Empty: not restricted. An answer that does not list the SKU says it is not in the catalog
/// (Learn: "it will not be included in the output collection"), which refuses it too.
pub fn inventory_restrictions(answer: &Value, product: &str, sku: &str) -> Vec<String> {
    let items: Vec<&Value> = answer.as_array().or_else(|| answer.get("items").and_then(Value::as_array)).map(|a| a.iter().collect()).unwrap_or_default();
    let same = |v: &Value, key: &str, want: &str| text(v, key).is_some_and(|t| t.eq_ignore_ascii_case(want));
    let Some(item) = items.iter().find(|i| same(i, "productId", product) && same(i, "skuId", sku)) else {
        return vec![format!("NotInInventory: Partner Center's inventory check does not list product {product}, SKU {sku}")];
    };
    if item.get("isRestricted").and_then(Value::as_bool) != Some(true) {
        return Vec::new();
    }
    let reasons: Vec<String> = item
        .get("restrictions")
        .and_then(Value::as_array)
        .map(|r| r.iter().map(|r| format!("{}: {}", text(r, "reasonCode").unwrap_or("Restricted"), text(r, "description").unwrap_or("no description"))).collect())
        .unwrap_or_default();
    if reasons.is_empty() {
        vec!["Restricted: no reason given".to_owned()]
    } else {
        reasons
    }
}

/// A Partner Center order, as far as the desk reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerOrder {
    /// Its ID.
    pub id: String,
    /// When it was created (`creationDate`).
    pub created: Option<DateTime<Utc>>,
    /// Its status (`pending`, `completed`, …).
    pub status: String,
    /// Its lines: (`offerId`, the catalog item; `quantity`).
    pub lines: Vec<(String, u32)>,
}

fn order_of(v: &Value) -> Option<PartnerOrder> {
    let id = text(v, "id").filter(|id| plain(id))?.to_owned();
    let created = text(v, "creationDate").and_then(|d| DateTime::parse_from_rfc3339(d).ok()).map(|d| d.with_timezone(&Utc));
    let lines = v
        .get("lineItems")
        .and_then(Value::as_array)
        .map(|lines| {
            lines
                .iter()
                .filter_map(|l| Some((text(l, "offerId")?.to_owned(), l.get("quantity").and_then(Value::as_u64).and_then(|q| u32::try_from(q).ok()).unwrap_or(0))))
                .collect()
        })
        .unwrap_or_default();
    Some(PartnerOrder { id, created, status: text(v, "status").unwrap_or_default().to_ascii_lowercase(), lines })
}

/// What a checkout answered: the orders made, and Partner Center's reasons for those not made
/// (`orderErrors`: `code: description`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    /// The orders made.
    pub orders: Vec<PartnerOrder>,
    /// Why an order group was not made.
    pub errors: Vec<String>,
}

/// Reads a `CartCheckoutResult`.
pub(crate) fn checkout_result(body: &Value) -> Checkout {
    let orders = body.get("orders").and_then(Value::as_array).map(|o| o.iter().filter_map(order_of).collect()).unwrap_or_default();
    let errors = body
        .get("orderErrors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    let code = e.get("code").map(|c| c.to_string().trim_matches('"').to_owned()).unwrap_or_default();
                    format!("{code}: {}", text(e, "description").unwrap_or("no description"))
                })
                .collect()
        })
        .unwrap_or_default();
    Checkout { orders, errors }
}

/// The errors a created cart carries on its lines (`lineItems[].error`: `errorCode:
/// errorDescription`).
pub(crate) fn cart_line_errors(cart: &Value) -> Vec<String> {
    cart.get("lineItems")
        .and_then(Value::as_array)
        .map(|lines| {
            lines
                .iter()
                .filter_map(|l| l.get("error").filter(|e| !e.is_null()))
                .map(|e| {
                    let code = e.get("errorCode").map(|c| c.to_string().trim_matches('"').to_owned()).unwrap_or_default();
                    format!("{code}: {}", text(e, "errorDescription").unwrap_or("no description"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The ARM reservation order of the entitlement whose `referenceOrder.id` is `order_id`
/// (`entitledArtifacts[].resourceId`, "the ID of the Azure reservation order"), when there is
/// one yet.
pub(crate) fn entitled_order(entitlements: &[Value], order_id: &str) -> Option<String> {
    entitlements
        .iter()
        .filter(|e| e.get("referenceOrder").and_then(|r| text(r, "id")) == Some(order_id))
        .flat_map(|e| e.get("entitledArtifacts").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter(|a| text(a, "artifactType").is_none_or(|t| t.eq_ignore_ascii_case("reservedinstance")))
        .filter_map(|a| text(&a, "resourceId").map(str::to_owned))
        .find_map(|id| order_of_resource(&id))
}

/// The reservation order an artifact's `resourceId` names ("the ID of the Azure reservation order
/// or resource"): a bare ID is the order's; a fully qualified one is read for its
/// `reservationOrders/{id}` segment, whether it names the order or a reservation in it.
fn order_of_resource(id: &str) -> Option<String> {
    if !id.contains('/') {
        return plain(id).then(|| id.to_owned());
    }
    let segments: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    let at = segments.iter().position(|s| s.eq_ignore_ascii_case("reservationOrders"))?;
    segments.get(at + 1).filter(|o| plain(o)).map(|o| (*o).to_owned())
}

impl AzureClient {
    fn partner_center_base(&self) -> String {
        format!("{}/v1", self.settings.partner_center_url.trim_end_matches('/'))
    }

    /// Every item of a Partner Center collection from `url`, its `links.next` followed (below
    /// `/v1` only).
    async fn collection(&self, token: &secrecy::SecretString, partner_tenant: &str, what: &str, url: String) -> Result<Vec<Value>, AzureError> {
        let base = self.partner_center_base();
        let mut next = Some((url, Vec::<(String, String)>::new()));
        let mut items = Vec::new();
        let mut pages = 0;
        while let Some((url, headers)) = next.take() {
            pages += 1;
            if pages > MOST_PAGES {
                return Err(AzureError { retry_after: None, request: Default::default(), status: None, code: "TooManyPages".into(), message: format!("{what} gave more than {MOST_PAGES} pages") });
            }
            let answer = self
                .send(partner_tenant, what, || {
                    let mut request = self.http.get(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json");
                    for (k, v) in &headers {
                        request = request.header(k.as_str(), v.as_str());
                    }
                    request
                })
                .await?;
            let body = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
            let page: Value = serde_json::from_slice(body).map_err(|e| answer.unreadable(what, e))?;
            items.extend(page.get("items").and_then(Value::as_array).cloned().unwrap_or_default());
            next = page.pointer("/links/next").and_then(|link| {
                let uri = text(link, "uri")?;
                if uri.contains("://") {
                    return None;
                }
                let uri = if uri.starts_with('/') { uri.to_owned() } else { format!("/{uri}") };
                let uri = uri.strip_prefix("/v1/").map_or(uri.clone(), |rest| format!("/{rest}"));
                let headers = link
                    .get("headers")
                    .and_then(Value::as_array)
                    .map(|h| h.iter().filter_map(|h| Some((text(h, "key")?.to_owned(), text(h, "value")?.to_owned()))).collect())
                    .unwrap_or_default();
                Some((format!("{base}{uri}"), headers))
            });
        }
        Ok(items)
    }

    /// Registers `subscription_id` of `customer_id` for reservation purchases (a `202` whose
    /// status is then read; registering a registered subscription is harmless) and answers
    /// its status as Partner Center reads it (`registered`, `registering`, `notregistered`,
    /// lower-cased: its examples write `NotRegistered`).
    pub async fn register_for_reservations(
        &self, user: &OnBehalfOf, partner_tenant: &str, customer_id: &str, subscription_id: &str,
    ) -> Result<String, AzureError> {
        let (customer, subscription) = (checked(customer_id, "customer ID")?, checked(subscription_id, "subscription ID")?);
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let base = format!("{}/customers/{customer}/subscriptions/{subscription}", self.partner_center_base());
        let what = format!("Partner Center's registration of subscription {subscription} for reservation purchases");
        let url = format!("{base}/registrations");
        self.send(partner_tenant, &what, || {
            self.http.post(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json").header("Content-Type", "application/json")
        })
        .await?;
        let url = format!("{base}/registrationstatus");
        let answer = self.send(partner_tenant, &what, || self.http.get(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json")).await?;
        let body = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
        let status: Value = serde_json::from_slice(body).map_err(|e| answer.unreadable("Partner Center's registration status", e))?;
        Ok(text(&status, "status").unwrap_or("unknown").to_ascii_lowercase())
    }

    /// The catalog item of `line`'s SKU, region and term in the customer's catalog (Azure plan
    /// availabilities), or `None` when Partner Center sells none there.
    pub async fn reservation_catalog_item(&self, user: &OnBehalfOf, partner_tenant: &str, line: &ReservationLine) -> Result<Option<CatalogItem>, AzureError> {
        let customer = checked(&line.customer_id, "customer ID")?;
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let base = format!("{}/customers/{customer}/products", self.partner_center_base());
        let view = target_view(&line.reserved_resource_type);
        let products = self.collection(&token, partner_tenant, "Partner Center's reservation products", format!("{base}?targetView={view}&reservationScope=AzurePlan")).await?;
        let durations = durations(&line.term);
        for product in products.iter().filter_map(|p| text(p, "id")).filter(|id| plain(id)) {
            let skus = self.collection(&token, partner_tenant, "Partner Center's reservation SKUs", format!("{base}/{product}/skus?reservationScope=AzurePlan")).await?;
            let found = skus.iter().find(|s| {
                let attributes = s.get("dynamicAttributes").cloned().unwrap_or(Value::Null);
                let same = |key: &str, want: &str| text(&attributes, key).is_some_and(|v| v.eq_ignore_ascii_case(want));
                same("armSkuName", &line.sku_name) && same("armRegionName", &line.region) && durations.iter().any(|d| same("duration", d))
            });
            let Some(sku) = found else { continue };
            let Some(sku_id) = text(sku, "id").filter(|id| plain(id)) else { continue };
            let title = text(sku, "title").unwrap_or_default().to_owned();
            let url = format!("{base}/{product}/skus/{sku_id}/availabilities?reservationScope=AzurePlan");
            let availabilities = self.collection(&token, partner_tenant, "Partner Center's availabilities", url).await?;
            let item = availabilities
                .iter()
                .filter(|a| a.get("isPurchasable").and_then(Value::as_bool) != Some(false))
                .find_map(|a| text(a, "catalogItemId").map(|id| (id.to_owned(), text(a, "country").filter(|c| plain(c)).map(str::to_owned))));
            if let Some((catalog_item_id, country)) = item {
                let inventory_check = needs_inventory_check(sku);
                return Ok(Some(CatalogItem { catalog_item_id, title, product_id: product.to_owned(), sku_id: sku_id.to_owned(), inventory_check, country }));
            }
        }
        Ok(None)
    }

    /// The customer's Azure plan: its Partner Center subscription ID ([`azure_plan_of`] of `GET
    /// /customers/{id}/subscriptions`), `None` when the customer has none (a Microsoft Azure
    /// (MS-AZR-0145P) customer).
    pub async fn azure_plan_subscription(&self, user: &OnBehalfOf, partner_tenant: &str, customer_id: &str) -> Result<Option<String>, AzureError> {
        let customer = checked(customer_id, "customer ID")?;
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = format!("{}/customers/{customer}/subscriptions", self.partner_center_base());
        let items = self.collection(&token, partner_tenant, "Partner Center's subscriptions of the customer", url).await?;
        Ok(azure_plan_of(&items))
    }

    /// Learn's "Check inventory" (`POST /extensions/product/checkInventory?country={country}`)
    /// of `q`'s SKU: Partner Center's reasons it may not be bought there (empty: it may).
    pub async fn check_inventory(&self, user: &OnBehalfOf, partner_tenant: &str, country: Option<&str>, q: &InventoryQuestion) -> Result<Vec<String>, AzureError> {
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = match country {
            Some(c) => format!("{}/extensions/product/checkInventory?country={}", self.partner_center_base(), checked(c, "country")?),
            None => format!("{}/extensions/product/checkInventory", self.partner_center_base()),
        };
        let body = inventory_check_body(q);
        let what = "Partner Center's inventory check";
        let answer = self.send(partner_tenant, what, || self.http.post(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json").json(&body)).await?;
        let raw = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
        let read: Value = serde_json::from_slice(raw).map_err(|e| answer.unreadable(what, e))?;
        Ok(inventory_restrictions(&read, &q.product_id, &q.sku_id))
    }

    /// Creates a cart for the customer with one line buying `line` as `item`: the cart's ID,
    /// and the errors Partner Center put on its line (a cart is made with them; nothing is
    /// bought until checkout).
    pub async fn create_reservation_cart(
        &self, user: &OnBehalfOf, partner_tenant: &str, line: &ReservationLine, item: &CatalogItem,
    ) -> Result<(String, Vec<String>), AzureError> {
        let customer = checked(&line.customer_id, "customer ID")?;
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = format!("{}/customers/{customer}/carts", self.partner_center_base());
        let body = cart_body(line, item);
        let answer = self
            .send(partner_tenant, "Partner Center's cart", || self.http.post(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json").json(&body))
            .await?;
        let raw = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
        let cart: Value = serde_json::from_slice(raw).map_err(|e| answer.unreadable("Partner Center's cart", e))?;
        let id = text(&cart, "id").filter(|id| plain(id)).ok_or_else(|| answer.unreadable("Partner Center's cart", "it has no ID"))?;
        Ok((id.to_owned(), cart_line_errors(&cart)))
    }

    /// Checks out the customer's cart `cart_id` with `request_id` as its `MS-RequestId` (the
    /// same on every try of this call and on a later call for the same purchase: Partner
    /// Center makes it once).
    pub async fn checkout(&self, user: &OnBehalfOf, partner_tenant: &str, customer_id: &str, cart_id: &str, request_id: &str) -> Result<Checkout, AzureError> {
        let (customer, cart) = (checked(customer_id, "customer ID")?, checked(cart_id, "cart ID")?);
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = format!("{}/customers/{customer}/carts/{cart}/checkout", self.partner_center_base());
        let answer = self
            .send_as(partner_tenant, "Partner Center's checkout", request_id.to_owned(), || {
                self.http.post(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json").header("Content-Type", "application/json")
            })
            .await?;
        let raw = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
        let body: Value = serde_json::from_slice(raw).map_err(|e| answer.unreadable("Partner Center's checkout", e))?;
        Ok(checkout_result(&body))
    }

    /// The customer's orders as Partner Center lists them (an order may take up to 15 minutes
    /// to be listed).
    pub async fn partner_orders(&self, user: &OnBehalfOf, partner_tenant: &str, customer_id: &str) -> Result<Vec<PartnerOrder>, AzureError> {
        let customer = checked(customer_id, "customer ID")?;
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = format!("{}/customers/{customer}/orders", self.partner_center_base());
        let items = self.collection(&token, partner_tenant, "Partner Center's orders", url).await?;
        Ok(items.iter().filter_map(order_of).collect())
    }

    /// Partner Center's order `order_id` of the customer (`None`: Partner Center has no such
    /// order, 404).
    pub async fn partner_order(&self, user: &OnBehalfOf, partner_tenant: &str, customer_id: &str, order_id: &str) -> Result<Option<PartnerOrder>, AzureError> {
        let (customer, order) = (checked(customer_id, "customer ID")?, checked(order_id, "order ID")?);
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = format!("{}/customers/{customer}/orders/{order}", self.partner_center_base());
        match self.send(partner_tenant, "Partner Center's order", || self.http.get(&url).bearer_auth(token.expose_secret()).header("Accept", "application/json")).await {
            Ok(answer) => {
                let raw = answer.body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&answer.body);
                let body: Value = serde_json::from_slice(raw).map_err(|e| answer.unreadable("Partner Center's order", e))?;
                Ok(order_of(&body))
            }
            Err(e) if e.status == Some(404) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The ARM reservation order Partner Center's order `order_id` made, once its entitlement
    /// names it (`None` before).
    pub async fn entitled_reservation_order(&self, user: &OnBehalfOf, partner_tenant: &str, customer_id: &str, order_id: &str) -> Result<Option<String>, AzureError> {
        let customer = checked(customer_id, "customer ID")?;
        let token = self.token(user, partner_tenant, PARTNER_CENTER_SCOPE).await?;
        let url = format!("{}/customers/{customer}/entitlements?entitlementType=reservedInstance", self.partner_center_base());
        let items = self.collection(&token, partner_tenant, "Partner Center's entitlements", url).await?;
        Ok(entitled_order(&items, order_id))
    }
}

/// The cart's body: one line, paid once (`one_time`: the only billing cycle Partner Center
/// lists for reservations), its term, and the provisioning context its SKU asks for.
pub(crate) fn cart_body(line: &ReservationLine, item: &CatalogItem) -> Value {
    json!({
        "lineItems": [{
            "id": 0,
            "catalogItemId": item.catalog_item_id,
            "quantity": line.quantity,
            "billingCycle": "one_time",
            "termDuration": line.term,
            "provisioningContext": {
                "subscriptionId": line.subscription_id,
                "scope": line.scope,
                "duration": durations(&line.term).first().copied().unwrap_or_default(),
            },
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_checkout_answer_reads_its_order_and_its_errors() {
        // Learn's "Check out an order for a customer in a cart", its reservation example.
        let body = json!({ "orders": [ {
            "id": "311qiN8iFwkv-XARWMvXRYAwYKMACVqv1", "alternateId": "0a3624c6e47d",
            "referenceCustomerId": "28045616-f6b9-462f-9701-0d89b5e65c44",
            "billingCycle": "one_time", "currencyCode": "USD", "currencySymbol": "$",
            "lineItems": [ { "lineItemNumber": 0, "offerId": "DZH318Z0BQ36:004G:DZH318Z08C0S", "termDuration": "P1Y",
                "transactionType": "New", "friendlyName": "Reserved VM Instance, Standard_NV12, US East 2, 1 Year", "quantity": 1, "links": {} } ],
            "creationDate": "2019-01-16T00:48:51.6578126Z", "status": "pending", "transactionType": "UserPurchase", "links": {} } ] });
        let read = checkout_result(&body);
        assert_eq!(read.orders.len(), 1);
        assert_eq!(read.orders[0].id, "311qiN8iFwkv-XARWMvXRYAwYKMACVqv1");
        assert_eq!(read.orders[0].lines, vec![("DZH318Z0BQ36:004G:DZH318Z08C0S".to_owned(), 1)]);
        assert_eq!(read.orders[0].created.map(|c| c.to_rfc3339()), Some("2019-01-16T00:48:51.657812600+00:00".into()));
        assert!(read.errors.is_empty());
        let refused = checkout_result(&json!({"orders": [], "orderErrors": [{"orderGroupId": "0", "code": 800030, "description": "This subscription is not registered"}]}));
        assert_eq!(refused.errors, vec!["800030: This subscription is not registered".to_owned()]);
        assert_eq!(checkout_result(&json!({})), Checkout { orders: Vec::new(), errors: Vec::new() }, "nothing documented is required");
    }

    #[test]
    fn an_entitlement_names_the_arm_order_of_its_partner_center_order() {
        // Learn's "Get a collection of entitlements", its reserved instance example.
        let entitlements = vec![json!({ "referenceOrder": { "id": "KaJ8XvkKc_GoNZOUyjVaRJalTBN5MWdV1", "lineItemId": "0" },
            "productId": "DZH318Z0BQ3W", "skuId": "007J", "quantity": 1, "entitlementType": "reservedinstance",
            "entitledArtifacts": [ { "artifactType": "reservedinstance", "resourceId": "ebf2e74b-630e-4a09-857d-a1f6c6351336",
                "link": { "uri": "/customers/x/artifacts/reservedinstance/groups/y/lineitems/z/resource/ebf2e74b-630e-4a09-857d-a1f6c6351336", "method": "GET", "headers": [] } } ],
            "dynamicAttributes": { "reservationType": "virtualmachines" } })];
        assert_eq!(entitled_order(&entitlements, "KaJ8XvkKc_GoNZOUyjVaRJalTBN5MWdV1").as_deref(), Some("ebf2e74b-630e-4a09-857d-a1f6c6351336"));
        assert_eq!(entitled_order(&entitlements, "another-order"), None);
        let qualified = vec![json!({"referenceOrder": {"id": "o"}, "entitledArtifacts": [{"resourceId": "/providers/Microsoft.Capacity/reservationOrders/abc-1"}]})];
        assert_eq!(entitled_order(&qualified, "o").as_deref(), Some("abc-1"));
        let reservation = vec![json!({"referenceOrder": {"id": "o"}, "entitledArtifacts": [{"resourceId": "/providers/Microsoft.Capacity/reservationOrders/abc-1/reservations/r-9"}]})];
        assert_eq!(entitled_order(&reservation, "o").as_deref(), Some("abc-1"), "a reservation's ID names its order");
        let hostile = vec![json!({"referenceOrder": {"id": "o"}, "entitledArtifacts": [{"resourceId": "a?b=c"}]})];
        assert_eq!(entitled_order(&hostile, "o"), None, "an ID that would reshape a URL is not taken");
    }

    #[test]
    fn a_cart_line_buys_once_paid_with_its_term_scope_and_subscription() {
        let line = ReservationLine {
            customer_id: "c".into(),
            subscription_id: "1C461A25-F729-4FA5-AADB-280947DD05E8".into(),
            reserved_resource_type: "VirtualMachines".into(),
            sku_name: "Standard_D4s_v5".into(),
            region: "westeurope".into(),
            term: "P3Y".into(),
            quantity: 2,
            scope: "shared".into(),
        };
        let body = cart_body(&line, &CatalogItem { catalog_item_id: "P:S:A".into(), ..Default::default() });
        assert_eq!(
            body["lineItems"][0],
            json!({"id": 0, "catalogItemId": "P:S:A", "quantity": 2, "billingCycle": "one_time", "termDuration": "P3Y",
                "provisioningContext": {"subscriptionId": "1C461A25-F729-4FA5-AADB-280947DD05E8", "scope": "shared", "duration": "3Years"}})
        );
        assert_eq!(cart_line_errors(&json!({"lineItems": [{"id": 0, "error": {"errorCode": 10011, "errorDescription": "Subscription not registered"}}]})), vec!["10011: Subscription not registered"]);
        assert_eq!((target_view("VirtualMachines"), target_view("SqlDatabases"), target_view("RedisCache")), ("AzureReservationsVM", "AzureReservationsSQL", "AzureReservations"));
    }

    const PUBLISHED: &str = "../../azure-api/tests/published/partner-center/";
    const SKU: &str = include_str!("../../azure-api/tests/published/partner-center/sku-reserved-vm-instance.json");
    const CHECK_REQUEST: &str = include_str!("../../azure-api/tests/published/partner-center/check-inventory-request.json");
    const CHECK_RESPONSE: &str = include_str!("../../azure-api/tests/published/partner-center/check-inventory-response.json");
    const SUBSCRIPTIONS: &str = include_str!("../../azure-api/tests/published/partner-center/subscriptions-list.json");
    const REGISTRATION_STATUS: &str = include_str!("../../azure-api/tests/published/partner-center/subscription-registration-status.json");

    fn published(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("a published example under {PUBLISHED}: {e}"))
    }

    #[test]
    fn learns_reserved_vm_sku_asks_for_an_inventory_check() {
        let sku = published(SKU);
        assert!(needs_inventory_check(&sku), "Learn's SKU lists InventoryCheck among its purchasePrerequisites");
        let mut without = sku.clone();
        without["purchasePrerequisites"] = json!(["AzureSubscriptionRegistration"]);
        assert!(!needs_inventory_check(&without));
        assert!(!needs_inventory_check(&json!({})), "nothing documented is required");
    }

    #[test]
    fn the_inventory_check_is_asked_as_learns_request_and_read_as_its_answer() {
        // The request: Learn's example asks for a product; the desk names its SKU too, in the
        // same inventory context.
        let learn = published(CHECK_REQUEST);
        let q = InventoryQuestion {
            customer_id: "d6bf25b7-e0a8-4f2d-a31b-97b55cfc774d".into(),
            subscription_id: "3A231FBE-37FE-4410-93FD-730D3D5D4C75".into(),
            region: "Europe".into(),
            product_id: "DZH318Z0BQ3P".into(),
            sku_id: "0039".into(),
        };
        let ours = inventory_check_body(&q);
        assert_eq!(ours["InventoryContext"], learn["InventoryContext"], "the documented inventory context");
        assert_eq!(ours["TargetItems"][0]["ProductId"], learn["TargetItems"][0]["ProductId"]);
        assert_eq!(ours["TargetItems"][0]["SkuId"], "0039");

        // The answer: 0039 is restricted with Partner Center's reason; 000S is not; an SKU the
        // answer does not list is not in the catalog, and refused.
        let answer = published(CHECK_RESPONSE);
        assert_eq!(
            inventory_restrictions(&answer, "DZH318Z0BQ3P", "0039"),
            vec!["NotAvailableForSubscription: Restriction identified of type 'Location' with values 'japanwest'.".to_owned()]
        );
        assert!(inventory_restrictions(&answer, "dzh318z0bq3p", "000s").is_empty(), "not restricted (IDs compared without regard to case)");
        let missing = inventory_restrictions(&answer, "DZH318Z0BQ3P", "9999");
        assert_eq!(missing.len(), 1);
        assert!(missing[0].starts_with("NotInInventory"), "{missing:?}");
    }

    #[test]
    fn the_azure_plan_is_found_among_the_customers_subscriptions() {
        // Learn's listing: one subscription without an offerId, so no Azure plan.
        let listing = published(SUBSCRIPTIONS);
        let items = listing["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(azure_plan_of(&items), None, "a legacy subscription is not an Azure plan");
        // The same subscription as an Azure plan (the offer Learn's Azure plan records carry).
        let mut plan = items[0].clone();
        plan["offerId"] = json!("DZH318Z0BPS6:0001:DZH318Z0BML6");
        assert_eq!(azure_plan_of(&[items[0].clone(), plan.clone()]).as_deref(), Some("83ef9d05-4169-4ef9-9657-0e86b1eab1de"));
        let mut suspended = plan.clone();
        suspended["status"] = json!("suspended");
        assert_eq!(azure_plan_of(&[suspended]), None, "a suspended plan buys nothing");
    }

    #[test]
    fn learns_registration_status_reads_as_not_registered() {
        let status = published(REGISTRATION_STATUS);
        assert_eq!(text(&status, "status").map(str::to_ascii_lowercase).as_deref(), Some("notregistered"));
    }
}
