//! The demo data set: about 8 customers and 60 reservations across families, terms, plans
//! and scopes, with dates placed relative to `today` so that "bought 2 days ago" and "past
//! half term" stay true on any day; and a refund ledger that leaves Contoso near the limit.
//! Consistent with Microsoft's dated rules on its day: a VM series × term is never
//! bought on or after the day it retired (such a row was bought the day before), nor renews
//! into one; and one SKU's price fell ([`crate::catalog::PRICE_CUTS`]), so older reservations of it are
//! refunded at the lower current price.
//! Deterministic: the same IDs, names and prices on every start, on the server and in the
//! browser.

use chrono::{Days, NaiveDate};
use contract::{
    AppliedScopeProperties, AppliedScopeType, Customer, Grant, ProvisioningState, Reservation, RoleAssignment,
    UtilizationAggregates,
};
use quote_engine::{expiry_date, vm_retirement, BillingPlan, Currency, Money, Term};
use rust_decimal::Decimal;

use crate::catalog::{purchase_price_usd, CATALOG, EUR_PER_USD, VM_FAMILY};
use crate::hash;
use crate::limit::LedgerEntry;
use crate::utilization::UsageProfile;

pub const REGIONS: [&str; 4] = ["westeurope", "northeurope", "swedencentral", "eastus"];

/// A scope a customer owns: what a reservation's scope may be changed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerScope {
    /// The customer.
    pub customer_id: String,
    /// `Single` (subscription or resource group) or `ManagementGroup`.
    pub scope_type: AppliedScopeType,
    /// The IDs and name.
    pub properties: AppliedScopeProperties,
}

/// A seeded reservation and how it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedReservation {
    /// The reservation (utilization aggregates are computed when read).
    pub reservation: Reservation,
    /// Its usage.
    pub usage: UsageProfile,
}

/// Everything the demo starts with: the rows every store (SQLite, PostgreSQL, the page's
/// document) inserts into a new database, the same for each; a store only inserts them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoData {
    /// The customers (a server inserts them on every start, leaving an existing one as it is).
    pub customers: Vec<Customer>,
    /// Their reservations.
    pub reservations: Vec<SeedReservation>,
    /// Each order's seeded role assignments ([`crate::access_control::seeded`]), orders in
    /// reservation order.
    pub role_assignments: Vec<RoleAssignment>,
    /// Their refund ledgers.
    pub ledger: Vec<LedgerEntry>,
    /// Their subscriptions, resource groups and management groups.
    pub scopes: Vec<CustomerScope>,
    /// The demo grants ([`demo_grants`]).
    pub grants: Vec<Grant>,
}

/// The demo's grants: the group of the limited demo user (`access::DEMO_LIMITED_GROUP`) is
/// Admin agent on Contoso and on Fabrikam, and sees no other customer. No other demo user's token
/// names a group, so grants do not govern them (`access::governed_by_grants`).
pub fn demo_grants() -> Vec<Grant> {
    [contract::seed::CONTOSO, contract::seed::FABRIKAM]
        .into_iter()
        .map(|customer| Grant {
            id: hash::guid(&format!("grant/{}/{customer}", crate::access::DEMO_LIMITED_GROUP)),
            group_id: crate::access::DEMO_LIMITED_GROUP.to_owned(),
            customer_id: Some(customer.to_owned()),
            role: contract::PartnerRole::AdminAgent,
        })
        .collect()
}

fn usd() -> Currency {
    Currency::new("USD").expect("USD is a currency")
}

