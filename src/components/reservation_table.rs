use chrono::NaiveDate;
use contract::{AppliedScopeType, ProvisioningState, Reservation};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::labels::{family_text, plan_text, scope_text, state_class, state_text, term_text, utilization_text};
use crate::format::format_date;
use crate::i18n::*;
use crate::paths;

/// What the reservation list is narrowed to; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReservationFilter {
    /// Provisioning state.
    pub state: Option<ProvisioningState>,
    /// Product family (`reservedResourceType`).
    pub family: Option<String>,
    /// Applied scope type.
    pub scope: Option<AppliedScopeType>,
    /// Whether archived reservations are listed too (hidden unless asked for).
    pub show_archived: bool,
}

impl ReservationFilter {
    /// Whether `r` passes every set criterion.
    pub fn matches(&self, r: &Reservation) -> bool {
        (self.show_archived || !r.archived)
            && self.state.is_none_or(|s| r.provisioning_state == s)
            && self.family.as_ref().is_none_or(|f| &r.reserved_resource_type == f)
            && self.scope.is_none_or(|s| r.applied_scope_type == s)
    }
}

/// Sorts `list` the way the table shows it (desk-service's one order: soonest expiry, then name).
pub use desk_service::reservations::sort_for_display;

/// The positions in `list` of the reservations passing `filter`, in `list`'s order. Positions,
/// not copies: a keystroke in a filter over thousands of reservations clones none of them.
pub fn visible_positions(list: &[Reservation], filter: &ReservationFilter) -> Vec<usize> {
    list.iter().enumerate().filter(|(_, r)| filter.matches(r)).map(|(i, _)| i).collect()
}

/// The distinct product families in `list`, sorted, for the family filter.
pub fn families(list: &[Reservation]) -> Vec<String> {
    let mut families: Vec<String> = list.iter().map(|r| r.reserved_resource_type.clone()).collect();
    families.sort();
    families.dedup();
    families
}

/// Rows rendered at first (and added by each "Show more"): a portfolio of thousands stays
/// responsive; the filters narrow it.
pub const PAGE_SIZE: usize = 100;

const STATES: [ProvisioningState; 5] = [
    ProvisioningState::Succeeded,
    ProvisioningState::Cancelled,
    ProvisioningState::Expired,
    ProvisioningState::Split,
    ProvisioningState::Merged,
];
const SCOPES: [AppliedScopeType; 3] =
    [AppliedScopeType::Single, AppliedScopeType::Shared, AppliedScopeType::ManagementGroup];

