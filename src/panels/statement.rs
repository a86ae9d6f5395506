//! The customer page's Statement panel: the partner's price for the customer (set by a Global
//! admin, from now on), and the month's statement: each move with Microsoft's figure, the
//! customer's at the price recorded when the money moved, and the margin; totals per currency
//! (what to invoice, what to credit, the month's net), a CSV, and a printable credit note per refund or exchange return in any of the five languages; and
//! the month matched to Microsoft's invoice (a reconciliation file uploaded, or in Azure mode an
//! invoice Microsoft Graph exports): each line matched, differing or missing, and Microsoft's
//! lines no move explains.

use chrono::{Datelike, NaiveDate};
use contract::{Customer, DataSource, FixedPrice, InvoiceFile, InvoiceLine, InvoiceSource, LineMatch, MatchState, MoveKind, PricingRequest, Reconciliation, ReconciliationRequest, Statement, StatementLine};
use desk_service::access::Permission;
use leptos::prelude::*;
use leptos_i18n::{I18nContext, Locale as _};

use crate::api;
use crate::clock;
use crate::components::load_error::LoadError;
use crate::components::labels::term_text;
use crate::components::number_field::{locale_number_format, number_problem_text, parse_decimal, NumberField, NumberProblem};
use crate::components::portfolio::download;
use crate::components::problem_text::error_text;
use crate::customer_context::CurrentCustomer;
use crate::deployment::Deployment;
use crate::format::{format_count, format_date, format_money, format_percent_exact, format_time};
use crate::i18n::*;
use crate::user::CurrentUser;

/// `yyyy-mm` of `day`.
fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// A move's kind in the user's language.
fn kind_text(i18n: I18nContext<Locale>, kind: MoveKind) -> String {
    match kind {
        MoveKind::Purchase => t_string!(i18n, statement_kind_purchase),
        MoveKind::Refund => t_string!(i18n, statement_kind_refund),
        MoveKind::ExchangeReturn => t_string!(i18n, statement_kind_exchange_return),
        MoveKind::ExchangePurchase => t_string!(i18n, statement_kind_exchange_purchase),
        MoveKind::Exchange => t_string!(i18n, statement_kind_exchange),
        MoveKind::Instalment => t_string!(i18n, statement_kind_instalment),
    }
    .to_string()
}

