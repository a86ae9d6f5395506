//! The desk's "ask Azure first" port (`desk::upstream::Upstream`) over `azure-client`: each call
//! carries one question to ARM in the customer's tenant on behalf of the signed-in user, and
//! brings Azure's answer back as the desk reads it. No rule here: the desk decides what to ask,
//! when, and what the answer means.

use std::sync::Arc;
use std::time::Duration;

use azure_api::exchange::{PurchaseProperties, PurchaseRequest};
use azure_api::patch::ArmScopeProperties;
use azure_api::reservation::SkuName;
use azure_client::{AzureClient, AzureError, ExchangeReturn, OnBehalfOf, Poll, PollKind, SecretString};
use azure_client::{InventoryQuestion, ReservationLine};
use super::azure_answer::{error, money};
use desk::upstream::{
    AzureCatalog, AzureUnitPrice, CatalogAsk, PriceAsk, AzureExchange, AzurePrice, AzureRefund, Bought, ExchangeLine, Followed, OnBehalf, PollAt, PreparedPurchase, Started, Target, Upstream, UpstreamError,
    UpstreamFuture,
};

/// ARM, as the desk's upstream.
#[derive(Clone)]
pub struct AzureUpstream {
    client: AzureClient,
    /// The partner's tenant, where Partner Center is asked (else the signed-in user's own).
    partner_tenant: Option<String>,
    /// The server's clock (the state's), read when the desk claims a money move.
    clock: crate::settings::Clock,
    /// Catalogs and prices Azure gave, kept for a while.
    kept: Arc<super::catalog::Kept>,
}

impl std::fmt::Debug for AzureUpstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AzureUpstream")
    }
}

impl AzureUpstream {
    /// Over `client`, its claims stamped by `clock`; Partner Center asked in `partner_tenant`;
    /// catalogs and prices kept in `kept` (the source's, which its reads share).
    pub fn new(client: AzureClient, partner_tenant: Option<String>, clock: crate::settings::Clock, kept: Arc<super::catalog::Kept>) -> Self {
        Self { client, partner_tenant, clock, kept }
    }

