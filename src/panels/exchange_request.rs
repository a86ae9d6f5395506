//! The exchange form's inputs as typed (return and purchase lines, or the savings plan of a
//! trade-in) and the request they describe: pure, so the rules of what may be sent are tested
//! without a browser.

use contract::{
    AppliedScopeType, CalculateExchangeRequest, CatalogItem, ExchangePurchaseRequest, ExchangeReturnRequest, SavingsPlanPurchaseRequest, Scope,
};
use desk_service::exchange::MAX_PURCHASE_QUANTITY;
use desk_service::quantity::{parse_optional_quantity, parse_quantity};

use crate::components::number_field::{parse_positive_decimal, NumberFormat, NumberProblem};
use quote_engine::{BillingPlan, Currency, Money, Term};

/// One purchase line as typed: the SKU, term, plan, quantity text and scope (0: Shared, else
/// the index + 1 of one of the customer's own scopes).
#[derive(Clone, Debug, PartialEq)]
pub struct PurchaseLine {
    pub sku_id: String,
    pub term: Term,
    pub plan: BillingPlan,
    pub quantity: String,
    pub scope: usize,
}

impl PurchaseLine {
    pub fn new(sku_id: String) -> Self {
        Self { sku_id, term: Term::P3Y, plan: BillingPlan::Upfront, quantity: "1".into(), scope: 0 }
    }
}

/// The SKU a new purchase line starts at: the first of `items` (the catalog of the returned
/// reservation's family) in the reservation's own `region`, else the first of any region; empty
/// when there is none.
pub fn default_purchase_sku(items: &[CatalogItem], region: &str) -> String {
    items.iter().find(|i| i.location == region).or_else(|| items.first()).map(|i| i.sku_id.clone()).unwrap_or_default()
}

/// The savings plan of a trade-in as typed: term, billing plan, name, the hourly commitment's
/// text and the scope (0: Shared, else the index + 1 of one of the customer's own scopes).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanLine {
    /// The savings plan's SKU: the one the returned reservation's type may be traded for
    /// (`Compute_Savings_Plan` or `Database_Savings_Plan`).
    pub sku_name: String,
    pub term: Term,
    pub plan: BillingPlan,
    pub display_name: String,
    pub hourly: String,
    pub scope: usize,
}

impl PlanLine {
    pub fn new(sku_name: &str, term: Term) -> Self {
        Self { sku_name: sku_name.to_owned(), term, plan: BillingPlan::Upfront, display_name: String::new(), hourly: String::new(), scope: 0 }
    }
}

/// An hourly commitment as typed: a positive amount in `currency` with at most its minor unit's
/// decimals, written in the user's number `format` (`1.000,50` or `12,5` in German, `12.5`
/// everywhere), else why not. The server refuses the same (zero, a fraction of a cent).
pub fn parse_hourly(text: &str, currency: Currency, format: NumberFormat) -> Result<Money, NumberProblem> {
    parse_positive_decimal(text, format, currency.minor_units()).map(|amount| Money::new(amount, currency))
}

/// The smallest hourly commitment `currency` writes (one cent in USD): what a trade-in is quoted
/// with while none is typed, to learn the minimum (the minimum does not depend on it).
pub fn smallest_hourly(currency: Currency) -> Money {
    Money::new(rust_decimal::Decimal::new(1, currency.minor_units()), currency)
}

/// The savings plan `line` describes, with `hourly` as its commitment; a blank name asks for
/// none (the desk names it).
pub fn plan_request(line: &PlanLine, hourly: Money, scopes: &[Scope]) -> SavingsPlanPurchaseRequest {
    let scope = line.scope.checked_sub(1).and_then(|i| scopes.get(i));
    SavingsPlanPurchaseRequest {
        sku_name: line.sku_name.clone(),
        term: line.term,
        billing_plan: line.plan,
        hourly_commitment: hourly,
        applied_scope_type: scope.map_or(AppliedScopeType::Shared, |s| s.applied_scope_type),
        applied_scope_properties: scope.map(|s| s.applied_scope_properties.clone()),
        display_name: Some(line.display_name.trim().to_owned()).filter(|n| !n.is_empty()),
    }
}

