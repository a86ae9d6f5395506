//! Refund and exchange quotes per second (`cargo bench -p quote-engine`).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use quote_engine::*;
use rust_decimal::Decimal;

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().expect("date")
}

fn reservation(plan: BillingPlan) -> Reservation {
    Reservation {
        reserved_resource_type: ReservedResourceType::new("VirtualMachines").expect("family"),
        term: Term::P3Y,
        billing_plan: plan,
        purchase_date: d("2025-03-01"),
        quantity: 4,
        unit_price: Money::new(Decimal::new(360_000, 2), Currency::USD),
        pricing_unit_price: None,
        has_usage: true,
        expiry_date: None,
        current_unit_price: None,
        sku_name: None,
    }
}

fn ledger() -> Vec<PriorRefund> {
    (0..12)
        .map(|i| PriorRefund {
            date: d("2025-12-01") + chrono::Days::new(i * 30),
            amount: Money::new(Decimal::new(100_000, 2), Currency::USD),
        })
        .collect()
}

fn refund_quotes(c: &mut Criterion) {
    let mut group = c.benchmark_group("refund quote");
    group.throughput(Throughput::Elements(1));
    let ledger = ledger();
    for (name, policy, plan) in [
        (
            "partner-center-2020/upfront",
            Policy::partner_center_2020(),
            BillingPlan::Upfront,
        ),
        (
            "azure-current/monthly",
            Policy::azure_current(),
            BillingPlan::Monthly,
        ),
    ] {
        let r = reservation(plan);
        group.bench_function(name, |b| {
            b.iter(|| {
                quote_refund(
                    black_box(&policy),
                    black_box(d("2026-11-22")),
                    black_box(&r),
                    2,
                    &ledger,
                )
            })
        });
    }
    // The slow path: refused, with the max-quantity search and the fits-on search (fits_on.rs).
    let big = Reservation {
        unit_price: Money::new(Decimal::from(108_000), Currency::USD),
        ..reservation(BillingPlan::Monthly)
    };
    let policy = Policy::azure_current();
    group.bench_function("azure-current/refused-with-fits-on", |b| {
        b.iter(|| {
            quote_refund(
                black_box(&policy),
                black_box(d("2025-03-01")),
                black_box(&big),
                4,
                &ledger,
            )
        })
    });
    group.finish();
}

fn exchange_quotes(c: &mut Criterion) {
    let mut group = c.benchmark_group("exchange quote");
    group.throughput(Throughput::Elements(1));
    let returns = [ExchangeReturn {
        reservation: reservation(BillingPlan::Upfront),
        quantity: 2,
    }];
    let purchases = [Purchase {
        reserved_resource_type: ReservedResourceType::new("VirtualMachines").expect("family"),
        term: Term::P3Y,
        billing_plan: BillingPlan::Monthly,
        quantity: 3,
        unit_price: Money::new(Decimal::from(5000), Currency::USD),
        sku_name: None,
    }];
    let policy = Policy::azure_current();
    group.bench_function("azure-current", |b| {
        b.iter(|| {
            quote_exchange(
                black_box(&policy),
                black_box(d("2026-11-22")),
                &returns,
                &purchases,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, refund_quotes, exchange_quotes);
criterion_main!(benches);