fn days_before(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

fn term_days(term: Term) -> u64 {
    match term {
        Term::P1Y => 365,
        Term::P3Y => 1095,
        Term::P5Y => 1826,
    }
}

/// The scopes of customer `index`: two subscriptions, a resource group in each, and a
/// management group.
pub fn customer_scopes(customer_id: &str) -> Vec<CustomerScope> {
    let sub = |name: &str| hash::guid(&format!("subscription/{customer_id}/{name}"));
    let (prod, dev) = (sub("production"), sub("development"));
    let single = |subscription: &str, rg: Option<&str>, display: String| CustomerScope {
        customer_id: customer_id.to_owned(),
        scope_type: AppliedScopeType::Single,
        properties: AppliedScopeProperties {
            subscription_id: Some(format!("/subscriptions/{subscription}")),
            resource_group_id: rg.map(|rg| format!("/subscriptions/{subscription}/resourceGroups/{rg}")),
            management_group_id: None,
            display_name: Some(display),
        },
    };
    vec![
        single(&prod, None, "Production".into()),
        single(&dev, None, "Development".into()),
        single(&prod, Some("rg-web-prod"), "Production / rg-web-prod".into()),
        single(&dev, Some("rg-data-dev"), "Development / rg-data-dev".into()),
        CustomerScope {
            customer_id: customer_id.to_owned(),
            scope_type: AppliedScopeType::ManagementGroup,
            properties: AppliedScopeProperties {
                management_group_id: Some(format!(
                    "/providers/Microsoft.Management/managementGroups/{}",
                    hash::guid(&format!("mg/{customer_id}"))
                )),
                display_name: Some("All workloads".into()),
                ..AppliedScopeProperties::default()
            },
        },
    ]
}

fn seed_reservation(customer_index: usize, customer_id: &str, j: u64, today: NaiveDate) -> SeedReservation {
    let h = hash::mix(hash::of_str(customer_id) ^ j);
    let sku = &CATALOG[(h % CATALOG.len() as u64) as usize];
    let term = [Term::P1Y, Term::P1Y, Term::P3Y, Term::P3Y, Term::P5Y][((h >> 8) % 5) as usize];
    let billing_plan = if (h >> 12).is_multiple_of(3) { BillingPlan::Monthly } else { BillingPlan::Upfront };
    let quantity = 1 + ((h >> 16) % 8) as u32;
    let span = term_days(term);
    // The first rows of each customer cover the cases the rules treat differently.
    let (age, level) = match j {
        0 => (2, None),                           // in the 5-day grace window, unused: 100 % back
        1 => (3, Some(70)),                       // in the grace window, used: pro-rated, no fee
        2 => (span + 40, Some(65)),               // expired
        3 => (span / 2 + 20, Some(85)),           // past half term
        _ => (6 + (h >> 20) % (span - 12), Some(35 + ((h >> 24) % 60) as u8)),
    };
    let mut purchase_date = days_before(today, age);
    // Consistent with the retired VM series: a series × term that could not
    // be bought on the planned day was bought the day before it retired.
    if let Some(retired) = vm_retirement(sku.sku, term, purchase_date).filter(|_| sku.family == VM_FAMILY) {
        purchase_date = retired.from.pred_opt().unwrap_or(purchase_date);
    }
    let expiry = expiry_date(purchase_date, term).unwrap_or(purchase_date);
    let provisioning_state = if expiry <= today {
        ProvisioningState::Expired
    } else if j == 5 && customer_index.is_multiple_of(3) {
        ProvisioningState::Cancelled
    } else {
        ProvisioningState::Succeeded
    };
    let scopes = customer_scopes(customer_id);
    let (applied_scope_type, applied_scope_properties) = match (h >> 28) % 4 {
        0 => (AppliedScopeType::Shared, None),
        1 => (AppliedScopeType::ManagementGroup, Some(scopes[4].properties.clone())),
        2 => (AppliedScopeType::Single, Some(scopes[2].properties.clone())),
        _ => (AppliedScopeType::Single, Some(scopes[0].properties.clone())),
    };
    let usd_price = purchase_price_usd(sku, term, today, purchase_date);
    // Woodgrove Bank is billed in euros; the refund limit still counts in USD.
    let (unit_price, pricing_unit_price) = if customer_id == contract::seed::CUSTOMERS[4].0 {
        let eur = Currency::new("EUR").expect("EUR is a currency");
        (Money::new((usd_price * EUR_PER_USD).round_dp(2), eur), Some(Money::new(usd_price, usd())))
    } else {
        (Money::new(usd_price, usd()), None)
    };
    let id = hash::guid(&format!("reservation/{customer_id}/{j}"));
    SeedReservation {
        reservation: Reservation {
            reservation_order_id: hash::guid(&format!("order/{customer_id}/{j}")),
            customer_id: customer_id.to_owned(),
            display_name: format!("{}-{}-{:02}", sku.short, &REGIONS[((h >> 32) % 4) as usize][..3], j + 1),
            sku_name: sku.sku.to_owned(),
            location: REGIONS[((h >> 32) % 4) as usize].to_owned(),
            reserved_resource_type: sku.family.to_owned(),
            quantity,
            term,
            billing_plan,
            purchase_date,
            expiry_date: expiry,
            unit_price,
            pricing_unit_price,
            applied_scope_type,
            applied_scope_properties,
            provisioning_state,
            // A series × term retired on the day it would renew does not renew (retired VM series).
            renew: (h >> 40).is_multiple_of(2) && !(expiry > today && vm_retirement(sku.sku, term, expiry).is_some()),
            utilization: UtilizationAggregates::zero(),
            archived: false,
            split_properties: None,
            merge_properties: None,
            id,
            price_unknown: None,
            today_price: None,
        },
        usage: UsageProfile { level, read: None },
    }
}

/// How many reservations the demo data gives customer `customer_id` (6 to 9, from its ID).
pub fn reservation_count(customer_id: &str) -> u32 {
    u32::try_from(6 + hash::of_str(customer_id) % 4).unwrap_or(6)
}

/// The whole demo data set as of `today`.
pub fn demo_data(today: NaiveDate) -> DemoData {
    let customers = contract::seed::customers();
    let mut reservations = Vec::new();
    let mut scopes = Vec::new();
    for (index, customer) in customers.iter().enumerate() {
        let count = reservation_count(&customer.id);
        reservations.extend((0..u64::from(count)).map(|j| seed_reservation(index, &customer.id, j, today)));
        scopes.extend(customer_scopes(&customer.id));
    }
    let entry = |customer: usize, days: u64, dollars: i64, k: u32| {
        let customer_id = customers[customer].id.clone();
        LedgerEntry {
            date: days_before(today, days),
            amount: Money::new(Decimal::from(dollars), usd()),
            reservation_id: hash::guid(&format!("refunded/{customer_id}/{k}")),
            reservation_order_id: hash::guid(&format!("refunded-order/{customer_id}/{k}")),
            customer_id,
        }
    };
    // Contoso: USD 46,500 counting (headroom 3,500) and one entry already released.
    // Fabrikam: one small refund.
    let ledger = vec![
        entry(0, 400, 8_000, 0),
        entry(0, 200, 20_000, 1),
        entry(0, 90, 15_000, 2),
        entry(0, 20, 11_500, 3),
        entry(1, 30, 4_200, 0),
    ];
    let customers: Vec<Customer> = customers
        .into_iter()
        .map(|mut c| {
            c.reservation_count = reservations.iter().filter(|r| r.reservation.customer_id == c.id).count() as u32;
            c
        })
        .collect();
    let mut role_assignments: Vec<RoleAssignment> = Vec::new();
    for r in &reservations {
        let order = &r.reservation.reservation_order_id;
        if role_assignments.iter().any(|a| &a.reservation_order_id == order) {
            continue;
        }
        let domain = customers.iter().find(|c| c.id == r.reservation.customer_id).map_or("", |c| c.domain.as_str());
        role_assignments.extend(crate::access_control::seeded(order, domain));
    }
    DemoData { customers, reservations, role_assignments, ledger, scopes, grants: demo_grants() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn each_order_has_its_seeded_role_assignments_once() {
        let data = demo_data(today());
        let mut orders: Vec<&str> = Vec::new();
        for r in &data.reservations {
            if !orders.contains(&r.reservation.reservation_order_id.as_str()) {
                orders.push(&r.reservation.reservation_order_id);
            }
        }
        let expected: Vec<RoleAssignment> = orders
            .iter()
            .flat_map(|order| {
                let owner = data.reservations.iter().find(|r| r.reservation.reservation_order_id == *order).unwrap();
                let domain = &data.customers.iter().find(|c| c.id == owner.reservation.customer_id).unwrap().domain;
                crate::access_control::seeded(order, domain)
            })
            .collect();
        assert_eq!(data.role_assignments, expected);
        assert_eq!(data.role_assignments.len(), 2 * orders.len());
    }

    #[test]
    fn the_seed_equals_the_pinned_golden_values() {
        // Known day, known data set; the same values are checked in a browser by tests/browser/golden.rs.
        crate::golden::check_seed();
        assert_eq!(crate::golden::SEED_TODAY, today().to_string());
    }

    #[test]
    fn the_seed_is_sized_like_a_real_portfolio() {
        let a = demo_data(today());
        assert_eq!(a.customers.len(), 8);
        assert!((40..=80).contains(&a.reservations.len()), "{}", a.reservations.len());
        let mut ids: Vec<&str> = a.reservations.iter().map(|r| r.reservation.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), a.reservations.len(), "reservation IDs are unique");
    }

    #[test]
    fn the_cases_the_rules_distinguish_are_all_present() {
        let data = demo_data(today());
        let rs: Vec<&Reservation> = data.reservations.iter().map(|r| &r.reservation).collect();
        let age = |r: &Reservation| (today() - r.purchase_date).num_days();
        assert!(rs.iter().any(|r| age(r) <= 5 && r.provisioning_state == ProvisioningState::Succeeded));
        assert!(rs.iter().any(|r| r.provisioning_state == ProvisioningState::Expired));
        assert!(rs.iter().any(|r| r.provisioning_state == ProvisioningState::Cancelled));
        assert!(rs.iter().any(|r| r.billing_plan == BillingPlan::Monthly));
        for scope in [AppliedScopeType::Single, AppliedScopeType::Shared, AppliedScopeType::ManagementGroup] {
            assert!(rs.iter().any(|r| r.applied_scope_type == scope), "{scope:?}");
        }
        assert!(rs.iter().any(|r| r.unit_price.currency.code() == "EUR" && r.pricing_unit_price.is_some()));
        assert!(data.reservations.iter().any(|r| r.usage.level.is_none()));
    }

    /// On any seed day, no VM reservation was bought on a day its series × term was
    /// retired (retired VM series), none renews into a retired series × term, and the demo shows refunds at
    /// a lower current price (refunds at the lower price) on active reservations paid upfront and monthly, in USD
    /// and in EUR. (The 2027 exchange rule needs nothing of the seed: no exchange or renewal is stored, and a
    /// reservation bought on or after 1 February 2027 is simply not exchangeable.)
    #[test]
    fn the_seed_keeps_the_dated_rules_on_its_day() {
        let days = ["2026-06-30", "2026-07-01", "2026-11-22", "2027-01-31", "2027-02-01", "2027-07-01"];
        for day in days.map(|d| d.parse::<NaiveDate>().unwrap()) {
            let data = demo_data(day);
            for r in data.reservations.iter().map(|s| &s.reservation) {
                assert!(vm_retirement(&r.sku_name, r.term, r.purchase_date).is_none(), "{day}: {} bought retired", r.display_name);
                if r.renew && r.expiry_date > day {
                    assert!(crate::configuration::renewal_retirement(r, day).is_none(), "{day}: {} renews retired", r.display_name);
                }
            }
            let lower: Vec<&Reservation> = data
                .reservations
                .iter()
                .map(|s| &s.reservation)
                .filter(|r| crate::portfolio::is_active(r, day))
                .filter(|r| crate::current_price::current_unit_price(r).is_some_and(|c| c.amount < r.unit_price.amount))
                .collect();
            for plan in [BillingPlan::Upfront, BillingPlan::Monthly] {
                assert!(lower.iter().any(|r| r.billing_plan == plan), "{day}: {plan:?}");
            }
            assert!(lower.iter().any(|r| r.unit_price.currency.code() == "EUR"), "{day}");
        }
        // Fabrikam keeps an active 1-year Fsv2 reservation without renewal (tests/browser/panels.rs and
        // the Azure surface's test use it), bought before the series × term retired.
        let data = demo_data(today());
        let f = data
            .reservations
            .iter()
            .map(|s| &s.reservation)
            .find(|r| r.customer_id == contract::seed::FABRIKAM && r.sku_name == "Standard_F16s_v2" && r.term == Term::P1Y)
            .unwrap();
        assert_eq!((f.purchase_date, f.provisioning_state, f.renew), ("2026-06-30".parse().unwrap(), ProvisioningState::Succeeded, false));
    }

    #[test]
    fn a_reservation_scope_is_one_of_its_customers_scopes() {
        let data = demo_data(today());
        for r in data.reservations.iter().map(|r| &r.reservation) {
            if let Some(props) = &r.applied_scope_properties {
                assert!(data.scopes.iter().any(|s| s.customer_id == r.customer_id && &s.properties == props));
            }
        }
    }
}
