//! Refunds and exchanges: a quote and a ten-minute session, then the move itself, recomputed
//! before money moves, once per session, serialized by the store.

use chrono::{DateTime, Duration, Utc};
use contract::AuditAction;
use contract::{
    AuditEntry, CalculateExchangeRequest, CalculateExchangeResponse, CalculateRefundRequest, CalculateRefundResponse, ExchangeOutcome,
    ExchangeRequest, ExchangeResponse, ProblemCode, ReservationDetail, ReturnOutcome, ReturnRequest, ReturnResponse,
};
use desk_service::exchange::{self, CheckedReturn};
use desk_service::refund::{self, SESSION_TTL_SECONDS};
use desk_service::utilization::{self, UsageProfile};
use desk_service::ServiceError;
use quote_engine::{Money, PolicyName};
use quote_engine::api::{ExchangeQuoteRequest, ExchangeQuoteResponse, RefundQuoteRequest, RefundQuoteResponse};

use super::{audit_entry, exchange_ids, Note, exchange_lines, no_exchange_session, no_reservation, timestamp, unknown_exchange_reservation, Desk};
use crate::store::{
    Move,
    Decision, ExchangeSession, ExchangeView, ExchangeWrite, RefundRecord, RefundSession, ReturnView, ReturnWrite, Stored,
};
use crate::{Call, DeskError, Ids};

/// A savings plan SKU by Microsoft's English name for the plan, in the audit log's English
/// (another SKU as Azure names it).
fn plan_name(sku: &str) -> &str {
    match sku {
        quote_engine::COMPUTE_SAVINGS_PLAN => "savings plan for compute",
        quote_engine::DATABASE_SAVINGS_PLAN => "savings plan for databases",
        other => other,
    }
}

/// How a newly bought reservation is used in the demo (it has no history yet). Local mode only:
/// a reservation bought through Azure is kept as [`bought_through_azure`] says.
pub const NEW_RESERVATION_USAGE: UsageProfile = UsageProfile { level: Some(75), read: None };

/// A reservation just bought (or exchanged into) through Azure as the desk keeps it until the
/// customer is read again: today's price is the one Azure just charged for it (`paid`, its total
/// for all units, divided by the units), or unknown with why; its utilization is not reported
/// (no average, no day) until Azure reports one. Never the demo catalog's price nor the demo's
/// usage.
pub(super) fn bought_through_azure(mut r: contract::Reservation, paid: Result<Money, &str>, at: DateTime<Utc>) -> (contract::Reservation, UsageProfile) {
    let unknown = |code: &str, message: String| contract::source::TodayPrice::Unknown { code: code.into(), message };
    r.today_price = Some(match paid {
        Err(why) => unknown("NotPricedAlone", why.to_owned()),
        Ok(total) if total.currency != r.unit_price.currency => unknown(
            "OtherCurrency",
            format!("Azure charged {total}, not in the reservation's billing currency {}: today's price is asked at the next read.", r.unit_price.currency),
        ),
        Ok(total) => match per_unit(total, r.quantity) {
            // The price just paid, not a `calculatePrice` answer: no subscription asked.
            Some(unit_price) => contract::source::TodayPrice::Azure { unit_price, priced_at: crate::source::instant_text(at), subscription_id: None, priced_under: None },
            None => unknown(
                "NotPerUnit",
                format!("Azure charged {total} for {} units, which is no whole price per unit: today's price is asked at the next read.", r.quantity),
            ),
        },
    });
    r.utilization = contract::UtilizationAggregates::not_reported();
    (r, UsageProfile::NOT_YET_REPORTED)
}

/// `total` shared by `units` equal units, when it divides into the currency's minor unit.
fn per_unit(total: Money, units: u32) -> Option<Money> {
    let units = rust_decimal::Decimal::from(units);
    if units.is_zero() {
        return None;
    }
    let unit = Money::new(total.amount.checked_div(units)?, total.currency).round();
    (unit.amount * units == total.amount).then_some(unit)
}

