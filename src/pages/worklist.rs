//! The Worklist page: what needs doing across every customer the user sees, one row per thing
//! to do, in the desk's order (`GET /worklist`; the rows and their figures are
//! `desk_service::worklist`'s): the money at stake, a reservation losing its free exchange
//! weighted by how little it was used, which the page says, and says on each row it changes;
//! "money at stake (as shown)" sorts by the figure alone. The team's state on each row: snoozed
//! until a day, done, open again, an owner and a note (`PATCH /worklist/{workItemId}`, Admin
//! agent and Global admin), from one Actions button per row, so a row stays one line of buttons
//! high.
//!
//! Built for a partner's whole book (500 customers of 20 reservations each are thousands of
//! rows, some 10 MB of JSON): the first [`PAGE_SIZE`] open rows are asked for first and shown
//! at once, then every row is read and replaces them (a row marked meanwhile keeps its mark);
//! until then the filters, search and CSV wait, saying so. The list is filtered in memory,
//! each row's search text written
//! once per language, and at most [`PAGE_SIZE`] rows rendered at a time, each keyed by its
//! place in the list so a keystroke re-renders nothing that stays. A row marked is updated in
//! place from the desk's answer. The campaign view narrows the list to the 1 February 2027
//! exchange campaign and shows its totals; the filtered rows download as CSV (neutralised as
//! the Portfolio's, by `desk_service::portfolio::csv`) and print without the controls.

use chrono::{Days, NaiveDate};
use contract::{AccessEnding, Campaign, StakeNote, WorkAction, WorkCause, WorkItem, WorkItemPatch, WorkReason, WorkState, Worklist, WorklistQuery};
use desk_service::access::Permission;
use desk_service::region::display_name as region_name;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use quote_engine::Money;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::components::labels::{term_text, work_reason_text};
use crate::components::load_error::LoadError;
use crate::components::portfolio::download;
use crate::components::problem_text::error_text;
use crate::format::{format_count, format_date, format_money, format_percent};
use crate::i18n::*;
use crate::paths;
use crate::user::CurrentUser;

/// Rows rendered at first and added by each "Show more": 100, as the Portfolio's. A keystroke
/// in a filter creates the rows it shows again (about 0.5 ms each in a release build), so a
/// page of 100 keeps it near 50 ms over 12,000 rows (bench/browser).
pub const PAGE_SIZE: usize = 100;

/// Which rows the state filter shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StateFilter {
    /// To do (the default).
    #[default]
    Open,
    /// Snoozed.
    Snoozed,
    /// Done.
    Done,
    /// Every row.
    All,
}

impl StateFilter {
    const ALL: [StateFilter; 4] = [StateFilter::Open, StateFilter::Snoozed, StateFilter::Done, StateFilter::All];

    fn slug(self) -> &'static str {
        match self {
            StateFilter::Open => "open",
            StateFilter::Snoozed => "snoozed",
            StateFilter::Done => "done",
            StateFilter::All => "all",
        }
    }

    fn admits(self, state: WorkState) -> bool {
        match self {
            StateFilter::Open => state == WorkState::Open,
            StateFilter::Snoozed => state == WorkState::Snoozed,
            StateFilter::Done => state == WorkState::Done,
            StateFilter::All => true,
        }
    }
}

/// Whose rows the owner filter shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum OwnerFilter {
    /// Everyone's and nobody's.
    #[default]
    Anyone,
    /// Rows nobody took.
    Nobody,
    /// Rows this owner took.
    Named(String),
}

impl OwnerFilter {
    /// Its value in the filter's `<select>` (a named owner behind `=`, so no name reads as another choice).
    fn value(&self) -> String {
        match self {
            OwnerFilter::Anyone => String::new(),
            OwnerFilter::Nobody => "-".into(),
            OwnerFilter::Named(name) => format!("={name}"),
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "" => OwnerFilter::Anyone,
            "-" => OwnerFilter::Nobody,
            other => OwnerFilter::Named(other.strip_prefix('=').unwrap_or(other).to_owned()),
        }
    }
}

/// The order of the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// The desk's order: most at stake first, a reservation losing its free exchange weighted by
    /// how little it was used over 30 days (`rankUsd`, see [`ranked_as`]).
    #[default]
    Stake,
    /// The money at stake as the rows show it (in USD), most first; rows without a USD figure
    /// last, in the desk's order.
    Shown,
    /// The earliest due first (the desk's order among rows due the same day).
    Due,
}

impl SortBy {
    const ALL: [SortBy; 3] = [SortBy::Stake, SortBy::Shown, SortBy::Due];

    fn slug(self) -> &'static str {
        match self {
            SortBy::Stake => "stake",
            SortBy::Shown => "shown",
            SortBy::Due => "due",
        }
    }
}

/// The figure the desk ranks `item` by, when it is not the one the row shows: the money at
/// stake in USD weighted by how little the reservation was used over 30 days (an unused one
/// counts twice; `desk_service::worklist::rank_weight`). `None` when the two agree.
pub fn ranked_as(item: &WorkItem) -> Option<Money> {
    let (rank, shown) = (item.rank_usd?, item.at_stake_usd?);
    (rank.round().amount != shown.round().amount).then_some(rank)
}

/// A row's SKU and region as the page shows them: the region by its name, as every other page
/// names it (`Standard_D4s_v5 · westeurope` → `Standard_D4s_v5 · West Europe`).
pub fn sku_text(sku: &str) -> String {
    match sku.rsplit_once(" · ") {
        Some((name, region)) => format!("{name} · {}", region_name(region)),
        None => sku.to_owned(),
    }
}