/// The statement's lines as CSV (amounts as plain decimals, dates ISO), neutralised.
fn statement_csv(i18n: I18nContext<Locale>, statement: &Statement) -> String {
    let header = [
        t_string!(i18n, statement_col_date).to_string(),
        t_string!(i18n, statement_col_move).to_string(),
        t_string!(i18n, column_display_name).to_string(),
        t_string!(i18n, column_sku).to_string(),
        t_string!(i18n, statement_col_units).to_string(),
        t_string!(i18n, portfolio_csv_currency).to_string(),
        t_string!(i18n, statement_col_microsoft).to_string(),
        t_string!(i18n, statement_col_customer).to_string(),
        t_string!(i18n, statement_col_margin).to_string(),
        t_string!(i18n, statement_col_ticket).to_string(),
        t_string!(i18n, portfolio_csv_order_id).to_string(),
        t_string!(i18n, portfolio_csv_id).to_string(),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let records = statement.lines.iter().map(|l| {
        let m = &l.r#move;
        vec![
            m.day.to_string(),
            kind_text(i18n, m.kind),
            m.name.clone(),
            m.sku_name.clone(),
            m.quantity.to_string(),
            m.microsoft.currency.code().to_owned(),
            m.microsoft.amount.to_string(),
            l.customer.amount.to_string(),
            l.margin.amount.to_string(),
            m.ticket_reference.clone().unwrap_or_default(),
            m.reservation_order_id.clone().unwrap_or_default(),
            m.reservation_id.clone().unwrap_or_default(),
        ]
    });
    desk_service::portfolio::csv(&header, records)
}

/// Statement: the partner's price for the customer and the month's statement.
#[component]
pub fn StatementPanel() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let customer_id = expect_context::<CurrentCustomer>().customer_id;
    let user = CurrentUser::expect();
    let month = RwSignal::new(month_of(clock::today()));
    let pricing = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer_pricing(&id).await }
    });
    let statement = LocalResource::new(move || {
        let (id, month) = (customer_id.get(), month.get());
        async move { api::statement(&id, &month).await }
    });
    let customer = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer(&id).await }
    });

    // The price form (a Global admin's): the markup (empty keeps the one in force; a leading
    // minus is a discount) and the fixed unit prices, both set together from now on.
    let markup_text = RwSignal::new(String::new());
    let fixed: RwSignal<Vec<FixedPrice>> = RwSignal::new(Vec::new());
    let in_force = Memo::new(move |_| pricing.get().and_then(Result::ok).and_then(|p| p.in_force));
    Effect::new(move |_| fixed.set(in_force.get().map(|p| p.fixed).unwrap_or_default()));
    let markup = move || -> Result<rust_decimal::Decimal, NumberProblem> {
        let text = markup_text.get();
        let text = text.trim();
        if text.is_empty() {
            return Ok(in_force.get().map_or(rust_decimal::Decimal::ZERO, |p| p.markup_percent));
        }
        match text.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => parse_decimal(rest, locale_number_format(locale()), 4).map(|d| -d),
            None => parse_decimal(text, locale_number_format(locale()), 4),
        }
    };
    let verdict = Signal::derive(move || markup().err().map(|p| number_problem_text(i18n, p)));
    let changed = move || {
        let now = in_force.get();
        !markup_text.get().trim().is_empty() || fixed.get() != now.map(|p| p.fixed).unwrap_or_default()
    };
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |request: &PricingRequest| {
        let request = request.clone();
        let id = customer_id.get_untracked();
        async move { api::set_customer_pricing(&id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            saved.set(true);
            markup_text.set(String::new());
            pricing.refetch();
            statement.refetch();
        }
    });
    let may_set = move || user.may(Permission::SetPricing);
    let why_not = move || user.refusal(i18n, Permission::SetPricing);

    let credit_note: RwSignal<Option<StatementLine>> = RwSignal::new(None);
    // The month matched to Microsoft's invoice, once asked: its own copy of the statement.
    let matched: RwSignal<Option<Reconciliation>> = RwSignal::new(None);

    view! {
        <p class="note">{t!(i18n, statement_intro)}</p>
        <section class="statement-pricing" aria-labelledby="statement-pricing-heading">
            <h2 id="statement-pricing-heading">{t!(i18n, statement_pricing_heading)}</h2>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, statement_loading)}</p> }>
                {move || Suspend::new(async move {
                    match pricing.await {
                        Ok(p) => {
                            let text = match &p.in_force {
                                None => t_string!(i18n, statement_pricing_none).to_string(),
                                Some(in_force) => {
                                    let mut text = t_string!(i18n, statement_pricing_markup, markup = format_percent_exact(in_force.markup_percent, locale()), since = format_time(&in_force.from, locale())).to_string();
                                    if p.own.is_empty() {
                                        text = format!("{text} {}", t_string!(i18n, statement_pricing_default));
                                    }
                                    if !in_force.fixed.is_empty() {
                                        let skus: Vec<String> = in_force.fixed.iter().map(|f| f.sku_name.clone()).collect();
                                        text = format!("{text} {}", t_string!(i18n, statement_pricing_fixed, skus = skus.join(", ")));
                                    }
                                    text
                                }
                            };
                            view! { <p class="statement-price" data-testid="price-in-force">{text}</p> }.into_any()
                        }
                        Err(error) => view! { <LoadError error retry=move || pricing.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            <form class="inline-form" on:submit=move |e| {
                e.prevent_default();
                saved.set(false);
                if let Ok(value) = markup() {
                    save.dispatch(PricingRequest { markup_percent: value, fixed: fixed.get_untracked() });
                }
            }>
                <label for="statement-markup">{t!(i18n, statement_markup_label)}</label>
                <NumberField id="statement-markup" value=markup_text on_input=Callback::new(move |v| { saved.set(false); markup_text.set(v) }) verdict />
                <button type="submit" disabled=move || !may_set() || markup().is_err() || !changed() || save.pending().get() title=why_not>
                    {t!(i18n, statement_save_price)}
                </button>
            </form>
            {move || markup().ok().map(|m| {
                // What the markup typed (or in force) makes of the month's next purchase: one like
                // the month's last (Microsoft's figure for it), else a charge of 1,000 in the
                // currency of the month's lines (US dollars before any). A preview: the server
                // prices every move itself.
                let month = statement.get().and_then(Result::ok);
                let last_purchase = month.as_ref().and_then(|s| {
                    s.lines.iter().rev().map(|l| &l.r#move).find(|m| {
                        matches!(m.kind, contract::MoveKind::Purchase | contract::MoveKind::ExchangePurchase) && m.microsoft.amount > rust_decimal::Decimal::ZERO
                    })
                });
                let currency = month.as_ref().and_then(|s| s.totals.first().map(|t| t.microsoft.currency)).unwrap_or(quote_engine::Currency::USD);
                let microsoft = last_purchase.map_or(quote_engine::Money::new(rust_decimal::Decimal::ONE_THOUSAND, currency), |m| m.microsoft);
                let customer = quote_engine::Money::new(microsoft.amount * (rust_decimal::Decimal::ONE + m / rust_decimal::Decimal::ONE_HUNDRED), microsoft.currency).round();
                let (microsoft, customer) = (format_money(&microsoft, locale()), format_money(&customer, locale()));
                let text = match last_purchase {
                    Some(like) => t_string!(i18n, statement_markup_example_like, name = like.name.clone(), microsoft = microsoft.clone(), customer = customer.clone()).to_string(),
                    None => t_string!(i18n, statement_markup_example, microsoft = microsoft.clone(), customer = customer.clone()).to_string(),
                };
                view! { <p class="note" data-testid="markup-example">{text}</p> }
            })}
            <FixedPrices fixed may_set=Signal::derive(may_set) on_change=Callback::new(move |()| saved.set(false)) />
            {move || (changed() && !saved.get()).then(|| view! { <p class="note" role="status">{t!(i18n, statement_fixed_unsaved)}</p> })}
            {move || match save.value().get() {
                Some(Err(error)) => Some(view! { <p class="field-error" role="alert">{error_text(i18n, &error)}</p> }.into_any()),
                _ if saved.get() => Some(view! { <p class="success" role="status">{t!(i18n, statement_price_saved)}</p> }.into_any()),
                _ => None,
            }}
        </section>
        <section class="statement" aria-labelledby="statement-heading">
            <h2 id="statement-heading" class="visually-hidden">{t!(i18n, statement_tab)}</h2>
            <div class="toolbar">
                <label for="statement-month">{t!(i18n, statement_month)}</label>
                <input id="statement-month" type="month" prop:value=move || month.get()
                    on:change=move |e| {
                        let value = event_target_value(&e);
                        if value.len() == 7 {
                            credit_note.set(None);
                            matched.set(None);
                            month.set(value);
                        }
                    } />
            </div>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, statement_loading)}</p> }>
                {move || Suspend::new(async move {
                    match statement.await {
                        Ok(s) => view! {
                            {move || match matched.get() {
                                Some(r) => view! { <StatementTable statement=r.statement.clone() matches=Some(r.matches.clone()) credit_note /> }.into_any(),
                                None => view! { <StatementTable statement=s.clone() matches=None credit_note /> }.into_any(),
                            }}
                        }.into_any(),
                        Err(error) => view! { <LoadError error retry=move || statement.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            <InvoiceMatch customer_id month matched />
        </section>
        {move || credit_note.get().map(|line| view! {
            <Transition fallback=|| ()>
                {move || {
                    let line = line.clone();
                    Suspend::new(async move {
                        customer.await.ok().map(|c| view! { <CreditNote line=line.clone() customer=c close=move || credit_note.set(None) /> })
                    })
                }}
            </Transition>
        })}
    }
}

/// The month's lines, totals per currency and what could not be priced.
#[component]
fn StatementTable(statement: Statement, matches: Option<Vec<LineMatch>>, credit_note: RwSignal<Option<StatementLine>>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let empty = statement.lines.is_empty() && statement.unpriced.is_empty();
    let closed = statement.closed;
    let csv_statement = statement.clone();
    let download_csv = move |_| {
        let text = statement_csv(i18n, &csv_statement);
        if let Err(e) = download(&format!("statement-{}-{}.csv", csv_statement.customer_id, csv_statement.month), &text, "text/csv;charset=utf-8") {
            leptos::logging::error!("saving the CSV failed: {e:?}");
        }
    };
    let matched = matches.is_some();
    let matches = matches.unwrap_or_default();
    let rows = statement
        .lines
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let line_match = matches.iter().find(|m| m.line as usize == index).cloned();
            let m = l.r#move.clone();
            let (day, kind, quantity) = (m.day, m.kind, m.quantity);
            let (microsoft, customer, margin) = (m.microsoft, l.customer, l.margin);
            let what = format!("{} · {}", m.name, m.sku_name);
            let capped = l.capped;
            let paid_for_units = l.customer_paid_for_units;
            let line = l.clone();
            view! {
                <tr>
                    <td data-label=move || t_string!(i18n, statement_col_date)>{move || format_date(day, locale())}</td>
                    <th scope="row" data-label=move || t_string!(i18n, statement_col_move)>
                        {move || kind_text(i18n, kind)}<br /><span class="muted">{what.clone()}</span>
                    </th>
                    <td class="num" data-label=move || t_string!(i18n, statement_col_units)>{move || format_count(quantity.into(), locale())}</td>
                    <td class="num" data-label=move || t_string!(i18n, statement_col_microsoft)>{move || format_money(&microsoft, locale())}</td>
                    <td class="num" data-label=move || t_string!(i18n, statement_col_customer)>
                        {move || format_money(&customer, locale())}
                        {capped.then(|| view! {
                            <br />
                            <span class="muted" data-testid="capped">
                                {move || match paid_for_units {
                                    Some(paid) => t_string!(i18n, statement_capped_at, paid = format_money(&paid, locale())).to_string(),
                                    None => t_string!(i18n, statement_capped).to_string(),
                                }}
                            </span>
                        })}
                    </td>
                    <td class="num" data-label=move || t_string!(i18n, statement_col_margin)>{move || format_money(&margin, locale())}</td>
                    <td data-label=move || t_string!(i18n, statement_col_ticket)>{m.ticket_reference.clone().unwrap_or_default()}</td>
                    {matched.then(|| view! {
                        <td data-label=move || t_string!(i18n, statement_col_invoice) data-testid="invoice-match">
                            {line_match.clone().map(|lm| view! { <MatchCell line_match=lm microsoft /> })}
                        </td>
                    })}
                    <td class="no-print">
                        {kind.is_credit().then(|| {
                            let line = line.clone();
                            view! {
                                <button type="button" class="secondary" on:click=move |_| credit_note.set(Some(line.clone()))>{t!(i18n, statement_credit_note)}</button>
                            }
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let totals = statement
        .totals
        .iter()
        .cloned()
        .map(|t| {
            let invoice = t.customer.amount >= rust_decimal::Decimal::ZERO;
            view! {
                <dl class="statement-total" data-testid="statement-total">
                    <dt>{t!(i18n, statement_total_charged)}</dt>
                    <dd class="num" data-testid="total-charged">{move || format_money(&t.charged, locale())}</dd>
                    <dt>{t!(i18n, statement_total_credited)}</dt>
                    <dd class="num" data-testid="total-credited">{move || format_money(&quote_engine::Money::new(-t.credited.amount, t.credited.currency), locale())}</dd>
                    <dt>{move || if invoice { t_string!(i18n, statement_to_invoice) } else { t_string!(i18n, statement_to_credit) }}</dt>
                    <dd class="num" data-testid="total-net">{move || format_money(&quote_engine::Money::new(t.customer.amount.abs(), t.customer.currency), locale())}</dd>
                    <dt>{t!(i18n, statement_total_microsoft)}</dt>
                    <dd class="num">{move || format_money(&t.microsoft, locale())}</dd>
                    <dt>{t!(i18n, statement_total_margin)}</dt>
                    <dd class="num">{move || format_money(&t.margin, locale())}</dd>
                </dl>
            }
        })
        .collect_view();
    let unpriced = statement
        .unpriced
        .iter()
        .map(|u| {
            let why = match u.reason.as_str() {
                "currencyMismatch" => t_string!(i18n, statement_unpriced_currencyMismatch).to_string(),
                "paidUnknown" => t_string!(i18n, statement_unpriced_paidUnknown).to_string(),
                other => other.to_owned(),
            };
            let (name, day) = (u.r#move.name.clone(), u.r#move.day);
            view! { <li>{move || t_string!(i18n, statement_unpriced, name = name.clone(), date = format_date(day, locale()), why = why.clone()).to_string()}</li> }
        })
        .collect_view();
    view! {
        <p class="note">{move || if closed { t_string!(i18n, statement_closed) } else { t_string!(i18n, statement_open) }}</p>
        {if empty { view! { <p class="empty">{t!(i18n, statement_empty)}</p> }.into_any() } else { view! {
            <div class="toolbar no-print">
                <button type="button" class="secondary" on:click=download_csv>{t!(i18n, portfolio_download_csv)}</button>
            </div>
            <div class="table-scroll">
                <table class="data-table">
                    <caption class="visually-hidden">{t!(i18n, statement_tab)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, statement_col_date)}</th>
                            <th scope="col">{t!(i18n, statement_col_move)}</th>
                            <th scope="col" class="num">{t!(i18n, statement_col_units)}</th>
                            <th scope="col" class="num">{t!(i18n, statement_col_microsoft)}</th>
                            <th scope="col" class="num">{t!(i18n, statement_col_customer)}</th>
                            <th scope="col" class="num">{t!(i18n, statement_col_margin)}</th>
                            <th scope="col">{t!(i18n, statement_col_ticket)}</th>
                            {matched.then(|| view! { <th scope="col">{t!(i18n, statement_col_invoice)}</th> })}
                            <th scope="col" class="no-print"><span class="visually-hidden">{t!(i18n, actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {totals}
            <ul class="statement-unpriced">{unpriced}</ul>
        }.into_any() }}
    }
}

/// A term as the contract writes it (`P1Y`).
fn term_code(term: quote_engine::Term) -> &'static str {
    match term.years() {
        1 => "P1Y",
        3 => "P3Y",
        _ => "P5Y",
    }
}

/// The fixed unit prices being set for the customer (each one unit of a SKU over a whole term, in
/// the currency Microsoft bills the customer in): listed with a Remove each, and a row to add one
/// (the same SKU and term again replaces it). They apply once the price is set.
#[component]
fn FixedPrices(fixed: RwSignal<Vec<FixedPrice>>, may_set: Signal<bool>, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let sku = RwSignal::new(String::new());
    let term = RwSignal::new(quote_engine::Term::P1Y);
    let price_text = RwSignal::new(String::new());
    let currency = RwSignal::new("USD".to_owned());
    let price = move || parse_decimal(&price_text.get(), locale_number_format(locale()), 2);
    let price_verdict = Signal::derive(move || {
        let text = price_text.get();
        (!text.trim().is_empty()).then(|| price().err()).flatten().map(|p| number_problem_text(i18n, p))
    });
    let entered = move || -> Option<FixedPrice> {
        let name = sku.get().trim().to_owned();
        let amount = price().ok().filter(|a| *a > rust_decimal::Decimal::ZERO)?;
        let code = quote_engine::Currency::new(&currency.get().trim().to_ascii_uppercase()).ok()?;
        (!name.is_empty()).then(|| FixedPrice { sku_name: name, term: term.get(), unit_price: quote_engine::Money::new(amount, code) })
    };
    let add = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if let Some(new) = entered() {
            fixed.update(|list| {
                list.retain(|f| !(f.sku_name.eq_ignore_ascii_case(&new.sku_name) && f.term == new.term));
                list.push(new);
            });
            sku.set(String::new());
            price_text.set(String::new());
            on_change.run(());
        }
    };
    let terms = [quote_engine::Term::P1Y, quote_engine::Term::P3Y, quote_engine::Term::P5Y];
    view! {
        <h3 class="fixed-heading">{t!(i18n, statement_fixed_heading)}</h3>
        {move || {
            let list = fixed.get();
            if list.is_empty() {
                return view! { <p class="empty">{t!(i18n, statement_fixed_none)}</p> }.into_any();
            }
            let rows = list.into_iter().map(|f| {
                let (name, t, money) = (f.sku_name.clone(), f.term, f.unit_price);
                let label = name.clone();
                view! {
                    <tr>
                        <th scope="row" data-label=move || t_string!(i18n, column_sku)>{name.clone()}</th>
                        <td data-label=move || t_string!(i18n, column_term)>{move || term_text(i18n, t)}</td>
                        <td class="num" data-label=move || t_string!(i18n, statement_fixed_unit_price)>{move || format_money(&money, locale())}</td>
                        <td>
                            <button type="button" class="secondary" disabled=move || !may_set.get()
                                aria-label=move || t_string!(i18n, statement_fixed_remove, sku = label.clone()).to_string()
                                on:click={
                                    let name = f.sku_name.clone();
                                    move |_| {
                                        fixed.update(|list| list.retain(|x| !(x.sku_name == name && x.term == t)));
                                        on_change.run(());
                                    }
                                }>{t!(i18n, remove)}</button>
                        </td>
                    </tr>
                }
            }).collect_view();
            view! {
                <div class="table-scroll">
                    <table class="data-table" data-testid="fixed-prices">
                        <caption class="visually-hidden">{t!(i18n, statement_fixed_heading)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, column_sku)}</th>
                            <th scope="col">{t!(i18n, column_term)}</th>
                            <th scope="col" class="num">{t!(i18n, statement_fixed_unit_price)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, actions)}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <form class="inline-form fixed-add" on:submit=add>
            <label for="fixed-sku">{t!(i18n, column_sku)}</label>
            <input id="fixed-sku" type="text" maxlength="100" autocomplete="off" placeholder="Standard_D4s_v5" prop:value=move || sku.get() on:input=move |e| sku.set(event_target_value(&e)) />
            <label for="fixed-term">{t!(i18n, column_term)}</label>
            <select id="fixed-term" on:change=move |e| {
                let value = event_target_value(&e);
                if let Some(t) = terms.iter().find(|t| term_code(**t) == value) {
                    term.set(*t);
                }
            }>
                {terms.iter().map(|t| {
                    let t = *t;
                    view! { <option value=term_code(t) selected=move || term.get() == t>{move || term_text(i18n, t)}</option> }
                }).collect_view()}
            </select>
            <label for="fixed-price">{t!(i18n, statement_fixed_unit_price)}</label>
            <NumberField id="fixed-price" value=price_text on_input=Callback::new(move |v| price_text.set(v)) verdict=price_verdict />
            <label for="fixed-currency">{t!(i18n, portfolio_csv_currency)}</label>
            <input id="fixed-currency" type="text" maxlength="3" size="4" autocomplete="off" prop:value=move || currency.get() on:input=move |e| currency.set(event_target_value(&e)) />
            <button type="submit" class="secondary" disabled=move || !may_set.get() || entered().is_none()>{t!(i18n, statement_fixed_add)}</button>
        </form>
    }
}

/// One statement line against Microsoft's invoice: matched, differing (by how much, in what) or
/// missing, with what to check, in the user's language.
#[component]
fn MatchCell(line_match: LineMatch, microsoft: quote_engine::Money) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let state = line_match.state;
    let (class, label) = match state {
        MatchState::Matched => ("match matched", t_string!(i18n, invoice_matched).to_string()),
        MatchState::Differing => ("match differing", t_string!(i18n, invoice_differing).to_string()),
        MatchState::Missing => ("match missing", t_string!(i18n, invoice_missing).to_string()),
    };
    let lines = line_match.invoice_lines.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let detail = move || -> Option<String> {
        let l = locale();
        match state {
            MatchState::Matched => Some(t_string!(i18n, invoice_matched_lines, lines = lines.clone()).to_string()),
            MatchState::Missing => Some(t_string!(i18n, invoice_missing_check).to_string()),
            MatchState::Differing => {
                let mut parts = Vec::new();
                match (line_match.invoiced, line_match.difference) {
                    (Some(invoiced), Some(difference)) => parts.push(
                        t_string!(i18n, invoice_differing_amount, invoiced = format_money(&invoiced, l), difference = format_money(&difference, l), desk = format_money(&microsoft, l)).to_string(),
                    ),
                    (Some(invoiced), None) if invoiced.currency != microsoft.currency => parts.push(t_string!(i18n, invoice_differing_currency, currency = invoiced.currency.code().to_owned()).to_string()),
                    (None, _) => parts.push(t_string!(i18n, invoice_differing_currency, currency = "?".to_owned()).to_string()),
                    _ => {}
                }
                if let Some(q) = line_match.invoiced_quantity {
                    parts.push(t_string!(i18n, invoice_differing_units, units = crate::format::format_decimal(q, l)).to_string());
                }
                Some(parts.join(" "))
            }
        }
    };
    view! {
        <span class=class>{label}</span>
        <br />
        <span class="muted">{detail}</span>
    }
}

/// The month matched to Microsoft's invoice: a reconciliation file chosen (CSV or JSON lines from
/// Partner Center, gzip or not), or in Azure mode an invoice's ID for Microsoft Graph to export;
/// then what was read and Microsoft's lines no move explains.
#[component]
fn InvoiceMatch(customer_id: Memo<String>, month: RwSignal<String>, matched: RwSignal<Option<Reconciliation>>) -> impl IntoView {
    let i18n = use_i18n();
    let settings = Deployment::settings();
    let azure = Memo::new(move |_| settings.get().and_then(Result::ok).is_some_and(|s| s.source == DataSource::Azure));
    let invoice_id = RwSignal::new(String::new());
    let file_error = RwSignal::new(None::<String>);
    let run = Action::new_local(move |request: &ReconciliationRequest| {
        let request = request.clone();
        let (id, month) = (customer_id.get_untracked(), month.get_untracked());
        async move { api::reconcile(&id, &month, &request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = run.value().get() {
            matched.set(Some(r));
        }
    });
    let on_file = move |e: leptos::ev::Event| {
        file_error.set(None);
        let Some(file) = event_target::<web_sys::HtmlInputElement>(&e).files().and_then(|f| f.get(0)) else { return };
        let name = file.name();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    use base64::Engine as _;
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                    run.dispatch(ReconciliationRequest { file: Some(InvoiceFile { name, base64 }), invoice_id: None });
                }
                Err(_) => file_error.set(Some(t_string!(i18n, invoice_file_unreadable).to_string())),
            }
        });
    };
    let export = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let id = invoice_id.get_untracked().trim().to_owned();
        if !id.is_empty() {
            run.dispatch(ReconciliationRequest { file: None, invoice_id: Some(id) });
        }
    };
    view! {
        <section class="invoice-match no-print" aria-labelledby="invoice-match-heading">
            <h3 id="invoice-match-heading">{t!(i18n, invoice_heading)}</h3>
            <p class="note">{t!(i18n, invoice_intro)}</p>
            <div class="inline-form">
                <label for="invoice-file">{t!(i18n, invoice_file_label)}</label>
                <input id="invoice-file" type="file" accept=".csv,.json,.jsonl,.gz,text/csv,application/json,application/gzip" on:change=on_file
                    disabled=move || run.pending().get() />
            </div>
            <Show when=move || azure.get()>
                <form class="inline-form" on:submit=export>
                    <label for="invoice-id">{t!(i18n, invoice_id_label)}</label>
                    <input id="invoice-id" type="text" maxlength="40" autocomplete="off" placeholder="G000024135" prop:value=move || invoice_id.get()
                        on:input=move |e| invoice_id.set(event_target_value(&e)) />
                    <button type="submit" disabled=move || run.pending().get() || invoice_id.get().trim().is_empty()>{t!(i18n, invoice_export)}</button>
                </form>
            </Show>
            {move || run.pending().get().then(|| view! { <p class="loading" role="status">{t!(i18n, invoice_reading)}</p> })}
            {move || file_error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
            {move || match run.value().get() {
                Some(Err(error)) if !run.pending().get() => Some(view! { <p class="field-error" role="alert">{error_text(i18n, &error)}</p> }.into_any()),
                _ => None,
            }}
            {move || matched.get().map(|r| view! { <InvoiceSummary reconciliation=r /> })}
        </section>
    }
}

/// What was read from Microsoft's file and the customer's lines no move explains.
#[component]
fn InvoiceSummary(reconciliation: Reconciliation) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let r = reconciliation;
    let count = |state: MatchState| r.matches.iter().filter(|m| m.state == state).count();
    let (matched, differing, missing) = (count(MatchState::Matched), count(MatchState::Differing), count(MatchState::Missing));
    let source = match &r.source {
        InvoiceSource::Upload { file_name } => file_name.clone(),
        InvoiceSource::Graph { invoice_id, operation_id, .. } => format!("{} · Microsoft Graph {operation_id}", invoice_id.clone().unwrap_or_default()),
    };
    let (read, mine) = (r.lines_read, r.customer_lines);
    let unreadable = r.unreadable.clone();
    let unexplained: Vec<InvoiceLine> = r.unexplained.clone();
    let none_unexplained = unexplained.is_empty();
    let rows = unexplained
        .into_iter()
        .map(|l| {
            let (amount, quantity, day) = (l.amount, l.quantity, l.date);
            view! {
                <tr>
                    <td class="num" data-label=move || t_string!(i18n, invoice_col_line)>{l.number}</td>
                    <td data-label=move || t_string!(i18n, invoice_col_charge)>{l.charge_type.clone()}</td>
                    <th scope="row" data-label=move || t_string!(i18n, invoice_col_order)>{l.reservation_order_id.clone().unwrap_or_default()}<br /><span class="muted">{l.product.clone().unwrap_or_default()}</span></th>
                    <td class="num" data-label=move || t_string!(i18n, statement_col_units)>{move || crate::format::format_decimal(quantity, locale())}</td>
                    <td class="num" data-label=move || t_string!(i18n, statement_col_microsoft)>{move || format_money(&amount, locale())}</td>
                    <td data-label=move || t_string!(i18n, statement_col_date)>{move || day.map(|d| format_date(d, locale())).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p role="status" data-testid="invoice-summary">
            {move || t_string!(i18n, invoice_summary, source = source.clone(), read = format_count(read.into(), locale()), mine = format_count(mine.into(), locale()),
                matched = format_count(matched as i64, locale()), differing = format_count(differing as i64, locale()), missing = format_count(missing as i64, locale())).to_string()}
        </p>
        {(!unreadable.is_empty()).then(|| view! {
            <details class="invoice-unreadable">
                <summary>{t!(i18n, invoice_unreadable)}</summary>
                <ul>{unreadable.iter().map(|why| view! { <li><code>{why.clone()}</code></li> }).collect_view()}</ul>
            </details>
        })}
        <h4>{t!(i18n, invoice_unexplained_heading)}</h4>
        {if none_unexplained {
            view! { <p class="empty">{t!(i18n, invoice_unexplained_none)}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="data-table" data-testid="invoice-unexplained">
                        <caption class="visually-hidden">{t!(i18n, invoice_unexplained_heading)}</caption>
                        <thead>
                            <tr>
                                <th scope="col" class="num">{t!(i18n, invoice_col_line)}</th>
                                <th scope="col">{t!(i18n, invoice_col_charge)}</th>
                                <th scope="col">{t!(i18n, invoice_col_order)}</th>
                                <th scope="col" class="num">{t!(i18n, statement_col_units)}</th>
                                <th scope="col" class="num">{t!(i18n, statement_col_microsoft)}</th>
                                <th scope="col">{t!(i18n, statement_col_date)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}

/// A printable credit note for a refund, in the language chosen among the five (the page's to
/// begin with): the customer, the reservation and its IDs, the units returned, the amount
/// credited at the partner's price, the reference and the date.
#[component]
fn CreditNote(line: StatementLine, customer: Customer, close: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let note_locale = RwSignal::new(i18n.get_locale_untracked());
    let m = line.r#move.clone();
    let credited = quote_engine::Money::new(line.customer.amount.abs(), line.customer.currency);
    let on_close = close.clone();
    view! {
        <section class="credit-note" aria-labelledby="credit-note-heading" data-testid="credit-note">
            <div class="toolbar no-print">
                <label for="credit-note-language">{t!(i18n, credit_note_language)}</label>
                <select id="credit-note-language" on:change=move |e| {
                    let value = event_target_value(&e);
                    if let Some(l) = Locale::get_all().iter().find(|l| l.as_str() == value) {
                        note_locale.set(*l);
                    }
                }>
                    {Locale::get_all().iter().map(|l| {
                        let l = *l;
                        view! { <option value=l.as_str() selected=move || note_locale.get() == l>{td_string!(l, language_endonym)}</option> }
                    }).collect_view()}
                </select>
                <button type="button" on:click=move |_| drop(window().print())>{t!(i18n, credit_note_print)}</button>
                <button type="button" class="secondary" on:click=move |_| on_close()>{t!(i18n, credit_note_close)}</button>
            </div>
            {move || {
                let l = note_locale.get();
                let m = m.clone();
                let lang = l.as_str().to_owned();
                view! {
                    <article lang=lang>
                        <h3 id="credit-note-heading">{td_string!(l, credit_note_title)}</h3>
                        <dl>
                            <dt>{td_string!(l, credit_note_customer)}</dt>
                            <dd>{format!("{} ({})", customer.name, customer.domain)}</dd>
                            <dt>{td_string!(l, credit_note_reservation)}</dt>
                            <dd>
                                {format!("{} · {}", m.name, m.sku_name)}<br />
                                {td_string!(l, credit_note_ids, order = m.reservation_order_id.clone().unwrap_or_default(), id = m.reservation_id.clone().unwrap_or_default()).to_string()}
                            </dd>
                            <dt>{td_string!(l, credit_note_units)}</dt>
                            <dd>{format_count(m.quantity.into(), l)}</dd>
                            <dt>{td_string!(l, credit_note_amount)}</dt>
                            <dd data-testid="credit-note-amount">{format_money(&credited, l)}</dd>
                            <dt>{td_string!(l, credit_note_reference)}</dt>
                            <dd>{m.ticket_reference.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                            <dt>{td_string!(l, credit_note_date)}</dt>
                            <dd>{format_date(m.day, l)}</dd>
                        </dl>
                    </article>
                }
            }}
        </section>
    }
}
