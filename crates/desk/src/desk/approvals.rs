//! Maker and checker. With an approval threshold set (`Settings`), a return
//! or exchange above it is not carried out when submitted: the desk records an approval request
//! (`pending`) and answers it (202). Another user with the right to move money approves it (the
//! desk quotes again from its own data: the same amount moves the money at once, in the same
//! serialized step as a submission, once; another amount sends it back as `needsApprovalAgain`
//! with both figures) or rejects it with a reason. The requester can do neither. A request not
//! decided by its expiry (decided with the call's instant) is `expired` and moves nothing.
//!
//! Every step runs in [`Store::approval_step`], under the lock of a money move of its session:
//! 64 approvals of one request at once move its money once, and an approval, a rejection and a
//! plain submission of the same session cannot both succeed.

use chrono::Duration;
use contract::AuditAction;
use contract::ChangeDetail;
use contract::{
    Approval, ApprovalKind, ApprovalPerson, ApprovalReturn, ApprovalStatus, AuditEntry, ExchangeOutcome, ProblemCode, RejectApproval, ReturnOutcome,
};
use desk_service::{approval as rule, ServiceError};

use super::money::expired;
use super::{audit_entry, no_exchange_session, timestamp, Acting, Desk, Note};
use crate::store::{ApprovalView, ApprovalWrite, Decision};
use crate::{Call, DeskError, Ids};

/// The longest rejection reason kept.
pub const REASON_MAX_CHARS: usize = 1000;

/// A requester's reason for a money move (an exchange's, a purchase's): trimmed, `None` when
/// blank, refused above [`REASON_MAX_CHARS`] (400 `tooLong`).
pub(super) fn requesters_reason(reason: Option<&str>) -> Result<Option<&str>, DeskError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > REASON_MAX_CHARS) {
        return Err(ServiceError::invalid(ProblemCode::TooLong, "reason", format!("The reason is longer than {REASON_MAX_CHARS} characters.")).into());
    }
    Ok(reason)
}

/// A reservation bought, as an approver is shown it: as asked, its scope named as the customer's
/// own scopes name it (the stored name wins; a scope not among them is kept as asked, and the
/// move refuses it).
pub(super) fn with_scope_names(line: &contract::ExchangePurchaseRequest, scopes: &[contract::Scope]) -> contract::ExchangePurchaseRequest {
    let applied_scope_properties = desk_service::configuration::resolve_scope(line.applied_scope_type, line.applied_scope_properties.as_ref(), scopes, "")
        .map_or_else(|_| line.applied_scope_properties.clone(), |(_, named)| named);
    contract::ExchangePurchaseRequest { applied_scope_properties, ..line.clone() }
}

/// A savings plan bought, as an approver is shown it: its scope named as [`with_scope_names`] does.
fn plan_with_scope_names(plan: &contract::SavingsPlanPurchaseRequest, scopes: &[contract::Scope]) -> contract::SavingsPlanPurchaseRequest {
    let applied_scope_properties = desk_service::configuration::resolve_scope(plan.applied_scope_type, plan.applied_scope_properties.as_ref(), scopes, "")
        .map_or_else(|_| plan.applied_scope_properties.clone(), |(_, named)| named);
    contract::SavingsPlanPurchaseRequest { applied_scope_properties, ..plan.clone() }
}

/// The signed-in user as an approval names them.
fn person(call: &Call) -> ApprovalPerson {
    ApprovalPerson {
        user_principal_name: call.user.user_principal_name.clone(),
        display_name: call.user.display_name.clone(),
        id: call.user.id.clone(),
    }
}

/// Whether `approval` is past its expiry at the call's instant.
fn is_past(approval: &Approval, call: &Call) -> bool {
    crate::audit_chain::seconds_of(&approval.expires_at).is_none_or(|at| call.now.timestamp() > at)
}

