//! Which customers a caller reaches, and in which role: the one place grants are enforced, for
//! every operation of both backends and the Azure surface (all enter through `Desk::handle`).
//!
//! Once the deployment holds any grant, a caller whose token names security groups
//! (`access::governed_by_grants`) acts on each customer with the roles its groups' grants give
//! there, and on no other: an operation on a customer it is not granted answers exactly what it
//! answers for a customer, order, reservation, session or support request that does not exist
//! (its existence is not disclosed), lists leave such customers out, and verifying the audit
//! chain, which reads every customer, needs a grant on all customers. It fails closed: groups
//! whose grants were all removed reach nothing. Managing grants needs the token's Global admin
//! role only, so no removal of grants can lock the deployment out of its own Access page. A
//! caller whose token names no group acts with the token's roles on every customer, as before
//! grants existed.

use contract::{CalculateExchangeRequest, CalculatePurchaseRequest, ExchangeRequest, Grant, NewSupportRequest, PurchaseRequest, User};
use desk_service::{access, ServiceError};

use super::{exchange_ids, exchange_lines, no_customer, no_exchange_session, no_order, no_reservation, unknown_exchange_reservation, Desk};
use crate::dispatch::parse;
use crate::operation::Operation;
use crate::{Call, DeskError, Ids, Store};

/// The caller as it acts in one operation: the call with the user's roles where the operation
/// acts (the token's, or the grants' on that customer), and the grants that limit the lists.
#[derive(Clone, Debug)]
pub struct Acting {
    /// The call, its user holding the roles it acts with.
    pub call: Call,
    /// Whether grants govern the caller; when they do not, it sees every customer.
    governed: bool,
    /// The caller's groups' grants.
    grants: Vec<Grant>,
}

impl Acting {
    /// Whether the caller sees `customer_id` (in some role).
    pub fn sees(&self, customer_id: &str) -> bool {
        !self.governed || self.grants.iter().any(|g| g.covers(customer_id))
    }

    /// The customers the caller sees: `None` for every customer.
    pub fn customers(&self) -> Option<Vec<&str>> {
        if !self.governed || self.grants.iter().any(|g| g.customer_id.is_none()) {
            return None;
        }
        let mut ids: Vec<&str> = self.grants.iter().filter_map(|g| g.customer_id.as_deref()).collect();
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }
}

/// Where an operation acts, for the grant check.
enum Subject {
    /// On no customer's data (who am I, the catalog, stateless quotes, the grants themselves) or
    /// on lists that leave out what the caller does not see: the token's roles.
    Caller,
    /// On every customer at once: the roles granted on all customers.
    Everyone,
    /// On these customers (`None`: one that does not exist), each with what the operation
    /// answers when it does not exist, which is also the answer when the caller does not see it.
    Customers(Vec<(Option<String>, DeskError)>),
}

impl<S: Store, I: Ids> Desk<S, I> {
    /// The caller as it may act in `op` (path `params`, JSON `body`), after the permission
    /// check: a 404 (as for what does not exist) when the operation's customer is not granted to
    /// it, a 403 when the role it holds there does not allow the operation.
    pub async fn authorize(&self, call: &Call, op: Operation, params: &[String], body: Option<&str>) -> Result<Acting, DeskError> {
        let (governed, grants) = self.grants_of(&call.user).await?;
        if !governed {
            access::require(&call.user, op.permission())?;
            return Ok(Acting { call: call.clone(), governed, grants });
        }
        let user: User = match self.subject(op, params, body).await? {
            Subject::Caller => call.user.clone(),
            Subject::Everyone => access::on_customer(&call.user, &grants, None).ok_or_else(|| {
                ServiceError::forbidden(format!(
                    "{} is granted only some customers; this acts on every customer and needs a grant on all customers.",
                    call.user.display_name
                ))
            })?,
            Subject::Customers(customers) => {
                let mut acting = None;
                for (customer, hidden) in customers {
                    let user = customer.and_then(|c| access::on_customer(&call.user, &grants, Some(&c)));
                    let user = user.ok_or_else(|| hidden.clone())?;
                    access::require(&user, op.permission())?;
                    acting.get_or_insert(user);
                }
                acting.unwrap_or_else(|| call.user.clone())
            }
        };
        access::require(&user, op.permission())?;
        Ok(Acting { call: Call { user, now: call.now, on_behalf: call.on_behalf.clone() }, governed, grants })
    }

    /// [`Desk::authorize`] for an operation that acts on no one customer (the first screen's
    /// `Me` and `ListCustomers`): the token's roles, and the grants that limit the list.
    pub async fn authorize_caller(&self, call: &Call, op: Operation) -> Result<Acting, DeskError> {
        let (governed, grants) = self.grants_of(&call.user).await?;
        access::require(&call.user, op.permission())?;
        Ok(Acting { call: call.clone(), governed, grants })
    }

