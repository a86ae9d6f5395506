//! Not a check of its own: the desk in Azure mode over the stand-ins (`azure_stand_ins`), serving
//! the built SPA for the browser walk `tests/e2e/azure.test.mjs`, which starts it with
//! `cargo test --workspace --features reservation-desk-server/postgres-tests --test azure_walk_server -- --ignored --exact serve_azure_mode_for_the_browser_walk`
//! (the package selection of `scripts/test.sh`'s native tests, which have built it; run without
//! `--ignored` it is skipped).
//!
//! What it serves: Partner Center's five customers; Contoso's five reservations (bought 73 days
//! ago, priced from their order at 2102.40 USD a unit; ARM refunds res-c2 at 1680.00 USD a unit,
//! its return's operation done after one poll, and takes configuration changes; ARM credits
//! res-c4 at 1680.00 a unit in an exchange and charges 1752.00 a unit for what it buys, its
//! exchange done after one poll; a trade-in's savings plan under 1.00 an hour refused by Azure's
//! policy, `SavingsPlanCommitmentTooLow`); Slow's reservation, whose order answers
//! 403 (its price unknown, with why); Fabrikam read once, then its tenant
//! answering 403 (its last read failed, its reservation cached: money actions held); the
//! customers whose tenants refuse or throttle, with their reasons; Contoso's recommendations from
//! Azure (a virtual machine the catalog sells, a modern SQL Database recommendation it does not,
//! Redis at shared scope, and one Azure recommends 1.5 units of, left out with why); who has
//! access to Contoso's order in Azure (an Owner and a custom role on it, a Reader inherited from a
//! subscription; object ID `00000000-0000-4000-8000-000000000000` unknown to the directory);
//! Contoso's savings plans in Azure (one renewing, one with figures Azure did not report, one
//! unreadable and left out) and Fabrikam's refused; Microsoft.Support taking Contoso's support
//! tickets (`azure_stand_ins/support.rs`) and refusing Slow's (ARM's 403 `AuthorizationFailed`:
//! the user may not write support tickets in Slow's subscription). It listens on
//! `AZURE_WALK_PORT` (0: any) with `AZURE_WALK_DIST`'s SPA, prints one line
//! `AZURE_WALK http://127.0.0.1:{port} TOKEN {token} ADMIN {token}` (a signed-in Admin agent's
//! token and the Global admin's, valid five minutes), and serves until its standard input closes (the walk ends) or
//! `AZURE_WALK_SECONDS` (600) pass. With `AZURE_WALK_READ_ONLY=true` it is a read-only pilot
//! (`--azure-read-only true`), its start audited as `main` audits it. With
//! `AZURE_WALK_CONSENTS=true` three more customers' tenants have not consented the desk's API
//! app, and a fourth's consent predates Microsoft Graph's grant (for `tests/e2e/consent.test.mjs`).

mod azure_desk;
mod azure_stand_ins;
mod oidc_provider;

use std::io::Write;
use std::time::Duration;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::*;
use chrono::{Datelike, Utc};
use serde_json::json;

/// `r` bought `days_ago` days ago for one year.
fn bought(mut r: serde_json::Value, days_ago: i64) -> serde_json::Value {
    let purchase = Utc::now().date_naive() - chrono::TimeDelta::days(days_ago);
    let expiry = purchase.with_year(purchase.year() + 1).unwrap_or(purchase + chrono::TimeDelta::days(365));
    let p = &mut r["properties"];
    p["purchaseDate"] = json!(purchase.to_string());
    p["purchaseDateTime"] = json!(format!("{purchase}T08:00:00Z"));
    p["benefitStartTime"] = json!(format!("{purchase}T08:00:00Z"));
    p["effectiveDateTime"] = json!(format!("{purchase}T08:00:00Z"));
    p["expiryDate"] = json!(expiry.to_string());
    p["expiryDateTime"] = json!(format!("{expiry}T08:00:00Z"));
    r
}

