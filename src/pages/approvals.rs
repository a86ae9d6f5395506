use contract::{Approval, ApprovalKind, ApprovalReturn, ApprovalStatus, Customer};
use quote_engine::Money;
use desk_service::access::Permission;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use crate::api;
use crate::components::approval_waiting::instant_day;
use crate::components::exchange_breakdown::ExchangeBreakdown;
use crate::components::labels::{plan_text, savings_plan_text, scope_named, term_text};
use crate::components::purchase_breakdown::PurchaseBreakdown;
use crate::components::refund_breakdown::RefundBreakdown;
use crate::components::load_error::LoadError;
use crate::components::problem_text::error_text;
use crate::deployment::Deployment;
use crate::format::{format_count, format_money};
use crate::i18n::*;
use crate::paths;
use crate::user::CurrentUser;

/// Whether the signed-in user asked for `approval` (the desk's own test: the same object ID, or
/// the same sign-in name).
fn asked_by_me(user: CurrentUser, approval: &Approval) -> bool {
    user.0.with(|u| {
        u.as_ref().is_some_and(|u| {
            let me = contract::ApprovalPerson { user_principal_name: u.user_principal_name.clone(), display_name: String::new(), id: u.id.clone() };
            approval.requested_by.is(&me)
        })
    })
}

