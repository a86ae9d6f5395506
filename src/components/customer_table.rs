use contract::Customer;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;
use crate::paths;

/// The column the customer list is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerSort {
    /// Company name, A→Z.
    Name,
    /// Primary domain, A→Z.
    Domain,
    /// Number of reservations, most first.
    Reservations,
}

/// `text` in lower case (Unicode's default case mapping, so "ÅHLÉNS" finds "Åhléns"). In the
/// browser it is JavaScript's `toLowerCase`, the same mapping as Rust's `str::to_lowercase`: the
/// latter's table of every letter's lower case is 8 KiB of gzip that the first module does not
/// carry for the one search box it has.
fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return js_sys::JsString::from(text).to_lower_case().into();
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
}

/// The customers matching `search` (name or domain, case-insensitive), sorted by `sort`.
pub fn visible_customers(customers: &[Customer], search: &str, sort: CustomerSort) -> Vec<Customer> {
    let needle = lowercase(search.trim());
    let mut list: Vec<Customer> = customers
        .iter()
        .filter(|c| {
            needle.is_empty() || lowercase(&c.name).contains(&needle) || lowercase(&c.domain).contains(&needle)
        })
        .cloned()
        .collect();
    match sort {
        CustomerSort::Name => list.sort_by_cached_key(|c| lowercase(&c.name)),
        CustomerSort::Domain => list.sort_by_cached_key(|c| lowercase(&c.domain)),
        // Most reservations first, then by name, as one text key: the other columns sort by a
        // cached String key, and a second sort algorithm (or key type) in the first module cost
        // about 1.4 KiB of the first load. The count is inverted and zero-padded to u32's ten
        // digits, so the texts order as the numbers do.
        CustomerSort::Reservations => {
            list.sort_by_cached_key(|c| format!("{:010}{}", u32::MAX - c.reservation_count, c.name))
        }
    }
    list
}

/// A column header that sorts the table when pressed, announcing the sort to screen readers.
#[component]
fn SortHeader(
    sort: RwSignal<CustomerSort>,
    by: CustomerSort,
    #[prop(optional)] numeric: bool,
    children: Children,
) -> impl IntoView {
    let direction = if by == CustomerSort::Reservations { "descending" } else { "ascending" };
    view! {
        <th scope="col" class:num=numeric aria-sort=move || if sort.get() == by { direction } else { "none" }>
            <button type="button" class="sort" on:click=move |_| sort.set(by)>
                {children()}
                <span aria-hidden="true" class="sort-mark">{move || if sort.get() == by { "▾" } else { "" }}</span>
            </button>
        </th>
    }
}

/// The customer list: a search box and a sortable table; each name links to the customer.
#[component]
pub fn CustomerTable(customers: Vec<Customer>) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(CustomerSort::Name);
    let visible = Memo::new(move |_| search.with(|s| visible_customers(&customers, s, sort.get())));

    let rows = move || {
        visible
            .get()
            .into_iter()
            .map(|customer| {
                view! {
                    <tr>
                        <th scope="row"><A href=paths::customer(&customer.id)>{customer.name}</A></th>
                        <td class="wide" data-label=move || t_string!(i18n, column_domain)>{customer.domain}</td>
                        <td class="num" data-label=move || t_string!(i18n, column_reservations)>{customer.reservation_count}</td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <div class="toolbar">
            <label class="search">
                <span class="visually-hidden">{t!(i18n, search_customers)}</span>
                <input
                    type="search"
                    placeholder=move || t_string!(i18n, search_customers)
                    prop:value=move || search.get()
                    on:input=move |event| search.set(event_target_value(&event))
                />
            </label>
        </div>
        <Show
            when=move || !visible.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{t!(i18n, no_customers_match)}</p> }
        >
            <div class="table-scroll">
            <table class="data-table">
                <caption class="visually-hidden">{t!(i18n, customers)}</caption>
                <thead>
                    <tr>
                        <SortHeader sort by=CustomerSort::Name>{t!(i18n, column_name)}</SortHeader>
                        <SortHeader sort by=CustomerSort::Domain>{t!(i18n, column_domain)}</SortHeader>
                        <SortHeader sort by=CustomerSort::Reservations numeric=true>
                            {t!(i18n, column_reservations)}
                        </SortHeader>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(name: &str, domain: &str, reservations: u32) -> Customer {
        Customer { id: name.into(), name: name.into(), domain: domain.into(), reservation_count: reservations }
    }

    fn names(list: Vec<Customer>) -> Vec<String> {
        list.into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn search_matches_name_or_domain_ignoring_case() {
        let all = [customer("Contoso", "contoso.com", 1), customer("Fabrikam", "fab.example", 3)];
        assert_eq!(names(visible_customers(&all, "CONT", CustomerSort::Name)), ["Contoso"]);
        assert_eq!(names(visible_customers(&all, " example ", CustomerSort::Name)), ["Fabrikam"]);
        assert!(visible_customers(&all, "tailspin", CustomerSort::Name).is_empty());
    }

    #[test]
    fn sorts_by_the_chosen_column() {
        let all = [customer("b", "z.com", 1), customer("a", "y.com", 1), customer("c", "x.com", 5)];
        assert_eq!(names(visible_customers(&all, "", CustomerSort::Name)), ["a", "b", "c"]);
        assert_eq!(names(visible_customers(&all, "", CustomerSort::Domain)), ["c", "a", "b"]);
        assert_eq!(names(visible_customers(&all, "", CustomerSort::Reservations)), ["c", "a", "b"]);
        // By number, not by text ("10" before "9"); ties by name; none and the most a u32 holds.
        let counts = [customer("nine", "n.com", 9), customer("ten-b", "t.com", 10), customer("ten-a", "t.com", 10), customer("none", "o.com", 0), customer("max", "m.com", u32::MAX)];
        assert_eq!(names(visible_customers(&counts, "", CustomerSort::Reservations)), ["max", "ten-a", "ten-b", "nine", "none"]);
    }
}