#[tokio::test]
#[ignore = "a server for tests/e2e/azure.test.mjs, which starts it"]
async fn serve_azure_mode_for_the_browser_walk() {
    let port: u16 = std::env::var("AZURE_WALK_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(0);
    let dist = std::env::var("AZURE_WALK_DIST").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../dist").into());
    let seconds: u64 = std::env::var("AZURE_WALK_SECONDS").ok().and_then(|p| p.parse().ok()).unwrap_or(600);
    let read_only = std::env::var("AZURE_WALK_READ_ONLY").is_ok_and(|v| v == "true");
    let settings = contract::Settings { azure_read_only: read_only, ..contract::Settings::default() };
    // With AZURE_WALK_CONSENTS=true, three more customers whose tenants have not consented the
    // desk's API app: Northwind (a reservation once consented), Woodgrove, and Tailspin, whose
    // consent Partner Center refuses; and Litware, whose consent was made before the desk asked
    // for Microsoft Graph: its tenant reads, Entra ID refuses Graph's token there (AADSTS65001)
    // and Partner Center answers 409 to a new consent, so a run renews it.
    let consents = std::env::var("AZURE_WALK_CONSENTS").is_ok_and(|v| v == "true");
    let (mut customers, mut tenants) = (azure_desk::customers(), azure_desk::tenants());
    if consents {
        let unconsented = [
            ("northwind", "Northwind Traders", "invalid_grant", vec![bought(reservation("order-n", "res-n1", "northwind vm", 2, 64.0), 40)]),
            ("woodgrove", "Woodgrove Bank", "consent_required", vec![]),
            ("tailspin", "Tailspin Toys", "invalid_grant", vec![]),
        ];
        for (id, name, error, then) in unconsented {
            customers.push(customer(id, &format!("tenant-{id}"), name));
            tenants.insert(format!("tenant-{id}"), Tenant::NotConsented { error: error.into(), then });
        }
        customers.push(customer("litware", "tenant-litware", "Litware Inc."));
        tenants.insert("tenant-litware".into(), Tenant::Reservations(vec![bought(reservation("order-l", "res-l1", "litware vm", 1, 40.0), 60)]));
    }
    let d = desk_serving_of(Some(std::path::Path::new(&dist)), settings, customers, tenants).await;
    if consents {
        d.stand_ins.refuse_consent("tailspin", 403, 600028, "The partner user is not authorized to consent for this customer.");
        d.stand_ins.consent_exists("litware");
        d.stand_ins.graph(|g| g.directory_token_refused.insert("tenant-litware".into()));
    }
    d.state.desk.record_start(d.state.now()).await.unwrap();
    let contoso = (1..=5).map(|i| bought(reservation("order-c", &format!("res-c{i}"), &format!("contoso vm {i}"), i, 80.0), 73)).collect();
    d.stand_ins.tenant("tenant-contoso", |t| *t.unwrap() = Tenant::Reservations(contoso));
    d.stand_ins.consumption(|c| {
        let d4 = recommendation("Standard_D4s_v5", "westeurope", "P1Y", 2, 480.12, 288.0, 192.12);
        let sql = modern("sqldatabases", "SQLDB_BC_Compute_Gen5", "westus2", "P3Y", 4, "USD", 3198.65, 1441.32, 1757.33);
        let mut half = recommendation("Standard_D2s_v5", "westeurope", "P1Y", 1, 70.0, 42.0, 28.0);
        half["properties"]["recommendedQuantity"] = json!(1.5);
        c.subscriptions.insert("tenant-contoso".into(), vec![Subscription::enabled("tenant-contoso-sub", vec![d4, sql, half])]);
        let mut redis = recommendation("Premium_P1", "westeurope", "P1Y", 1, 310.0, 205.0, 105.0);
        redis["properties"]["resourceType"] = json!("RedisCache");
        c.shared.insert("tenant-contoso".into(), vec![redis]);
    });
    d.stand_ins.tenant("tenant-fabrikam", |t| *t.unwrap() = Tenant::Reservations(vec![bought(reservation("order-f", "res-f1", "fabrikam sql", 2, 12.5), 73)]));
    // Slow's order answers 403: its reservation is listed with why its price is unknown.
    d.stand_ins.tenant("tenant-slow", |t| {
        *t.unwrap() = Tenant::Throttled { seconds: 30, times: 1, then: vec![bought(reservation("order-s", "res-s1", "slow vm", 1, 50.0), 73)] }
    });
    d.stand_ins.order("tenant-slow", "order-s", |o| *o = Some(Order::Forbidden));
    // ARM's calculateRefund for res-c2 a little below the desk's quote (a difference to name);
    // a return's operation runs one poll (the client's waits are recorded here, not slept).
    d.stand_ins.refunds(|r| {
        r.unit_refund.insert("res-c2".into(), 1680.0);
        r.unit_refund.insert("res-c4".into(), 1680.0);
        r.polls = 1;
        r.retry_after = 1;
    });
    // ARM's calculateExchange: the desk's catalog price for what is bought, a credit a little
    // below the desk's (a difference to name); an exchange's operation runs one poll.
    d.stand_ins.exchanges(|x| {
        x.unit_price = "1752.00".parse().unwrap();
        // A trade-in's savings plan: Azure takes no hourly commitment under 1.00 (above the
        // desk's least for res-c3, so Azure's policy refusal can be seen, then met).
        x.minimum_hourly_commitment = Some("1.00".parse().unwrap());
        x.purchase_date = Utc::now().date_naive().to_string();
        x.polls = 1;
        x.retry_after = 1;
    });
    // Partner Center (and so ARM's catalog for Contoso's subscription) also sells memory-optimized
    // E4s v5 in North Europe for a year, at 2,101.37 USD a unit: neither SKU nor region is the
    // demo catalog's, so a purchase of it is priced by Azure alone.
    d.stand_ins.purchases(|p| {
        p.catalog.push(CatalogSku::vm(("DZH318Z0BQ4E", "Virtual Machines Esv5 Series"), "00E1", "Standard_E4s_v5", ("northeurope", "EU North"), "1Year", "DZH318Z0C1E1"));
        p.unit_prices.insert(("Standard_E4s_v5".into(), "P1Y".into()), "2101.37".parse().unwrap());
    });
    // Who has access to Contoso's order in Azure (ARM's role assignments, `arm_access.rs`): an
    // Owner and a custom role on the order, a Reader inherited from a subscription; an object ID
    // the directory does not have.
    d.stand_ins.arm_access(|a| {
        let order = "/providers/Microsoft.Capacity/reservationOrders/order-c";
        a.on_order.insert(
            ("tenant-contoso".into(), "order-c".into()),
            vec![
                role_assignment(order, "11111111-1111-4111-8111-111111111111", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "ce2ce14e-85d7-4629-bdbc-454d0519d987", "User"),
                role_assignment(order, "22222222-2222-4222-8222-222222222222", "0b5fe924-9a61-425c-96af-cfe6e287ca2d", "b2b1f7e0-1c2d-4e3f-9a0b-1c2d3e4f5a6b", "Group"),
            ],
        );
        a.inherited.insert(
            "tenant-contoso".into(),
            vec![role_assignment("/subscriptions/tenant-contoso-sub", "33333333-3333-4333-8333-333333333333", "acdd72a7-3385-48ef-bd42-f606fba81ae7", "7a1c9e20-3b4d-4c5e-8f60-71829304a5b6", "Group")],
        );
        a.definitions.insert("0b5fe924-9a61-425c-96af-cfe6e287ca2d".into(), "Contoso Reservation Auditor".into());
        a.missing_principals.insert("00000000-0000-4000-8000-000000000000".into());
    });
    // Contoso's directory as Microsoft Graph lists it (`graph.rs`): the Owner and the inherited
    // group by name, a person to find by name; the custom role's group is not in it.
    d.stand_ins.graph(|g| {
        g.directory.insert(
            "tenant-contoso".into(),
            vec![
                directory_user("ce2ce14e-85d7-4629-bdbc-454d0519d987", "Ada Lovelace", Some("ada@contoso.com"), "ada@contoso.com"),
                directory_user("5f0e8d7c-6b5a-4938-8271-605f4e3d2c1b", "Grace Hopper", Some("grace@contoso.com"), "grace@contoso.com"),
                directory_group("7a1c9e20-3b4d-4c5e-8f60-71829304a5b6", "Finance team", Some("finance@contoso.com")),
            ],
        );
    });
    // The savings plans the customers hold in Azure (Microsoft.BillingBenefits,
    // `billing_benefits.rs`): Contoso's renewing three-year plan, a one-year plan Azure reports
    // no billing plan and only the 7-day utilization of, and one Azure lists in a shape the
    // specification does not give (left out); Fabrikam's list refused.
    let day = |days_ago: i64| format!("{}T08:00:00Z", Utc::now().date_naive() - chrono::TimeDelta::days(days_ago));
    let later = |days_ago: i64, years: i32| {
        let start = Utc::now().date_naive() - chrono::TimeDelta::days(days_ago);
        format!("{}T08:00:00Z", start.with_year(start.year() + years).unwrap_or(start))
    };
    d.stand_ins.savings_plans(|s| {
        let renewing = savings_plan(
            "order-sp1", "11111111-aaaa-4bbb-8ccc-000000000001", "Contoso compute 3y", 1.25, "USD", "P3Y", true, &day(120), &later(120, 3),
            &[(1.0, 100.0), (7.0, 84.5), (30.0, 83.87)], Some("Contoso compute 3y renewed"),
        );
        let quiet = savings_plan("order-sp2", "22222222-aaaa-4bbb-8ccc-000000000002", "Contoso compute 1y", 0.5, "USD", "P1Y", false, &day(30), &later(30, 1), &[(7.0, 12.0)], None);
        let mut bad = savings_plan("order-sp3", "33333333-aaaa-4bbb-8ccc-000000000003", "Contoso broken", 2.0, "USD", "P1Y", false, &day(60), &later(60, 1), &[], None);
        bad["properties"]["expiryDateTime"] = json!("next March");
        s.held.extend([("tenant-contoso".into(), renewing), ("tenant-contoso".into(), quiet), ("tenant-contoso".into(), bad)]);
        s.refused.insert(
            "tenant-fabrikam".into(),
            (403, "AuthorizationFailed".into(), "The client does not have authorization to perform action 'Microsoft.BillingBenefits/savingsPlans/read' over scope '/providers/Microsoft.BillingBenefits'.".into()),
        );
    });
    // Support tickets (Microsoft.Support): Contoso's go through (its subscription above); Slow's
    // subscription refuses the user the right to write support tickets.
    d.stand_ins.consumption(|c| c.subscriptions.insert("tenant-slow".into(), vec![Subscription::enabled("tenant-slow-sub", vec![])]));
    d.stand_ins.support(|s| {
        s.refusals.insert(
            "tenant-slow".into(),
            (
                403,
                "AuthorizationFailed".into(),
                "The client 'ada@partner.example' does not have authorization to perform action 'Microsoft.Support/supportTickets/write' over scope '/subscriptions/tenant-slow-sub'.".into(),
            ),
        );
    });
    read(&d).await;
    // Fabrikam's tenant now refuses: its last read fails, what was read stays.
    d.stand_ins.tenant("tenant-fabrikam", |t| *t.unwrap() = Tenant::Forbidden);
    let (status, fabrikam) = d.call("POST", "/api/source/customers/fabrikam/refresh", None).await;
    assert_eq!((status, &fabrikam["error"]["code"]), (StatusCode::OK, &json!("AuthorizationFailed")), "{fabrikam}");

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    println!("AZURE_WALK http://127.0.0.1:{port} TOKEN {} ADMIN {}", d.token, d.global_admin());
    std::io::stdout().flush().unwrap();
    let router = d.router.clone();
    let serve = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    // Until the walk closes our standard input (or the time is up).
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    });
    let _ = tokio::time::timeout(Duration::from_secs(seconds), stdin_closed).await;
    serve.abort();
    // The blocking read may still wait: end here rather than in the runtime's drop.
    std::process::exit(0);
}
