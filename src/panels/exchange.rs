use contract::{
    AppliedScopeType, CalculateExchangeRequest, CatalogItem, ExchangePurchaseRequest, ExchangeRequest,
    ExchangeReturnRequest, ProvisioningState, ReservationDetail, Scope,
};
use desk_service::exchange::{self, CheckedReturn};
use leptos::prelude::*;
use leptos_router::components::A;
use quote_engine::{quote_refund, BillingPlan, Money, PolicyName, PriorRefund, Term};

use crate::api;
use crate::clock;
use crate::components::exchange_breakdown::ExchangeBreakdown;
use crate::components::labels::{plan_text, scope_label, scope_text, term_text};
use crate::components::load_error::LoadError;
use crate::components::problem_text::{problem_text, ActionError};
use crate::format::format_money;
use crate::i18n::*;
use crate::pages::reservation::CurrentReservation;
use crate::panels::refund::DEFAULT_POLICY;
use crate::paths;
use crate::user::CurrentUser;
use desk_service::access::Permission;

/// One purchase line as typed: the SKU, term, plan, quantity text and scope (0: Shared, else
/// the index + 1 of one of the customer's own scopes).
#[derive(Clone, Debug, PartialEq)]
struct PurchaseLine {
    sku_id: String,
    term: Term,
    plan: BillingPlan,
    quantity: String,
    scope: usize,
}

impl PurchaseLine {
    fn new(sku_id: String) -> Self {
        Self { sku_id, term: Term::P3Y, plan: BillingPlan::Upfront, quantity: "1".into(), scope: 0 }
    }
}

/// One returned reservation as typed: its ID, the quantity text and how many it has.
#[derive(Clone, Debug, PartialEq)]
struct ReturnLine {
    reservation_id: String,
    quantity: String,
    max: u32,
}

/// A whole number within `1..=max`, or `None`.
fn parse_quantity(text: &str, max: u32) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|q| (1..=max).contains(q))
}

/// An optional quantity: blank or 0 means "none of it" (`Some(0)`); else as [`parse_quantity`].
fn parse_optional_quantity(text: &str, max: u32) -> Option<u32> {
    match text.trim() {
        "" | "0" => Some(0),
        other => parse_quantity(other, max),
    }
}