/// The request as it stands at `now`: an open one past its expiry is `expired`.
pub(super) fn as_of(mut approval: Approval, now: chrono::DateTime<chrono::Utc>) -> Approval {
    if approval.status.is_open() && crate::audit_chain::seconds_of(&approval.expires_at).is_none_or(|at| now.timestamp() > at) {
        approval.status = ApprovalStatus::Expired;
    }
    approval
}

/// The request as it stands at the call's instant: an open one past its expiry is `expired`.
pub(super) fn shown(mut approval: Approval, call: &Call) -> Approval {
    if approval.status.is_open() && is_past(&approval, call) {
        approval.status = ApprovalStatus::Expired;
    }
    approval
}

/// What approving decided: the decision (written), or (Azure mode) the money move to carry to
/// Azure before the approval is recorded.
enum Approve {
    /// Decided in the desk.
    Decided(Approval),
    /// A refund for Azure: the session with its fresh quote, the audit note naming requester
    /// and approver.
    Refund { approval: Approval, session: crate::store::RefundSession, note: Note },
    /// An exchange for Azure: the session with its fresh quote, what the desk would buy, the
    /// audit note.
    Exchange { approval: Approval, session: crate::store::ExchangeSession, planned: Vec<contract::Reservation>, plans: Vec<contract::SavingsPlan>, note: Note },
    /// A purchase for Partner Center: the session, the reservation the desk would buy, the audit
    /// note.
    Purchase { approval: Approval, session: Box<crate::store::PurchaseSession>, planned: Box<contract::Reservation>, note: Note },
}

fn decided_now(decision: Decision<ApprovalWrite, Approval>) -> Decision<ApprovalWrite, Approve> {
    match decision {
        Decision::Write(write, approval) => Decision::Write(write, Approve::Decided(approval)),
        Decision::Answer(approval) => Decision::Answer(Approve::Decided(approval)),
    }
}

fn no_approval(id: &str) -> DeskError {
    DeskError::not_found(format!("There is no approval request '{id}'."))
}

/// A person as the audit log writes them: "Name <upn>".
fn named(p: &ApprovalPerson) -> String {
    format!("{} <{}>", p.display_name, p.user_principal_name)
}

