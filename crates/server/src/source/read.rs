//! One read of Azure on behalf of a user: Partner Center's customers, then each customer's
//! reservations in its own tenant, a bounded number of tenants at a time, each with its price
//! from its order (each distinct order read once per tenant read). A tenant that fails
//! (403 without a GDAP role there, a timeout, a 5xx, throttling that outlasts the waits) is
//! recorded on that customer and the others go on.

use std::sync::Arc;

use std::collections::HashMap;

use azure_api::order_price::OrderPrice;
use azure_api::reservation::{ReadContext, ReservationResponse};
use azure_client::{AzureError, PartnerCustomer};
use contract::source::{PriceUnknown, RefreshSummary, SourceError, SourceStatus};
use contract::Customer;
use desk::source::{CustomerSnapshot, SourceStore};
use desk::store::Stored;
use desk_service::utilization::{ReadAggregates, UsageProfile};
use rust_decimal::prelude::ToPrimitive;

use super::{Acting, AzureSource};
use crate::state::AppState;

fn source_of(state: &AppState) -> Result<Arc<AzureSource>, AzureError> {
    state.source.clone().ok_or_else(|| AzureError {
        status: None,
        code: "NotAzureMode".into(),
        message: "This desk is not reading Azure (start it with --source azure).".into(),
    })
}

/// Every customer of the partner and each one's reservations, written into the store.
/// `Err` only when Partner Center's customers could not be read (nothing is written then).
pub async fn read_all(state: &AppState, acting: &Acting) -> Result<RefreshSummary, AzureError> {
    let source = source_of(state)?;
    let _one_at_a_time = source.reading.lock().await;
    let partner = source.partner_tenant.clone().or_else(|| acting.tenant.clone()).ok_or_else(|| AzureError {
        status: None,
        code: "NoPartnerTenant".into(),
        message: "The signed-in user's token names no tenant (tid); set AZURE_PARTNER_TENANT_ID.".into(),
    })?;
    let customers = source.client.customers(&acting.obo, &partner).await?;
    let permits = Arc::new(tokio::sync::Semaphore::new(source.concurrency));
    let mut reads = tokio::task::JoinSet::new();
    for customer in customers {
        let Ok(permit) = permits.clone().acquire_owned().await else { break };
        let (state, acting) = (state.clone(), acting.clone());
        reads.spawn(async move {
            let read = read_customer(&state, &acting, &customer_of(&customer), &customer.tenant_id).await;
            drop(permit);
            read
        });
    }
    let mut summary = RefreshSummary::default();
    while let Some(done) = reads.join_next().await {
        match done {
            Ok(true) => summary.read += 1,
            _ => summary.failed += 1,
        }
    }
    Ok(summary)
}

/// One customer read again (its tenant as the last read recorded it); `None` when it was never
/// read from Azure.
pub async fn read_one(state: &AppState, acting: &Acting, customer_id: &str) -> Result<Option<SourceStatus>, desk::StoreError> {
    let store = state.desk.store();
    let (Some(status), Some(customer)) = (store.source_status(customer_id).await?, desk::store::Store::customer(store, customer_id).await?) else {
        return Ok(None);
    };
    read_customer(state, acting, &customer, &status.tenant_id).await;
    store.source_status(customer_id).await
}

fn customer_of(c: &PartnerCustomer) -> Customer {
    Customer { id: c.id.clone(), name: c.company_name.clone(), domain: c.domain.clone(), reservation_count: 0 }
}

