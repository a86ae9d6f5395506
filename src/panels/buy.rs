//! The customer page's Buy panel: what the customer's usage recommends (each priced, with its
//! savings), and the purchase form, quoted live in the browser by the service code the backends
//! run (`desk_service::purchase::quote`), so the price shown while typing is the server's to the
//! cent; Review asks the backend, Buy buys the session once.

use contract::{
    AppliedScopeType, ApprovalKind, CalculatePurchaseRequest, CatalogItem, CatalogSource, PurchaseOutcome, PurchaseRequest, Recommendation, Scope,
};
use desk_service::access::Permission;
use desk_service::exchange::MAX_PURCHASE_QUANTITY;
use desk_service::region::display_name as region_name;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use quote_engine::{BillingPlan, Currency, Term};

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::approval_waiting::{ApprovalNeededNote, ApprovalWaiting};
use crate::components::server_agreement::{purchase_differences, ServerAgreement};
use crate::components::azure_purchase_check::{azure_purchase_refusal, AzurePurchaseCheckView};
use crate::components::copy_button::CopyButton;
use crate::components::labels::{family_text, plan_text, scope_label, scope_text, term_text};
use crate::components::load_error::LoadError;
use crate::components::name_field::NameField;
use crate::components::number_field::{locale_number_format, number_problem_text, parse_whole_in, NumberField};
use crate::components::problem_text::{error_text, problem_text, ActionError};
use crate::components::purchase_breakdown::{break_even_text, PurchaseBreakdown};
use crate::components::quote_text::policy_error_text;
use crate::components::retired_series::{purchase_retired_text, retired_terms_reason};
use crate::components::ticket_reference::{ticket_reference_error, ticket_reference_required, ticket_reference_sent, TicketReferenceField};
use crate::customer_context::CurrentCustomer;
use crate::format::{format_count, format_money, format_time};
use crate::i18n::*;
use crate::panels::buy_request::{by_family, matching_skus, purchase_request, regions_of, sku_in, BuyLine};
use crate::paths;
use crate::user::CurrentUser;

/// What the purchase form needs besides the customer.
#[derive(Clone)]
struct BuyInputs {
    catalog: Vec<CatalogItem>,
    /// Where the catalog came from: the demo's (priced), or Azure's for the customer (each price
    /// asked of Azure when a SKU, term and plan are chosen).
    source: CatalogSource,
    /// Azure mode: when Azure answered the catalog.
    read_at: Option<String>,
    scopes: Vec<Scope>,
    /// The currency the customer is billed in: their reservations' (USD with none), as the desk
    /// prices a purchase.
    currency: Currency,
}

async fn load_inputs(customer_id: String) -> Result<BuyInputs, ApiError> {
    let catalog = api::customer_catalog(&customer_id).await?;
    let scopes = api::scopes(&customer_id).await?;
    let currency = api::reservations(&customer_id).await?.iter().find(|r| r.price_unknown.is_none()).map_or(Currency::USD, |r| r.unit_price.currency);
    Ok(BuyInputs { catalog: catalog.items, source: catalog.source, read_at: catalog.read_at, scopes, currency })
}

