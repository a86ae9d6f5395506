//! Refunds through Azure (Azure mode): the desk's steps around the [`Upstream`] port.
//! Review asks Azure's `calculateRefund` beside the desk's quote and keeps Azure's session
//! (`quoted`). Submit runs the desk's checks (session of this order, deployed policy, expiry, the
//! quote recomputed from the stored reservation) and Azure's (its policy errors, its headroom:
//! `maxRefundLimit − consumedRefundsTotal`), claims the session once (`asked`), posts `return`
//! with Azure's session, keeps the operation's URL (`sent`), follows it and records the return
//! from Azure's answer in one transaction (`succeeded`); or keeps Azure's error (`failed`).
//! An operation left `asked` or `sent` (the process stopped, Azure did not answer) is resumed:
//! a `sent` one is followed again; an `asked` one is reconciled by reading the reservation from
//! ARM, never by posting again.

use chrono::{DateTime, Utc};
use contract::AuditAction;
use contract::{
    AuditEntry, AzurePolicyError, AzureRefundCheck, ProblemCode, ProvisioningState, RefundDifference, RefundFigure, ReturnOutcome,
    ReturnResponse,
};
use desk_service::limit::LedgerEntry;
use quote_engine::api::RefundQuoteResponse;
use quote_engine::Money;

use super::upstream_moves::{in_progress, problem, who, Carrying, Settled};
use super::{timestamp, Desk, Note};
use crate::store::{Decision, Move, RefundRecord, RefundSession, ReturnView, ReturnWrite};
use crate::upstream::{AzureRefund, Confirmed, Detail, OnBehalf, ReturnDetail, Target, UpstreamError, UpstreamOperation, UpstreamState};
use crate::{Call, DeskError, Ids};

/// Azure's error as the caller sees it ([`UpstreamError::problem`]).
fn from_azure(e: &UpstreamError, what: &str) -> DeskError {
    e.problem(what)
}

fn differs(figure: RefundFigure, desk: &Money, azure: &Money) -> Option<RefundDifference> {
    (desk != azure).then_some(RefundDifference { figure, desk: *desk, azure: *azure })
}

