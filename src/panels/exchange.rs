use contract::{
    AppliedScopeType, CalculateExchangeRequest, CatalogItem, CatalogSource, ExchangeOutcome, ExchangeRequest, ProvisioningState, ReservationDetail, Scope,
};
use desk_service::exchange::{self, Bought, CheckedReturn, MAX_PURCHASE_QUANTITY};
use desk_service::exchange_rights::may_exchange;
use desk_service::refund::plain_refund_total;
use leptos::prelude::*;
use leptos_router::components::A;
use quote_engine::{trade_in_eligibility, trade_in_plan_for, BillingPlan, PolicyErrorCode, PolicyName, PriorRefund, Term, COMPUTE_SAVINGS_PLAN, DATABASE_SAVINGS_PLAN};

use crate::api;
use crate::clock;
use crate::components::azure_exchange_check::{azure_refuses_exchange, AzureExchangeCheckView};
use crate::components::approval_waiting::{ApprovalNeededNote, WAITING_NOTE};
use crate::components::server_agreement::{exchange_differences, ServerAgreement};
use crate::components::exchange_breakdown::ExchangeBreakdown;
use crate::components::exchange_rights::{exchange_refused_text, final_exchange_text};
use crate::deployment::{self, Deployment, SettingsResource};
use crate::components::labels::{family_text, plan_text, scope_label, scope_text, term_text};
use crate::components::load_error::LoadError;
use crate::components::number_field::{locale_number_format, number_problem_text, parse_whole, NumberField};
use crate::components::optimize_utilization::OptimizeForUtilization;
use crate::components::problem_text::{error_text, problem_text, ActionError};
use crate::components::retired_series::{purchase_retired_text, retired_terms_note};
use crate::components::source_hold::{source_hold, SourceHoldNote};
use crate::components::ticket_reference::{ticket_reference_error, ticket_reference_required, ticket_reference_sent, TicketReferenceField};
use crate::format::format_money;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::panels::exchange_request::{default_purchase_sku, request, smallest_hourly, trade_in_request, PlanLine, PurchaseLine, ReturnLine};
use crate::panels::exchange_trade_in::{name_problem, MinimumCommitment, SavingsPlanFields};
use crate::paths;
use crate::user::CurrentUser;
use desk_service::access::Permission;

/// What the exchange form needs besides the reservation on screen.
#[derive(Clone)]
struct ExchangeInputs {
    catalog: Vec<CatalogItem>,
    /// The demo catalog (priced), or Azure's for the customer (each price asked of Azure).
    source: CatalogSource,
    /// Why the customer's catalog could not be read (Azure's refusal), if so.
    catalog_error: Option<api::ApiError>,
    prior_refunds: Vec<PriorRefund>,
    /// The customer's other active reservations of the same family, with their history.
    others: Vec<ReservationDetail>,
    scopes: Vec<Scope>,
    /// The deployment's refund policy: what a plain refund would give is quoted by it.
    refund_policy: PolicyName,
}

async fn load_inputs(customer_id: String, current: ReservationDetail, settings: SettingsResource) -> Result<ExchangeInputs, api::ApiError> {
    // What can be bought: the customer's catalog. When it cannot be read (Azure refused it) the
    // exchange still opens, with nothing to buy but a savings plan, and says why.
    let (catalog, catalog_error) = match api::customer_catalog(&customer_id).await {
        Ok(catalog) => (catalog, None),
        Err(e) => (contract::CustomerCatalog { source: CatalogSource::Azure, subscription_id: None, read_at: None, items: Vec::new() }, Some(e)),
    };
    let prior_refunds = api::refund_limit(&customer_id).await?.prior_refunds();
    let scopes = api::scopes(&customer_id).await?;
    let mut others = Vec::new();
    let r = &current.reservation;
    let today = clock::today();
    for other in api::reservations(&customer_id).await? {
        // Only reservations the rules let be exchanged today join.
        if exchange::may_join(r, &other) && may_exchange(&other, today) {
            others.push(api::reservation(&other.reservation_order_id, &other.id).await?);
        }
    }
    let refund_policy = deployment::refund_policy(settings).await?;
    Ok(ExchangeInputs { catalog: catalog.items, source: catalog.source, catalog_error, prior_refunds, others, scopes, refund_policy })
}