/// A customer's reservations with status, family and scope filters, soonest expiry first.
#[component]
pub fn ReservationTable(
    /// The customer whose reservations these are (for the links).
    customer_id: String,
    /// Every reservation of the customer.
    reservations: Vec<Reservation>,
    /// Today, for "days left".
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let filter = RwSignal::new(ReservationFilter::default());
    let family_options = families(&reservations)
        .into_iter()
        .map(|f| {
            let label = f.clone();
            view! { <option value=f.clone()>{move || family_text(i18n, &label)}</option> }
        })
        .collect_view();
    let mut reservations = reservations;
    sort_for_display(&mut reservations);
    let reservations = StoredValue::new(reservations);
    let visible = Memo::new(move |_| filter.with(|f| reservations.with_value(|list| visible_positions(list, f))));
    let shown = RwSignal::new(PAGE_SIZE);
    // A new filter starts again from the first page.
    let refilter = move |change: &dyn Fn(&mut ReservationFilter)| {
        filter.update(|f| change(f));
        shown.set(PAGE_SIZE);
    };
    let total = move || visible.with(Vec::len);

    let rows = move || {
        let page: Vec<usize> = visible.with(|v| v.iter().take(shown.get()).copied().collect());
        reservations.with_value(|list| {
            page.into_iter()
            .map(|i| {
                let r = &list[i];
                let href = paths::reservation(&customer_id, &r.id, "");
                let days_left = (r.expiry_date - today).num_days();
                let (state, scope, term, plan) =
                    (r.provisioning_state, r.applied_scope_type, r.term, r.billing_plan);
                let utilization = r.utilization.last30_days;
                let expiry = r.expiry_date;
                let active = state == ProvisioningState::Succeeded && days_left >= 0;
                let name = r.display_name.clone();
                let archived = r.archived;
                // Each cell's `data-label`: its column's name, shown above it where the table is a
                // list of cards (phone width, style/main.css).
                view! {
                    <tr>
                        <th scope="row">
                            <A href=href>{name}</A>
                            <Show when=move || archived>
                                " " <span class="badge muted">{t!(i18n, archived)}</span>
                            </Show>
                        </th>
                        <td class="sku" data-label=move || t_string!(i18n, column_sku)>{r.sku_name.clone()}</td>
                        <td data-label=move || t_string!(i18n, column_family)>{
                            let family = r.reserved_resource_type.clone();
                            move || family_text(i18n, &family)
                        }</td>
                        <td class="num" data-label=move || t_string!(i18n, column_quantity)>{r.quantity}</td>
                        <td data-label=move || t_string!(i18n, column_term)>{move || term_text(i18n, term)} " · " {move || plan_text(i18n, plan)}</td>
                        <td data-label=move || t_string!(i18n, column_expiry)>
                            {move || format_date(expiry, locale())}
                            <Show when=move || active>
                                <span class="sub">{move || crate::t_count!(i18n, days_left, days_left)}</span>
                            </Show>
                        </td>
                        <td data-label=move || t_string!(i18n, column_scope)>{move || scope_text(i18n, scope)}</td>
                        <td data-label=move || t_string!(i18n, column_status)><span class=state_class(state)>{move || state_text(i18n, state)}</span></td>
                        <td class="num" data-label=move || t_string!(i18n, column_utilization_30)>{move || utilization_text(i18n, locale(), utilization)}</td>
                    </tr>
                }
            })
            .collect_view()
        })
    };

    view! {
        <div class="toolbar filters">
            <label>
                {t!(i18n, filter_status)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.state = STATES.into_iter().find(|s| format!("{s:?}") == v));
                }>
                    <option value="">{t!(i18n, filter_all)}</option>
                    {STATES.map(|s| view! { <option value=format!("{s:?}")>{move || state_text(i18n, s)}</option> })}
                </select>
            </label>
            <label>
                {t!(i18n, filter_family)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.family = (!v.is_empty()).then(|| v.clone()));
                }>
                    <option value="">{t!(i18n, filter_all)}</option>
                    {family_options}
                </select>
            </label>
            <label>
                {t!(i18n, filter_scope)}
                <select on:change=move |e| {
                    let v = event_target_value(&e);
                    refilter(&|f| f.scope = SCOPES.into_iter().find(|s| format!("{s:?}") == v));
                }>
                    <option value="">{t!(i18n, filter_all)}</option>
                    {SCOPES.map(|s| view! { <option value=format!("{s:?}")>{move || scope_text(i18n, s)}</option> })}
                </select>
            </label>
            <label class="checkbox">
                <input type="checkbox" on:change=move |e| {
                    let on = event_target_checked(&e);
                    refilter(&|f| f.show_archived = on);
                } />
                {t!(i18n, show_archived)}
            </label>
        </div>
        <Show
            when=move || !visible.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{t!(i18n, no_reservations_match)}</p> }
        >
            <div class="table-scroll">
                <table class="data-table reservation-table">
                    <caption class="visually-hidden">{t!(i18n, azure_reservations)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, column_display_name)}</th>
                            <th scope="col">{t!(i18n, column_sku)}</th>
                            <th scope="col">{t!(i18n, column_family)}</th>
                            <th scope="col" class="num">{t!(i18n, column_quantity)}</th>
                            <th scope="col">{t!(i18n, column_term)}</th>
                            <th scope="col" aria-sort="ascending">{t!(i18n, column_expiry)}</th>
                            <th scope="col">{t!(i18n, column_scope)}</th>
                            <th scope="col">{t!(i18n, column_status)}</th>
                            <th scope="col" class="num">{t!(i18n, column_utilization_30)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows.clone()}</tbody>
                </table>
            </div>
            <Show when=move || { total() > shown.get() }>
                <div class="table-more">
                    <span role="status">{move || t_string!(i18n, showing_of, shown = shown.get(), total = total()).to_string()}</span>
                    <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE_SIZE)>
                        {move || t_string!(i18n, show_more, count = total().saturating_sub(shown.get()).min(PAGE_SIZE)).to_string()}
                    </button>
                </div>
            </Show>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::UtilizationAggregates;
    use quote_engine::{BillingPlan, Currency, Money, Term};
    use rust_decimal::Decimal;

    fn reservation(name: &str, family: &str, state: ProvisioningState, expiry: (i32, u32, u32)) -> Reservation {
        let day = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Reservation {
            id: name.into(),
            reservation_order_id: format!("o-{name}"),
            customer_id: "c".into(),
            display_name: name.into(),
            sku_name: "Standard_D2s_v5".into(),
            location: "westeurope".into(),
            reserved_resource_type: family.into(),
            quantity: 1,
            term: Term::P1Y,
            billing_plan: BillingPlan::Upfront,
            purchase_date: day((2025, 1, 1)),
            expiry_date: day(expiry),
            unit_price: Money::new(Decimal::ONE_HUNDRED, Currency::new("USD").unwrap()),
            pricing_unit_price: None,
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            provisioning_state: state,
            renew: false,
            utilization: UtilizationAggregates::zero(),
            archived: false,
            split_properties: None,
            merge_properties: None,
            price_unknown: None,
            today_price: None,
        }
    }

    #[test]
    fn sorted_by_expiry_then_name_and_filtered_by_position() {
        use ProvisioningState::{Expired, Succeeded};
        let mut list = vec![
            reservation("web", "VirtualMachines", Succeeded, (2027, 3, 1)),
            reservation("db", "SqlDatabases", Succeeded, (2026, 6, 1)),
            reservation("api", "VirtualMachines", Succeeded, (2027, 3, 1)),
            reservation("old", "VirtualMachines", Expired, (2025, 1, 1)),
        ];
        sort_for_display(&mut list);
        let names: Vec<&str> = list.iter().map(|r| r.display_name.as_str()).collect();
        assert_eq!(names, ["old", "db", "api", "web"]);
        assert_eq!(visible_positions(&list, &ReservationFilter::default()), [0, 1, 2, 3]);
        let vms = ReservationFilter { family: Some("VirtualMachines".into()), ..Default::default() };
        assert_eq!(visible_positions(&list, &vms), [0, 2, 3]);
        let active_vms = ReservationFilter { state: Some(Succeeded), ..vms };
        assert_eq!(visible_positions(&list, &active_vms), [2, 3]);
    }

    #[test]
    fn archived_reservations_are_hidden_unless_asked_for() {
        let mut old = reservation("old", "VirtualMachines", ProvisioningState::Expired, (2025, 1, 1));
        old.archived = true;
        let list = vec![old, reservation("web", "VirtualMachines", ProvisioningState::Succeeded, (2027, 3, 1))];
        assert_eq!(visible_positions(&list, &ReservationFilter::default()), [1]);
        let all = ReservationFilter { show_archived: true, ..Default::default() };
        assert_eq!(visible_positions(&list, &all), [0, 1]);
    }
}
