use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::copy_button::CopyButton;
use crate::components::labels::{family_text, plan_text, scope_named, state_text, term_text};
use crate::format::{format_date, format_money};
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::paths;

/// Properties: the IDs support asks for, each with a copy button, and the other properties.
#[component]
pub fn PropertiesPanel() -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let r = expect_context::<CurrentReservation>().detail.reservation;
    let (term, plan, scope, state) = (r.term, r.billing_plan, r.applied_scope_type, r.provisioning_state);
    let (purchased, expires, price) = (r.purchase_date, r.expiry_date, r.unit_price);
    let price_unknown = r.price_unknown.clone();
    let customer_id = expect_context::<CurrentReservation>().customer_id;
    let links = move |ids: Vec<String>| {
        let items = ids
            .into_iter()
            .map(|id| view! { <li><A href=paths::reservation(&customer_id, &id, "")><code>{id.clone()}</code></A></li> })
            .collect_view();
        view! { <ul class="lineage">{items}</ul> }
    };
    let split = r.split_properties.clone().unwrap_or_default();
    let merge = r.merge_properties.clone().unwrap_or_default();
    // Where this reservation's units came from and went: the other reservations of a split or merge.
    let lineage = [
        (t_string!(i18n, split_from).to_string(), split.split_source.into_iter().collect::<Vec<_>>()),
        (t_string!(i18n, split_into).to_string(), split.split_destinations),
        (t_string!(i18n, merged_from).to_string(), merge.merge_sources),
        (t_string!(i18n, merged_into).to_string(), merge.merge_destination.into_iter().collect()),
    ]
    .into_iter()
    .filter(|(_, ids)| !ids.is_empty())
    .map(|(term, ids)| view! { <dt>{term}</dt><dd>{links.clone()(ids)}</dd> })
    .collect_view();
    let scope_properties = r.applied_scope_properties.clone();
    view! {
        <h2>{t!(i18n, properties)}</h2>
        <p class="note">{t!(i18n, support_needs_both_ids)}</p>
        <dl class="properties">
            <dt>{t!(i18n, reservation_id)}</dt>
            <dd class="id">
                <code>{r.id.clone()}</code>
                <CopyButton text=r.id.clone() what=Signal::derive(move || t_string!(i18n, reservation_id).to_string()) />
            </dd>
            <dt>{t!(i18n, reservation_order_id)}</dt>
            <dd class="id">
                <code>{r.reservation_order_id.clone()}</code>
                <CopyButton
                    text=r.reservation_order_id.clone()
                    what=Signal::derive(move || t_string!(i18n, reservation_order_id).to_string())
                />
            </dd>
            <dt>{t!(i18n, display_name)}</dt><dd>{r.display_name.clone()}</dd>
            <dt>{t!(i18n, column_sku)}</dt><dd>{r.sku_name.clone()}</dd>
            <dt>{t!(i18n, column_family)}</dt><dd>{
                let family = r.reserved_resource_type.clone();
                move || family_text(i18n, &family)
            }</dd>
            <dt>{t!(i18n, region)}</dt><dd>{desk_service::region::display_name(&r.location).to_owned()} " " <code class="sub region-code">{r.location.clone()}</code></dd>
            <dt>{t!(i18n, column_quantity)}</dt><dd>{r.quantity}</dd>
            <dt>{t!(i18n, column_term)}</dt><dd>{move || term_text(i18n, term)}</dd>
            <dt>{t!(i18n, column_billing_plan)}</dt><dd>{move || plan_text(i18n, plan)}</dd>
            <dt>{t!(i18n, unit_price)}</dt>
            <dd>{move || match &price_unknown {
                // Azure did not give it: its zero stands for nothing and is not shown.
                Some(why) => t_string!(i18n, price_unknown, code = why.code.clone()).to_string(),
                None => format_money(&price, locale()),
            }}</dd>
            <dt>{t!(i18n, purchase_date)}</dt><dd>{move || format_date(purchased, locale())}</dd>
            <dt>{t!(i18n, expiration_date)}</dt><dd>{move || format_date(expires, locale())}</dd>
            <dt>{t!(i18n, scope)}</dt><dd>{move || scope_named(i18n, scope, scope_properties.as_ref())}</dd>
            <dt>{t!(i18n, provisioning_state)}</dt><dd>{move || state_text(i18n, state)}</dd>
            <dt>{t!(i18n, auto_renew)}</dt>
            <dd>{move || if r.renew { t_string!(i18n, yes) } else { t_string!(i18n, no) }}</dd>
            {lineage}
        </dl>
    }
}