/// Approvals: the refunds and exchanges above the deployment's approval threshold that wait for
/// a second person, one card each saying what is returned (each reservation by name, with its
/// units), the figures (an exchange's both), why and who. Approve quotes again (the money moves
/// only at the same amount); Reject needs a reason. The requester, and a role that may not move
/// money, sees both disabled with why.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let settings = Deployment::settings();
    let data = LocalResource::new(|| async {
        let approvals = api::approvals().await?;
        let customers = api::customers("").await?;
        Ok::<_, api::ApiError>((approvals, customers))
    });
    // The outcome of the last decision, said once the list is fetched again.
    let outcome = RwSignal::new(None::<Result<Approval, api::ApiError>>);
    let rejecting = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
    let reason_missing = RwSignal::new(false);
    let approve = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            let result = api::approve(&id).await;
            outcome.set(Some(result.clone()));
            data.refetch();
            result
        }
    });
    let reject = Action::new_local(move |(id, why): &(String, String)| {
        let (id, why) = (id.clone(), why.clone());
        async move {
            let result = api::reject(&id, &why).await;
            if result.is_ok() {
                rejecting.set(None);
                reason.set(String::new());
            }
            outcome.set(Some(result.clone()));
            data.refetch();
            result
        }
    });
    let busy = move || approve.pending().get() || reject.pending().get();
    let locale = move || i18n.get_locale();

    let outcome_text = move || {
        outcome.get().map(|result| match result {
            Err(e) => (true, error_text(i18n, &e)),
            Ok(a) => (false, outcome_sentence(i18n, &a)),
        })
    };

    let card = move |a: Approval, customers: &[Customer]| {
        let customer_name = customers.iter().find(|c| c.id == a.customer_id).map_or_else(|| a.customer_id.clone(), |c| c.name.clone());
        let mine = asked_by_me(user, &a);
        let note_id = format!("approval-note-{}", a.id);
        let (title_id, labelled_by) = (format!("approval-title-{}", a.id), format!("approval-title-{}", a.id));
        // Why this user cannot decide it, shown beside the buttons that it disables.
        let why_not = move || {
            if mine {
                Some(t_string!(i18n, approval_own).to_string())
            } else {
                user.refusal(i18n, Permission::MoveMoney)
            }
        };
        let id = StoredValue::new(a.id.clone());
        let asking = move || rejecting.get().as_deref() == Some(id.get_value().as_str());
        let kind = a.kind;
        let requester = a.requested_by.clone();
        let (requested_at, expires_at) = (a.requested_at.clone(), a.expires_at.clone());
        let reason_id = format!("reject-reason-{}", a.id);
        let given_reason = a.return_reason.clone().filter(|r| !r.trim().is_empty());
        let ticket_reference = a.ticket_reference.clone();
        // The quote as it stands for approval, behind a disclosure: the card stays short.
        let quote_title = Signal::derive(move || t_string!(i18n, approval_quote).to_string());
        let quote = match (a.refund_quote.clone(), a.exchange_quote.clone(), a.purchase_quote.clone()) {
            (Some(quote), _, _) => Some(view! { <RefundBreakdown quote title=quote_title /> }.into_any()),
            (None, Some(quote), _) => Some(view! { <ExchangeBreakdown quote title=quote_title /> }.into_any()),
            (None, None, Some(quote)) => Some(view! { <PurchaseBreakdown quote title=quote_title nested=true /> }.into_any()),
            (None, None, None) => None,
        };
        view! {
            <li>
            <article class="approval-card" aria-labelledby=labelled_by>
                <h2 id=title_id>
                    {move || match kind {
                        ApprovalKind::Exchange => t_string!(i18n, exchange),
                        ApprovalKind::Purchase => t_string!(i18n, purchase_kind),
                        ApprovalKind::Refund => t_string!(i18n, refund),
                    }}
                    " · " {customer_name}
                </h2>
                <dl class="approval-facts">
                    <div class="approval-returned">
                        <dt>{move || match kind {
                            ApprovalKind::Exchange => t_string!(i18n, approval_returns),
                            ApprovalKind::Purchase => t_string!(i18n, approval_purchase_what),
                            ApprovalKind::Refund => t_string!(i18n, approval_reservation),
                        }}</dt>
                        <dd>{if kind == ApprovalKind::Purchase {
                            view! { <Bought approval=a.clone() /> }.into_any()
                        } else {
                            view! { <Returned approval=a.clone() /> }.into_any()
                        }}</dd>
                    </div>
                    {(kind == ApprovalKind::Exchange && !(a.reservations_to_purchase.is_empty() && a.savings_plans_to_purchase.is_empty())).then(|| view! {
                        <div class="approval-buys">
                            <dt>{t!(i18n, approval_buys)}</dt>
                            <dd><BoughtInExchange approval=a.clone() /></dd>
                        </div>
                    })}
                    <Figures approval=a.clone() />
                    <div class="approval-reason">
                        <dt>{t!(i18n, approval_reason)}</dt>
                        <dd>{match given_reason {
                            Some(reason) => reason.into_any(),
                            None => view! { <span class="sub">{t!(i18n, approval_no_reason)}</span> }.into_any(),
                        }}</dd>
                    </div>
                    {ticket_reference.map(|reference| view! {
                        <div class="approval-ticket">
                            <dt>{t!(i18n, ticket_reference)}</dt>
                            <dd>{reference}</dd>
                        </div>
                    })}
                    <div>
                        <dt>{t!(i18n, requested_by)}</dt>
                        <dd title=requester.user_principal_name.clone()>{requester.display_name.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, requested_on)}</dt>
                        <dd>{move || instant_day(&requested_at, locale())}</dd>
                    </div>
                    <div>
                        <dt>{t!(i18n, column_expiry)}</dt>
                        <dd>{move || instant_day(&expires_at, locale())}</dd>
                    </div>
                </dl>
                {quote.map(|quote| view! {
                    <details class="approval-quote">
                        <summary>{t!(i18n, approval_quote_details)}</summary>
                        {quote}
                    </details>
                })}
                <div class="approval-actions">
                    <Show
                        when=asking
                        fallback={
                            let note_id = note_id.clone();
                            move || {
                                let described = why_not().is_some().then(|| note_id.clone());
                                view! {
                                    <button type="button" disabled=move || why_not().is_some()
                                        aria-disabled=move || busy().to_string()
                                        aria-describedby=described.clone()
                                        on:click=move |_| { if !busy() { approve.dispatch(id.get_value()); } }>
                                        {t!(i18n, approve)}
                                    </button>
                                    " "
                                    <button type="button" class="secondary" disabled=move || why_not().is_some()
                                        aria-describedby=described.clone()
                                        on:click=move |_| { reason_missing.set(false); rejecting.set(Some(id.get_value())); }>
                                        {t!(i18n, reject)}
                                    </button>
                                    {why_not().map(|text| view! { <p id=note_id.clone() class="sub disabled-reason">{text}</p> })}
                                }
                            }
                        }
                    >
                        <form class="reject-form" novalidate on:submit=move |e| {
                            e.prevent_default();
                            let why = reason.get_untracked().trim().to_owned();
                            reason_missing.set(why.is_empty());
                            if !why.is_empty() && !busy() {
                                reject.dispatch((id.get_value(), why));
                            }
                        }>
                            <label for=reason_id.clone()>{t!(i18n, rejection_reason)}</label>
                            <textarea id=reason_id.clone() rows="2" autofocus
                                prop:value=move || reason.get()
                                on:input=move |e| reason.set(event_target_value(&e))
                                aria-invalid=move || reason_missing.get().to_string()></textarea>
                            <Show when=move || reason_missing.get()>
                                <p class="field-error" role="alert">{t!(i18n, rejection_reason_required)}</p>
                            </Show>
                            <button type="submit" aria-disabled=move || busy().to_string()>{t!(i18n, confirm_reject)}</button>
                            " "
                            <button type="button" class="secondary" on:click=move |_| rejecting.set(None)>{t!(i18n, cancel)}</button>
                        </form>
                    </Show>
                </div>
            </article>
            </li>
        }
    };

    view! {
        <h1>{t!(i18n, approvals)}</h1>
        <p class="note">
            {move || match settings.get().and_then(Result::ok).map(|s| s.approval_threshold) {
                Some(Some(threshold)) => t_string!(i18n, approvals_intro, threshold = format_money(&threshold, locale())).to_string(),
                Some(None) => t_string!(i18n, approvals_off).to_string(),
                None => String::new(),
            }}
        </p>
        {move || outcome_text().map(|(failed, text)| if failed {
            view! { <p class="field-error" role="alert">{text}</p> }.into_any()
        } else {
            view! { <p class="success" role="status">{text}</p> }.into_any()
        })}
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_approvals)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((approvals, _)) if approvals.is_empty() => view! { <p class="empty">{t!(i18n, no_approvals)}</p> }.into_any(),
                    Ok((approvals, customers)) => view! {
                        <ul class="approval-list" aria-label=move || t_string!(i18n, approvals).to_string()>
                            {approvals.into_iter().map(|a| card(a, &customers)).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error retry=move || data.refetch() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the outcome of a decision says: for an approved exchange both of its figures, named
/// (what the customer pays or gets, and the credit for the returns), as the desk carried it out.
fn outcome_sentence(i18n: I18nContext<Locale>, a: &Approval) -> String {
    let locale = i18n.get_locale_untracked();
    let money = |m: &Money| format_money(m, locale);
    match a.status {
        ApprovalStatus::Approved if a.kind == ApprovalKind::Purchase => {
            let order = a.purchase.as_ref().map(|p| p.reservation_order_id.clone()).unwrap_or_default();
            t_string!(i18n, approval_approved_purchase, order = order, amount = money(&a.amount)).to_string()
        }
        ApprovalStatus::Approved => match a.exchange.as_ref().map(|done| &done.quote).or(a.exchange_quote.as_ref()) {
            Some(quote) if quote.net_payable.is_negative() => {
                t_string!(i18n, approval_approved_exchange_credit, net = money(&quote.net_payable.negate()), credit = money(&quote.refunds_total)).to_string()
            }
            Some(quote) => t_string!(i18n, approval_approved_exchange, net = money(&quote.net_payable), credit = money(&quote.refunds_total)).to_string(),
            None => t_string!(i18n, approval_approved, amount = money(a.refund.as_ref().map_or(&a.amount, |done| &done.quote.refund_amount))).to_string(),
        },
        ApprovalStatus::NeedsApprovalAgain => {
            let previous = a.previous_amount.as_ref().map(money).unwrap_or_default();
            match a.kind {
                ApprovalKind::Exchange => t_string!(i18n, approval_again_exchange, previous = previous, amount = money(&a.amount)).to_string(),
                ApprovalKind::Refund | ApprovalKind::Purchase => t_string!(i18n, approval_again, previous = previous, amount = money(&a.amount)).to_string(),
            }
        }
        _ => t_string!(i18n, approval_rejected).to_string(),
    }
}

/// The reservations a request returns: each by name (a link to it), with its ID and the units
/// returned. A request asked before the desk kept names shows the IDs it has.
#[component]
fn Returned(approval: Approval) -> impl IntoView {
    let i18n = use_i18n();
    let customer_id = approval.customer_id.clone();
    let returns: Vec<ApprovalReturn> = if approval.returns.is_empty() {
        approval
            .reservation_ids
            .iter()
            .map(|id| ApprovalReturn {
                reservation_order_id: approval.reservation_order_id.clone().unwrap_or_default(),
                reservation_id: id.clone(),
                display_name: id.clone(),
                quantity: approval.refund_quote.as_ref().map_or(0, |q| q.quantity),
            })
            .collect()
    } else {
        approval.returns
    };
    view! {
        <ul class="approval-returns">
            {returns.into_iter().map(|r| {
                let quantity = r.quantity;
                view! {
                    <li>
                        <A href=paths::reservation(&customer_id, &r.reservation_id, "") attr:class="approval-reservation">{r.display_name}</A>
                        " "
                        {(quantity > 0).then(|| view! { <span class="approval-units">{move || t_string!(i18n, approval_units, quantity).to_string()}</span> })}
                        <span class="sub approval-id">{t!(i18n, reservation_id)} ": " <code>{r.reservation_id}</code></span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What a purchase buys: the quantity of a SKU in its region, the term and the billing plan, then
/// where it applies, its name and whether it renews: everything the money buys.
#[component]
fn Bought(approval: Approval) -> impl IntoView {
    approval.purchase_request.map(|line| view! { <ul class="approval-bought"><BoughtReservation line /></ul> })
}

/// What an exchange buys: each reservation as [`BoughtReservation`] says it, and each savings
/// plan of a trade-in with its hourly commitment and currency, term, billing plan, scope and name.
#[component]
fn BoughtInExchange(approval: Approval) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let reservations = approval.reservations_to_purchase.into_iter().map(|line| view! { <BoughtReservation line /> }).collect_view();
    let plans = approval
        .savings_plans_to_purchase
        .into_iter()
        .map(|p| {
            let (sku, term, billing, hourly) = (p.sku_name.clone(), p.term, p.billing_plan, p.hourly_commitment);
            let (scope, properties, name) = (p.applied_scope_type, p.applied_scope_properties.clone(), p.display_name.clone().filter(|n| !n.trim().is_empty()));
            view! {
                <li class="approval-plan">
                    <span class="approval-line">{move || t_string!(i18n, approval_plan_line, plan = savings_plan_text(i18n, &sku), hourly = format_money(&hourly, locale()),
                        currency = hourly.currency.code().to_owned(), term = term_text(i18n, term), billing = plan_text(i18n, billing)).to_string()}</span>
                    <span class="sub approval-scope">{move || t_string!(i18n, approval_bought_scope, scope = scope_named(i18n, scope, properties.as_ref())).to_string()}</span>
                    {name.map(|name| view! { <span class="sub approval-name">{move || t_string!(i18n, approval_bought_name, name = name.clone()).to_string()}</span> })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="approval-bought">{reservations}{plans}</ul> }
}

/// One reservation bought: "2 × Standard_D4s_v5 in West Europe, 3 years, Upfront" (the region's
/// code as its title), its scope by kind and name, its name (or that none was given) and whether
/// it renews automatically.
#[component]
fn BoughtReservation(line: contract::ExchangePurchaseRequest) -> impl IntoView {
    let i18n = use_i18n();
    let (sku, code) = line.sku_id.split_once('/').map_or_else(|| (line.sku_id.clone(), String::new()), |(s, r)| (s.to_owned(), r.to_owned()));
    let region = desk_service::region::display_name(&code).to_owned();
    let (quantity, term, plan, renew) = (line.quantity, line.term, line.billing_plan, line.renew);
    let (scope, properties) = (line.applied_scope_type, line.applied_scope_properties.clone());
    let name = line.display_name.clone().filter(|n| !n.trim().is_empty());
    view! {
        <li class="approval-purchase">
            <span class="approval-line" title=code>
                {move || t_string!(i18n, approval_purchase_line, quantity = format_count(i64::from(quantity), i18n.get_locale()), sku = sku.clone(), region = region.clone(),
                    term = term_text(i18n, term), plan = plan_text(i18n, plan)).to_string()}
            </span>
            <span class="sub approval-scope">{move || t_string!(i18n, approval_bought_scope, scope = scope_named(i18n, scope, properties.as_ref())).to_string()}</span>
            <span class="sub approval-name">{move || match &name {
                Some(name) => t_string!(i18n, approval_bought_name, name = name.clone()).to_string(),
                None => t_string!(i18n, approval_bought_no_name).to_string(),
            }}</span>
            <span class="sub approval-renewal">{move || if renew { t_string!(i18n, approval_bought_renews) } else { t_string!(i18n, approval_bought_no_renewal) }}</span>
        </li>
    }
}

/// The figures to approve, named: a refund's refund; an exchange's net payable (or net credit)
/// and the credit for the returns, the one compared with the threshold; a purchase's commitment
/// and the same in USD, the one compared. All from the desk's quote.
#[component]
fn Figures(approval: Approval) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let (amount, previous) = (approval.amount, approval.previous_amount);
    let was = move || previous.map(|p| view! { <span class="sub">" (" {move || t_string!(i18n, approval_amount_was, amount = format_money(&p, locale())).to_string()} ")"</span> });
    if let Some(quote) = approval.purchase_quote {
        let commitment = quote.commitment;
        return view! {
            <div class="approval-commitment">
                <dt>{t!(i18n, approval_purchase_figure)}</dt>
                <dd class="figure">{move || format_money(&commitment, locale())}</dd>
            </div>
            <div class="approval-credit">
                <dt>{t!(i18n, approval_purchase_usd)}</dt>
                <dd class="figure">
                    {move || format_money(&amount, locale())} {was}
                    <span class="sub approval-compared">{t!(i18n, approval_compared)}</span>
                </dd>
            </div>
        }
        .into_any();
    }
    // Billed in another currency than the threshold's: the desk's USD figure beside, the one
    // compared (a request asked before the desk kept it has none).
    let usd = approval.amount_usd.filter(|usd| usd.currency != amount.currency);
    let compared_here = usd.is_none();
    let compared = move || compared_here.then(|| view! { <span class="sub approval-compared">{t!(i18n, approval_compared)}</span> });
    let usd_row = move |label: &'static str| {
        usd.map(|usd| view! {
            <div class="approval-usd">
                <dt>{move || if label == "credit" { t_string!(i18n, approval_credit_usd) } else { t_string!(i18n, approval_refund_usd) }}</dt>
                <dd class="figure">
                    {move || format_money(&usd, locale())}
                    <span class="sub approval-compared">{t!(i18n, approval_compared)}</span>
                </dd>
            </div>
        })
    };
    match approval.exchange_quote {
        Some(quote) => {
            let credit = quote.net_payable.is_negative();
            let net = if credit { quote.net_payable.negate() } else { quote.net_payable };
            view! {
                <div class="approval-net">
                    <dt>{move || if credit { t_string!(i18n, net_credit) } else { t_string!(i18n, net_payable) }}</dt>
                    <dd class="figure">{move || format_money(&net, locale())}</dd>
                </div>
                <div class="approval-credit">
                    <dt>{t!(i18n, refunds_total)}</dt>
                    <dd class="figure">{move || format_money(&amount, locale())} {was} {compared}</dd>
                </div>
                {usd_row("credit")}
            }
            .into_any()
        }
        None => view! {
            <div class="approval-refund">
                <dt>{t!(i18n, approval_refund_figure)}</dt>
                <dd class="figure">{move || format_money(&amount, locale())} {was} {compared}</dd>
            </div>
            {usd_row("refund")}
        }
        .into_any(),
    }
}
