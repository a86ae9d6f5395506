//! The partner's worklist (`GET /worklist`) and the team's state on its rows
//! (`PATCH /worklist/{workItemId}`): every customer the caller sees, from what the store keeps
//! (in Azure mode, the last read: never a call to Azure), in a few whole-book reads. The rows
//! and their figures are `desk_service::worklist`'s.

use std::collections::{HashMap, HashSet};

use contract::{AuditAction, ChangeDetail, DataSource, Reservation, WorkItem, WorkItemPatch, WorkMarked, Worklist, WorklistQuery};
use desk_service::worklist::{self, CustomerBook};
use desk_service::{limit, recommendations, utilization};

use super::{audit_entry, timestamp, Acting, Desk};
use crate::{DeskError, DeskStore, Ids};

/// What a row ID that is not listed answers (also for a customer the caller does not see).
pub(super) fn no_work_item(id: &str) -> DeskError {
    DeskError::not_found(format!("No worklist row '{id}' is listed today: its cause is gone, or it never was one."))
}

impl<S: DeskStore, I: Ids> Desk<S, I> {
    /// Every row of the customers `acting` sees as of the call's day, all open, unranked; and
    /// whether the recommendations' savings were counted.
    async fn work_rows(&self, acting: &Acting) -> Result<(Vec<WorkItem>, HashSet<String>, bool), DeskError> {
        let customers = self.visible_customers(acting).await?;
        self.work_rows_of(customers, acting.call.today()).await
    }

    /// Every row of `customers` as of `today` (see [`Self::work_rows`]).
    async fn work_rows_of(&self, customers: Vec<contract::Customer>, today: chrono::NaiveDate) -> Result<(Vec<WorkItem>, HashSet<String>, bool), DeskError> {
        let seen: HashSet<String> = customers.iter().map(|c| c.id.clone()).collect();
        let mut reservations: HashMap<String, Vec<(Reservation, desk_service::utilization::UsageProfile)>> = HashMap::new();
        // One customer (a row being marked) is read alone; more, the whole book at once.
        let (book, all_ledgers) = match customers.as_slice() {
            [one] => (self.store.reservations_of(&one.id).await?, self.store.ledger(&one.id).await?),
            _ => (self.store.book().await?, self.store.ledgers().await?),
        };
        for (r, usage) in book {
            if !seen.contains(&r.customer_id) {
                continue;
            }
            // The customer's ID is copied once per customer, not once per reservation.
            match reservations.get_mut(&r.customer_id) {
                Some(listed) => listed.push((r, usage)),
                None => {
                    reservations.insert(r.customer_id.clone(), vec![(r, usage)]);
                }
            }
        }
        let mut ledgers: HashMap<String, Vec<limit::LedgerEntry>> = HashMap::new();
        for entry in all_ledgers {
            ledgers.entry(entry.customer_id.clone()).or_default().push(entry);
        }
        let azure = self.settings.source == DataSource::Azure;
        let gdap: HashMap<String, contract::gdap::GdapStatus> =
            crate::gdap::GdapStore::gdap_statuses(&self.store).await?.into_iter().map(|g| (g.customer_id.clone(), g)).collect();
        let readiness: HashMap<String, contract::source::CustomerReadiness> = if azure {
            self.readiness_of(&customers, today).await?.into_iter().map(|r| (r.customer_id.clone(), r)).collect()
        } else {
            HashMap::new()
        };
        let threshold = self.alert_thresholds.utilization_percent;
        let mut rows = Vec::new();
        for customer in &customers {
            let stored = reservations.remove(&customer.id).unwrap_or_default();
            let mut ledger = ledgers.remove(&customer.id).unwrap_or_default();
            ledger.sort_by_key(|e| e.date);
            let limit = limit::refund_limit(&ledger, today)?;
            // Local mode's recommendations are the desk's own, from the usage it holds; in Azure
            // mode they are Azure's, read on a customer's page and not kept: not counted here.
            let savings = if azure {
                None
            } else {
                // Its recommendations are for the shared scope, which needs none of the customer's scopes.
                let currency = stored.first().map_or(quote_engine::Currency::USD, |(r, _)| r.unit_price.currency);
                let found = recommendations::of_customer(&customer.id, &stored, &[], currency, contract::LookBackPeriod::Last30Days, today)?;
                // One purchase per SKU and region, as the savings count them.
                let mut skus: Vec<&str> = found.iter().filter(|r| r.refusal.is_none() && r.savings_per_year.amount > rust_decimal::Decimal::ZERO).map(|r| r.sku_id.as_str()).collect();
                skus.sort_unstable();
                skus.dedup();
                let counted = u32::try_from(skus.len()).unwrap_or(u32::MAX);
                Some((recommendations::savings_on_the_table(&found, currency)?, counted))
            };
            let listed: Vec<Reservation> = stored.into_iter().map(|(r, usage)| utilization::with_aggregates(r, usage, today)).collect();
            let book = CustomerBook { customer, reservations: &listed, limit: &limit, gdap: gdap.get(&customer.id), readiness: readiness.get(&customer.id), savings };
            rows.extend(worklist::customer_rows(&book, today, threshold)?);
        }
        Ok((rows, seen, !azure))
    }

