//! What to buy for a customer in local mode, from the usage the desk's own reservations show:
//! where a customer's reservations of a SKU in a region are (almost) fully used, the usage beyond
//! them runs on demand, and Microsoft.Consumption would recommend more of the same SKU. The
//! figures follow its legacy recommendations: the on-demand cost of that usage over the
//! look-back period, what it would have cost reserved, and the difference; the engine then
//! prices buying it ([`crate::purchase::quote`]). Deterministic: the same reservations and day
//! give the same recommendations.
//!
//! In Azure mode the recommendations are Microsoft.Consumption's own ([`of_azure`]): Azure's
//! figures, each priced by the engine from the desk's catalog as local mode's are.

use chrono::NaiveDate;
use contract::{AppliedScopeProperties, AppliedScopeType, ExchangePurchaseRequest, LookBackPeriod, ProvisioningState, Recommendation, Scope};
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

/// The look-back period the desk recommends from.
const LOOK_BACK: LookBackPeriod = LookBackPeriod::Last30Days;

/// The terms recommended for each SKU: the longest saves most, the shortest commits least.
const TERMS: [Term; 2] = [Term::P1Y, Term::P3Y];

/// The recommendations of `customer_id` from its `reservations` (each with its usage) as of
/// `today`, billed in `currency`, for its `scopes`: one per fully used SKU and region and term,
/// largest savings first.
pub fn of_customer(
    customer_id: &str,
    reservations: &[(contract::Reservation, UsageProfile)],
    scopes: &[Scope],
    currency: Currency,
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
    let days = LOOK_BACK.days();
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
            out.push(Recommendation {
                id: crate::hash::guid(&format!("recommendation/{customer_id}/{sku_id}/{term:?}")),
                customer_id: customer_id.to_owned(),
                sku_id: sku_id.clone(),
                sku_name: sku.sku.to_owned(),
                reserved_resource_type: sku.family.to_owned(),
                location: region.to_owned(),
                term,
                applied_scope_type: AppliedScopeType::Shared,
                applied_scope_properties: None,
                recommended_quantity: quantity,
                look_back_period: LOOK_BACK,
                first_usage_date,
                cost_with_no_reserved_instances: cost_on_demand,
                total_cost_with_reserved_instances: cost_reserved,
                net_savings: cost_on_demand.checked_sub(cost_reserved).map_err(overflow)?,
                on_demand,
                refusal: proposal.policy_errors.first().cloned(),
                proposal,
            });
        }
    }
    sort(&mut out);
    Ok(out)
}

/// Largest savings a year first; a refused one after every buyable one.
fn sort(recommendations: &mut [Recommendation]) {
    let yearly = |r: &Recommendation| r.proposal.savings.map_or(Decimal::MIN, |s| s.savings_per_year.amount);
    recommendations.sort_by(|a, b| a.refusal.is_some().cmp(&b.refusal.is_some()).then(yearly(b).cmp(&yearly(a))).then(a.id.cmp(&b.id)));
}

/// One of Microsoft.Consumption's reservation recommendations (legacy kind) as Azure mode reads
/// it (what the desk's `Upstream` port answers); its amounts in the customer's billing currency, as Azure's legacy recommendations name
/// none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommended {
    /// E.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// E.g. `westeurope`.
    pub location: String,
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
    /// What that usage cost without reservations.
    pub cost_with_no_reserved_instances: Decimal,
    /// What it would have cost with them.
    pub total_cost_with_reserved_instances: Decimal,
    /// The difference.
    pub net_savings: Decimal,
}

/// A recommendation of Azure's the desk does not show, with why (a SKU its catalog cannot
/// price, a quantity it cannot buy, a look-back period it does not know).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// Azure's SKU.
    pub sku_name: String,
    /// Azure's region.
    pub location: String,
    /// The term.
    pub term: Term,
    /// Why it is left out.
    pub why: String,
}

/// Azure's recommendations as the desk shows them, and those it leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromAzure {
    /// Largest yearly savings first; the ones that cannot be bought last.
    pub recommendations: Vec<Recommendation>,
    /// Those the desk cannot show, with why.
    pub left_out: Vec<LeftOut>,
}