/// Refused unless the request still waits and is not past its expiry.
fn still_open(approval: &Approval, call: &Call) -> Result<(), DeskError> {
    match shown(approval.clone(), call).status {
        ApprovalStatus::Pending | ApprovalStatus::NeedsApprovalAgain => Ok(()),
        ApprovalStatus::Expired => Err(ServiceError::new(
            ProblemCode::ApprovalExpired,
            format!("Approval request '{}' expired at {}; nothing moved. Submit the refund or exchange again.", approval.id, approval.expires_at),
        )
        .into()),
        status => Err(ServiceError::new(
            ProblemCode::ApprovalClosed,
            format!("Approval request '{}' was already decided ({status:?}).", approval.id),
        )
        .into()),
    }
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// A new pending request for the call's user, expiring after the deployment's days.
    pub(super) fn new_approval(&self, call: &Call, kind: ApprovalKind, customer_id: String, session_id: String, amount: quote_engine::Money) -> Approval {
        Approval {
            id: self.new_id(),
            reservation_ids: Vec::new(),
            status: ApprovalStatus::Pending,
            kind,
            customer_id,
            session_id,
            reservation_order_id: None,
            reservation_id: None,
            returns: Vec::new(),
            return_reason: None,
            ticket_reference: None,
            amount,
            amount_usd: None,
            previous_amount: None,
            refund_quote: None,
            exchange_quote: None,
            purchase_quote: None,
            purchase_request: None,
            reservations_to_purchase: Vec::new(),
            savings_plans_to_purchase: Vec::new(),
            requested_by: person(call),
            requested_at: timestamp(call.now),
            expires_at: timestamp(call.now + Duration::hours(i64::from(self.settings.approval_expiry_hours))),
            decided_by: None,
            decided_at: None,
            rejection_reason: None,
            refund: None,
            exchange: None,
            purchase: None,
        }
    }

    /// The audit entry of a step of `approval`, naming the requester (and the decider).
    pub(super) fn approval_entry(&self, call: &Call, action: &str, approval: &Approval, what: &str) -> AuditEntry {
        let change = format!("{what}; amount {}; requested by {}", approval.amount, named(&approval.requested_by));
        let (of, amount, requested_by) = (approval.kind, approval.amount, approval.requested_by.clone());
        let detail = match AuditAction::from_code(action) {
            Some(AuditAction::ApprovalApproved) => ChangeDetail::ApprovalApproved { of, amount, requested_by, approved_by: person(call) },
            Some(AuditAction::ApprovalNeedsApprovalAgain) => {
                ChangeDetail::ApprovalNeedsApprovalAgain { of, previous: approval.previous_amount.unwrap_or(amount), amount, requested_by, quoted_by: person(call) }
            }
            Some(AuditAction::ApprovalRejected) => {
                ChangeDetail::ApprovalRejected { of, amount, requested_by, rejected_by: person(call), reason: approval.rejection_reason.clone().unwrap_or_default() }
            }
            _ => ChangeDetail::ApprovalRequested { of, amount, requested_by },
        };
        AuditEntry {
            ticket_reference: approval.ticket_reference.clone(),
            ..audit_entry(call, action, format!("approvals/{}", approval.id), Some(approval.customer_id.clone()), change, detail)
        }
    }

    /// A return with a threshold set: carried out when at or below it, otherwise asked for
    /// approval (a repeat answers the same request, or the refund done).
    pub(super) async fn return_or_ask(
        &self, call: &Call, order_id: &str, session_id: &str, reason: &str, ticket: Option<String>,
    ) -> Result<ReturnOutcome, DeskError> {
        let refund_id = self.new_id();
        let azure = self.settings.source == contract::DataSource::Azure;
        // Azure mode: Azure's own figure counts too (what its Review said the refund counts).
        let azure_figure = match azure {
            true => self.store.upstream_of_session(session_id).await?.and_then(|o| o.detail.returned().map(|d| d.azure.pricing_refund_amount)),
            false => None,
        };
        let price = self.price_in_force_of_order(order_id).await?;
        let step = self
            .store
            .approval_step(ApprovalKind::Refund, session_id, |view: ApprovalView| {
                if let Some(done) = view.refund.completed {
                    return Ok(Decision::Answer(Some(ReturnOutcome::Done(done))));
                }
                if let Some(approval) = view.approval.filter(|a| a.reservation_order_id.as_deref() == Some(order_id)) {
                    return Ok(Decision::Answer(Some(ReturnOutcome::AwaitingApproval(shown(approval, call)))));
                }
                // Azure mode: a return carried to Azure before (claimed) answers as it stands.
                if azure && view.refund.session.is_none() {
                    return Ok(Decision::Answer(None));
                }
                let session = self.returnable(call, order_id, session_id, view.refund.session)?;
                let (quote, reservation_id) = (session.quote.clone(), session.reservation_id.clone());
                // What the approver is shown: the reservation by name, and the units returned.
                let returns: Vec<ApprovalReturn> = view
                    .refund
                    .reservation
                    .as_ref()
                    .map(|(r, _)| ApprovalReturn {
                        reservation_order_id: order_id.to_owned(),
                        reservation_id: r.id.clone(),
                        display_name: r.display_name.clone(),
                        quantity: quote.quantity,
                    })
                    .into_iter()
                    .collect();
                let (write, response) = self.refund_write(
                    call,
                    order_id,
                    session,
                    view.refund.reservation,
                    &view.refund.ledger,
                    refund_id,
                    reason,
                    Note::ticket(ticket.clone()).priced(price.clone()),
                )?;
                if rule::refund_approval(self.settings.approval_threshold, &quote, azure_figure).is_none() {
                    // Azure mode: carried to Azure first (below), never written here.
                    if azure {
                        return Ok(Decision::Answer(None));
                    }
                    let write = ApprovalWrite { approval: None, audit: Vec::new(), refund: Some(write), exchange: None, purchase: None, at: call.now };
                    return Ok(Decision::Write(write, Some(ReturnOutcome::Done(response))));
                }
                let approval = Approval {
                    reservation_order_id: Some(order_id.to_owned()),
                    reservation_ids: vec![reservation_id.clone()],
                    reservation_id: Some(reservation_id),
                    returns,
                    return_reason: Some(reason.to_owned()),
                    ticket_reference: ticket.clone(),
                    amount_usd: Some(rule::refund_figure(&quote)).filter(|f| f.currency == quote_engine::Currency::USD),
                    refund_quote: Some(quote.clone()),
                    ..self.new_approval(call, ApprovalKind::Refund, write.refund.customer_id.clone(), session_id.to_owned(), quote.refund_amount)
                };
                let entry = self.approval_entry(call, AuditAction::ApprovalRequested.code(), &approval, &format!("refund of session {session_id} waits for approval"));
                let write = ApprovalWrite { approval: Some(approval.clone()), audit: vec![entry], refund: None, exchange: None, purchase: None, at: call.now };
                Ok(Decision::Write(write, Some(ReturnOutcome::AwaitingApproval(approval))))
            })
            .await?;
        match step {
            Some(outcome) => Ok(outcome),
            None => self.return_through_azure(call, order_id, session_id, reason, Note::ticket(ticket)).await,
        }
    }

    /// An exchange with a threshold set: carried out when its refunds total is at or below it,
    /// otherwise asked for approval.
    /// `reason`: the requester's, kept for the approver.
    pub(super) async fn exchange_or_ask(
        &self, call: &Call, session_id: &str, reason: Option<&str>, ticket: Option<String>,
    ) -> Result<ExchangeOutcome, DeskError> {
        let azure = self.settings.source == contract::DataSource::Azure;
        // Azure mode: Azure's own refunds total counts too.
        let azure_figure = match azure {
            true => self.store.upstream_of_session(session_id).await?.and_then(|o| o.detail.exchanged().map(|d| d.azure.refunds_total)),
            false => None,
        };
        let price = self.price_in_force_of_exchange(session_id).await?;
        let step = self
            .store
            .approval_step(ApprovalKind::Exchange, session_id, |view: ApprovalView| {
                let ApprovalView { approval, exchange: view, .. } = view;
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(Some(ExchangeOutcome::Done(done))));
                }
                if let Some(approval) = approval {
                    return Ok(Decision::Answer(Some(ExchangeOutcome::AwaitingApproval(shown(approval, call)))));
                }
                // Azure mode: an exchange carried to Azure before (claimed) answers as it stands.
                if azure && view.session.is_none() {
                    return Ok(Decision::Answer(None));
                }
                let session = view.session.ok_or_else(|| no_exchange_session(session_id))?;
                if call.now > session.expires_at {
                    return Err(expired("exchange"));
                }
                let quote = session.quote.clone();
                let returned: Vec<String> = session.request.reservations_to_exchange.iter().map(|l| l.reservation_id.clone()).collect();
                // What the approver is shown: each returned reservation by name, with its units.
                let returns: Vec<ApprovalReturn> = session
                    .request
                    .reservations_to_exchange
                    .iter()
                    .filter_map(|line| {
                        let (r, _) = view.reservations.iter().find(|(r, _)| r.id == line.reservation_id)?;
                        Some(ApprovalReturn {
                            reservation_order_id: r.reservation_order_id.clone(),
                            reservation_id: r.id.clone(),
                            display_name: r.display_name.clone(),
                            quantity: line.quantity,
                        })
                    })
                    .collect();
                // What the approver is shown it buys: each line as asked, its scope named.
                let bought: Vec<contract::ExchangePurchaseRequest> =
                    session.request.reservations_to_purchase.iter().map(|line| with_scope_names(line, &view.scopes)).collect();
                let plans: Vec<contract::SavingsPlanPurchaseRequest> =
                    session.request.savings_plans_to_purchase.iter().map(|plan| plan_with_scope_names(plan, &view.scopes)).collect();
                let (write, response) = self.exchange_write(call, session, view.reservations, &view.scopes, None, Note::ticket(ticket.clone()).priced(price.clone()))?;
                if rule::exchange_approval(self.settings.approval_threshold, &quote, azure_figure).is_none() {
                    // Azure mode: carried to Azure first (below), never written here.
                    if azure {
                        return Ok(Decision::Answer(None));
                    }
                    let write = ApprovalWrite { approval: None, audit: Vec::new(), refund: None, exchange: Some(write), purchase: None, at: call.now };
                    return Ok(Decision::Write(write, Some(ExchangeOutcome::Done(response))));
                }
                let customer = write.audit.customer_id.clone().unwrap_or_default();
                let approval = Approval {
                    amount_usd: Some(rule::exchange_figure_usd(&quote)).filter(|f| f.currency == quote_engine::Currency::USD),
                    exchange_quote: Some(quote.clone()),
                    reservations_to_purchase: bought,
                    savings_plans_to_purchase: plans,
                    reservation_ids: returned,
                    returns,
                    return_reason: reason.map(str::to_owned),
                    ticket_reference: ticket.clone(),
                    ..self.new_approval(call, ApprovalKind::Exchange, customer, session_id.to_owned(), rule::exchange_figure(&quote))
                };
                let entry = self.approval_entry(call, AuditAction::ApprovalRequested.code(), &approval, &format!("exchange of session {session_id} waits for approval"));
                let write = ApprovalWrite { approval: Some(approval.clone()), audit: vec![entry], refund: None, exchange: None, purchase: None, at: call.now };
                Ok(Decision::Write(write, Some(ExchangeOutcome::AwaitingApproval(approval))))
            })
            .await?;
        match step {
            Some(outcome) => Ok(outcome),
            None => self.exchange_through_azure(call, session_id, Note::ticket(ticket)).await,
        }
    }

    /// `GET /approvals`: the requests waiting for a decision now, of the customers the caller
    /// sees, oldest first.
    pub async fn approvals(&self, acting: &Acting) -> Result<Vec<Approval>, DeskError> {
        let open = self.store.open_approvals().await?;
        Ok(open
            .into_iter()
            .filter(|a| acting.sees(&a.customer_id))
            .map(|a| shown(a, &acting.call))
            .filter(|a| a.status.is_open())
            .collect())
    }

    /// `GET /approvals/{approvalId}`: one request as it stands (its outcome once decided).
    pub async fn approval(&self, call: &Call, id: &str) -> Result<Approval, DeskError> {
        let approval = self.store.approval(id).await?.ok_or_else(|| no_approval(id))?;
        Ok(shown(approval, call))
    }

    /// The request `id`, refused (403 `ownApproval`) when the caller asked for it.
    async fn decidable(&self, call: &Call, id: &str, verb: &str) -> Result<Approval, DeskError> {
        let approval = self.store.approval(id).await?.ok_or_else(|| no_approval(id))?;
        if approval.requested_by.is(&person(call)) {
            return Err(ServiceError::new(
                ProblemCode::OwnApproval,
                format!("{} asked for approval request '{id}' and cannot {verb} it: another user must.", call.user.display_name),
            )
            .into());
        }
        Ok(approval)
    }

    /// `POST /approvals/{approvalId}/approve`: quoted again from the desk's own data; the same
    /// amount moves the money now (once, under the limit as it stands now), another amount sends
    /// the request back as `needsApprovalAgain` with both figures.
    pub async fn approve(&self, call: &Call, id: &str) -> Result<Approval, DeskError> {
        let found = self.decidable(call, id, "approve").await?;
        let refund_id = self.new_id();
        let azure = self.settings.source == contract::DataSource::Azure;
        // Azure mode: a move an approval already carried to Azure is that approval's, past its
        // expiry too: approving again answers how it stands.
        let carried = azure && self.carried_to_azure(&found.session_id).await?;
        let price = self.price_in_force(&found.customer_id).await?;
        let step = self
            .store
            .approval_step(found.kind, &found.session_id, |view: ApprovalView| {
                let approval = view.approval.filter(|a| a.id == id).ok_or_else(|| no_approval(id))?;
                if !(carried && approval.status.is_open()) {
                    still_open(&approval, call)?;
                }
                let me = person(call);
                let decided = Approval { decided_by: Some(me.clone()), decided_at: Some(timestamp(call.now)), ..approval.clone() };
                let note = Note {
                    names: format!("; approval {id}: requested by {}, approved by {}", named(&approval.requested_by), named(&me)),
                    ticket_reference: approval.ticket_reference.clone(),
                    approvers: Some(contract::Approvers { requested_by: approval.requested_by.clone(), approved_by: me.clone() }),
                    price: price.clone(),
                };
                match approval.kind {
                    ApprovalKind::Refund => {
                        if let Some(done) = view.refund.completed {
                            // Carried out already (e.g. submitted while no threshold was set).
                            return Ok(decided_now(self.approved(call, Approval { refund: Some(done), ..decided }, None, None, None)));
                        }
                        let session = view.refund.session.ok_or_else(|| no_approval(id))?;
                        let order_id = approval.reservation_order_id.clone().unwrap_or_default();
                        let (reservation, usage) = view
                            .refund
                            .reservation
                            .clone()
                            .ok_or_else(|| super::no_reservation(&order_id, &session.reservation_id))?;
                        let detail = desk_service::utilization::detail(reservation, usage, call.today());
                        let fresh = desk_service::refund::quote(&detail, &view.refund.ledger, call.today(), session.quote.quantity, session.policy)?;
                        if let Some(error) = fresh.policy_result.policy_errors.first() {
                            // The limit as it stands now (another refund may have used the headroom).
                            return Err(ServiceError::new(ProblemCode::PolicyRefused, format!("The refund is refused: {}", error.message)).into());
                        }
                        if fresh.refund_amount != approval.amount {
                            let again = Approval {
                                status: ApprovalStatus::NeedsApprovalAgain,
                                previous_amount: Some(approval.amount),
                                amount: fresh.refund_amount,
                                amount_usd: Some(rule::refund_figure(&fresh)).filter(|f| f.currency == quote_engine::Currency::USD),
                                refund_quote: Some(fresh),
                                ..decided
                            };
                            return Ok(decided_now(self.again(call, again)));
                        }
                        let session = crate::store::RefundSession { quote: fresh, ..session };
                        // Azure mode: approved once Azure has carried it out (below).
                        if azure {
                            return Ok(Decision::Answer(Approve::Refund { approval: decided, session, note }));
                        }
                        let reason = approval.return_reason.clone().unwrap_or_default();
                        let (write, response) =
                            self.refund_write(call, &order_id, session, view.refund.reservation, &view.refund.ledger, refund_id, &reason, note)?;
                        Ok(decided_now(self.approved(call, Approval { refund: Some(response), ..decided }, Some(write), None, None)))
                    }
                    ApprovalKind::Purchase => {
                        let view = view.purchase;
                        if let Some(done) = view.completed {
                            return Ok(decided_now(self.approved(call, Approval { purchase: Some(done), ..decided }, None, None, None)));
                        }
                        // Quoted again today against the session's own quote: another price (a
                        // catalog change) refuses it with `quoteChanged`, so only what was shown
                        // and approved is bought.
                        let session = view.session.clone();
                        let (write, response) = self.purchase_write(call, &approval.session_id, view, note.clone())?;
                        // Azure mode: approved once Partner Center has made it (below).
                        if azure {
                            let session = Box::new(session.ok_or_else(|| no_approval(id))?);
                            return Ok(Decision::Answer(Approve::Purchase { approval: decided, session, planned: Box::new(write.purchased.0), note }));
                        }
                        Ok(decided_now(self.approved(call, Approval { purchase: Some(response), ..decided }, None, None, Some(write))))
                    }
                    ApprovalKind::Exchange => {
                        let view = view.exchange;
                        if let Some(done) = view.completed {
                            return Ok(decided_now(self.approved(call, Approval { exchange: Some(done), ..decided }, None, None, None)));
                        }
                        let session = view.session.ok_or_else(|| no_approval(id))?;
                        let fresh = self.exchange_requote(call, &session, view.reservations.clone(), &view.scopes)?;
                        if let Some(error) = fresh.policy_result.policy_errors.first() {
                            return Err(ServiceError::new(ProblemCode::PolicyRefused, format!("The exchange is refused: {}", error.message)).into());
                        }
                        if rule::exchange_figure(&fresh) != approval.amount {
                            let again = Approval {
                                status: ApprovalStatus::NeedsApprovalAgain,
                                previous_amount: Some(approval.amount),
                                amount: rule::exchange_figure(&fresh),
                                amount_usd: Some(rule::exchange_figure_usd(&fresh)).filter(|f| f.currency == quote_engine::Currency::USD),
                                exchange_quote: Some(fresh),
                                ..decided
                            };
                            return Ok(decided_now(self.again(call, again)));
                        }
                        let (write, response) = self.exchange_write(call, session.clone(), view.reservations, &view.scopes, Some(fresh.clone()), note.clone())?;
                        // Azure mode: approved once Azure has carried it out (below).
                        if azure {
                            let planned = write.purchased.into_iter().map(|(r, _)| r).collect();
                            let session = crate::store::ExchangeSession { quote: fresh, ..session };
                            return Ok(Decision::Answer(Approve::Exchange { approval: decided, session, planned, plans: write.savings_plans, note }));
                        }
                        Ok(decided_now(self.approved(call, Approval { exchange: Some(response), ..decided }, None, Some(write), None)))
                    }
                }
            })
            .await?;
        let decided = match step {
            Approve::Decided(decided) => decided,
            Approve::Refund { approval, session, note } => {
                let done = self.approve_return_through_azure(call, &approval, session, note).await?;
                self.approved_after_azure(call, Approval { refund: Some(done), ..approval }).await?
            }
            Approve::Exchange { approval, session, planned, plans, note } => {
                let done = self.approve_exchange_through_azure(call, &approval, session, planned, plans, note).await?;
                self.approved_after_azure(call, Approval { exchange: Some(done), ..approval }).await?
            }
            Approve::Purchase { approval, session, planned, note } => {
                let done = self.approve_purchase_through_azure(call, &approval, *session, *planned, note).await?;
                self.approved_after_azure(call, Approval { purchase: Some(done), ..approval }).await?
            }
        };
        self.queue_outcome(&decided, call.now).await;
        Ok(decided)
    }

    /// Whether the session's money move was carried to Azure (claimed: asked, sent or done).
    async fn carried_to_azure(&self, session_id: &str) -> Result<bool, DeskError> {
        use crate::upstream::UpstreamState;
        let op = self.store.upstream_of_session(session_id).await?;
        Ok(op.is_some_and(|o| matches!(o.state, UpstreamState::Asked | UpstreamState::Sent | UpstreamState::Succeeded)))
    }

    /// Records the approval of a money move Azure carried out (the move itself recorded with
    /// Azure's answer): approved now, unless it was decided meanwhile.
    async fn approved_after_azure(&self, call: &Call, approval: Approval) -> Result<Approval, DeskError> {
        let id = approval.id.clone();
        self.store
            .approval_step(approval.kind, &approval.session_id.clone(), |view: ApprovalView| {
                let open = view.approval.filter(|a| a.id == id).ok_or_else(|| no_approval(&id))?;
                if !open.status.is_open() {
                    return Ok(Decision::Answer(open));
                }
                Ok(self.approved(call, approval, None, None, None))
            })
            .await
    }

    /// The decision of an approval that moves (or found moved) the money.
    fn approved(
        &self,
        call: &Call,
        approval: Approval,
        refund: Option<crate::store::ReturnWrite>,
        exchange: Option<crate::store::ExchangeWrite>,
        purchase: Option<crate::store::PurchaseWrite>,
    ) -> Decision<ApprovalWrite, Approval> {
        let approval = Approval { status: ApprovalStatus::Approved, ..approval };
        let entry = self.approval_entry(call, AuditAction::ApprovalApproved.code(), &approval, &format!("approved by {}", named(&person(call))));
        Decision::Write(ApprovalWrite { approval: Some(approval.clone()), audit: vec![entry], refund, exchange, purchase, at: call.now }, approval)
    }

    /// The decision of an approval that found another amount.
    fn again(&self, call: &Call, approval: Approval) -> Decision<ApprovalWrite, Approval> {
        let previous = approval.previous_amount.map(|m| m.to_string()).unwrap_or_default();
        let what = format!("quoted again by {}: {previous} is now {}; needs approval again", named(&person(call)), approval.amount);
        let entry = self.approval_entry(call, AuditAction::ApprovalNeedsApprovalAgain.code(), &approval, &what);
        Decision::Write(ApprovalWrite { approval: Some(approval.clone()), audit: vec![entry], refund: None, exchange: None, purchase: None, at: call.now }, approval)
    }

    /// `POST /approvals/{approvalId}/reject`: with a reason; nothing moves.
    pub async fn reject(&self, call: &Call, id: &str, request: RejectApproval) -> Result<Approval, DeskError> {
        let reason = request.reason.trim().to_owned();
        if reason.is_empty() {
            return Err(ServiceError::invalid(ProblemCode::Required, "reason", "Give a reason for the rejection.").into());
        }
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(ServiceError::invalid(ProblemCode::TooLong, "reason", format!("The reason is longer than {REASON_MAX_CHARS} characters.")).into());
        }
        let found = self.decidable(call, id, "reject").await?;
        if self.settings.source == contract::DataSource::Azure && self.carried_to_azure(&found.session_id).await? {
            return Err(ServiceError::new(
                ProblemCode::ApprovalClosed,
                format!("Approval request '{id}' was approved and Azure is carrying it out (or has made it); it can no longer be rejected."),
            )
            .into());
        }
        let decided = self
            .store
            .approval_step(found.kind, &found.session_id, |view: ApprovalView| {
                let approval = view.approval.filter(|a| a.id == id).ok_or_else(|| no_approval(id))?;
                still_open(&approval, call)?;
                let me = person(call);
                let rejected = Approval {
                    status: ApprovalStatus::Rejected,
                    decided_by: Some(me.clone()),
                    decided_at: Some(timestamp(call.now)),
                    rejection_reason: Some(reason.clone()),
                    ..approval
                };
                let entry = self.approval_entry(call, AuditAction::ApprovalRejected.code(), &rejected, &format!("rejected by {}: {reason}", named(&me)));
                let write = ApprovalWrite { approval: Some(rejected.clone()), audit: vec![entry], refund: None, exchange: None, purchase: None, at: call.now };
                Ok(Decision::Write(write, rejected))
            })
            .await?;
        self.queue_outcome(&decided, call.now).await;
        Ok(decided)
    }
}