/// Azure's figures beside the desk's quote, each difference named.
pub fn check_of(quote: &RefundQuoteResponse, azure: &AzureRefund) -> AzureRefundCheck {
    let p = &quote.policy_result;
    let max = azure.max_refund_limit;
    let headroom = Money::new((max.amount - azure.consumed_refunds_total.amount).max(rust_decimal::Decimal::ZERO), max.currency);
    AzureRefundCheck {
        refund_amount: azure.billing_refund_amount,
        pricing_refund_amount: azure.pricing_refund_amount,
        consumed_refunds_total: azure.consumed_refunds_total,
        max_refund_limit: max,
        headroom,
        policy_errors: azure.policy_errors.iter().map(|(code, message)| AzurePolicyError { code: code.clone(), message: message.clone() }).collect(),
        differences: [
            differs(RefundFigure::RefundAmount, &quote.refund_amount, &azure.billing_refund_amount),
            differs(RefundFigure::ConsumedRefundsTotal, &p.consumed_refunds_total, &azure.consumed_refunds_total),
            differs(RefundFigure::MaxRefundLimit, &p.max_refund_limit, &azure.max_refund_limit),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// Azure's policy: its errors refuse, and so does a refund above its headroom.
fn azure_allows(check: &AzureRefundCheck) -> Result<(), DeskError> {
    if !check.policy_errors.is_empty() {
        let said: Vec<String> = check.policy_errors.iter().map(|e| format!("{}: {}", e.code, e.message)).collect();
        return Err(problem(ProblemCode::PolicyRefused, format!("Azure's refund policy refuses this return ({}).", said.join("; "))));
    }
    if check.pricing_refund_amount.amount > check.headroom.amount {
        return Err(problem(
            ProblemCode::PolicyRefused,
            format!(
                "Azure's refund limit leaves {} (maxRefundLimit {} − consumedRefundsTotal {}); this refund counts {}.",
                check.headroom, check.max_refund_limit, check.consumed_refunds_total, check.pricing_refund_amount
            ),
        ));
    }
    Ok(())
}

fn target<'a>(op: &'a UpstreamOperation, d: &'a ReturnDetail) -> Target<'a> {
    Target { tenant_id: &op.tenant_id, order_id: &d.order_id, reservation_id: &d.reservation_id }
}

fn not_returned(why: &str) -> DeskError {
    problem(ProblemCode::UpstreamRefused, format!("Azure did not return it: {why}"))
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Review in Azure mode: Azure's `calculateRefund` of the session's units in the customer's
    /// tenant, on behalf of the caller; kept with the session (`quoted`), Azure's session with it.
    pub(super) async fn azure_check(&self, call: &Call, session: &RefundSession, customer_id: &str) -> Result<AzureRefundCheck, DeskError> {
        self.connected()?;
        let who = who(call)?;
        let status = self.store.source_status(customer_id).await?.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, format!("Customer {customer_id} was not read from Azure: refresh it before a refund."))
        })?;
        let target = Target { tenant_id: &status.tenant_id, order_id: &session.order_id, reservation_id: &session.reservation_id };
        let answered = self.upstream.calculate_refund(who, target, session.quote.quantity).await;
        self.note_refusal(customer_id, answered.as_ref().err(), call.now).await;
        let azure = answered.map_err(|e| from_azure(&e, "could not calculate the refund"))?;
        let check = check_of(&session.quote, &azure);
        // Azure's count of the customer's refunds, as it answered now: the refund limit shows it.
        let standing = crate::source::standing(azure.consumed_refunds_total, azure.max_refund_limit, call.now);
        self.store.record_refund_standing(customer_id, &standing).await?;
        let azure_session_id = azure.session_id.clone();
        let detail = Detail::Return(Box::new(ReturnDetail {
            order_id: session.order_id.clone(),
            reservation_id: session.reservation_id.clone(),
            customer_id: customer_id.to_owned(),
            quantity: session.quote.quantity,
            quantity_before: None,
            quote: session.quote.clone(),
            azure,
            check: check.clone(),
            reason: String::new(),
            note: String::new(),
            approvers: None,
            ticket_reference: None,
        }));
        self.keep_quoted(call, "return", &session.id, &azure_session_id, status.tenant_id, detail).await?;
        Ok(check)
    }

    /// Submit in Azure mode (see the module's doc).
    pub(super) async fn return_through_azure(
        &self, call: &Call, order_id: &str, session_id: &str, reason: &str, note: Note,
    ) -> Result<ReturnOutcome, DeskError> {
        self.connected()?;
        let who = who(call)?;
        // The desk's checks, read in the return's transaction (nothing is written there): the
        // session of this order, under the deployed policy, not expired; its quote recomputed
        // from the stored reservation; an answer already given is given again.
        let checked = self
            .store
            .return_reservation(session_id, |view: ReturnView| {
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(Err(done)));
                }
                let session = self.returnable(call, order_id, session_id, view.session)?;

                self.refund_write(call, order_id, session, view.reservation, &view.ledger, String::new(), reason, note.clone())?;
                Ok(Decision::Answer(Ok(())))
            })
            .await;
        // An operation of another order's session is none of this path's business.
        let op = self.store.upstream_of_session(session_id).await?.filter(|o| o.detail.returned().is_some_and(|d| d.order_id == order_id));
        match (checked, &op) {
            (Ok(Err(done)), _) => return Ok(ReturnOutcome::Done(done)),
            // Claimed before: its state answers (an unfinished one is resumed, never posted again).
            (_, Some(op)) if op.state != UpstreamState::Quoted => return self.answer_claimed(call.now, who, op.clone()).await,
            (Err(e), _) => return Err(e),
            (Ok(Ok(())), _) => {}
        }
        let op = op.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, "Azure has not calculated this refund (the session was made without it). Calculate the refund again.")
        })?;
        self.carry_return(call, who, op, reason, note, None).await
    }

    /// Carries a `quoted` return to Azure: Azure's policy and headroom checked, the
    /// reservation's units read from ARM (what a reconciliation compares with: never the desk's
    /// cache, which may be behind Azure), the session claimed once, `return` posted, followed and
    /// recorded (`note` added to its audit entry).
    pub(super) async fn carry_return(
        &self, call: &Call, who: &OnBehalf, op: UpstreamOperation, reason: &str, note: Note, approval: Option<&str>,
    ) -> Result<ReturnOutcome, DeskError> {
        let quoted = op.detail.returned().cloned().ok_or_else(|| in_progress("return"))?;
        azure_allows(&quoted.check)?;
        let before = match self.upstream.quantity(who, target(&op, &quoted)).await {
            Ok(Some(units)) => Some(units),
            Ok(None) => return Err(not_returned("Azure has no such reservation now; refresh the customer.")),
            Err(e) => return Err(from_azure(&e, "could not be read before the return")),
        };
        let detail = ReturnDetail {
            reason: reason.to_owned(),
            quantity_before: before,
            note: note.names,
            ticket_reference: note.ticket_reference,
            approvers: note.approvers,
            ..quoted
        };
        let op = match self.claim(call, op, Detail::Return(Box::new(detail.clone())), approval).await? {
            Ok(claimed) => claimed,
            Err(before) => return self.answer_claimed(call.now, who, before).await,
        };
        // While this request carries it, a second submit of the session (or the resumer) in this
        // process leaves it alone: reading ARM before this post lands would call it failed.
        let _carrying = Carrying::start(&self.in_flight, &op.desk_session_id);
        let started = self.upstream.start_return(who, target(&op, &detail), detail.quantity, &op.azure_session_id, reason).await;
        let session_id = op.desk_session_id.clone();
        self.carry_on(call.now, who, op, started).await?;
        self.recorded(&session_id).await
    }

    /// What a claimed operation answers now: its return, its error, or (resumed first) that it
    /// is still in progress.
    pub(super) async fn answer_claimed(&self, now: DateTime<Utc>, who: &OnBehalf, op: UpstreamOperation) -> Result<ReturnOutcome, DeskError> {
        let session_id = op.desk_session_id.clone();
        match self.settle(now, who, op).await? {
            Settled::Succeeded => self.recorded(&session_id).await,
            Settled::Failed(why) => Err(not_returned(&why)),
            Settled::Running => Err(in_progress("return")),
        }
    }

    /// The return recorded for a session.
    async fn recorded(&self, session_id: &str) -> Result<ReturnOutcome, DeskError> {
        let done = self.store.return_reservation(session_id, |view: ReturnView| Ok(Decision::Answer(view.completed))).await?;
        done.map(ReturnOutcome::Done).ok_or_else(|| DeskError::Store(crate::StoreError(format!("session {session_id} succeeded in Azure but has no refund"))))
    }

    /// Records a return Azure confirmed, from Azure's answer: the quantity as Azure now has it,
    /// the refund Azure reported, the audit entry with who asked, what Azure answered and the
    /// operation's URL; the operation marked `succeeded` in the same transaction.
    pub(super) async fn record_return(&self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, d: &ReturnDetail) -> Result<(), DeskError> {
        let before = d.quantity_before.unwrap_or(d.quantity);
        let (left, read) = match self.upstream.quantity(who, target(op, d)).await {
            Ok(found) => (found.unwrap_or(0), "as Azure now has it"),
            Err(_) => (before.saturating_sub(d.quantity), "Azure could not be read after the return: computed"),
        };
        self.write_confirmed(now, op, d, left, read).await
    }

    async fn write_confirmed(&self, now: DateTime<Utc>, op: &UpstreamOperation, d: &ReturnDetail, left: u32, read: &str) -> Result<(), DeskError> {
        let before = d.quantity_before.unwrap_or(d.quantity);
        let azure = &d.azure;
        // Azure's refund, and in USD Azure's own figure of it (its pricing currency's).
        let refund_amount_usd = (azure.billing_refund_amount.currency != quote_engine::Currency::USD)
            .then_some(azure.pricing_refund_amount)
            .filter(|usd| usd.currency == quote_engine::Currency::USD);
        let quote = RefundQuoteResponse { refund_amount: azure.billing_refund_amount, refund_amount_usd, ..d.quote.clone() };
        let response = ReturnResponse { refund_id: self.new_id(), session_id: op.desk_session_id.clone(), quote, remaining_quantity: left };
        let ledger_entry = (!azure.pricing_refund_amount.amount.is_zero()).then(|| LedgerEntry {
            customer_id: d.customer_id.clone(),
            date: now.date_naive(),
            amount: azure.pricing_refund_amount,
            reservation_id: d.reservation_id.clone(),
            reservation_order_id: d.order_id.clone(),
        });
        let asked_by = op.requested_by.clone().unwrap_or_default();
        let url = op.poll.as_ref().map_or("none (Azure answered at once)", |p| p.url.as_str());
        let change = format!(
            "returned {} through Azure: quantity {before} → {left} ({read}); Azure refunded {} ({} toward the limit; the desk quoted {}); \
             asked by {asked_by}; Azure session {}; Azure operation {url}; session {}{}",
            super::counted(d.quantity, "unit"), azure.billing_refund_amount, azure.pricing_refund_amount, d.quote.refund_amount, op.azure_session_id, op.desk_session_id, d.note
        );
        let state = if left == 0 { ProvisioningState::Cancelled } else { ProvisioningState::Succeeded };
        let detail = contract::ChangeDetail::Refund {
            units: contract::UnitsMoved { quantity_before: before, quantity_after: left },
            refund: azure.billing_refund_amount,
            approval: d.approvers.clone(),
            statement: Vec::new(),
            through_azure: true,
        };
        // The statement's line, from the reservation as the desk holds it before the return is
        // written, Azure's refund and the partner's price in force now.
        let time = timestamp(now);
        let price = self.price_in_force(&d.customer_id).await?;
        let statement = match self.store.reservation(&d.order_id, &d.reservation_id).await? {
            Some((r, _)) => vec![super::pricing::Recorded { time: &time, price: price.as_ref() }.refund(&r, before.saturating_sub(left), azure.billing_refund_amount)],
            None => Vec::new(),
        };
        let moved = Move {
            order_id: d.order_id.clone(),
            reservation_id: d.reservation_id.clone(),
            action: AuditAction::Refund.code().into(),
            time: timestamp(now),
            actor: asked_by.clone(),
            change: format!(
                "returned {} through Azure: quantity {before} → {left}; Azure refunded {}",
                super::counted(d.quantity, "unit"),
                azure.billing_refund_amount
            ),
            quantity_before: before,
            quantity: left,
            state,
            ticket_reference: d.ticket_reference.clone(),
            detail: Some(detail.clone()),
        };
        let write = ReturnWrite {
            moved,
            remaining_quantity: left,
            state,
            ledger_entry: ledger_entry.clone(),
            refund: RefundRecord {
                response,
                order_id: d.order_id.clone(),
                reservation_id: d.reservation_id.clone(),
                customer_id: d.customer_id.clone(),
                reason: d.reason.clone(),
                at: now,
            },
            audit: AuditEntry {
                time: timestamp(now),
                actor: asked_by,
                actor_id: None,
                actor_name: None,
                action: AuditAction::Refund.code().into(),
                target: format!("reservationOrders/{}/reservations/{}", d.order_id, d.reservation_id),
                customer_id: Some(d.customer_id.clone()),
                change,
                ledger: ledger_entry.iter().map(crate::audit_chain::ledger_row).collect(),
                ticket_reference: d.ticket_reference.clone(),
                detail: Some(super::pricing::with_statement(detail, statement)),
            },
        };
        if self.store.finish_upstream(&op.id, Confirmed::Return(&write)).await? {
            // Azure's count now holds this refund too: the count kept (this Review's, or a later
            // one's, or one another confirmed refund moved) plus what Azure said it counts.
            let kept = self.store.refund_standing(&d.customer_id).await?.map_or(azure.consumed_refunds_total, |s| s.consumed_refunds_total);
            let consumed = Money::new(kept.amount + azure.pricing_refund_amount.amount, kept.currency);
            let standing = crate::source::standing(consumed, azure.max_refund_limit, now);
            self.store.record_refund_standing(&d.customer_id, &standing).await?;
        }
        Ok(())
    }

    /// Reconciles an `asked` return by reading the reservation from ARM: if its quantity dropped
    /// by the return's units, Azure has it and it is recorded from what ARM shows; if not, it
    /// failed, with a reason the user sees.
    pub(super) async fn reconcile_return(&self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, d: &ReturnDetail) -> Result<(), DeskError> {
        let before = d.quantity_before.unwrap_or(d.quantity);
        match self.upstream.quantity(who, target(op, d)).await {
            Ok(left) if left.unwrap_or(0) + d.quantity <= before => {
                self.write_confirmed(now, op, d, left.unwrap_or(0), "read from ARM after a restart: the return had reached Azure").await
            }
            Ok(left) => {
                let reason = format!(
                    "The desk stopped before Azure answered this return, and Azure shows the reservation's quantity unchanged ({}), so nothing \
                     was returned. Calculate the refund again.",
                    left.unwrap_or(0)
                );
                self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(&reason), now).await?;
                Ok(())
            }
            Err(e) => Err(from_azure(&e, "could not be read to reconcile the return")),
        }
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

    fn quote(refund: &str, consumed: &str) -> RefundQuoteResponse {
        let reservation = serde_json::from_value(serde_json::json!({
            "reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-01-10",
            "quantity": 3, "unitPrice": {"amount": "1000", "currencyCode": "USD"}, "hasUsage": true
        }))
        .unwrap();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let request = quote_engine::api::RefundQuoteRequest { policy: quote_engine::PolicyName::DEFAULT, as_of, reservation, quantity: 1, prior_refunds: Vec::new() };
        let mut q = quote_engine::api::refund(&request).unwrap();
        q.refund_amount = usd(refund);
        q.policy_result.consumed_refunds_total = usd(consumed);
        q
    }

    fn azure(refund: &str, consumed: &str) -> AzureRefund {
        AzureRefund {
            session_id: "s".into(),
            quantity: 1,
            billing_refund_amount: usd(refund),
            pricing_refund_amount: usd(refund),
            consumed_refunds_total: usd(consumed),
            max_refund_limit: usd("50000"),
            policy_errors: Vec::new(),
        }
    }

    #[test]
    fn each_figure_that_differs_is_named_and_the_same_figure_written_otherwise_is_not() {
        let same = check_of(&quote("100.00", "0"), &azure("100.00", "0"));
        assert!(same.differences.is_empty(), "100.00 and 100.00 are one figure: {same:?}");
        let other = check_of(&quote("100.00", "0"), &azure("99.99", "1200"));
        let named: Vec<RefundFigure> = other.differences.iter().map(|d| d.figure).collect();
        assert_eq!(named, vec![RefundFigure::RefundAmount, RefundFigure::ConsumedRefundsTotal]);
        assert_eq!((other.differences[0].desk, other.differences[0].azure), (usd("100.00"), usd("99.99")));
        assert_eq!(other.headroom, usd("48800"));
    }

    #[test]
    fn azures_headroom_refuses_a_cent_above_it_and_allows_it_exactly() {
        assert!(azure_allows(&check_of(&quote("0", "0"), &azure("100.00", "49900"))).is_ok(), "exactly the headroom");
        let over = azure_allows(&check_of(&quote("0", "0"), &azure("100.01", "49900"))).unwrap_err();
        assert_eq!(over.problem().code, ProblemCode::PolicyRefused);
        let mut refused = azure("1", "0");
        refused.policy_errors.push(("RefundLimitExceeded".into(), "over".into()));
        assert!(azure_allows(&check_of(&quote("0", "0"), &refused)).unwrap_err().problem().detail.contains("RefundLimitExceeded: over"));
        // A consumed total above the limit leaves no headroom, not a negative one.
        assert_eq!(check_of(&quote("0", "0"), &azure("1", "60000")).headroom, usd("0"));
    }

    #[test]
    fn azures_answer_is_sorted_into_refused_forbidden_and_unavailable() {
        let e = |status: Option<u16>| UpstreamError { status, code: "X".into(), message: "m".into(), request: Default::default(), partner_center: false };
        assert_eq!(from_azure(&e(Some(403)), "x").problem().code, ProblemCode::UpstreamForbidden);
        assert_eq!(from_azure(&e(Some(400)), "x").problem().code, ProblemCode::UpstreamRefused);
        for unknown in [None, Some(500), Some(503), Some(429), Some(408), Some(202)] {
            assert_eq!(from_azure(&e(unknown), "x").problem().code, ProblemCode::UpstreamUnavailable, "{unknown:?}");
        }
    }
}