/// The catalog SKU (`{sku}/{region}`) Azure's SKU and region name, whatever their case (Azure
/// writes `westeurope`; a display name such as `West Europe` is taken too).
fn catalog_sku_id(sku_name: &str, location: &str) -> Option<String> {
    let region: String = location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let sku = crate::catalog::CATALOG.iter().find(|s| s.sku.eq_ignore_ascii_case(sku_name.trim()))?;
    find_sku(&format!("{}/{region}", sku.sku)).map(|(sku, region)| format!("{}/{region}", sku.sku))
}

/// The look-back period of `days` as the contract names it.
fn look_back_of(days: u32) -> Option<LookBackPeriod> {
    [LookBackPeriod::Last7Days, LookBackPeriod::Last30Days, LookBackPeriod::Last60Days].into_iter().find(|p| p.days() == days)
}

/// `customer_id`'s recommendations from Microsoft.Consumption's `recommended`, as of `today`,
/// billed in `currency`, for its `scopes`: Azure's figures (rounded half-even to the currency's
/// minor unit), each with the engine's proposal of buying the recommended quantity upfront
/// today against Azure's on-demand cost (`onDemand`: `costWithNoReservedInstances` over the
/// look-back days for the recommended units), sorted as local mode's. A single-scope proposal is
/// quoted for Azure's subscription, which Azure found in the customer's tenant. One the desk
/// cannot price or buy is left out with why; none fails the others.
pub fn of_azure(customer_id: &str, recommended: &[Recommended], scopes: &[Scope], currency: Currency, today: NaiveDate) -> FromAzure {
    let mut out = FromAzure { recommendations: Vec::new(), left_out: Vec::new() };
    for r in recommended {
        match one_of_azure(customer_id, r, scopes, currency, today) {
            Ok(recommendation) => out.recommendations.push(recommendation),
            Err(why) => out.left_out.push(LeftOut { sku_name: r.sku_name.to_owned(), location: r.location.to_owned(), term: r.term, why }),
        }
    }
    sort(&mut out.recommendations);
    out
}

fn one_of_azure(customer_id: &str, r: &Recommended, scopes: &[Scope], currency: Currency, today: NaiveDate) -> Result<Recommendation, String> {
    let sku_id = catalog_sku_id(&r.sku_name, &r.location)
        .ok_or_else(|| format!("{} in {} is not in the desk's catalog, which prices every proposal.", r.sku_name, r.location))?;
    let (sku, region) = find_sku(&sku_id).ok_or_else(|| format!("{sku_id} is not in the desk's catalog."))?;
    let quantity = Some(r.recommended_quantity)
        .filter(|q| q.fract().is_zero() && *q >= Decimal::ONE)
        .and_then(|q| u32::try_from(q.mantissa() / 10_i128.pow(q.scale())).ok())
        .ok_or_else(|| format!("Azure recommends {} units, which is not a whole number of units to buy.", r.recommended_quantity))?;
    let look_back_period = look_back_of(r.look_back_days).ok_or_else(|| format!("Azure looked back {} days, a period the desk does not know.", r.look_back_days))?;
    let money = |amount: Decimal| Money::new(amount, currency).round();
    let (without, with, net) = (money(r.cost_with_no_reserved_instances), money(r.total_cost_with_reserved_instances), money(r.net_savings));
    // A reservation that would not have saved anything over the usage looked at is not offered.
    if net.amount <= Decimal::ZERO || without.amount <= Decimal::ZERO {
        return Err(format!("Azure's figures show no savings ({} on demand, {} net savings over {} days).", without, net, r.look_back_days));
    }
    let on_demand = OnDemandUsage { cost: without, days: r.look_back_days, quantity };
    let scope = r.subscription_id.as_deref().map(|id| AppliedScopeProperties { subscription_id: Some(format!("/subscriptions/{id}")), ..Default::default() });
    let scope_type = if scope.is_some() { AppliedScopeType::Single } else { AppliedScopeType::Shared };
    let mut own_scopes = scopes.to_vec();
    if let Some(properties) = &scope {
        own_scopes.push(Scope { applied_scope_type: AppliedScopeType::Single, applied_scope_properties: properties.clone() });
    }
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
    let proposal = crate::purchase::quote(&purchase, Some(on_demand), &own_scopes, currency, today).map_err(|e| format!("The desk cannot price it: {e}"))?.quote;
    let days = i64::from(r.look_back_days);
    Ok(Recommendation {
        id: crate::hash::guid(&format!("azure-recommendation/{customer_id}/{sku_id}/{:?}/{}", r.term, r.subscription_id.as_deref().unwrap_or("shared"))),
        customer_id: customer_id.to_owned(),
        sku_id,
        sku_name: sku.sku.to_owned(),
        reserved_resource_type: sku.family.to_owned(),
        location: region.to_owned(),
        term: r.term,
        applied_scope_type: scope_type,
        applied_scope_properties: scope,
        recommended_quantity: quantity,
        look_back_period,
        first_usage_date: r.first_usage_date.unwrap_or_else(|| today - chrono::Duration::days(days)),
        cost_with_no_reserved_instances: without,
        total_cost_with_reserved_instances: with,
        net_savings: net,
        on_demand,
        refusal: proposal.policy_errors.first().cloned(),
        proposal,
    })
}

