//! Purchases through Partner Center (Azure mode): the desk's steps around the [`Upstream`]
//! port, with the stored state machine refunds and exchanges use (`upstream_moves.rs`).
//! Review asks ARM's `calculatePrice` in the customer's tenant beside the desk's quote and keeps
//! it (`quoted`). Submit runs the desk's checks (the session, not expired, its quote recomputed
//! from the catalog), makes Partner Center ready (the subscription registered for reservation
//! purchases: an Azure plan customer's Azure plan; the catalog item found; its inventory checked
//! when its SKU asks for it, a restricted item refused with Partner Center's reason; a cart made:
//! nothing bought yet), claims the session once
//! (`asked`), checks the cart out with the operation's ID as `MS-RequestId`, keeps Partner
//! Center's order (`sent`), and records the purchase once the order's entitlement names the
//! reservation order ARM made, read from ARM (`succeeded`), under Azure's IDs. A checkout whose
//! answer was lost is never checked out again by the desk: the customer's orders are read for
//! one of the cart's catalog item and quantity made since the claim. Partner Center sells
//! reservations paid once (`one_time`) with a shared or single-subscription scope, so a monthly
//! plan or a narrower scope is refused before anything is asked. A purchase never counts toward
//! the refund limit.
//!
//! [`Upstream`]: crate::upstream::Upstream

use chrono::{DateTime, Utc};
use contract::{AppliedScopeType, AuditAction, AzurePurchaseCheck, ProblemCode, PurchaseDifference, PurchaseFigure, PurchaseOutcome, PurchaseResponse};
use quote_engine::{BillingPlan, Money, PurchaseQuote};

use super::money::{bought_through_azure, expired};
use super::purchases::no_purchase_session;
use super::upstream_moves::{in_progress, problem, who, Carrying, Settled};
use super::{timestamp, Desk, Note};
use crate::store::{Decision, PurchaseSession, PurchaseView, PurchaseWrite};
use crate::upstream::{AzurePrice, Bought, Confirmed, Detail, OnBehalf, PollAt, PurchaseDetail, UpstreamOperation, UpstreamState};
use crate::{Call, DeskError, Ids};

/// How long after its checkout was claimed Partner Center may take to list an order (Learn:
/// "up to 15 minutes"); a lost checkout found in no order before then is left `asked`.
const ORDERS_LISTED_WITHIN_MINUTES: i64 = 15;

/// The kind of poll a purchase keeps: Partner Center's order ID.
const PARTNER_CENTER_ORDER: &str = "partnerCenterOrder";

fn differs(figure: PurchaseFigure, desk: &Money, azure: &Money) -> Option<PurchaseDifference> {
    (desk != azure).then_some(PurchaseDifference { figure, desk: *desk, azure: *azure })
}

