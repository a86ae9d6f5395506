//! Money passed on: the partner's price for a customer (or the default for all), set by a
//! Global admin and audited, and a customer's statement for a month built from the moves the
//! audit log holds (purchases, refunds, exchanges), each priced by `desk_service::statement`.

use std::collections::HashMap;

use contract::{AuditAction, AuditEntry, ChangeDetail, CustomerPricing, InvoiceSource, Move, MoveKind, PartnerPricing, PricingRequest, ProblemCode, Reconciliation, ReconciliationRequest, Reservation, Statement};
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

/// The moves with Microsoft the audit log records for one customer: refunds (the units returned,
/// Microsoft's refund, what it had charged for those units), purchases (what is due on the day
/// of purchase) and exchanges (their net figure). An entry without figures (written before the
/// desk kept them) is left out.
pub(crate) fn moves_of(entries: &[AuditEntry], reservations: &[Reservation]) -> Vec<Move> {
    let by_id: HashMap<(&str, &str), &Reservation> = reservations.iter().map(|r| ((r.reservation_order_id.as_str(), r.id.as_str()), r)).collect();
    let by_order: HashMap<&str, &Reservation> = reservations.iter().map(|r| (r.reservation_order_id.as_str(), r)).collect();
    let mut moves = Vec::new();
    for e in entries {
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
                m.paid_for_units = r.map(|r| Money::new(r.unit_price.amount * Decimal::from(returned), r.unit_price.currency));
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
                        back.paid_for_units = returned_r.map(|r| Money::new(r.unit_price.amount * Decimal::from(units), r.unit_price.currency));
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
