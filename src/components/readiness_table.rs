//! Every tenant's readiness for Azure mode as one table: the count of tenants in each state, a
//! filter by state and by why a read failed, a search box, sortable columns, and for each tenant
//! that is not ready what fixes it in plain words with Microsoft's guide where it has one. The
//! state, the class and the remedy come decided from the backend (`desk_service::readiness`);
//! this only shows, filters and sorts them. Beside the GDAP relationship, what Microsoft Graph
//! last told of the desk's reads of the customer's directory (Access control's people picker and
//! names) singles out the tenants where Graph is not consented. A thousand tenants stay usable: the rows are shown
//! a page at a time.

use contract::source::{CustomerReadiness, DirectoryState, FailureClass, ReadinessState, ReadinessWarning, Remedy};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use crate::format::{format_count, format_date, format_time};
use crate::i18n::*;
use crate::paths;

/// Rows rendered at first, and added by each "Show more".
pub const PAGE: usize = 100;

/// The states in the order the counts and the filter list them.
pub const STATES: [ReadinessState; 4] = [ReadinessState::NotRead, ReadinessState::ReadNotQuotable, ReadinessState::NeverTried, ReadinessState::Ready];

/// The classes in the order the filter lists them.
pub const CLASSES: [FailureClass; 8] = [
    FailureClass::ConsentMissing,
    FailureClass::NoAzureRole,
    FailureClass::ReadOnlyAccess,
    FailureClass::GdapRelationshipEnded,
    FailureClass::NoGdapRelationshipReachingAzure,
    FailureClass::Throttled,
    FailureClass::AzureUnreachable,
    FailureClass::Other,
];

/// What a tenant's GDAP relationship (the one the backend shows) says, for the column, its
/// filter and its sort: what needs doing first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GdapState {
    /// It reaches Azure and ends within 30 days without extending itself (the backend's warning).
    EndsSoon,
    /// It expired or was terminated.
    Ended,
    /// It is active, but none of its roles reaches Azure.
    NoAzureRoles,
    /// Not active yet (approval pending, activating, …).
    NotActive,
    /// Active, reaching Azure, ending later without extending itself.
    Ends,
    /// Active, extending itself.
    AutoExtends,
    /// None read for the tenant.
    Unknown,
}

/// The GDAP states in the order the filter and the sort list them.
pub const GDAP_STATES: [GdapState; 7] =
    [GdapState::EndsSoon, GdapState::Ended, GdapState::NoAzureRoles, GdapState::NotActive, GdapState::Ends, GdapState::AutoExtends, GdapState::Unknown];

/// The state of `row`'s GDAP relationship.
pub fn gdap_state(row: &CustomerReadiness) -> GdapState {
    let Some(g) = &row.gdap else { return GdapState::Unknown };
    let status = |s: &str| g.status.eq_ignore_ascii_case(s);
    if row.warning == Some(ReadinessWarning::GdapEndsSoon) {
        GdapState::EndsSoon
    } else if status("expired") || status("terminated") {
        GdapState::Ended
    } else if !status("active") {
        GdapState::NotActive
    } else if !g.reaches_azure {
        GdapState::NoAzureRoles
    } else if g.auto_extends {
        GdapState::AutoExtends
    } else {
        GdapState::Ends
    }
}

/// A GDAP state's value in the filter.
fn gdap_value(state: GdapState) -> &'static str {
    match state {
        GdapState::EndsSoon => "endsSoon",
        GdapState::Ended => "ended",
        GdapState::NoAzureRoles => "noAzureRoles",
        GdapState::NotActive => "notActive",
        GdapState::Ends => "ends",
        GdapState::AutoExtends => "autoExtends",
        GdapState::Unknown => "unknown",
    }
}

/// A GDAP state in the user's language.
pub fn gdap_text(i18n: I18nContext<Locale>, state: GdapState) -> String {
    match state {
        GdapState::EndsSoon => t_string!(i18n, readiness_gdap_ends_soon),
        GdapState::Ended => t_string!(i18n, readiness_gdap_ended),
        GdapState::NoAzureRoles => t_string!(i18n, readiness_gdap_no_azure_roles),
        GdapState::NotActive => t_string!(i18n, readiness_gdap_not_active),
        GdapState::Ends => t_string!(i18n, readiness_gdap_ends),
        GdapState::AutoExtends => t_string!(i18n, readiness_gdap_auto_extends),
        GdapState::Unknown => t_string!(i18n, readiness_gdap_unknown),
    }
    .to_string()
}

/// What the directory column says of a tenant: the backend's `directory` (what Microsoft Graph
/// last told of the desk's directory reads there), or `Unknown` where Graph was never asked and
/// the desk made no consent there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectoryShown {
    /// Entra ID refused Graph's token: the consent predates Graph's grant; renewing it fixes that.
    NotConsented,
    /// Graph refused the read (403): no directory permission, or no Directory Readers role.
    NotAllowed,
    /// The desk made the consent with Graph's grant; Graph was not asked since.
    Granted,
    /// Graph answered a directory read.
    Answered,
    /// Nothing known.
    Unknown,
}