/// Azure's price beside the desk's purchase quote, each difference named.
pub fn purchase_check_of(quote: &PurchaseQuote, azure: &AzurePrice) -> AzurePurchaseCheck {
    AzurePurchaseCheck {
        commitment: azure.total,
        due_today: azure.first_payment,
        differences: [
            differs(PurchaseFigure::Commitment, &quote.commitment, &azure.total),
            azure.first_payment.and_then(|first| differs(PurchaseFigure::DueToday, &quote.due_today, &first)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// What Partner Center cannot sell as asked, refused before anything is asked of it.
fn sellable(planned: &contract::Reservation) -> Result<(), DeskError> {
    if planned.billing_plan != BillingPlan::Upfront {
        return Err(problem(
            ProblemCode::AzureChangesNotYetSupported,
            "Partner Center sells reservations paid upfront only: choose the upfront billing plan to buy it through the desk.",
        ));
    }
    let resource_group = planned.applied_scope_properties.as_ref().is_some_and(|p| p.resource_group_id.is_some());
    if !matches!(planned.applied_scope_type, AppliedScopeType::Shared | AppliedScopeType::Single) || resource_group {
        return Err(problem(
            ProblemCode::AzureChangesNotYetSupported,
            "Partner Center buys a reservation with a shared or a single-subscription scope: buy it so, then change its scope on the reservation.",
        ));
    }
    Ok(())
}

/// The subscription a single-scope purchase applies to (bare ID).
fn single_subscription(planned: &contract::Reservation) -> Option<String> {
    let props = planned.applied_scope_properties.as_ref()?;
    let id = props.subscription_id.as_deref()?;
    Some(id.trim_end_matches('/').rsplit('/').next().unwrap_or(id).to_owned())
}

/// Partner Center's codes of a checkout it may have made, or is making: "being processed by
/// another request" (800064), "your order is in progress" (800060), "cannot check out an
/// already submitted cart" (800065). Never a refusal: whether it bought is found out later.
const CHECKOUT_MAY_HAVE_BOUGHT: [&str; 3] = ["800064", "800060", "800065"];

/// Whether a checkout's failure means Partner Center did not buy: its `orderErrors`, or a refusal
/// (4xx) other than the codes of a checkout that may have gone through. An answer the desk could
/// not read, no answer, throttling or a 5xx leave it unknown.
fn checkout_refused(e: &crate::upstream::UpstreamError) -> bool {
    if e.code == "OrderErrors" {
        return true;
    }
    let refusal = e.status.is_some_and(|s| (400..500).contains(&s) && s != 408 && s != 429);
    refusal && !CHECKOUT_MAY_HAVE_BOUGHT.contains(&e.code.as_str())
}

/// How long after its claim a lost checkout is given before the desk says nothing was bought:
/// its request may have reached Partner Center as late as the claim's grace
/// ([`super::upstream_moves::ASKED_GRACE_SECONDS`]: the longest a change takes to be sent), and
/// Partner Center lists an order up to 15 minutes after it is made.
fn lost_checkout_settled_after() -> chrono::TimeDelta {
    chrono::TimeDelta::seconds(super::upstream_moves::ASKED_GRACE_SECONDS) + chrono::TimeDelta::minutes(ORDERS_LISTED_WITHIN_MINUTES)
}

fn not_bought(why: &str) -> DeskError {
    problem(ProblemCode::UpstreamRefused, format!("Partner Center did not make the purchase: {why}"))
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Review in Azure mode: ARM's `calculatePrice` of `planned` in the customer's tenant, on
    /// behalf of the caller; kept with the session (`quoted`).
    pub(super) async fn azure_purchase_check(&self, call: &Call, session: &PurchaseSession, planned: contract::Reservation) -> Result<AzurePurchaseCheck, DeskError> {
        self.connected()?;
        let who = who(call)?;
        sellable(&planned)?;
        let customer_id = &session.request.customer_id;
        let status = self.store.source_status(customer_id).await?.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, format!("Customer {customer_id} was not read from Azure: refresh it before a purchase."))
        })?;
        let answered = self.upstream.calculate_price(who, &status.tenant_id, &planned).await;
        self.note_refusal(customer_id, answered.as_ref().err(), call.now).await;
        let azure = answered.map_err(|e| e.problem("could not calculate the price"))?;
        let check = purchase_check_of(&session.quote, &azure);
        let detail = Detail::Purchase(Box::new(PurchaseDetail {
            customer_id: customer_id.clone(),
            planned,
            quote: session.quote.clone(),
            azure,
            check: check.clone(),
            prepared: None,
            asked_at: None,
            note: String::new(),
            approvers: None,
            ticket_reference: None,
        }));
        self.keep_quoted(call, "purchase", &session.id, "", status.tenant_id, detail).await?;
        Ok(check)
    }

    /// Submit in Azure mode (see the module's doc). `expected`: the purchase the caller names.
    pub(super) async fn purchase_through_azure(
        &self, call: &Call, session_id: &str, note: Note, expected: Option<&contract::ExchangePurchaseRequest>, approval: Option<&str>,
    ) -> Result<PurchaseOutcome, DeskError> {
        self.connected()?;
        let who = who(call)?;
        // The desk's checks, read in the purchase's transaction (nothing is written there).
        let checked = self
            .store
            .purchase(session_id, |view: PurchaseView| {
                super::purchases::as_calculated(expected, &view)?;
                if let Some(done) = view.completed {
                    return Ok(Decision::Answer(Err(done)));
                }
                let session = view.session.clone().ok_or_else(|| no_purchase_session(session_id))?;
                if call.now > session.expires_at {
                    return Err(expired("purchase"));
                }
                self.purchase_write(call, session_id, view, note.clone())?;
                Ok(Decision::Answer(Ok(())))
            })
            .await;
        let op = self.store.upstream_of_session(session_id).await?.filter(|o| o.detail.purchased().is_some());
        match (checked, &op) {
            (Ok(Err(done)), _) => return Ok(PurchaseOutcome::Done(done)),
            // Claimed before: its state answers, a failure with its reason (an unfinished one is
            // resumed, never checked out anew by the desk).
            (_, Some(op)) if op.state != UpstreamState::Quoted => {
                return self.answer_purchase_claimed(call.now, who, op.clone()).await
            }
            (Err(e), _) => return Err(e),
            (Ok(Ok(())), _) => {}
        }
        let op = op.ok_or_else(|| {
            problem(ProblemCode::UpstreamRefused, "Azure has not priced this purchase (the session was made without it). Calculate the purchase again.")
        })?;
        self.carry_purchase(call, who, op, note, approval).await
    }

    /// Carries a `quoted` purchase to Partner Center: made ready (nothing bought), claimed once,
    /// checked out, followed and recorded.
    async fn carry_purchase(&self, call: &Call, who: &OnBehalf, op: UpstreamOperation, note: Note, approval: Option<&str>) -> Result<PurchaseOutcome, DeskError> {
        let quoted = op.detail.purchased().cloned().ok_or_else(|| in_progress("purchase"))?;
        let subscription = single_subscription(&quoted.planned);
        let prepared = self
            .upstream
            .prepare_purchase(who, &quoted.customer_id, &op.tenant_id, &quoted.planned, subscription.as_deref())
            .await
            .map_err(|e| match e.code.as_str() {
                "RegistrationPending" => problem(ProblemCode::UpstreamInProgress, format!("{} Submit again in a few minutes.", e.message)),
                // Partner Center's inventory check restricts the item: no cart was made.
                crate::upstream::INVENTORY_RESTRICTED => problem(
                    ProblemCode::UpstreamRefused,
                    format!("Partner Center refused the purchase: its inventory check restricts this item ({}). Nothing was bought.", e.message),
                ),
                // The desk's own findings, which asking again will not change.
                "NotInCatalog" | "NoSubscription" | "NoPartnerTenant" | "InvalidId" if e.status.is_none() => not_bought(&e.message),
                _ => e.problem("did not make the purchase ready"),
            })?;
        let at = self.upstream.now().unwrap_or(call.now);
        // Making Partner Center ready takes a while: the session must still be open when claimed.
        match self.store.purchase_session(&op.desk_session_id).await? {
            Some(session) if at <= session.expires_at => {}
            Some(_) => return Err(expired("purchase")),
            None => return Err(no_purchase_session(&op.desk_session_id)),
        }
        let detail = PurchaseDetail { prepared: Some(prepared.clone()), asked_at: Some(at), note: note.names, ticket_reference: note.ticket_reference, approvers: note.approvers, ..quoted };
        let op = match self.claim(call, op, Detail::Purchase(Box::new(detail)), approval).await? {
            Ok(claimed) => claimed,
            Err(before) => return self.answer_purchase_claimed(call.now, who, before).await,
        };
        let _carrying = Carrying::start(&self.in_flight, &op.desk_session_id);
        let customer_id = op.detail.purchased().map(|d| d.customer_id.clone()).unwrap_or_default();
        // The operation's own ID is the checkout's `MS-RequestId`: a retry is the same call.
        let checked_out = self.upstream.checkout(who, &customer_id, &prepared.cart_id, &op.id).await;
        let session_id = op.desk_session_id.clone();
        match checked_out {
            Err(e) if checkout_refused(&e) => {
                self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(&e.text()), call.now).await?;
                return Err(e.problem("refused the purchase"));
            }
            // Partner Center may have made it: left `asked`, found out later, never checked out anew.
            Err(e) if CHECKOUT_MAY_HAVE_BOUGHT.contains(&e.code.as_str()) => return Err(in_progress("purchase")),
            Err(e) => return Err(e.problem("did not confirm the purchase")),
            Ok(order_id) => {
                let poll = PollAt { url: order_id, kind: PARTNER_CENTER_ORDER.into(), wait_seconds: 0 };
                self.store.set_upstream(&op.id, UpstreamState::Sent, Some(&poll), None, call.now).await?;
                let op = UpstreamOperation { state: UpstreamState::Sent, poll: Some(poll), ..op };
                self.follow_and_record(call.now, who, &op).await?;
            }
        }
        self.purchase_recorded(&session_id).await.map(PurchaseOutcome::Done)
    }

    /// What a claimed purchase answers now: what it bought, its error, or that it is in progress.
    pub(super) async fn answer_purchase_claimed(&self, now: DateTime<Utc>, who: &OnBehalf, op: UpstreamOperation) -> Result<PurchaseOutcome, DeskError> {
        let session_id = op.desk_session_id.clone();
        match self.settle(now, who, op).await? {
            Settled::Succeeded => self.purchase_recorded(&session_id).await.map(PurchaseOutcome::Done),
            Settled::Failed(why) => Err(not_bought(&why)),
            Settled::Running => Err(in_progress("purchase")),
        }
    }

    /// The purchase recorded for a session.
    async fn purchase_recorded(&self, session_id: &str) -> Result<PurchaseResponse, DeskError> {
        let done = self.store.purchase(session_id, |view: PurchaseView| Ok(Decision::Answer(view.completed))).await?;
        done.ok_or_else(|| DeskError::Store(crate::StoreError(format!("session {session_id} succeeded in Azure but has no purchase"))))
    }

    /// Whether Partner Center's order of a `sent` purchase has made its reservation.
    pub(super) async fn purchase_fulfilled(&self, who: &OnBehalf, op: &UpstreamOperation, poll: &PollAt) -> Result<crate::upstream::Followed, crate::upstream::UpstreamError> {
        let customer_id = op.detail.purchased().map(|d| d.customer_id.as_str()).unwrap_or_default();
        self.upstream.purchase_fulfilment(who, customer_id, &op.tenant_id, &poll.url).await
    }

    /// Records a purchase Partner Center made: the desk's planned reservation under the IDs ARM
    /// gave it, its first revision, the purchase's record (its answer to a repeat) and the audit
    /// entry naming who asked, Partner Center's order and cart, and Azure's price; the operation
    /// marked `succeeded` in the same transaction.
    pub(super) async fn record_purchase(
        &self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, d: &PurchaseDetail, bought: Vec<Bought>,
    ) -> Result<(), DeskError> {
        let Some(first) = bought.first() else {
            return Err(not_bought("Azure named no reservation for the order; the desk shows it when the customer is read again."));
        };
        // Partner Center takes no name nor renewal: both are given in ARM. Bought either way; what
        // ARM refused is said in the audit entry (set it on the reservation).
        let renews = if d.planned.renew { ", renewal on" } else { "" };
        let named = match self.upstream.name_reservation(who, &op.tenant_id, first, &d.planned.display_name, d.planned.renew).await {
            Ok(()) => format!("named {:?}{renews} in ARM", d.planned.display_name),
            Err(e) => format!("not named{renews} in ARM ({}): it keeps Partner Center's name until renamed", e.text()),
        };
        // Today's price is the one Azure charged, its utilization not reported yet: never the
        // demo's, until the next read of the customer brings Azure's own.
        let planned = contract::Reservation { id: first.reservation_id.clone(), reservation_order_id: first.order_id.clone(), ..d.planned.clone() };
        let (reservation, usage) = bought_through_azure(planned, Ok(d.azure.total), d.asked_at.unwrap_or(now));
        let asked_by = op.requested_by.clone().unwrap_or_default();
        let partner_order = op.poll.as_ref().map_or("unknown", |p| p.url.as_str());
        let (cart, item, subscription) = d.prepared.as_ref().map_or(("unknown", "unknown", "unknown"), |p| (p.cart_id.as_str(), p.catalog_item_id.as_str(), p.subscription_id.as_str()));
        let change = format!(
            "bought through Partner Center: {} ({}), ARM order {}, reservation {} ({named}); Partner Center order {partner_order} \
             (cart {cart}, catalog item {item}, subscription {subscription}); Azure's price {} (the desk quoted {}); asked by {asked_by}; session {}{}",
            super::purchases::bought_words(&reservation),
            reservation.display_name,
            first.order_id,
            first.reservation_id,
            d.azure.total,
            d.quote.commitment,
            op.desk_session_id,
            d.note
        );
        let response = PurchaseResponse {
            session_id: op.desk_session_id.clone(),
            reservation_order_id: first.order_id.clone(),
            purchased: vec![reservation.clone()],
            quote: d.quote.clone(),
        };
        // Partner Center sells upfront only (`sellable`): Azure's total for the order is what was
        // due the day it was bought (a first payment Azure's price answer names beside it was
        // compared at review, not taken for the purchase).
        let due_today = d.azure.total;
        let detail = contract::ChangeDetail::Purchase {
            bought: contract::Bought::of(&reservation),
            commitment: Some(d.azure.total),
            due_today: Some(due_today),
            approval: d.approvers.clone(),
            statement: Vec::new(),
            through_azure: true,
        };
        let time = timestamp(now);
        let price = self.price_in_force(&d.customer_id).await?;
        let statement = vec![super::pricing::Recorded { time: &time, price: price.as_ref() }.purchase(contract::MoveKind::Purchase, &reservation, due_today, d.azure.total)];
        let revision = contract::Revision {
            revision: 1,
            time: timestamp(now),
            actor: asked_by.clone(),
            action: AuditAction::Purchase.code().into(),
            change: change.clone(),
            reservation: reservation.clone(),
            ticket_reference: d.ticket_reference.clone(),
            detail: Some(detail.clone()),
        };
        let audit = contract::AuditEntry {
            time: timestamp(now),
            actor: asked_by,
            actor_id: None,
            actor_name: None,
            action: AuditAction::Purchase.code().into(),
            target: format!("reservationOrders/{}", first.order_id),
            customer_id: Some(d.customer_id.clone()),
            change,
            ledger: Vec::new(),
            ticket_reference: d.ticket_reference.clone(),
            detail: Some(super::pricing::with_statement(detail, statement)),
        };
        let write = PurchaseWrite { purchased: (reservation, usage), revision, response, at: now, audit };
        self.store.finish_upstream(&op.id, Confirmed::Purchase(&write)).await?;
        Ok(())
    }

    /// Reconciles an `asked` purchase (its checkout's answer lost). The customer's Partner Center
    /// orders are read for one of its catalog item and quantity made since the claim. None listed
    /// once Partner Center would list it ([`lost_checkout_settled_after`]): nothing was bought, and
    /// it failed with a reason the user sees; none yet: left `asked`. One listed: Partner Center
    /// made such an order, and the operation's own cart, checked out again with the operation's
    /// own `MS-RequestId`, names exactly which (Partner Center documents a checkout as idempotent:
    /// a cart checked out before answers the orders it made, buying nothing more), so an order of
    /// another purchase of the same item is never taken for this one. It is then followed as a
    /// checked-out one.
    pub(super) async fn reconcile_purchase(&self, now: DateTime<Utc>, who: &OnBehalf, op: &UpstreamOperation, d: &PurchaseDetail) -> Result<(), DeskError> {
        let (Some(prepared), Some(asked_at)) = (&d.prepared, d.asked_at) else {
            let reason = "The desk stopped before this purchase reached Partner Center, so nothing was bought. Calculate the purchase again.";
            self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(reason), now).await?;
            return Ok(());
        };
        // A minute's leeway for the clocks of Partner Center and the desk.
        let since = asked_at - chrono::TimeDelta::minutes(1);
        let listed = self
            .upstream
            .orders_since(who, &d.customer_id, &prepared.catalog_item_id, d.planned.quantity, since)
            .await
            .map_err(|e| e.problem("could not be read to reconcile the purchase"))?;
        if listed.is_empty() {
            if now - asked_at < lost_checkout_settled_after() {
                return Ok(());
            }
            let reason = "The desk stopped before Partner Center answered this purchase's checkout, and Partner Center lists no order of it, so \
                          nothing was bought. Calculate the purchase again.";
            self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(reason), now).await?;
            return Ok(());
        }
        match self.upstream.checkout(who, &d.customer_id, &prepared.cart_id, &op.id).await {
            Ok(order_id) => {
                let poll = PollAt { url: order_id, kind: PARTNER_CENTER_ORDER.into(), wait_seconds: 0 };
                self.store.set_upstream(&op.id, UpstreamState::Sent, Some(&poll), None, now).await?;
                let sent = UpstreamOperation { state: UpstreamState::Sent, poll: Some(poll), ..op.clone() };
                self.follow_and_record(now, who, &sent).await
            }
            Err(e) if e.code == "OrderErrors" => {
                self.store.set_upstream(&op.id, UpstreamState::Failed, None, Some(&e.text()), now).await?;
                Ok(())
            }
            Err(e) => Err(e.problem("could not be asked which order the purchase made")),
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

    #[test]
    fn each_purchase_figure_that_differs_is_named() {
        let quote: PurchaseQuote = serde_json::from_value(serde_json::json!({
            "asOf": "2026-11-26", "expiryDate": "2027-11-26",
            "unitPrice": {"amount": "1752.00", "currencyCode": "USD"},
            "commitment": {"amount": "1752.00", "currencyCode": "USD"},
            "dueToday": {"amount": "1752.00", "currencyCode": "USD"},
            "schedule": [], "policyErrors": [], "lines": []
        }))
        .unwrap_or_else(|e| panic!("a purchase quote: {e}"));
        let same = purchase_check_of(&quote, &AzurePrice { total: usd("1752"), first_payment: None });
        assert!(same.differences.is_empty(), "{same:?}");
        let other = purchase_check_of(&quote, &AzurePrice { total: usd("1800.00"), first_payment: Some(usd("150.00")) });
        let named: Vec<PurchaseFigure> = other.differences.iter().map(|d| d.figure).collect();
        assert_eq!(named, vec![PurchaseFigure::Commitment, PurchaseFigure::DueToday]);
    }
}
