//! An operation's JSON in, JSON out: the one request handling both adapters call. The server
//! hands it the parts of an HTTP request, the in-browser backend those of a `fetch`.

use contract::{Problem, ProblemCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use contract::route::Endpoint;

use crate::operation::{endpoint as e, Operation, RouteError};
use crate::desk::Acting;
use crate::{Call, Desk, DeskError, Ids};

/// A success: the status and the JSON body as text (`None` for 204).
///
/// Text, not a `serde_json::Value`: each answer is written straight to JSON once, and the page's
/// API client reads it with the same `from_str` code the HTTP build uses. A `Value` in between
/// compiled a second (de)serializer of every contract type into the page's wasm.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// 200, 201, 202 or 204.
    pub status: u16,
    /// The body, JSON text.
    pub body: Option<String>,
    /// With 202: where the request it waits for is answered (a path below `/api`, e.g.
    /// `/approvals/{id}`); the server sends it as `Location`.
    pub location: Option<String>,
}

impl Reply {
    /// A success with `status` and `body`.
    pub fn new(status: u16, body: Option<String>) -> Self {
        Self { status, body, location: None }
    }
}

/// The request body of `E` (the type its entry in the operation table names).
fn body<E: Endpoint>(text: Option<&str>) -> Result<E::Request, DeskError>
where
    E::Request: DeserializeOwned,
{
    parse(text)
}

/// The body parsed as `T`, or a 400 naming the field serde blamed.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn parse<T: DeserializeOwned>(text: Option<&str>) -> Result<T, DeskError> {
    let mut parser = serde_json::Deserializer::from_str(text.unwrap_or(""));
    let value = serde_path_to_error::deserialize(&mut parser).map_err(|e| {
        let path = e.path().to_string();
        // serde_path_to_error writes "." for the root and "?" where it lost the place.
        let known = !path.is_empty() && path != "." && !path.contains('?');
        malformed(e.inner().to_string(), known.then_some(path))
    })?;
    parser.end().map_err(|e| malformed(e.to_string(), None))?;
    Ok(value)
}

/// In the page the body comes from the SPA's own typed requests, so a malformed one is a bug,
/// not user input: the 400 is kept, without the field path (tracking it doubles the
/// deserialization code of every request type, +39 KB gzip on the static build).
#[cfg(target_arch = "wasm32")]
pub(crate) fn parse<T: DeserializeOwned>(text: Option<&str>) -> Result<T, DeskError> {
    serde_json::from_str(text.unwrap_or("")).map_err(|e| malformed(e.to_string(), None))
}

fn malformed(detail: String, field: Option<String>) -> DeskError {
    DeskError::malformed(format!("The request body is not valid for this endpoint: {detail}"), field)
}

fn query<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A query parameter given at most once: given twice, which one was meant is not known (400
/// naming it).
fn once<'a>(pairs: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, DeskError> {
    let mut given = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = given.next();
    if given.next().is_some() {
        return Err(DeskError::malformed(format!("The query parameter '{name}' is given more than once."), Some(name.to_owned())));
    }
    Ok(first)
}

/// A required query parameter that is missing (400 naming it).
fn missing(name: &str) -> DeskError {
    DeskError::malformed(format!("The query parameter '{name}' is required."), Some(name.to_owned()))
}