/// The trade-in the inputs describe, or `None` while a quantity or the hourly commitment is not
/// valid. With `probe`, a commitment that is not valid yet is replaced by the smallest one, so
/// the quote still says the minimum.
pub fn trade_in_request(
    returns: &[ReturnLine],
    line: &PlanLine,
    currency: Currency,
    format: NumberFormat,
    scopes: &[Scope],
    probe: bool,
) -> Option<CalculateExchangeRequest> {
    let hourly = parse_hourly(&line.hourly, currency, format).ok().or_else(|| probe.then(|| smallest_hourly(currency)))?;
    Some(CalculateExchangeRequest {
        reservations_to_exchange: return_requests(returns)?,
        reservations_to_purchase: Vec::new(),
        savings_plans_to_purchase: vec![plan_request(line, hourly, scopes)],
    })
}

/// The returns the lines describe, or `None` while a quantity is not valid: the first line is
/// this reservation (at least 1); the others join only with a quantity.
fn return_requests(returns: &[ReturnLine]) -> Option<Vec<ExchangeReturnRequest>> {
    let (first, others) = returns.split_first()?;
    let mut reservations_to_exchange =
        vec![ExchangeReturnRequest {
            reservation_id: first.reservation_id.clone(),
            quantity: parse_quantity(&first.quantity, first.max)?,
            reservation_order_id: None,
        }];
    for other in others {
        let quantity = parse_optional_quantity(&other.quantity, other.max)?;
        if quantity > 0 {
            reservations_to_exchange.push(ExchangeReturnRequest { reservation_id: other.reservation_id.clone(), quantity, reservation_order_id: None });
        }
    }
    Some(reservations_to_exchange)
}

/// One returned reservation as typed: its ID, the quantity text and how many it has.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnLine {
    pub reservation_id: String,
    pub quantity: String,
    pub max: u32,
}

