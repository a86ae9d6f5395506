//! What to buy for a customer in local mode, from the usage the desk's own reservations show:
//! where a customer's reservations of a SKU in a region are (almost) fully used, the usage beyond
//! them runs on demand, and Microsoft.Consumption would recommend more of the same SKU. The
//! figures follow its legacy recommendations: the on-demand cost of that usage over the
//! look-back period, what it would have cost reserved, and the difference; the engine then
//! prices buying it ([`crate::purchase::quote`]). Deterministic: the same reservations and day
//! give the same recommendations.

use chrono::NaiveDate;
use contract::{AppliedScopeType, ExchangePurchaseRequest, LookBackPeriod, ProvisioningState, Recommendation, Scope};
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
    // Largest savings a year first; a refused one after every buyable one.
    let yearly = |r: &Recommendation| r.proposal.savings.map_or(Decimal::MIN, |s| s.savings_per_year.amount);
    out.sort_by(|a, b| a.refusal.is_some().cmp(&b.refusal.is_some()).then(yearly(b).cmp(&yearly(a))).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The yearly savings still on the table: the largest yearly savings of a buyable
/// recommendation per SKU and region (one term of a SKU is bought, not both), summed.
pub fn savings_on_the_table(recommendations: &[Recommendation], currency: Currency) -> Result<Money, ServiceError> {
    let mut best: Vec<(&str, Money)> = Vec::new();
    for r in recommendations.iter().filter(|r| r.refusal.is_none()) {
        let Some(savings) = r.proposal.savings.map(|s| s.savings_per_year) else { continue };
        match best.iter_mut().find(|(id, _)| *id == r.sku_id) {
            Some(b) if savings.amount > b.1.amount => b.1 = savings,
            Some(_) => {}
            None => best.push((&r.sku_id, savings)),
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
}
