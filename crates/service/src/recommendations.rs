//! What to buy for a customer in local mode, from the usage the desk's own reservations show:
//! where a customer's reservations of a SKU in a region are (almost) fully used, the usage beyond
//! them runs on demand, and Microsoft.Consumption would recommend more of the same SKU. The
//! figures follow its legacy recommendations: the on-demand cost of that usage over the
//! look-back period, what it would have cost reserved, and the difference; the engine then
//! prices buying it ([`crate::purchase::quote`]). Deterministic: the same reservations and day
//! give the same recommendations.
//!
//! In Azure mode the recommendations are Microsoft.Consumption's own ([`of_azure`]): Azure's
//! figures, never the desk's catalog's (which lacks most of what Azure recommends); what the
//! desk cannot show is listed with why.

use chrono::NaiveDate;
use contract::{AppliedScopeProperties, AppliedScopeType, ExchangePurchaseRequest, LeftOutReason, LeftOutRecommendation, LookBackPeriod, ProvisioningState, Recommendation, Scope};
use quote_engine::{BillingPlan, Currency, Money, OnDemandUsage, Term};
use rust_decimal::Decimal;

use crate::catalog::{find_sku, price_in};
use crate::error::ServiceError;
use crate::utilization::UsageProfile;

/// A customer's SKU is recommended when their reservations of it are used at least this much
/// (percent, weighted by units): below, they have room of their own, and nothing runs on demand.
pub const FULLY_USED_PERCENT: u8 = 85;

/// What the usage beyond the reservations is, as a share of their units: one unit in four.
const OVERFLOW_SHARE: u32 = 4;

/// On demand costs this many times a one-year reservation's price for the same hours
/// (Azure's one-year reservations save about 40 % against pay-as-you-go).
fn on_demand_factor() -> Decimal {
    Decimal::new(5, 0) / Decimal::new(3, 0)
}

/// Amounts too large to compute (never with the catalog's prices).
fn overflow(e: quote_engine::MoneyError) -> ServiceError {
    ServiceError::new(contract::ProblemCode::NotQuotable, format!("The recommendation cannot be priced: {e}"))
}

/// The terms recommended for each SKU: the longest saves most, the shortest commits least.
const TERMS: [Term; 2] = [Term::P1Y, Term::P3Y];

/// The recommendations of `customer_id` from its `reservations` (each with its usage) over the
/// last `look_back` days as of `today`, billed in `currency`, for its `scopes`: one per fully
/// used SKU and region and term, largest savings first. The usage beyond the reservations runs
/// evenly, so a longer look-back shows larger costs over the period and the same yearly savings.
pub fn of_customer(
    customer_id: &str,
    reservations: &[(contract::Reservation, UsageProfile)],
    scopes: &[Scope],
    currency: Currency,
    look_back: LookBackPeriod,
    today: NaiveDate,
) -> Result<Vec<Recommendation>, ServiceError> {
    // Units and weighted usage per catalog SKU (`{sku}/{location}`), active reservations only.
    let mut groups: Vec<(String, u32, u64)> = Vec::new();
    for (r, usage) in reservations.iter().filter(|(r, _)| r.provisioning_state == ProvisioningState::Succeeded && !r.archived) {
        let sku_id = format!("{}/{}", r.sku_name, r.location);
        if find_sku(&sku_id).is_none() {
            continue;
        }
        let level = u64::from(usage.level.unwrap_or(0));
        match groups.iter_mut().find(|(id, _, _)| *id == sku_id) {
            Some(g) => {
                g.1 += r.quantity;
                g.2 += level * u64::from(r.quantity);
            }
            None => groups.push((sku_id, r.quantity, level * u64::from(r.quantity))),
        }
    }
    let days = look_back.days();
    let first_usage_date = today - chrono::Duration::days(i64::from(days));
    let mut out = Vec::new();
    for (sku_id, units, weighted) in groups {
        if weighted < u64::from(FULLY_USED_PERCENT) * u64::from(units) {
            continue;
        }
        let (sku, region) = find_sku(&sku_id).expect("found above");
        let quantity = (units / OVERFLOW_SHARE).max(1);
        // On demand: a one-year unit's price × the factor, per day of a 365-day year.
        let one_year = price_in(sku, Term::P1Y, currency)?;
        let per_unit_day = one_year.checked_mul(on_demand_factor()).map_err(overflow)?.checked_div(Decimal::from(365)).map_err(overflow)?;
        let cost_on_demand = per_unit_day.checked_mul(Decimal::from(quantity * days)).map_err(overflow)?.round();
        for term in TERMS {
            let whole_term = price_in(sku, term, currency)?;
            let term_days = Decimal::from(365 * term.years());
            let cost_reserved = whole_term.checked_mul(Decimal::from(quantity * days)).map_err(overflow)?.checked_div(term_days).map_err(overflow)?.round();
            let on_demand = OnDemandUsage { cost: cost_on_demand, days, quantity };
            let purchase = ExchangePurchaseRequest {
                sku_id: sku_id.clone(),
                term,
                billing_plan: BillingPlan::Upfront,
                quantity,
                applied_scope_type: AppliedScopeType::Shared,
                applied_scope_properties: None,
                display_name: None,
                renew: false,
            };
            let proposal = crate::purchase::quote(&purchase, Some(on_demand), scopes, currency, today)?.quote;
            let savings_per_year = proposal.savings.map_or(Money::new(Decimal::ZERO, currency).round(), |s| s.savings_per_year);
            out.push(Recommendation {
                id: crate::hash::guid(&format!("recommendation/{customer_id}/{sku_id}/{term:?}")),
                customer_id: customer_id.to_owned(),
                sku_id: sku_id.clone(),
                not_in_catalog: false,
                sku_name: sku.sku.to_owned(),
                reserved_resource_type: sku.family.to_owned(),
                location: region.to_owned(),
                term,
                applied_scope_type: AppliedScopeType::Shared,
                applied_scope_properties: None,
                recommended_quantity: quantity,
                look_back_period: look_back,
                first_usage_date,
                cost_with_no_reserved_instances: cost_on_demand,
                total_cost_with_reserved_instances: cost_reserved,
                net_savings: cost_on_demand.checked_sub(cost_reserved).map_err(overflow)?,
                on_demand,
                savings_per_year,
                refusal: proposal.policy_errors.first().cloned(),
                proposal: Some(proposal),
            });
        }
    }
    sort(&mut out);
    Ok(out)
}