pub(super) fn session_ttl() -> Duration {
    Duration::seconds(SESSION_TTL_SECONDS)
}

/// How long past its expiry a session is kept before a new session's save deletes it: long
/// enough that a return sent just after the expiry is still told `sessionExpired` (not "no such
/// session"), short enough that sessions never pile up.
pub const SESSION_PURGE_MARGIN_SECONDS: i64 = 600;

/// Sessions that expired before this instant are deleted when a session is saved at `now`
/// (a completed one stays: its answer is given again to a repeated submission).
pub(super) fn purge_before(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    now - Duration::seconds(SESSION_PURGE_MARGIN_SECONDS)
}

/// Quotes asked of Azure (`quoted` operations) last changed before this instant are deleted when
/// one is saved at `now`: their sessions have expired and been purged.
pub(super) fn quotes_purged_before(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    purge_before(now) - session_ttl()
}

pub(super) fn expired(what: &str) -> DeskError {
    ServiceError::new(
        ProblemCode::SessionExpired,
        format!("The {what} session has expired (10 minutes). Calculate the {what} again."),
    )
    .into()
}

/// A what-if session's return: only the deployment's policy moves money.
fn not_deployed(quoted: PolicyName, deployed: PolicyName) -> DeskError {
    ServiceError::new(
        ProblemCode::PolicyNotDeployed,
        format!(
            "This refund was quoted under the '{quoted}' policy as a what-if; this deployment refunds under '{deployed}' only. \
             Calculate the refund again without a policy (or with '{deployed}') to return it."
        ),
    )
    .into()
}

/// The returned reservations of an exchange request, with their histories; a missing one (or
/// one not of the order its line names) is a 400 naming its place in the request. `stored` is
/// in the request's order ([`exchange_lines`]).
fn exchange_details(
    request: &CalculateExchangeRequest,
    stored: Vec<Option<Stored>>,
    call: &Call,
) -> Result<Vec<ReservationDetail>, DeskError> {
    request
        .reservations_to_exchange
        .iter()
        .zip(stored)
        .enumerate()
        .map(|(i, (ret, found))| {
            let (r, usage) = found.ok_or_else(|| unknown_exchange_reservation(i, ret))?;
            Ok(utilization::detail(r, usage, call.today()))
        })
        .collect()
}