/// The request the inputs describe, or `None` while a quantity is not a valid number. The
/// first return line is this reservation (at least 1); the others are optional.
fn request(returns: &[ReturnLine], lines: &[PurchaseLine], scopes: &[Scope]) -> Option<CalculateExchangeRequest> {
    let (first, others) = returns.split_first()?;
    let mut reservations_to_exchange =
        vec![ExchangeReturnRequest { reservation_id: first.reservation_id.clone(), quantity: parse_quantity(&first.quantity, first.max)? }];
    for other in others {
        let quantity = parse_optional_quantity(&other.quantity, other.max)?;
        if quantity > 0 {
            reservations_to_exchange.push(ExchangeReturnRequest { reservation_id: other.reservation_id.clone(), quantity });
        }
    }
    let purchases = lines
        .iter()
        .map(|l| {
            let scope = l.scope.checked_sub(1).and_then(|i| scopes.get(i));
            Some(ExchangePurchaseRequest {
                sku_id: l.sku_id.clone(),
                term: l.term,
                billing_plan: l.plan,
                quantity: parse_quantity(&l.quantity, exchange::MAX_PURCHASE_QUANTITY)?,
                applied_scope_type: scope.map_or(AppliedScopeType::Shared, |s| s.applied_scope_type),
                applied_scope_properties: scope.map(|s| s.applied_scope_properties.clone()),
                display_name: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(CalculateExchangeRequest { reservations_to_exchange, reservations_to_purchase: purchases })
}

/// What a plain refund of the same units would give instead, returned one after another so
/// that each counts against the customer's limit like the ones before it.
fn plain_refund(returns: &[(&ReservationDetail, u32)], prior_refunds: &[PriorRefund], today: chrono::NaiveDate) -> Option<Money> {
    let policy = PolicyName::policy(DEFAULT_POLICY);
    let mut prior = prior_refunds.to_vec();
    let mut total: Option<Money> = None;
    for (detail, quantity) in returns {
        let quote = quote_refund(&policy, today, &detail.to_engine().ok()?, *quantity, &prior).ok()?;
        prior.push(PriorRefund { date: today, amount: quote.refund_amount });
        total = Some(match total {
            None => quote.refund_amount,
            Some(sum) => sum.checked_add(quote.refund_amount).ok()?,
        });
    }
    total
}

/// What the exchange form needs besides the reservation on screen.
#[derive(Clone)]
struct ExchangeInputs {
    catalog: Vec<CatalogItem>,
    prior_refunds: Vec<PriorRefund>,
    /// The customer's other active reservations of the same family, with their history.
    others: Vec<ReservationDetail>,
    scopes: Vec<Scope>,
}

async fn load_inputs(customer_id: String, current: ReservationDetail) -> Result<ExchangeInputs, api::ApiError> {
    let catalog = api::catalog().await?;
    let prior_refunds = api::refund_limit(&customer_id).await?.prior_refunds();
    let scopes = api::scopes(&customer_id).await?;
    let mut others = Vec::new();
    let r = &current.reservation;
    for other in api::reservations(&customer_id).await? {
        if other.id != r.id
            && other.provisioning_state == ProvisioningState::Succeeded
            && other.reserved_resource_type == r.reserved_resource_type
        {
            others.push(api::reservation(&other.reservation_order_id, &other.id).await?);
        }
    }
    Ok(ExchangeInputs { catalog, prior_refunds, others, scopes })
}

/// Exchange: return units of this reservation and buy catalog SKUs of the same family; the
/// quote is live in the browser (the same service code the backends run), next to what a
/// plain refund would give; Review asks the backend, Exchange carries it out once.
#[component]
pub fn ExchangePanel() -> impl IntoView {
    let i18n = use_i18n();
    let current = expect_context::<CurrentReservation>();
    let r = current.detail.reservation.clone();
    if r.provisioning_state != ProvisioningState::Succeeded {
        return view! { <h2>{t!(i18n, exchange)}</h2><p class="empty">{t!(i18n, nothing_to_exchange)}</p> }.into_any();
    }
    let customer_id = current.customer_id.clone();
    let detail = current.detail.clone();
    let inputs = LocalResource::new(move || load_inputs(customer_id.clone(), detail.clone()));
    view! {
        <h2>{t!(i18n, exchange)}</h2>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_catalog)}</p> }>
            {move || {
                let current = current.clone();
                Suspend::new(async move {
                    match inputs.await {
                        Ok(inputs) => view! { <ExchangeForm current inputs /> }.into_any(),
                        Err(error) => view! { <LoadError error retry=move || inputs.refetch() /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

#[component]
fn ExchangeForm(current: CurrentReservation, inputs: ExchangeInputs) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let locale = move || i18n.get_locale();
    let ExchangeInputs { catalog, prior_refunds, others, scopes } = inputs;
    let detail = current.detail.clone();
    let r = detail.reservation.clone();
    let max = r.quantity;
    let family_items: Vec<CatalogItem> =
        catalog.into_iter().filter(|i| i.reserved_resource_type == r.reserved_resource_type).collect();
    let first_sku = family_items.first().map(|i| i.sku_id.clone()).unwrap_or_default();
    // This reservation first (at least one unit), then the customer's other reservations of
    // the same family (none by default).
    let returns = RwSignal::new(
        std::iter::once(ReturnLine { reservation_id: r.id.clone(), quantity: "1".into(), max })
            .chain(others.iter().map(|o| ReturnLine {
                reservation_id: o.reservation.id.clone(),
                quantity: "0".into(),
                max: o.reservation.quantity,
            }))
            .collect::<Vec<_>>(),
    );
    let lines = RwSignal::new(vec![PurchaseLine::new(first_sku.clone())]);
    let today = clock::today();
    let details = StoredValue::new(std::iter::once(detail.clone()).chain(others.iter().cloned()).collect::<Vec<_>>());
    let scopes = StoredValue::new(scopes);

    let req = Memo::new(move |_| scopes.with_value(|s| returns.with(|rs| lines.with(|ls| request(rs, ls, s)))));
    // The quantities as entered, with their reservations (None while one is invalid).
    let chosen = move |request: &CalculateExchangeRequest| {
        details.with_value(|all| {
            request
                .reservations_to_exchange
                .iter()
                .filter_map(|ret| all.iter().find(|d| d.reservation.id == ret.reservation_id).map(|d| (d.clone(), ret.quantity)))
                .collect::<Vec<_>>()
        })
    };
    let live = Memo::new(move |_| {
        let request = req.get()?;
        let chosen = chosen(&request);
        let checked: Vec<CheckedReturn> = chosen.iter().map(|(detail, quantity)| CheckedReturn { detail, quantity: *quantity }).collect();
        Some(scopes.with_value(|s| exchange::quote(&checked, &request.reservations_to_purchase, s, today)))
    });
    let plain_refund = Memo::new(move |_| {
        let request = req.get()?;
        let chosen = chosen(&request);
        let pairs: Vec<(&ReservationDetail, u32)> = chosen.iter().map(|(d, q)| (d, *q)).collect();
        plain_refund(&pairs, &prior_refunds, today)
    });

    let review = Action::new_local(move |request: &CalculateExchangeRequest| {
        let request = request.clone();
        async move { api::calculate_exchange(&request).await }
    });
    Effect::new(move |_| {
        req.track();
        review.value().set(None);
    });
    let submit = Action::new_local(move |session_id: &String| {
        let request = ExchangeRequest { session_id: session_id.clone() };
        async move { api::exchange(&request).await }
    });

    let sku_options = StoredValue::new(family_items);
    let line_rows = move || {
        let count = lines.with(Vec::len);
        (0..count)
            .map(|index| {
                let get = move |f: fn(&PurchaseLine) -> String| lines.with(|l| l.get(index).map(f).unwrap_or_default());
                let id = format!("purchase-{index}");
                view! {
                    <fieldset class="purchase-line">
                        <legend class="visually-hidden">{t!(i18n, exchange_buy)} " " {index + 1}</legend>
                        <label>{t!(i18n, sku)}
                            <select prop:value=move || get(|l| l.sku_id.clone())
                                on:change=move |e| lines.update(|l| l[index].sku_id = event_target_value(&e))>
                                {sku_options.with_value(|items| items.iter().map(|i| {
                                    let label = format!("{} · {}", i.sku_name, i.location);
                                    view! { <option value=i.sku_id.clone()>{label}</option> }
                                }).collect_view())}
                            </select>
                        </label>
                        <label>{t!(i18n, column_term)}
                            <select on:change=move |e| {
                                let v = event_target_value(&e);
                                if let Some(t) = [Term::P1Y, Term::P3Y, Term::P5Y].into_iter().find(|t| format!("{t:?}") == v) {
                                    lines.update(|l| l[index].term = t);
                                }
                            }>
                                {[Term::P1Y, Term::P3Y, Term::P5Y].map(|t| view! {
                                    <option value=format!("{t:?}") selected=move || lines.with(|l| l.get(index).map(|x| x.term)) == Some(t)>
                                        {move || term_text(i18n, t)}
                                    </option>
                                })}
                            </select>
                        </label>
                        <label>{t!(i18n, column_billing_plan)}
                            <select on:change=move |e| {
                                let plan = if event_target_value(&e) == "Monthly" { BillingPlan::Monthly } else { BillingPlan::Upfront };
                                lines.update(|l| l[index].plan = plan);
                            }>
                                {[BillingPlan::Upfront, BillingPlan::Monthly].map(|p| view! {
                                    <option value=format!("{p:?}")>{move || plan_text(i18n, p)}</option>
                                })}
                            </select>
                        </label>
                        <label>{t!(i18n, column_scope)}
                            <select on:change=move |e| {
                                let choice = event_target_value(&e).parse().unwrap_or(0);
                                lines.update(|l| l[index].scope = choice);
                            }>
                                <option value="0" selected=move || lines.with(|l| l.get(index).map(|x| x.scope)) == Some(0)>
                                    {move || scope_text(i18n, AppliedScopeType::Shared)}
                                </option>
                                {scopes.with_value(|all| all.iter().enumerate().map(|(i, scope)| {
                                    let scope = scope.clone();
                                    view! {
                                        <option value=(i + 1).to_string() selected=move || lines.with(|l| l.get(index).map(|x| x.scope)) == Some(i + 1)>
                                            {move || scope_label(i18n, &scope)}
                                        </option>
                                    }
                                }).collect_view())}
                            </select>
                        </label>
                        // Label and input wrap together, as the other fields do.
                        <label>{t!(i18n, column_quantity)}
                            <input id=id type="number" min="1" max="1000" class="qty"
                                prop:value=move || get(|l| l.quantity.clone())
                                on:input=move |e| lines.update(|l| l[index].quantity = event_target_value(&e))
                                aria-invalid=move || lines.with(|l| l.get(index).map(|x| parse_quantity(&x.quantity, 1000).is_none())).unwrap_or(false).to_string() />
                        </label>
                        <Show when=move || { count > 1 }>
                            <button type="button" class="secondary" on:click=move |_| lines.update(|l| { l.remove(index); })>
                                {t!(i18n, remove)}
                            </button>
                        </Show>
                    </fieldset>
                }
            })
            .collect_view()
    };
    let customer_id = current.customer_id.clone();

    view! {
        <div class="field">
            <label for="exchange-return">{t!(i18n, exchange_return)}</label>
            <div class="inline">
                <input id="exchange-return" type="number" min="1" max=max
                    prop:value=move || returns.with(|rs| rs[0].quantity.clone())
                    on:input=move |e| returns.update(|rs| rs[0].quantity = event_target_value(&e))
                    aria-invalid=move || returns.with(|rs| parse_quantity(&rs[0].quantity, max).is_none()).to_string() />
                <span class="hint">{t!(i18n, of_quantity, max)}</span>
            </div>
            <Show when=move || returns.with(|rs| parse_quantity(&rs[0].quantity, max).is_none())>
                <p class="field-error" role="alert">{t!(i18n, quantity_invalid, max)}</p>
            </Show>
        </div>
        {(!others.is_empty()).then(|| view! {
            <fieldset class="also-return">
                <legend>{t!(i18n, exchange_also_return)}</legend>
                {others.iter().enumerate().map(|(i, other)| {
                    let index = i + 1;
                    let o = &other.reservation;
                    let (id, other_max) = (format!("also-return-{index}"), o.quantity);
                    let label = format!("{} · {}", o.display_name, o.sku_name);
                    view! {
                        <div class="field inline">
                            <label for=id.clone()>{label}</label>
                            <input id=id type="number" min="0" max=other_max class="qty"
                                prop:value=move || returns.with(|rs| rs[index].quantity.clone())
                                on:input=move |e| returns.update(|rs| rs[index].quantity = event_target_value(&e))
                                aria-invalid=move || returns.with(|rs| parse_optional_quantity(&rs[index].quantity, other_max).is_none()).to_string() />
                            <span class="hint">{t!(i18n, of_quantity, max = other_max)}</span>
                        </div>
                    }
                }).collect_view()}
                <Show when=move || returns.with(|rs| rs[1..].iter().any(|x| parse_optional_quantity(&x.quantity, x.max).is_none()))>
                    <p class="field-error" role="alert">{t!(i18n, also_return_quantity_invalid)}</p>
                </Show>
            </fieldset>
        })}
        <h3>{t!(i18n, exchange_buy)}</h3>
        {line_rows}
        <Show when=move || lines.with(|l| l.iter().any(|x| parse_quantity(&x.quantity, 1000).is_none()))>
            <p class="field-error" role="alert">{t!(i18n, purchase_quantity_invalid)}</p>
        </Show>
        <button type="button" class="secondary" on:click=move |_| {
            let sku = first_sku.clone();
            lines.update(|l| l.push(PurchaseLine::new(sku)));
        }>{t!(i18n, add_purchase)}</button>
        <div class="side-by-side">
            {move || match live.get() {
                Some(Ok(quote)) => view! {
                    <ExchangeBreakdown quote title=Signal::derive(move || t_string!(i18n, exchange_quote).to_string()) />
                }.into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{problem_text(i18n, &contract::Problem::from(e))}</p> }.into_any(),
                None => ().into_any(),
            }}
            {move || plain_refund.get().map(|amount| view! {
                <p class="note">{move || t_string!(i18n, plain_refund_instead, amount = format_money(&amount, locale())).to_string()}</p>
            })}
        </div>
        <div class="actions">
            <button type="button" disabled=move || req.get().is_none() || review.pending().get() || !user.may(Permission::Quote)
                title=move || user.refusal(i18n, Permission::Quote)
                on:click=move |_| { if let Some(r) = req.get_untracked() { review.dispatch(r); } }>
                {t!(i18n, review)}
            </button>
            <A href=paths::reservation(&current.customer_id, &r.id, "support") attr:class="button secondary">{t!(i18n, request_through_support)}</A>
        </div>
        {move || review.value().get().filter(|_| !matches!(submit.value().get(), Some(Ok(_)))).map(|result| match result {
            Err(error) => view! { <ActionError error /> }.into_any(),
            Ok(confirmed) => {
                let session_id = confirmed.session_id.clone();
                let valid = confirmed.quote.is_valid_exchange;
                view! {
                    <ExchangeBreakdown quote=confirmed.quote.clone()
                        title=Signal::derive(move || t_string!(i18n, server_quote).to_string()) />
                    <button type="button" disabled=move || !valid || submit.pending().get() || !user.may(Permission::MoveMoney)
                        title=move || user.refusal(i18n, Permission::MoveMoney)
                        on:click=move |_| { submit.dispatch(session_id.clone()); }>
                        {move || if submit.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, submit_exchange) }}
                    </button>
                }.into_any()
            }
        })}
        {move || submit.value().get().map(|result| match result {
            Err(error) => view! { <ActionError error /> }.into_any(),
            Ok(done) => {
                let order = done.reservation_order_id.clone();
                let first = done.purchased.first().map(|p| paths::reservation(&customer_id, &p.id, "")).unwrap_or_default();
                view! {
                    <p class="success" role="status">{move || t_string!(i18n, exchange_done, id = order.clone()).to_string()}</p>
                    <a class="button" href=first>{t!(i18n, open_new_reservation)}</a>
                }.into_any()
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::AppliedScopeProperties;

    fn line(q: &str) -> PurchaseLine {
        PurchaseLine { quantity: q.into(), ..PurchaseLine::new("S/westeurope".into()) }
    }

    fn returns(this: &str, others: &[&str]) -> Vec<ReturnLine> {
        std::iter::once(ReturnLine { reservation_id: "r".into(), quantity: this.into(), max: 3 })
            .chain(others.iter().enumerate().map(|(i, q)| ReturnLine { reservation_id: format!("o{i}"), quantity: (*q).into(), max: 2 }))
            .collect()
    }

    #[test]
    fn the_request_waits_for_valid_quantities() {
        assert!(request(&returns("1", &[]), &[line("2")], &[]).is_some());
        assert!(request(&returns("4", &[]), &[line("2")], &[]).is_none());
        assert!(request(&returns("0", &[]), &[line("2")], &[]).is_none(), "this reservation gives at least one");
        assert!(request(&returns("1", &[]), &[line("0")], &[]).is_none());
        assert!(request(&returns("1", &[]), &[line("1001")], &[]).is_none());
        let ok = request(&returns("2", &[]), &[line("1"), line("5")], &[]).unwrap();
        assert_eq!(ok.reservations_to_exchange[0].quantity, 2);
        assert_eq!(ok.reservations_to_purchase[1].quantity, 5);
    }

    #[test]
    fn other_reservations_join_the_return_only_with_a_quantity() {
        let ok = request(&returns("1", &["0", "2", ""]), &[line("1")], &[]).unwrap();
        let ids: Vec<_> = ok.reservations_to_exchange.iter().map(|r| (r.reservation_id.as_str(), r.quantity)).collect();
        assert_eq!(ids, [("r", 1), ("o1", 2)]);
        assert!(request(&returns("1", &["3"]), &[line("1")], &[]).is_none(), "more than that reservation has");
        assert!(request(&returns("1", &["x"]), &[line("1")], &[]).is_none());
    }

    #[test]
    fn a_purchase_takes_the_chosen_scope_of_the_customer() {
        let scope = Scope {
            applied_scope_type: AppliedScopeType::Single,
            applied_scope_properties: AppliedScopeProperties { subscription_id: Some("/subscriptions/s1".into()), ..Default::default() },
        };
        let shared = request(&returns("1", &[]), &[line("1")], std::slice::from_ref(&scope)).unwrap();
        assert_eq!(shared.reservations_to_purchase[0].applied_scope_type, AppliedScopeType::Shared);
        assert_eq!(shared.reservations_to_purchase[0].applied_scope_properties, None);
        let single = request(&returns("1", &[]), &[PurchaseLine { scope: 1, ..line("1") }], std::slice::from_ref(&scope)).unwrap();
        assert_eq!(single.reservations_to_purchase[0].applied_scope_type, AppliedScopeType::Single);
        assert_eq!(single.reservations_to_purchase[0].applied_scope_properties, Some(scope.applied_scope_properties));
    }
}