/// The directory states in the order the filter and the sort list them: what needs doing first.
pub const DIRECTORY_STATES: [DirectoryShown; 5] =
    [DirectoryShown::NotConsented, DirectoryShown::NotAllowed, DirectoryShown::Granted, DirectoryShown::Answered, DirectoryShown::Unknown];

/// What the directory column says of `row`.
pub fn directory_shown(row: &CustomerReadiness) -> DirectoryShown {
    match row.directory.as_ref().map(|d| d.state) {
        Some(DirectoryState::NotConsented) => DirectoryShown::NotConsented,
        Some(DirectoryState::NotAllowed) => DirectoryShown::NotAllowed,
        Some(DirectoryState::Granted) => DirectoryShown::Granted,
        Some(DirectoryState::Answered) => DirectoryShown::Answered,
        None => DirectoryShown::Unknown,
    }
}

/// A directory state's value in the filter (the contract's name; `unknown` for none).
pub fn directory_value(state: DirectoryShown) -> &'static str {
    match state {
        DirectoryShown::NotConsented => "notConsented",
        DirectoryShown::NotAllowed => "notAllowed",
        DirectoryShown::Granted => "granted",
        DirectoryShown::Answered => "answered",
        DirectoryShown::Unknown => "unknown",
    }
}

/// The badge colour of a directory state: what stops the people picker warns (amber, as the
/// GDAP column's warnings), a consent not yet tried is neutral, names found are fine.
pub fn directory_badge(state: DirectoryShown) -> &'static str {
    match state {
        DirectoryShown::NotConsented | DirectoryShown::NotAllowed => "pending",
        DirectoryShown::Granted => "neutral",
        DirectoryShown::Answered => "ok",
        DirectoryShown::Unknown => "muted",
    }
}

/// A directory state in the user's language (the badge and the filter).
pub fn directory_text(i18n: I18nContext<Locale>, state: DirectoryShown) -> String {
    match state {
        DirectoryShown::NotConsented => t_string!(i18n, readiness_directory_not_consented),
        DirectoryShown::NotAllowed => t_string!(i18n, readiness_directory_not_allowed),
        DirectoryShown::Granted => t_string!(i18n, readiness_directory_granted),
        DirectoryShown::Answered => t_string!(i18n, readiness_directory_answered),
        DirectoryShown::Unknown => t_string!(i18n, readiness_directory_unknown),
    }
    .to_string()
}

/// What fixes a directory state, in plain words; none where nothing needs doing.
pub fn directory_advice(i18n: I18nContext<Locale>, state: DirectoryShown) -> Option<String> {
    match state {
        DirectoryShown::NotConsented => Some(t_string!(i18n, readiness_directory_renew).to_string()),
        DirectoryShown::NotAllowed => Some(t_string!(i18n, readiness_directory_directory_readers).to_string()),
        DirectoryShown::Granted | DirectoryShown::Answered | DirectoryShown::Unknown => None,
    }
}

/// Graph's (or Entra ID's) refusal as a line a user reads: its code, its message, its HTTP status.
pub fn directory_refusal(row: &CustomerReadiness) -> Option<String> {
    let error = row.directory.as_ref()?.error.as_ref()?;
    let said = if error.message.is_empty() { error.code.clone() } else { format!("{}: {}", error.code, error.message) };
    Some(match error.status {
        Some(status) => format!("{said} (HTTP {status})"),
        None => said,
    })
}

/// The column the table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadinessSort {
    /// Company name.
    Name,
    /// State, the ones needing something first.
    State,
    /// Why the read failed (its class), then Azure's code.
    Why,
    /// Reservations held.
    Reservations,
    /// When last read whole.
    ReadAt,
    /// The GDAP relationship: what needs doing first, then the soonest end.
    Gdap,
    /// The directory (Microsoft Graph): what needs doing first, then the oldest answer.
    Directory,
}

/// What the table shows: the state and class chosen (none: all), the search text, the sort.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadinessView {
    /// Only tenants in this state.
    pub state: Option<ReadinessState>,
    /// Only tenants whose read failed for this class.
    pub class: Option<FailureClass>,
    /// Only tenants whose GDAP relationship is in this state.
    pub gdap: Option<GdapState>,
    /// Only tenants whose directory (Microsoft Graph) is in this state.
    pub directory: Option<DirectoryShown>,
    /// Case-insensitive part of the name, domain, customer or tenant ID, or Azure's code.
    pub search: String,
    /// The column, and whether descending.
    pub sort: (ReadinessSort, bool),
}

