//! One read of Azure, for a signed-in user or with the stored connection ([`Reader`]):
//! Partner Center's customers, then each customer's reservations (and then its savings plans:
//! `savings_plans.rs`) in its own tenant, many
//! tenants at once (half the client's requests in flight, each tenant within its own share:
//! `azure_client::Limits`), each with its price from its order, then the partner's GDAP
//! relationships from Microsoft Graph, each customer's kept with it (a failure of Graph is kept
//! on every customer's relationships and fails nothing else). An order is read again only when
//! what ARM lists of it changed (its reservations or their quantities) or its price is unknown:
//! an order's price, term, billing plan and dates never change, so a later read of an unchanged
//! book sends one request per tenant. A tenant that fails (403 without a GDAP role there, a
//! timeout, a 5xx, throttling that outlasts the waits) is recorded on that customer and the
//! others go on. A tenant read is also asked whether the desk may read its directory (Microsoft
//! Graph: Access control's people picker), until Graph has answered there
//! (`desk_service::readiness::directory_probe_due`); the answer is kept once the tenant is written.

use std::sync::Arc;

use std::collections::HashMap;

use azure_api::order_price::OrderPrice;
use azure_api::read::{OrderFacts, ReadContext};
use azure_client::{AzureError, PartnerCustomer, Reader};
use contract::source::{DirectoryAccess, PriceUnknown, PricedUnder, SourceError, SourceStatus};
use contract::Customer;
use desk::source::{CustomerSnapshot, SourceStore, TenantRead};
use desk::store::Stored;
use desk_service::utilization::UsageProfile;
use rust_decimal::prelude::ToPrimitive;

use super::{Acting, AzureSource};
use crate::state::AppState;

fn source_of(state: &AppState) -> Result<Arc<AzureSource>, AzureError> {
    state.source.clone().ok_or_else(|| AzureError {
        retry_after: None,
        request: Default::default(),
        status: None,
        code: "NotAzureMode".into(),
        message: "This desk is not reading Azure (start it with --source azure).".into(),
    })
}

/// How a read goes, as it goes: the customers Partner Center listed, and how many were read or
/// failed so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub total: Option<u32>,
    pub read: u32,
    pub failed: u32,
}

/// Customers' reads written in one transaction at most (the rest wait for the next).
const WRITE_GROUP: usize = 100;

