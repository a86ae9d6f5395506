//! Exchanges through Azure (Azure mode): the desk's steps around the [`Upstream`]
//! port, as refunds (`upstream_refund.rs`) with the same stored state machine
//! (`upstream_moves.rs`). Review asks Azure's `calculateExchange` of the returns and of the
//! reservations the desk would buy (its plan: SKU, region, term, billing plan, units, scope),
//! beside the desk's quote, and keeps Azure's session (`quoted`). Submit runs the desk's checks
//! (the session, not expired, its quote recomputed from the stored reservations) and Azure's
//! (its policy errors), claims the session once (`asked`), posts `exchange` with Azure's
//! session, keeps the operation's URL (`sent`), follows it and records the exchange from Azure's
//! answer in one transaction (`succeeded`): the returned units as ARM now has them, the desk's
//! planned purchases under the IDs Azure gave them. A trade-in is the same exchange with
//! `savingsPlansToPurchase`: the plans the desk planned (the hourly commitment the user asked
//! for, never a figure of the client's) go to Azure, Azure's figure for each plan is shown
//! beside the desk's, and the plans are recorded under the savings plan IDs Azure's exchange
//! answered. An exchange does not count toward the refund limit, in Azure as in the desk.
//!
//! [`Upstream`]: crate::upstream::Upstream

use chrono::{DateTime, Utc};
use contract::AuditAction;
use contract::{
    AuditEntry, AzureExchangeCheck, AzurePolicyError, ExchangeDifference, ExchangeFigure, ExchangeOutcome, ExchangeResponse, ProblemCode,
    ProvisioningState, Reservation, SavingsPlan,
};
use quote_engine::api::ExchangeQuoteResponse;
use quote_engine::Money;

use super::money::{bought_through_azure, expired};
use super::upstream_moves::{in_progress, problem, who, Carrying, Settled};
use super::{no_exchange_session, timestamp, Desk, Note};
use crate::store::{Decision, ExchangeSession, ExchangeView, ExchangeWrite, Move};
use crate::upstream::{
    AzureExchange, Bought, Confirmed, Detail, ExchangeDetail, ExchangeLine, OnBehalf, Target, UpstreamOperation, UpstreamState,
};
use crate::{Call, DeskError, Ids};

/// Why a reservation an exchange bought beside other purchases has no price of its own yet.
const SEVERAL_BOUGHT: &str = "Azure answered one total for the exchange's purchases, not the price of each: today's price is asked at the next read of the customer.";
const BOUGHT_MONTHLY: &str = "The exchange bought it billed monthly: Azure's total for the purchase is what is due now, not the term's price; today's price is asked at the next read of the customer.";

fn differs(figure: ExchangeFigure, desk: &Money, azure: &Money) -> Option<ExchangeDifference> {
    (desk != azure).then_some(ExchangeDifference { figure, desk: *desk, azure: *azure })
}

