//! Money passed on: the partner's price for a customer (or the default for all), set by a
//! Global admin and audited, and a customer's statement for a month built from the moves the
//! audit log holds (purchases, refunds, exchanges), each priced by `desk_service::statement`.

use std::collections::HashMap;

use contract::{AuditAction, AuditEntry, ChangeDetail, CustomerPricing, InvoiceSource, Move, MoveKind, PartnerPricing, PriceInForce, PricingRequest, ProblemCode, Reconciliation, ReconciliationRequest, Reservation, Statement};
use desk_service::reconciliation::{self, InvoiceLines};
use desk_service::statement;
use desk_service::ServiceError;
use quote_engine::{Money, Term};
use rust_decimal::Decimal;

use super::{audit_entry, timestamp, Acting, Desk};
use crate::{DeskError, DeskStore, Ids};

/// The audit entries a statement reads, newest first, at most: far above a customer's moves.
const AUDIT_READ: usize = 1_000_000;

impl<S: DeskStore, I: Ids> Desk<S, I> {
    /// `GET /customers/{customerId}/pricing`.
    pub async fn customer_pricing(&self, acting: &Acting, customer_id: &str) -> Result<CustomerPricing, DeskError> {
        self.require_customer(customer_id).await?;
        let own = self.store.partner_pricing(Some(customer_id)).await?;
        let default = self.store.partner_pricing(None).await?;
        let now = timestamp(acting.call.now);
        let in_force = statement::pricing_at(&own, &default, &now).cloned();
        Ok(CustomerPricing { customer_id: customer_id.to_owned(), in_force, own, default })
    }

    /// `PUT /customers/{customerId}/pricing`: the customer's price from now on, audited.
    pub async fn set_customer_pricing(&self, acting: &Acting, customer_id: &str, request: PricingRequest) -> Result<CustomerPricing, DeskError> {
        let customer = self.customer(customer_id).await?;
        let pricing = statement::pricing(&request, timestamp(acting.call.now))?;
        // A fixed price in another currency than Microsoft bills the customer in would leave every
        // move of its SKU unpriced: refused, naming the customer's currency.
        let billed: std::collections::BTreeSet<quote_engine::Currency> =
            self.store.reservations_of(customer_id).await?.iter().map(|(r, _)| r.unit_price.currency).collect();
        if let Some((i, f)) = pricing.fixed.iter().enumerate().find(|(_, f)| !billed.is_empty() && !billed.contains(&f.unit_price.currency)) {
            let codes: Vec<&str> = billed.iter().map(|c| c.code()).collect();
            return Err(ServiceError::invalid(
                ProblemCode::InvalidQuoteInput,
                &format!("fixed[{i}].unitPrice.currencyCode"),
                format!("{} is billed in {}: a fixed price for {} must be in that currency, not {}", customer.name, codes.join(" and "), f.sku_name, f.unit_price.currency),
            )
            .into());
        }
        let audit = pricing_audit(acting, Some((&customer.id, &customer.name)), &pricing);
        self.store.add_partner_pricing(Some(customer_id), &pricing, acting.call.now, &audit).await?;
        self.customer_pricing(acting, customer_id).await
    }

    /// `PUT /pricing`: the default for every customer without its own, from now on, audited; the
    /// default's history after.
    pub async fn set_default_pricing(&self, acting: &Acting, request: PricingRequest) -> Result<Vec<PartnerPricing>, DeskError> {
        let pricing = statement::pricing(&request, timestamp(acting.call.now))?;
        let audit = pricing_audit(acting, None, &pricing);
        self.store.add_partner_pricing(None, &pricing, acting.call.now, &audit).await?;
        Ok(self.store.partner_pricing(None).await?)
    }

    /// `GET /customers/{customerId}/statements/{month}`.
    pub async fn statement(&self, acting: &Acting, customer_id: &str, month: &str) -> Result<Statement, DeskError> {
        let first = statement::month(month)?;
        self.require_customer(customer_id).await?;
        let entries = self.store.audit(Some(customer_id), AUDIT_READ).await?;
        let reservations: Vec<Reservation> = self.store.reservations_of(customer_id).await?.into_iter().map(|(r, _)| r).collect();
        let moves = moves_of(&entries, &reservations);
        let own = self.store.partner_pricing(Some(customer_id)).await?;
        let default = self.store.partner_pricing(None).await?;
        Ok(statement::statement(customer_id, first, acting.call.today(), &moves, &own, &default))
    }

