//! The customer's Savings plans in Azure mode: the plans the customer holds in Azure
//! (Microsoft.BillingBenefits 2022-11-01, `azure_client::AzureClient::savings_plans`), never the
//! desk's own records nor the demo's. Each customer's plans are read with the book (`read.rs`,
//! after its reservations, within the same bounds on requests in flight) and kept in memory
//! (`azure_source::HeldPlans`): the list (`ListSavingsPlans`, `savings_plan_list.rs`) answers what the last read found, or reads the
//! customer's tenant now on behalf of the signed-in user when no read kept any (after a start).
//! A plan Azure listed that cannot be read is left out, its reason logged and counted; the others
//! are listed. When Azure could not be read, the list answers Azure's error (its code, message
//! and request IDs: `upstreamForbidden`, `upstreamRefused` or `upstreamUnavailable`).

use azure_client::Reader;
use chrono::{DateTime, Utc};

use super::azure_source::{AzureSource, PlansRead};

/// The customers whose savings plans a desk answer (an exchange's, or an approval's that carried
/// one out) says were bought.
pub fn bought_for(body: &str) -> Vec<String> {
    let Ok(answer) = serde_json::from_str::<serde_json::Value>(body) else { return Vec::new() };
    let plans = answer.get("savingsPlans").or_else(|| answer.pointer("/outcome/savingsPlans"));
    let mut customers: Vec<String> =
        plans.and_then(|p| p.as_array()).into_iter().flatten().filter_map(|p| p.get("customerId").and_then(|c| c.as_str()).map(str::to_owned)).collect();
    customers.dedup();
    customers
}

/// Reads `customer_id`'s plans in `tenant` as `reader`, and keeps what was read (or why not).
pub async fn read(source: &AzureSource, reader: &Reader, customer_id: &str, tenant: &str, now: DateTime<Utc>) -> PlansRead {
    let read = match source.client.savings_plans(reader, tenant).await {
        Ok(listed) => {
            let mut plans = Vec::new();
            let mut unread = 0;
            for item in listed {
                match item.and_then(|held| {
                    let mut plan = held.read.to_plan(customer_id)?;
                    if let Some(facts) = plan.azure.as_mut() {
                        facts.renewal_unknown = held.renewal_unknown;
                    }
                    Ok(plan)
                }) {
                    Ok(plan) => plans.push(plan),
                    Err(why) => {
                        unread += 1;
                        tracing::warn!(customer = %customer_id, plan = %why.id, code = %why.code, "a savings plan Azure listed could not be read and is left out: {}", why.message);
                    }
                }
            }
            plans.sort_by(|a, b| b.start_date.cmp(&a.start_date).then_with(|| a.id.cmp(&b.id)));
            Ok((plans, unread))
        }
        Err(err) => {
            tracing::info!(customer = %customer_id, code = %err.code, request = %err.request, "reading the customer's savings plans failed: {}", err.message);
            Err(err)
        }
    };
    let read = PlansRead { at: now, read };
    source.plans.keep(customer_id, read.clone());
    read
}