impl Default for ReadinessView {
    fn default() -> Self {
        Self { state: None, class: None, gdap: None, directory: None, search: String::new(), sort: (ReadinessSort::State, false) }
    }
}

/// `text` in lower case (JavaScript's mapping in the browser, the same as Rust's).
fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::JsString::from(text).to_lower_case().into();
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
}

/// The rank of a state in the default sort: what needs doing first.
fn state_rank(state: ReadinessState) -> usize {
    STATES.iter().position(|s| *s == state).unwrap_or(STATES.len())
}

/// The indexes of `rows` that `view` shows, in its order.
pub fn visible_rows(rows: &[CustomerReadiness], view: &ReadinessView) -> Vec<usize> {
    let needle = lowercase(view.search.trim());
    let matches = |r: &CustomerReadiness| {
        needle.is_empty()
            || [Some(&r.name), Some(&r.domain), Some(&r.customer_id), r.tenant_id.as_ref(), r.code.as_ref()]
                .into_iter()
                .flatten()
                .any(|text| lowercase(text).contains(&needle))
    };
    let mut shown: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            view.state.is_none_or(|s| r.state == s) && view.class.is_none_or(|c| r.failure == Some(c)) && view.gdap.is_none_or(|g| gdap_state(r) == g)
                && view.directory.is_none_or(|d| directory_shown(r) == d)
                && matches(r)
        })
        .map(|(i, _)| i)
        .collect();
    let name = |i: usize| lowercase(&rows[i].name);
    let (column, descending) = view.sort;
    shown.sort_by_cached_key(|&i| {
        let r = &rows[i];
        let key = match column {
            ReadinessSort::Name => (0, String::new()),
            ReadinessSort::State => (state_rank(r.state), String::new()),
            ReadinessSort::Why => (r.failure.map_or(CLASSES.len(), |c| CLASSES.iter().position(|k| *k == c).unwrap_or(0)), r.code.clone().unwrap_or_default()),
            ReadinessSort::Reservations => (r.reservations as usize, String::new()),
            // RFC 3339 in UTC sorts as text; never read sorts first.
            ReadinessSort::ReadAt => (usize::from(r.read_at.is_some()), r.read_at.clone().unwrap_or_default()),
            ReadinessSort::Gdap => {
                let state = gdap_state(r);
                let end = r.gdap.as_ref().and_then(|g| g.end_date).map(|d| d.to_string()).unwrap_or_default();
                (GDAP_STATES.iter().position(|s| *s == state).unwrap_or(GDAP_STATES.len()), end)
            }
            ReadinessSort::Directory => {
                let state = directory_shown(r);
                let at = r.directory.as_ref().map(|d| d.at.clone()).unwrap_or_default();
                (DIRECTORY_STATES.iter().position(|s| *s == state).unwrap_or(DIRECTORY_STATES.len()), at)
            }
        };
        (key, name(i))
    });
    if descending {
        shown.reverse();
    }
    shown
}

/// How many of `rows` are in each of [`STATES`].
pub fn state_counts(rows: &[CustomerReadiness]) -> [usize; 4] {
    let mut counts = [0; 4];
    for r in rows {
        counts[state_rank(r.state)] += 1;
    }
    counts
}

/// A state in the user's language.
pub fn state_text(i18n: I18nContext<Locale>, state: ReadinessState) -> String {
    match state {
        ReadinessState::Ready => t_string!(i18n, readiness_state_ready),
        ReadinessState::ReadNotQuotable => t_string!(i18n, readiness_state_read_not_quotable),
        ReadinessState::NotRead => t_string!(i18n, readiness_state_not_read),
        ReadinessState::NeverTried => t_string!(i18n, readiness_state_never_tried),
    }
    .to_string()
}

/// A failure class in the user's language.
pub fn class_text(i18n: I18nContext<Locale>, class: FailureClass) -> String {
    match class {
        FailureClass::ConsentMissing => t_string!(i18n, readiness_class_consent_missing),
        FailureClass::NoAzureRole => t_string!(i18n, readiness_class_no_azure_role),
        FailureClass::Throttled => t_string!(i18n, readiness_class_throttled),
        FailureClass::AzureUnreachable => t_string!(i18n, readiness_class_azure_unreachable),
        FailureClass::Other => t_string!(i18n, readiness_class_other),
        FailureClass::ReadOnlyAccess => t_string!(i18n, readiness_class_read_only),
        FailureClass::GdapRelationshipEnded => t_string!(i18n, readiness_class_gdap_ended),
        FailureClass::NoGdapRelationshipReachingAzure => t_string!(i18n, readiness_class_no_gdap_reaching_azure),
    }
    .to_string()
}

