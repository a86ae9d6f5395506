use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::clock;
use crate::customer_context::CurrentCustomer;
use crate::deployment::{self, Deployment};
use crate::components::{
    lazy_view::LazyView, limit_meter::LimitMeter, load_error::LoadError, portfolio::{PortfolioBuyRows, PortfolioTab}, reservation_table::ReservationTable,
    savings_plan_table::SavingsPlanTable, source_status::SourceStatusLine,
    support_request_list::SupportRequestList, tabs::{Tab, TabList},
};
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::format::format_money;
use crate::paths;
use crate::split;

/// The customer page's tabs by their URL segment, in order (`""`: Azure reservations).
const TABS: [&str; 6] = ["", "support", "portfolio", "savings-plans", "buy", "statement"];

/// One customer: who they are, the yearly savings their usage still leaves on the table, and
/// their Azure reservations, support requests, portfolio, savings plans, what to buy and their
/// statement, each tab its own URL (`/customers/{id}`, `…/support`, `…/portfolio`,
/// `…/savings-plans`, `…/buy`, `…/statement`).
#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // A memo, so that choosing a tab (a new `tab` parameter) reloads nothing: the resources
    // below only refetch when the customer changes.
    let customer_id = Memo::new(move |_| params.read().get("customer_id").unwrap_or_default());
    let customer = LocalResource::new(move || {
        let id = customer_id.get();
        async move { api::customer(&id).await }
    });
    // The customer's other reads wait for the customer: one that does not exist (or is not the
    // user's to see) is asked about once, and none of them is sent (each would only be refused
    // too). They are read again when the customer is (Try again, Azure mode's Refresh).
    let limit = LocalResource::new(move || {
        let id = customer_id.get();
        async move {
            customer.await?;
            api::refund_limit(&id).await
        }
    });
    // The URL decides the tab; choosing a tab navigates (so Back and shared links work).
    let url_tab = Memo::new(move |_| {
        let segment = params.read().get("tab").unwrap_or_default();
        TABS.iter().position(|t| *t == segment)
    });
    let tab = RwSignal::new(url_tab.get_untracked().unwrap_or(0));
    Effect::new(move |_| {
        if let Some(i) = url_tab.get() {
            if tab.get_untracked() != i {
                tab.set(i);
            }
        }
    });
    let navigate = use_navigate();
    let on_select = Callback::new(move |i: usize| {
        let options = NavigateOptions { scroll: false, ..Default::default() };
        navigate(paths::for_navigate(&paths::customer_tab(&customer_id.get_untracked(), TABS[i])), options);
    });
    // The deployment's policy, where the Portfolio tab's policy switch starts: asked on arrival
    // with the rest (once per visit to the app), so choosing the tab loads nothing.
    let settings = Deployment::settings();
    let support = LocalResource::new(move || {
        let id = customer_id.get();
        async move {
            customer.await?;
            api::support_requests(&id).await
        }
    });
    let savings_plans = LocalResource::new(move || {
        let id = customer_id.get();
        async move {
            customer.await?;
            api::savings_plans(&id).await
        }
    });
    let reservations = LocalResource::new(move || {
        let id = customer_id.get();
        async move {
            customer.await?;
            api::reservations(&id).await
        }
    });
    // What to buy: the savings on the table under the title, the list in the Buy tab.
    let look_back = RwSignal::new(contract::LookBackPeriod::default());
    let recommendations = LocalResource::new(move || {
        let (id, look_back) = (customer_id.get(), look_back.get());
        async move {
            customer.await?;
            api::recommendations(&id, look_back).await
        }
    });
    provide_context(CurrentCustomer { customer_id, reservations, recommendations, look_back });
    let locale = move || i18n.get_locale();

    view! {
        <Show when=move || url_tab.get().is_some() fallback=NotFound>
        <nav class="breadcrumb" aria-label=move || t_string!(i18n, breadcrumb)>
            <A href=paths::customers()>{t!(i18n, back_to_customers)}</A>
        </nav>
        <Transition fallback=move || view! { <h1 class="skeleton-line">"\u{a0}"</h1> }>
            {move || Suspend::new(async move {
                match customer.await {
                    Ok(c) => view! {
                        <header class="page-header">
                            <h1>{c.name}</h1>
                            <p class="sub">{c.domain}</p>
                            // Said only when the desk recommends something (Azure mode does not yet).
                            {move || recommendations.get().and_then(Result::ok).filter(|r| !r.recommendations.is_empty()).map(|r| view! {
                                <p class="savings-on-table">
                                    <a href=paths::customer_tab(&customer_id.get_untracked(), "buy")>
                                        {move || t_string!(i18n, savings_on_the_table, amount = format_money(&r.savings_per_year, locale())).to_string()}
                                    </a>
                                </p>
                            })}
                        </header>
                    }
                    .into_any(),
                    Err(error) => view! { <LoadError error retry=move || customer.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        // One error per page: a customer that does not exist (or is not the user's to see), or
        // could not be read, is said once above, with no tabs for it.
        <Show when=move || customer.with(|c| matches!(c, Some(Ok(_))))>
        // Azure mode: when this customer was read from Azure, and a Refresh.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let azure = matches!(settings.await, Ok(s) if s.source == contract::DataSource::Azure);
                azure.then(|| view! {
                    // The customer's reads wait for it, so its new read brings theirs.
                    <SourceStatusLine customer_id=customer_id on_read=Callback::new(move |()| customer.refetch()) />
                })
            })}
        </Transition>
        <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_limit)}</p> }>
            {move || Suspend::new(async move {
                match limit.await {
                    Ok(limit) => view! { <LimitMeter limit /> }.into_any(),
                    Err(error) => view! { <LoadError error retry=move || limit.refetch() /> }.into_any(),
                }
            })}
        </Transition>
        <TabList
            tabs=vec![
                Tab { key: "reservations", label: Signal::derive(move || t_string!(i18n, azure_reservations).to_string()) },
                Tab { key: "support", label: Signal::derive(move || t_string!(i18n, support_requests).to_string()) },
                Tab { key: "portfolio", label: Signal::derive(move || t_string!(i18n, portfolio).to_string()) },
                Tab { key: "savings-plans", label: Signal::derive(move || t_string!(i18n, savings_plans).to_string()) },
                Tab { key: "buy", label: Signal::derive(move || t_string!(i18n, tab_buy).to_string()) },
                Tab { key: "statement", label: Signal::derive(move || t_string!(i18n, statement_tab).to_string()) },
            ]
            selected=tab
            on_select
            label=Signal::derive(move || t_string!(i18n, customer_sections).to_string())
        />
        <section id="panel-reservations" role="tabpanel" aria-labelledby="tab-0" hidden=move || tab.get() != 0>
            <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_reservations)}</p> }>
                {move || Suspend::new(async move {
                    match reservations.await {
                        Ok(list) => view! {
                            <ReservationTable customer_id=customer_id.get() reservations=list today=clock::today() />
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error retry=move || reservations.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section id="panel-support" role="tabpanel" aria-labelledby="tab-1" hidden=move || tab.get() != 1>
            <Show when=move || tab.get() == 1>
                <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_support_requests)}</p> }>
                    {move || Suspend::new(async move {
                        match support.await {
                            Ok(requests) => view! { <SupportRequestList requests /> }.into_any(),
                            Err(error) => view! { <LoadError error retry=move || support.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
        <section id="panel-portfolio" role="tabpanel" aria-labelledby="tab-2" hidden=move || tab.get() != 2>
            // Quoted only when opened: a large portfolio costs nothing until then.
            <Show when=move || tab.get() == 2>
                <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, portfolio_loading)}</p> }>
                    {move || {
                        Suspend::new(async move {
                        match (reservations.await, limit.await, deployment::refund_policy(settings).await) {
                            (Ok(list), Ok(limit), Ok(deployed)) => view! {
                                <PortfolioTab customer_id=customer_id.get() reservations=list limit deployed today=clock::today() />
                            }
                            .into_any(),
                            (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => view! {
                                <LoadError error retry=move || {
                                    reservations.refetch();
                                    limit.refetch();
                                } />
                            }
                            .into_any(),
                        }
                        })
                    }}
                </Transition>
                // What to buy, beside what to do with what the customer has (none where the
                // desk recommends nothing, or cannot yet: Azure mode).
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        recommendations.await.ok().map(|recommendations| view! {
                            <PortfolioBuyRows customer_id=customer_id.get_untracked() recommendations />
                        })
                    })}
                </Transition>
            </Show>
        </section>
        <section id="panel-savings-plans" role="tabpanel" aria-labelledby="tab-3" hidden=move || tab.get() != 3>
            <Show when=move || tab.get() == 3>
                <Transition fallback=move || view! { <p class="loading" role="status">{t!(i18n, loading_savings_plans)}</p> }>
                    {move || Suspend::new(async move {
                        let azure = matches!(settings.await, Ok(s) if s.source == contract::DataSource::Azure);
                        match savings_plans.await {
                            Ok(plans) => view! { <SavingsPlanTable plans azure /> }.into_any(),
                            Err(error) => view! { <LoadError error retry=move || savings_plans.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
        <section id="panel-buy" role="tabpanel" aria-labelledby="tab-4" hidden=move || tab.get() != 4>
            // Fetched the first time the tab is opened (the money panels' module).
            <Show when=move || tab.get() == 4>
                <LazyView load=split::buy::buy_panel />
            </Show>
        </section>
        <section id="panel-statement" role="tabpanel" aria-labelledby="tab-5" hidden=move || tab.get() != 5>
            // Fetched the first time the tab is opened (a module of its own).
            <Show when=move || tab.get() == 5>
                <LazyView load=split::statement::statement_panel />
            </Show>
        </section>
        </Show>
        </Show>
    }
}