    /// The partner's tenant: the deployment's, else the signed-in user's (their token's `tid`).
    fn partner_tenant(&self, who: &OnBehalf) -> Result<String, UpstreamError> {
        if let Some(t) = &self.partner_tenant {
            return Ok(t.clone());
        }
        use base64::Engine;
        let claims: serde_json::Value = who
            .token()
            .split('.')
            .nth(1)
            .and_then(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
            .unwrap_or_default();
        claims.get("tid").and_then(|t| t.as_str()).map(str::to_owned).ok_or_else(|| {
            not_ready("NoPartnerTenant", "The partner's tenant is not known: set AZURE_PARTNER_TENANT_ID.".to_owned())
        })
    }

    /// [`Self::a_subscription`], kept a while with the catalogs and prices asked for it.
    async fn kept_subscription(&self, user: &azure_client::OnBehalfOf, tenant: &str) -> Result<String, UpstreamError> {
        let now = (self.clock)();
        if let Some(id) = self.kept.subscription(tenant, now) {
            return Ok(id);
        }
        let id = self.a_subscription(user, tenant).await?;
        self.kept.keep_subscription(tenant, &id, now);
        Ok(id)
    }

    /// One of the customer's subscriptions the user sees in `tenant` (under an Azure plan every
    /// subscription bills to the same plan), the first by ID.
    async fn a_subscription(&self, user: &azure_client::OnBehalfOf, tenant: &str) -> Result<String, UpstreamError> {
        let mut ids: Vec<String> = self.client.subscriptions(user, tenant).await.map_err(error)?.into_iter().filter(|s| s.is_active()).map(|s| s.id).collect();
        ids.sort();
        ids.into_iter().next().ok_or_else(|| not_ready("NoSubscription", format!("The user sees no subscription in tenant {tenant} to buy under.")))
    }
}

/// The desk's own reason a purchase cannot be asked yet (no answer of Azure's behind it).
fn not_ready(code: &str, message: String) -> UpstreamError {
    UpstreamError { status: None, code: code.into(), message, request: Default::default(), partner_center: false }
}

/// Partner Center's error (a refusal names Partner Center, not Azure).
fn partner_center(e: AzureError) -> UpstreamError {
    UpstreamError { partner_center: true, ..error(e) }
}

/// The subscription a single-scope reservation applies to (bare ID).
fn single_subscription(planned: &contract::Reservation) -> Option<String> {
    if planned.applied_scope_type != contract::AppliedScopeType::Single {
        return None;
    }
    let id = planned.applied_scope_properties.as_ref()?.subscription_id.as_deref()?;
    Some(id.trim_end_matches('/').rsplit('/').next().unwrap_or(id).to_owned()).filter(|id| !id.is_empty())
}

fn obo(who: &OnBehalf) -> OnBehalfOf {
    OnBehalfOf { user: who.user_id.clone(), assertion: Arc::new(SecretString::from(who.token().to_owned())) }
}


/// A reservation the desk would buy, as `calculateExchange`'s `PurchaseRequest`.
fn purchase(r: &contract::Reservation) -> PurchaseRequest {
    PurchaseRequest {
        sku: SkuName { name: r.sku_name.clone() },
        location: r.location.clone(),
        properties: PurchaseProperties {
            reserved_resource_type: Some(r.reserved_resource_type.clone()),
            billing_scope_id: None,
            term: r.term,
            billing_plan: r.billing_plan,
            quantity: r.quantity,
            display_name: Some(r.display_name.clone()),
            applied_scope_type: r.applied_scope_type,
            applied_scopes: None,
            renew: r.renew.then_some(true),
            applied_scope_properties: r.applied_scope_properties.as_ref().map(|a| ArmScopeProperties {
                tenant_id: None,
                management_group_id: a.management_group_id.clone(),
                subscription_id: a.subscription_id.clone(),
                resource_group_id: a.resource_group_id.clone(),
                display_name: a.display_name.clone(),
            }),
        },
    }
}

/// The subscription a savings plan's scope names (bare ID): a single subscription's, or the one
/// its resource group is in; `None` for a shared or management group scope.
fn plan_subscription(plan: &contract::SavingsPlan) -> Option<String> {
    let a = plan.applied_scope_properties.as_ref()?;
    let named = a.subscription_id.as_deref().or(a.resource_group_id.as_deref())?;
    let mut segments = named.trim_matches('/').split('/');
    match (segments.next(), segments.next()) {
        (Some(s), Some(id)) if s.eq_ignore_ascii_case("subscriptions") && !id.is_empty() => Some(id.to_owned()),
        _ => None,
    }
}

/// How ARM's accepted (or finished) change is carried on.
fn started(answer: azure_client::Started) -> Result<Started, UpstreamError> {
    Ok(match answer.poll {
        None => Started::Done(bought(&answer.answer)?),
        Some(poll) => Started::Sent(PollAt {
            url: poll.url,
            kind: match poll.kind {
                PollKind::AsyncOperation => "asyncOperation".into(),
                PollKind::Location => "location".into(),
            },
            wait_seconds: answer.wait.as_secs(),
        }),
    })
}

/// What a finished operation's answer says it bought (an exchange's purchases; a return's
/// answer names none). An answer saying the operation or one of its purchases did not succeed
/// is Azure's error (the operation failed), never "bought nothing".
fn bought(answer: &azure_client::Answer) -> Result<Vec<Bought>, UpstreamError> {
    match azure_client::exchanged(answer) {
        Ok(x) => Ok(x
            .purchased
            .into_iter()
            .map(|(order_id, reservation_id)| Bought { order_id, reservation_id, savings_plan: false })
            .chain(x.savings_plans.into_iter().map(|(order_id, reservation_id)| Bought { order_id, reservation_id, savings_plan: true }))
            .collect()),
        Err(e) if e.code == "ExchangeIncomplete" || e.code.starts_with("Operation") => Err(error(e)),
        // Not an exchange's answer (a return's): it names no purchase.
        Err(_) => Ok(Vec::new()),
    }
}

/// A recommendation as the desk's port carries it; `asked_type` the resource type it was asked
/// for, when Azure's item does not name its own.
fn recommendation(r: azure_api::consumption::RecommendationFigures, asked_type: &str) -> desk_service::recommendations::Recommended {
    use azure_api::consumption::RecommendedScope;
    desk_service::recommendations::Recommended {
        sku_name: r.sku_name,
        location: r.location,
        resource_type: Some(r.resource_type.unwrap_or_else(|| asked_type.to_owned())),
        term: r.term,
        subscription_id: match r.scope {
            RecommendedScope::Single { subscription_id } => Some(subscription_id),
            RecommendedScope::Shared => None,
        },
        recommended_quantity: r.recommended_quantity,
        look_back_days: r.look_back_days,
        first_usage_date: r.first_usage_date,
        currency: r.currency,
        cost_with_no_reserved_instances: r.cost_with_no_reserved_instances,
        total_cost_with_reserved_instances: r.total_cost_with_reserved_instances,
        net_savings: r.net_savings,
    }
}

/// A listed recommendation the desk could not read, as the user is told of it: what Azure said
/// of it (SKU, region, scope: the scope asked when Azure says none), the subscription and
/// resource type it was asked of, and why.
fn unread(s: azure_api::consumption::Skipped, asked_scope: &str, subscription_id: &str, asked_type: &str) -> contract::LeftOutRecommendation {
    let scope = s.scope.as_deref().or(Some(asked_scope)).map(str::trim).and_then(|scope| match scope {
        x if x.eq_ignore_ascii_case("Single") => Some(contract::AppliedScopeType::Single),
        x if x.eq_ignore_ascii_case("Shared") => Some(contract::AppliedScopeType::Shared),
        _ => None,
    });
    contract::LeftOutRecommendation {
        sku_name: s.sku_name,
        location: s.location,
        subscription_id: Some(subscription_id.to_owned()).filter(|_| scope != Some(contract::AppliedScopeType::Shared)),
        applied_scope_type: scope,
        term: None,
        reserved_resource_type: Some(desk_service::recommendations::family_of(asked_type)),
        reason: contract::LeftOutReason::Incomplete,
        detail: if s.id.is_empty() { s.why } else { format!("{} ({})", s.why, s.id) },
    }
}

/// How many of Microsoft.Consumption's calls for one customer's recommendations run at once.
const RECOMMENDATION_CALLS_AT_ONCE: usize = 4;

/// One call's answer: what was asked, the subscription that answered (or last refused).
type Asked = (azure_client::RecommendationsAsked<'static>, String, Result<Vec<Result<azure_api::consumption::RecommendationRead, azure_api::consumption::Skipped>>, AzureError>);

/// The recommendations `asked` of the first of `from` (subscriptions, in order) that may read
/// them: a subscription that refuses the user (403) is logged and the next asked.
async fn ask_recommendations(
    client: &AzureClient, user: &OnBehalfOf, tenant_id: &str, asked: azure_client::RecommendationsAsked<'static>, from: Vec<String>,
) -> Asked {
    let mut refused = None;
    for subscription in from {
        match client.reservation_recommendations(user, tenant_id, &subscription, asked).await {
            Ok(listed) => return (asked, subscription, Ok(listed)),
            Err(e) if e.status == Some(403) => {
                tracing::warn!("tenant {tenant_id}: the {} reservation recommendations ({}) of subscription {subscription} were refused: {e}", asked.resource_type, asked.scope);
                refused = Some((subscription, e));
            }
            Err(e) => return (asked, subscription, Err(e)),
        }
    }
    let (subscription, e) = refused.unwrap_or_else(|| (String::new(), AzureError::new("NoSubscription", "No subscription to ask.")));
    (asked, subscription, Err(e))
}

fn poll_of(at: &PollAt) -> Poll {
    let kind = if at.kind == "asyncOperation" { PollKind::AsyncOperation } else { PollKind::Location };
    Poll { url: at.url.clone(), kind }
}

impl Upstream for AzureUpstream {
    fn asks(&self) -> bool {
        true
    }

    fn now(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        Some((self.clock)())
    }

    fn calculate_refund<'a>(&'a self, who: &'a OnBehalf, target: Target<'a>, quantity: u32) -> UpstreamFuture<'a, AzureRefund> {
        Box::pin(async move {
            let answer = self
                .client
                .calculate_refund(&obo(who), target.tenant_id, target.order_id, target.reservation_id, quantity)
                .await
                .map_err(error)?;
            Ok(AzureRefund {
                session_id: answer.session_id,
                quantity: answer.quantity,
                billing_refund_amount: answer.billing_refund_amount,
                pricing_refund_amount: answer.pricing_refund_amount,
                consumed_refunds_total: answer.consumed_refunds_total,
                max_refund_limit: answer.max_refund_limit,
                policy_errors: answer.policy_errors,
            })
        })
    }