/// Every customer of the partner (Partner Center in `partner`'s tenant) and each one's
/// reservations, written into the store as they come, in groups (while one group commits, the
/// next gathers: one commit per customer would cost a book of 500 far more than reading it);
/// `progress` is told after Partner Center answered and after each group is written: how it
/// ended. `Err` only when Partner Center's customers could not be read (nothing is written then).
pub async fn read_all(state: &AppState, reader: &Reader, partner: &str, progress: &(dyn Fn(Progress) + Send + Sync)) -> Result<Progress, AzureError> {
    let source = source_of(state)?;
    let customers = source.client.customers(reader, partner).await.inspect_err(|err| {
        tracing::warn!(code = %err.code, request = %err.request, "Partner Center's customers could not be read: {}", err.message);
    })?;
    let total = u32::try_from(customers.len()).unwrap_or(u32::MAX);
    tracing::debug!(customers = total, "Partner Center listed the customers");
    progress(Progress { total: Some(total), read: 0, failed: 0 });
    let tenants: Vec<(String, String)> = customers.iter().map(|c| (c.id.clone(), c.tenant_id.clone())).collect();
    // What Graph last said of each tenant's directory: whether this read asks it again.
    let directories: Arc<HashMap<String, DirectoryAccess>> = Arc::new(match state.desk.store().source_statuses().await {
        Ok(kept) => kept.into_iter().filter_map(|s| Some((s.customer_id, s.directory?))).collect(),
        Err(err) => {
            tracing::warn!(error = %err, "the statuses kept could not be read: Graph is asked in every tenant");
            HashMap::new()
        }
    });
    let probed = Arc::new(std::sync::Mutex::new(Vec::new()));
    let probes = probed.clone();
    // The partner's GDAP relationships are read from Graph while the tenants are (one list for
    // every customer), and written once the customers are.
    let relationships = {
        let (client, reader, partner) = (source.client.clone(), reader.clone(), partner.to_owned());
        tokio::spawn(async move { client.gdap_relationships(&reader, &partner).await })
    };
    let (tell, mut told) = tokio::sync::mpsc::unbounded_channel::<TenantRead>();
    // The tenants, half the client's requests in flight at once: enough to keep the bound busy
    // with each tenant's first requests while the others finish theirs.
    let reading = async move {
        let at_once = (source.client.limits().in_flight / 2).max(1);
        let permits = Arc::new(tokio::sync::Semaphore::new(at_once));
        let mut reads = tokio::task::JoinSet::new();
        for customer in customers {
            let Ok(permit) = permits.clone().acquire_owned().await else { break };
            let (state, reader, tell, directories, probed) = (state.clone(), reader.clone(), tell.clone(), directories.clone(), probed.clone());
            reads.spawn(async move {
                let read = read_customer(&state, &reader, &customer_of(&customer), &customer.tenant_id).await;
                if let Some(answer) = probe_directory(&state, &reader, &read, directories.get(&customer.id)).await {
                    probed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((customer.id.clone(), answer));
                }
                // Then its savings plans, within the same permit and bounds (kept in memory).
                if let Some(source) = state.source.clone() {
                    Box::pin(super::savings_plans::read(&source, &reader, &customer.id, &customer.tenant_id, state.now())).await;
                }
                drop(permit);
                let _ = tell.send(read);
            });
            // Finished tasks are let go as they end.
            while reads.try_join_next().is_some() {}
        }
        while reads.join_next().await.is_some() {}
    };
    let writing = async {
        let mut done = Progress { total: Some(total), read: 0, failed: 0 };
        let mut group = Vec::with_capacity(WRITE_GROUP);
        while told.recv_many(&mut group, WRITE_GROUP).await > 0 {
            tracing::debug!(customers = group.len(), "writing a group of customers read");
            for (read, written) in write_group(state, &group).await {
                match read {
                    TenantRead::Read(_) if written => done.read += 1,
                    _ => done.failed += 1,
                }
            }
            progress(done);
            group.clear();
        }
        done
    };
    let ((), done) = tokio::join!(reading, writing);
    // The customers are written: what Graph said of each directory asked is kept on them.
    let probed = std::mem::take(&mut *probes.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    for (customer_id, (at, answer)) in probed {
        keep_directory(state, &customer_id, at, answer).await;
    }
    // After the customers are written: each one's GDAP relationships, or why Graph could not
    // say (the reservations read stands either way).
    let relationships = relationships.await.unwrap_or_else(|e| Err(AzureError::new("Unreachable", format!("reading Microsoft Graph stopped: {e}"))));
    write_gdap(state, relationships, &tenants).await;
    Ok(done)
}

/// Writes `group` in one transaction; when that fails, each read on its own, so that one
/// customer that cannot be written does not keep the others out. Each read, with whether it
/// was written.
async fn write_group<'a>(state: &AppState, group: &'a [TenantRead]) -> Vec<(&'a TenantRead, bool)> {
    let store = state.desk.store();
    match store.write_reads(group).await {
        Ok(()) => group.iter().map(|r| (r, true)).collect(),
        Err(err) => {
            tracing::warn!(error = %err, customers = group.len(), "writing a group of customers read failed; each is written on its own");
            let mut out = Vec::with_capacity(group.len());
            for read in group {
                let written = store.write_reads(std::slice::from_ref(read)).await;
                if let Err(err) = &written {
                    tracing::error!(customer = %read.customer_id(), error = %err, "writing what Azure answered failed");
                }
                out.push((read, written.is_ok()));
            }
            out
        }
    }
}

/// Writes each customer's GDAP relationships (matched by its tenant) from what Graph answered;
/// when Graph failed (403 without `DelegatedAdminRelationship.Read.All`, a timeout, …), each
/// customer keeps the relationships read before, with the error.
async fn write_gdap(state: &AppState, read: Result<Vec<contract::gdap::GdapRelationship>, AzureError>, tenants: &[(String, String)]) {
    let store = state.desk.store();
    let now = state.now();
    let statuses: Vec<contract::gdap::GdapStatus> = match read {
        Ok(relationships) => tenants
            .iter()
            .map(|(customer, tenant)| {
                let theirs = relationships.iter().filter(|r| r.customer_tenant_id.eq_ignore_ascii_case(tenant)).cloned().collect();
                desk::gdap::read(customer, theirs, now)
            })
            .collect(),
        Err(err) => {
            tracing::warn!(code = %err.code, request = %err.request, "the partner's GDAP relationships could not be read from Microsoft Graph: {}", err.message);
            let error = SourceError { code: err.code, message: err.message, status: err.status, at: desk::source::instant_text(now), request: *err.request };
            let before: HashMap<String, contract::gdap::GdapStatus> = match desk::gdap::GdapStore::gdap_statuses(store).await {
                Ok(kept) => kept.into_iter().map(|g| (g.customer_id.clone(), g)).collect(),
                Err(e) => {
                    tracing::error!(error = %e, "reading the GDAP relationships kept failed");
                    HashMap::new()
                }
            };
            tenants.iter().map(|(customer, _)| desk::gdap::failed(before.get(customer).cloned(), customer, &error)).collect()
        }
    };
    if let Err(err) = desk::gdap::GdapStore::write_gdap(store, &statuses).await {
        tracing::error!(error = %err, "writing the GDAP relationships read failed");
    }
}