    /// `POST /customers/{customerId}/statements/{month}/reconciliation` with an uploaded file:
    /// the month's statement matched to the file's lines. Microsoft's invoice exported through
    /// Graph (`invoiceId`) is the Azure mode adapter's: here it is refused, saying so.
    pub async fn reconcile_statement(&self, acting: &Acting, customer_id: &str, month: &str, request: ReconciliationRequest) -> Result<Reconciliation, DeskError> {
        let file = match (request.file, request.invoice_id) {
            (Some(file), None) => file,
            (None, Some(_)) => {
                return Err(ServiceError::invalid(
                    ProblemCode::MalformedRequest,
                    "invoiceId",
                    "Microsoft's invoice is exported through Microsoft Graph in Azure mode only: upload the invoice's reconciliation file from Partner Center instead",
                )
                .into())
            }
            _ => return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "file", "give either a reconciliation file (file) or, in Azure mode, an invoice to export (invoiceId)").into()),
        };
        if file.name.chars().count() > 255 || file.name.chars().any(char::is_control) {
            return Err(ServiceError::invalid(ProblemCode::MalformedRequest, "file.name", "a file name is one line of at most 255 characters").into());
        }
        let read = reconciliation::read_base64(&file.base64)?;
        self.reconcile_with(acting, customer_id, month, InvoiceSource::Upload { file_name: file.name }, read).await
    }

    /// The month's statement matched to `read`, the lines of Microsoft's file from `source`.
    /// Microsoft's file names a customer by its tenant (`CustomerId`): in Azure mode the tenant
    /// the desk read the customer from, which Partner Center may list under another ID.
    pub async fn reconcile_with(&self, acting: &Acting, customer_id: &str, month: &str, source: InvoiceSource, read: InvoiceLines) -> Result<Reconciliation, DeskError> {
        let statement = Box::pin(self.statement(acting, customer_id, month)).await?;
        let tenant = crate::source::SourceStore::source_status(&self.store, customer_id).await?.map(|s| s.tenant_id);
        let known_as: Vec<&str> = std::iter::once(customer_id).chain(tenant.as_deref()).collect();
        Ok(reconciliation::reconciliation(statement, &known_as, source, read))
    }
}

/// The audit entry of a price set.
fn pricing_audit(acting: &Acting, customer: Option<(&str, &str)>, pricing: &PartnerPricing) -> AuditEntry {
    let detail = ChangeDetail::PricingSet { all_customers: customer.is_none(), markup_percent: pricing.markup_percent, fixed_prices: pricing.fixed.len() as u32 };
    let words = format!(
        "pricing for {}: markup {} %, {} fixed price(s), from {}",
        customer.map_or("all customers".to_owned(), |(_, name)| name.to_owned()),
        pricing.markup_percent,
        pricing.fixed.len(),
        pricing.from
    );
    let target = customer.map_or("pricing".to_owned(), |(id, _)| format!("customers/{id}/pricing"));
    audit_entry(&acting.call, AuditAction::SetPricing.code(), target, customer.map(|(id, _)| id.to_owned()), words, detail)
}