/// How many of the rows at `rows` (places in `items`) each reason has, in the reasons' order,
/// leaving out those with none: what the campaign view's count is made of.
pub fn reason_counts(items: &[WorkItem], rows: &[usize]) -> Vec<(WorkReason, usize)> {
    WorkReason::ALL
        .into_iter()
        .map(|reason| (reason, rows.iter().filter(|&&i| items[i].reason == reason).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// What the filters ask for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// One reason, or every one.
    pub reason: Option<WorkReason>,
    /// One customer (its ID), or every one.
    pub customer: Option<String>,
    /// Whose rows.
    pub owner: OwnerFilter,
    /// Which states.
    pub state: StateFilter,
    /// Words every one of which the row's search text holds (any case).
    pub text: String,
    /// Only the 1 February 2027 campaign's reasons.
    pub campaign: bool,
}

/// The text a row is searched in, lower case: its customer, reservation, SKU (its region by
/// code and by name), reason (in `reason`'s words), owner and note.
pub fn search_text(item: &WorkItem, reason: &str) -> String {
    let region = item.sku.as_deref().and_then(|s| s.rsplit_once(" · ")).map(|(_, code)| region_name(code));
    let parts = [
        Some(item.customer_name.as_str()),
        item.reservation_name.as_deref(),
        item.sku.as_deref(),
        region,
        Some(reason),
        item.owner.as_deref(),
        item.note.as_deref(),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether `item` (searched in `haystack`, from [`search_text`]) passes `filter`.
pub fn passes(item: &WorkItem, haystack: &str, filter: &Filter, words: &[String]) -> bool {
    (!filter.campaign || item.reason.is_campaign())
        && filter.reason.is_none_or(|r| r == item.reason)
        && filter.customer.as_deref().is_none_or(|c| c == item.customer_id)
        && match &filter.owner {
            OwnerFilter::Anyone => true,
            OwnerFilter::Nobody => item.owner.is_none(),
            OwnerFilter::Named(name) => item.owner.as_deref() == Some(name.as_str()),
        }
        && filter.state.admits(item.state)
        && words.iter().all(|w| haystack.contains(w.as_str()))
}

/// The places in `items` of the rows `filter` passes, in `sort`'s order (`haystacks` are the
/// rows' [`search_text`]s, in the same order).
pub fn listed(items: &[WorkItem], haystacks: &[String], filter: &Filter, sort: SortBy) -> Vec<usize> {
    let words: Vec<String> = filter.text.to_lowercase().split_whitespace().map(str::to_owned).collect();
    let mut rows: Vec<usize> =
        (0..items.len()).filter(|&i| passes(&items[i], haystacks.get(i).map_or("", String::as_str), filter, &words)).collect();
    // Stable: rows due the same day, or at stake the same, keep the desk's order.
    match sort {
        SortBy::Stake => {}
        // Most first; `None` (no USD figure) is the least option, so reversed it comes last.
        SortBy::Shown => rows.sort_by_key(|&i| std::cmp::Reverse(items[i].at_stake_usd.map(|m| m.amount))),
        SortBy::Due => rows.sort_by_key(|&i| items[i].due),
    }
    rows
}

/// The patch that sets `state` (and `snoozed_until`) on `item`, keeping its owner and note.
pub fn state_patch(item: &WorkItem, state: WorkState, snoozed_until: Option<NaiveDate>) -> WorkItemPatch {
    WorkItemPatch { state, snoozed_until, owner: item.owner.clone(), note: item.note.clone() }
}

/// The patch that sets `item`'s owner and note (empty for none), keeping its state.
pub fn owner_patch(item: &WorkItem, owner: &str, note: &str) -> WorkItemPatch {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let snoozed_until = if item.state == WorkState::Snoozed { item.snoozed_until } else { None };
    WorkItemPatch { state: item.state, snoozed_until, owner: some(owner), note: some(note) }
}

/// "N days" in the user's language, for a due date or a campaign.
fn days_text(i18n: I18nContext<Locale>, days: i64) -> String {
    crate::t_count!(i18n, worklist_days, days)
}

/// Why a row is listed, with its figures, in the user's language.
pub fn cause_text(i18n: I18nContext<Locale>, cause: &WorkCause) -> String {
    let locale = i18n.get_locale_untracked();
    let date = |d: NaiveDate| format_date(d, locale);
    let percent = |p: rust_decimal::Decimal| format_percent(p, locale);
    let mut parts: Vec<String> = Vec::new();
    match cause {
        WorkCause::ExchangeRightEnds { policy_date, days_left, units, utilization30 } => {
            parts.push(crate::t_count!(i18n, worklist_cause_exchange_right_ends, *days_left, date = date(*policy_date)));
            parts.push(crate::t_count!(i18n, worklist_units_final, *units));
            if let Some(used) = utilization30 {
                parts.push(t_string!(i18n, worklist_used_30, percent = percent(*used)).to_string());
            }
        }
        WorkCause::FinalExchange { units, utilization30, threshold } => {
            parts.push(crate::t_count!(i18n, worklist_units_final, *units));
            parts.push(t_string!(i18n, worklist_used_below, percent = percent(*utilization30), threshold = percent(*threshold)).to_string());
        }
        WorkCause::RenewsIntoNoExchange { renews_on } => parts.push(t_string!(i18n, worklist_cause_renews, date = date(*renews_on)).to_string()),
        WorkCause::SeriesRetiring { series, term, expiry_date, days_left } => parts.push(crate::t_count!(
            i18n,
            worklist_cause_series_retiring,
            *days_left,
            series = series.clone(),
            term = term_text(i18n, *term),
            date = date(*expiry_date)
        )),
        WorkCause::ExpiringUncovered { expiry_date, days_left } => {
            parts.push(crate::t_count!(i18n, worklist_cause_expiring, *days_left, date = date(*expiry_date)))
        }
        WorkCause::Underused { utilization30, threshold } => {
            parts.push(t_string!(i18n, worklist_used_below, percent = percent(*utilization30), threshold = percent(*threshold)).to_string())
        }
        WorkCause::RefundLimit { headroom, limit } => parts.push(
            t_string!(i18n, worklist_cause_refund_limit, headroom = format_money(headroom, locale), limit = format_money(limit, locale)).to_string(),
        ),
        WorkCause::AccessEnds { ending, reservations } => {
            parts.push(match ending {
                AccessEnding::GdapRelationshipEnds { relationship, end_date } => {
                    t_string!(i18n, worklist_cause_gdap_ends, name = relationship.clone(), date = date(*end_date)).to_string()
                }
                AccessEnding::TenantNotReady { state } if state == "neverTried" => t_string!(i18n, worklist_tenant_never_read).to_string(),
                AccessEnding::TenantNotReady { .. } => t_string!(i18n, worklist_tenant_not_read).to_string(),
                AccessEnding::ReservationsUnread { count } => crate::t_count!(i18n, worklist_cause_unread, *count),
            });
            parts.push(crate::t_count!(i18n, worklist_access_reservations, *reservations));
        }
        WorkCause::SavingsOnTheTable { recommendations } => parts.push(crate::t_count!(i18n, worklist_cause_savings, *recommendations)),
    }
    parts.join("; ")
}

/// The panel a row's link opens, in the user's language.
fn action_text(i18n: I18nContext<Locale>, action: WorkAction) -> String {
    match action {
        WorkAction::Exchange => t_string!(i18n, worklist_action_exchange),
        WorkAction::Refund => t_string!(i18n, worklist_action_refund),
        WorkAction::Renewal => t_string!(i18n, worklist_action_renewal),
        WorkAction::Buy => t_string!(i18n, worklist_action_buy),
        WorkAction::Portfolio => t_string!(i18n, worklist_action_portfolio),
        WorkAction::Readiness => t_string!(i18n, worklist_action_readiness),
    }
    .to_string()
}

/// Where the team stands on a row, in the user's language.
fn state_text(i18n: I18nContext<Locale>, item: &WorkItem) -> String {
    match (item.state, item.snoozed_until) {
        (WorkState::Snoozed, Some(until)) => t_string!(i18n, worklist_snoozed_until, date = format_date(until, i18n.get_locale_untracked())).to_string(),
        (WorkState::Snoozed, None) => t_string!(i18n, worklist_state_snoozed).to_string(),
        (WorkState::Done, _) => t_string!(i18n, worklist_state_done).to_string(),
        (WorkState::Open, _) => t_string!(i18n, worklist_state_open).to_string(),
    }
}

/// A sort order's name in the user's language.
fn sort_text(i18n: I18nContext<Locale>, sort: SortBy) -> String {
    match sort {
        SortBy::Stake => t_string!(i18n, worklist_sort_stake),
        SortBy::Shown => t_string!(i18n, worklist_sort_shown),
        SortBy::Due => t_string!(i18n, worklist_sort_due),
    }
    .to_string()
}

fn state_filter_text(i18n: I18nContext<Locale>, state: StateFilter) -> String {
    match state {
        StateFilter::Open => t_string!(i18n, worklist_state_open),
        StateFilter::Snoozed => t_string!(i18n, worklist_state_snoozed),
        StateFilter::Done => t_string!(i18n, worklist_state_done),
        StateFilter::All => t_string!(i18n, filter_all),
    }
    .to_string()
}

/// The money at stake as the row shows it, and what the figure is when not the plain one.
fn stake_texts(i18n: I18nContext<Locale>, item: &WorkItem) -> (String, Option<String>) {
    let locale = i18n.get_locale_untracked();
    let money = item.at_stake.map(|m| format_money(&m, locale));
    match (item.stake_note, money) {
        (Some(StakeNote::PriceUnknown), _) | (_, None) => (t_string!(i18n, worklist_price_unknown).to_string(), None),
        (Some(StakeNote::AtLeast), Some(m)) => (t_string!(i18n, worklist_at_least, amount = m).to_string(), None),
        (Some(StakeNote::NoUsdFigure), Some(m)) => (m, Some(t_string!(i18n, worklist_no_usd).to_string())),
        (None, Some(m)) => (m, None),
    }
}

/// "In 12 days", "today" or "3 days overdue", from the list's day.
fn due_text(i18n: I18nContext<Locale>, due: NaiveDate, as_of: NaiveDate) -> String {
    let days = (due - as_of).num_days();
    match days {
        0 => t_string!(i18n, worklist_due_today).to_string(),
        d if d > 0 => crate::t_count!(i18n, worklist_due_in, d),
        d => crate::t_count!(i18n, worklist_overdue, -d),
    }
}

/// The filtered rows as CSV, header in the user's language; amounts as plain decimals, dates ISO,
/// each row's panel as a full URL.
fn worklist_csv(i18n: I18nContext<Locale>, items: &[WorkItem], rows: &[usize], as_of: NaiveDate) -> String {
    let header = [
        t_string!(i18n, worklist_csv_id).to_string(),
        t_string!(i18n, worklist_col_customer).to_string(),
        t_string!(i18n, worklist_col_reservation).to_string(),
        t_string!(i18n, worklist_csv_sku).to_string(),
        t_string!(i18n, worklist_filter_reason).to_string(),
        t_string!(i18n, worklist_col_why).to_string(),
        t_string!(i18n, worklist_col_stake).to_string(),
        t_string!(i18n, worklist_csv_currency).to_string(),
        t_string!(i18n, worklist_csv_stake_usd).to_string(),
        t_string!(i18n, worklist_csv_stake_note).to_string(),
        t_string!(i18n, worklist_col_due).to_string(),
        t_string!(i18n, worklist_csv_days_left).to_string(),
        t_string!(i18n, worklist_col_action).to_string(),
        t_string!(i18n, worklist_csv_link).to_string(),
        t_string!(i18n, worklist_filter_state).to_string(),
        t_string!(i18n, worklist_csv_snoozed).to_string(),
        t_string!(i18n, worklist_filter_owner).to_string(),
        t_string!(i18n, worklist_col_note).to_string(),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    // Links in full, so a spreadsheet's cell opens the panel.
    let origin = window().location().origin().unwrap_or_default();
    let records = rows.iter().map(|&i| {
        let item = &items[i];
        let note = match item.stake_note {
            Some(StakeNote::AtLeast) => t_string!(i18n, worklist_csv_at_least).to_string(),
            Some(StakeNote::PriceUnknown) => t_string!(i18n, worklist_price_unknown).to_string(),
            Some(StakeNote::NoUsdFigure) => t_string!(i18n, worklist_no_usd).to_string(),
            None => String::new(),
        };
        let state = match item.state {
            WorkState::Open => t_string!(i18n, worklist_state_open),
            WorkState::Snoozed => t_string!(i18n, worklist_state_snoozed),
            WorkState::Done => t_string!(i18n, worklist_state_done),
        };
        vec![
            item.id.clone(),
            item.customer_name.clone(),
            item.reservation_name.clone().unwrap_or_default(),
            item.sku.as_deref().map(sku_text).unwrap_or_default(),
            work_reason_text(i18n, item.reason),
            cause_text(i18n, &item.cause),
            item.at_stake.map(|m| m.amount.to_string()).unwrap_or_default(),
            item.at_stake.map(|m| m.currency.code().to_owned()).unwrap_or_default(),
            item.at_stake_usd.map(|m| m.amount.to_string()).unwrap_or_default(),
            note,
            item.due.to_string(),
            (item.due - as_of).num_days().to_string(),
            action_text(i18n, item.action),
            format!("{origin}{}", paths::href(&item.link)),
            state.to_string(),
            item.snoozed_until.map(|d| d.to_string()).unwrap_or_default(),
            item.owner.clone().unwrap_or_default(),
            item.note.clone().unwrap_or_default(),
        ]
    });
    desk_service::portfolio::csv(&header, records)
}

/// Focus on the row count when the control that had it left the page (a row marked left the
/// filter), so the keyboard goes on from the table, not from the top of the page.
fn keep_focus() {
    request_animation_frame(|| {
        let document = document();
        let lost = document.active_element().is_none_or(|a| !a.is_connected() || document.body().is_some_and(|b| b.is_same_node(Some(&a))));
        if lost {
            if let Some(count) = document.get_element_by_id("worklist-count") {
                let _ = count.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }
    });
}

/// The Worklist page: the first page of open rows, then every row.
#[component]
pub fn WorklistPage() -> impl IntoView {
    let i18n = use_i18n();
    let first: RwSignal<Option<Result<Worklist, ApiError>>> = RwSignal::new(None);
    let whole: RwSignal<Option<Result<Worklist, ApiError>>> = RwSignal::new(None);
    // Every row, after the first page (again after a failure, from the view's retry).
    let read_rest = move || {
        whole.set(None);
        leptos::task::spawn_local(async move {
            let all = api::worklist(WorklistQuery::default()).await;
            whole.try_set(Some(all));
        });
    };
    let load = move || {
        first.set(None);
        whole.set(None);
        leptos::task::spawn_local(async move {
            let page = api::worklist(first_page()).await;
            let read = page.is_ok();
            if first.try_set(Some(page)).is_some() || !read {
                return;
            }
            read_rest();
        });
    };
    load();
    // The view is built again only when this changes: every row arriving after the first page
    // is taken in place by the view (a form opened meanwhile stays open, a row marked stays so;
    // a failure to read them is said inside it, the first page kept). Unless the day changed
    // between the two answers: the whole list's day and figures are then shown afresh.
    let phase = Memo::new(move |_| {
        let day = |list: &Option<Result<Worklist, ApiError>>| list.as_ref().and_then(|l| l.as_ref().ok()).map(|l| l.as_of);
        match (first.with(|f| f.as_ref().map(Result::is_ok)), first.with(day), whole.with(day)) {
            (None, _, _) | (Some(true), None, _) => Phase::Loading,
            (Some(false), _, _) => Phase::Failed,
            (Some(true), Some(first_day), whole_day) => Phase::Shown(whole_day.unwrap_or(first_day)),
        }
    });
    let shown = move || match phase.get() {
        Phase::Loading => view! { <p class="loading" role="status">{t!(i18n, loading_worklist)}</p> }.into_any(),
        Phase::Failed => match first.with_untracked(|f| f.clone().and_then(Result::err)) {
            Some(error) => view! { <LoadError error retry=move || load() /> }.into_any(),
            None => ().into_any(),
        },
        Phase::Shown(day) => match (whole.with_untracked(|w| w.clone().and_then(Result::ok)), first.with_untracked(|f| f.clone().and_then(Result::ok))) {
            (Some(list), Some(page)) if list.as_of == day && page.as_of != day => view! { <WorklistView list /> }.into_any(),
            (_, Some(page)) => view! { <WorklistView list=page rest=whole.read_only() retry_rest=Callback::new(move |()| read_rest()) /> }.into_any(),
            _ => ().into_any(),
        },
    };
    view! {
        <h1>{t!(i18n, worklist_page)}</h1>
        {shown}
    }
}

/// Where the page is: asking, the first page failed, or showing the list of a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Loading,
    Failed,
    Shown(NaiveDate),
}

/// What the page asks for first: the open rows a first screen shows.
pub fn first_page() -> WorklistQuery {
    WorklistQuery { state: Some(WorkState::Open), skip: 0, top: u32::try_from(PAGE_SIZE).ok() }
}

/// The list once fetched: intro, campaign, filters, table, CSV and print. With `rest`, `list`
/// is the first page while every row is read (the filters, search and CSV wait for them); when
/// `rest` answers, its rows replace the page's in place, with the rows marked meanwhile as
/// marked (the whole list may have been answered before the mark was written); if `rest` fails,
/// the page stays, with the error and `retry_rest`.
#[component]
pub fn WorklistView(
    list: Worklist,
    #[prop(optional)] rest: Option<ReadSignal<Option<Result<Worklist, ApiError>>>>,
    #[prop(optional)] retry_rest: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let Worklist { as_of, items, total: answered_of, campaign, savings_counted } = list;
    let campaign = RwSignal::new(campaign);
    let savings_counted = RwSignal::new(savings_counted);
    let reading = RwSignal::new(rest.is_some());
    // Every row could not be read: the first page stays, the filters still waiting.
    let rest_failed = move || rest.and_then(|r| r.with(|w| w.as_ref().and_then(|w| w.as_ref().err().cloned())));
    let items = RwSignal::new(items);
    let marked_meanwhile = StoredValue::new(Vec::<WorkItem>::new());
    if let Some(rest) = rest {
        Effect::new(move |_| {
            let Some((mut all, whole_campaign, counted)) =
                rest.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|w| (w.items.clone(), w.campaign.clone(), w.savings_counted)))
            else {
                return;
            };
            if !reading.get_untracked() {
                return;
            }
            campaign.set(whole_campaign);
            savings_counted.set(counted);
            marked_meanwhile.with_value(|marked| {
                for row in all.iter_mut() {
                    if let Some(m) = marked.iter().find(|m| m.id == row.id) {
                        *row = m.clone();
                    }
                }
            });
            items.set(all);
            reading.set(false);
        });
    }
    let empty = Memo::new(move |_| !reading.get() && items.with(Vec::is_empty));
    // The customers and owners the filters offer, by name.
    let customers = Memo::new(move |_| {
        let mut customers: Vec<(String, String)> = items.with(|v| v.iter().map(|i| (i.customer_name.clone(), i.customer_id.clone())).collect());
        customers.sort();
        customers.dedup();
        customers
    });
    let owners = Memo::new(move |_| {
        let mut owners: Vec<String> = items.with(|v| v.iter().filter_map(|i| i.owner.clone()).collect());
        owners.sort();
        owners.dedup();
        owners
    });
    // Each row's search text, written again only when a row or the language changes.
    let haystacks = Memo::new(move |_| {
        // The reasons' words in the language shown (read here, so a change of language rewrites them).
        let reasons: Vec<(WorkReason, String)> = WorkReason::ALL.into_iter().map(|r| (r, work_reason_text(i18n, r))).collect();
        items.with(|v| {
            v.iter()
                .map(|item| search_text(item, reasons.iter().find(|(r, _)| *r == item.reason).map_or("", |(_, t)| t.as_str())))
                .collect::<Vec<_>>()
        })
    });
    let filter = RwSignal::new(Filter::default());
    let sort = RwSignal::new(SortBy::default());
    let shown = RwSignal::new(PAGE_SIZE);
    // The search texts are written only once words are typed (a memo computes when first read):
    // the first render of thousands of rows does without them.
    let rows = Memo::new(move |_| {
        items.with(|v| {
            filter.with(|f| {
                if f.text.trim().is_empty() {
                    listed(v, &[], f, sort.get())
                } else {
                    haystacks.with(|h| listed(v, h, f, sort.get()))
                }
            })
        })
    });
    let visible = Memo::new(move |_| rows.with(|r| r.iter().take(shown.get()).copied().collect::<Vec<usize>>()));
    let total = move || rows.with(Vec::len);
    let refilter = move |change: &dyn Fn(&mut Filter)| {
        filter.update(|f| change(f));
        shown.set(PAGE_SIZE);
    };
    let saved = Callback::new(move |item: WorkItem| {
        if reading.get_untracked() {
            marked_meanwhile.update_value(|v| {
                v.retain(|m| m.id != item.id);
                v.push(item.clone());
            });
        }
        items.update(|v| {
            if let Some(row) = v.iter_mut().find(|r| r.id == item.id) {
                *row = item;
            }
        });
        keep_focus();
    });
    let locale = move || i18n.get_locale();
    let download_csv = move |_| {
        let text = items.with_untracked(|v| rows.with_untracked(|r| worklist_csv(i18n, v, r, as_of)));
        if let Err(e) = download(&format!("worklist-{as_of}.csv"), &text, "text/csv;charset=utf-8") {
            leptos::logging::error!("worklist CSV: {e:?}");
        }
    };
    let campaign_on = move || filter.with(|f| f.campaign);
    let customer_options = move || customers.get().into_iter().map(|(name, id)| view! { <option value=id>{name}</option> }).collect_view();
    view! {
        <p class="print-only print-title">{move || t_string!(i18n, worklist_print_title, date = format_date(as_of, locale())).to_string()}</p>
        <p class="note worklist-intro">{move || t_string!(i18n, worklist_intro, date = format_date(as_of, locale())).to_string()}</p>
        {move || (!savings_counted.get()).then(|| view! { <p class="note worklist-savings">{t!(i18n, worklist_savings_not_counted)}</p> })}
        <Show when=move || user.0.with(Option::is_some) && !user.may(Permission::WorkTheList)>
            <p class="warning" id="worklist-why-not">
                {move || format!("{} {}", user.refusal(i18n, Permission::WorkTheList).unwrap_or_default(), t_string!(i18n, worklist_cannot_work))}
            </p>
        </Show>
        <div class="worklist-views" role="group" aria-label=move || t_string!(i18n, worklist_view)>
            <button type="button" class="secondary" disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") aria-pressed=move || (!campaign_on()).to_string()
                on:click=move |_| refilter(&|f| f.campaign = false)>
                {t!(i18n, worklist_all_rows)}
            </button>
            <button type="button" class="secondary" disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") aria-pressed=move || campaign_on().to_string()
                on:click=move |_| refilter(&|f| {
                    f.campaign = true;
                    if f.reason.is_some_and(|r| !r.is_campaign()) { f.reason = None; }
                })>
                {move || t_string!(i18n, worklist_campaign, date = format_date(campaign.with(|c| c.policy_date), locale())).to_string()}
            </button>
        </div>
        {move || campaign_on().then(|| view! { <CampaignSummary campaign=campaign.get() /> })}
        <div class="toolbar filters worklist-filters">
            <label>
                {t!(i18n, worklist_filter_reason)}
                <select disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.reason = WorkReason::parse(&v));
                }>
                    <option value="" prop:selected=move || filter.with(|f| f.reason.is_none())>{t!(i18n, filter_all)}</option>
                    {WorkReason::ALL.map(|r| view! {
                        <option value=r.as_str() hidden=move || campaign_on() && !r.is_campaign() disabled=move || campaign_on() && !r.is_campaign()
                            prop:selected=move || filter.with(|f| f.reason == Some(r))>
                            {move || work_reason_text(i18n, r)}
                        </option>
                    })}
                </select>
            </label>
            <label>
                {t!(i18n, worklist_filter_customer)}
                <select disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.customer = (!v.is_empty()).then(|| v.clone()));
                }>
                    <option value="">{t!(i18n, filter_all)}</option>
                    {customer_options}
                </select>
            </label>
            <label>
                {t!(i18n, worklist_filter_owner)}
                <select disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.owner = OwnerFilter::parse(&v));
                }>
                    <option value="">{t!(i18n, filter_all)}</option>
                    <option value="-">{t!(i18n, worklist_nobody)}</option>
                    {move || owners.get().into_iter().map(|o| {
                        let value = OwnerFilter::Named(o.clone()).value();
                        let chosen = OwnerFilter::Named(o.clone());
                        view! { <option value=value prop:selected=move || filter.with(|f| f.owner == chosen)>{o}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, worklist_filter_state)}
                <select disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.state = StateFilter::ALL.into_iter().find(|s| s.slug() == v).unwrap_or_default());
                }>
                    {StateFilter::ALL.map(|s| view! {
                        <option value=s.slug() prop:selected=move || filter.with(|f| f.state == s)>{move || state_filter_text(i18n, s)}</option>
                    })}
                </select>
            </label>
            <label class="search">
                {t!(i18n, worklist_search)}
                <input type="search" disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:input=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.text = v.clone());
                } />
            </label>
            <label>
                {t!(i18n, worklist_sort)}
                <select disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:change=move |e| {
                    let v = event_target_value(&e);
                    sort.set(SortBy::ALL.into_iter().find(|s| s.slug() == v).unwrap_or_default());
                    shown.set(PAGE_SIZE);
                }>
                    {SortBy::ALL.map(|s| view! {
                        <option value=s.slug() prop:selected=move || sort.get() == s>{move || sort_text(i18n, s)}</option>
                    })}
                </select>
            </label>
            <span class="worklist-buttons">
                <button type="button" class="secondary" disabled=reading aria-describedby=move || reading.get().then_some("worklist-count") on:click=download_csv>{t!(i18n, portfolio_download_csv)}</button>
                <button type="button" class="secondary" on:click=move |_| drop(window().print())>{t!(i18n, portfolio_print)}</button>
            </span>
        </div>
        <p id="worklist-count" class="worklist-count" role="status" tabindex="-1" aria-busy=move || reading.get().then_some("true")>
            {move || if reading.get() {
                t_string!(i18n, worklist_reading_all, shown = format_count(visible.with(Vec::len) as i64, locale()), total = format_count(i64::from(answered_of), locale())).to_string()
            } else {
                t_string!(i18n, showing_of, shown = format_count(visible.with(Vec::len) as i64, locale()), total = format_count(total() as i64, locale())).to_string()
            }}
        </p>
        {move || rest_failed().map(|error| view! {
            <LoadError error retry=move || { if let Some(retry) = retry_rest { retry.run(()) } } />
        })}
        // The campaign's rows are of three reasons, its totals of one: what the rows listed are.
        <Show when=move || { campaign_on() && total() > 0 }>
            <p class="sub worklist-reasons">
                {move || {
                    let counts = items.with(|v| rows.with(|r| reason_counts(v, r)));
                    let reasons = counts
                        .into_iter()
                        .map(|(reason, n)| t_string!(i18n, worklist_reason_count, reason = work_reason_text(i18n, reason), count = format_count(n as i64, locale())).to_string())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    t_string!(i18n, worklist_listed_by_reason, reasons = reasons).to_string()
                }}
            </p>
        </Show>
        {move || if empty.get() {
            view! { <p class="empty">{t!(i18n, worklist_empty)}</p> }.into_any()
        } else {
            view! {
                <Show when=move || { total() > 0 } fallback=move || (!reading.get()).then(|| view! { <p class="empty">{t!(i18n, worklist_none_match)}</p> })>
                    <div class="table-scroll">
                        <table class="data-table worklist-table" aria-busy=move || reading.get().then_some("true")>
                            <thead><tr>
                                <th scope="col">{t!(i18n, worklist_col_what)}</th>
                                <th scope="col">{t!(i18n, worklist_col_why)}</th>
                                <th scope="col" class="num">{t!(i18n, worklist_col_stake)}</th>
                                <th scope="col">{t!(i18n, worklist_col_due)}</th>
                                <th scope="col">{t!(i18n, worklist_col_action)}</th>
                                <th scope="col">{t!(i18n, worklist_filter_state)}</th>
                                <th scope="col" class="worklist-controls">{t!(i18n, worklist_col_work)}</th>
                            </tr></thead>
                            <tbody>
                                <For each=move || { items.track(); visible.get() } key=move |i| items.with_untracked(|v| v.get(*i).map(|r| r.id.clone())) let:index>
                                    <WorkRow index items as_of saved campaign=Signal::derive(campaign_on) />
                                </For>
                            </tbody>
                        </table>
                    </div>
                    <Show when=move || { total() > shown.get() }>
                        <div class="table-more">
                            <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE_SIZE)>
                                {move || t_string!(i18n, show_more, count = format_count(total().saturating_sub(shown.get()).min(PAGE_SIZE) as i64, locale())).to_string()}
                            </button>
                        </div>
                    </Show>
                </Show>
            }
            .into_any()
        }}
    }
}