/// One customer read again on behalf of the signed-in user (its tenant as the last read
/// recorded it); `None` when it was never read from Azure.
pub async fn read_one(state: &AppState, acting: &Acting, customer_id: &str) -> Result<Option<SourceStatus>, desk::StoreError> {
    let store = state.desk.store();
    let (Some(status), Some(customer)) = (store.source_status(customer_id).await?, desk::store::Store::customer(store, customer_id).await?) else {
        return Ok(None);
    };
    let reader = Reader::User(acting.obo.clone());
    let read = read_customer(state, &reader, &customer, &status.tenant_id).await;
    let probed = probe_directory(state, &reader, &read, status.directory.as_ref()).await;
    store.write_reads(&[read]).await?;
    if let Some((at, answer)) = probed {
        keep_directory(state, customer_id, at, answer).await;
    }
    if let Some(source) = state.source.clone() {
        Box::pin(super::savings_plans::read(&source, &reader, customer_id, &status.tenant_id, state.now())).await;
    }
    store.source_status(customer_id).await
}

/// Asks Graph whether the desk may read the directory of the tenant `read` read, when that is due
/// with `kept` the last word on it: when it was asked, and Graph's answer or refusal; `None` when
/// not asked (not due, or the tenant's reservations could not be read: the tenant's failure says
/// more).
async fn probe_directory(
    state: &AppState, reader: &Reader, read: &TenantRead, kept: Option<&DirectoryAccess>,
) -> Option<(chrono::DateTime<chrono::Utc>, Result<(), SourceError>)> {
    let TenantRead::Read(snapshot) = read else { return None };
    let asked_at = state.now();
    if !desk_service::readiness::directory_probe_due(&snapshot.tenant_id, kept, asked_at) {
        return None;
    }
    let source = state.source.clone()?;
    let answer = source.client.directory_probe(reader, &snapshot.tenant_id).await;
    Some((
        asked_at,
        answer.map_err(|err| {
            tracing::info!(customer = %snapshot.customer.id, code = %err.code, request = %err.request, "Microsoft Graph did not read the customer's directory: {}", err.message);
            SourceError { code: err.code, message: err.message, status: err.status, at: desk::source::instant_text(asked_at), request: *err.request }
        }),
    ))
}

/// Keeps Graph's `answer` to the question asked `at` on the customer
/// (`desk::Desk::record_directory_answer`: a word newer than it stays).
async fn keep_directory(state: &AppState, customer_id: &str, at: chrono::DateTime<chrono::Utc>, answer: Result<(), SourceError>) {
    if let Err(err) = state.desk.record_directory_answer(at, customer_id, answer.as_ref().map(|_| ())).await {
        tracing::error!(customer = %customer_id, error = %err, "keeping what Microsoft Graph said of the customer's directory failed");
    }
}

fn customer_of(c: &PartnerCustomer) -> Customer {
    Customer { id: c.id.clone(), name: c.company_name.clone(), domain: c.domain.clone(), reservation_count: 0 }
}

/// The units ARM lists of each order, by reservation: what tells that an order changed.
type Listed = HashMap<String, Vec<(String, u32)>>;

/// `listed` (each order's reservations and quantities as ARM lists them now) against what the
/// last read stored: the facts of each order that is unchanged and priced, which need no
/// request; the others are read.
fn known_orders(listed: &Listed, stored: &[Stored]) -> HashMap<String, OrderFacts> {
    let mut stored_units: Listed = HashMap::new();
    for (r, _) in stored {
        stored_units.entry(r.reservation_order_id.clone()).or_default().push((r.id.clone(), r.quantity));
    }
    let mut known = HashMap::new();
    for (order, units) in listed {
        let (mut now, mut before) = (units.clone(), stored_units.get(order).cloned().unwrap_or_default());
        now.sort_unstable();
        before.sort_unstable();
        if now != before {
            continue;
        }
        let mine: Vec<&contract::Reservation> = stored.iter().map(|(r, _)| r).filter(|r| &r.reservation_order_id == order).collect();
        // A stored zero is no price: only prices above zero, on every reservation, stand.
        if let Some(r) = mine.first().filter(|_| mine.iter().all(|r| r.price_unknown.is_none() && !r.unit_price.is_zero())) {
            known.insert(order.clone(), stored_facts(r));
        }
    }
    known
}