/// Buy: the recommendations from the customer's usage, and a new reservation from the catalog.
#[component]
pub fn BuyPanel() -> impl IntoView {
    let i18n = use_i18n();
    let customer = expect_context::<CurrentCustomer>();
    let customer_id = customer.customer_id.get_untracked();
    let inputs = LocalResource::new(move || load_inputs(customer_id.clone()));
    view! {
        <h2>{t!(i18n, buy_heading)}</h2>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_catalog)}</p> }>
            {move || Suspend::new(async move {
                match inputs.await {
                    Ok(inputs) => view! { <BuyForm customer inputs /> }.into_any(),
                    Err(error) => view! { <LoadError error retry=move || inputs.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn BuyForm(customer: CurrentCustomer, inputs: BuyInputs) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let user = CurrentUser::expect();
    let today = clock::today();
    let BuyInputs { catalog, source, read_at, scopes, currency } = inputs;
    let from_azure = source == CatalogSource::Azure;
    let first = catalog.first().map(|i| i.sku_id.clone()).unwrap_or_default();
    let line = RwSignal::new(BuyLine::new(first));
    let filter = RwSignal::new(String::new());
    let catalog = StoredValue::new(catalog);
    let scopes = StoredValue::new(scopes);
    let item = Memo::new(move |_| line.with(|l| catalog.with_value(|c| c.iter().find(|i| i.sku_id == l.sku_id).cloned())));
    // The quantity read as the language shown writes numbers (`1.000` is one thousand in German).
    let req = Memo::new(move |_| {
        let format = locale_number_format(i18n.get_locale());
        line.with(|l| scopes.with_value(|s| purchase_request(l, s, format)))
    });
    let on_demand = Memo::new(move |_| line.with(BuyLine::on_demand));
    // Azure mode: Azure's price of one unit of the SKU, term and plan chosen, asked when they
    // change (the server keeps Azure's answer for a while); the demo catalog is never asked.
    let customer_key = customer.customer_id.get_untracked();
    let price_key = Memo::new(move |_| match from_azure {
        true => line.with(|l| (l.sku_id.clone(), l.term, l.plan)),
        false => (String::new(), Term::P1Y, BillingPlan::Upfront),
    });
    let azure_price = LocalResource::new(move || {
        let (sku_id, term, plan) = price_key.get();
        let customer_id = customer_key.clone();
        async move {
            match from_azure && !sku_id.is_empty() {
                true => Some(api::unit_price(&customer_id, &sku_id, term, plan).await),
                false => None,
            }
        }
    });
    // The price the quote is computed from: Azure's answer for this SKU, term and plan (an
    // answer for another choice, still showing while the new one loads, is not used).
    let priced = Memo::new(move |_| {
        let (sku_id, term, plan) = price_key.get();
        azure_price.get().flatten().filter(|p| p.as_ref().map_or(true, |p| p.sku_id == sku_id && p.term == term && p.billing_plan == plan))
    });
    // The quote as typed: the service's own function, with the day and currency the desk uses
    // (in Azure mode, at Azure's price and in Azure's currency).
    let live = Memo::new(move |_| {
        let request = req.get()?;
        if !from_azure {
            return Some(scopes.with_value(|s| desk_service::purchase::quote(&request, on_demand.get(), s, currency, today)).map(|q| q.quote));
        }
        let price = priced.get()?.ok()?;
        let chosen = item.get()?;
        let quoted = desk_service::catalog::Offer::priced(&chosen, &price)
            .and_then(|offer| scopes.with_value(|s| desk_service::purchase::quote_offer(&request, &offer, on_demand.get(), s, today)));
        Some(quoted.map(|q| q.quote))
    });
    let may_quote = move || user.may(Permission::Quote);
    let form_heading = NodeRef::<leptos::html::H3>::new();
    // A recommendation's Buy fills the form in and takes the user there.
    let prefill = Callback::new(move |r: Recommendation| {
        line.set(scopes.with_value(|s| BuyLine::recommended(&r, s)));
        filter.set(String::new());
        if let Some(h) = form_heading.get_untracked() {
            let _ = h.focus();
        }
    });

    // Arriving from the Portfolio's Buy (`?recommendation={id}`): filled in from it once loaded.
    if let Some(wanted) = use_query_map().read_untracked().get("recommendation") {
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) {
                return true;
            }
            let found = customer.recommendations.get().and_then(Result::ok).and_then(|r| r.recommendations.into_iter().find(|r| r.id == wanted && r.refusal.is_none() && !r.not_in_catalog));
            found.map(|r| prefill.run(r)).is_some()
        });
    }

    let review = Action::new_local(move |request: &CalculatePurchaseRequest| {
        let request = request.clone();
        async move { api::calculate_purchase(&request).await }
    });
    // Azure's whole-purchase price at Review differs from the quote's: Azure's price changed
    // since the unit was priced, so it is asked again and the live quote follows it.
    Effect::new(move |_| {
        let changed = review.value().with(|v| matches!(v, Some(Ok(c)) if c.azure.as_ref().is_some_and(|a| !a.differences.is_empty())));
        if changed && from_azure {
            azure_price.refetch();
        }
    });
    let reason = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let ticket_checked = RwSignal::new(false);
    let ticket_required = ticket_reference_required();
    // Set while a Buy is on its way: a second click before the button disables sends nothing.
    let in_flight = StoredValue::new(false);
    let submit = Action::new_local(move |request: &PurchaseRequest| {
        let request = request.clone();
        async move {
            let result = api::purchase(&request).await;
            in_flight.set_value(false);
            if matches!(result, Ok(PurchaseOutcome::Done(_))) {
                // The new reservation in the list, and what is left to recommend.
                customer.reservations.refetch();
                customer.recommendations.refetch();
            }
            result
        }
    });
    // Another purchase typed: the server's quote and the outcome belong to the one before.
    Effect::new(move |_| {
        req.track();
        on_demand.track();
        review.value().set(None);
    });
    let customer_id = StoredValue::new(customer.customer_id.get_untracked());

    // The SKU picker: a filter over the catalog's SKU names, and the list they leave.
    let chosen_name = Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.sku_name.clone()).unwrap_or_default()));
    let choose_sku = move |name: String| {
        let region = item.with_untracked(|i| i.as_ref().map(|i| i.location.clone()).unwrap_or_default());
        let Some(sku_id) = catalog.with_value(|c| sku_in(c, &name, &region)) else { return };
        choose(line, catalog, sku_id);
    };
    let matches = Memo::new(move |_| {
        filter.with(|f| catalog.with_value(|c| matching_skus(c, f).into_iter().map(|i| (i.sku_name.clone(), i.reserved_resource_type.clone(), i.clone())).collect::<Vec<_>>()))
    });
    let sku_options = move || {
        matches.with(|m| {
            // Each family once, as the heading of its SKUs, and each SKU by its name alone: an
            // option cannot wrap, so "name · family" was cut at a phone's width ("Verwaltete
            // Azure-Datenträger"). The chosen SKU's retired terms are said under the term.
            by_family(m.iter().map(|(name, family, _)| (name.as_str(), family.as_str())))
                .into_iter()
                .map(|(family, names)| {
                    let family = family.to_owned();
                    let options = names
                        .into_iter()
                        .map(|name| {
                            let (value, selected_name) = (name.to_owned(), name.to_owned());
                            view! { <option value=value prop:selected=move || chosen_name.with(|c| *c == selected_name)>{name.to_owned()}</option> }
                        })
                        .collect_view();
                    view! { <optgroup label=move || family_text(i18n, &family)>{options}</optgroup> }
                })
                .collect_view()
        })
    };
    let region_options = move || {
        let name = chosen_name.get();
        catalog.with_value(|c| {
            regions_of(c, &name)
                .into_iter()
                .map(|i| {
                    let id = i.sku_id.clone();
                    view! { <option value=i.sku_id.clone() title=i.location.clone() prop:selected=move || line.with(|l| l.sku_id == id)>{region_name(&i.location).to_owned()}</option> }
                })
                .collect_view()
        })
    };
    let terms = Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.terms.iter().map(|t| t.term).collect::<Vec<_>>()).unwrap_or_default()));
    // A term that cannot be bought: a retired series × term, or one Azure restricts for this
    // customer (with Azure's reason code).
    let retired = move |term: Term| {
        item.with(|i| {
            i.as_ref().and_then(|i| {
                purchase_retired_text(i18n, i, term, today)
                    .or_else(|| i.restriction_of(term).map(|r| t_string!(i18n, azure_restricted, reason = r.reason_code.clone()).to_string()))
            })
        })
    };
    // The billing plans Azure sells the chosen term on.
    let plan_sold = move |plan: BillingPlan| item.with(|i| i.as_ref().is_none_or(|i| i.plans_of(line.with(|l| l.term)).contains(&plan)));
    // Why the chosen SKU's retired terms cannot be bought (a disabled term cannot say it itself).
    // The chosen term, when refused, is said by its own alert below instead.
    let retired_reason = move || {
        let chosen = line.with(|l| l.term);
        let refused = retired(chosen).map(|_| chosen);
        item.with(|i| i.as_ref().map(|i| retired_terms_reason(i18n, i, refused)).filter(|r| !r.is_empty()))
    };
    let name_problem = Memo::new(move |_| {
        line.with(|l| {
            let name = l.display_name.trim();
            if name.is_empty() {
                return None;
            }
            desk_service::configuration::display_name(name, "purchase.displayName").err().map(|e| problem_text(i18n, &contract::Problem::from(e)))
        })
    });

    view! {
        <Recommendations customer prefill />
        <section class="buy-form" aria-labelledby="buy-form-heading">
            <h3 id="buy-form-heading" tabindex="-1" node_ref=form_heading>{t!(i18n, buy_form_heading)}</h3>
            {from_azure.then(|| {
                let (count, read_at) = (catalog.with_value(Vec::len), read_at.clone().unwrap_or_default());
                view! { <p class="note" id="buy-catalog-source">{move || t_string!(i18n, catalog_from_azure,
                    count = format_count(count as i64, locale()), time = format_time(&read_at, locale())).to_string()}</p> }
            })}
            <Show when=may_quote fallback=move || view! {
                <p class="note disabled-reason" id="buy-not-allowed">{move || user.refusal(i18n, Permission::Quote)}</p>
            }>
            {move || on_demand.get().map(|usage| view! {
                <p class="note" id="buy-usage">{move || t_string!(i18n, buy_usage_note,
                    cost = format_money(&usage.cost, locale()), days = format_count(i64::from(usage.days), locale()),
                    quantity = format_count(i64::from(usage.quantity), locale())).to_string()}</p>
            })}
            <div class="buy-fields">
                <div class="field sku-picker">
                    <label for="buy-sku-filter">{t!(i18n, find_sku)}</label>
                    <input id="buy-sku-filter" type="search" autocomplete="off" spellcheck="false"
                        aria-describedby="buy-sku-filter-hint buy-sku-count" aria-controls="buy-sku"
                        prop:value=move || filter.get()
                        on:input=move |e| filter.set(event_target_value(&e))
                        on:keydown=move |e| {
                            // Enter takes the first SKU the filter leaves.
                            if e.key() == "Enter" {
                                e.prevent_default();
                                if let Some(name) = matches.with_untracked(|m| m.first().map(|(n, _, _)| n.clone())) {
                                    choose_sku(name);
                                }
                            }
                        } />
                    <p id="buy-sku-filter-hint" class="hint">{t!(i18n, find_sku_hint)}</p>
                    <label for="buy-sku">{t!(i18n, sku)}</label>
                    <select id="buy-sku" size="6" on:change=move |e| choose_sku(event_target_value(&e))>
                        {sku_options}
                    </select>
                    <p id="buy-sku-count" class="hint" role="status">{move || {
                        let count = matches.with(Vec::len);
                        if count == 0 { t_string!(i18n, no_sku_matches).to_string() }
                        else { t_string!(i18n, sku_chosen, sku = chosen_name.get()).to_string() }
                    }}</p>
                    {move || item.with(|i| i.as_ref().and_then(|i| i.title.clone())).map(|title| view! { <p class="hint" id="buy-sku-title">{title}</p> })}
                </div>
                <div class="buy-terms purchase-line">
                    <label>{t!(i18n, region)}
                        <select id="buy-region" on:change=move |e| choose(line, catalog, event_target_value(&e))>{region_options}</select>
                    </label>
                    <div class="buy-term">
                    <label>{t!(i18n, column_term)}
                        <select id="buy-term" aria-describedby=move || retired_reason().map(|_| "buy-term-retired") on:change=move |e| {
                            let v = event_target_value(&e);
                            if let Some(t) = [Term::P1Y, Term::P3Y, Term::P5Y].into_iter().find(|t| format!("{t:?}") == v) {
                                line.update(|l| l.term = t);
                            }
                        }>
                            {move || terms.get().into_iter().map(|t| view! {
                                <option value=format!("{t:?}") prop:selected=move || line.with(|l| l.term == t) disabled=move || retired(t).is_some()>
                                    {move || term_text(i18n, t)}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                    {move || retired_reason().map(|text| view! { <p class="hint" id="buy-term-retired">{text}</p> })}
                    </div>
                    {move || retired(line.with(|l| l.term)).map(|d| view! { <p class="field-error" role="alert">{d}</p> })}
                    <label>{t!(i18n, column_billing_plan)}
                        <select id="buy-plan" on:change=move |e| {
                            let plan = if event_target_value(&e) == "Monthly" { BillingPlan::Monthly } else { BillingPlan::Upfront };
                            line.update(|l| l.plan = plan);
                        }>
                            {[BillingPlan::Upfront, BillingPlan::Monthly].map(|p| view! {
                                <option value=format!("{p:?}") prop:selected=move || line.with(|l| l.plan == p) disabled=move || !plan_sold(p)>{move || plan_text(i18n, p)}</option>
                            })}
                        </select>
                    </label>
                    <label>{t!(i18n, column_quantity)}
                        <NumberField id="buy-quantity" whole=true
                            value=Signal::derive(move || line.with(|l| l.quantity.clone()))
                            on_input=Callback::new(move |text| line.update(|l| l.quantity = text))
                            verdict=Signal::derive(move || {
                                let format = locale_number_format(i18n.get_locale());
                                line.with(|l| parse_whole_in(&l.quantity, 1, MAX_PURCHASE_QUANTITY, format).err()).map(|p| number_problem_text(i18n, p))
                            }) />
                    </label>
                    <label>{t!(i18n, column_scope)}
                        <select id="buy-scope" on:change=move |e| {
                            let choice = event_target_value(&e).parse().unwrap_or(0);
                            line.update(|l| l.scope = choice);
                        }>
                            <option value="0" prop:selected=move || line.with(|l| l.scope == 0)>{move || scope_text(i18n, AppliedScopeType::Shared)}</option>
                            {scopes.with_value(|all| all.iter().enumerate().map(|(i, scope)| {
                                let scope = scope.clone();
                                view! {
                                    <option value=(i + 1).to_string() prop:selected=move || line.with(|l| l.scope == i + 1)>{move || scope_label(i18n, &scope)}</option>
                                }
                            }).collect_view())}
                        </select>
                    </label>
                    <label>{t!(i18n, display_name)}
                        <NameField id="buy-name" placeholder=Signal::derive(move || t_string!(i18n, savings_plan_name_hint).to_string())
                            value=Signal::derive(move || line.with(|l| l.display_name.clone()))
                            on_input=Callback::new(move |text| line.update(|l| l.display_name = text))
                            invalid=Signal::derive(move || name_problem.with(Option::is_some)) />
                    </label>
                    {move || name_problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                </div>
                <div class="field checkbox">
                    <label>
                        <input id="buy-renew" type="checkbox" prop:checked=move || line.with(|l| l.renew)
                            on:change=move |e| line.update(|l| l.renew = event_target_checked(&e)) />
                        {t!(i18n, auto_renew)}
                    </label>
                </div>
            </div>
            <div class="side-by-side">
                {move || match live.get() {
                    Some(Ok(quote)) => {
                        // The server's quote from Review: a mark beside the live one when they
                        // agree; when not, the differences named and the server's in full beside.
                        let agreement = review.value().get().and_then(Result::ok).map(|c| view! { <ServerAgreement differences=purchase_differences(&quote, &c.quote) /> });
                        view! {
                            <div>
                                <PurchaseBreakdown quote nested=true title=Signal::derive(move || t_string!(i18n, purchase_quote).to_string()) />
                                {agreement}
                            </div>
                        }.into_any()
                    }
                    Some(Err(e)) => view! { <p class="field-error" role="alert">{problem_text(i18n, &contract::Problem::from(e))}</p> }.into_any(),
                    None if from_azure && req.with(Option::is_some) => match priced.get() {
                        Some(Err(error)) => view! {
                            <p class="field-error" role="alert" id="buy-price-unknown">{move || t_string!(i18n, azure_price_unknown, why = error_text(i18n, &error)).to_string()}</p>
                        }.into_any(),
                        _ => view! { <p class="loading" role="status" id="buy-price-asking">{t!(i18n, azure_price_asking)}</p> }.into_any(),
                    },
                    None => view! { <p class="field-error" role="alert">{t!(i18n, buy_fix_fields)}</p> }.into_any(),
                }}
                {move || review.value().get().and_then(Result::ok).map(|confirmed| {
                    let differs = live.with(|l| !matches!(l, Some(Ok(q)) if *q == confirmed.quote));
                    view! {
                        {differs.then(|| view! {
                            <PurchaseBreakdown quote=confirmed.quote.clone() nested=true title=Signal::derive(move || t_string!(i18n, server_quote).to_string()) />
                        })}
                        // Azure mode: Azure's own price beside the desk's (Partner Center buys at it).
                        {confirmed.azure.map(|check| view! { <AzurePurchaseCheckView quote=confirmed.quote check /> })}
                    }
                })}
            </div>
            <div class="actions">
                <button type="button" id="buy-review"
                    disabled=move || !matches!(live.get(), Some(Ok(_))) || review.pending().get() || !may_quote()
                    title=move || user.refusal(i18n, Permission::Quote)
                    on:click=move |_| {
                        if let Some(purchase) = req.get_untracked() {
                            submit.value().set(None);
                            let request = CalculatePurchaseRequest {
                                customer_id: customer.customer_id.get_untracked(),
                                purchase,
                                on_demand: on_demand.get_untracked(),
                            };
                            review.dispatch(request);
                        }
                    }>
                    {move || if review.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, review) }}
                </button>
            </div>
            {move || review.value().get().filter(|_| !matches!(submit.value().get(), Some(Ok(_)))).map(|result| match result {
                // Azure mode refuses what Partner Center does not sell: said in the form's terms.
                Err(error) => match req.get_untracked().map(|r| (r.billing_plan, r.applied_scope_type)) {
                    Some((plan, scope)) if azure_purchase_refusal(i18n, &error, plan, scope).is_some() => view! {
                        <p id="buy-azure-refusal" class="field-error" role="alert">{move || azure_purchase_refusal(i18n, &error, plan, scope)}</p>
                    }.into_any(),
                    _ => view! { <ActionError error /> }.into_any(),
                },
                Ok(confirmed) => {
                    let session_id = confirmed.session_id.clone();
                    let refused = confirmed.quote.policy_errors.first().cloned();
                    let needed = confirmed.approval_needed;
                    let may_buy = move || user.may(Permission::MoveMoney);
                    let described = [
                        refused.is_some().then_some("buy-refused"),
                        needed.map(|_| "buy-approval-needed"),
                        (!may_buy()).then_some("buy-money-refusal"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                    let described = (!described.is_empty()).then_some(described);
                    let buyable = refused.is_none();
                    view! {
                        {refused.map(|e| view! { <p id="buy-refused" class="field-error">{move || policy_error_text(i18n, &e)}</p> })}
                        {needed.map(|n| view! {
                            <ApprovalNeededNote needed=n kind=ApprovalKind::Purchase id="buy-approval-needed" />
                            <div class="field">
                                <label for="buy-reason">{t!(i18n, buy_reason)}</label>
                                <textarea id="buy-reason" rows="2"
                                    prop:value=move || reason.get()
                                    on:input=move |e| reason.set(event_target_value(&e))></textarea>
                            </div>
                        })}
                        <TicketReferenceField id="buy-ticket-reference" value=ticket required=ticket_required checked=ticket_checked />
                        <div class="actions">
                            <button type="button" id="buy-now"
                                disabled=move || !buyable || submit.pending().get() || !may_buy()
                                aria-describedby=described
                                title=move || user.refusal(i18n, Permission::MoveMoney)
                                on:click=move |_| {
                                    ticket_checked.set(true);
                                    if in_flight.get_value() || submit.pending().get_untracked() {
                                        return;
                                    }
                                    if ticket.with_untracked(|t| ticket_reference_error(i18n, t, ticket_required.get_untracked()).is_none()) {
                                        in_flight.set_value(true);
                                        let why = reason.get_untracked().trim().to_owned();
                                        submit.dispatch(PurchaseRequest {
                                            session_id: session_id.clone(),
                                            reason: (!why.is_empty()).then_some(why),
                                            ticket_reference: ticket.with_untracked(|t| ticket_reference_sent(t)),
                                            purchase: None,
                                        });
                                    }
                                }>
                                {move || if submit.pending().get() { t_string!(i18n, working) } else { t_string!(i18n, buy_now) }}
                            </button>
                        </div>
                        {move || (!may_buy()).then(|| view! {
                            <p id="buy-money-refusal" class="sub disabled-reason">{move || user.refusal(i18n, Permission::MoveMoney)}</p>
                        })}
                    }.into_any()
                }
            })}
            {move || submit.value().get().map(|result| match result {
                Err(error) => view! { <ActionError error /> }.into_any(),
                Ok(PurchaseOutcome::AwaitingApproval(approval)) => view! { <ApprovalWaiting approval id="buy-waiting" focus=true /> }.into_any(),
                Ok(PurchaseOutcome::Done(done)) => {
                    let order = done.reservation_order_id.clone();
                    let first = done.purchased.first().map(|p| customer_id.with_value(|c| paths::reservation(c, &p.id, ""))).unwrap_or_default();
                    let text = order.clone();
                    view! {
                        <div class="buy-done">
                            <p class="success" role="status">{move || t_string!(i18n, buy_done, id = order.clone()).to_string()}</p>
                            <CopyButton text what=Signal::derive(move || t_string!(i18n, reservation_order_id).to_string()) />
                            " "
                            <a class="button" href=first>{t!(i18n, open_new_reservation)}</a>
                        </div>
                    }.into_any()
                }
            })}
            </Show>
        </section>
    }
}

/// Chooses catalog SKU `sku_id` (a SKU in a region), keeping the term when the SKU has it.
fn choose(line: RwSignal<BuyLine>, catalog: StoredValue<Vec<CatalogItem>>, sku_id: String) {
    let terms: Vec<Term> = catalog.with_value(|c| c.iter().find(|i| i.sku_id == sku_id).map(|i| i.terms.iter().map(|t| t.term).collect()).unwrap_or_default());
    line.update(|l| {
        l.sku_id = sku_id;
        if !terms.contains(&l.term) {
            if let Some(last) = terms.last() {
                l.term = *last;
            }
        }
    });
}

/// The recommendations from the customer's usage over the look-back the user picks: each with
/// its figures, a Buy that fills the form in (a SKU the desk's catalog lacks is said so: bought
/// in the Azure portal for now), the ones a rule refuses said with the rule's reason; then what
/// Azure recommended that is not shown, each with why.
#[component]
fn Recommendations(customer: CurrentCustomer, prefill: Callback<Recommendation>) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let recommendations = customer.recommendations;
    let look_back = customer.look_back;
    let picked = move |ev: leptos::ev::Event| {
        if let Some(p) = contract::LookBackPeriod::parse(&event_target_value(&ev)) {
            look_back.set(p);
        }
    };
    view! {
        <section class="recommendations" aria-labelledby="recommendations-heading">
            <h3 id="recommendations-heading">{t!(i18n, recommendations_heading)}</h3>
            <div class="field look-back">
                <label for="look-back">{t!(i18n, look_back_label)}</label>
                <select id="look-back" on:change=picked prop:value=move || look_back.get().name()>
                    {contract::LookBackPeriod::ALL.into_iter().map(|p| view! {
                        <option value=p.name() selected=move || look_back.get() == p>{move || look_back_text(i18n, p)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_recommendations)}</p> }>
                {move || Suspend::new(async move {
                    match recommendations.await {
                        Ok(r) => {
                            let left_out = r.left_out.clone();
                            let shown = if r.recommendations.is_empty() {
                                view! { <p class="empty">{t!(i18n, no_recommendations)}</p> }.into_any()
                            } else {
                                recommendation_table(i18n, user, prefill, r.recommendations).into_any()
                            };
                            view! { {shown} <LeftOut left_out /> }.into_any()
                        }
                        Err(error) => view! { <ActionError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The recommendations' table.
fn recommendation_table(i18n: leptos_i18n::I18nContext<Locale>, user: CurrentUser, prefill: Callback<Recommendation>, list: Vec<Recommendation>) -> impl IntoView {
    let locale = move || i18n.get_locale();
    let rows = list.into_iter().map(|rec| {
        let stored = StoredValue::new(rec.clone());
        let savings = rec.savings_per_year;
        let break_even = rec.proposal.as_ref().and_then(|p| p.savings).map(|s| s.break_even_month);
        let (cost, net) = (rec.cost_with_no_reserved_instances, rec.net_savings);
        let (term, look_back) = (rec.term, rec.look_back_period);
        let quantity = rec.recommended_quantity;
        let label_sku = rec.sku_name.clone();
        let label_region = region_name(&rec.location).to_owned();
        let family = rec.reserved_resource_type.clone();
        let scope = rec.applied_scope_type;
        let subscription = rec.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.as_deref()).map(|s| s.trim_start_matches("/subscriptions/").to_owned());
        let action = match (rec.refusal.clone(), rec.not_in_catalog) {
            (Some(refusal), _) => view! {
                <span class="not-buyable">{t!(i18n, not_buyable)} ": " {move || policy_error_text(i18n, &refusal)}</span>
            }.into_any(),
            (None, true) => view! { <span class="not-in-catalog">{t!(i18n, not_in_catalog_yet)}</span> }.into_any(),
            (None, false) => view! {
                <button type="button" class="secondary" disabled=move || !user.may(Permission::Quote)
                    title=move || user.refusal(i18n, Permission::Quote)
                    aria-label=move || t_string!(i18n, buy_recommendation_label, sku = label_sku.clone(), region = label_region.clone(), term = term_text(i18n, term)).to_string()
                    on:click=move |_| prefill.run(stored.get_value())>
                    {t!(i18n, buy_this)}
                </button>
            }.into_any(),
        };
        view! {
            <tr class:refused=rec.refusal.is_some()>
                // The service and the scope under the SKU: what Azure recommends it for.
                <th scope="row" class="sku" data-label=move || t_string!(i18n, sku)>
                    {rec.sku_name.clone()}
                    <span class="sub">{move || format!("{} · {}", family_text(i18n, &family), scope_words(i18n, scope, subscription.as_deref()))}</span>
                </th>
                <td data-label=move || t_string!(i18n, region)><span title=rec.location.clone()>{region_name(&rec.location).to_owned()}</span></td>
                <td data-label=move || t_string!(i18n, column_term)>{move || term_text(i18n, term)}</td>
                <td class="num" data-label=move || t_string!(i18n, column_recommended_quantity)>{move || format_count(i64::from(quantity), locale())}</td>
                // The look-back period under the cost it is the period of, and the
                // break-even month under the savings: a table narrow enough for
                // German's long column names at a laptop's width.
                <td class="num" data-label=move || t_string!(i18n, column_on_demand_cost)>
                    {move || format_money(&cost, locale())}
                    <span class="sub">{move || look_back_text(i18n, look_back)}</span>
                </td>
                <td class="num" data-label=move || t_string!(i18n, column_net_savings)>{move || format_money(&net, locale())}</td>
                <td class="num" data-label=move || t_string!(i18n, column_savings_per_year)>
                    {move || format_money(&savings, locale())}
                    <span class="sub">{move || break_even.map(|b| format!("{}: {}", t_string!(i18n, column_break_even), break_even_text(i18n, b))).unwrap_or_default()}</span>
                </td>
                <td data-label=move || t_string!(i18n, actions)>{action}</td>
            </tr>
        }
    }).collect_view();
    view! {
        <p class="note">{t!(i18n, recommendations_intro)}</p>
        <div class="table-scroll">
            <table class="data-table recommendation-table">
                <caption class="visually-hidden">{t!(i18n, recommendations_heading)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, sku)}</th>
                        <th scope="col">{t!(i18n, region)}</th>
                        <th scope="col">{t!(i18n, column_term)}</th>
                        <th scope="col" class="num">{t!(i18n, column_recommended_quantity)}</th>
                        <th scope="col" class="num">{t!(i18n, column_on_demand_cost)}</th>
                        <th scope="col" class="num">{t!(i18n, column_net_savings)}</th>
                        <th scope="col" class="num">{t!(i18n, column_savings_per_year)}</th>
                        <th scope="col">{t!(i18n, actions)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// "Shared", or "Single: {subscription}".
fn scope_words(i18n: leptos_i18n::I18nContext<Locale>, scope: AppliedScopeType, subscription: Option<&str>) -> String {
    match (scope, subscription) {
        (AppliedScopeType::Single, Some(subscription)) => t_string!(i18n, recommendation_scope_single, subscription = subscription.to_owned()).to_string(),
        (scope, _) => scope_text(i18n, scope),
    }
}

/// Why Azure's recommendation is not shown, in the user's words.
fn left_out_text(i18n: leptos_i18n::I18nContext<Locale>, reason: contract::LeftOutReason) -> String {
    use contract::LeftOutReason::*;
    match reason {
        Incomplete => t_string!(i18n, left_out_reason_incomplete),
        NotWholeQuantity => t_string!(i18n, left_out_reason_notWholeQuantity),
        NoSavings => t_string!(i18n, left_out_reason_noSavings),
        UnknownCurrency => t_string!(i18n, left_out_reason_unknownCurrency),
        UnknownLookBack => t_string!(i18n, left_out_reason_unknownLookBack),
        SamePurchase => t_string!(i18n, left_out_reason_samePurchase),
    }
    .to_string()
}

/// What Azure recommended that is not shown: SKU, region, scope and why (Azure's own words in
/// the reason's title), so that nothing read vanishes unsaid. Nothing when all is shown.
#[component]
fn LeftOut(left_out: Vec<contract::LeftOutRecommendation>) -> impl IntoView {
    let i18n = use_i18n();
    if left_out.is_empty() {
        return ().into_any();
    }
    let rows = left_out
        .into_iter()
        .map(|l| {
            let unknown = move || t_string!(i18n, unknown_value).to_string();
            let (sku, location, term, reason, detail) = (l.sku_name.clone(), l.location.clone(), l.term, l.reason, l.detail.clone());
            let family = l.reserved_resource_type.clone();
            let (scope, subscription) = (l.applied_scope_type, l.subscription_id.clone());
            view! {
                <tr>
                    <th scope="row" class="sku" data-label=move || t_string!(i18n, sku)>
                        {move || sku.clone().unwrap_or_else(unknown)}
                        <span class="sub">{move || family.as_deref().map(|f| family_text(i18n, f)).unwrap_or_default()}</span>
                    </th>
                    <td data-label=move || t_string!(i18n, region)>{move || location.as_deref().map(|l| region_name(l).to_owned()).unwrap_or_else(unknown)}</td>
                    <td data-label=move || t_string!(i18n, column_scope)>
                        {move || scope.map(|s| scope_words(i18n, s, subscription.as_deref())).unwrap_or_else(unknown)}
                    </td>
                    <td data-label=move || t_string!(i18n, column_term)>{move || term.map(|t| term_text(i18n, t)).unwrap_or_else(unknown)}</td>
                    <td data-label=move || t_string!(i18n, column_reason)>
                        {move || left_out_text(i18n, reason)}
                        <span class="sub detail" lang="en">{detail}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="left-out" aria-labelledby="left-out-heading">
            <h4 id="left-out-heading">{t!(i18n, left_out_heading)}</h4>
            <p class="note">{t!(i18n, left_out_intro)}</p>
            <div class="table-scroll">
                <table class="data-table left-out-table">
                    <caption class="visually-hidden">{t!(i18n, left_out_heading)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, sku)}</th>
                            <th scope="col">{t!(i18n, region)}</th>
                            <th scope="col">{t!(i18n, column_scope)}</th>
                            <th scope="col">{t!(i18n, column_term)}</th>
                            <th scope="col">{t!(i18n, column_reason)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// "Last 30 days".
pub fn look_back_text(i18n: leptos_i18n::I18nContext<Locale>, period: contract::LookBackPeriod) -> String {
    match period {
        contract::LookBackPeriod::Last7Days => t_string!(i18n, look_back_Last7Days),
        contract::LookBackPeriod::Last30Days => t_string!(i18n, look_back_Last30Days),
        contract::LookBackPeriod::Last60Days => t_string!(i18n, look_back_Last60Days),
    }
    .to_string()
}