/// The yearly savings still on the table: the largest yearly savings of a buyable
/// recommendation per SKU and region and scope (one term of a SKU is bought, not both; Azure's
/// single-scope recommendations of two subscriptions are two purchases), summed.
pub fn savings_on_the_table(recommendations: &[Recommendation], currency: Currency) -> Result<Money, ServiceError> {
    let mut best: Vec<((&str, Option<&str>), Money)> = Vec::new();
    for r in recommendations.iter().filter(|r| r.refusal.is_none()) {
        // Only what a purchase would save counts: a proposal that costs more is not on the table.
        let Some(savings) = r.proposal.savings.map(|s| s.savings_per_year).filter(|s| s.amount > Decimal::ZERO) else { continue };
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
            .flat_map(|(id, ..)| of_customer(id, &reservations_of(id), &[], Currency::USD, today()).unwrap())
            .collect();
        assert!(!all.is_empty(), "the demo has customers whose reservations are fully used");
        for r in &all {
            assert_eq!(r.net_savings, r.cost_with_no_reserved_instances.checked_sub(r.total_cost_with_reserved_instances).unwrap());
            assert!(r.net_savings.amount > Decimal::ZERO, "{r:?}");
            assert_eq!((r.on_demand.days, r.on_demand.quantity, r.on_demand.cost), (30, r.recommended_quantity, r.cost_with_no_reserved_instances));
            let savings = r.proposal.savings.expect("a proposal against the usage");
            assert!(savings.savings_total.amount > Decimal::ZERO && savings.break_even_month.is_some(), "{r:?}");
            assert_eq!(r.proposal.commitment.amount, r.proposal.unit_price.amount * Decimal::from(r.recommended_quantity));
        }
    }

    #[test]
    fn only_skus_used_at_least_85_percent_are_recommended() {
        for (id, ..) in contract::seed::CUSTOMERS {
            let reservations = reservations_of(id);
            for r in of_customer(id, &reservations, &[], Currency::USD, today()).unwrap() {
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
        let found = of_customer("c", &r, &[], Currency::USD, today()).unwrap();
        let one_year = found.iter().find(|x| x.term == Term::P1Y).unwrap();
        assert_eq!(one_year.refusal.as_ref().map(|e| e.code), Some(quote_engine::PolicyErrorCode::RetiredVmSeries));
        assert!(found.iter().find(|x| x.term == Term::P3Y).unwrap().refusal.is_none());
        assert!(found.last().unwrap().refusal.is_some(), "a refused one comes after the buyable ones");
        let table = savings_on_the_table(&found, Currency::USD).unwrap();
        assert_eq!(table, found.iter().find(|x| x.term == Term::P3Y).unwrap().proposal.savings.unwrap().savings_per_year, "the retired term is not on the table");
    }

    fn from_azure(sku: &str, location: &str, term: Term, subscription: Option<&str>, quantity: &str, without: &str) -> Recommended {
        let without: Decimal = without.parse().unwrap();
        Recommended {
            sku_name: sku.into(),
            location: location.into(),
            term,
            subscription_id: subscription.map(str::to_owned),
            recommended_quantity: quantity.parse().unwrap(),
            look_back_days: 30,
            first_usage_date: NaiveDate::from_ymd_opt(2026, 10, 27),
            cost_with_no_reserved_instances: without,
            total_cost_with_reserved_instances: without * Decimal::new(6, 1),
            net_savings: without * Decimal::new(4, 1),
        }
    }

    #[test]
    fn azures_recommendations_keep_azures_figures_and_are_priced_by_the_engine() {
        let read = [
            from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "2", "480.123456789"),
            from_azure("standard_d4s_v5", "West Europe", Term::P3Y, Some("sub-1"), "2.0", "480.123456789"),
        ];
        let found = of_azure("c", &read, &[], Currency::USD, today());
        assert!(found.left_out.is_empty(), "{:?}", found.left_out);
        let one = found.recommendations.iter().find(|r| r.term == Term::P1Y).unwrap();
        assert_eq!((one.sku_id.as_str(), one.recommended_quantity, one.look_back_period), ("Standard_D4s_v5/westeurope", 2, LookBackPeriod::Last30Days));
        assert_eq!(one.cost_with_no_reserved_instances.amount.to_string(), "480.12", "rounded half-even to the cent");
        assert_eq!(one.net_savings.amount.to_string(), "192.05");
        assert_eq!((one.on_demand.cost, one.on_demand.days, one.on_demand.quantity), (one.cost_with_no_reserved_instances, 30, 2));
        assert_eq!(one.first_usage_date, NaiveDate::from_ymd_opt(2026, 10, 27).unwrap());
        assert_eq!((one.applied_scope_type, one.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.as_deref())), (AppliedScopeType::Single, Some("/subscriptions/sub-1")));
        // 1752.00 a unit for a year; against 480.12 on demand over 30 days for 2 units.
        assert_eq!(one.proposal.commitment.amount.to_string(), "3504.00");
        let savings = one.proposal.savings.unwrap();
        let days = Decimal::from((one.proposal.expiry_date - today()).num_days());
        assert_eq!(savings.on_demand_total.amount, (Decimal::new(48012, 2) / Decimal::from(30) * days).round_dp(2));
        assert_eq!(savings.savings_total.amount, savings.on_demand_total.amount - Decimal::new(350400, 2));
        assert_eq!(of_azure("c", &read, &[], Currency::USD, today()), found, "the same read gives the same recommendations");
        let best = found.recommendations.iter().filter_map(|r| r.proposal.savings).map(|s| s.savings_per_year.amount).max().unwrap();
        assert_eq!(savings_on_the_table(&found.recommendations, Currency::USD).unwrap().amount, best, "one term of the SKU is bought");
    }

    #[test]
    fn what_the_desk_cannot_price_or_buy_is_left_out_with_why_and_two_subscriptions_are_two_purchases() {
        let mut odd_look_back = from_azure("Standard_E8s_v5", "eastus", Term::P1Y, None, "1", "600");
        odd_look_back.look_back_days = 90;
        let read = [
            from_azure("Standard_D2s_v3", "westeurope", Term::P1Y, Some("sub-1"), "3", "100"),
            from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "1.5", "100"),
            from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "0", "100"),
            from_azure("Standard_D4s_v5", "brazilsouth", Term::P1Y, Some("sub-1"), "1", "100"),
            odd_look_back,
            from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-1"), "1", "240"),
            from_azure("Standard_D4s_v5", "westeurope", Term::P1Y, Some("sub-2"), "1", "240"),
            from_azure("Standard_F16s_v2", "westeurope", Term::P1Y, None, "1", "800"),
            // Usage a reservation would not have saved anything on: not offered.
            from_azure("Standard_D4s_v5", "westeurope", Term::P3Y, Some("sub-1"), "1", "0"),
        ];
        let found = of_azure("c", &read, &[], Currency::USD, today());
        let why: Vec<&str> = found.left_out.iter().map(|l| l.why.as_str()).collect();
        assert_eq!(why.len(), 6, "{why:?}");
        assert!(why[5].contains("no savings"), "{why:?}");
        assert!(why[0].contains("not in the desk's catalog") && why[3].contains("not in the desk's catalog"), "{why:?}");
        assert!(why[1].contains("whole number") && why[2].contains("whole number") && why[4].contains("90 days"), "{why:?}");
        assert_eq!(found.recommendations.len(), 3);
        let retired = found.recommendations.last().unwrap();
        assert_eq!((retired.sku_name.as_str(), retired.refusal.as_ref().map(|e| e.code)), ("Standard_F16s_v2", Some(quote_engine::PolicyErrorCode::RetiredVmSeries)), "refused, last");
        assert_eq!(retired.applied_scope_type, AppliedScopeType::Shared);
        let each = found.recommendations[0].proposal.savings.unwrap().savings_per_year;
        assert_ne!(found.recommendations[0].id, found.recommendations[1].id);
        assert_eq!(savings_on_the_table(&found.recommendations, Currency::USD).unwrap(), each.checked_add(each).unwrap(), "one purchase per subscription");
    }
}