/// An order's facts as a reservation of it was stored.
fn stored_facts(known: &contract::Reservation) -> OrderFacts {
    OrderFacts {
        price: OrderPrice::Known { unit_price: known.unit_price, pricing_unit_price: known.pricing_unit_price },
        term: Some(known.term),
        billing_plan: Some(known.billing_plan),
        start: Some(known.purchase_date),
        expiry: Some(known.expiry_date),
    }
}

/// The facts of each distinct order among `orders`, read once: Azure's order when it answers
/// (`azure_api::order_price`, `azure_api::read::OrderFacts`); when it cannot be read (403 on the
/// order, a timeout, an unreadable answer), what an earlier read stored for that order (an
/// order's price, term, billing plan and dates never change), else its price unknown with
/// Azure's reason — never a zero that would quote a wrong refund.
async fn order_facts(source: &AzureSource, reader: &Reader, tenant: &str, mut orders: Vec<String>, stored: &[Stored]) -> HashMap<String, OrderFacts> {
    use futures::stream::{self, StreamExt};
    orders.sort_unstable();
    orders.dedup();
    // Every distinct order at once: the client holds them to the tenant's share of requests in
    // flight. Owned values in each future: the reader runs in a spawned task.
    let read: Vec<(String, Result<OrderFacts, AzureError>)> = stream::iter(orders)
        .map(|order| {
            let (client, reader, tenant) = (source.client.clone(), reader.clone(), tenant.to_owned());
            async move {
                let facts = client.reservation_order(&reader, &tenant, &order).await.map(|read| read.facts());
                (order, facts)
            }
        })
        .buffer_unordered(source.client.limits().per_tenant)
        .collect()
        .await;
    let mut facts = HashMap::new();
    for (order, read) in read {
        // A stored zero is no price: only a price above zero stands in.
        let earlier = stored.iter().map(|(s, _)| s).find(|s| s.reservation_order_id == order && s.price_unknown.is_none() && !s.unit_price.is_zero());
        let known = match read {
            Ok(mut facts) => {
                if let (OrderPrice::Unknown(why), Some(known)) = (&facts.price, earlier) {
                    tracing::info!(order, code = %why.code, "the order's price could not be derived now; the price read before is kept: {}", why.message);
                    facts.price = OrderPrice::Known { unit_price: known.unit_price, pricing_unit_price: known.pricing_unit_price };
                } else if let OrderPrice::Unknown(why) = &facts.price {
                    tracing::info!(order, code = %why.code, "the order's price is unknown: {}", why.message);
                }
                facts
            }
            Err(err) => {
                let why = PriceUnknown { code: err.code.clone(), message: err.message.clone() };
                match earlier {
                    Some(known) => {
                        tracing::info!(order, code = %err.code, request = %err.request, "the order could not be read now; what was read before is kept: {}", err.message);
                        stored_facts(known)
                    }
                    None => {
                        tracing::info!(order, code = %err.code, request = %err.request, "the order could not be read; its price is unknown: {}", err.message);
                        OrderFacts::unknown(why)
                    }
                }
            }
        };
        facts.insert(order, known);
    }
    facts
}

/// The subscription `r` is billed to (`billed`: ARM's `billingScopeId` by reservation), else its
/// single scope's: where today's price of its SKU is asked, and which of the two it is.
fn billing_subscription(r: &contract::Reservation, billed: &HashMap<String, String>) -> Option<(String, PricedUnder)> {
    let last = |path: &str| path.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_owned);
    billed
        .get(&r.id)
        .and_then(|scope| last(scope))
        .map(|id| (id, PricedUnder::BillingSubscription))
        .or_else(|| Some((r.applied_scope_properties.as_ref()?.subscription_id.as_deref().and_then(last)?, PricedUnder::SingleScope)))
}

