//! The operations that only read.

use contract::{
    AuditEntry, AuditVerification, CatalogItem, Customer, PrincipalSearch, RefundLimit, Reservation, ReservationDetail, RoleAssignment, Scope, SupportRequest,
    User,
};
use desk_service::{access_control, exchange, limit, utilization};

use super::{no_customer, no_order, no_reservation, Acting, Desk, AUDIT_LIMIT};
use crate::{Call, DeskError, Ids, Store};

impl<S: Store, I: Ids> Desk<S, I> {
    /// `GET /me`.
    pub fn me(&self, call: &Call) -> User {
        call.user.clone()
    }

    /// `GET /customers?search=`: the customers `acting` sees whose name or domain contains
    /// `search` (any case), by name.
    pub async fn customers(&self, acting: &Acting, search: &str) -> Result<Vec<Customer>, DeskError> {
        let search = search.trim().to_lowercase();
        let mut list = self.visible_customers(acting).await?;
        list.retain(|c| c.name.to_lowercase().contains(&search) || c.domain.to_lowercase().contains(&search));
        Ok(list)
    }

    /// The customers `acting` sees, by name: [`Desk::customers`] without a search. (Apart, so
    /// that the in-browser backend's first module lists them without Unicode's case tables.)
    pub async fn visible_customers(&self, acting: &Acting) -> Result<Vec<Customer>, DeskError> {
        let mut list: Vec<Customer> =
            self.store.customers().await?.into_iter().filter(|c| acting.sees(&c.id)).collect();
        list.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(list)
    }

    /// `GET /customers/{customerId}`.
    pub async fn customer(&self, id: &str) -> Result<Customer, DeskError> {
        self.store.customer(id).await?.ok_or_else(|| no_customer(id))
    }

    /// A 404 unless the customer exists.
    pub(super) async fn require_customer(&self, id: &str) -> Result<(), DeskError> {
        self.customer(id).await.map(drop)
    }

    /// `GET /customers/{customerId}/reservations`, with their utilization, in display order.
    pub async fn reservations(&self, call: &Call, customer_id: &str) -> Result<Vec<Reservation>, DeskError> {
        let stored = self.store.reservations_of(customer_id).await?;
        // Only an empty answer needs the second look: no reservations, or no such customer.
        if stored.is_empty() {
            self.require_customer(customer_id).await?;
        }
        let today = call.today();
        let mut list: Vec<Reservation> =
            stored.into_iter().map(|(r, usage)| utilization::with_aggregates(r, usage, today)).collect();
        desk_service::reservations::sort_for_display(&mut list);
        Ok(list)
    }

    /// `GET /customers/{customerId}/scopes`.
    pub async fn scopes(&self, customer_id: &str) -> Result<Vec<Scope>, DeskError> {
        self.require_customer(customer_id).await?;
        Ok(self.store.scopes(customer_id).await?)
    }