/// The campaign's totals and its customers, most at stake first.
#[component]
fn CampaignSummary(campaign: Campaign) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let usd = move |m: &Money| format_money(m, i18n.get_locale());
    let total = campaign.remaining_commitment_usd;
    let (reservations, customers, days, date, without) =
        (campaign.reservations, campaign.customers, campaign.days_left, campaign.policy_date, campaign.without_usd);
    let text = move || {
        if days < 0 {
            t_string!(i18n, worklist_campaign_passed, date = format_date(date, locale())).to_string()
        } else {
            crate::t_count!(
                i18n,
                worklist_campaign_total,
                reservations,
                customers = crate::t_count!(i18n, worklist_customers, customers),
                amount = format_money(&total, locale()),
                days = days_text(i18n, days)
            )
        }
    };
    let rows = campaign
        .per_customer
        .into_iter()
        .map(|c| {
            let href = paths::customer(&c.customer_id);
            view! {
                <tr>
                    <th scope="row"><A href=href>{c.customer_name}</A></th>
                    <td class="num" data-label=move || t_string!(i18n, worklist_campaign_reservations)>{move || format_count(c.reservations.into(), locale())}</td>
                    <td class="num campaign-amount" data-label=move || t_string!(i18n, worklist_campaign_commitment)>{move || usd(&c.remaining_commitment_usd)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="worklist-campaign" aria-labelledby="worklist-campaign-heading">
            <h2 id="worklist-campaign-heading">{move || t_string!(i18n, worklist_campaign, date = format_date(date, locale())).to_string()}</h2>
            <p class="campaign-total">{text}</p>
            {(without > 0).then(|| view! { <p class="sub">{move || crate::t_count!(i18n, worklist_campaign_without_usd, without)}</p> })}
            <p class="sub">{t!(i18n, worklist_campaign_counts)}</p>
            <p class="sub">{t!(i18n, worklist_campaign_compare_note)}</p>
            <div class="table-scroll">
                <table class="data-table campaign-table">
                    <caption>{t!(i18n, worklist_campaign_per_customer)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, worklist_col_customer)}</th>
                        <th scope="col" class="num">{t!(i18n, worklist_campaign_reservations)}</th>
                        <th scope="col" class="num">{t!(i18n, worklist_campaign_commitment)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// What a row's controls show: the buttons, or one of the two small forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editing {
    Nothing,
    Snooze,
    Owner,
}

/// One row, first read from `items` at `index`, then found by its ID (updated in place when marked).
#[component]
fn WorkRow(
    index: usize,
    items: RwSignal<Vec<WorkItem>>,
    as_of: NaiveDate,
    saved: Callback<WorkItem>,
    /// Whether the campaign view is shown (its rows link to the Overview's comparison).
    campaign: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let Some(first) = items.with_untracked(|v| v.get(index).cloned()) else { return ().into_any() };
    // The row follows its ID: every row read after the first page may put it at another index.
    let at = StoredValue::new(index);
    let row_id = first.id.clone();
    let item = Memo::new(move |_| {
        items.with(|v| {
            if let Some(row) = v.get(at.get_value()).filter(|r| r.id == row_id) {
                return Some(row.clone());
            }
            let found = v.iter().position(|r| r.id == row_id)?;
            at.set_value(found);
            Some(v[found].clone())
        })
    });
    let locale = move || i18n.get_locale();
    let may = move || user.may(Permission::WorkTheList);
    let why_not = move || user.refusal(i18n, Permission::WorkTheList);
    let editing = RwSignal::new(Editing::Nothing);
    let controls = NodeRef::<leptos::html::Td>::new();
    // Back on the row's first button once a form closes (if the row is still listed).
    let focus_buttons = move || {
        request_animation_frame(move || {
            if let Some(button) = controls.try_get_untracked().flatten().and_then(|td| td.query_selector("button").ok().flatten()) {
                let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        })
    };
    let close = move || {
        editing.set(Editing::Nothing);
        focus_buttons();
    };
    // The row's actions fold under one button, so a row is as high as its text; opened, focus
    // goes to the first action, and Escape folds them again.
    let menu_open = RwSignal::new(false);
    let menu_id = StoredValue::new(format!("worklist-actions-{}", first.id));
    let toggle_menu = move || {
        let open = !menu_open.get_untracked();
        menu_open.set(open);
        if open {
            request_animation_frame(move || {
                let first = controls.try_get_untracked().flatten().and_then(|td| td.query_selector(".worklist-menu button").ok().flatten());
                if let Some(button) = first {
                    let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            })
        }
    };
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let tomorrow = as_of.checked_add_days(Days::new(1)).unwrap_or(as_of);
    let week = as_of.checked_add_days(Days::new(7)).unwrap_or(as_of);
    let latest = as_of.checked_add_days(Days::new(366)).unwrap_or(as_of);
    let snooze_day = RwSignal::new(week.to_string());
    let owner = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let snooze_input = NodeRef::<leptos::html::Input>::new();
    let owner_input = NodeRef::<leptos::html::Input>::new();
    let id = StoredValue::new(first.id.clone());
    let send = move |patch: WorkItemPatch| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match api::mark_work_item(&id, &patch).await {
                Ok(item) => {
                    if editing.try_get_untracked().is_some_and(|e| e != Editing::Nothing) {
                        let _ = editing.try_set(Editing::Nothing);
                        focus_buttons();
                    }
                    saved.run(item);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = pending.try_set(false);
        });
    };
    let mark = move |state: WorkState| {
        if let Some(current) = item.get_untracked() {
            send(state_patch(&current, state, None));
        }
    };
    let snooze = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let Some(current) = item.get_untracked() else { return };
        match snooze_day.get_untracked().parse::<NaiveDate>() {
            Ok(day) => send(state_patch(&current, WorkState::Snoozed, Some(day))),
            Err(_) => error.set(Some(ApiError::Problem(contract::Problem::new(
                contract::ProblemCode::Required,
                t_string!(i18n, worklist_snooze_day_needed).to_string(),
                None,
            )))),
        }
    };
    let save_owner = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if let Some(current) = item.get_untracked() {
            send(owner_patch(&current, &owner.get_untracked(), &note.get_untracked()));
        }
    };
    let open = move |what: Editing| {
        error.set(None);
        if what == Editing::Owner {
            let current = item.get_untracked();
            owner.set(current.as_ref().and_then(|c| c.owner.clone()).unwrap_or_default());
            note.set(current.and_then(|c| c.note).unwrap_or_default());
        }
        editing.set(what);
        request_animation_frame(move || {
            let input = if what == Editing::Snooze { snooze_input.get_untracked() } else { owner_input.get_untracked() };
            if let Some(input) = input {
                let _ = input.focus();
            }
        });
    };
    let state_of = move || item.with(|i| i.as_ref().map_or(WorkState::Open, |i| i.state));
    let disabled = move || !may() || pending.get();
    let described = move || (!may()).then_some("worklist-why-not");
    let customer_href = paths::customer(&first.customer_id);
    let reservation = first.reservation_id.clone().map(|r| paths::reservation(&first.customer_id, &r, ""));
    let campaign_link = reservation.clone().filter(|_| first.reason.is_campaign());
    let link = paths::href(&first.link);
    let (reason, action) = (first.reason, first.action);
    let name = first.reservation_name.clone().unwrap_or_default();
    let sku = first.sku.clone();
    let cause = first.cause.clone();
    let due = first.due;
    view! {
        <tr data-id=first.id.clone() data-state=move || match state_of() { WorkState::Open => "open", WorkState::Snoozed => "snoozed", WorkState::Done => "done" }>
            <th scope="row">
                <A href=customer_href>{first.customer_name.clone()}</A>
                {reservation.map(|href| view! { <span class="sub reservation"><A href=href>{name}</A></span> })}
                {sku.map(|s| view! { <span class="sub sku" title=s.clone()>{sku_text(&s)}</span> })}
            </th>
            <td class="wide" data-label=move || t_string!(i18n, worklist_col_why)>
                <strong class="reason">{move || work_reason_text(i18n, reason)}</strong>
                <span class="sub">{move || { let _ = locale(); cause_text(i18n, &cause) }}</span>
            </td>
            <td class="num stake" data-label=move || t_string!(i18n, worklist_col_stake)>
                {move || {
                    let _ = locale();
                    let (text, note) = item.with(|i| i.as_ref().map(|i| stake_texts(i18n, i))).unwrap_or_default();
                    // An amount stays on one line; "unknown: …" wraps.
                    let money = item.with(|i| i.as_ref().is_some_and(|i| i.at_stake.is_some() && i.stake_note != Some(StakeNote::PriceUnknown)));
                    // Billed in another currency: the USD figure the list ranks by, beside it.
                    let usd = item.with(|i| {
                        i.as_ref().and_then(|i| i.at_stake_usd.filter(|u| i.at_stake.is_some_and(|m| m.currency != u.currency)))
                    });
                    let usd = usd.map(|u| t_string!(i18n, worklist_in_usd, amount = format_money(&u, locale())).to_string());
                    // Ranked by another figure than the one shown: which, so the order reads.
                    let ranked = item.with(|i| i.as_ref().and_then(ranked_as));
                    let ranked = ranked.map(|r| t_string!(i18n, worklist_ranked_as, amount = format_money(&r, locale())).to_string());
                    view! {
                        <span class:amount=money>{text}</span>
                        {usd.map(|u| view! { <span class="sub usd">{u}</span> })}
                        {note.map(|n| view! { <span class="sub">{n}</span> })}
                        {ranked.map(|r| view! { <span class="sub ranked">{r}</span> })}
                    }
                }}
            </td>
            <td class="due" data-label=move || t_string!(i18n, worklist_col_due)>
                {move || format_date(due, locale())}
                <span class="sub">{move || due_text(i18n, due, as_of)}</span>
            </td>
            <td data-label=move || t_string!(i18n, worklist_col_action)>
                <A href=link>{move || action_text(i18n, action)}</A>
                {campaign_link.map(|href| view! {
                    <Show when=move || campaign.get()><span class="sub"><A href=href.clone()>{t!(i18n, worklist_compare)}</A></span></Show>
                })}
            </td>
            <td class="work-state" data-label=move || t_string!(i18n, worklist_filter_state)>
                <span class="state">{move || item.with(|i| i.as_ref().map(|i| state_text(i18n, i)))}</span>
                {move || item.with(|i| i.as_ref().and_then(|i| i.owner.clone())).map(|o| view! {
                    <span class="sub owner">{t!(i18n, worklist_owner_is, owner = o)}</span>
                })}
                {move || item.with(|i| i.as_ref().and_then(|i| i.note.clone())).map(|n| view! {
                    <span class="sub note-text">{n}</span>
                })}
            </td>
            <td class="row-actions worklist-controls" node_ref=controls
                on:keydown=move |e: leptos::ev::KeyboardEvent| if e.key() == "Escape" {
                    if editing.get_untracked() != Editing::Nothing {
                        close()
                    } else if menu_open.get_untracked() {
                        menu_open.set(false);
                        focus_buttons();
                    }
                }>
                <Show when=move || editing.get() == Editing::Nothing>
                    <button type="button" class="secondary worklist-menu-toggle" disabled=disabled title=why_not aria-describedby=described
                        aria-expanded=move || menu_open.get().to_string() aria-controls=move || menu_id.get_value()
                        on:click=move |_| toggle_menu()>{t!(i18n, worklist_actions)}</button>
                    <Show when=move || menu_open.get()>
                        <div class="worklist-menu" id=menu_id.get_value() role="group" aria-label=move || t_string!(i18n, worklist_actions)>
                            <Show when=move || state_of() != WorkState::Snoozed>
                                <button type="button" class="secondary" disabled=disabled
                                    on:click=move |_| { menu_open.set(false); open(Editing::Snooze) }>{t!(i18n, worklist_snooze)}</button>
                            </Show>
                            <Show when=move || state_of() != WorkState::Done>
                                <button type="button" class="secondary" disabled=disabled
                                    on:click=move |_| { menu_open.set(false); mark(WorkState::Done) }>{t!(i18n, worklist_mark_done)}</button>
                            </Show>
                            <Show when=move || state_of() != WorkState::Open>
                                <button type="button" class="secondary" disabled=disabled
                                    on:click=move |_| { menu_open.set(false); mark(WorkState::Open) }>{t!(i18n, worklist_reopen)}</button>
                            </Show>
                            <button type="button" class="secondary" disabled=disabled
                                on:click=move |_| { menu_open.set(false); open(Editing::Owner) }>{t!(i18n, worklist_edit)}</button>
                        </div>
                    </Show>
                </Show>
                <Show when=move || editing.get() == Editing::Snooze>
                    <form class="worklist-form" on:submit=snooze>
                        <label>
                            {t!(i18n, worklist_snooze_until)}
                            <input type="date" node_ref=snooze_input required min=tomorrow.to_string() max=latest.to_string()
                                prop:value=move || snooze_day.get() on:input=move |e| snooze_day.set(event_target_value(&e)) />
                        </label>
                        <button type="submit" disabled=disabled>{t!(i18n, worklist_snooze)}</button>
                        <button type="button" class="secondary" on:click=move |_| close()>{t!(i18n, worklist_cancel)}</button>
                    </form>
                </Show>
                <Show when=move || editing.get() == Editing::Owner>
                    <form class="worklist-form" on:submit=save_owner>
                        <label>
                            {t!(i18n, worklist_filter_owner)}
                            <input type="text" node_ref=owner_input maxlength="200" autocomplete="off"
                                prop:value=move || owner.get() on:input=move |e| owner.set(event_target_value(&e)) />
                        </label>
                        <label>
                            {t!(i18n, worklist_col_note)}
                            <textarea maxlength="2000" rows="2" prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))></textarea>
                        </label>
                        <button type="submit" disabled=disabled>{t!(i18n, worklist_save)}</button>
                        <button type="button" class="secondary" on:click=move |_| close()>{t!(i18n, worklist_cancel)}</button>
                    </form>
                </Show>
                {move || error.get().map(|e| view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> })}
            </td>
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::WorkCause;
    use quote_engine::Currency;
    use rust_decimal::Decimal;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn item(id: &str, reason: WorkReason, customer: &str, due: NaiveDate) -> WorkItem {
        WorkItem {
            id: id.into(),
            reason,
            cause: WorkCause::Underused { utilization30: Decimal::from(12), threshold: Decimal::from(50) },
            customer_id: customer.into(),
            customer_name: format!("{customer} Ltd"),
            reservation_id: Some(format!("r-{id}")),
            reservation_order_id: None,
            reservation_name: Some(format!("vm-{id}")),
            sku: Some("Standard_D4s_v5 · westeurope".into()),
            at_stake: Some(Money::new(Decimal::from(100), Currency::USD)),
            at_stake_usd: Some(Money::new(Decimal::from(100), Currency::USD)),
            stake_note: None,
            rank_usd: None,
            due,
            action: WorkAction::Exchange,
            link: "/customers".into(),
            state: WorkState::Open,
            snoozed_until: None,
            owner: None,
            note: None,
            marked: None,
        }
    }

    fn list() -> Vec<WorkItem> {
        let mut snoozed = item("b", WorkReason::Underused, "c2", day(3));
        snoozed.state = WorkState::Snoozed;
        snoozed.snoozed_until = Some(day(20));
        let mut done = item("c", WorkReason::FinalExchange, "c1", day(1));
        done.state = WorkState::Done;
        done.owner = Some("Robin".into());
        let mut owned = item("d", WorkReason::RefundLimit, "c2", day(2));
        owned.owner = Some("Robin".into());
        owned.note = Some("Call Monday".into());
        vec![item("a", WorkReason::ExchangeRightEnds, "c1", day(9)), snoozed, done, owned]
    }

    fn ids(items: &[WorkItem], filter: &Filter, sort: SortBy) -> Vec<String> {
        let haystacks: Vec<String> = items.iter().map(|i| search_text(i, i.reason.as_str())).collect();
        listed(items, &haystacks, filter, sort).into_iter().map(|i| items[i].id.clone()).collect()
    }

    #[test]
    fn open_rows_at_first_in_the_desks_order_and_every_state_under_all() {
        let items = list();
        assert_eq!(ids(&items, &Filter::default(), SortBy::Stake), ["a", "d"]);
        let all = Filter { state: StateFilter::All, ..Filter::default() };
        assert_eq!(ids(&items, &all, SortBy::Stake), ["a", "b", "c", "d"]);
        assert_eq!(ids(&items, &Filter { state: StateFilter::Snoozed, ..Filter::default() }, SortBy::Stake), ["b"]);
        assert_eq!(ids(&items, &Filter { state: StateFilter::Done, ..Filter::default() }, SortBy::Stake), ["c"]);
        // By due date: the earliest first.
        assert_eq!(ids(&items, &all, SortBy::Due), ["c", "d", "b", "a"]);
    }

    #[test]
    fn the_filters_narrow_by_reason_customer_owner_words_and_the_campaign() {
        let items = list();
        let all = Filter { state: StateFilter::All, ..Filter::default() };
        assert_eq!(ids(&items, &Filter { reason: Some(WorkReason::Underused), ..all.clone() }, SortBy::Stake), ["b"]);
        assert_eq!(ids(&items, &Filter { customer: Some("c1".into()), ..all.clone() }, SortBy::Stake), ["a", "c"]);
        assert_eq!(ids(&items, &Filter { owner: OwnerFilter::Named("Robin".into()), ..all.clone() }, SortBy::Stake), ["c", "d"]);
        assert_eq!(ids(&items, &Filter { owner: OwnerFilter::Nobody, ..all.clone() }, SortBy::Stake), ["a", "b"]);
        // Every word, any case, in the customer, reservation, SKU, reason, owner or note.
        assert_eq!(ids(&items, &Filter { text: "  C2 monday ".into(), ..all.clone() }, SortBy::Stake), ["d"]);
        assert_eq!(ids(&items, &Filter { text: "vm-a westeurope".into(), ..all.clone() }, SortBy::Stake), ["a"]);
        assert!(ids(&items, &Filter { text: "nowhere".into(), ..all.clone() }, SortBy::Stake).is_empty());
        assert_eq!(ids(&items, &Filter { campaign: true, ..all }, SortBy::Stake), ["a", "c"]);
    }

    fn usd(amount: i64) -> Option<Money> {
        Some(Money::new(Decimal::from(amount), Currency::USD))
    }

    #[test]
    fn the_desks_weighted_order_is_said_on_a_row_it_changes_and_a_sort_shows_the_figures_alone() {
        // As the review found them: $304,586 first, then $112,980 ranked above $115,842 because
        // it was used less.
        let mut items = list();
        for i in &mut items {
            i.state = WorkState::Open;
        }
        let figures = [(304_586, 304_586), (112_980, 225_960), (115_842, 115_842), (1, 1)];
        for (item, (shown, rank)) in items.iter_mut().zip(figures) {
            (item.at_stake_usd, item.rank_usd) = (usd(shown), usd(rank));
        }
        items[3].at_stake_usd = None;
        items[3].rank_usd = None;
        assert_eq!(ranked_as(&items[1]), usd(225_960), "weighted: the row says by what");
        assert_eq!(ranked_as(&items[0]), None, "ranked as shown: nothing to say");
        assert_eq!(ranked_as(&items[3]), None);
        let all = Filter { state: StateFilter::All, ..Filter::default() };
        assert_eq!(ids(&items, &all, SortBy::Stake), ["a", "b", "c", "d"], "the desk's order as it came");
        assert_eq!(ids(&items, &all, SortBy::Shown), ["a", "c", "b", "d"], "as shown: most first, no USD figure last");
        assert_eq!(SortBy::ALL.map(SortBy::slug), ["stake", "shown", "due"]);
    }

    #[test]
    fn a_rows_region_is_named_as_every_other_page_names_it_and_found_by_either() {
        assert_eq!(sku_text("Standard_D4s_v5 · westeurope"), "Standard_D4s_v5 · West Europe");
        assert_eq!(sku_text("Standard_E8s_v5 · swedencentral"), "Standard_E8s_v5 · Sweden Central");
        // A region newer than the list, or no region: as given.
        assert_eq!(sku_text("P30 · marsnorth"), "P30 · marsnorth");
        assert_eq!(sku_text("P30"), "P30");
        let items = list();
        let all = Filter { state: StateFilter::All, ..Filter::default() };
        assert_eq!(ids(&items, &Filter { text: "vm-a west europe".into(), ..all.clone() }, SortBy::Stake), ["a"]);
        assert_eq!(ids(&items, &Filter { text: "vm-a westeurope".into(), ..all }, SortBy::Stake), ["a"]);
    }

    #[test]
    fn the_campaigns_rows_are_counted_by_reason() {
        let mut items = list();
        items.push(item("e", WorkReason::ExchangeRightEnds, "c3", day(9)));
        let campaign: Vec<usize> = (0..items.len()).filter(|&i| items[i].reason.is_campaign()).collect();
        assert_eq!(reason_counts(&items, &campaign), [(WorkReason::ExchangeRightEnds, 2), (WorkReason::FinalExchange, 1)]);
        assert!(reason_counts(&items, &[]).is_empty());
    }

    #[test]
    fn an_owner_filter_reads_back_its_own_value_whatever_the_name() {
        for filter in [OwnerFilter::Anyone, OwnerFilter::Nobody, OwnerFilter::Named("-".into()), OwnerFilter::Named("=x".into()), OwnerFilter::Named(String::new())] {
            assert_eq!(OwnerFilter::parse(&filter.value()), filter);
        }
    }

    #[test]
    fn a_state_keeps_the_owner_and_note_and_an_owner_keeps_the_state_and_its_snooze() {
        let items = list();
        let owned = &items[3];
        let done = state_patch(owned, WorkState::Done, None);
        assert_eq!((done.state, done.owner.as_deref(), done.note.as_deref()), (WorkState::Done, Some("Robin"), Some("Call Monday")));
        let snoozed = &items[1];
        let patch = owner_patch(snoozed, "  Sam ", "   ");
        assert_eq!(patch, WorkItemPatch { state: WorkState::Snoozed, snoozed_until: Some(day(20)), owner: Some("Sam".into()), note: None });
        // An open row sends no day, which the desk refuses on any state but snoozed.
        assert_eq!(owner_patch(&items[0], "", "x").snoozed_until, None);
    }
}