/// One of the customer's active subscriptions in `tenant`, the first by ID (as a purchase picks
/// the one it buys under), listed once per read that needs one: where today's price of a
/// reservation whose ARM answer names no subscription is asked. Under an Azure plan every
/// subscription of a CSP customer bills to the same plan, so the price does not depend on which.
/// `Err`: Azure's code and message when the subscriptions could not be listed.
async fn customers_subscription(source: &AzureSource, reader: &Reader, tenant: &str) -> Result<Option<String>, (String, String)> {
    let listed = source.client.subscriptions_for(reader, tenant).await.map_err(|e| (e.code, e.message))?;
    let mut ids: Vec<String> = listed.into_iter().filter(|s| s.is_active()).map(|s| s.id).collect();
    ids.sort();
    Ok(ids.into_iter().next())
}

/// Today's price of each active, priced reservation read (the lower-price refund rule's "today's
/// price"): ARM's `calculatePrice` of one unit of its SKU, region, term and plan, billed to its
/// subscription, asked once per distinct one (kept an hour with the prices the desk's purchases
/// ask). Every reservation read gets one, or why Azure gave none: the demo catalog is never
/// today's price in Azure mode.
async fn todays_prices(
    source: &AzureSource, reader: &Reader, tenant: &str, reservations: &mut [(contract::Reservation, UsageProfile)], billed: &HashMap<String, String>,
    now: chrono::DateTime<chrono::Utc>,
) {
    use contract::source::TodayPrice;
    use desk::upstream::PriceAsk;
    use futures::stream::{self, StreamExt};
    let unknown = |code: &str, message: String| TodayPrice::Unknown { code: code.into(), message };
    let priced = |r: &contract::Reservation| r.provisioning_state == contract::ProvisioningState::Succeeded && r.price_unknown.is_none();
    // A reservation ARM names no subscription for (a shared one without `billingScopeId`) is
    // priced under one of the customer's own, listed once per read.
    let fallback = match reservations.iter().any(|(r, _)| priced(r) && billing_subscription(r, billed).is_none()) {
        true => Some(customers_subscription(source, reader, tenant).await),
        false => None,
    };
    let under = |r: &contract::Reservation| {
        billing_subscription(r, billed).or_else(|| Some((fallback.as_ref()?.as_ref().ok()?.clone()?, PricedUnder::CustomersSubscription)))
    };
    let ask_of = |r: &contract::Reservation| PriceAsk {
        subscription_id: under(r).map(|(id, _)| id),
        sku_name: r.sku_name.clone(),
        reserved_resource_type: r.reserved_resource_type.clone(),
        location: r.location.clone(),
        term: r.term,
        billing_plan: r.billing_plan,
    };
    let mut asks: Vec<PriceAsk> = reservations
        .iter()
        .map(|(r, _)| r)
        .filter(|r| priced(r))
        .map(ask_of)
        .filter(|a| a.subscription_id.is_some())
        .collect();
    asks.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    asks.dedup();
    let answered: Vec<(PriceAsk, Result<desk::upstream::AzureUnitPrice, desk::upstream::UpstreamError>)> = stream::iter(asks)
        .map(|ask| {
            let (kept, client, reader, tenant) = (source.kept.clone(), source.client.clone(), reader.clone(), tenant.to_owned());
            async move {
                let subscription = ask.subscription_id.clone().unwrap_or_default();
                let price = kept.unit_price(&client, &reader, &tenant, &subscription, &ask, now).await;
                (ask, price)
            }
        })
        .buffer_unordered(source.client.limits().per_tenant)
        .collect()
        .await;
    for (r, _) in reservations.iter_mut() {
        let ask = ask_of(r);
        let priced_under = under(r);
        r.today_price = Some(if !priced(r) {
            unknown("NotAsked", "Today's price is asked only for an active reservation whose price Azure gave.".into())
        } else if ask.subscription_id.is_none() {
            match &fallback {
                Some(Err((code, message))) => unknown(
                    code,
                    format!("Azure names no subscription this reservation is billed to, and the customer's subscriptions could not be listed to price it under one: {message}"),
                ),
                _ => unknown(
                    "NoSubscription",
                    "Azure names no subscription this reservation is billed to, and the customer has no active subscription to price it under.".into(),
                ),
            }
        } else {
            match answered.iter().find(|(a, _)| *a == ask).map(|(_, p)| p) {
                Some(Ok(price)) if price.unit_price.currency == r.unit_price.currency => TodayPrice::Azure {
                    unit_price: price.unit_price,
                    priced_at: desk::source::instant_text(price.priced_at),
                    subscription_id: priced_under.as_ref().map(|(id, _)| id.clone()),
                    priced_under: priced_under.map(|(_, why)| why),
                },
                Some(Ok(price)) => unknown(
                    "OtherCurrency",
                    format!("Azure priced it today in {}, but it is billed in {}.", price.unit_price.currency.code(), r.unit_price.currency.code()),
                ),
                Some(Err(e)) => {
                    tracing::info!(reservation = %r.id, code = %e.code, "today's price could not be asked: {}", e.message);
                    unknown(&e.code, e.message.clone())
                }
                None => unknown("NotAsked", "Today's price was not asked.".into()),
            }
        });
    }
}