/// Largest savings a year first; a refused one after every buyable one.
fn sort(recommendations: &mut [Recommendation]) {
    let yearly = |r: &Recommendation| r.savings_per_year.amount;
    recommendations.sort_by(|a, b| a.refusal.is_some().cmp(&b.refusal.is_some()).then(yearly(b).cmp(&yearly(a))).then(a.id.cmp(&b.id)));
}

/// One of Microsoft.Consumption's reservation recommendations (either kind) as Azure mode reads
/// it (what the desk's `Upstream` port answers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommended {
    /// E.g. `Standard_D4s_v5`, `SQLDB_BC_Compute_Gen5`.
    pub sku_name: String,
    /// E.g. `westeurope`.
    pub location: String,
    /// Azure's resource type: as the recommendation names it, else as it was asked for
    /// (`virtualMachines`, `sqldatabases`, `SQLDatabases`).
    pub resource_type: Option<String>,
    /// The term.
    pub term: Term,
    /// The subscription of a single-scope recommendation (a GUID); `None` for a shared one.
    pub subscription_id: Option<String>,
    /// The units to buy, as Azure wrote them.
    pub recommended_quantity: Decimal,
    /// How many days of usage Azure looked at.
    pub look_back_days: u32,
    /// The first day of that usage, when Azure says.
    pub first_usage_date: Option<NaiveDate>,
    /// The currency Azure names for the costs (modern recommendations); `None`: the customer's
    /// billing currency (legacy recommendations name none).
    pub currency: Option<String>,
    /// What that usage cost without reservations.
    pub cost_with_no_reserved_instances: Decimal,
    /// What it would have cost with them.
    pub total_cost_with_reserved_instances: Decimal,
    /// The difference.
    pub net_savings: Decimal,
}

/// What Azure answered for a customer: the recommendations read, and the items it listed that
/// could not be read (each already with what Azure said of it and why).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadFromAzure {
    /// The recommendations read.
    pub recommended: Vec<Recommended>,
    /// The items listed but not read.
    pub unread: Vec<LeftOutRecommendation>,
}

/// Azure's recommendations as the desk shows them, and those it leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromAzure {
    /// Largest yearly savings first; the ones that cannot be bought last.
    pub recommendations: Vec<Recommendation>,
    /// Those the desk cannot show, with why (the unread ones first, as Azure listed them).
    pub left_out: Vec<LeftOutRecommendation>,
}