/// The request the inputs describe, or `None` while a quantity is not a valid number. The
/// first return line is this reservation (at least 1); the others are optional.
pub fn request(returns: &[ReturnLine], lines: &[PurchaseLine], scopes: &[Scope]) -> Option<CalculateExchangeRequest> {
    let reservations_to_exchange = return_requests(returns)?;
    let purchases = lines
        .iter()
        .map(|l| {
            let scope = l.scope.checked_sub(1).and_then(|i| scopes.get(i));
            Some(ExchangePurchaseRequest {
                sku_id: l.sku_id.clone(),
                term: l.term,
                billing_plan: l.plan,
                quantity: parse_quantity(&l.quantity, MAX_PURCHASE_QUANTITY)?,
                applied_scope_type: scope.map_or(AppliedScopeType::Shared, |s| s.applied_scope_type),
                applied_scope_properties: scope.map(|s| s.applied_scope_properties.clone()),
                display_name: None,
                renew: false,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(CalculateExchangeRequest { reservations_to_exchange, reservations_to_purchase: purchases, savings_plans_to_purchase: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::AppliedScopeProperties;

    const EN: NumberFormat = NumberFormat { decimal: '.', group: crate::components::number_field::Group::Comma };
    const DE: NumberFormat = NumberFormat { decimal: ',', group: crate::components::number_field::Group::Point };

    fn line(q: &str) -> PurchaseLine {
        PurchaseLine { quantity: q.into(), ..PurchaseLine::new("S/westeurope".into()) }
    }

    fn item(sku: &str, location: &str) -> CatalogItem {
        CatalogItem {
            sku_id: format!("{sku}/{location}"),
            sku_name: sku.into(),
            reserved_resource_type: "VirtualMachines".into(),
            location: location.into(),
            prices: Vec::new(),
            retired_terms: Vec::new(),
            terms: Vec::new(),
            title: None,
            restrictions: Vec::new(),
        }
    }

    #[test]
    fn a_new_purchase_line_starts_in_the_returned_reservations_region() {
        let catalog = [item("Standard_D2s_v5", "westeurope"), item("Standard_D2s_v5", "eastus"), item("Standard_D4s_v5", "eastus")];
        assert_eq!(default_purchase_sku(&catalog, "eastus"), "Standard_D2s_v5/eastus");
        assert_eq!(default_purchase_sku(&catalog, "westeurope"), "Standard_D2s_v5/westeurope");
        // A region the catalog does not sell in: its first SKU, as before.
        assert_eq!(default_purchase_sku(&catalog, "japaneast"), "Standard_D2s_v5/westeurope");
        assert_eq!(default_purchase_sku(&[], "eastus"), "");
    }

    fn returns(this: &str, others: &[&str]) -> Vec<ReturnLine> {
        std::iter::once(ReturnLine { reservation_id: "r".into(), quantity: this.into(), max: 3 })
            .chain(others.iter().enumerate().map(|(i, q)| ReturnLine { reservation_id: format!("o{i}"), quantity: (*q).into(), max: 2 }))
            .collect()
    }

    #[test]
    fn the_request_waits_for_valid_quantities() {
        assert!(request(&returns("1", &[]), &[line("2")], &[]).is_some());
        assert!(request(&returns("4", &[]), &[line("2")], &[]).is_none());
        assert!(request(&returns("0", &[]), &[line("2")], &[]).is_none(), "this reservation gives at least one");
        assert!(request(&returns("1", &[]), &[line("0")], &[]).is_none());
        assert!(request(&returns("1", &[]), &[line("1001")], &[]).is_none());
        let ok = request(&returns("2", &[]), &[line("1"), line("5")], &[]).unwrap();
        assert_eq!(ok.reservations_to_exchange[0].quantity, 2);
        assert_eq!(ok.reservations_to_purchase[1].quantity, 5);
    }

    #[test]
    fn other_reservations_join_the_return_only_with_a_quantity() {
        let ok = request(&returns("1", &["0", "2", ""]), &[line("1")], &[]).unwrap();
        let ids: Vec<_> = ok.reservations_to_exchange.iter().map(|r| (r.reservation_id.as_str(), r.quantity)).collect();
        assert_eq!(ids, [("r", 1), ("o1", 2)]);
        assert!(request(&returns("1", &["3"]), &[line("1")], &[]).is_none(), "more than that reservation has");
        assert!(request(&returns("1", &["x"]), &[line("1")], &[]).is_none());
    }

    #[test]
    fn a_purchase_takes_the_chosen_scope_of_the_customer() {
        let scope = Scope {
            applied_scope_type: AppliedScopeType::Single,
            applied_scope_properties: AppliedScopeProperties { subscription_id: Some("/subscriptions/s1".into()), ..Default::default() },
        };
        let shared = request(&returns("1", &[]), &[line("1")], std::slice::from_ref(&scope)).unwrap();
        assert_eq!(shared.reservations_to_purchase[0].applied_scope_type, AppliedScopeType::Shared);
        assert_eq!(shared.reservations_to_purchase[0].applied_scope_properties, None);
        let single = request(&returns("1", &[]), &[PurchaseLine { scope: 1, ..line("1") }], std::slice::from_ref(&scope)).unwrap();
        assert_eq!(single.reservations_to_purchase[0].applied_scope_type, AppliedScopeType::Single);
        assert_eq!(single.reservations_to_purchase[0].applied_scope_properties, Some(scope.applied_scope_properties));
    }

    fn usd() -> Currency {
        Currency::new("USD").unwrap()
    }

    #[test]
    fn an_hourly_commitment_is_positive_and_to_the_currencys_minor_unit() {
        assert_eq!(parse_hourly("12.5", usd(), EN).unwrap().amount, rust_decimal::Decimal::new(125, 1));
        assert_eq!(parse_hourly(" 0.01 ", usd(), EN).unwrap().amount, rust_decimal::Decimal::new(1, 2));
        assert_eq!(parse_hourly("3.100", usd(), EN).unwrap().amount, rust_decimal::Decimal::new(3100, 3), "trailing zeros are not precision");
        assert_eq!(parse_hourly("0,25", usd(), DE).unwrap().amount, rust_decimal::Decimal::new(25, 2), "German");
        assert_eq!(parse_hourly("0.25", usd(), DE).unwrap().amount, rust_decimal::Decimal::new(25, 2), "a point in German too");
        assert_eq!(parse_hourly("1.000,50", usd(), DE).unwrap().amount, rust_decimal::Decimal::new(10005, 1), "a German thousand and a half dollar");
        assert_eq!(parse_hourly("1,000.50", usd(), EN).unwrap().amount, rust_decimal::Decimal::new(10005, 1), "the same in English");
        for refused in ["", "0", "0.00", "-1", "0.001", "1,5", "abc", "1e3"] {
            assert!(parse_hourly(refused, usd(), EN).is_err(), "{refused:?}");
        }
        let jpy = Currency::new("JPY").unwrap();
        assert!(parse_hourly("12.5", jpy, EN).is_err(), "yen have no decimals");
        assert_eq!(smallest_hourly(usd()).amount.to_string(), "0.01");
        assert_eq!(smallest_hourly(jpy).amount.to_string(), "1");
    }

    #[test]
    fn a_trade_in_buys_one_compute_plan_and_no_reservation_and_probes_with_the_smallest_commitment() {
        let scope = Scope {
            applied_scope_type: AppliedScopeType::Single,
            applied_scope_properties: AppliedScopeProperties { subscription_id: Some("/subscriptions/s1".into()), ..Default::default() },
        };
        let line = PlanLine { hourly: "1.25".into(), display_name: "  Plan A ".into(), scope: 1, ..PlanLine::new(quote_engine::COMPUTE_SAVINGS_PLAN, Term::P1Y) };
        let req = trade_in_request(&returns("2", &["1"]), &line, usd(), EN, std::slice::from_ref(&scope), false).unwrap();
        assert!(req.reservations_to_purchase.is_empty());
        assert_eq!(req.reservations_to_exchange.len(), 2);
        let plan = &req.savings_plans_to_purchase[0];
        assert_eq!((plan.sku_name.as_str(), plan.term, plan.hourly_commitment.amount.to_string()), ("Compute_Savings_Plan", Term::P1Y, "1.25".into()));
        assert_eq!(plan.display_name.as_deref(), Some("Plan A"));
        assert_eq!(plan.applied_scope_type, AppliedScopeType::Single);
        // Blank name: the desk names it. No valid commitment: no request, unless probing.
        let blank = PlanLine { hourly: String::new(), ..PlanLine::new(quote_engine::COMPUTE_SAVINGS_PLAN, Term::P3Y) };
        assert!(trade_in_request(&returns("1", &[]), &blank, usd(), EN, &[], false).is_none());
        let probe = trade_in_request(&returns("1", &[]), &blank, usd(), EN, &[], true).unwrap();
        assert_eq!(probe.savings_plans_to_purchase[0].hourly_commitment, smallest_hourly(usd()));
        assert_eq!(probe.savings_plans_to_purchase[0].display_name, None);
        assert!(trade_in_request(&returns("4", &[]), &blank, usd(), EN, &[], true).is_none(), "an invalid return quantity");
        // A database reservation's line asks for the savings plan for databases.
        let database = PlanLine { hourly: "2.00".into(), ..PlanLine::new(quote_engine::DATABASE_SAVINGS_PLAN, Term::P1Y) };
        let req = trade_in_request(&returns("1", &[]), &database, usd(), EN, &[], false).unwrap();
        assert_eq!((req.savings_plans_to_purchase[0].sku_name.as_str(), req.savings_plans_to_purchase[0].term), ("Database_Savings_Plan", Term::P1Y));
    }
}