/// Exchange: return units of this reservation and buy catalog SKUs of the same family, or trade
/// them in for a compute savings plan (where the engine's eligibility data allows); the quote is
/// live in the browser (the same service code the backends run), next to what a
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
    let settings = Deployment::settings();
    let inputs = LocalResource::new(move || load_inputs(customer_id.clone(), detail.clone(), settings));
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
    let ExchangeInputs { catalog, source, catalog_error, prior_refunds, others, scopes, refund_policy } = inputs;
    // No catalog to buy from (Azure refused it): no price is being asked; the error says why.
    let nothing_to_buy = catalog_error.as_ref().map(|_| ());
    let from_azure = source == CatalogSource::Azure;
    // Azure mode: held while the customer's last read from Azure failed (says why by the buttons).
    let hold = source_hold(current.customer_id.clone());
    let detail = current.detail.clone();
    let r = detail.reservation.clone();
    let max = r.quantity;
    let family_items: Vec<CatalogItem> =
        catalog.into_iter().filter(|i| i.reserved_resource_type == r.reserved_resource_type).collect();
    // A purchase starts in the reservation's own region (the customer's workload runs there).
    let first_sku = default_purchase_sku(&family_items, &r.location);
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
    // Trade in for a savings plan: the plan terms this reservation's type may be traded for today
    // (the engine's dated eligibility data; none: the trade-in is not offered, and says why).
    let today = clock::today();
    // The plan that fits the type: the savings plan for compute for compute reservations, the
    // savings plan for databases (1 year) for database reservations.
    let plan_sku = trade_in_plan_for(&r.reserved_resource_type, today).map_or(COMPUTE_SAVINGS_PLAN, |e| e.savings_plan_sku);
    let plan_terms: Vec<Term> = [Term::P1Y, Term::P3Y, Term::P5Y]
        .into_iter()
        .filter(|t| trade_in_eligibility(&r.reserved_resource_type, plan_sku, *t, today).is_some())
        .collect();
    let may_trade_in = !plan_terms.is_empty();
    let trade_in = RwSignal::new(false);
    let plan = RwSignal::new(PlanLine::new(plan_sku, plan_terms.last().copied().unwrap_or(Term::P3Y)));
    let for_databases = plan_sku == DATABASE_SAVINGS_PLAN;
    let currency = r.unit_price.currency;
    let utilization_7 = r.utilization.last7_days;
    let details = StoredValue::new(std::iter::once(detail.clone()).chain(others.iter().cloned()).collect::<Vec<_>>());
    let scopes = StoredValue::new(scopes);

    let req = Memo::new(move |_| {
        scopes.with_value(|s| {
            returns.with(|rs| {
                if !trade_in.get() {
                    return lines.with(|ls| request(rs, ls, s));
                }
                // A name the desk would refuse holds the request back (the field says why).
                plan.with(|p| if name_problem(i18n, &p.display_name).is_some() { None } else { trade_in_request(rs, p, currency, locale_number_format(i18n.get_locale()), s, false) })
            })
        })
    });
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
    // Azure mode: Azure's price of one unit of each reservation to buy, asked when a line's SKU,
    // term or plan changes (the server keeps Azure's answers for a while).
    let items = StoredValue::new(family_items.clone());
    let customer_key = current.customer_id.clone();
    // Keyed on each line's SKU, term and plan only (not on what is being typed elsewhere), and on
    // nothing in local mode: a refetch while typing would start the form again.
    let price_keys = Memo::new(move |_| match from_azure {
        true => lines.with(|ls| ls.iter().map(|l| (l.sku_id.clone(), l.term, l.plan)).collect::<Vec<_>>()),
        false => Vec::new(),
    });
    let azure_prices = LocalResource::new(move || {
        let keys = price_keys.get();
        let customer_id = customer_key.clone();
        async move {
            if !from_azure {
                return None;
            }
            let mut prices = Vec::new();
            for (sku_id, term, plan) in &keys {
                prices.push(api::unit_price(&customer_id, sku_id, *term, *plan).await);
            }
            Some((keys, prices))
        }
    });
    // Each line's offer at Azure's price (`None` while asking; a refusal is the first one).
    let offers = Memo::new(move |_| -> Option<Result<Vec<desk_service::catalog::Offer>, api::ApiError>> {
        let keys = price_keys.get();
        let (asked, prices) = azure_prices.get().flatten()?;
        if asked != keys {
            return None;
        }
        // Only the lines the request buys (a line of no units is not bought).
        let bought: Vec<(String, Term, BillingPlan)> =
            req.with(|r| r.as_ref().map(|r| r.reservations_to_purchase.iter().map(|p| (p.sku_id.clone(), p.term, p.billing_plan)).collect()))?;
        let prices: Vec<_> = bought.iter().filter_map(|b| asked.iter().position(|a| a == b).map(|i| prices[i].clone())).collect();
        let mut offers = Vec::new();
        for price in prices {
            let price = match price {
                Ok(p) => p,
                Err(e) => return Some(Err(e)),
            };
            let item = items.with_value(|all| all.iter().find(|i| i.sku_id == price.sku_id).cloned())?;
            offers.push(desk_service::catalog::Offer::priced(&item, &price).ok()?);
        }
        Some(Ok(offers))
    });
    let live = Memo::new(move |_| {
        let request = req.get()?;
        let chosen = chosen(&request);
        let checked: Vec<CheckedReturn> = chosen.iter().map(|(detail, quantity)| CheckedReturn { detail, quantity: *quantity }).collect();
        let offers = match from_azure && !request.reservations_to_purchase.is_empty() {
            true => offers.get()?.ok()?,
            false => Vec::new(),
        };
        Some(scopes.with_value(|s| exchange::quote(&checked, Bought::of(&request).at(&offers), s, today, refund_policy)))
    });
    // The least hourly commitment, from the engine's quote of the trade-in as it stands (with the
    // smallest commitment while none is typed, and no name: neither changes the minimum).
    let minimum = Memo::new(move |_| {
        if !trade_in.get() {
            return None;
        }
        let line = plan.with(|p| PlanLine { display_name: String::new(), ..p.clone() });
        let request = scopes.with_value(|s| returns.with(|rs| trade_in_request(rs, &line, currency, locale_number_format(i18n.get_locale()), s, true)))?;
        let chosen = chosen(&request);
        let checked: Vec<CheckedReturn> = chosen.iter().map(|(detail, quantity)| CheckedReturn { detail, quantity: *quantity }).collect();
        let quote = scopes.with_value(|s| exchange::quote(&checked, Bought::of(&request), s, today, refund_policy)).ok()?;
        let q = quote.savings_plans.first()?;
        // A minimum of zero (nothing left to cover) still asks for a positive commitment.
        let hourly = if q.minimum_hourly_commitment.amount.is_zero() { smallest_hourly(currency) } else { q.minimum_hourly_commitment };
        Some(MinimumCommitment { hourly, hours: q.hours, remaining: quote.remaining_commitment_total })
    });
    let too_low = Memo::new(move |_| {
        trade_in.get()
            && live.with(|q| {
                matches!(q, Some(Ok(q)) if q.policy_result.policy_errors.iter().any(|e| e.code == PolicyErrorCode::SavingsPlanCommitmentTooLow))
            })
    });
    let plain_refund = Memo::new(move |_| {
        let request = req.get()?;
        let chosen = chosen(&request);
        let pairs: Vec<(&ReservationDetail, u32)> = chosen.iter().map(|(d, q)| (d, *q)).collect();
        plain_refund_total(&pairs, &prior_refunds, today, refund_policy)
    });

    let review = Action::new_local(move |request: &CalculateExchangeRequest| {
        let request = request.clone();
        async move { api::calculate_exchange(&request).await }
    });
    Effect::new(move |_| {
        req.track();
        review.value().set(None);
    });
    let waiting = current.waiting;
    // Why, for the approver when the exchange waits for approval (optional).
    let reason = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let ticket_checked = RwSignal::new(false);
    let ticket_required = ticket_reference_required();
    let submit = Action::new_local(move |session_id: &String| {
        let why = reason.get_untracked().trim().to_owned();
        let request = ExchangeRequest {
            session_id: session_id.clone(),
            reason: (!why.is_empty()).then_some(why),
            ticket_reference: ticket.with_untracked(|t| ticket_reference_sent(t)),
        };
        async move {
            let result = api::exchange(&request).await;
            // Above the approval threshold: nothing moved; the panel and the Actions bar now
            // say it waits for someone else.
            if let Ok(ExchangeOutcome::AwaitingApproval(approval)) = &result {
                waiting.set(Some(approval.clone()));
            }
            result
        }
    });

    // The server's quote from Review, while it stands (not after the exchange is done or waits).
    let server_quote = Signal::derive(move || {
        review.value().get().filter(|_| !matches!(submit.value().get(), Some(Ok(_))) && waiting.with(Option::is_none)).and_then(Result::ok).map(|c| c.quote)
    });
    let sku_options = StoredValue::new(family_items);
    // Why line `index`'s SKU cannot be bought today for `term` (its own term when `None`): a
    // retired VM series × term, as the catalog marks it; a term the catalog does not sell; or
    // one Azure restricts for this customer (with Azure's reason code).
    let retired_reason = move |index: usize, term: Option<Term>| {
        let (sku_id, line_term) = lines.with(|l| l.get(index).map(|x| (x.sku_id.clone(), x.term)))?;
        sku_options.with_value(|items| {
            let item = items.iter().find(|i| i.sku_id == sku_id)?;
            let term = term.unwrap_or(line_term);
            purchase_retired_text(i18n, item, term, today)
                .or_else(|| item.restriction_of(term).map(|r| t_string!(i18n, azure_restricted, reason = r.reason_code.clone()).to_string()))
                .or_else(|| item.plans_of(term).is_empty().then(|| t_string!(i18n, term_not_sold).to_string()))
        })
    };
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
                                    let item = i.clone();
                                    // A SKU whose terms retire says which, and from when.
                                    let label = move || match retired_terms_note(i18n, &item) {
                                        note if note.is_empty() => format!("{} · {}", item.sku_name, desk_service::region::display_name(&item.location)),
                                        note => format!("{} · {} ({note})", item.sku_name, desk_service::region::display_name(&item.location)),
                                    };
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
                                    <option value=format!("{t:?}") selected=move || lines.with(|l| l.get(index).map(|x| x.term)) == Some(t)
                                        disabled=move || retired_reason(index, Some(t)).is_some()>
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
                            <NumberField id whole=true
                                value=Signal::derive(move || get(|l| l.quantity.clone()))
                                on_input=Callback::new(move |text| lines.update(|l| l[index].quantity = text))
                                verdict=Signal::derive(move || {
                                    let text = get(|l| l.quantity.clone());
                                    parse_whole(&text, 1, MAX_PURCHASE_QUANTITY).err().map(|p| number_problem_text(i18n, p))
                                }) />
                        </label>
                        {move || retired_reason(index, None).map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
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
    // A reservation the rules do not let be exchanged today says why before
    // anything is typed, Review and Submit stay disabled with the reason (unless it is traded in
    // for a savings plan, which the rule leaves open), and a refund is offered; one bought before the date says that each unit has one final exchange.
    let refused = !may_exchange(&r, today);
    let stored = StoredValue::new(r.clone());
    let refused_reason = move || stored.with_value(|r| exchange_refused_text(i18n, r, today));
    let final_right = move || stored.with_value(|r| final_exchange_text(i18n, r, today));
    let refund_path = paths::reservation(&current.customer_id, &r.id, "refund");
    // The refusal said above the form (the rules' own), left out of the quotes below it.
    let refusal_code = desk_service::exchange_rights::exchange_refusal(&r, today).map(|e| e.code);
    let said_above = move || refusal_code.into_iter().collect::<Vec<_>>();

    view! {
        {catalog_error.map(|error| view! {
            <p class="field-error" role="alert" id="exchange-catalog-unread">{move || t_string!(i18n, catalog_unread, why = error_text(i18n, &error)).to_string()}</p>
        })}
        {refused.then(|| view! {
            <div class="exchange-refused">
                <p id="exchange-refused" class="field-error">{refused_reason}</p>
                <A href=refund_path attr:class="button secondary">{t!(i18n, exchange_refund_instead)}</A>
            </div>
        })}
        {move || final_right().map(|text| view! { <p id="exchange-final-right" class="hint">{text}</p> })}
        // A refund or exchange of this reservation waits for approval: no second one is offered
        // (the Actions bar above says so, once, and takes focus after a submit answered 202).
        <div class="field">
            <label for="exchange-return">{t!(i18n, exchange_return)}</label>
            <div class="inline">
                <NumberField id="exchange-return" whole=true described_by="exchange-return-of"
                    value=Signal::derive(move || returns.with(|rs| rs[0].quantity.clone()))
                    on_input=Callback::new(move |text| returns.update(|rs| rs[0].quantity = text))
                    verdict=Signal::derive(move || returns.with(|rs| parse_whole(&rs[0].quantity, 1, max).err()).map(|p| number_problem_text(i18n, p))) />
                <span class="hint" id="exchange-return-of">{t!(i18n, of_quantity, max)}</span>
            </div>
            <OptimizeForUtilization quantity=max utilization_7=utilization_7
                propose=Callback::new(move |proposed: u32| returns.update(|rs| rs[0].quantity = proposed.to_string())) />
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
                            <NumberField id=id.clone() whole=true described_by=format!("{id}-of")
                                value=Signal::derive(move || returns.with(|rs| rs[index].quantity.clone()))
                                on_input=Callback::new(move |text| returns.update(|rs| rs[index].quantity = text))
                                // Blank means none of it.
                                verdict=Signal::derive(move || returns.with(|rs| {
                                    let text = rs[index].quantity.trim();
                                    if text.is_empty() { None } else { parse_whole(text, 0, other_max).err() }
                                }).map(|p| number_problem_text(i18n, p))) />
                            <span class="hint" id=format!("{id}-of")>{t!(i18n, of_quantity, max = other_max)}</span>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        })}
        <h3>{t!(i18n, exchange_buy)}</h3>
        <fieldset class="field buy-mode">
            <legend class="visually-hidden">{t!(i18n, exchange_buy)}</legend>
            <label class="radio"><input type="radio" name="buy-mode" id="buy-reservations" prop:checked=move || !trade_in.get()
                on:change=move |_| trade_in.set(false) />{t!(i18n, buy_reservations)}</label>
            <label class="radio"><input type="radio" name="buy-mode" id="buy-savings-plan" prop:checked=move || trade_in.get()
                disabled=!may_trade_in aria-describedby="trade-in-why-not"
                on:change=move |_| trade_in.set(true) />{t!(i18n, trade_in_for_savings_plan)}</label>
            {(!may_trade_in).then(|| {
                let what = r.reserved_resource_type.clone();
                view! { <p class="hint" id="trade-in-why-not">{move || t_string!(i18n, trade_in_not_eligible, what = family_text(i18n, &what)).to_string()}</p> }
            })}
        </fieldset>
        <Show when=move || !trade_in.get()>
            {line_rows}
            <button type="button" class="secondary" on:click={
                let first_sku = first_sku.clone();
                move |_| {
                    let sku = first_sku.clone();
                    lines.update(|l| l.push(PurchaseLine::new(sku)));
                }
            }>{t!(i18n, add_purchase)}</button>
        </Show>
        <Show when=move || trade_in.get()>
            <p class="note" id="trade-in-plan-kind">{move || if for_databases { t_string!(i18n, savings_plan_for_databases).to_string() } else { t_string!(i18n, savings_plan_for_compute).to_string() }}</p>
            <p class="note">{t!(i18n, savings_plan_final)}</p>
            <SavingsPlanFields plan terms=plan_terms.clone() scopes currency minimum too_low />
        </Show>
        <div class="side-by-side">
            {move || match live.get() {
                Some(Ok(quote)) => {
                    // The server's quote from Review: a mark beside the live one when they agree;
                    // when not, the differences named here and the server's in full below.
                    let agreement = server_quote.get().map(|server| view! { <ServerAgreement differences=exchange_differences(&quote, &server) /> });
                    view! {
                        <div>
                            <ExchangeBreakdown quote said_above=said_above() title=Signal::derive(move || t_string!(i18n, exchange_quote).to_string()) />
                            {agreement}
                        </div>
                    }.into_any()
                }
                Some(Err(e)) => view! { <p class="field-error" role="alert">{problem_text(i18n, &contract::Problem::from(e))}</p> }.into_any(),
                None if from_azure && nothing_to_buy.is_none() && req.with(|r| r.as_ref().is_some_and(|r| !r.reservations_to_purchase.is_empty())) => match offers.get() {
                    Some(Err(error)) => view! {
                        <p class="field-error" role="alert" id="exchange-price-unknown">{move || t_string!(i18n, azure_price_unknown, why = error_text(i18n, &error)).to_string()}</p>
                    }.into_any(),
                    _ => view! { <p class="loading" role="status" id="exchange-price-asking">{t!(i18n, azure_price_asking)}</p> }.into_any(),
                },
                None => ().into_any(),
            }}
            {move || plain_refund.get().map(|amount| view! {
                <p class="note">{move || t_string!(i18n, plain_refund_instead, amount = format_money(&amount, locale())).to_string()}</p>
            })}
        </div>
        <SourceHoldNote hold id="exchange-source-hold" />
        <div class="actions">
            <button type="button" disabled=move || (refused && !trade_in.get()) || req.get().is_none() || review.pending().get() || !user.may(Permission::Quote) || waiting.with(Option::is_some) || hold.with(Option::is_some)
                aria-describedby=move || {
                    if waiting.with(Option::is_some) { Some(WAITING_NOTE) }
                    else if hold.with(Option::is_some) { Some("exchange-source-hold") }
                    else { refused.then_some("exchange-refused") }
                }
                title=move || user.refusal(i18n, Permission::Quote)
                on:click=move |_| { if let Some(r) = req.get_untracked() { review.dispatch(r); } }>
                {t!(i18n, review)}
            </button>
            <A href=paths::reservation(&current.customer_id, &r.id, "support") attr:class="button secondary">{t!(i18n, request_through_support)}</A>
        </div>
        {move || review.value().get().filter(|_| !matches!(submit.value().get(), Some(Ok(_))) && waiting.with(Option::is_none)).map(|result| match result {
            Err(error) => view! { <ActionError error /> }.into_any(),
            Ok(confirmed) => {
                let session_id = confirmed.session_id.clone();
                // Azure mode: Azure's policy governs too (its figures beside the desk's).
                let azure_refuses = confirmed.azure.as_ref().is_some_and(azure_refuses_exchange);
                let valid = confirmed.quote.is_valid_exchange && !azure_refuses;
                // Above the approval threshold (the backend's own decision): said before Submit.
                let needed = confirmed.approval_needed;
                let described = [
                    if refused { Some("exchange-refused") } else { azure_refuses.then_some("azure-exchange-refusal") },
                    needed.map(|_| "exchange-approval-needed"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                let described = (!described.is_empty()).then_some(described);
                // Shown in full only when it differs from the live quote (the mark says it agrees).
                let differs = live.with(|l| !matches!(l, Some(Ok(q)) if *q == confirmed.quote));
                view! {
                    {differs.then(|| view! {
                        <ExchangeBreakdown quote=confirmed.quote.clone() said_above=said_above()
                            title=Signal::derive(move || t_string!(i18n, server_quote).to_string()) />
                    })}
                    {confirmed.azure.clone().map(|check| view! {
                        <AzureExchangeCheckView quote=confirmed.quote.clone() check refusal_id="azure-exchange-refusal" />
                    })}
                    {needed.map(|n| view! {
                        <ApprovalNeededNote needed=n kind=contract::ApprovalKind::Exchange id="exchange-approval-needed" />
                        <div class="field">
                            <label for="exchange-reason">{t!(i18n, exchange_reason)}</label>
                            <textarea id="exchange-reason" rows="2"
                                prop:value=move || reason.get()
                                on:input=move |e| reason.set(event_target_value(&e))></textarea>
                        </div>
                    })}
                    <TicketReferenceField id="exchange-ticket-reference" value=ticket required=ticket_required checked=ticket_checked />
                    <button type="button" disabled=move || (refused && !trade_in.get()) || !valid || submit.pending().get() || !user.may(Permission::MoveMoney) || hold.with(Option::is_some)
                        aria-describedby=described
                        title=move || user.refusal(i18n, Permission::MoveMoney)
                        on:click=move |_| {
                            ticket_checked.set(true);
                            if ticket.with_untracked(|t| ticket_reference_error(i18n, t, ticket_required.get_untracked()).is_none()) {
                                submit.dispatch(session_id.clone());
                            }
                        }>
                        {move || if submit.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, submit_exchange) }}
                    </button>
                }.into_any()
            }
        })}
        {move || submit.value().get().map(|result| match result {
            Err(error) => view! { <ActionError error /> }.into_any(),
            // The note above says it waits.
            Ok(ExchangeOutcome::AwaitingApproval(_)) => ().into_any(),
            Ok(ExchangeOutcome::Done(done)) if !done.savings_plans.is_empty() => {
                let bought: Vec<String> = done.savings_plans.iter().map(|p| p.display_name.clone()).collect();
                let names = bought.join(", ");
                view! {
                    <p class="success" role="status">{move || t_string!(i18n, trade_in_done, names = names.clone()).to_string()}</p>
                    <a class="button" href=paths::customer_tab(&customer_id, "savings-plans")>{t!(i18n, open_savings_plans)}</a>
                }.into_any()
            }
            Ok(ExchangeOutcome::Done(done)) => {
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
