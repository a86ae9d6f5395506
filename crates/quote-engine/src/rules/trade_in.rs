//! Savings plan trade-in: which reservations may be traded for which savings plan, from when,
//! at most how many at a time, and how many hours a plan's term holds. Sources and the exact
//! sentences: docs/policy-sources.md, section 4.

use chrono::NaiveDate;

use crate::term::Term;

/// A kind of reservation that may be traded in for a kind of savings plan, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeInEligibility {
    /// The returned reservation's `reservedResourceType`, e.g. `VirtualMachines`.
    pub reserved_resource_type: &'static str,
    /// The savings plan's SKU, e.g. `Compute_Savings_Plan`.
    pub savings_plan_sku: &'static str,
    /// The plan terms it may be traded for.
    pub terms: &'static [Term],
    /// The first day the trade-in is possible.
    pub from: NaiveDate,
    /// Where Microsoft says so.
    pub source: &'static str,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the trade-in list"),
    }
}

/// The savings plan for compute's SKU, as the Azure API names it.
pub const COMPUTE_SAVINGS_PLAN: &str = "Compute_Savings_Plan";

/// The first stored version of Microsoft Learn, "Self-service trade-in for Azure savings plans"
/// (ms.date 09/23/2022): "If your Azure Virtual Machines, Dedicated Hosts, or Azure App Service
/// reservations, don't provide the necessary flexibility you need, you can trade them for a
/// savings plan. When you trade-in a reservation and purchase a savings plan, you can select a
/// savings plan term of either one-year to three-year."
const TRADE_IN_FROM: NaiveDate = date(2022, 9, 23);
const TRADE_IN_PAGE: &str =
    "Microsoft Learn, Self-service trade-in for Azure savings plans (2022-09-23, unchanged in 2023-10-16)";

/// The savings plan for databases' SKU. No Microsoft page or API specification read names it
/// (the Microsoft.BillingBenefits examples show only `Compute_Savings_Plan`): the name follows
/// the compute plan's and is kept here only (docs/policy-sources.md, section 4).
pub const DATABASE_SAVINGS_PLAN: &str = "Database_Savings_Plan";

/// The savings plan for databases became generally available on 18 March 2026, for a 1-year term
/// only; "Self-service trade-in for Azure savings plans" (2026) lets database reservations be
/// traded in for it.
const DATABASE_PLAN_FROM: NaiveDate = date(2026, 3, 18);
const DATABASE_TRADE_IN_PAGE: &str =
    "Microsoft Learn, Self-service trade-in for Azure savings plans (2026); savings plan for databases generally available 2026-03-18";

/// Every reservation kind × savings plan a trade-in may swap: compute reservations for the
/// savings plan for compute (1 or 3 years), database reservations for the savings plan for
/// databases (1 year only). A compute reservation cannot buy a database plan, nor the reverse.
pub const TRADE_IN_ELIGIBILITY: &[TradeInEligibility] = &[
    TradeInEligibility { reserved_resource_type: "VirtualMachines", savings_plan_sku: COMPUTE_SAVINGS_PLAN, terms: &[Term::P1Y, Term::P3Y], from: TRADE_IN_FROM, source: TRADE_IN_PAGE },
    TradeInEligibility { reserved_resource_type: "DedicatedHost", savings_plan_sku: COMPUTE_SAVINGS_PLAN, terms: &[Term::P1Y, Term::P3Y], from: TRADE_IN_FROM, source: TRADE_IN_PAGE },
    TradeInEligibility { reserved_resource_type: "AppService", savings_plan_sku: COMPUTE_SAVINGS_PLAN, terms: &[Term::P1Y, Term::P3Y], from: TRADE_IN_FROM, source: TRADE_IN_PAGE },
    TradeInEligibility { reserved_resource_type: "SqlDatabases", savings_plan_sku: DATABASE_SAVINGS_PLAN, terms: &[Term::P1Y], from: DATABASE_PLAN_FROM, source: DATABASE_TRADE_IN_PAGE },
    TradeInEligibility { reserved_resource_type: "PostgreSql", savings_plan_sku: DATABASE_SAVINGS_PLAN, terms: &[Term::P1Y], from: DATABASE_PLAN_FROM, source: DATABASE_TRADE_IN_PAGE },
    TradeInEligibility { reserved_resource_type: "MySql", savings_plan_sku: DATABASE_SAVINGS_PLAN, terms: &[Term::P1Y], from: DATABASE_PLAN_FROM, source: DATABASE_TRADE_IN_PAGE },
    TradeInEligibility { reserved_resource_type: "CosmosDb", savings_plan_sku: DATABASE_SAVINGS_PLAN, terms: &[Term::P1Y], from: DATABASE_PLAN_FROM, source: DATABASE_TRADE_IN_PAGE },
];