/// Reads one tenant: its snapshot (each reservation that could not be read is listed on it with
/// why), or why the tenant could not be read.
async fn read_customer(state: &AppState, reader: &Reader, customer: &Customer, tenant: &str) -> TenantRead {
    let now = state.now();
    let failed = |err: AzureError| {
        tracing::info!(customer = %customer.id, code = %err.code, request = %err.request, "reading the customer's reservations failed: {}", err.message);
        let error = SourceError { code: err.code, message: err.message, status: err.status, at: desk::source::instant_text(now), request: *err.request };
        TenantRead::Failed { customer: customer.clone(), tenant_id: tenant.to_owned(), error }
    };
    let source = match source_of(state) {
        Ok(source) => source,
        Err(err) => return failed(err),
    };
    let store = state.desk.store();
    match source.client.reservations(reader, tenant).await {
        Ok(listed) => {
            // What an earlier read stored: each unchanged, priced order's facts (no request),
            // and a stand-in for an order that cannot be read now.
            let stored = desk::store::Store::reservations_of(store, &customer.id).await.unwrap_or_default();
            let mut units: Listed = HashMap::new();
            for r in listed.iter().filter_map(|r| r.as_ref().ok()) {
                if let Some((order, id)) = r.ids() {
                    let quantity = r.properties.as_ref().and_then(|p| p.quantity).unwrap_or_default();
                    units.entry(order).or_default().push((id, quantity));
                }
            }
            let mut facts = known_orders(&units, &stored);
            let orders = units.keys().filter(|o| !facts.contains_key(*o)).cloned().collect();
            facts.extend(order_facts(&source, reader, tenant, orders, &stored).await);
            let mut reservations = Vec::new();
            let mut billed: HashMap<String, String> = HashMap::new();
            let mut unread = Vec::new();
            for item in listed {
                // The subscription it is billed to: where today's price is asked.
                if let Some((id, scope)) = item.as_ref().ok().and_then(|r| Some((r.ids()?.1, r.properties.as_ref()?.billing_scope_id.clone()?))) {
                    billed.insert(id, scope);
                }
                let read = item.and_then(|r| {
                    let order = r.order_id().and_then(|o| facts.get(&o).cloned()).unwrap_or_else(|| {
                        OrderFacts::unknown(PriceUnknown { code: "NoOrder".into(), message: "Azure's reservation names no reservation order.".into() })
                    });
                    r.to_reservation(&ReadContext { customer_id: customer.id.clone(), order })
                });
                match read {
                    Ok(reservation) => {
                        let arithmetic = quote_engine::expiry_date(reservation.purchase_date, reservation.term);
                        if arithmetic != Some(reservation.expiry_date) {
                            tracing::info!(
                                customer = %customer.id, reservation = %reservation.id, azure = %reservation.expiry_date, arithmetic = ?arithmetic,
                                "Azure's expiry differs from the purchase date plus the term: Azure's is used"
                            );
                        }
                        // The averages as ARM reported them, shown and used as they are: no
                        // daily history is drawn from them (ARM reports averages, not days).
                        let u = reservation.utilization;
                        let level = u.last30_days.and_then(|l| l.round().to_u8()).map(|l| l.min(100));
                        reservations.push((reservation, UsageProfile { level, read: Some(u) }));
                    }
                    Err(why) => {
                        tracing::warn!(customer = %customer.id, reservation = %why.id, code = %why.code, "a reservation Azure listed could not be read: {}", why.message);
                        unread.push(why);
                    }
                }
            }
            todays_prices(&source, reader, tenant, &mut reservations, &billed, now).await;
            TenantRead::Read(CustomerSnapshot { customer: customer.clone(), tenant_id: tenant.to_owned(), reservations, unread, read_at: now })
        }
        Err(err) => failed(err),
    }
}