/// What fixes a tenant, in plain words (Azure's own message where only it can say).
pub fn remedy_text(i18n: I18nContext<Locale>, row: &CustomerReadiness) -> Option<String> {
    let message = row.message.clone().unwrap_or_default();
    let Some(remedy) = row.remedy else {
        // A tenant that can be read may still have something to do soon.
        return row.warning.map(|w| match w {
            ReadinessWarning::GdapEndsSoon => t_string!(i18n, readiness_warning_gdap_ends_soon).to_string(),
            ReadinessWarning::NoActiveGdapRelationship => t_string!(i18n, readiness_warning_no_active_gdap).to_string(),
        });
    };
    Some(
        match remedy {
            Remedy::ConsentApp => t_string!(i18n, readiness_remedy_consent_app).to_string(),
            Remedy::GrantAdminAgentRole => t_string!(i18n, readiness_remedy_grant_admin_agent).to_string(),
            Remedy::ReadAgainLater if row.failure == Some(FailureClass::Throttled) => t_string!(i18n, readiness_remedy_throttled).to_string(),
            Remedy::ReadAgainLater => t_string!(i18n, readiness_remedy_unreachable).to_string(),
            Remedy::SeeAzureMessage => t_string!(i18n, readiness_remedy_azure_message, message = message).to_string(),
            Remedy::ReviewReservations => t_string!(i18n, readiness_remedy_review).to_string(),
            Remedy::ReadNow => t_string!(i18n, readiness_remedy_read_now).to_string(),
            Remedy::ActAsAdminAgent => t_string!(i18n, readiness_remedy_act_as_admin_agent).to_string(),
            Remedy::RenewGdapRelationship => t_string!(i18n, readiness_remedy_renew_gdap).to_string(),
        },
    )
}

/// Why a tenant is in its state: the class of a failed read with Azure's code; for a tenant
/// read whole, whether it has reservations at all.
fn why_text(i18n: I18nContext<Locale>, row: &CustomerReadiness) -> String {
    match (row.state, row.failure) {
        (ReadinessState::NotRead, Some(class)) => class_text(i18n, class),
        (ReadinessState::ReadNotQuotable, Some(class)) => class_text(i18n, class),
        (ReadinessState::ReadNotQuotable, _) => t_string!(i18n, readiness_why_not_quotable).to_string(),
        (ReadinessState::Ready, _) if row.reservations == 0 => t_string!(i18n, readiness_why_no_reservations).to_string(),
        (ReadinessState::Ready, _) => t_string!(i18n, readiness_why_all_quotable).to_string(),
        _ => t_string!(i18n, source_never_read).to_string(),
    }
}

/// A column header that sorts by `by` when pressed, again to reverse; it says its sort to
/// screen readers.
#[component]
fn SortHeader(view: RwSignal<ReadinessView>, by: ReadinessSort, #[prop(optional)] numeric: bool, children: Children) -> impl IntoView {
    let state = move || match view.with(|v| v.sort) {
        (k, false) if k == by => "ascending",
        (k, true) if k == by => "descending",
        _ => "none",
    };
    view! {
        <th scope="col" class:num=numeric aria-sort=state>
            <button type="button" class="sort"
                on:click=move |_| view.update(|v| v.sort = if v.sort.0 == by { (by, !v.sort.1) } else { (by, false) })>
                {children()}
                <span aria-hidden="true" class="sort-mark">{move || match state() { "ascending" => "▴", "descending" => "▾", _ => "" }}</span>
            </button>
        </th>
    }
}