/// Azure's figures beside the desk's exchange quote, each difference named.
pub fn exchange_check_of(quote: &ExchangeQuoteResponse, azure: &AzureExchange) -> AzureExchangeCheck {
    AzureExchangeCheck {
        net_payable: azure.net_payable,
        refunds_total: azure.refunds_total,
        purchases_total: azure.purchases_total,
        policy_errors: azure.policy_errors.iter().map(|(code, message)| AzurePolicyError { code: code.clone(), message: message.clone() }).collect(),
        savings_plans: azure.savings_plans.clone(),
        differences: [
            differs(ExchangeFigure::NetPayable, &quote.net_payable, &azure.net_payable),
            differs(ExchangeFigure::RefundsTotal, &quote.refunds_total, &azure.refunds_total),
            differs(ExchangeFigure::PurchasesTotal, &quote.purchases_total, &azure.purchases_total),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// Azure's policy: any of its errors refuses the exchange.
fn azure_allows(check: &AzureExchangeCheck) -> Result<(), DeskError> {
    if check.policy_errors.is_empty() {
        return Ok(());
    }
    let said: Vec<String> = check.policy_errors.iter().map(|e| format!("{}: {}", e.code, e.message)).collect();
    Err(problem(ProblemCode::PolicyRefused, format!("Azure's exchange policy refuses this exchange ({}).", said.join("; "))))
}

fn not_exchanged(why: &str) -> DeskError {
    problem(ProblemCode::UpstreamRefused, format!("Azure did not make the exchange: {why}"))
}

fn line_target<'a>(op: &'a UpstreamOperation, line: &'a ExchangeLine) -> Target<'a> {
    Target { tenant_id: &op.tenant_id, order_id: &line.order_id, reservation_id: &line.reservation_id }
}

/// The desk's planned savings plans under the IDs Azure gave them (in the request's order);
/// none when Azure named a different number (they appear when Microsoft.BillingBenefits is read).
fn plans_under_azures_ids(planned: &[SavingsPlan], bought: &[&Bought]) -> Vec<SavingsPlan> {
    if bought.len() != planned.len() {
        return Vec::new();
    }
    planned
        .iter()
        .zip(bought)
        .map(|(p, b)| SavingsPlan { id: b.reservation_id.clone(), savings_plan_order_id: b.order_id.clone(), ..p.clone() })
        .collect()
}

/// The desk's planned purchases under the IDs Azure gave them (in the request's order); none
/// when Azure named a different number (they appear when the customer is read again).
fn under_azures_ids(planned: &[Reservation], bought: &[&Bought]) -> Vec<Reservation> {
    if bought.len() != planned.len() {
        return Vec::new();
    }
    planned
        .iter()
        .zip(bought)
        .map(|(r, b)| Reservation { id: b.reservation_id.clone(), reservation_order_id: b.order_id.clone(), ..r.clone() })
        .collect()
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Review in Azure mode: Azure's `calculateExchange` of `lines` for `planned` (and, a
    /// trade-in, `planned_plans`) in the customer's tenant, on behalf of the caller; kept with the
    /// session (`quoted`).
    pub(super) async fn azure_exchange_check(
        &self, call: &Call, session: &ExchangeSession, lines: Vec<ExchangeLine>, planned: Vec<Reservation>, planned_plans: Vec<SavingsPlan>, customer_id: &str,
    ) -> Result<AzureExchangeCheck, DeskError> {
        self.connected()?;
        let who = who(call)?;
        let status = self.store.source_status(customer_id).await?.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, format!("Customer {customer_id} was not read from Azure: refresh it before an exchange."))
        })?;
        let answered = self.upstream.calculate_exchange(who, &status.tenant_id, &lines, &planned, &planned_plans).await;
        self.note_refusal(customer_id, answered.as_ref().err(), call.now).await;
        let azure = answered.map_err(|e| e.problem("could not calculate the exchange"))?;
        let check = exchange_check_of(&session.quote, &azure);
        let azure_session_id = azure.session_id.clone();
        let detail = Detail::Exchange(Box::new(ExchangeDetail {
            customer_id: customer_id.to_owned(),
            lines,
            planned,
            planned_plans,
            quote: session.quote.clone(),
            azure,
            check: check.clone(),
            note: String::new(),
            approvers: None,
            ticket_reference: None,
        }));
        self.keep_quoted(call, "exchange", &session.id, &azure_session_id, status.tenant_id, detail).await?;
        Ok(check)
    }

    /// Submit in Azure mode (see the module's doc).
    pub(super) async fn exchange_through_azure(&self, call: &Call, session_id: &str, note: Note) -> Result<ExchangeOutcome, DeskError> {
        self.connected()?;
        let who = who(call)?;
        // The desk's checks, read in the exchange's transaction (nothing is written there): the
        // session, not expired, its quote recomputed from the stored reservations; an answer
        // already given is given again.
        let checked = self
            .store
            .exchange(session_id, |view: ExchangeView| {
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(Err(done)));
                }
                let session = view.session.ok_or_else(|| no_exchange_session(session_id))?;
                if call.now > session.expires_at {
                    return Err(expired("exchange"));
                }
                self.exchange_write(call, session, view.reservations, &view.scopes, None, note.clone())?;
                Ok(Decision::Answer(Ok(())))
            })
            .await;
        let op = self.store.upstream_of_session(session_id).await?.filter(|o| o.detail.exchanged().is_some());
        match (checked, &op) {
            (Ok(Err(done)), _) => return Ok(ExchangeOutcome::Done(done)),
            // Claimed before: its state answers (an unfinished one is resumed, never posted again).
            (_, Some(op)) if op.state != UpstreamState::Quoted => return self.answer_exchange_claimed(call.now, who, op.clone()).await,
            (Err(e), _) => return Err(e),
            (Ok(Ok(())), _) => {}
        }
        let op = op.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, "Azure has not calculated this exchange (the session was made without it). Calculate the exchange again.")
        })?;
        self.carry_exchange(call, who, op, note, None).await
    }

    /// Carries a `quoted` exchange to Azure: Azure's policy checked, each returned reservation's
    /// units read from ARM (what a reconciliation compares with: never the desk's cache), the
    /// session claimed once, `exchange` posted, followed and recorded; `note` is added to its
    /// audit entry.
    pub(super) async fn carry_exchange(
        &self, call: &Call, who: &OnBehalf, op: UpstreamOperation, note: Note, approval: Option<&str>,
    ) -> Result<ExchangeOutcome, DeskError> {
        let quoted = op.detail.exchanged().cloned().ok_or_else(|| in_progress("exchange"))?;
        azure_allows(&quoted.check)?;
        let mut lines = Vec::new();
        for line in &quoted.lines {
            let units = match self.upstream.quantity(who, line_target(&op, line)).await {
                Ok(Some(units)) => units,
                Ok(None) => return Err(not_exchanged(&format!("Azure has no reservation {} now; refresh the customer.", line.reservation_id))),
                Err(e) => return Err(e.problem("could not be read before the exchange")),
            };
            lines.push(ExchangeLine { quantity_before: Some(units), ..line.clone() });
        }
        let op = match self.claim(call, op, Detail::Exchange(Box::new(ExchangeDetail {
            lines,
            note: note.names,
            ticket_reference: note.ticket_reference,
            approvers: note.approvers,
            ..quoted
        })), approval).await? {
            Ok(claimed) => claimed,
            Err(before) => return self.answer_exchange_claimed(call.now, who, before).await,
        };
        // While this request carries it, a second submit of the session (or the resumer) in this
        // process leaves it alone.
        let _carrying = Carrying::start(&self.in_flight, &op.desk_session_id);
        let started = self.upstream.start_exchange(who, &op.tenant_id, &op.azure_session_id).await;
        let session_id = op.desk_session_id.clone();
        self.carry_on(call.now, who, op, started).await?;
        self.exchange_recorded(&session_id).await
    }

    /// What a claimed exchange answers now: what it did, its error, or that it is in progress.
    pub(super) async fn answer_exchange_claimed(&self, now: DateTime<Utc>, who: &OnBehalf, op: UpstreamOperation) -> Result<ExchangeOutcome, DeskError> {
        let session_id = op.desk_session_id.clone();
        match self.settle(now, who, op).await? {
            Settled::Succeeded => self.exchange_recorded(&session_id).await,
            Settled::Failed(why) => Err(not_exchanged(&why)),
            Settled::Running => Err(in_progress("exchange")),
        }
    }

    /// The exchange recorded for a session.
    async fn exchange_recorded(&self, session_id: &str) -> Result<ExchangeOutcome, DeskError> {
        let done = self.store.exchange(session_id, |view: ExchangeView| Ok(Decision::Answer(view.completed))).await?;
        done.map(ExchangeOutcome::Done)
            .ok_or_else(|| DeskError::Store(crate::StoreError(format!("session {session_id} succeeded in Azure but has no exchange"))))
    }

    /// Records an exchange Azure confirmed: each returned reservation's units as ARM now has
    /// them, the planned purchases under Azure's IDs, Azure's figures, and the audit entry with
    /// who asked, what Azure answered and the operation's URL; the operation marked `succeeded`
    /// in the same transaction.
    pub(super) async fn record_exchange(
        &self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, d: &ExchangeDetail, bought: Vec<Bought>,
    ) -> Result<(), DeskError> {
        let mut returns = Vec::new();
        let mut returned = Vec::new();
        let mut moves: Vec<Move> = Vec::new();
        let mut units = Vec::new();
        let asked_by = op.requested_by.clone().unwrap_or_default();
        for line in &d.lines {
            let before = line.quantity_before.unwrap_or(line.quantity);
            let (left, read) = match self.upstream.quantity(who, line_target(op, line)).await {
                Ok(found) => (found.unwrap_or(0), "as Azure now has it"),
                Err(_) => (before.saturating_sub(line.quantity), "computed: Azure could not be read"),
            };
            let state = if left == 0 { ProvisioningState::Cancelled } else { ProvisioningState::Succeeded };
            units.push(contract::UnitsMoved { quantity_before: before, quantity_after: left });
            returns.push((line.order_id.clone(), line.reservation_id.clone(), left, state));
            moves.push(Move {
                order_id: line.order_id.clone(),
                reservation_id: line.reservation_id.clone(),
                action: AuditAction::Exchange.code().into(),
                time: timestamp(now),
                actor: asked_by.clone(),
                change: format!("returned {} in an exchange through Azure: quantity {before} → {left} ({read})", super::counted(before.saturating_sub(left), "unit")),
                quantity_before: before,
                quantity: left,
                state,
                ticket_reference: d.ticket_reference.clone(),
                detail: None,
            });
            returned.push(format!("{}/{} {before} → {left} ({read})", line.order_id, line.reservation_id));
        }
        let (plans_bought, reservations_bought): (Vec<&Bought>, Vec<&Bought>) = bought.iter().partition(|b| b.savings_plan);
        // Today's price is the one Azure charged when the exchange bought one reservation upfront
        // (its purchases total); Azure gives no price of each when it bought several, and billed
        // monthly its total is what is due now. Utilization is not reported until Azure reports
        // it. Never the demo's.
        let paid = match (d.planned.as_slice(), d.planned_plans.is_empty()) {
            ([one], true) if one.billing_plan == quote_engine::BillingPlan::Upfront => Ok(d.azure.purchases_total),
            ([_], true) => Err(BOUGHT_MONTHLY),
            _ => Err(SEVERAL_BOUGHT),
        };
        let kept: Vec<_> = under_azures_ids(&d.planned, &reservations_bought).into_iter().map(|r| bought_through_azure(r, paid, now)).collect();
        let purchased: Vec<contract::Reservation> = kept.iter().map(|(r, _)| r.clone()).collect();
        let plans = plans_under_azures_ids(&d.planned_plans, &plans_bought);
        let order_id = purchased.first().map(|r| r.reservation_order_id.clone()).unwrap_or_default();
        let azure = &d.azure;
        let mut bought_text = if purchased.is_empty() && d.planned.is_empty() {
            "bought no reservation".to_owned()
        } else if purchased.is_empty() {
            "Azure named no purchases in its answer: they appear when the customer is read again".to_owned()
        } else {
            let ids: Vec<&str> = purchased.iter().map(|r| r.id.as_str()).collect();
            format!("bought {} in order {order_id} ({})", purchased.len(), ids.join(", "))
        };
        // A trade-in: each savings plan with its commitment (the one asked for) and term, under
        // Azure's savings plan order and ID, and Azure's figure for it.
        if !d.planned_plans.is_empty() {
            let said: Vec<String> = if plans.is_empty() {
                vec!["Azure named no savings plan in its answer: it appears when the customer's savings plans are read".to_owned()]
            } else {
                plans
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let total = azure.savings_plans.get(i).cloned().flatten().map_or_else(|| "not given".to_owned(), |m| m.to_string());
                        format!(
                            "savings plan {} in savings plan order {} ({}, {} {} per hour, {:?}; Azure's total {total})",
                            p.id, p.savings_plan_order_id, p.sku_name, p.commitment.currency_code, p.commitment.amount, p.term
                        )
                    })
                    .collect()
            };
            bought_text = format!("{bought_text}; traded in for {}", said.join(", "));
        }
        let url = op.poll.as_ref().map_or("none (Azure answered at once)", |p| p.url.as_str());
        let change = format!(
            "exchanged through Azure: returned {}; {bought_text}; Azure: net payable {} (refunds {}, purchases {}; the desk quoted net payable {}); \
             asked by {asked_by}; Azure session {}; Azure operation {url}; session {}{}",
            returned.join(", "),
            azure.net_payable,
            azure.refunds_total,
            azure.purchases_total,
            d.quote.net_payable,
            op.azure_session_id,
            op.desk_session_id,
            d.note
        );
        let quote = ExchangeQuoteResponse {
            net_payable: azure.net_payable,
            refunds_total: azure.refunds_total,
            purchases_total: azure.purchases_total,
            ..d.quote.clone()
        };
        let orders = super::exchange_orders(returns.iter().map(|(order, ..)| order.as_str()).chain(purchased.iter().map(|r| r.reservation_order_id.as_str())));
        let detail_of = |returned: Vec<contract::UnitsMoved>| contract::ChangeDetail::Exchange {
            returned,
            net_payable: azure.net_payable,
            bought: purchased.iter().map(contract::Bought::of).collect(),
            savings_plans: plans.iter().map(contract::BoughtSavingsPlan::with_azure_ids).collect(),
            orders: orders.clone(),
            refunds_total: Some(azure.refunds_total),
            purchases_total: Some(azure.purchases_total),
            approval: d.approvers.clone(),
            statement: Vec::new(),
            through_azure: true,
        };
        // The statement's lines: Azure's totals shared out over each return and purchase, from the
        // reservations as the desk holds them before the exchange is written.
        let mut before_return = Vec::new();
        for (line, u) in d.lines.iter().zip(&units) {
            if let Some((r, _)) = self.store.reservation(&line.order_id, &line.reservation_id).await? {
                before_return.push((r, u.returned()));
            }
        }
        let time = timestamp(now);
        let price = self.price_in_force(&d.customer_id).await?;
        let statement = super::pricing::exchange_statement(
            &super::pricing::Recorded { time: &time, price: price.as_ref() },
            &before_return.iter().map(|(r, n)| (r, *n)).collect::<Vec<_>>(),
            &purchased,
            &plans,
            &d.quote,
            (azure.refunds_total, azure.purchases_total),
            &orders,
        );
        // Each returned reservation's History row: its own line, and what the exchange bought.
        for (m, u) in moves.iter_mut().zip(&units) {
            m.detail = Some(detail_of(vec![*u]));
        }
        let detail = detail_of(units);
        let response = ExchangeResponse { session_id: op.desk_session_id.clone(), reservation_order_id: order_id, purchased: purchased.clone(), quote, savings_plans: plans.clone() };
        let write = ExchangeWrite {
            moves,
            returns,
            purchased: kept,
            savings_plans: plans,
            response,
            at: now,
            audit: AuditEntry {
                time: timestamp(now),
                actor: asked_by,
                actor_id: None,
                actor_name: None,
                action: AuditAction::Exchange.code().into(),
                target: format!("exchange/{}", op.desk_session_id),
                customer_id: Some(d.customer_id.clone()),
                change,
                ledger: Vec::new(),
                ticket_reference: d.ticket_reference.clone(),
                detail: Some(super::pricing::with_statement(detail, statement)),
            },
        };
        self.store.finish_upstream(&op.id, Confirmed::Exchange(&write)).await?;
        Ok(())
    }

    /// Reconciles an `asked` exchange by reading its returned reservations from ARM: if units
    /// left one of them (an exchange is made whole or not at all), Azure has it and it is
    /// recorded from what ARM shows (its purchases appear when the customer is read again); if
    /// not, it failed, with a reason the user sees.
    pub(super) async fn reconcile_exchange(&self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, d: &ExchangeDetail) -> Result<(), DeskError> {
        let mut reached = false;
        for line in &d.lines {
            let before = line.quantity_before.unwrap_or(line.quantity);
            match self.upstream.quantity(who, line_target(op, line)).await {
                Ok(left) => reached |= left.unwrap_or(0) + line.quantity <= before,
                Err(e) => return Err(e.problem("could not be read to reconcile the exchange")),
            }
        }
        if reached {
            return self.record_exchange(now, who, op, d, Vec::new()).await;
        }
        let reason = "The desk stopped before Azure answered this exchange, and Azure shows the returned reservations unchanged, so nothing was \
                      exchanged. Calculate the exchange again.";
        self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(reason), now).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::Currency;
    use rust_decimal::Decimal;

    fn usd(n: &str) -> Money {
        Money::new(n.parse::<Decimal>().unwrap(), Currency::USD)
    }

    fn azure(net: &str, refunds: &str, purchases: &str) -> AzureExchange {
        AzureExchange { session_id: "s".into(), net_payable: usd(net), refunds_total: usd(refunds), purchases_total: usd(purchases), policy_errors: Vec::new(), savings_plans: Vec::new() }
    }

    fn quote() -> ExchangeQuoteResponse {
        serde_json::from_value(serde_json::json!({
            "netPayable": {"amount": "1000.00", "currencyCode": "USD"},
            "refundsTotal": {"amount": "2000.00", "currencyCode": "USD"},
            "purchasesTotal": {"amount": "3000.00", "currencyCode": "USD"},
            "remainingCommitmentTotal": {"amount": "0", "currencyCode": "USD"},
            "newCommitmentTotal": {"amount": "0", "currencyCode": "USD"},
            "isValidExchange": true,
            "policyResult": {"policyErrors": []},
            "lines": []
        }))
        .unwrap_or_else(|e| panic!("an exchange quote: {e}"))
    }

    #[test]
    fn each_exchange_figure_that_differs_is_named_and_azures_policy_errors_refuse() {
        let same = exchange_check_of(&quote(), &azure("1000", "2000.00", "3000.0"));
        assert!(same.differences.is_empty(), "the same figures written otherwise: {same:?}");
        assert!(azure_allows(&same).is_ok());
        let other = exchange_check_of(&quote(), &azure("1000.01", "1999.99", "3000.00"));
        let named: Vec<ExchangeFigure> = other.differences.iter().map(|d| d.figure).collect();
        assert_eq!(named, vec![ExchangeFigure::NetPayable, ExchangeFigure::RefundsTotal]);
        let mut refused = azure("1000", "2000", "3000");
        refused.policy_errors.push(("ExchangeRefundExceedsPurchase".into(), "buy more".into()));
        let err = azure_allows(&exchange_check_of(&quote(), &refused)).unwrap_err();
        assert_eq!(err.problem().code, ProblemCode::PolicyRefused);
        assert!(err.problem().detail.contains("ExchangeRefundExceedsPurchase: buy more"), "{err:?}");
    }

    #[test]
    fn planned_purchases_take_azures_ids_only_when_azure_names_each_one() {
        let r: Reservation = serde_json::from_value(serde_json::json!({
            "id": "desk-id", "reservationOrderId": "desk-order", "customerId": "c", "displayName": "new",
            "skuName": "Standard_D4s_v3", "location": "westeurope", "reservedResourceType": "VirtualMachines",
            "quantity": 1, "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-11-25", "expiryDate": "2027-11-25",
            "unitPrice": {"amount": "3000", "currencyCode": "USD"}, "appliedScopeType": "Shared",
            "provisioningState": "Succeeded", "renew": false,
            "utilization": {"last1Day": "0", "last7Days": "0", "last30Days": "0"}
        }))
        .unwrap_or_else(|e| panic!("a reservation: {e}"));
        let bought = [Bought { order_id: "xorder-1".into(), reservation_id: "xres-1-1".into(), savings_plan: false }];
        let under = under_azures_ids(std::slice::from_ref(&r), &bought.iter().collect::<Vec<_>>());
        assert_eq!((under[0].id.as_str(), under[0].reservation_order_id.as_str(), under[0].sku_name.as_str()), ("xres-1-1", "xorder-1", "Standard_D4s_v3"));
        assert!(under_azures_ids(std::slice::from_ref(&r), &[]).is_empty(), "Azure named none: none recorded under the desk's IDs");
    }

    #[test]
    fn a_trade_ins_savings_plans_take_the_savings_plan_ids_azure_named() {
        let plan: SavingsPlan = serde_json::from_value(serde_json::json!({
            "id": "desk-plan", "savingsPlanOrderId": "desk-plan-order", "customerId": "c", "displayName": "compute plan",
            "skuName": "Compute_Savings_Plan", "term": "P1Y", "billingPlan": "Upfront",
            "commitment": {"grain": "Hourly", "currencyCode": "USD", "amount": "1.50"},
            "lifetimeCommitment": {"amount": "13140.00", "currencyCode": "USD"}, "appliedScopeType": "Shared",
            "startDate": "2026-11-25", "expiryDate": "2027-11-25", "exchangeSessionId": "s"
        }))
        .unwrap_or_else(|e| panic!("a savings plan: {e}"));
        let bought = [Bought { order_id: "spo-1-1".into(), reservation_id: "sp-1-1".into(), savings_plan: true }];
        let under = plans_under_azures_ids(std::slice::from_ref(&plan), &bought.iter().collect::<Vec<_>>());
        assert_eq!((under[0].id.as_str(), under[0].savings_plan_order_id.as_str(), under[0].commitment.amount.to_string()), ("sp-1-1", "spo-1-1", "1.50".to_owned()));
        let words = contract::BoughtSavingsPlan::with_azure_ids(&under[0]);
        assert_eq!((words.savings_plan_id.as_deref(), words.savings_plan_order_id.as_deref()), (Some("sp-1-1"), Some("spo-1-1")));
        assert!(plans_under_azures_ids(std::slice::from_ref(&plan), &[]).is_empty(), "Azure named none: none recorded under the desk's IDs");
    }
}