/// The price of each distinct order among `listed`, read once: Azure's order when it answers
/// (`azure_api::order_price`); when it cannot be read (403 on the order, a timeout, an unreadable
/// answer), the price an earlier read stored for that order (an order's price never changes),
/// else unknown with Azure's reason — never a zero that would quote a wrong refund.
async fn order_prices(
    source: &AzureSource,
    acting: &Acting,
    tenant: &str,
    listed: &[ReservationResponse],
    stored: &[Stored],
) -> HashMap<String, OrderPrice> {
    use futures::stream::{self, StreamExt};
    let mut orders: Vec<String> =
        listed.iter().filter_map(|r| azure_api::ids::parse_reservation_id(&r.id).and_then(|(order, _)| order)).map(str::to_owned).collect();
    orders.sort_unstable();
    orders.dedup();
    // The distinct orders, a few at once (as tenants are: `--azure-concurrency`). Owned values
    // in each future: the reader runs in a spawned task.
    let read: Vec<(String, OrderPrice)> = stream::iter(orders)
        .map(|order| {
            let (client, obo, tenant) = (source.client.clone(), acting.obo.clone(), tenant.to_owned());
            async move {
                let price = match client.reservation_order(&obo, &tenant, &order).await {
                    Ok(read) => read.price(),
                    Err(err) => OrderPrice::Unknown(PriceUnknown { code: err.code, message: err.message }),
                };
                (order, price)
            }
        })
        .buffer_unordered(source.concurrency)
        .collect()
        .await;
    let mut prices = HashMap::new();
    for (order, price) in read {
        let price = match price {
            // A stored zero is no price (the first stage of Azure mode stored 0 USD for every
            // reservation): only a price above zero stands in.
            OrderPrice::Unknown(why) => match stored
                .iter()
                .map(|(s, _)| s)
                .find(|s| s.reservation_order_id == order && s.price_unknown.is_none() && !s.unit_price.is_zero())
            {
                Some(known) => {
                    tracing::info!(order, code = %why.code, "the order's price could not be read now; the price read before is kept: {}", why.message);
                    OrderPrice::Known { unit_price: known.unit_price, pricing_unit_price: known.pricing_unit_price }
                }
                None => {
                    tracing::info!(order, code = %why.code, "the order's price is unknown: {}", why.message);
                    OrderPrice::Unknown(why)
                }
            },
            known => known,
        };
        prices.insert(order, price);
    }
    prices
}

/// Reads one tenant and writes what it answered; `true` when the reservations were read.
async fn read_customer(state: &AppState, acting: &Acting, customer: &Customer, tenant: &str) -> bool {
    let Some(source) = state.source.clone() else { return false };
    let store = state.desk.store();
    let read = match source.client.reservations(&acting.obo, tenant).await {
        Ok(listed) => {
            // An order's price never changes: what an earlier read stored stands in for an
            // order that cannot be read now.
            let stored = desk::store::Store::reservations_of(store, &customer.id).await.unwrap_or_default();
            let prices = order_prices(&source, acting, tenant, &listed, &stored).await;
            listed
                .iter()
                .map(|r| {
                    let order = azure_api::ids::parse_reservation_id(&r.id).and_then(|(order, _)| order).unwrap_or_default();
                    let price = prices.get(order).cloned().unwrap_or_else(|| {
                        OrderPrice::Unknown(PriceUnknown { code: "NoOrder".into(), message: format!("{:?} names no reservation order.", r.id) })
                    });
                    let context = ReadContext { customer_id: customer.id.clone(), price };
                    let reservation = r.to_reservation(&context).map_err(|message| AzureError {
                        status: None,
                        code: "UnreadableReservation".into(),
                        message,
                    })?;
                    // The averages as ARM reported them; the daily history the detail shows is
                    // drawn around the 30-day one.
                    let u = &reservation.utilization;
                    let read = ReadAggregates { last1_day: u.last1_day, last7_days: u.last7_days, last30_days: u.last30_days };
                    let level = u.last30_days.round().to_u8().map(|l| l.min(100));
                    Ok::<Stored, AzureError>((reservation, UsageProfile { level, read: Some(read) }))
                })
                .collect::<Result<Vec<_>, _>>()
        }
        Err(err) => Err(err),
    };
    let now = state.now();
    let written = match read {
        Ok(reservations) => {
            let snapshot = CustomerSnapshot { customer: customer.clone(), tenant_id: tenant.to_owned(), reservations, read_at: now };
            return match store.write_snapshot(&snapshot).await {
                Ok(()) => true,
                Err(err) => {
                    tracing::error!(customer = %customer.id, error = %err, "writing what Azure answered failed");
                    false
                }
            };
        }
        Err(err) => {
            tracing::info!(customer = %customer.id, code = %err.code, "reading the customer's reservations failed: {}", err.message);
            let error = SourceError { code: err.code, message: err.message, status: err.status, at: desk::source::instant_text(now) };
            store.record_read_failure(customer, tenant, &error).await
        }
    };
    if let Err(err) = written {
        tracing::error!(customer = %customer.id, error = %err, "recording a failed read failed");
    }
    false
}
