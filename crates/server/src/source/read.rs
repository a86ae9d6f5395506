//! One read of Azure on behalf of a user: Partner Center's customers, then each customer's
//! reservations in its own tenant, a bounded number of tenants at a time. A tenant that fails
//! (403 without a GDAP role there, a timeout, a 5xx, throttling that outlasts the waits) is
//! recorded on that customer and the others go on.

use std::sync::Arc;

use azure_api::reservation::ReadContext;
use azure_client::{AzureError, PartnerCustomer};
use contract::source::{RefreshSummary, SourceError, SourceStatus};
use contract::Customer;
use desk::source::{CustomerSnapshot, SourceStore};
use desk::store::Stored;
use desk_service::utilization::{ReadAggregates, UsageProfile};
use quote_engine::{Currency, Money};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

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

/// Reads one tenant and writes what it answered; `true` when the reservations were read.
async fn read_customer(state: &AppState, acting: &Acting, customer: &Customer, tenant: &str) -> bool {
    let Some(source) = state.source.clone() else { return false };
    let store = state.desk.store();
    let read = source.client.reservations(&acting.obo, tenant).await.and_then(|listed| {
        // ARM's reservation carries no price; until orders are read (the next stage), the unit
        // price is recorded as zero in USD.
        let context = ReadContext { customer_id: customer.id.clone(), unit_price: Money::new(Decimal::ZERO, Currency::USD) };
        listed
            .iter()
            .map(|r| {
                let reservation = r.to_reservation(&context).map_err(|message| AzureError {
                    status: None,
                    code: "UnreadableReservation".into(),
                    message,
                })?;
                // The averages as ARM reported them; the daily history the detail shows is drawn
                // around the 30-day one.
                let u = &reservation.utilization;
                let read = ReadAggregates { last1_day: u.last1_day, last7_days: u.last7_days, last30_days: u.last30_days };
                let level = u.last30_days.round().to_u8().map(|l| l.min(100));
                Ok::<Stored, AzureError>((reservation, UsageProfile { level, read: Some(read) }))
            })
            .collect::<Result<Vec<_>, _>>()
    });
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