/// The moves with Microsoft the audit log records for one customer, in the order they were
/// recorded (`entries` newest first, as the store lists them). A move recorded with its statement
/// lines reads as recorded. One recorded before the desk kept them is read from its figures and
/// the reservation as it is now: refunds (the units returned, Microsoft's refund, what it had
/// charged for those units), purchases (what is due on the day of purchase) and exchanges (their
/// net, or both sides); an entry without figures is left out.
pub(crate) fn moves_of(entries: &[AuditEntry], reservations: &[Reservation]) -> Vec<Move> {
    let by_id: HashMap<(&str, &str), &Reservation> = reservations.iter().map(|r| ((r.reservation_order_id.as_str(), r.id.as_str()), r)).collect();
    let by_order: HashMap<&str, &Reservation> = reservations.iter().map(|r| (r.reservation_order_id.as_str(), r)).collect();
    let mut moves = Vec::new();
    for e in entries.iter().rev() {
        let recorded = match &e.detail {
            Some(ChangeDetail::Refund { statement, .. } | ChangeDetail::Purchase { statement, .. } | ChangeDetail::Exchange { statement, .. }) => statement,
            _ => &Vec::new(),
        };
        if !recorded.is_empty() {
            moves.extend(recorded.iter().map(|m| Move { ticket_reference: e.ticket_reference.clone(), ..m.clone() }));
            continue;
        }
        let Some(day) = chrono::DateTime::parse_from_rfc3339(&e.time).ok().map(|t| t.naive_utc().date()) else { continue };
        let base = |kind, name: String, sku: String, term: Term, quantity: u32, microsoft: Money| Move {
            time: e.time.clone(),
            day,
            kind,
            reservation_order_id: None,
            reservation_id: None,
            orders: Vec::new(),
            name,
            sku_name: sku,
            term,
            quantity,
            microsoft,
            paid_for_units: None,
            ticket_reference: e.ticket_reference.clone(),
            billing_plan: quote_engine::BillingPlan::Upfront,
            commitment: None,
            price_in_force: None,
        };
        match &e.detail {
            Some(ChangeDetail::Refund { units, refund, .. }) if e.action == AuditAction::Refund.code() => {
                let mut parts = e.target.split('/');
                let (order, id) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some("reservationOrders"), Some(order), Some("reservations"), Some(id)) => (order, id),
                    _ => continue,
                };
                let r = by_id.get(&(order, id));
                let returned = units.returned();
                let mut m = base(
                    MoveKind::Refund,
                    r.map_or_else(|| id.to_owned(), |r| r.display_name.clone()),
                    r.map_or_else(String::new, |r| r.sku_name.clone()),
                    r.map_or(Term::P1Y, |r| r.term),
                    returned,
                    Money::new(-refund.amount, refund.currency),
                );
                m.reservation_order_id = Some(order.to_owned());
                m.reservation_id = Some(id.to_owned());
                m.paid_for_units = r.and_then(|r| paid_for(r, returned));
                moves.push(m);
            }
            Some(ChangeDetail::Purchase { bought, due_today: Some(due), .. }) if e.action == AuditAction::Purchase.code() => {
                let order = e.target.strip_prefix("reservationOrders/").unwrap_or(&e.target);
                let r = by_order.get(order);
                let mut m = base(
                    MoveKind::Purchase,
                    r.map_or_else(|| bought.sku_name.clone(), |r| r.display_name.clone()),
                    bought.sku_name.clone(),
                    bought.term,
                    bought.quantity,
                    *due,
                );
                m.reservation_order_id = Some(order.to_owned());
                m.reservation_id = r.map(|r| r.id.clone());
                moves.push(m);
            }
            Some(ChangeDetail::Exchange { returned, net_payable, bought, savings_plans, orders, refunds_total, purchases_total, .. })
                if e.action == AuditAction::Exchange.code() =>
            {
                let units: u32 = returned.iter().map(|u| u.returned()).sum();
                let first = bought.first();
                let (bought_sku, bought_term) = match (first, savings_plans.first()) {
                    (Some(b), _) => (b.sku_name.clone(), b.term),
                    (None, Some(p)) => (p.sku_name.clone(), p.term),
                    (None, None) => (String::new(), Term::P1Y),
                };
                let with_orders = |mut m: Move| {
                    m.orders = orders.clone();
                    m
                };
                match (refunds_total, purchases_total) {
                    // Both sides: what the returns credited, then what the purchases cost.
                    (Some(credited), Some(cost)) => {
                        // The first order is a returned one: its reservation names the return.
                        let returned_r = orders.first().and_then(|o| by_order.get(o.as_str())).filter(|_| returned.len() == 1);
                        let mut back = with_orders(base(
                            MoveKind::ExchangeReturn,
                            returned_r.map_or_else(|| e.target.clone(), |r| r.display_name.clone()),
                            returned_r.map_or_else(String::new, |r| r.sku_name.clone()),
                            returned_r.map_or(Term::P1Y, |r| r.term),
                            units,
                            Money::new(-credited.amount, credited.currency),
                        ));
                        back.paid_for_units = returned_r.and_then(|r| paid_for(r, units));
                        moves.push(back);
                        let quantity = bought.iter().map(|b| b.quantity).sum::<u32>() + u32::try_from(savings_plans.len()).unwrap_or(u32::MAX);
                        moves.push(with_orders(base(MoveKind::ExchangePurchase, e.target.clone(), bought_sku, bought_term, quantity, *cost)));
                    }
                    // An exchange recorded before the desk kept both sides: its net alone.
                    _ => moves.push(with_orders(base(MoveKind::Exchange, e.target.clone(), bought_sku, bought_term, units, *net_payable))),
                }
            }
            _ => {}
        }
    }
    moves
}

