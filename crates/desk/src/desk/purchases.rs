//! Purchases: a quote in a ten-minute session, then the purchase itself, recomputed before
//! money moves and carried out once per session, serialized by the store with the customer's
//! other money moves. The session's ID is the new order's: a double click, a resubmission or a
//! second approval finds the order bought and buys nothing more. A purchase never counts
//! toward the refund limit. Above the approval threshold (its commitment in USD) it waits for
//! another user's approval, as a refund or exchange does.

use contract::{
    Approval, ApprovalKind, AuditAction, CalculatePurchaseRequest, CalculatePurchaseResponse, ProblemCode, PurchaseOutcome, PurchaseRequest,
    PurchaseResponse,
};
use desk_service::utilization::UsageProfile;
use desk_service::ServiceError;
use quote_engine::Currency;

use super::money::{expired, purge_before, session_ttl, NEW_RESERVATION_USAGE};
use super::{audit_entry, no_customer, timestamp, Desk, Note};
use crate::store::{ApprovalView, ApprovalWrite, Decision, PurchaseSession, PurchaseView, PurchaseWrite};
use crate::{Call, DeskError, Ids};

/// The answer for a purchase session that does not exist (or is of a customer the caller does
/// not see).
pub(super) fn no_purchase_session(session_id: &str) -> DeskError {
    DeskError::not_found(format!("There is no purchase session '{session_id}'. Calculate the purchase again."))
}

/// Refuses a purchase whose caller names another purchase than the session's (`expected`).
pub(super) fn as_calculated(expected: Option<&contract::ExchangePurchaseRequest>, view: &PurchaseView) -> Result<(), DeskError> {
    match (expected, &view.session) {
        (Some(asked), Some(session)) if asked != &session.request.purchase => Err(ServiceError::new(
            ProblemCode::QuoteChanged,
            "This is not the purchase that was calculated under this order: calculate the price of this one first.",
        )
        .into()),
        _ => Ok(()),
    }
}

