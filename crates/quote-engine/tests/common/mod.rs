//! Shared builders for the integration tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use quote_engine::*;
use rust_decimal::Decimal;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn usd(a: Decimal) -> Money {
    Money::new(a, Currency::USD)
}

pub fn money(a: Decimal, code: &str) -> Money {
    Money::new(a, Currency::new(code).unwrap())
}

pub fn family(name: &str) -> ReservedResourceType {
    ReservedResourceType::new(name).unwrap()
}

/// A VM reservation of `quantity` units at `unit` USD for the whole term.
pub fn vm(
    term: Term,
    plan: BillingPlan,
    purchase: &str,
    quantity: u32,
    unit: Decimal,
) -> Reservation {
    Reservation {
        reserved_resource_type: family("VirtualMachines"),
        term,
        billing_plan: plan,
        purchase_date: d(purchase),
        quantity,
        unit_price: usd(unit),
        pricing_unit_price: None,
        has_usage: true,
        expiry_date: None,
        current_unit_price: None,
        sku_name: None,
    }
}

pub fn purchase(term: Term, plan: BillingPlan, quantity: u32, unit: Money) -> Purchase {
    Purchase {
        reserved_resource_type: family("VirtualMachines"),
        term,
        billing_plan: plan,
        quantity,
        unit_price: unit,
        sku_name: None,
    }
}

/// Sum of the lines of a quote, in `currency`.
pub fn lines_sum(currency: Currency, lines: &[QuoteLine]) -> Money {
    Money::checked_sum(currency, lines.iter().map(|l| l.amount)).unwrap()
}

pub fn error_codes(errors: &[PolicyError]) -> Vec<PolicyErrorCode> {
    errors.iter().map(|e| e.code).collect()
}