    /// `GET /customers/{customerId}/savingsPlans`: newest first.
    pub async fn savings_plans(&self, customer_id: &str) -> Result<Vec<contract::SavingsPlan>, DeskError> {
        self.require_customer(customer_id).await?;
        Ok(self.store.savings_plans_of(customer_id).await?)
    }

    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}`, with its history.
    pub async fn reservation(&self, call: &Call, order_id: &str, reservation_id: &str) -> Result<ReservationDetail, DeskError> {
        let (r, usage) =
            self.store.reservation(order_id, reservation_id).await?.ok_or_else(|| no_reservation(order_id, reservation_id))?;
        Ok(utilization::detail(r, usage, call.today()))
    }

    /// `GET /reservationOrders/{orderId}/roleAssignments`.
    pub async fn role_assignments(&self, order_id: &str) -> Result<Vec<RoleAssignment>, DeskError> {
        if !self.store.order_exists(order_id).await? {
            return Err(no_order(order_id));
        }
        let listed = self.store.role_assignments(order_id).await?;
        // Local mode names the demo's people (Azure mode's list is ARM's, named by Graph).
        match self.order_domain(order_id).await? {
            Some(domain) if self.settings.source == contract::DataSource::Local => Ok(access_control::named_demo(&domain, listed)),
            _ => Ok(listed),
        }
    }

    /// The domain of the customer of order `order_id`, if both are known.
    async fn order_domain(&self, order_id: &str) -> Result<Option<String>, DeskError> {
        let Some(customer_id) = self.store.order_customer(order_id).await? else { return Ok(None) };
        Ok(self.store.customer(&customer_id).await?.map(|c| c.domain))
    }

    /// `GET /reservationOrders/{orderId}/principals?search=` in local mode: the demo's people of
    /// the order's customer whose name or e-mail contains `search`. Azure mode's people are
    /// Microsoft Graph's, asked by the adapter (`through_azure_access.rs`); none of the demo's.
    pub async fn search_principals(&self, order_id: &str, search: Option<&str>) -> Result<PrincipalSearch, DeskError> {
        let text = access_control::search_text(search)?;
        if !self.store.order_exists(order_id).await? {
            return Err(no_order(order_id));
        }
        if self.settings.source != contract::DataSource::Local {
            return Err(DeskError::not_found("In Azure mode the customer's directory is searched through Microsoft Graph."));
        }
        let domain = self.order_domain(order_id).await?.ok_or_else(|| no_order(order_id))?;
        Ok(access_control::search_demo(&domain, &text))
    }

    /// `GET /audit?customerId=`: newest first, at most [`AUDIT_LIMIT`]; only entries of the
    /// customers `acting` sees (none of a customer it does not see, as of one that does not exist).
    pub async fn audit(&self, acting: &Acting, customer_id: Option<&str>) -> Result<Vec<AuditEntry>, DeskError> {
        match (customer_id, acting.customers()) {
            (Some(c), _) if !acting.sees(c) => Ok(Vec::new()),
            (Some(_), _) | (None, None) => Ok(self.store.audit(customer_id, AUDIT_LIMIT).await?),
            (None, Some(customers)) => {
                // Each granted customer's newest, merged newest first (the time, then each
                // customer's own order); entries of no customer are partner-wide, not shown.
                let mut all = Vec::new();
                for c in customers {
                    all.extend(self.store.audit(Some(c), AUDIT_LIMIT).await?.into_iter().enumerate());
                }
                all.sort_by(|(i, a), (j, b)| b.time.cmp(&a.time).then(i.cmp(j)));
                Ok(all.into_iter().map(|(_, e)| e).take(AUDIT_LIMIT).collect())
            }
        }
    }

    /// `GET /audit/verify`: whether every entry of the audit log is as it was written (its text,
    /// time and customer) and the refund ledger holds exactly what the log records.
    pub async fn verify_audit(&self) -> Result<AuditVerification, DeskError> {
        Ok(crate::audit_chain::verify(&self.store.audit_chain().await?))
    }

    /// `GET /catalog`: the demo catalog. In Azure mode what a customer can buy is Azure's
    /// catalog for that customer (`GET /customers/{customerId}/catalog`), so this says so.
    pub fn catalog(&self) -> Result<Vec<CatalogItem>, DeskError> {
        match self.settings.source {
            contract::DataSource::Local => Ok(exchange::catalog()),
            contract::DataSource::Azure => Err(super::upstream_moves::problem(
                contract::ProblemCode::CatalogPerCustomer,
                "In Azure mode what can be bought is each customer's own catalog, from Azure: GET /api/customers/{customerId}/catalog.",
            )),
        }
    }

    /// `GET /supportRequests?customerId=`: newest first, of the customers `acting` sees.
    pub async fn support_requests(&self, acting: &Acting, customer_id: Option<&str>) -> Result<Vec<SupportRequest>, DeskError> {
        let mut list = self.store.support_requests(customer_id).await?;
        list.retain(|s| acting.sees(&s.customer_id));
        Ok(list)
    }

    /// `GET /supportRequests/{supportRequestId}`.
    pub async fn support_request(&self, id: &str) -> Result<SupportRequest, DeskError> {
        self.store.support_request(id).await?.ok_or_else(|| DeskError::not_found(format!("There is no support request '{id}'.")))
    }
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// `GET /customers/{customerId}/refundLimit`: the desk's ledger; in Azure mode also Azure's own
    /// count as it last answered.
    pub async fn refund_limit(&self, call: &Call, customer_id: &str) -> Result<RefundLimit, DeskError> {
        self.require_customer(customer_id).await?;
        let ledger = self.store.ledger(customer_id).await?;
        let limit = limit::refund_limit(&ledger, call.today())?;
        // Azure mode: Azure's own count beside the desk's ledger (the one that counts there).
        let azure = match self.settings.source {
            contract::DataSource::Azure => self.store.refund_standing(customer_id).await?,
            contract::DataSource::Local => None,
        };
        Ok(RefundLimit { azure, ..limit })
    }
}