    /// Whether grants govern `user`, and its groups' grants (read only for a user in a group).
    async fn grants_of(&self, user: &User) -> Result<(bool, Vec<Grant>), DeskError> {
        if user.groups.is_empty() {
            return Ok((false, Vec::new()));
        }
        let all = self.store.grants().await?;
        let governed = access::governed_by_grants(user, &all);
        Ok((governed, all.into_iter().filter(|g| user.groups.contains(&g.group_id)).collect()))
    }

    /// Where `op` acts: the customers its path or body names, read from the store.
    async fn subject(&self, op: Operation, params: &[String], body: Option<&str>) -> Result<Subject, DeskError> {
        use Operation::*;
        let p = |i: usize| params.get(i).map(String::as_str).unwrap_or_default();
        let one = |customer: Option<String>, hidden: DeskError| Subject::Customers(vec![(customer, hidden)]);
        Ok(match op {
            Me | GetSettings | Catalog | QuoteRefund | QuoteExchange | ListCustomers | ListAudit | ListSupportRequests | ListGrants
            | CreateGrant | DeleteGrant | ListAlerts | ListApprovals | ListReadiness | StartConsents | GetConsentRun | SetDefaultPricing => Subject::Caller,
            VerifyAudit => Subject::Everyone,
            GetCustomer | ListReservations | GetRefundLimit | ListScopes | ListSavingsPlans | ListRecommendations | SetAlertSubscription | CustomerCatalog | GetUnitPrice
            | GetCustomerPricing | SetCustomerPricing | GetStatement | ReconcileStatement => {
                one(Some(p(0).to_owned()), no_customer(p(0)))
            }
            GetReservation | ChangeReservation | ListRevisions | ArchiveReservation | UnarchiveReservation => {
                one(self.store.order_customer(p(0)).await?, no_reservation(p(0), p(1)))
            }
            SplitReservation | MergeReservations | CalculateRefund | Return | ListRoleAssignments | SearchPrincipals | AddRoleAssignment
            | RemoveRoleAssignment => one(self.store.order_customer(p(0)).await?, no_order(p(0))),
            GetApproval | ApproveApproval | RejectApproval => {
                let customer = self.store.approval(p(0)).await?.map(|a| a.customer_id);
                one(customer, DeskError::not_found(format!("There is no approval request '{}'.", p(0))))
            }
            ListWorklist => Subject::Caller,
            MarkWorkItem => {
                let customer = contract::WorkItem::customer_of(p(0)).map(str::to_owned);
                one(customer, super::worklist::no_work_item(p(0)))
            }
            GetSupportRequest => {
                let customer = self.store.support_request(p(0)).await?.map(|s| s.customer_id);
                one(customer, DeskError::not_found(format!("There is no support request '{}'.", p(0))))
            }
            CreateSupportRequest => {
                let new: NewSupportRequest = parse(body)?;
                let customer = self.store.order_customer(&new.reservation_order_id).await?;
                one(customer, no_reservation(&new.reservation_order_id, &new.reservation_id))
            }
            CalculateExchange => {
                let request: CalculateExchangeRequest = parse(body)?;
                // Bounded before anything is read; the lines' reservations in one read.
                desk_service::exchange::check_line_counts(&request)?;
                let lines = &request.reservations_to_exchange;
                let found = exchange_lines(lines, self.store.reservations_by_ids(&exchange_ids(lines)).await?);
                // A hidden reservation is refused as the operation refuses an unknown one.
                let customers = lines
                    .iter()
                    .zip(found)
                    .enumerate()
                    .map(|(i, (ret, found))| (found.map(|(r, _)| r.customer_id), unknown_exchange_reservation(i, ret)))
                    .collect();
                Subject::Customers(customers)
            }
            CalculatePurchase => {
                let request: CalculatePurchaseRequest = parse(body)?;
                let customer = self.store.customer(&request.customer_id).await?.map(|c| c.id);
                one(customer, no_customer(&request.customer_id))
            }
            Purchase => {
                let request: PurchaseRequest = parse(body)?;
                let customer = self.store.purchase_session(&request.session_id).await?.map(|s| s.request.customer_id);
                one(customer, super::purchases::no_purchase_session(&request.session_id))
            }
            Exchange => {
                let request: ExchangeRequest = parse(body)?;
                let hidden = || no_exchange_session(&request.session_id);
                let Some(session) = self.store.exchange_session(&request.session_id).await? else {
                    return Ok(Subject::Customers(vec![(None, hidden())]));
                };
                let lines = &session.request.reservations_to_exchange;
                let found = exchange_lines(lines, self.store.reservations_by_ids(&exchange_ids(lines)).await?);
                Subject::Customers(found.into_iter().map(|found| (found.map(|(r, _)| r.customer_id), hidden())).collect())
            }
        })
    }
}