/// What Microsoft charged for `units` of `r` over its whole term, when known (a price Azure did not
/// give is stored as zero: not known).
fn paid_for(r: &Reservation, units: u32) -> Option<Money> {
    (r.unit_price.amount > Decimal::ZERO).then(|| Money::new(r.unit_price.amount * Decimal::from(units), r.unit_price.currency))
}

/// The partner's price in force for a customer now: its own last set, else the default's.
pub(crate) fn price_now(own: Vec<PartnerPricing>, default: Vec<PartnerPricing>) -> Option<PartnerPricing> {
    own.into_iter().last().or_else(|| default.into_iter().last())
}

impl<S: DeskStore, I: Ids> Desk<S, I> {
    /// The partner's price in force for `customer_id` now, recorded with a money move so that the
    /// move is priced as it was when the money moved (read just before the move is recorded).
    pub(crate) async fn price_in_force(&self, customer_id: &str) -> Result<Option<PartnerPricing>, DeskError> {
        Ok(price_now(self.store.partner_pricing(Some(customer_id)).await?, self.store.partner_pricing(None).await?))
    }

    /// The same for the customer of an exchange session's returns (none without the session).
    pub(crate) async fn price_in_force_of_exchange(&self, session_id: &str) -> Result<Option<PartnerPricing>, DeskError> {
        let Some(session) = self.store.exchange_session(session_id).await? else { return Ok(None) };
        let ids: Vec<String> = session.request.reservations_to_exchange.iter().take(1).map(|l| l.reservation_id.clone()).collect();
        match self.store.reservations_by_ids(&ids).await?.into_iter().next() {
            Some((r, _)) => self.price_in_force(&r.customer_id).await,
            None => Ok(None),
        }
    }

    /// The same for the customer of a purchase session (none without the session).
    pub(crate) async fn price_in_force_of_purchase(&self, session_id: &str) -> Result<Option<PartnerPricing>, DeskError> {
        match self.store.purchase_session(session_id).await? {
            Some(session) => self.price_in_force(&session.request.customer_id).await,
            None => Ok(None),
        }
    }

    /// The same for the customer of a reservation order (none if the order is not stored).
    pub(crate) async fn price_in_force_of_order(&self, order_id: &str) -> Result<Option<PartnerPricing>, DeskError> {
        match self.store.order_customer(order_id).await? {
            Some(customer) => self.price_in_force(&customer).await,
            None => Ok(None),
        }
    }
}

/// What a statement line needs, as it is when the money moves.
pub(crate) struct Recorded<'a> {
    /// The audit entry's time (RFC 3339).
    pub time: &'a str,
    /// The partner's price in force.
    pub price: Option<&'a PartnerPricing>,
}

