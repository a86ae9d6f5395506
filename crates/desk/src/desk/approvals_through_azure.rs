//! Approvals in Azure mode: an approved refund or exchange moves money only through
//! Azure. The approver's approval quotes it again from the desk's data (as in local mode: another
//! amount sends it back for approval again); the same amount is asked of Azure again on the
//! approver's behalf (a fresh `calculateRefund` / `calculateExchange`: Azure's session from the
//! requester's Review may be long gone), then carried out as a Submit would be
//! (`upstream_refund.rs`, `upstream_exchange.rs`), its audit entry naming requester and approver.
//! The approval is recorded as approved only once Azure confirmed the move; Azure refusing
//! leaves it open, with Azure's reason in the answer.

use contract::{Approval, ExchangeOutcome, ExchangeResponse, ProblemCode, PurchaseOutcome, PurchaseResponse, ReturnOutcome, ReturnResponse};

use super::upstream_moves::{problem, who};
use super::{Desk, Note};
use crate::store::{ExchangeSession, PurchaseSession, RefundSession};
use crate::upstream::{ExchangeLine, UpstreamState};
use crate::{Call, DeskError, Ids};

fn not_done() -> DeskError {
    problem(ProblemCode::UpstreamInProgress, "Azure has not finished this move yet; approve again later to see how it ended.")
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Carries the approved refund of `session` (its fresh quote) to Azure on the approver's behalf.
    pub(super) async fn approve_return_through_azure(
        &self, call: &Call, approval: &Approval, session: RefundSession, note: Note,
    ) -> Result<ReturnResponse, DeskError> {
        self.connected()?;
        let who = who(call)?;
        let outcome = match self.store.upstream_of_session(&session.id).await? {
            // Carried to Azure before and not failed: as it stands. (A failed one is asked again.)
            Some(op) if matches!(op.state, UpstreamState::Asked | UpstreamState::Sent | UpstreamState::Succeeded) => {
                self.answer_claimed(call.now, who, op).await?
            }
            _ => {
                Box::pin(self.azure_check(call, &session, &approval.customer_id)).await?;
                let op = self.store.upstream_of_session(&session.id).await?.ok_or_else(not_done)?;
                let reason = approval.return_reason.clone().unwrap_or_default();
                Box::pin(self.carry_return(call, who, op, &reason, note, Some(&approval.id))).await?
            }
        };
        match outcome {
            ReturnOutcome::Done(done) => Ok(done),
            ReturnOutcome::AwaitingApproval(_) => Err(not_done()),
        }
    }

    /// Carries the approved exchange of `session` (its fresh quote) to Azure on the approver's
    /// behalf: `planned`, what the desk would buy (`plans`, the savings plans of a trade-in).
    pub(super) async fn approve_exchange_through_azure(
        &self, call: &Call, approval: &Approval, session: ExchangeSession, planned: Vec<contract::Reservation>, plans: Vec<contract::SavingsPlan>,
        note: Note,
    ) -> Result<ExchangeResponse, DeskError> {
        self.connected()?;
        let who = who(call)?;
        let outcome = match self.store.upstream_of_session(&session.id).await? {
            Some(op) if matches!(op.state, UpstreamState::Asked | UpstreamState::Sent | UpstreamState::Succeeded) => {
                self.answer_exchange_claimed(call.now, who, op).await?
            }
            _ => {
                let lines = self.exchange_lines_of(&session).await?;
                Box::pin(self.azure_exchange_check(call, &session, lines, planned, plans, &approval.customer_id)).await?;
                let op = self.store.upstream_of_session(&session.id).await?.ok_or_else(not_done)?;
                Box::pin(self.carry_exchange(call, who, op, note, Some(&approval.id))).await?
            }
        };
        match outcome {
            ExchangeOutcome::Done(done) => Ok(done),
            ExchangeOutcome::AwaitingApproval(_) => Err(not_done()),
        }
    }

    /// Carries the approved purchase of `session` to Partner Center on the approver's behalf,
    /// Azure's price asked again first: `planned`, what the desk would buy.
    pub(super) async fn approve_purchase_through_azure(
        &self, call: &Call, approval: &Approval, session: PurchaseSession, planned: contract::Reservation, note: Note,
    ) -> Result<PurchaseResponse, DeskError> {
        self.connected()?;
        let who = who(call)?;
        let outcome = match self.store.upstream_of_session(&session.id).await? {
            Some(op) if matches!(op.state, UpstreamState::Asked | UpstreamState::Sent | UpstreamState::Succeeded) => {
                self.answer_purchase_claimed(call.now, who, op).await?
            }
            _ => {
                Box::pin(self.azure_purchase_check(call, &session, planned)).await?;
                Box::pin(self.purchase_through_azure(call, &session.id, note, None, Some(&approval.id))).await?
            }
        };
        match outcome {
            PurchaseOutcome::Done(done) => Ok(done),
            PurchaseOutcome::AwaitingApproval(_) => Err(not_done()),
        }
    }

    /// The returns of an exchange session as Azure is asked about them (each one's order read
    /// from the store).
    async fn exchange_lines_of(&self, session: &ExchangeSession) -> Result<Vec<ExchangeLine>, DeskError> {
        let lines = &session.request.reservations_to_exchange;
        let ids: Vec<String> = lines.iter().map(|l| l.reservation_id.clone()).collect();
        let stored = self.store.reservations_by_ids(&ids).await?;
        lines
            .iter()
            .map(|l| {
                let (r, _) = stored
                    .iter()
                    .find(|(r, _)| r.id == l.reservation_id && l.reservation_order_id.as_ref().is_none_or(|o| *o == r.reservation_order_id))
                    .ok_or_else(|| super::no_reservation(l.reservation_order_id.as_deref().unwrap_or_default(), &l.reservation_id))?;
                Ok(ExchangeLine { order_id: r.reservation_order_id.clone(), reservation_id: r.id.clone(), quantity: l.quantity, quantity_before: None })
            })
            .collect()
    }
}