/// The readiness table over `rows` (sorted by name as the backend sends them).
#[component]
pub fn ReadinessTable(rows: Vec<CustomerReadiness>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let counts = state_counts(&rows);
    let class_counts: Vec<usize> = CLASSES.iter().map(|c| rows.iter().filter(|r| r.failure == Some(*c)).count()).collect();
    let rows = StoredValue::new(rows);
    let view = RwSignal::new(ReadinessView::default());
    let visible = Memo::new(move |_| view.with(|v| rows.with_value(|r| visible_rows(r, v))));
    let shown = RwSignal::new(PAGE);
    // A new filter, search or sort starts at the first page again.
    Effect::new(move |_| {
        view.track();
        shown.set(PAGE);
    });
    let total = move || visible.with(Vec::len);

    let row_view = move |i: usize| {
        let r = rows.with_value(|rows| rows[i].clone());
        let state = r.state;
        let remedy = StoredValue::new(r.clone());
        let link = r.remedy_link.clone();
        let detail = match (&r.code, &r.message) {
            (Some(code), Some(message)) if r.remedy != Some(Remedy::SeeAzureMessage) => Some(format!("{code}: {message}")),
            (Some(code), _) => Some(code.clone()),
            _ => None,
        };
        let status = r.status.map(|s| format!("HTTP {s}"));
        let read_at = r.read_at.clone();
        let gdap = gdap_state(&r);
        let gdap_end = r.gdap.as_ref().and_then(|g| g.end_date);
        let gdap_name = r.gdap.as_ref().map(|g| g.name.clone());
        let gdap_error = r.gdap_error.as_ref().map(|e| e.code.clone());
        let directory = directory_shown(&r);
        let directory_at = r.directory.as_ref().map(|d| d.at.clone());
        let directory_refused = directory_refusal(&r);
        view! {
            <tr>
                <th scope="row">
                    <A href=paths::customer(&r.customer_id)>{r.name.clone()}</A>
                    <span class="sub">{r.domain.clone()}</span>
                </th>
                <td data-label=move || t_string!(i18n, readiness_column_state)>
                    <span class=format!("badge {}", state_badge(state))>{move || state_text(i18n, state)}</span>
                </td>
                <td class="wide" data-label=move || t_string!(i18n, readiness_column_why)>
                    {move || remedy.with_value(|r| why_text(i18n, r))}
                    {detail.map(|d| view! { <span class="sub readiness-azure">{d}{status.map(|s| format!(" ({s})"))}</span> })}
                </td>
                <td class="wide" data-label=move || t_string!(i18n, readiness_column_remedy)>
                    {move || remedy.with_value(|r| remedy_text(i18n, r)).unwrap_or_default()}
                    {link.map(|href| view! {
                        " "
                        <a href=href target="_blank" rel="noopener noreferrer">{t!(i18n, readiness_remedy_doc)}</a>
                    })}
                </td>
                <td class="num" data-label=move || t_string!(i18n, column_reservations)>{r.reservations}</td>
                <td class="num" data-label=move || t_string!(i18n, readiness_column_unread)>{r.unread}</td>
                <td class="num" data-label=move || t_string!(i18n, readiness_column_unpriced)>{r.unpriced}</td>
                <td data-label=move || t_string!(i18n, readiness_column_read_at)>
                    {move || read_at.as_deref().map_or_else(|| t_string!(i18n, readiness_never_read_at).to_string(), |at| format_time(at, locale()))}
                </td>
                <td class="wide" data-label=move || t_string!(i18n, readiness_column_gdap)>
                    <span class=format!("badge {}", gdap_badge(gdap))>{move || gdap_text(i18n, gdap)}</span>
                    {gdap_end.map(|d| view! { " " <span>{move || format_date(d, locale())}</span> })}
                    {gdap_name.map(|n| view! { <span class="sub">{n}</span> })}
                    {gdap_error.map(|code| view! { <span class="sub readiness-azure">{move || t_string!(i18n, readiness_gdap_unread, code = code.clone()).to_string()}</span> })}
                </td>
                <td class="wide readiness-directory" data-label=move || t_string!(i18n, readiness_column_directory)>
                    <span class=format!("badge {}", directory_badge(directory))>{move || directory_text(i18n, directory)}</span>
                    {directory_at.map(|at| view! { " " <span>{move || day_of(&at, locale())}</span> })}
                    {move || directory_advice(i18n, directory).map(|a| view! { <span class="readiness-advice">{a}</span> })}
                    {directory_refused.map(|d| view! { <span class="sub readiness-azure">{d}</span> })}
                </td>
            </tr>
        }
    };

    let set_state = move |value: String| {
        view.update(|v| v.state = STATES.iter().copied().find(|s| state_class(*s) == value));
    };
    let set_class = move |value: String| {
        view.update(|v| v.class = CLASSES.iter().copied().find(|c| class_value(*c) == value));
    };
    let gdap_counts: Vec<usize> = GDAP_STATES.iter().map(|g| rows.with_value(|rows| rows.iter().filter(|r| gdap_state(r) == *g).count())).collect();
    let set_gdap = move |value: String| {
        view.update(|v| v.gdap = GDAP_STATES.iter().copied().find(|g| gdap_value(*g) == value));
    };
    let directory_counts: Vec<usize> =
        DIRECTORY_STATES.iter().map(|d| rows.with_value(|rows| rows.iter().filter(|r| directory_shown(r) == *d).count())).collect();
    let set_directory = move |value: String| {
        view.update(|v| v.directory = DIRECTORY_STATES.iter().copied().find(|d| directory_value(*d) == value));
    };

    view! {
        <ul class="readiness-counts" aria-label=move || t_string!(i18n, readiness_counts)>
            {STATES.iter().zip(counts).map(|(state, count)| {
                let state = *state;
                view! {
                    <li>
                        <button type="button" class=format!("readiness-count {}", state_badge(state))
                            aria-pressed=move || (view.with(|v| v.state) == Some(state)).to_string()
                            on:click=move |_| view.update(|v| v.state = if v.state == Some(state) { None } else { Some(state) })>
                            <span class="readiness-count-number">{move || format_count(count as i64, locale())}</span>
                            " "
                            <span>{move || state_text(i18n, state)}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="toolbar readiness-toolbar">
            <label>
                {t!(i18n, readiness_column_state)} " "
                <select on:change=move |e| set_state(event_target_value(&e))
                    prop:value=move || view.with(|v| v.state.map(state_class).unwrap_or_default())>
                    <option value="">{t!(i18n, readiness_all)}</option>
                    {STATES.iter().zip(counts).map(|(s, n)| {
                        let s = *s;
                        view! { <option value=state_class(s)>{move || format!("{} ({})", state_text(i18n, s), format_count(n as i64, locale()))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, readiness_column_why)} " "
                <select on:change=move |e| set_class(event_target_value(&e))
                    prop:value=move || view.with(|v| v.class.map(class_value).unwrap_or_default())>
                    <option value="">{t!(i18n, readiness_all)}</option>
                    {CLASSES.iter().zip(class_counts).map(|(c, n)| {
                        let c = *c;
                        view! { <option value=class_value(c)>{move || format!("{} ({})", class_text(i18n, c), format_count(n as i64, locale()))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, readiness_column_gdap)} " "
                <select on:change=move |e| set_gdap(event_target_value(&e))
                    prop:value=move || view.with(|v| v.gdap.map(gdap_value).unwrap_or_default())>
                    <option value="">{t!(i18n, readiness_all)}</option>
                    {GDAP_STATES.iter().zip(gdap_counts).map(|(g, n)| {
                        let g = *g;
                        view! { <option value=gdap_value(g)>{move || format!("{} ({})", gdap_text(i18n, g), format_count(n as i64, locale()))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, readiness_column_directory)} " "
                <select on:change=move |e| set_directory(event_target_value(&e))
                    prop:value=move || view.with(|v| v.directory.map(directory_value).unwrap_or_default())>
                    <option value="">{t!(i18n, readiness_all)}</option>
                    {DIRECTORY_STATES.iter().zip(directory_counts).map(|(d, n)| {
                        let d = *d;
                        view! { <option value=directory_value(d)>{move || format!("{} ({})", directory_text(i18n, d), format_count(n as i64, locale()))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="search">
                <span class="visually-hidden">{t!(i18n, readiness_search)}</span>
                <input type="search"
                    placeholder=move || t_string!(i18n, readiness_search)
                    prop:value=move || view.with(|v| v.search.clone())
                    on:input=move |e| view.update(|v| v.search = event_target_value(&e)) />
            </label>
        </div>
        <p class="sub readiness-shown" role="status">
            {move || t_string!(i18n, readiness_shown, shown = format_count(shown.get().min(total()) as i64, locale()), total = format_count(total() as i64, locale())).to_string()}
        </p>
        <Show when=move || total() != 0 fallback=move || view! { <p class="empty">{t!(i18n, readiness_no_match)}</p> }>
            <div class="table-scroll">
                <table class="data-table readiness-table">
                    <caption class="visually-hidden">{t!(i18n, readiness_title)}</caption>
                    <thead><tr>
                        <SortHeader view by=ReadinessSort::Name>{t!(i18n, readiness_column_customer)}</SortHeader>
                        <SortHeader view by=ReadinessSort::State>{t!(i18n, readiness_column_state)}</SortHeader>
                        <SortHeader view by=ReadinessSort::Why>{t!(i18n, readiness_column_why)}</SortHeader>
                        <th scope="col">{t!(i18n, readiness_column_remedy)}</th>
                        <SortHeader view by=ReadinessSort::Reservations numeric=true>{t!(i18n, column_reservations)}</SortHeader>
                        <th scope="col" class="num">{t!(i18n, readiness_column_unread)}</th>
                        <th scope="col" class="num">{t!(i18n, readiness_column_unpriced)}</th>
                        <SortHeader view by=ReadinessSort::ReadAt>{t!(i18n, readiness_column_read_at)}</SortHeader>
                        <SortHeader view by=ReadinessSort::Gdap>{t!(i18n, readiness_column_gdap)}</SortHeader>
                        <SortHeader view by=ReadinessSort::Directory>{t!(i18n, readiness_column_directory)}</SortHeader>
                    </tr></thead>
                    <tbody>
                        {move || visible.with(|v| v.iter().take(shown.get()).copied().collect::<Vec<_>>()).into_iter().map(row_view).collect_view()}
                    </tbody>
                </table>
            </div>
            <Show when=move || shown.get() < total()>
                <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || t_string!(i18n, show_more, count = format_count(PAGE.min(total().saturating_sub(shown.get())) as i64, locale())).to_string()}
                </button>
            </Show>
        </Show>
    }
}

/// A state's name in the filter and the class names (`ready`, `readNotQuotable`, …: the
/// contract's).
pub fn state_class(state: ReadinessState) -> &'static str {
    match state {
        ReadinessState::Ready => "ready",
        ReadinessState::ReadNotQuotable => "readNotQuotable",
        ReadinessState::NotRead => "notRead",
        ReadinessState::NeverTried => "neverTried",
    }
}

/// The badge colour of a state: ready is fine, not read needs doing, the rest wait.
fn state_badge(state: ReadinessState) -> &'static str {
    match state {
        ReadinessState::Ready => "ok",
        ReadinessState::ReadNotQuotable => "pending",
        ReadinessState::NotRead => "danger",
        ReadinessState::NeverTried => "muted",
    }
}

/// The badge colour of a GDAP state: what needs doing soon, what stops Azure, what is fine.
fn gdap_badge(state: GdapState) -> &'static str {
    match state {
        GdapState::EndsSoon | GdapState::NotActive => "pending",
        GdapState::Ended | GdapState::NoAzureRoles => "danger",
        GdapState::Ends | GdapState::AutoExtends => "ok",
        GdapState::Unknown => "muted",
    }
}

/// The day of an RFC 3339 moment in the locale's style (the directory column's date); a text that
/// is no such moment as the time formatter shows it.
fn day_of(at: &str, locale: Locale) -> String {
    match at.get(..10).and_then(|day| day.parse::<chrono::NaiveDate>().ok()) {
        Some(day) => format_date(day, locale),
        None => format_time(at, locale),
    }
}

/// A class's value in the filter (the contract's name).
pub fn class_value(class: FailureClass) -> &'static str {
    match class {
        FailureClass::ConsentMissing => "consentMissing",
        FailureClass::NoAzureRole => "noAzureRole",
        FailureClass::Throttled => "throttled",
        FailureClass::AzureUnreachable => "azureUnreachable",
        FailureClass::Other => "other",
        FailureClass::ReadOnlyAccess => "readOnlyAccess",
        FailureClass::GdapRelationshipEnded => "gdapRelationshipEnded",
        FailureClass::NoGdapRelationshipReachingAzure => "noGdapRelationshipReachingAzure",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, state: ReadinessState, failure: Option<FailureClass>, reservations: u32, read_at: Option<&str>) -> CustomerReadiness {
        CustomerReadiness {
            customer_id: name.to_lowercase(),
            name: name.into(),
            domain: format!("{}.example", name.to_lowercase()),
            tenant_id: Some(format!("tenant-{}", name.to_lowercase())),
            state,
            failure,
            remedy: None,
            remedy_link: None,
            code: failure.map(|_| "AuthorizationFailed".to_owned()),
            message: None,
            status: None,
            reservations,
            unread: 0,
            unpriced: 0,
            read_at: read_at.map(str::to_owned),
            failed_at: None,
            gdap: None,
            gdap_error: None,
            warning: None,
            directory: None,
            needs_consent: false,
        }
    }

    fn rows() -> Vec<CustomerReadiness> {
        vec![
            row("Contoso", ReadinessState::Ready, None, 5, Some("2026-11-26T09:00:00Z")),
            row("Adatum", ReadinessState::NotRead, Some(FailureClass::NoAzureRole), 0, None),
            row("Fabrikam", ReadinessState::ReadNotQuotable, None, 2, Some("2026-11-26T08:00:00Z")),
            row("Bellows", ReadinessState::NotRead, Some(FailureClass::ConsentMissing), 1, Some("2026-11-25T08:00:00Z")),
        ]
    }

    fn names(rows: &[CustomerReadiness], view: &ReadinessView) -> Vec<String> {
        visible_rows(rows, view).into_iter().map(|i| rows[i].name.clone()).collect()
    }

    #[test]
    fn the_default_order_puts_what_needs_doing_first_then_names() {
        assert_eq!(names(&rows(), &ReadinessView::default()), ["Adatum", "Bellows", "Fabrikam", "Contoso"]);
        assert_eq!(state_counts(&rows()), [2, 1, 0, 1], "not read, read not quotable, never tried, ready");
    }

    #[test]
    fn filters_search_and_sorts_combine() {
        let all = rows();
        let by = |state, class, search: &str, sort| ReadinessView { state, class, gdap: None, directory: None, search: search.into(), sort };
        assert_eq!(names(&all, &by(Some(ReadinessState::NotRead), None, "", (ReadinessSort::Name, false))), ["Adatum", "Bellows"]);
        assert_eq!(names(&all, &by(None, Some(FailureClass::ConsentMissing), "", (ReadinessSort::Name, false))), ["Bellows"]);
        assert_eq!(names(&all, &by(None, None, "TENANT-FAB", (ReadinessSort::Name, false))), ["Fabrikam"], "the tenant ID, any case");
        assert_eq!(names(&all, &by(None, None, "authorizationfailed", (ReadinessSort::Name, true))), ["Bellows", "Adatum"], "Azure's code");
        assert_eq!(names(&all, &by(None, None, "", (ReadinessSort::Reservations, true))), ["Contoso", "Fabrikam", "Bellows", "Adatum"]);
        assert_eq!(names(&all, &by(None, None, "", (ReadinessSort::ReadAt, false))), ["Adatum", "Bellows", "Fabrikam", "Contoso"], "never read first");
        assert_eq!(names(&all, &by(None, None, "", (ReadinessSort::Why, false))), ["Bellows", "Adatum", "Contoso", "Fabrikam"], "by class, the ready last");
        assert!(names(&all, &by(Some(ReadinessState::Ready), Some(FailureClass::Other), "", (ReadinessSort::Name, false))).is_empty());
    }

    fn directory(state: DirectoryState, at: &str, code: Option<&str>) -> contract::source::DirectoryAccess {
        contract::source::DirectoryAccess {
            state,
            at: at.into(),
            error: code.map(|code| contract::source::SourceError {
                code: code.into(),
                message: "The user or administrator has not consented to use the application.".into(),
                status: Some(400),
                at: at.into(),
                request: Default::default(),
            }),
        }
    }

    #[test]
    fn each_directory_state_has_its_badge_and_filter_value_and_unknown_is_none() {
        let with = |d: Option<contract::source::DirectoryAccess>| CustomerReadiness { directory: d, ..row("C", ReadinessState::Ready, None, 0, None) };
        let at = "2026-11-26T09:00:00Z";
        let cases = [
            (Some(DirectoryState::Answered), DirectoryShown::Answered, "ok", "answered"),
            (Some(DirectoryState::Granted), DirectoryShown::Granted, "neutral", "granted"),
            (Some(DirectoryState::NotConsented), DirectoryShown::NotConsented, "pending", "notConsented"),
            (Some(DirectoryState::NotAllowed), DirectoryShown::NotAllowed, "pending", "notAllowed"),
            (None, DirectoryShown::Unknown, "muted", "unknown"),
        ];
        for (state, shown, badge, value) in cases {
            let r = with(state.map(|s| directory(s, at, None)));
            assert_eq!(directory_shown(&r), shown, "{state:?}");
            assert_eq!(directory_badge(shown), badge, "{shown:?}");
            assert_eq!(directory_value(shown), value, "{shown:?}");
            // The filter's value names one state, as the contract spells it (`unknown` for none).
            assert_eq!(DIRECTORY_STATES.iter().filter(|d| directory_value(**d) == value).count(), 1);
            if let Some(state) = state {
                assert_eq!(serde_json::to_value(state).unwrap(), value, "the contract's name");
            }
        }
        assert_eq!(DIRECTORY_STATES.len(), cases.len(), "every state listed once");
    }

    #[test]
    fn graphs_refusal_reads_as_its_code_message_and_status() {
        let mut r = row("C", ReadinessState::Ready, None, 0, None);
        assert_eq!(directory_refusal(&r), None, "unknown: nothing to say");
        r.directory = Some(directory(DirectoryState::NotConsented, "2026-11-26T09:00:00Z", Some("AADSTS65001")));
        assert_eq!(directory_refusal(&r).as_deref(), Some("AADSTS65001: The user or administrator has not consented to use the application. (HTTP 400)"));
        r.directory.as_mut().unwrap().error.as_mut().unwrap().status = None;
        r.directory.as_mut().unwrap().error.as_mut().unwrap().message.clear();
        assert_eq!(directory_refusal(&r).as_deref(), Some("AADSTS65001"));
        r.directory = Some(directory(DirectoryState::Answered, "2026-11-26T09:00:00Z", None));
        assert_eq!(directory_refusal(&r), None);
    }

    #[test]
    fn the_directory_filter_and_sort_put_what_needs_doing_first() {
        let mut all = rows();
        let at = "2026-11-26T09:00:00Z";
        all[0].directory = Some(directory(DirectoryState::Answered, at, None)); // Contoso
        all[1].directory = Some(directory(DirectoryState::NotAllowed, at, Some("Authorization_RequestDenied"))); // Adatum
        all[3].directory = Some(directory(DirectoryState::NotConsented, at, Some("AADSTS65001"))); // Bellows
        let by = |directory, sort| ReadinessView { directory, sort, ..ReadinessView::default() };
        assert_eq!(names(&all, &by(Some(DirectoryShown::NotConsented), (ReadinessSort::Name, false))), ["Bellows"]);
        assert_eq!(names(&all, &by(Some(DirectoryShown::Unknown), (ReadinessSort::Name, false))), ["Fabrikam"]);
        assert!(names(&all, &by(Some(DirectoryShown::Granted), (ReadinessSort::Name, false))).is_empty());
        assert_eq!(names(&all, &by(None, (ReadinessSort::Directory, false))), ["Bellows", "Adatum", "Contoso", "Fabrikam"], "not consented, refused, answered, unknown");
        assert_eq!(names(&all, &by(None, (ReadinessSort::Directory, true))), ["Fabrikam", "Contoso", "Adatum", "Bellows"]);
    }
}