/// "Due to technical limitations, you can only trade in up to 100 reservations at a time as part
/// of a savings plan purchase." (the trade-in page, 2023-10-16).
pub const MAX_TRADE_IN_RESERVATIONS: usize = 100;

/// Hours in one year of a savings plan's term: 365 × 24. A plan's lifetime commitment is its
/// hourly commitment × these hours × the term's years (8,760 for one year, 26,280 for three).
/// "Self-service trade-in for Azure savings plans" (2026) gives these figures: 8,760 hours for a
/// one-year plan and 26,280 for a three-year one (docs/policy-sources.md).
pub const HOURS_PER_YEAR: u32 = 8_760;

/// The hours of a savings plan's term.
pub fn hours_in(term: Term) -> u32 {
    HOURS_PER_YEAR * term.years()
}

/// The savings plan a `reserved_resource_type` reservation may be traded in for on `on`, and its
/// terms (the first entry of the list for that type), if any: what the console offers.
pub fn trade_in_plan_for(reserved_resource_type: &str, on: NaiveDate) -> Option<&'static TradeInEligibility> {
    TRADE_IN_ELIGIBILITY.iter().find(|e| e.reserved_resource_type == reserved_resource_type && e.from <= on)
}

/// The entry that lets a `reserved_resource_type` reservation be traded for `term` of the plan
/// `savings_plan_sku` on `on`, if any.
pub fn trade_in_eligibility(reserved_resource_type: &str, savings_plan_sku: &str, term: Term, on: NaiveDate) -> Option<&'static TradeInEligibility> {
    TRADE_IN_ELIGIBILITY.iter().find(|e| {
        e.reserved_resource_type == reserved_resource_type && e.savings_plan_sku == savings_plan_sku && e.terms.contains(&term) && e.from <= on
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compute_reservations_trade_for_one_or_three_years_of_the_compute_plan_and_nothing_else_does() {
        let on = date(2026, 11, 25);
        for family in ["VirtualMachines", "DedicatedHost", "AppService"] {
            for term in [Term::P1Y, Term::P3Y] {
                assert!(trade_in_eligibility(family, COMPUTE_SAVINGS_PLAN, term, on).is_some(), "{family} {term:?}");
            }
            assert!(trade_in_eligibility(family, COMPUTE_SAVINGS_PLAN, Term::P5Y, on).is_none());
            assert!(trade_in_eligibility(family, "Database_Savings_Plan", Term::P1Y, on).is_none());
            assert!(trade_in_eligibility(family, COMPUTE_SAVINGS_PLAN, Term::P1Y, date(2022, 9, 22)).is_none(), "the day before");
            assert!(trade_in_eligibility(family, COMPUTE_SAVINGS_PLAN, Term::P1Y, date(2022, 9, 23)).is_some());
        }
        for family in ["SqlDatabases", "CosmosDb", "PostgreSql", "MySql", "AVS", "ManagedDisk"] {
            assert!(trade_in_eligibility(family, COMPUTE_SAVINGS_PLAN, Term::P1Y, on).is_none(), "{family}");
        }
    }

    #[test]
    fn database_reservations_trade_for_one_year_of_the_database_plan_only() {
        let on = date(2026, 11, 25);
        for family in ["SqlDatabases", "PostgreSql", "MySql", "CosmosDb"] {
            assert!(trade_in_eligibility(family, DATABASE_SAVINGS_PLAN, Term::P1Y, on).is_some(), "{family}");
            assert!(trade_in_eligibility(family, DATABASE_SAVINGS_PLAN, Term::P3Y, on).is_none(), "{family}: one year only");
            assert!(trade_in_eligibility(family, DATABASE_SAVINGS_PLAN, Term::P1Y, date(2026, 3, 17)).is_none(), "{family}: before the plan");
            assert_eq!(trade_in_plan_for(family, on).map(|e| e.savings_plan_sku), Some(DATABASE_SAVINGS_PLAN));
        }
        for family in ["VirtualMachines", "AVS", "RedisCache", "ManagedDisk"] {
            assert!(trade_in_eligibility(family, DATABASE_SAVINGS_PLAN, Term::P1Y, on).is_none(), "{family}");
        }
        assert_eq!(trade_in_plan_for("VirtualMachines", on).map(|e| e.savings_plan_sku), Some(COMPUTE_SAVINGS_PLAN));
        assert_eq!(trade_in_plan_for("AVS", on), None);
    }

    #[test]
    fn a_term_holds_8760_hours_a_year() {
        assert_eq!(hours_in(Term::P1Y), 8_760);
        assert_eq!(hours_in(Term::P3Y), 26_280);
    }
}