/// The catalog's query: region, reserved resource type, subscription (empty values are none).
fn catalog_query(pairs: &[(String, String)]) -> crate::desk::CatalogQuery {
    let named = |name: &str| query(pairs, name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    crate::desk::CatalogQuery { location: named("location"), reserved_resource_type: named("reservedResourceType"), subscription_id: named("subscriptionId") }
}

/// The success body of `E` (the type its entry in the operation table names) as JSON text.
fn json<E: Endpoint>(value: E::Response) -> Result<Option<String>, DeskError>
where
    E::Response: Serialize,
{
    serde_json::to_string(&value)
        .map(Some)
        .map_err(|e| DeskError::Refused(Problem::new(ProblemCode::Internal, e.to_string(), None)))
}

/// A money move's answer: 202 with the approval request's `Location` when it waits for one
/// (`waiting`: its ID), else the operation's own status.
fn accepted(body: Option<String>, waiting: Option<String>, op: Operation) -> Reply {
    match waiting {
        Some(id) => Reply { status: 202, body, location: Some(Operation::GetApproval.path(&[&id])) },
        None => Reply::new(op.success_status(), body),
    }
}

impl From<RouteError> for DeskError {
    fn from(e: RouteError) -> Self {
        match e {
            RouteError::NoSuchPath => DeskError::not_found("There is no such API endpoint."),
            RouteError::MethodNotAllowed => DeskError::Refused(Problem::new(
                ProblemCode::MethodNotAllowed,
                "This path does not take that method; see /api/openapi.json.",
                None,
            )),
            RouteError::Undecodable => DeskError::malformed(
                "A segment of the path is not percent-encoded UTF-8: write each reserved character or non-ASCII byte as %XX.",
                None,
            ),
        }
    }
}

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Answers `method path?query` (path below `/api`) with `body` for the signed-in caller: the
    /// operation the path names, if the caller's role allows it.
    pub async fn answer(
        &self,
        call: &Call,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&str>,
    ) -> Result<Reply, DeskError> {
        let (op, params) = Operation::find(method, path)?;
        self.handle(call, op, &params, query, body).await
    }

    /// Answers operation `op` with its path `params` (in template order), `query` and JSON
    /// `request`, after the grant and permission check ([`Desk::authorize`]), as the caller acts
    /// there.
    pub async fn handle(
        &self,
        call: &Call,
        op: Operation,
        params: &[String],
        pairs: &[(String, String)],
        request: Option<&str>,
    ) -> Result<Reply, DeskError> {
        let acting = self.authorize(call, op, params, request).await?;
        let call = &acting.call;
        let p = |i: usize| params.get(i).map(String::as_str).unwrap_or_default();
        use Operation::*;
        let answer = match op {
            Me | ListCustomers => self.first_screen(&acting, op, pairs).await?,
            GetSettings => json::<e::GetSettings>(self.settings())?,
            ListAudit => json::<e::ListAudit>(self.audit(&acting, query(pairs, "customerId")).await?)?,
            VerifyAudit => json::<e::VerifyAudit>(self.verify_audit().await?)?,
            ListReadiness => json::<e::ListReadiness>(self.readiness(&acting).await?)?,
            StartConsents => {
                let run = self.start_consents(&acting, body::<e::StartConsents>(request)?).await?;
                let location = Operation::GetConsentRun.path(&[&run.id]);
                return Ok(Reply { status: 202, body: json::<e::StartConsents>(run)?, location: Some(location) });
            }
            GetConsentRun => json::<e::GetConsentRun>(self.consent_run(p(0)).await?)?,
            GetCustomer => json::<e::GetCustomer>(self.customer(p(0)).await?)?,
            ListReservations => json::<e::ListReservations>(self.reservations(call, p(0)).await?)?,
            GetRefundLimit => json::<e::GetRefundLimit>(self.refund_limit(call, p(0)).await?)?,
            ListScopes => json::<e::ListScopes>(self.scopes(p(0)).await?)?,
            ListSavingsPlans => json::<e::ListSavingsPlans>(self.savings_plans(p(0)).await?.into_iter().map(contract::CustomerSavingsPlan::from).collect())?,
            ListRecommendations => {
                let look_back = match query(pairs, "lookBack") {
                    None => contract::LookBackPeriod::default(),
                    Some(text) => contract::LookBackPeriod::parse(text).ok_or_else(|| {
                        DeskError::malformed(format!("lookBack {text:?} is not a look-back period: Last7Days, Last30Days or Last60Days."), Some("lookBack".into()))
                    })?,
                };
                json::<e::ListRecommendations>(self.recommendations(call, p(0), look_back).await?)?
            }
            GetReservation => json::<e::GetReservation>(self.reservation(call, p(0), p(1)).await?)?,
            ChangeReservation => {
                let patch = body::<e::ChangeReservation>(request)?;
                json::<e::ChangeReservation>(self.change_reservation(call, p(0), p(1), patch).await?)?
            }
            ListRevisions => json::<e::ListRevisions>(self.revisions(p(0), p(1)).await?)?,
            SplitReservation => json::<e::SplitReservation>(self.split(call, p(0), body::<e::SplitReservation>(request)?).await?)?,
            MergeReservations => json::<e::MergeReservations>(self.merge(call, p(0), body::<e::MergeReservations>(request)?).await?)?,
            ArchiveReservation => json::<e::ArchiveReservation>(self.archive(call, p(0), p(1), true).await?)?,
            UnarchiveReservation => json::<e::UnarchiveReservation>(self.archive(call, p(0), p(1), false).await?)?,
            CalculateRefund => {
                let request = body::<e::CalculateRefund>(request)?;
                json::<e::CalculateRefund>(self.calculate_refund(call, p(0), request).await?)?
            }
            Return => {
                // Boxed: a money move's future (its store's transaction) is large; `handle`'s stays small.
                let outcome = Box::pin(self.submit_return(call, p(0), body::<e::Return>(request)?)).await?;
                let waiting = match &outcome {
                    contract::ReturnOutcome::AwaitingApproval(a) => Some(a.id.clone()),
                    contract::ReturnOutcome::Done(_) => None,
                };
                return Ok(accepted(json::<e::Return>(outcome)?, waiting, op));
            }
            ListRoleAssignments => json::<e::ListRoleAssignments>(self.role_assignments(p(0)).await?)?,
            SearchPrincipals => json::<e::SearchPrincipals>(self.search_principals(p(0), query(pairs, "search")).await?)?,
            AddRoleAssignment => {
                let new = body::<e::AddRoleAssignment>(request)?;
                json::<e::AddRoleAssignment>(self.add_role_assignment(call, p(0), new).await?)?
            }
            RemoveRoleAssignment => {
                self.remove_role_assignment(call, p(0), p(1)).await?;
                None
            }
            QuoteRefund => json::<e::QuoteRefund>(self.quote_refund(&body::<e::QuoteRefund>(request)?)?)?,
            QuoteExchange => json::<e::QuoteExchange>(self.quote_exchange(&body::<e::QuoteExchange>(request)?)?)?,
            Catalog => json::<e::Catalog>(self.catalog()?)?,
            CustomerCatalog => json::<e::CustomerCatalog>(self.customer_catalog(call, p(0), &catalog_query(pairs)).await?)?,
            GetUnitPrice => {
                let sku_id = query(pairs, "skuId").ok_or_else(|| missing("skuId"))?;
                let term = crate::desk::term_named(query(pairs, "term").ok_or_else(|| missing("term"))?)?;
                let plan = crate::desk::plan_named(query(pairs, "billingPlan").unwrap_or("Upfront"))?;
                json::<e::GetUnitPrice>(self.unit_price(call, p(0), sku_id, term, plan, &catalog_query(pairs)).await?)?
            }
            CalculateExchange => {
                let request = body::<e::CalculateExchange>(request)?;
                json::<e::CalculateExchange>(self.calculate_exchange(call, request).await?)?
            }
            Exchange => {
                let outcome = Box::pin(self.submit_exchange(call, body::<e::Exchange>(request)?)).await?;
                let waiting = match &outcome {
                    contract::ExchangeOutcome::AwaitingApproval(a) => Some(a.id.clone()),
                    contract::ExchangeOutcome::Done(_) => None,
                };
                return Ok(accepted(json::<e::Exchange>(outcome)?, waiting, op));
            }
            CalculatePurchase => {
                let request = body::<e::CalculatePurchase>(request)?;
                json::<e::CalculatePurchase>(self.calculate_purchase(call, request).await?)?
            }
            Purchase => {
                let outcome = Box::pin(self.submit_purchase(call, body::<e::Purchase>(request)?)).await?;
                let waiting = match &outcome {
                    contract::PurchaseOutcome::AwaitingApproval(a) => Some(a.id.clone()),
                    contract::PurchaseOutcome::Done(_) => None,
                };
                return Ok(accepted(json::<e::Purchase>(outcome)?, waiting, op));
            }
            ListApprovals => json::<e::ListApprovals>(self.approvals(&acting).await?)?,
            GetApproval => json::<e::GetApproval>(self.approval(call, p(0)).await?)?,
            ApproveApproval => json::<e::ApproveApproval>(Box::pin(self.approve(call, p(0))).await?)?,
            RejectApproval => json::<e::RejectApproval>(Box::pin(self.reject(call, p(0), body::<e::RejectApproval>(request)?)).await?)?,
            ListSupportRequests => json::<e::ListSupportRequests>(self.support_requests(&acting, query(pairs, "customerId")).await?)?,
            ListGrants => json::<e::ListGrants>(self.grants().await?)?,
            CreateGrant => json::<e::CreateGrant>(self.create_grant(call, body::<e::CreateGrant>(request)?).await?)?,
            DeleteGrant => {
                self.delete_grant(call, p(0)).await?;
                None
            }
            ListAlerts => json::<e::ListAlerts>(self.alerts(&acting).await?)?,
            // Boxed: their futures hold the whole book's reads, which would grow every request's.
            ListWorklist => {
                let query = contract::WorklistQuery::parse(once(pairs, "state")?, once(pairs, "skip")?, once(pairs, "top")?)
                    .map_err(|(name, why)| DeskError::malformed(why, Some(name.to_owned())))?;
                json::<e::ListWorklist>(Box::pin(self.worklist(&acting, query)).await?)?
            }
            GetCustomerPricing => json::<e::GetCustomerPricing>(self.customer_pricing(&acting, p(0)).await?)?,
            SetCustomerPricing => json::<e::SetCustomerPricing>(Box::pin(self.set_customer_pricing(&acting, p(0), body::<e::SetCustomerPricing>(request)?)).await?)?,
            SetDefaultPricing => json::<e::SetDefaultPricing>(Box::pin(self.set_default_pricing(&acting, body::<e::SetDefaultPricing>(request)?)).await?)?,
            GetStatement => json::<e::GetStatement>(Box::pin(self.statement(&acting, p(0), p(1))).await?)?,
            ReconcileStatement => json::<e::ReconcileStatement>(Box::pin(self.reconcile_statement(&acting, p(0), p(1), body::<e::ReconcileStatement>(request)?)).await?)?,
            MarkWorkItem => json::<e::MarkWorkItem>(Box::pin(self.mark_work_item(&acting, p(0), body::<e::MarkWorkItem>(request)?)).await?)?,
            SetAlertSubscription => {
                let subscription = body::<e::SetAlertSubscription>(request)?;
                json::<e::SetAlertSubscription>(self.set_alert_subscription(call, p(0), subscription).await?)?
            }
            GetSupportRequest => json::<e::GetSupportRequest>(self.support_request(p(0)).await?)?,
            CreateSupportRequest => {
                let new = body::<e::CreateSupportRequest>(request)?;
                json::<e::CreateSupportRequest>(self.create_support_request(call, new).await?)?
            }
        };
        Ok(Reply::new(op.success_status(), answer))
    }

    /// Answers the operations the first screen needs (who is signed in, the customer list), or
    /// `None` for any other: the in-browser backend calls this alone, so that the page's first
    /// module holds only these (the rest of [`Desk::handle`] reaches every operation and is
    /// fetched on demand: src/in_browser). The customer list asks for every customer the user
    /// sees (it searches within the page), so a list with a `search` is `None` too: searching
    /// folds case with Unicode's tables, which the first module does not carry.
    pub async fn handle_first_screen(
        &self,
        call: &Call,
        op: Operation,
        pairs: &[(String, String)],
    ) -> Option<Result<Reply, DeskError>> {
        let searching = query(pairs, "search").is_some_and(|search| !search.trim().is_empty());
        match op {
            Operation::Me => {}
            Operation::ListCustomers if !searching => {}
            _ => return None,
        }
        Some(
            async {
                // Both act on no one customer: the token's roles (and not `authorize`, which
                // reads every operation's body and would bring their readers into this module).
                let acting = self.authorize_caller(call, op).await?;
                let body = match op {
                    Operation::ListCustomers => json::<e::ListCustomers>(self.visible_customers(&acting).await?)?,
                    _ => json::<e::Me>(self.me(&acting.call))?,
                };
                Ok(Reply::new(op.success_status(), body))
            }
            .await,
        )
    }

    /// The body of a first-screen operation (after the permission check).
    async fn first_screen(&self, acting: &Acting, op: Operation, pairs: &[(String, String)]) -> Result<Option<String>, DeskError> {
        match op {
            Operation::Me => json::<e::Me>(self.me(&acting.call)),
            Operation::ListCustomers => json::<e::ListCustomers>(self.customers(acting, query(pairs, "search").unwrap_or_default()).await?),
            _ => Err(RouteError::NoSuchPath.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse as body;
    use contract::CalculateRefundRequest;

    /// The first screen's answers are the desk's own, for every demo user; anything else,
    /// a search included, is left to the whole desk.
    #[tokio::test]
    async fn the_first_screen_answers_as_the_desk_does_and_leaves_a_search_to_it() {
        use crate::memory::{InMemory, MemoryStore};
        use crate::operation::Operation;
        use crate::suite::{noon, seed_day};
        use crate::{Call, Desk};
        let desk = Desk::new(MemoryStore::new(InMemory::default(), seed_day()), crate::ids::Sequential::default(), contract::Settings::default());
        let none: &[(String, String)] = &[];
        let tokens = ["demo-global-admin", "demo-admin-agent", "demo-helpdesk-agent", "demo-sales-agent", "demo-user-management-admin"];
        for token in tokens.into_iter().chain([desk_service::access::DEMO_LIMITED_TOKEN]) {
            let call = Call::new(desk_service::access::demo_user(token).unwrap(), noon());
            for (op, path) in [(Operation::Me, "/me"), (Operation::ListCustomers, "/customers")] {
                let first = desk.handle_first_screen(&call, op, none).await.expect("a first-screen operation");
                let whole = desk.answer(&call, "GET", path, none, None).await;
                assert_eq!(first.map_err(|e| e.problem()), whole.map_err(|e| e.problem()), "{token} GET {path}");
            }
            let search = [("search".to_owned(), "con".to_owned())];
            assert!(desk.handle_first_screen(&call, Operation::ListCustomers, &search).await.is_none(), "a search is the desk's");
            assert!(desk.handle_first_screen(&call, Operation::GetSettings, none).await.is_none());
        }
        let blank = [("search".to_owned(), " ".to_owned())];
        let admin = Call::new(desk_service::access::demo_user("demo-global-admin").unwrap(), noon());
        let listed = desk.handle_first_screen(&admin, Operation::ListCustomers, &blank).await.expect("a blank search lists all");
        assert!(listed.unwrap().body.unwrap().contains("\"name\""), "customers are listed");
    }

    #[test]
    fn a_malformed_body_names_the_field_serde_blamed() {
        let err = body::<CalculateRefundRequest>(Some(r#"{"reservationId": "r", "quantity": -1}"#)).unwrap_err();
        assert_eq!(err.problem().field.as_deref(), Some("quantity"), "{err:?}");
        assert_eq!(err.status(), 400);
        let err = body::<CalculateRefundRequest>(Some("{")).unwrap_err();
        assert_eq!(err.problem().field, None);
        let err = body::<CalculateRefundRequest>(None).unwrap_err();
        assert!(err.problem().detail.contains("not valid"), "{err:?}");
        let trailing = body::<CalculateRefundRequest>(Some(r#"{"reservationId": "r", "quantity": 1} x"#));
        assert!(trailing.is_err());
    }
}