impl Recorded<'_> {
    fn line(&self, kind: MoveKind, r: &Reservation, quantity: u32, microsoft: Money) -> Move {
        let day = chrono::DateTime::parse_from_rfc3339(self.time).map_or(r.purchase_date, |t| t.naive_utc().date());
        Move {
            time: self.time.to_owned(),
            day,
            kind,
            reservation_order_id: Some(r.reservation_order_id.clone()),
            reservation_id: Some(r.id.clone()),
            orders: Vec::new(),
            name: r.display_name.clone(),
            sku_name: r.sku_name.clone(),
            term: r.term,
            quantity,
            microsoft,
            paid_for_units: None,
            ticket_reference: None,
            billing_plan: r.billing_plan,
            commitment: None,
            price_in_force: Some(PriceInForce::of(self.price, [(r.sku_name.as_str(), r.term)])),
        }
    }

    /// A refund of `returned` units of `r` (as it was before), Microsoft crediting `refund`.
    pub fn refund(&self, r: &Reservation, returned: u32, refund: Money) -> Move {
        Move { paid_for_units: paid_for(r, returned), billing_plan: quote_engine::BillingPlan::Upfront, ..self.line(MoveKind::Refund, r, returned, Money::new(-refund.amount, refund.currency)) }
    }

    /// A purchase of `r`: Microsoft's figure due that day, and its commitment over the term.
    pub fn purchase(&self, kind: MoveKind, r: &Reservation, due: Money, commitment: Money) -> Move {
        Move { commitment: Some(commitment), ..self.line(kind, r, r.quantity, due) }
    }

    /// An exchange's lines: each reservation returned (`returned` units, Microsoft's credit),
    /// each reservation bought (due now, commitment) and each savings plan bought (due now), with
    /// the orders the exchange moved.
    pub fn exchange(&self, returns: &[(&Reservation, u32, Money)], purchases: &[(&Reservation, Money, Money)], plans: &[(&contract::SavingsPlan, Money)], orders: &[String]) -> Vec<Move> {
        let returned = returns.iter().map(|(r, units, credit)| Move {
            paid_for_units: paid_for(r, *units),
            billing_plan: quote_engine::BillingPlan::Upfront,
            ..self.line(MoveKind::ExchangeReturn, r, *units, Money::new(-credit.amount, credit.currency))
        });
        let bought = purchases.iter().map(|(r, due, commitment)| Move { commitment: Some(*commitment), ..self.line(MoveKind::ExchangePurchase, r, r.quantity, *due) });
        let plans = plans.iter().map(|(p, due)| {
            let day = chrono::DateTime::parse_from_rfc3339(self.time).map_or(p.start_date, |t| t.naive_utc().date());
            Move {
                time: self.time.to_owned(),
                day,
                kind: MoveKind::ExchangePurchase,
                reservation_order_id: Some(p.savings_plan_order_id.clone()),
                reservation_id: Some(p.id.clone()),
                orders: Vec::new(),
                name: p.display_name.clone(),
                sku_name: p.sku_name.clone(),
                term: p.term,
                quantity: 1,
                microsoft: *due,
                paid_for_units: None,
                ticket_reference: None,
                billing_plan: p.billing_plan,
                commitment: Some(p.lifetime_commitment),
                price_in_force: Some(PriceInForce::of(self.price, [(p.sku_name.as_str(), p.term)])),
            }
        });
        returned.chain(bought).chain(plans).map(|m| Move { orders: orders.to_vec(), ..m }).collect()
    }
}

/// `total` split over `weights` in proportion, each part rounded, the last taking what is left so
/// the parts add up to `total` exactly (equal parts when the weights add up to nothing).
pub(crate) fn split(total: Money, weights: &[Decimal]) -> Vec<Money> {
    let sum: Decimal = weights.iter().sum();
    let n = weights.len();
    let mut left = total.amount;
    weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let part = if i + 1 == n {
                left
            } else if sum.is_zero() {
                Money::new(total.amount / Decimal::from(n), total.currency).round().amount
            } else {
                Money::new(total.amount * *w / sum, total.currency).round().amount
            };
            left -= part;
            Money::new(part, total.currency)
        })
        .collect()
}

/// `detail` (a refund's, a purchase's or an exchange's) with the statement's lines recorded.
pub(crate) fn with_statement(detail: ChangeDetail, lines: Vec<Move>) -> ChangeDetail {
    match detail {
        ChangeDetail::Refund { units, refund, approval, through_azure, .. } => ChangeDetail::Refund { units, refund, approval, statement: lines, through_azure },
        ChangeDetail::Purchase { bought, commitment, due_today, approval, through_azure, .. } => {
            ChangeDetail::Purchase { bought, commitment, due_today, approval, statement: lines, through_azure }
        }
        ChangeDetail::Exchange { returned, net_payable, bought, savings_plans, orders, refunds_total, purchases_total, approval, through_azure, .. } => {
            ChangeDetail::Exchange { returned, net_payable, bought, savings_plans, orders, refunds_total, purchases_total, approval, statement: lines, through_azure }
        }
        other => other,
    }
}