    fn start_return<'a>(
        &'a self, who: &'a OnBehalf, target: Target<'a>, quantity: u32, azure_session_id: &'a str, reason: &'a str,
    ) -> UpstreamFuture<'a, Started> {
        Box::pin(async move {
            let started = self
                .client
                .start_return(&obo(who), target.tenant_id, target.order_id, target.reservation_id, quantity, azure_session_id, reason)
                .await
                .map_err(error)?;
            self::started(started)
        })
    }

    fn calculate_exchange<'a>(
        &'a self, who: &'a OnBehalf, tenant_id: &'a str, returns: &'a [ExchangeLine], purchases: &'a [contract::Reservation], plans: &'a [contract::SavingsPlan],
    ) -> UpstreamFuture<'a, AzureExchange> {
        Box::pin(async move {
            let returns: Vec<ExchangeReturn> = returns
                .iter()
                .map(|l| ExchangeReturn { order_id: l.order_id.clone(), reservation_id: l.reservation_id.clone(), quantity: l.quantity })
                .collect();
            let purchases: Vec<PurchaseRequest> = purchases.iter().map(purchase).collect();
            let user = obo(who);
            // A trade-in's savings plans, as Microsoft's `CalculateExchange.json` sends them: the
            // commitment the user asked for (the desk's plan, never a client's figure), billed to
            // the subscription its scope names, else one the user sees in the tenant.
            let mut asked = Vec::with_capacity(plans.len());
            for plan in plans {
                let charged = match plan_subscription(plan) {
                    Some(id) => id,
                    None => self.a_subscription(&user, tenant_id).await?,
                };
                asked.push(azure_api::exchange::SavingsPlanPurchaseRequest::of(plan, Some(format!("/subscriptions/{charged}"))));
            }
            let answer = self.client.calculate_exchange(&user, tenant_id, &returns, &purchases, &asked).await.map_err(error)?;
            let mut savings_plans = Vec::with_capacity(answer.savings_plans.len());
            for total in &answer.savings_plans {
                savings_plans.push(total.as_ref().map(|t| money(t, "savingsPlansToPurchase[].billingCurrencyTotal")).transpose()?);
            }
            Ok(AzureExchange {
                session_id: answer.session_id,
                net_payable: money(&answer.net_payable, "netPayable")?,
                refunds_total: money(&answer.refunds_total, "refundsTotal")?,
                purchases_total: money(&answer.purchases_total, "purchasesTotal")?,
                policy_errors: answer.policy_errors,
                savings_plans,
            })
        })
    }

    fn start_exchange<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, azure_session_id: &'a str) -> UpstreamFuture<'a, Started> {
        Box::pin(async move { started(self.client.start_exchange(&obo(who), tenant_id, azure_session_id).await.map_err(error)?) })
    }

    fn follow<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, poll: &'a PollAt) -> UpstreamFuture<'a, Followed> {
        Box::pin(async move {
            match self.client.follow(&obo(who), tenant_id, &poll_of(poll), Duration::from_secs(poll.wait_seconds)).await {
                Ok(answer) => Ok(Followed::Succeeded(bought(&answer)?)),
                Err(e) if e.code == "StillRunning" => Ok(Followed::Running),
                Err(e) => Err(error(e)),
            }
        })
    }

    fn calculate_price<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, planned: &'a contract::Reservation) -> UpstreamFuture<'a, AzurePrice> {
        Box::pin(async move {
            let user = obo(who);
            // The subscription charged (the specification's `billingScopeId`, as its
            // `CalculateReservationOrder.json` sends it): a single-scope purchase's own, else one
            // the user sees in the tenant; under an Azure plan every one bills to the plan.
            let charged = match single_subscription(planned) {
                Some(id) => id,
                None => self.a_subscription(&user, tenant_id).await?,
            };
            let mut asked = purchase(planned);
            asked.properties.billing_scope_id = Some(format!("/subscriptions/{charged}"));
            let answer = self.client.calculate_price(&user, tenant_id, &asked).await.map_err(error)?;
            self.kept.forget_price(tenant_id, &planned.sku_name, &planned.location, planned.term, planned.billing_plan);
            Ok(AzurePrice {
                total: money(&answer.billing_currency_total, "billingCurrencyTotal")?,
                first_payment: answer.first_payment.as_ref().map(|p| money(p, "paymentSchedule")).transpose()?,
            })
        })
    }

    fn prepare_purchase<'a>(
        &'a self, who: &'a OnBehalf, customer_id: &'a str, tenant_id: &'a str, planned: &'a contract::Reservation, subscription_id: Option<&'a str>,
    ) -> UpstreamFuture<'a, PreparedPurchase> {
        Box::pin(async move {
            let user = obo(who);
            let partner = self.partner_tenant(who)?;
            // Learn: an Azure plan customer's reservations are bought under the Azure plan (its
            // Partner Center subscription, registered as a 0145P subscription is); a Microsoft
            // Azure (MS-AZR-0145P) customer's under one of its Azure subscriptions.
            let subscription_id = match self.client.azure_plan_subscription(&user, &partner, customer_id).await.map_err(partner_center)? {
                Some(plan) => plan,
                None => match subscription_id {
                    Some(id) => id.to_owned(),
                    None => self.a_subscription(&user, tenant_id).await?,
                },
            };
            let status = self.client.register_for_reservations(&user, &partner, customer_id, &subscription_id).await.map_err(partner_center)?;
            if status != "registered" {
                return Err(not_ready(
                    "RegistrationPending",
                    format!("Partner Center is registering subscription {subscription_id} for reservation purchases (status: {status})."),
                ));
            }
            let line = ReservationLine {
                customer_id: customer_id.to_owned(),
                subscription_id: subscription_id.clone(),
                reserved_resource_type: planned.reserved_resource_type.clone(),
                sku_name: planned.sku_name.clone(),
                region: planned.location.clone(),
                term: format!("{:?}", planned.term),
                quantity: planned.quantity,
                scope: if planned.applied_scope_type == contract::AppliedScopeType::Single { "single".into() } else { "shared".into() },
            };
            let item = self.client.reservation_catalog_item(&user, &partner, &line).await.map_err(partner_center)?.ok_or_else(|| {
                not_ready(
                    "NotInCatalog",
                    format!("Partner Center sells no {} in {} for {:?} to this customer (its Azure plan catalog).", line.sku_name, line.region, planned.term),
                )
            })?;
            if item.inventory_check {
                // The SKU's `InventoryCheck` prerequisite: checked before any cart is made.
                let question = InventoryQuestion {
                    customer_id: customer_id.to_owned(),
                    subscription_id: subscription_id.clone(),
                    region: line.region.clone(),
                    product_id: item.product_id.clone(),
                    sku_id: item.sku_id.clone(),
                };
                let restrictions = self.client.check_inventory(&user, &partner, item.country.as_deref(), &question).await.map_err(partner_center)?;
                if !restrictions.is_empty() {
                    return Err(UpstreamError {
                        status: Some(200),
                        code: desk::upstream::INVENTORY_RESTRICTED.into(),
                        message: restrictions.join("; "),
                        request: Default::default(),
                        partner_center: true,
                    });
                }
            }
            let (cart_id, line_errors) = self.client.create_reservation_cart(&user, &partner, &line, &item).await.map_err(partner_center)?;
            if !line_errors.is_empty() {
                // Refused: nothing is bought, and the cart is left to expire.
                return Err(UpstreamError { status: Some(201), code: "CartLineError".into(), message: line_errors.join("; "), request: Default::default(), partner_center: true });
            }
            Ok(PreparedPurchase { subscription_id, catalog_item_id: item.catalog_item_id, title: item.title, cart_id })
        })
    }

    fn checkout<'a>(&'a self, who: &'a OnBehalf, customer_id: &'a str, cart_id: &'a str, request_id: &'a str) -> UpstreamFuture<'a, String> {
        Box::pin(async move {
            let partner = self.partner_tenant(who)?;
            let done = self.client.checkout(&obo(who), &partner, customer_id, cart_id, request_id).await.map_err(partner_center)?;
            if !done.errors.is_empty() {
                // A 2xx carrying Partner Center's refusal: nothing was bought.
                return Err(UpstreamError { status: Some(201), code: "OrderErrors".into(), message: done.errors.join("; "), request: Default::default(), partner_center: true });
            }
            done.orders.into_iter().next().map(|o| o.id).ok_or_else(|| UpstreamError {
                status: None,
                code: "NoOrder".into(),
                message: "Partner Center's checkout named no order and no error.".into(),
                request: Default::default(),
                partner_center: true,
            })
        })
    }

    fn purchase_fulfilment<'a>(&'a self, who: &'a OnBehalf, customer_id: &'a str, tenant_id: &'a str, partner_order_id: &'a str) -> UpstreamFuture<'a, Followed> {
        Box::pin(async move {
            let user = obo(who);
            let partner = self.partner_tenant(who)?;
            let Some(order_id) = self.client.entitled_reservation_order(&user, &partner, customer_id, partner_order_id).await.map_err(partner_center)? else {
                // No entitlement yet: still being made, unless Partner Center says the order ended
                // without one (its documented `cancelled` and `error` statuses).
                let order = self.client.partner_order(&user, &partner, customer_id, partner_order_id).await.map_err(partner_center)?;
                return match order.map(|o| o.status) {
                    Some(status) if status == "cancelled" || status == "error" => Err(UpstreamError {
                        status: Some(200),
                        code: desk::upstream::PARTNER_CENTER_ORDER_ENDED.into(),
                        message: format!("Partner Center's order {partner_order_id} is {status}: nothing was bought."),
                        request: Default::default(),
                        partner_center: true,
                    }),
                    _ => Ok(Followed::Running),
                };
            };
            match self.client.order_reservations(&user, tenant_id, &order_id).await.map_err(error)? {
                Some(listed) if !listed.is_empty() => {
                    Ok(Followed::Succeeded(listed.into_iter().map(|reservation_id| Bought { order_id: order_id.clone(), reservation_id, savings_plan: false }).collect()))
                }
                // ARM has not made the order's reservations yet.
                _ => Ok(Followed::Running),
            }
        })
    }

    fn orders_since<'a>(
        &'a self, who: &'a OnBehalf, customer_id: &'a str, catalog_item_id: &'a str, quantity: u32, since: chrono::DateTime<chrono::Utc>,
    ) -> UpstreamFuture<'a, Vec<String>> {
        Box::pin(async move {
            let partner = self.partner_tenant(who)?;
            let mut orders = self.client.partner_orders(&obo(who), &partner, customer_id).await.map_err(partner_center)?;
            orders.retain(|o| o.created.is_some_and(|c| c >= since) && o.lines.iter().any(|(item, q)| item == catalog_item_id && *q == quantity));
            orders.sort_by_key(|o| o.created);
            Ok(orders.into_iter().map(|o| o.id).collect())
        })
    }

    fn name_reservation<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, bought: &'a Bought, name: &'a str, renew: bool) -> UpstreamFuture<'a, ()> {
        Box::pin(async move {
            let properties = azure_api::patch::PatchProperties { name: Some(name.to_owned()), renew: renew.then_some(true), ..Default::default() };
            let patch = azure_api::patch::ArmPatch { properties };
            self.client.change_reservation(&obo(who), tenant_id, &bought.order_id, &bought.reservation_id, &patch).await.map_err(error)?;
            Ok(())
        })
    }

    fn quantity<'a>(&'a self, who: &'a OnBehalf, target: Target<'a>) -> UpstreamFuture<'a, Option<u32>> {
        Box::pin(async move {
            let found = self.client.reservation(&obo(who), target.tenant_id, target.order_id, target.reservation_id).await.map_err(error)?;
            match found {
                None => Ok(None),
                Some(r) => r.properties.and_then(|p| p.quantity).map(Some).ok_or_else(|| UpstreamError {
                    request: Default::default(),
                    status: None,
                    code: "QuantityUnknown".into(),
                    message: "ARM's reservation gives no quantity.".into(),
                    partner_center: false,
                }),
            }
        })
    }

    fn catalog<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, ask: &'a CatalogAsk) -> UpstreamFuture<'a, AzureCatalog> {
        Box::pin(async move {
            let user = obo(who);
            let subscription_id = match &ask.subscription_id {
                Some(id) => id.clone(),
                None => self.kept_subscription(&user, tenant_id).await?,
            };
            self.kept.catalog(&self.client, &user, tenant_id, &subscription_id, ask, (self.clock)()).await
        })
    }

    fn unit_price<'a>(&'a self, who: &'a OnBehalf, tenant_id: &'a str, ask: &'a PriceAsk) -> UpstreamFuture<'a, AzureUnitPrice> {
        Box::pin(async move {
            let user = obo(who);
            let subscription_id = match &ask.subscription_id {
                Some(id) => id.clone(),
                None => self.kept_subscription(&user, tenant_id).await?,
            };
            self.kept.unit_price(&self.client, &azure_client::Reader::User(user), tenant_id, &subscription_id, ask, (self.clock)()).await
        })
    }

    fn recommendations<'a>(
        &'a self, who: &'a OnBehalf, tenant_id: &'a str, look_back: contract::LookBackPeriod,
    ) -> UpstreamFuture<'a, desk_service::recommendations::ReadFromAzure> {
        Box::pin(async move {
            use azure_api::consumption::RESOURCE_TYPES;
            use azure_client::RecommendationsAsked;
            use futures::FutureExt;
            let user = obo(who);
            let subscriptions = self.client.subscriptions(&user, tenant_id).await.map_err(error)?;
            let active: Vec<String> = subscriptions.iter().filter(|s| s.is_active()).map(|s| s.id.clone()).collect();
            // One call per subscription and resource type at single scope (each subscription's
            // own); the shared scope is the customer's billing context, the same answer from
            // every subscription: asked once per resource type, of the first subscription that
            // may read it. The filter takes one resource type at a time.
            let look_back = look_back.name();
            let single = RESOURCE_TYPES.iter().flat_map(|t| active.iter().map(move |s| (*t, "Single", vec![s.clone()])));
            // No subscription: nothing to ask, and nothing to buy.
            let shared = RESOURCE_TYPES.iter().filter(|_| !active.is_empty()).map(|t| (*t, "Shared", active.clone()));
            let asks: Vec<_> = single.chain(shared).collect();
            // A few calls at a time, in order (the answer does not depend on which returns first).
            let mut answers: Vec<Asked> = Vec::with_capacity(asks.len());
            for chunk in asks.chunks(RECOMMENDATION_CALLS_AT_ONCE) {
                let calls: Vec<_> = chunk
                    .iter()
                    .map(|(resource_type, scope, from)| {
                        let asked = RecommendationsAsked { scope, look_back, resource_type };
                        ask_recommendations(&self.client, &user, tenant_id, asked, from.clone()).boxed()
                    })
                    .collect();
                answers.extend(futures::future::join_all(calls).await);
            }
            let mut read = desk_service::recommendations::ReadFromAzure::default();
            let mut refused = Vec::new();
            let asked = answers.len();
            for (asked_of, subscription, answer) in answers {
                let resource_type = asked_of.resource_type;
                let listed = match answer {
                    Ok(listed) => listed,
                    Err(e) if e.status == Some(403) => {
                        refused.push(e);
                        continue;
                    }
                    Err(e) => return Err(error(e)),
                };
                for item in listed {
                    match item.and_then(|r| r.figures(&subscription, look_back)) {
                        Ok(r) => read.recommended.push(recommendation(r, resource_type)),
                        Err(skipped) => {
                            tracing::warn!("tenant {tenant_id}: recommendation {:?} left out: {}", skipped.id, skipped.why);
                            read.unread.push(unread(skipped, asked_of.scope, &subscription, resource_type));
                        }
                    }
                }
            }
            // Every call refused: the user may read none of it, which is not "nothing to buy".
            if asked > 0 && refused.len() == asked {
                return Err(error(refused.swap_remove(0)));
            }
            Ok(read)
        })
    }
}