/// The desk's name of a product family for Azure's resource type (`sqldatabases`,
/// `SQLDatabases`: `SqlDatabases`), as its catalog names families; Azure's own when the desk
/// has no name for it.
pub fn family_of(resource_type: &str) -> String {
    let known = [
        ("virtualmachines", "VirtualMachines"),
        ("sqldatabases", "SqlDatabases"),
        ("cosmosdb", "CosmosDb"),
        ("appservice", "AppService"),
        ("rediscache", "RedisCache"),
        ("postgresql", "PostgreSql"),
        ("mysql", "MySql"),
        ("manageddisk", "ManagedDisk"),
        ("manageddisks", "ManagedDisk"),
    ];
    let key = resource_type.trim().to_ascii_lowercase();
    known.iter().find(|(k, _)| *k == key).map_or_else(|| resource_type.trim().to_owned(), |(_, v)| (*v).to_owned())
}

/// A region's code as ARM writes it (`West Europe`, `WestEurope`: `westeurope`).
fn region_code(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

/// `customer_id`'s recommendations from what Microsoft.Consumption answered (`read`), as of
/// `today`, for its `scopes`; amounts without a named currency in `currency` (the customer's
/// billing currency). Each shows Azure's own figures (rounded half-even to the currency's minor
/// unit), never the desk's catalog's; its yearly savings are Azure's net savings carried from
/// the look-back period to a year. One whose SKU the catalog has can be bought from the Buy
/// panel (a retired VM series × term is said as not buyable, with the rule's reason); one it
/// lacks is shown `notInCatalog`. The same recommendation read twice (a shared one is the
/// customer's, whichever subscription answered it) is shown once. One the desk cannot show
/// (a quantity that is not whole, no savings, a currency or look-back it does not know) is
/// listed in `leftOut` with why, after those Azure listed that could not be read.
pub fn of_azure(customer_id: &str, read: &ReadFromAzure, catalog: Option<&[contract::CatalogItem]>, scopes: &[Scope], currency: Currency, today: NaiveDate) -> FromAzure {
    let mut out = FromAzure { recommendations: Vec::new(), left_out: read.unread.clone() };
    // The Azure recommendation each shown one was made from, in the same order.
    let mut shown_from: Vec<&Recommended> = Vec::new();
    for r in &read.recommended {
        let recommendation = match one_of_azure(customer_id, r, catalog, scopes, currency, today) {
            Ok(recommendation) => recommendation,
            Err((reason, detail)) => {
                out.left_out.push(left_out_of(r, reason, detail));
                continue;
            }
        };
        let Some(i) = out.recommendations.iter().position(|x| x.id == recommendation.id) else {
            out.recommendations.push(recommendation);
            shown_from.push(r);
            continue;
        };
        // The same recommendation read again (the shared scope's, answered to more than one
        // ask): one. The same purchase with other figures (Microsoft's own billing-account
        // example has two of Standard_DS1_v2 in westus for a year at shared scope): the larger
        // net savings shown, the other listed with why, never dropped unsaid.
        if shown_from[i] == r {
            continue;
        }
        let (shown, left) = match recommendation.net_savings.amount > out.recommendations[i].net_savings.amount {
            true => {
                out.recommendations[i] = recommendation;
                (r, std::mem::replace(&mut shown_from[i], r))
            }
            false => (shown_from[i], r),
        };
        let detail = format!(
            "Azure recommends {} units of {} in {} for {:?} at {} scope again, with {} net savings over {} days; the one shown has {} over {} days.",
            left.recommended_quantity,
            left.sku_name,
            left.location,
            left.term,
            if left.subscription_id.is_some() { "single" } else { "shared" },
            left.net_savings,
            left.look_back_days,
            shown.net_savings,
            shown.look_back_days
        );
        out.left_out.push(left_out_of(left, LeftOutReason::SamePurchase, detail));
    }
    sort(&mut out.recommendations);
    out
}

/// Azure's recommendation `r` as listed among those not shown, with why.
fn left_out_of(r: &Recommended, reason: LeftOutReason, detail: String) -> LeftOutRecommendation {
    LeftOutRecommendation {
        sku_name: Some(r.sku_name.clone()),
        location: Some(r.location.clone()),
        applied_scope_type: Some(if r.subscription_id.is_some() { AppliedScopeType::Single } else { AppliedScopeType::Shared }),
        subscription_id: r.subscription_id.clone(),
        term: Some(r.term),
        reserved_resource_type: r.resource_type.as_deref().map(family_of),
        reason,
        detail,
    }
}

fn one_of_azure(
    customer_id: &str, r: &Recommended, catalog: Option<&[contract::CatalogItem]>, scopes: &[Scope], billing: Currency, today: NaiveDate,
) -> Result<Recommendation, (LeftOutReason, String)> {
    let currency = match r.currency.as_deref() {
        None => billing,
        Some(code) => code.parse::<Currency>().map_err(|_| (LeftOutReason::UnknownCurrency, format!("Azure's costs are in {code:?}, a currency the desk does not know.")))?,
    };
    let quantity = Some(r.recommended_quantity)
        .filter(|q| q.fract().is_zero() && *q >= Decimal::ONE)
        .and_then(|q| u32::try_from(q.trunc().mantissa() / 10_i128.pow(q.trunc().scale())).ok())
        .ok_or_else(|| (LeftOutReason::NotWholeQuantity, format!("Azure recommends {} units, which is not a whole number of units to buy.", r.recommended_quantity)))?;
    let look_back_period =
        LookBackPeriod::of_days(r.look_back_days).ok_or_else(|| (LeftOutReason::UnknownLookBack, format!("Azure looked back {} days, a period the desk does not know.", r.look_back_days)))?;
    let money = |amount: Decimal| Money::new(amount, currency).round();
    let (without, with, net) = (money(r.cost_with_no_reserved_instances), money(r.total_cost_with_reserved_instances), money(r.net_savings));
    // A reservation that would not have saved anything over the usage looked at is not offered.
    // (Azure's net savings stand even where its on-demand cost says 0, as Microsoft's own example
    // has it: the figures are shown as Azure gave them.)
    if net.amount <= Decimal::ZERO {
        return Err((LeftOutReason::NoSavings, format!("Azure's figures show no savings ({without} on demand, {net} net savings over {} days).", r.look_back_days)));
    }
    let days = Decimal::from(r.look_back_days);
    let savings_per_year = Money::new(r.net_savings, currency)
        .checked_mul(Decimal::from(365))
        .and_then(|m| m.checked_div(days))
        .map(Money::round)
        .map_err(|_| (LeftOutReason::NoSavings, "Azure's net savings are too large to compute with.".to_owned()))?;
    let on_demand = OnDemandUsage { cost: without, days: r.look_back_days, quantity };
    let scope = r.subscription_id.as_deref().map(|id| AppliedScopeProperties { subscription_id: Some(format!("/subscriptions/{id}")), ..Default::default() });
    let scope_type = if scope.is_some() { AppliedScopeType::Single } else { AppliedScopeType::Shared };
    // What the Buy panel buys: the customer's catalog's item (Azure's catalog for the customer,
    // matched without regard to case or the region's spelling), else Azure's own names. Without
    // a catalog (`None`: Azure's could not be read) nothing is taken as buyable.
    let family = r.resource_type.as_deref().map(family_of);
    let listed = catalog.and_then(|items| {
        items.iter().find(|i| i.sku_name.eq_ignore_ascii_case(r.sku_name.trim()) && region_code(&i.location) == region_code(&r.location))
    });
    let (sku_id, sku_name, reserved_resource_type, location) = match listed {
        Some(item) => (item.sku_id.clone(), item.sku_name.clone(), item.reserved_resource_type.clone(), item.location.clone()),
        None => (format!("{}/{}", r.sku_name, r.location), r.sku_name.clone(), family.unwrap_or_else(|| "VirtualMachines".into()), r.location.clone()),
    };
    // Not sold to this customer: not in its catalog, or its term restricted there.
    let not_in_catalog = listed.is_none_or(|item| item.restriction_of(r.term).is_some() || item.plans_of(r.term).is_empty());
    // The rules the desk holds for every purchase (a retired VM series × term) still say whether
    // it can be bought. Azure's price is asked when it is chosen to buy: the offer below prices
    // nothing (one minor unit, only the policy's verdict is read).
    let refusal = if not_in_catalog {
        None
    } else {
        let purchase = ExchangePurchaseRequest {
            sku_id: sku_id.clone(),
            term: r.term,
            billing_plan: BillingPlan::Upfront,
            quantity,
            applied_scope_type: scope_type,
            applied_scope_properties: scope.clone(),
            display_name: None,
            renew: false,
        };
        let mut own_scopes = scopes.to_vec();
        if let Some(properties) = &scope {
            own_scopes.push(Scope { applied_scope_type: AppliedScopeType::Single, applied_scope_properties: properties.clone() });
        }
        let nominal = crate::catalog::Offer {
            sku_name: sku_name.clone(),
            family: reserved_resource_type.clone(),
            location: location.clone(),
            short: crate::catalog::short_name(&sku_name),
            unit_price: Money::new(Decimal::new(1, 2), currency),
            unit_price_usd: Money::new(Decimal::new(1, 2), crate::catalog::usd()),
        };
        crate::purchase::quote_offer(&purchase, &nominal, Some(on_demand), &own_scopes, today).ok().and_then(|q| q.quote.policy_errors.first().cloned())
    };
    let key = format!("{}/{}", r.sku_name.trim().to_ascii_lowercase(), region_code(&r.location));
    Ok(Recommendation {
        id: crate::hash::guid(&format!("azure-recommendation/{customer_id}/{key}/{:?}/{}", r.term, r.subscription_id.as_deref().unwrap_or("shared"))),
        customer_id: customer_id.to_owned(),
        sku_id,
        not_in_catalog,
        sku_name,
        reserved_resource_type,
        location,
        term: r.term,
        applied_scope_type: scope_type,
        applied_scope_properties: scope,
        recommended_quantity: quantity,
        look_back_period,
        first_usage_date: r.first_usage_date.unwrap_or_else(|| today - chrono::Duration::days(i64::from(r.look_back_days))),
        cost_with_no_reserved_instances: without,
        total_cost_with_reserved_instances: with,
        net_savings: net,
        on_demand,
        savings_per_year,
        refusal,
        proposal: None,
    })
}

/// The yearly savings still on the table: the largest yearly savings of a buyable
/// recommendation per SKU and region and scope (one term of a SKU is bought, not both; Azure's
/// single-scope recommendations of two subscriptions are two purchases), summed; only those in
/// `currency` (Azure's modern recommendations name theirs).
pub fn savings_on_the_table(recommendations: &[Recommendation], currency: Currency) -> Result<Money, ServiceError> {
    let mut best: Vec<((&str, Option<&str>), Money)> = Vec::new();
    for r in recommendations.iter().filter(|r| r.refusal.is_none() && r.savings_per_year.currency == currency) {
        // Only what a purchase would save counts: a proposal that costs more is not on the table.
        let savings = r.savings_per_year;
        if savings.amount <= Decimal::ZERO {
            continue;
        }
        let key = (r.sku_id.as_str(), r.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.as_deref()));
        match best.iter_mut().find(|(k, _)| *k == key) {
            Some(b) if savings.amount > b.1.amount => b.1 = savings,
            Some(_) => {}
            None => best.push((key, savings)),
        }
    }
    best.into_iter().try_fold(Money::new(Decimal::ZERO, currency).round(), |sum, (_, s)| sum.checked_add(s).map_err(overflow))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn reservations_of(customer: &str) -> Vec<(contract::Reservation, UsageProfile)> {
        seed::demo_data(today()).reservations.into_iter().filter(|s| s.reservation.customer_id == customer).map(|s| (s.reservation, s.usage)).collect()
    }

    #[test]
    fn a_fully_used_sku_is_recommended_with_figures_that_add_up_and_a_proposal_that_saves() {
        let all: Vec<Recommendation> = contract::seed::CUSTOMERS
            .iter()
            .flat_map(|(id, ..)| of_customer(id, &reservations_of(id), &[], Currency::USD, LookBackPeriod::Last30Days, today()).unwrap())
            .collect();
        assert!(!all.is_empty(), "the demo has customers whose reservations are fully used");
        for r in &all {
            assert_eq!(r.net_savings, r.cost_with_no_reserved_instances.checked_sub(r.total_cost_with_reserved_instances).unwrap());
            assert!(r.net_savings.amount > Decimal::ZERO, "{r:?}");
            assert_eq!((r.on_demand.days, r.on_demand.quantity, r.on_demand.cost), (30, r.recommended_quantity, r.cost_with_no_reserved_instances));
            let savings = r.proposal.as_ref().unwrap().savings.expect("a proposal against the usage");
            assert_eq!(r.savings_per_year, savings.savings_per_year);
            assert!(savings.savings_total.amount > Decimal::ZERO && savings.break_even_month.is_some(), "{r:?}");
            let proposal = r.proposal.as_ref().unwrap();
            assert_eq!(proposal.commitment.amount, proposal.unit_price.amount * Decimal::from(r.recommended_quantity));
        }
    }

    #[test]
    fn only_skus_used_at_least_85_percent_are_recommended() {
        for (id, ..) in contract::seed::CUSTOMERS {
            let reservations = reservations_of(id);
            for r in of_customer(id, &reservations, &[], Currency::USD, LookBackPeriod::Last30Days, today()).unwrap() {
                let of_sku: Vec<_> = reservations.iter().filter(|(x, _)| format!("{}/{}", x.sku_name, x.location) == r.sku_id && x.provisioning_state == ProvisioningState::Succeeded && !x.archived).collect();
                let units: u32 = of_sku.iter().map(|(x, _)| x.quantity).sum();
                let weighted: u64 = of_sku.iter().map(|(x, u)| u64::from(u.level.unwrap_or(0)) * u64::from(x.quantity)).sum();
                assert!(weighted >= u64::from(FULLY_USED_PERCENT) * u64::from(units), "{}: {weighted} / {units}", r.sku_id);
                assert_eq!(r.recommended_quantity, (units / 4).max(1));
            }
        }
    }

    #[test]
    fn a_retired_series_term_is_recommended_as_not_buyable_with_the_rules_reason() {
        let mut r = reservations_of(contract::seed::CUSTOMERS[0].0);
        let (mut f, usage) = r[0].clone();
        f.sku_name = "Standard_F16s_v2".into();
        f.location = "westeurope".into();
        f.provisioning_state = ProvisioningState::Succeeded;
        f.archived = false;
        r = vec![(f, UsageProfile { level: Some(100), ..usage })];
        let found = of_customer("c", &r, &[], Currency::USD, LookBackPeriod::Last30Days, today()).unwrap();
        let one_year = found.iter().find(|x| x.term == Term::P1Y).unwrap();
        assert_eq!(one_year.refusal.as_ref().map(|e| e.code), Some(quote_engine::PolicyErrorCode::RetiredVmSeries));
        assert!(found.iter().find(|x| x.term == Term::P3Y).unwrap().refusal.is_none());
        assert!(found.last().unwrap().refusal.is_some(), "a refused one comes after the buyable ones");
        let table = savings_on_the_table(&found, Currency::USD).unwrap();
        assert_eq!(table, found.iter().find(|x| x.term == Term::P3Y).unwrap().savings_per_year, "the retired term is not on the table");
    }

    #[test]
    fn the_look_back_picked_is_the_period_of_the_costs_and_leaves_the_yearly_savings() {
        let id = contract::seed::CUSTOMERS.iter().map(|(id, ..)| *id).find(|id| !of_customer(id, &reservations_of(id), &[], Currency::USD, LookBackPeriod::Last30Days, today()).unwrap().is_empty()).unwrap();
        let of = |p| of_customer(id, &reservations_of(id), &[], Currency::USD, p, today()).unwrap();
        let (week, month, two) = (of(LookBackPeriod::Last7Days), of(LookBackPeriod::Last30Days), of(LookBackPeriod::Last60Days));
        for (list, days) in [(&week, 7), (&month, 30), (&two, 60)] {
            assert!(list.iter().all(|r| r.look_back_period.days() == days && r.on_demand.days == days && r.first_usage_date == today() - chrono::Duration::days(i64::from(days))));
        }
        assert!(two[0].cost_with_no_reserved_instances.amount > month[0].cost_with_no_reserved_instances.amount && month[0].cost_with_no_reserved_instances.amount > week[0].cost_with_no_reserved_instances.amount);
        assert_eq!(month.iter().map(|r| (&r.id, r.recommended_quantity)).collect::<Vec<_>>(), week.iter().map(|r| (&r.id, r.recommended_quantity)).collect::<Vec<_>>(), "the same SKUs and quantities");
    }

    fn from_azure(sku: &str, location: &str, term: Term, subscription: Option<&str>, quantity: &str, without: &str) -> Recommended {
        let without: Decimal = without.parse().unwrap();
        Recommended {
            sku_name: sku.into(),
            location: location.into(),
            resource_type: Some("virtualMachines".into()),
            term,
            subscription_id: subscription.map(str::to_owned),
            recommended_quantity: quantity.parse().unwrap(),
            look_back_days: 30,
            first_usage_date: NaiveDate::from_ymd_opt(2026, 10, 27),
            currency: None,
            cost_with_no_reserved_instances: without,
            total_cost_with_reserved_instances: without * Decimal::new(6, 1),
            net_savings: without * Decimal::new(4, 1),
        }
    }

    /// The customer's catalog as Azure lists it: D4s v5 and F16s v2 in West Europe for one and
    /// three years (no prices: Azure's are asked when bought).
    fn azure_catalog() -> Vec<contract::CatalogItem> {
        ["Standard_D4s_v5", "Standard_F16s_v2"]
            .into_iter()
            .map(|sku| contract::CatalogItem {
                sku_id: format!("{sku}/westeurope"),
                sku_name: sku.into(),
                reserved_resource_type: "VirtualMachines".into(),
                location: "westeurope".into(),
                prices: Vec::new(),
                retired_terms: Vec::new(),
                terms: [Term::P1Y, Term::P3Y].into_iter().map(|term| contract::CatalogTerm { term, billing_plans: vec![BillingPlan::Upfront] }).collect(),
                title: None,
                restrictions: Vec::new(),
            })
            .collect()
    }

    fn read(recommended: Vec<Recommended>) -> ReadFromAzure {
        ReadFromAzure { recommended, unread: Vec::new() }
    }

    #[test]
    fn azures_recommendations_keep_azures_own_figures_never_the_catalogs() {
        let read = read(vec![
            from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "2", "480.123456789"),
            from_azure("standard_d4s_v5", "West Europe", Term::P3Y, Some("sub-1"), "2.0", "480.123456789"),
        ]);
        let found = of_azure("c", &read, Some(&azure_catalog()), &[], Currency::USD, today());
        assert!(found.left_out.is_empty(), "{:?}", found.left_out);
        let one = found.recommendations.iter().find(|r| r.term == Term::P1Y).unwrap();
        assert_eq!((one.sku_id.as_str(), one.recommended_quantity, one.look_back_period, one.not_in_catalog), ("Standard_D4s_v5/westeurope", 2, LookBackPeriod::Last30Days, false));
        assert_eq!(one.cost_with_no_reserved_instances.amount.to_string(), "480.12", "rounded half-even to the cent");
        assert_eq!(one.net_savings.amount.to_string(), "192.05");
        // 192.0493827156 over 30 days, for 365.
        assert_eq!(one.savings_per_year.amount.to_string(), "2336.60");
        assert_eq!(one.proposal, None, "the catalog prices nothing");
        assert_eq!((one.on_demand.cost, one.on_demand.days, one.on_demand.quantity), (one.cost_with_no_reserved_instances, 30, 2));
        assert_eq!(one.first_usage_date, NaiveDate::from_ymd_opt(2026, 10, 27).unwrap());
        assert_eq!((one.applied_scope_type, one.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.as_deref())), (AppliedScopeType::Single, Some("/subscriptions/sub-1")));
        assert_eq!(of_azure("c", &read, Some(&azure_catalog()), &[], Currency::USD, today()), found, "the same read gives the same recommendations");
        assert_eq!(savings_on_the_table(&found.recommendations, Currency::USD).unwrap().amount.to_string(), "2336.60", "one term of the SKU is bought");
        // What is buyable is the customer's catalog's say: a term Azure restricts for the
        // customer is not sold to it; without a catalog (Azure's could not be read) nothing is
        // taken as buyable; the demo catalog is never asked.
        let mut restricted = azure_catalog();
        restricted[0].restrictions.push(contract::CatalogRestriction { kind: contract::RestrictionKind::Term, values: vec!["P1Y".into()], reason_code: "NotAvailableForSubscription".into() });
        let found = of_azure("c", &read, Some(&restricted), &[], Currency::USD, today());
        let by_term = |term| found.recommendations.iter().find(|r| r.term == term).unwrap().not_in_catalog;
        assert_eq!((by_term(Term::P1Y), by_term(Term::P3Y)), (true, false));
        let unknown = of_azure("c", &read, None, &[], Currency::USD, today());
        assert!(unknown.recommendations.iter().all(|r| r.not_in_catalog), "{:?}", unknown.recommendations);
        let demo_only = ReadFromAzure { recommended: vec![from_azure("Standard_D2s_v5", "eastus", Term::P1Y, None, "1", "100")], unread: Vec::new() };
        let elsewhere = of_azure("c", &demo_only, Some(&azure_catalog()), &[], Currency::USD, today());
        assert!(elsewhere.recommendations[0].not_in_catalog, "the demo catalog sells it; this customer's catalog does not");
    }

    #[test]
    fn every_service_and_kind_is_shown_and_a_shared_one_once() {
        let mut sql = from_azure("SQLDB_BC_Compute_Gen5", "westus2", Term::P3Y, Some("c6aa8a01-a744-44a7-a4f1-caad17512f27"), "35", "279881.9457795231");
        sql.resource_type = Some("sqldatabases".into());
        sql.currency = Some("EUR".into());
        sql.look_back_days = 60;
        let shared = from_azure("Standard_DS1_v2", "westus", Term::P1Y, None, "1", "12.0785105");
        let found = of_azure("c", &read(vec![sql, shared.clone(), shared]), Some(&azure_catalog()), &[], Currency::USD, today());
        assert!(found.left_out.is_empty(), "{:?}", found.left_out);
        assert_eq!(found.recommendations.len(), 2, "the shared one read from two subscriptions is one: {:?}", found.recommendations);
        let sql = found.recommendations.iter().find(|r| r.sku_name == "SQLDB_BC_Compute_Gen5").unwrap();
        assert!(sql.not_in_catalog && sql.refusal.is_none() && sql.proposal.is_none());
        assert_eq!((sql.reserved_resource_type.as_str(), sql.location.as_str(), sql.recommended_quantity, sql.look_back_period), ("SqlDatabases", "westus2", 35, LookBackPeriod::Last60Days));
        assert_eq!((sql.cost_with_no_reserved_instances.to_string(), sql.net_savings.currency), ("279881.95 EUR".to_string(), "EUR".parse().unwrap()), "Azure's currency");
        let shared = found.recommendations.iter().find(|r| r.applied_scope_type == AppliedScopeType::Shared).unwrap();
        assert!(shared.not_in_catalog, "Standard_DS1_v2 in West US is not in the customer's catalog: shown anyway");
        assert_eq!(savings_on_the_table(&found.recommendations, Currency::USD).unwrap(), shared.savings_per_year, "EUR is not added to USD");
    }

    #[test]
    fn what_the_desk_cannot_show_is_left_out_with_why() {
        let mut odd_look_back = from_azure("Standard_E8s_v5", "eastus", Term::P1Y, None, "1", "600");
        odd_look_back.look_back_days = 90;
        let mut odd_currency = from_azure("Standard_E8s_v5", "eastus", Term::P3Y, None, "1", "600");
        odd_currency.currency = Some("dollars".into());
        let unread = LeftOutRecommendation {
            sku_name: Some("Standard_B2s".into()),
            location: None,
            applied_scope_type: Some(AppliedScopeType::Shared),
            subscription_id: None,
            term: None,
            reserved_resource_type: Some("VirtualMachines".into()),
            reason: LeftOutReason::Incomplete,
            detail: "Azure gave no location.".into(),
        };
        let read = ReadFromAzure {
            recommended: vec![
                from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "1.5", "100"),
                from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "0", "100"),
                odd_look_back,
                odd_currency,
                from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "1", "240"),
                from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-2"), "1", "240"),
                from_azure("Standard_F16s_v2", "westeurope", Term::P1Y, None, "1", "800"),
                // Usage a reservation would not have saved anything on: not offered.
                from_azure("Standard_D4s_v5", "westeurope", Term::P3Y, Some("sub-1"), "1", "0"),
            ],
            unread: vec![unread.clone()],
        };
        let found = of_azure("c", &read, Some(&azure_catalog()), &[], Currency::USD, today());
        let reasons: Vec<LeftOutReason> = found.left_out.iter().map(|l| l.reason).collect();
        use LeftOutReason::*;
        assert_eq!(reasons, [Incomplete, NotWholeQuantity, NotWholeQuantity, UnknownLookBack, UnknownCurrency, NoSavings], "{:?}", found.left_out);
        assert_eq!(found.left_out[0], unread, "what Azure listed but could not be read comes first, as it was");
        let whole = &found.left_out[1];
        assert_eq!((whole.sku_name.as_deref(), whole.location.as_deref(), whole.applied_scope_type, whole.subscription_id.as_deref()), (Some("Standard_D4s_v5"), Some("westeurope"), Some(AppliedScopeType::Single), Some("sub-1")));
        assert!(whole.detail.contains("1.5") && found.left_out[3].detail.contains("90 days"), "{:?}", found.left_out);
        assert_eq!(found.recommendations.len(), 3);
        let retired = found.recommendations.last().unwrap();
        assert_eq!((retired.sku_name.as_str(), retired.refusal.as_ref().map(|e| e.code)), ("Standard_F16s_v2", Some(quote_engine::PolicyErrorCode::RetiredVmSeries)), "refused, last");
        assert_eq!(retired.applied_scope_type, AppliedScopeType::Shared);
        let each = found.recommendations[0].savings_per_year;
        assert_ne!(found.recommendations[0].id, found.recommendations[1].id);
        assert_eq!(savings_on_the_table(&found.recommendations, Currency::USD).unwrap(), each.checked_add(each).unwrap(), "one purchase per subscription");
    }
}