    /// `GET /worklist`: the rows of the customers `acting` sees, the team's state applied, most
    /// at stake first, with the campaign's totals; those of the state `query` asks for, and its
    /// page of them. The states of rows whose cause is gone (of those customers) are forgotten,
    /// so a cause that returns starts open.
    pub async fn worklist(&self, acting: &Acting, query: WorklistQuery) -> Result<Worklist, DeskError> {
        let (rows, seen, savings_counted) = self.work_rows(acting).await?;
        let marks: HashMap<String, contract::WorkMark> = self.store.work_marks().await?.into_iter().map(|m| (m.id.clone(), m)).collect();
        let customers: HashSet<&str> = seen.iter().map(String::as_str).collect();
        let gone = worklist::orphaned_marks(&rows, marks.values(), &customers);
        self.store.forget_work_marks(&gone).await?;
        Ok(worklist::worklist(rows, &marks, acting.call.today(), savings_counted, query)?)
    }

    /// The sender's view for the alerts digest (no caller): the open rows of `customer_ids` as
    /// of `now`'s day, most at stake first, at most `top`; and how many open rows they have.
    pub async fn worklist_top(&self, now: chrono::DateTime<chrono::Utc>, customer_ids: &[String], top: usize) -> Result<(Vec<WorkItem>, usize), DeskError> {
        let customers: Vec<contract::Customer> = self.store.customers().await?.into_iter().filter(|c| customer_ids.contains(&c.id)).collect();
        let today = now.date_naive();
        let (rows, _, savings_counted) = self.work_rows_of(customers, today).await?;
        let marks: HashMap<String, contract::WorkMark> = self.store.work_marks().await?.into_iter().map(|m| (m.id.clone(), m)).collect();
        let open = WorklistQuery { state: Some(contract::WorkState::Open), ..WorklistQuery::default() };
        let list = worklist::worklist(rows, &marks, today, savings_counted, open)?;
        let count = list.items.len();
        Ok((list.items.into_iter().take(top).collect(), count))
    }

    /// `PATCH /worklist/{workItemId}`: sets the team's state on a row listed today, audited.
    pub async fn mark_work_item(&self, acting: &Acting, id: &str, patch: WorkItemPatch) -> Result<WorkItem, DeskError> {
        // Only the customer the row ID names is computed (the grant check read the same).
        let customer = WorkItem::customer_of(id).ok_or_else(|| no_work_item(id))?;
        let customers: Vec<contract::Customer> = self.visible_customers(acting).await?.into_iter().filter(|c| c.id == customer).collect();
        let (rows, _, _) = self.work_rows_of(customers, acting.call.today()).await?;
        let mut item = rows.into_iter().find(|r| r.id == id).ok_or_else(|| no_work_item(id))?;
        let call = &acting.call;
        let marked = WorkMarked { by: call.user.user_principal_name.clone(), at: timestamp(call.now) };
        let mark = worklist::mark(&item, &patch, call.today(), marked)?;
        let detail = ChangeDetail::WorkItemMarked {
            reason: item.reason,
            reservation_name: item.reservation_name.clone(),
            state: mark.state,
            snoozed_until: mark.snoozed_until,
            owner: mark.owner.clone(),
            note: mark.note.clone(),
        };
        let mut words = format!("{} {:?}", item.reason.as_str(), mark.state).to_lowercase();
        if let Some(until) = mark.snoozed_until {
            words.push_str(&format!(" until {until}"));
        }
        if let Some(owner) = &mark.owner {
            words.push_str(&format!("; owner {owner}"));
        }
        let audit = audit_entry(call, AuditAction::MarkWorkItem.code(), format!("worklist/{id}"), Some(item.customer_id.clone()), words, detail);
        self.store.set_work_mark(&mark, call.now, &audit).await?;
        worklist::apply_marks(std::slice::from_mut(&mut item), &HashMap::from([(mark.id.clone(), mark)]), call.today());
        Ok(item)
    }
}
