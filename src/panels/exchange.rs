use contract::{
    AppliedScopeType, CalculateExchangeRequest, CatalogItem, ExchangePurchaseRequest, ExchangeRequest,
    ExchangeReturnRequest, ProvisioningState,
};
use desk_service::exchange::{self, CheckedReturn};
use leptos::prelude::*;
use leptos_router::components::A;
use quote_engine::{quote_refund, BillingPlan, PolicyName, Term};

use crate::api;
use crate::clock;
use crate::components::exchange_breakdown::ExchangeBreakdown;
use crate::components::labels::{plan_text, term_text};
use crate::components::load_error::LoadError;
use crate::components::problem_text::{problem_text, ActionError};
use crate::format::format_money;
use crate::i18n::*;
use crate::pages::reservation::CurrentReservation;
use crate::panels::refund::DEFAULT_POLICY;
use crate::paths;
use crate::user::CurrentUser;
use desk_service::access::Permission;

/// One purchase line as typed: the SKU, term, plan and quantity text.
#[derive(Clone, Debug, PartialEq)]
struct PurchaseLine {
    sku_id: String,
    term: Term,
    plan: BillingPlan,
    quantity: String,
}

/// A whole number within `1..=max`, or `None`.
fn parse_quantity(text: &str, max: u32) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|q| (1..=max).contains(q))
}

/// The request the inputs describe, or `None` while a quantity is not a valid number.
fn request(reservation_id: &str, returned: &str, max: u32, lines: &[PurchaseLine]) -> Option<CalculateExchangeRequest> {
    let quantity = parse_quantity(returned, max)?;
    let purchases = lines
        .iter()
        .map(|l| {
            Some(ExchangePurchaseRequest {
                sku_id: l.sku_id.clone(),
                term: l.term,
                billing_plan: l.plan,
                quantity: parse_quantity(&l.quantity, exchange::MAX_PURCHASE_QUANTITY)?,
                applied_scope_type: AppliedScopeType::Shared,
                applied_scope_properties: None,
                display_name: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(CalculateExchangeRequest {
        reservations_to_exchange: vec![ExchangeReturnRequest { reservation_id: reservation_id.to_owned(), quantity }],
        reservations_to_purchase: purchases,
    })
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
    let catalog = LocalResource::new(api::catalog);
    let customer_id = current.customer_id.clone();
    let limit = LocalResource::new(move || {
        let id = customer_id.clone();
        async move { api::refund_limit(&id).await }
    });
    view! {
        <h2>{t!(i18n, exchange)}</h2>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_catalog)}</p> }>
            {move || {
                let current = current.clone();
                Suspend::new(async move {
                    match (catalog.await, limit.await) {
                        (Ok(catalog), Ok(limit)) => view! {
                            <ExchangeForm current catalog prior_refunds=limit.prior_refunds() />
                        }
                        .into_any(),
                        (Err(error), _) | (_, Err(error)) => {
                            view! { <LoadError error retry=move || { catalog.refetch(); limit.refetch(); } /> }.into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

#[component]
fn ExchangeForm(
    current: CurrentReservation,
    catalog: Vec<CatalogItem>,
    prior_refunds: Vec<quote_engine::PriorRefund>,
) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let locale = move || i18n.get_locale();
    let detail = current.detail.clone();
    let r = detail.reservation.clone();
    let max = r.quantity;
    let family_items: Vec<CatalogItem> =
        catalog.into_iter().filter(|i| i.reserved_resource_type == r.reserved_resource_type).collect();
    let first_sku = family_items.first().map(|i| i.sku_id.clone()).unwrap_or_default();
    let returned = RwSignal::new("1".to_string());
    let lines = RwSignal::new(vec![PurchaseLine { sku_id: first_sku.clone(), term: Term::P3Y, plan: BillingPlan::Upfront, quantity: "1".into() }]);
    let today = clock::today();

    let reservation_id = r.id.clone();
    let req = Memo::new(move |_| request(&reservation_id, &returned.get(), max, &lines.get()));
    let live_detail = detail.clone();
    let live = Memo::new(move |_| {
        let request = req.get()?;
        let returns = [CheckedReturn { detail: &live_detail, quantity: request.reservations_to_exchange[0].quantity }];
        Some(exchange::quote(&returns, &request.reservations_to_purchase, &[], today))
    });
    let engine = detail.to_engine().ok();
    let plain_refund = Memo::new(move |_| {
        let q = parse_quantity(&returned.get(), max)?;
        let quote = quote_refund(&PolicyName::policy(DEFAULT_POLICY), today, engine.as_ref()?, q, &prior_refunds).ok()?;
        Some(quote.refund_amount)
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
                        <label for=id.clone()>{t!(i18n, column_quantity)}</label>
                        <input id=id type="number" min="1" max="1000" class="qty"
                            prop:value=move || get(|l| l.quantity.clone())
                            on:input=move |e| lines.update(|l| l[index].quantity = event_target_value(&e))
                            aria-invalid=move || lines.with(|l| l.get(index).map(|x| parse_quantity(&x.quantity, 1000).is_none())).unwrap_or(false).to_string() />
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
                    prop:value=move || returned.get()
                    on:input=move |e| returned.set(event_target_value(&e))
                    aria-invalid=move || parse_quantity(&returned.get(), max).is_none().to_string() />
                <span class="hint">{t!(i18n, of_quantity, max)}</span>
            </div>
            <Show when=move || parse_quantity(&returned.get(), max).is_none()>
                <p class="field-error" role="alert">{t!(i18n, quantity_invalid, max)}</p>
            </Show>
        </div>
        <h3>{t!(i18n, exchange_buy)}</h3>
        {line_rows}
        <Show when=move || lines.with(|l| l.iter().any(|x| parse_quantity(&x.quantity, 1000).is_none()))>
            <p class="field-error" role="alert">{t!(i18n, purchase_quantity_invalid)}</p>
        </Show>
        <button type="button" class="secondary" on:click=move |_| {
            let sku = first_sku.clone();
            lines.update(|l| l.push(PurchaseLine { sku_id: sku, term: Term::P3Y, plan: BillingPlan::Upfront, quantity: "1".into() }));
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

    #[test]
    fn the_request_waits_for_valid_quantities() {
        let line = |q: &str| PurchaseLine { sku_id: "S/westeurope".into(), term: Term::P1Y, plan: BillingPlan::Upfront, quantity: q.into() };
        assert!(request("r", "1", 3, &[line("2")]).is_some());
        assert!(request("r", "4", 3, &[line("2")]).is_none());
        assert!(request("r", "1", 3, &[line("0")]).is_none());
        assert!(request("r", "1", 3, &[line("1001")]).is_none());
        let ok = request("r", "2", 3, &[line("1"), line("5")]).unwrap();
        assert_eq!(ok.reservations_to_exchange[0].quantity, 2);
        assert_eq!(ok.reservations_to_purchase[1].quantity, 5);
    }
}