/// An exchange's statement lines: each return credited and each reservation or savings plan
/// bought charged, Microsoft's `totals` (what the returns credited, what the purchases cost:
/// the desk's quote, or Azure's figures) shared out in proportion to the quote's own line for
/// each (its return's credit, its purchase's charge due now), so each SKU is priced at its own
/// price and the lines add up to Microsoft's figures. `returns` are the reservations as they were
/// before, with the units each returned.
pub(crate) fn exchange_statement(
    recorded: &Recorded<'_>,
    returns: &[(&Reservation, u32)],
    purchased: &[Reservation],
    plans: &[contract::SavingsPlan],
    quote: &quote_engine::api::ExchangeQuoteResponse,
    totals: (Money, Money),
    orders: &[String],
) -> Vec<Move> {
    use quote_engine::LineDetail;
    let returned_lines: Vec<(Money, Money)> = quote
        .lines
        .iter()
        .filter_map(|l| match &l.detail {
            LineDetail::ExchangeReturn { paid, .. } => Some((Money::new(-l.amount.amount, l.amount.currency), *paid)),
            _ => None,
        })
        .collect();
    let bought_lines: Vec<(Money, Money)> = quote
        .lines
        .iter()
        .filter_map(|l| match &l.detail {
            LineDetail::Purchase { commitment, .. } => Some((l.amount, *commitment)),
            _ => None,
        })
        .collect();
    // The quote's line for each, in the order asked; without one (a quote of another shape), what
    // Microsoft charged for the units returned, and each purchase's commitment.
    let return_weights: Vec<Decimal> = if returned_lines.len() == returns.len() {
        returned_lines.iter().map(|(credit, _)| credit.amount).collect()
    } else {
        returns.iter().map(|(r, units)| r.unit_price.amount * Decimal::from(*units)).collect()
    };
    let commitment_of = |i: usize, r: &Reservation| match bought_lines.get(i).filter(|_| bought_lines.len() == purchased.len()) {
        Some((_, commitment)) => *commitment,
        None => Money::new(r.unit_price.amount * Decimal::from(r.quantity), r.unit_price.currency).round(),
    };
    let mut purchase_weights: Vec<Decimal> = purchased
        .iter()
        .enumerate()
        .map(|(i, r)| match bought_lines.get(i).filter(|_| bought_lines.len() == purchased.len()) {
            Some((due, _)) => due.amount,
            None => commitment_of(i, r).amount,
        })
        .collect();
    purchase_weights.extend(plans.iter().enumerate().map(|(i, p)| quote.savings_plans.get(i).map_or(p.lifetime_commitment.amount, |q| q.due_now.amount)));
    let credits = split(totals.0, &return_weights);
    let dues = split(totals.1, &purchase_weights);
    let returns_with: Vec<(&Reservation, u32, Money)> = returns.iter().zip(&credits).map(|((r, units), credit)| (*r, *units, *credit)).collect();
    let purchases_with: Vec<(&Reservation, Money, Money)> = purchased.iter().enumerate().zip(&dues).map(|((i, r), due)| (r, *due, commitment_of(i, r))).collect();
    let plans_with: Vec<(&contract::SavingsPlan, Money)> = plans.iter().zip(dues.iter().skip(purchased.len())).map(|(p, due)| (p, *due)).collect();
    let mut lines = recorded.exchange(&returns_with, &purchases_with, &plans_with, orders);
    // What Microsoft had charged for the units returned, as the quote counted it.
    if returned_lines.len() == returns.len() {
        for (line, (_, paid)) in lines.iter_mut().zip(&returned_lines) {
            if paid.amount > Decimal::ZERO {
                line.paid_for_units = Some(*paid);
            }
        }
    }
    lines
}