fn checked<'a>(details: &'a [ReservationDetail], request: &CalculateExchangeRequest) -> Vec<CheckedReturn<'a>> {
    details
        .iter()
        .zip(&request.reservations_to_exchange)
        .map(|(detail, ret)| CheckedReturn { detail, quantity: ret.quantity })
        .collect()
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// `POST /reservationOrders/{orderId}/calculateRefund`: the quote, kept in a session. Quoted
    /// by the deployment's policy unless the request names another: then it is a what-if, and
    /// its session cannot be returned.
    pub async fn calculate_refund(
        &self,
        call: &Call,
        order_id: &str,
        request: CalculateRefundRequest,
    ) -> Result<CalculateRefundResponse, DeskError> {
        let detail = self.reservation(call, order_id, &request.reservation_id).await?;
        let deployed = self.settings.refund_policy;
        let policy = request.policy.unwrap_or(deployed);
        let ledger = self.store.ledger(&detail.reservation.customer_id).await?;
        let quote = refund::quote(&detail, &ledger, call.today(), request.quantity, policy)?;
        let session = RefundSession {
            id: self.new_id(),
            order_id: order_id.to_owned(),
            reservation_id: request.reservation_id,
            policy,
            quote,
            created_at: call.now,
            expires_at: call.now + session_ttl(),
        };
        self.store.save_refund_session(&session, purge_before(call.now)).await?;
        // Azure mode: Azure's own calculation beside the desk's (its session kept server side).
        let azure = match self.settings.source {
            contract::DataSource::Azure => Some(self.azure_check(call, &session, &detail.reservation.customer_id).await?),
            contract::DataSource::Local => None,
        };
        // What Submit will do, told before it: the same rule the submission applies.
        let approval_needed =
            desk_service::approval::refund_approval(self.settings.approval_threshold, &session.quote, azure.as_ref().map(|a| a.pricing_refund_amount));
        Ok(CalculateRefundResponse {
            session_id: session.id,
            expires_at: timestamp(session.expires_at),
            policy,
            what_if: policy != deployed,
            quote: session.quote,
            azure,
            approval_needed,
        })
    }

    /// `POST /reservationOrders/{orderId}/return`: the session's quote recomputed now and, if
    /// nothing changed, applied once; the same session again answers what was done. Only the
    /// deployment's policy moves money: a session quoted under another (a what-if) is refused.
    /// Above the deployment's approval threshold nothing moves: the answer is the approval
    /// request it waits for (`desk/approvals.rs`).
    pub async fn submit_return(&self, call: &Call, order_id: &str, request: ReturnRequest) -> Result<ReturnOutcome, DeskError> {
        let reason = request.return_reason.trim();
        if reason.is_empty() {
            return Err(ServiceError::invalid(ProblemCode::Required, "returnReason", "Give a reason for the return.").into());
        }
        let ticket = desk_service::ticket::ticket_reference(request.ticket_reference.as_deref(), self.settings.require_ticket_reference)?;
        if self.settings.approval_threshold.is_some() {
            return self.return_or_ask(call, order_id, &request.session_id, reason, ticket).await;
        }
        if self.settings.source == contract::DataSource::Azure {
            return self.return_through_azure(call, order_id, &request.session_id, reason, Note::ticket(ticket)).await;
        }
        let refund_id = self.new_id();
        let price = self.price_in_force_of_order(order_id).await?;
        self.store
            .return_reservation(&request.session_id, |view: ReturnView| {
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(ReturnOutcome::Done(done)));
                }
                let session = self.returnable(call, order_id, &request.session_id, view.session)?;
                let (write, response) =
                    self.refund_write(call, order_id, session, view.reservation, &view.ledger, refund_id, reason, Note::ticket(ticket.clone()).priced(price.clone()))?;
                Ok(Decision::Write(write, ReturnOutcome::Done(response)))
            })
            .await
    }

    /// The session a return names, when it can be returned now: of this order, quoted under the
    /// deployment's policy, not expired.
    pub(super) fn returnable(
        &self, call: &Call, order_id: &str, session_id: &str, session: Option<RefundSession>,
    ) -> Result<RefundSession, DeskError> {
        let deployed = self.settings.refund_policy;
        let session = session
            .filter(|s| s.order_id == order_id)
            .ok_or_else(|| DeskError::not_found(format!("Reservation order '{order_id}' has no refund session '{session_id}'.")))?;
        if session.policy != deployed {
            return Err(not_deployed(session.policy, deployed));
        }
        if call.now > session.expires_at {
            return Err(expired("refund"));
        }
        Ok(session)
    }

    /// What returning `session` writes and answers, its quote recomputed from the stored
    /// reservation and ledger (a changed quote, a policy refusal or a reservation gone is an
    /// error, and nothing is written). `note`'s names end the audit entry's change (an approval's),
    /// its ticket reference goes into the entry.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn refund_write(
        &self,
        call: &Call,
        order_id: &str,
        session: RefundSession,
        reservation: Option<Stored>,
        ledger: &[desk_service::limit::LedgerEntry],
        refund_id: String,
        reason: &str,
        note: Note,
    ) -> Result<(ReturnWrite, ReturnResponse), DeskError> {
        let (reservation, usage) = reservation.ok_or_else(|| no_reservation(order_id, &session.reservation_id))?;
        let detail = utilization::detail(reservation, usage, call.today());
        let plan = refund::plan_return(&detail, ledger, call.today(), &session.quote, session.policy)?;
        let r = &detail.reservation;
        let response = ReturnResponse {
            refund_id,
            session_id: session.id.clone(),
            quote: session.quote,
            remaining_quantity: plan.remaining_quantity,
        };
        let change = format!(
            "returned {}: quantity {} → {}; refund {}; session {}{}",
            super::counted(response.quote.quantity, "unit"),
            r.quantity,
            plan.remaining_quantity,
            response.quote.refund_amount,
            session.id,
            note.names
        );
        let target = format!("reservationOrders/{order_id}/reservations/{}", r.id);
        let detail = contract::ChangeDetail::Refund {
            units: contract::UnitsMoved { quantity_before: r.quantity, quantity_after: plan.remaining_quantity },
            refund: response.quote.refund_amount,
            approval: note.approvers.clone(),
            statement: Vec::new(),
            through_azure: false,
        };
        let time = timestamp(call.now);
        let recorded = super::pricing::Recorded { time: &time, price: note.price.as_ref() };
        let statement = vec![recorded.refund(r, r.quantity.saturating_sub(plan.remaining_quantity), response.quote.refund_amount)];
        let moved = Move {
            order_id: order_id.to_owned(),
            reservation_id: r.id.clone(),
            action: AuditAction::Refund.code().into(),
            time: timestamp(call.now),
            actor: call.user.user_principal_name.clone(),
            change: format!(
                "returned {}: quantity {} → {}; refund {}",
                super::counted(response.quote.quantity, "unit"),
                r.quantity,
                plan.remaining_quantity,
                response.quote.refund_amount
            ),
            quantity_before: r.quantity,
            quantity: plan.remaining_quantity,
            state: plan.state,
            ticket_reference: note.ticket_reference.clone(),
            detail: Some(detail.clone()),
        };
        let write = ReturnWrite {
            moved,
            remaining_quantity: plan.remaining_quantity,
            state: plan.state,
            ledger_entry: plan.ledger_entry.clone(),
            refund: RefundRecord {
                response: response.clone(),
                order_id: order_id.to_owned(),
                reservation_id: r.id.clone(),
                customer_id: r.customer_id.clone(),
                reason: reason.to_owned(),
                at: call.now,
            },
            audit: AuditEntry {
                // What the ledger holds, so the chain covers what the limit is computed from.
                ledger: plan.ledger_entry.iter().map(crate::audit_chain::ledger_row).collect(),
                ticket_reference: note.ticket_reference,
                ..audit_entry(call, AuditAction::Refund.code(), target, Some(r.customer_id.clone()), change, super::pricing::with_statement(detail, statement))
            },
        };
        Ok((write, response))
    }

    /// `POST /calculateExchange`: the quote, kept in a session.
    pub async fn calculate_exchange(
        &self,
        call: &Call,
        request: CalculateExchangeRequest,
    ) -> Result<CalculateExchangeResponse, DeskError> {
        // Bounded before anything is read; the returned reservations in one read.
        exchange::check_line_counts(&request)?;
        let lines = &request.reservations_to_exchange;
        let stored = exchange_lines(lines, self.store.reservations_by_ids(&exchange_ids(lines)).await?);
        let details = exchange_details(&request, stored, call)?;
        let scopes = match details.first() {
            Some(d) => self.store.scopes(&d.reservation.customer_id).await?,
            None => Vec::new(),
        };
        // Azure mode: each reservation bought at Azure's price for the customer (its catalog
        // checked); local mode: the demo catalog's.
        let mut offers = Vec::new();
        if let (contract::DataSource::Azure, Some(first)) = (self.settings.source, details.first()) {
            for p in &request.reservations_to_purchase {
                let subscription = p.applied_scope_properties.as_ref().and_then(|a| a.subscription_id.as_deref()).map(|s| s.rsplit('/').next().unwrap_or(s).to_owned());
                offers.push(self.offer(call, &first.reservation.customer_id, p, subscription.as_deref()).await?.offer);
            }
        }
        let quote = exchange::quote(&checked(&details, &request), exchange::Bought::of(&request).at(&offers), &scopes, call.today(), self.settings.refund_policy)?;
        let session = ExchangeSession {
            id: self.new_id(),
            request,
            quote,
            offers,
            created_at: call.now,
            expires_at: call.now + session_ttl(),
        };
        // A quote the policy refuses is kept too, so that an exchange naming it is answered with
        // the quote's refusal (its policy errors), not as a session that never was.
        self.store.save_exchange_session(&session, purge_before(call.now)).await?;
        // Azure mode: Azure's own calculation of the returns and of what the desk would buy
        // (its plan), beside the desk's quote (its session kept server side).
        let azure = match (self.settings.source, details.first()) {
            (contract::DataSource::Azure, Some(first)) if session.quote.is_valid_exchange => {
                let plan = exchange::plan_exchange(
                    &checked(&details, &session.request),
                    exchange::Bought::of(&session.request).at(&session.offers),
                    &scopes,
                    call.today(),
                    self.settings.refund_policy,
                    &session.id,
                    &session.quote,
                )?;
                let lines = details
                    .iter()
                    .zip(&session.request.reservations_to_exchange)
                    .map(|(d, line)| crate::upstream::ExchangeLine {
                        order_id: d.reservation.reservation_order_id.clone(),
                        reservation_id: d.reservation.id.clone(),
                        quantity: line.quantity,
                        quantity_before: None,
                    })
                    .collect();
                let customer_id = first.reservation.customer_id.clone();
                Some(self.azure_exchange_check(call, &session, lines, plan.purchased, plan.savings_plans, &customer_id).await?)
            }
            _ => None,
        };
        // What Submit will do, told before it: the same rule the submission applies (a refused
        // quote is never submitted).
        let approval_needed = match session.quote.is_valid_exchange {
            true => desk_service::approval::exchange_approval(self.settings.approval_threshold, &session.quote, azure.as_ref().map(|a| a.refunds_total)),
            false => None,
        };
        Ok(CalculateExchangeResponse { session_id: session.id, expires_at: timestamp(session.expires_at), quote: session.quote, azure, approval_needed })
    }

    /// `POST /exchange`: recomputed now and, if nothing changed, applied once. Above the
    /// deployment's approval threshold nothing moves: the answer is the approval request.
    pub async fn submit_exchange(&self, call: &Call, request: ExchangeRequest) -> Result<ExchangeOutcome, DeskError> {
        let reason = super::approvals::requesters_reason(request.reason.as_deref())?;
        let ticket = desk_service::ticket::ticket_reference(request.ticket_reference.as_deref(), self.settings.require_ticket_reference)?;
        // A refused quote is answered as it was refused, whichever way the exchange would go (a
        // refused session is never carried out, asked for approval nor sent to Azure, so it
        // does not change after this read).
        if let Some(refused) = self.store.exchange_session(&request.session_id).await?.and_then(|s| desk_service::exchange::refusal(&s.quote)) {
            return Err(refused.into());
        }
        if self.settings.approval_threshold.is_some() {
            return self.exchange_or_ask(call, &request.session_id, reason, ticket).await;
        }
        if self.settings.source == contract::DataSource::Azure {
            return self.exchange_through_azure(call, &request.session_id, Note::ticket(ticket)).await;
        }
        let price = self.price_in_force_of_exchange(&request.session_id).await?;
        self.store
            .exchange(&request.session_id, |view: ExchangeView| {
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(ExchangeOutcome::Done(done)));
                }
                let session = view.session.ok_or_else(|| no_exchange_session(&request.session_id))?;
                if call.now > session.expires_at {
                    return Err(expired("exchange"));
                }
                let (write, response) = self.exchange_write(call, session, view.reservations, &view.scopes, None, Note::ticket(ticket.clone()).priced(price.clone()))?;
                Ok(Decision::Write(write, ExchangeOutcome::Done(response)))
            })
            .await
    }

    /// What carrying out `session` writes and answers, recomputed from the stored reservations
    /// (`fresh`: a quote of today the caller already made, which then stands for the session's).
    pub(super) fn exchange_write(
        &self,
        call: &Call,
        session: ExchangeSession,
        reservations: Vec<Stored>,
        scopes: &[contract::Scope],
        fresh: Option<ExchangeQuoteResponse>,
        note: Note,
    ) -> Result<(ExchangeWrite, ExchangeResponse), DeskError> {
        let lines = &session.request.reservations_to_exchange;
        let details = exchange_details(&session.request, exchange_lines(lines, reservations), call)?;
        let quote = fresh.unwrap_or_else(|| session.quote.clone());
        let plan = exchange::plan_exchange(
            &checked(&details, &session.request),
            exchange::Bought::of(&session.request).at(&session.offers),
            scopes,
            call.today(),
            self.settings.refund_policy,
            &session.id,
            &quote,
        )?;
        let response = ExchangeResponse {
            session_id: session.id.clone(),
            reservation_order_id: plan.order_id.clone(),
            purchased: plan.purchased.clone(),
            quote,
            savings_plans: plan.savings_plans.clone(),
        };
        // As before for an exchange that buys reservations; a trade-in that buys only savings
        // plans names no reservation order.
        let mut change = if response.purchased.is_empty() && !plan.savings_plans.is_empty() {
            format!("returned {}; net payable {}", super::counted(plan.returns.len(), "reservation"), response.quote.net_payable)
        } else {
            format!(
                "returned {}, bought {} in order {}; net payable {}",
                super::counted(plan.returns.len(), "reservation"),
                response.purchased.len(),
                plan.order_id,
                response.quote.net_payable
            )
        };
        // A trade-in: each savings plan bought, with its commitment and term, and what was traded
        // in for it (a savings plan cannot be cancelled, exchanged or refunded).
        if !plan.savings_plans.is_empty() {
            let traded: Vec<String> = plan.returns.iter().map(|(order, id, left, _)| format!("{order}/{id} (left {left})")).collect();
            let plans: Vec<String> = plan
                .savings_plans
                .iter()
                .map(|p| {
                    format!(
                        "savings plan {} ({}, {} {}, {} {} per hour, lifetime {}, {} to {})",
                        p.id,
                        plan_name(&p.sku_name),
                        p.term.years(),
                        if p.term.years() == 1 { "year" } else { "years" },
                        p.commitment.currency_code,
                        p.commitment.amount,
                        p.lifetime_commitment,
                        p.start_date,
                        p.expiry_date
                    )
                })
                .collect();
            change = format!("{change}; traded in {} for {}", traded.join(", "), plans.join(", "));
        }
        let change = format!("{change}{}", note.names);
        let bought: Vec<contract::Bought> = response.purchased.iter().map(contract::Bought::of).collect();
        let savings_plans: Vec<contract::BoughtSavingsPlan> = plan.savings_plans.iter().map(contract::BoughtSavingsPlan::of).collect();
        let units_of = |order: &str, id: &str, left: u32| contract::UnitsMoved {
            quantity_before: details.iter().find(|d| d.reservation.reservation_order_id == order && d.reservation.id == id).map_or(left, |d| d.reservation.quantity),
            quantity_after: left,
        };
        let orders = super::exchange_orders(plan.returns.iter().map(|(order, ..)| order.as_str()).chain(response.purchased.iter().map(|r| r.reservation_order_id.as_str())));
        // The History row of one returned reservation: its own line, and what the exchange bought.
        let detail_of = |returned: Vec<contract::UnitsMoved>| contract::ChangeDetail::Exchange {
            returned,
            net_payable: response.quote.net_payable,
            bought: bought.clone(),
            savings_plans: savings_plans.clone(),
            orders: orders.clone(),
            refunds_total: Some(response.quote.refunds_total),
            purchases_total: Some(response.quote.purchases_total),
            approval: note.approvers.clone(),
            statement: Vec::new(),
            through_azure: false,
        };
        let detail = detail_of(plan.returns.iter().map(|(order, id, left, _)| units_of(order, id, *left)).collect());
        // The statement's lines: each return's credit and each purchase's charge, as the quote's
        // lines give them (in the order asked).
        let returned_before: Vec<(&contract::Reservation, u32)> = plan
            .returns
            .iter()
            .filter_map(|(order, id, left, _)| details.iter().find(|d| d.reservation.reservation_order_id == *order && d.reservation.id == *id).map(|d| (&d.reservation, d.reservation.quantity.saturating_sub(*left))))
            .collect();
        let time = timestamp(call.now);
        let statement = super::pricing::exchange_statement(
            &super::pricing::Recorded { time: &time, price: note.price.as_ref() },
            &returned_before,
            &response.purchased,
            &plan.savings_plans,
            &response.quote,
            (response.quote.refunds_total, response.quote.purchases_total),
            &orders,
        );
        // Before trade-ins an exchange named the customer of what it bought; a trade-in may buy no
        // reservation, so the returns' customer (the same one) is named.
        let customer = response.purchased.first().map(|r| r.customer_id.clone()).or_else(|| Some(plan.customer_id.clone()));
        let moves = plan
            .returns
            .iter()
            .map(|(order, id, left, state)| {
                let before = details.iter().find(|d| d.reservation.reservation_order_id == *order && d.reservation.id == *id).map_or(*left, |d| d.reservation.quantity);
                Move {
                    order_id: order.clone(),
                    reservation_id: id.clone(),
                    action: AuditAction::Exchange.code().into(),
                    time: timestamp(call.now),
                    actor: call.user.user_principal_name.clone(),
                    change: format!(
                        "returned {} in an exchange: quantity {before} → {left}; net payable {}",
                        super::counted(before.saturating_sub(*left), "unit"),
                        response.quote.net_payable
                    ),
                    quantity_before: before,
                    quantity: *left,
                    state: *state,
                    ticket_reference: note.ticket_reference.clone(),
                    detail: Some(detail_of(vec![units_of(order, id, *left)])),
                }
            })
            .collect();
        let write = ExchangeWrite {
            moves,
            returns: plan.returns,
            purchased: plan.purchased.into_iter().map(|r| (r, NEW_RESERVATION_USAGE)).collect(),
            savings_plans: plan.savings_plans,
            response: response.clone(),
            at: call.now,
            audit: AuditEntry {
                ticket_reference: note.ticket_reference,
                ..audit_entry(call, AuditAction::Exchange.code(), format!("exchange/{}", session.id), customer, change, super::pricing::with_statement(detail, statement))
            },
        };
        Ok((write, response))
    }

    /// The fresh quote of an exchange session's lines today, from the stored reservations.
    pub(super) fn exchange_requote(
        &self, call: &Call, session: &ExchangeSession, reservations: Vec<Stored>, scopes: &[contract::Scope],
    ) -> Result<ExchangeQuoteResponse, DeskError> {
        let lines = &session.request.reservations_to_exchange;
        let details = exchange_details(&session.request, exchange_lines(lines, reservations), call)?;
        Ok(exchange::quote(
            &checked(&details, &session.request),
            exchange::Bought::of(&session.request).at(&session.offers),
            scopes,
            call.today(),
            self.settings.refund_policy,
        )?)
    }

    /// `POST /quotes/refund`: the engine on the caller's figures (nothing is stored or moved).
    pub fn quote_refund(&self, request: &RefundQuoteRequest) -> Result<RefundQuoteResponse, DeskError> {
        Ok(quote_engine::api::refund(request)?)
    }

    /// `POST /quotes/exchange`: the engine on the caller's figures.
    pub fn quote_exchange(&self, request: &ExchangeQuoteRequest) -> Result<ExchangeQuoteResponse, DeskError> {
        Ok(quote_engine::api::exchange(request)?)
    }
}