/// What a purchase bought, as its audit entry says it: "2 × Standard_D4s_v5 in westeurope for
/// 1 year".
pub(super) fn bought_words(r: &contract::Reservation) -> String {
    let term = match r.term.years() {
        1 => "1 year".to_owned(),
        n => format!("{n} years"),
    };
    format!("{} × {} in {} for {term}", r.quantity, r.sku_name, r.location)
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// `GET /customers/{customerId}/recommendations?lookBack=`: what to buy from the customer's
    /// usage over `look_back`, each priced by the engine, and the yearly savings still on the
    /// table. In Azure mode they are Microsoft.Consumption's, read in the customer's tenant
    /// (`azure_recommendations.rs`); local mode (and the static build) honours the look-back
    /// too: its usage runs evenly, so the costs are over that many days.
    pub async fn recommendations(&self, call: &Call, customer_id: &str, look_back: contract::LookBackPeriod) -> Result<contract::CustomerRecommendations, DeskError> {
        self.require_customer(customer_id).await?;
        if self.settings.source == contract::DataSource::Azure {
            return self.recommendations_from_azure(call, customer_id, look_back).await;
        }
        let reservations = self.store.reservations_of(customer_id).await?;
        let scopes = self.store.scopes(customer_id).await?;
        let currency = reservations.first().map_or(Currency::USD, |(r, _)| r.unit_price.currency);
        let recommendations = desk_service::recommendations::of_customer(customer_id, &reservations, &scopes, currency, look_back, call.today())?;
        let savings_per_year = desk_service::recommendations::savings_on_the_table(&recommendations, currency)?;
        Ok(contract::CustomerRecommendations { recommendations, savings_per_year, look_back_period: look_back, left_out: Vec::new() })
    }

    /// `POST /calculatePurchase`: the quote in the customer's currency, kept in a session whose
    /// ID is the order the purchase will create. A quote the policy refuses (a retired VM series
    /// × term) is answered with why, and its session is not kept.
    pub async fn calculate_purchase(&self, call: &Call, request: CalculatePurchaseRequest) -> Result<CalculatePurchaseResponse, DeskError> {
        let customer = &request.customer_id;
        if self.store.customer(customer).await?.is_none() {
            return Err(no_customer(customer));
        }
        let scopes = self.store.scopes(customer).await?;
        let subscription = request.purchase.applied_scope_properties.as_ref().and_then(|a| a.subscription_id.as_deref()).map(|s| s.rsplit('/').next().unwrap_or(s).to_owned());
        let offer = self.offer(call, customer, &request.purchase, subscription.as_deref()).await?.offer;
        let quoted = desk_service::purchase::quote_offer(&request.purchase, &offer, request.on_demand, &scopes, call.today())?;
        let session = PurchaseSession {
            id: self.new_id(),
            request,
            quote: quoted.quote,
            usd_commitment: quoted.usd_commitment,
            offer: Some(offer),
            created_at: call.now,
            expires_at: call.now + session_ttl(),
        };
        let buyable = session.quote.is_buyable();
        if buyable {
            self.store.save_purchase_session(&session, purge_before(call.now)).await?;
        }
        // Azure mode: Azure's own price beside the desk's (what Partner Center then buys).
        let azure = if buyable && self.settings.source == contract::DataSource::Azure {
            let request = &session.request;
            let (planned, _) = desk_service::purchase::plan(
                &request.purchase,
                session.offer.as_ref().ok_or_else(|| no_purchase_session(&session.id))?,
                request.on_demand,
                &session.id,
                &request.customer_id,
                &scopes,
                call.today(),
                &session.quote,
            )?;
            Some(self.azure_purchase_check(call, &session, planned).await?)
        } else {
            None
        };
        // What Buy will do, told before it: the same rule the purchase applies.
        let approval_needed = buyable.then(|| desk_service::approval::purchase_approval(self.settings.approval_threshold, session.usd_commitment, session.quote.commitment)).flatten();
        Ok(CalculatePurchaseResponse {
            reservation_order_id: session.id.clone(),
            session_id: session.id,
            expires_at: timestamp(session.expires_at),
            quote: session.quote,
            commitment_usd: session.usd_commitment,
            approval_needed,
            azure,
        })
    }

    /// `POST /purchase`: recomputed now and, if nothing changed, bought once. Above the
    /// deployment's approval threshold nothing is bought: the answer is the approval request.
    pub async fn submit_purchase(&self, call: &Call, request: PurchaseRequest) -> Result<PurchaseOutcome, DeskError> {
        let reason = super::approvals::requesters_reason(request.reason.as_deref())?;
        let ticket = desk_service::ticket::ticket_reference(request.ticket_reference.as_deref(), self.settings.require_ticket_reference)?;
        let expected = request.purchase.as_ref();
        if self.settings.source == contract::DataSource::Azure {
            // Above the threshold it waits for approval (the approver's approval carries it to
            // Partner Center); otherwise it goes there now.
            let session = self.store.purchase_session(&request.session_id).await?;
            let waits = session.is_some_and(|s| desk_service::approval::purchase_approval(self.settings.approval_threshold, s.usd_commitment, s.quote.commitment).is_some());
            if waits {
                return self.purchase_or_ask(call, &request.session_id, reason, ticket, expected).await;
            }
            return self.purchase_through_azure(call, &request.session_id, Note::ticket(ticket), expected, None).await;
        }
        if self.settings.approval_threshold.is_some() {
            return self.purchase_or_ask(call, &request.session_id, reason, ticket, expected).await;
        }
        let price = self.price_in_force_of_purchase(&request.session_id).await?;
        self.store
            .purchase(&request.session_id, |view: PurchaseView| {
                as_calculated(expected, &view)?;
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(PurchaseOutcome::Done(done)));
                }
                let (write, response) = self.purchase_write(call, &request.session_id, view, Note::ticket(ticket.clone()).priced(price.clone()))?;
                Ok(Decision::Write(write, PurchaseOutcome::Done(response)))
            })
            .await
    }

    /// What buying the session of `view` writes and answers, quoted again today from the
    /// catalog and checked against the session's quote.
    pub(super) fn purchase_write(&self, call: &Call, session_id: &str, view: PurchaseView, note: Note) -> Result<(PurchaseWrite, PurchaseResponse), DeskError> {
        let session = view.session.ok_or_else(|| no_purchase_session(session_id))?;
        if call.now > session.expires_at {
            return Err(expired("purchase"));
        }
        let request = &session.request;
        // Local mode prices again from the demo catalog; Azure mode keeps the price Azure gave
        // the server when the purchase was calculated (the session's, never the client's).
        let offer = match (self.settings.source, &session.offer) {
            (contract::DataSource::Azure, Some(offer)) => offer.clone(),
            (contract::DataSource::Azure, None) => return Err(no_purchase_session(session_id)),
            (contract::DataSource::Local, _) => {
                let currency = view.currency.unwrap_or(Currency::USD);
                desk_service::catalog::offer(&request.purchase.sku_id, request.purchase.term, currency, "purchase.skuId")?
            }
        };
        let (reservation, quoted) = desk_service::purchase::plan(
            &request.purchase,
            &offer,
            request.on_demand,
            &session.id,
            &request.customer_id,
            &view.scopes,
            call.today(),
            &session.quote,
        )?;
        let q = &quoted.quote;
        let change = format!(
            "bought {} ({}, {:?}), order {}: commitment {}, due today {}{}",
            bought_words(&reservation),
            reservation.display_name,
            reservation.billing_plan,
            session.id,
            q.commitment,
            q.due_today,
            note.names
        );
        let detail = contract::ChangeDetail::Purchase {
            bought: contract::Bought::of(&reservation),
            commitment: Some(q.commitment),
            due_today: Some(q.due_today),
            approval: note.approvers.clone(),
            statement: Vec::new(),
            through_azure: false,
        };
        let time = timestamp(call.now);
        let statement = vec![super::pricing::Recorded { time: &time, price: note.price.as_ref() }.purchase(contract::MoveKind::Purchase, &reservation, q.due_today, q.commitment)];
        let response = PurchaseResponse { session_id: session.id.clone(), reservation_order_id: session.id.clone(), purchased: vec![reservation.clone()], quote: quoted.quote };
        // The History's first row: the reservation as bought, by whom, with the ticket reference.
        let revision = contract::Revision {
            revision: 1,
            time: timestamp(call.now),
            actor: call.user.user_principal_name.clone(),
            action: AuditAction::Purchase.code().into(),
            change: change.clone(),
            reservation: reservation.clone(),
            ticket_reference: note.ticket_reference.clone(),
            detail: Some(detail.clone()),
        };
        let audit = contract::AuditEntry {
            ticket_reference: note.ticket_reference,
            ..audit_entry(call, AuditAction::Purchase.code(), format!("reservationOrders/{}", session.id), Some(request.customer_id.clone()), change, super::pricing::with_statement(detail, statement))
        };
        let usage: UsageProfile = NEW_RESERVATION_USAGE;
        Ok((PurchaseWrite { purchased: (reservation, usage), revision, response: response.clone(), at: call.now, audit }, response))
    }

    /// A purchase with a threshold set: bought when its USD commitment is at or below it,
    /// otherwise asked for approval (a repeat answers the same request, or the purchase made).
    async fn purchase_or_ask(
        &self, call: &Call, session_id: &str, reason: Option<&str>, ticket: Option<String>, expected: Option<&contract::ExchangePurchaseRequest>,
    ) -> Result<PurchaseOutcome, DeskError> {
        let price = self.price_in_force_of_purchase(session_id).await?;
        let azure = self.settings.source == contract::DataSource::Azure;
        let step = self
            .store
            .approval_step(ApprovalKind::Purchase, session_id, |view: ApprovalView| {
                let ApprovalView { approval, purchase: view, .. } = view;
                as_calculated(expected, &view)?;
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(Some(PurchaseOutcome::Done(done))));
                }
                if let Some(approval) = approval {
                    return Ok(Decision::Answer(Some(PurchaseOutcome::AwaitingApproval(super::approvals::shown(approval, call)))));
                }
                let session = view.session.clone().ok_or_else(|| no_purchase_session(session_id))?;
                // What the approver is shown: the line as asked, its scope named as the customer's scopes name it.
                let bought = super::approvals::with_scope_names(&session.request.purchase, &view.scopes);
                let (write, response) = self.purchase_write(call, session_id, view, Note::ticket(ticket.clone()).priced(price.clone()))?;
                if desk_service::approval::purchase_approval(self.settings.approval_threshold, session.usd_commitment, session.quote.commitment).is_none() {
                    // Azure mode: bought through Partner Center (below), never written here.
                    if azure {
                        return Ok(Decision::Answer(None));
                    }
                    let write = ApprovalWrite { approval: None, audit: Vec::new(), refund: None, exchange: None, purchase: Some(write), at: call.now };
                    return Ok(Decision::Write(write, Some(PurchaseOutcome::Done(response))));
                }
                let approval = Approval {
                    purchase_quote: Some(session.quote.clone()),
                    purchase_request: Some(bought),
                    amount_usd: Some(session.usd_commitment),
                    return_reason: reason.map(str::to_owned),
                    ticket_reference: ticket.clone(),
                    ..self.new_approval(call, ApprovalKind::Purchase, session.request.customer_id.clone(), session_id.to_owned(), session.usd_commitment)
                };
                let entry = self.approval_entry(call, AuditAction::ApprovalRequested.code(), &approval, &format!("purchase of session {session_id} waits for approval"));
                let write = ApprovalWrite { approval: Some(approval.clone()), audit: vec![entry], refund: None, exchange: None, purchase: None, at: call.now };
                Ok(Decision::Write(write, Some(PurchaseOutcome::AwaitingApproval(approval))))
            })
            .await?;
        match step {
            Some(outcome) => Ok(outcome),
            None => self.purchase_through_azure(call, session_id, Note::ticket(ticket), expected, None).await,
        }
    }
}
