//! Microsoft.BillingBenefits 2022-11-01's published examples (every savings plan listed, an
//! order's plans listed, a plan read with `$expand=renewProperties`), vendored byte for byte under
//! `published/microsoft.billingbenefits-2022-11-01/` (sources in `published/SOURCES.md`), read as
//! Azure mode reads the customer's savings plans. The specification requires only `sku` of a plan:
//! every member is removed one at a time, at every depth, and the plan must still be read, the
//! figure it carried then unknown (never another value made up).

use azure_api::savings_plan::{day, read_page, read_plan};
use contract::{AppliedScopeType, CustomerSavingsPlan};
use quote_engine::{BillingPlan, Term};
use rust_decimal::Decimal;
use serde_json::Value;

mod published_members;
use published_members::{paths, without};

fn example(name: &str) -> Value {
    let path = format!("{}/tests/published/microsoft.billingbenefits-2022-11-01/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn listed(plan: &Value) -> CustomerSavingsPlan {
    read_plan(plan.clone()).unwrap().to_plan("c-1").unwrap()
}

/// Removes every member of `plan` one at a time: each variant is read, as the same plan (its
/// IDs from `id` or, without it, from `name`), and what was removed is unknown, not guessed.
fn every_removal_is_read(plan: &Value, whole: &CustomerSavingsPlan) {
    let mut all = Vec::new();
    paths(plan, "", &mut all);
    assert!(all.len() > 30, "{all:?}");
    for path in &all {
        let cut = without(plan, path);
        let read = read_plan(cut.clone()).unwrap_or_else(|e| panic!("{path} removed: {e:?}"));
        let shown = read.to_plan("c-1").unwrap_or_else(|e| panic!("{path} removed: {e:?}"));
        assert_eq!((shown.id.as_str(), shown.savings_plan_order_id.as_str()), (whole.id.as_str(), whole.savings_plan_order_id.as_str()), "{path}");
        match path.as_str() {
            "properties" | "properties/term" => assert_eq!(shown.term, None, "{path}"),
            "properties/expiryDateTime" => assert_eq!(shown.expiry_date, None, "{path}"),
            "properties/commitment" | "properties/commitment/currencyCode" | "properties/commitment/amount" => assert_eq!(shown.commitment, None, "{path}"),
            "properties/appliedScopeType" => assert_eq!(shown.applied_scope_type, None, "{path}"),
            "properties/billingPlan" => assert_eq!(shown.billing_plan, None, "{path}"),
            "properties/renew" => assert_eq!(shown.azure.as_ref().unwrap().renew, None, "{path}"),
            "sku" | "sku/name" => assert_eq!(shown.sku_name, None, "{path}"),
            _ => {}
        }
    }
    // Both `id` and `name` gone: nothing names the plan, and it is set aside with why.
    let nameless = without(&without(plan, "id"), "name");
    let why = read_plan(nameless).unwrap().to_plan("c-1").unwrap_err();
    assert_eq!(why.code, "NoSavingsPlanId");
}

#[test]
fn every_listed_plan_reads_with_its_figures_and_survives_each_property_removed() {
    let body = &example("SavingsPlansList.json")["responses"]["200"]["body"];
    let page = read_page(body.to_string().as_bytes()).unwrap();
    assert_eq!((page.items.len(), page.next_link.as_deref()), (1, None));
    let plan = page.items[0].clone().unwrap().to_plan("c-1").unwrap();
    assert_eq!((plan.savings_plan_order_id.as_str(), plan.id.as_str()), ("20000000-0000-0000-0000-000000000000", "30000000-0000-0000-0000-000000000000"));
    assert_eq!((plan.display_name.as_str(), plan.sku_name.as_deref()), ("Compute_SavingsPlan_10-19-2022_11-03", Some("Compute_Savings_Plan")));
    let commitment = plan.commitment.unwrap();
    assert_eq!((commitment.amount, commitment.currency_code.code()), (Decimal::new(1, 3), "USD"), "read digit for digit");
    assert_eq!((plan.term, plan.billing_plan, plan.applied_scope_type), (Some(Term::P1Y), None, Some(AppliedScopeType::Single)), "no billingPlan given: unknown");
    assert_eq!(plan.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.as_deref()), Some("/subscriptions/20000000-0000-0000-0000-000000000005"));
    assert_eq!((plan.start_date, plan.expiry_date), (day("2022-10-19T18:05:37Z"), day("2023-10-19T18:05:36Z")));
    let azure = plan.azure.clone().unwrap();
    assert_eq!(azure.arm_id, body["value"][0]["id"].as_str().unwrap());
    assert_eq!((azure.utilization.last1_day, azure.utilization.last7_days, azure.utilization.last30_days), (Some(Decimal::from(100)), Some(Decimal::from(78)), Some(Decimal::new(7812, 2))));
    assert_eq!((azure.renew, azure.renewal.as_ref(), azure.provisioning_state.as_deref()), (Some(false), None, Some("Succeeded")));
    assert!(!page.items[0].as_ref().unwrap().renewal_missing(), "it does not renew: nothing more to ask");
    every_removal_is_read(&body["value"][0], &plan);
}

#[test]
fn an_orders_plans_read_with_a_window_azure_did_not_report_unknown() {
    let body = &example("SavingsPlansInOrderList.json")["responses"]["200"]["body"];
    let page = read_page(body.to_string().as_bytes()).unwrap();
    let plan = page.items[0].clone().unwrap().to_plan("c-1").unwrap();
    let azure = plan.azure.clone().unwrap();
    assert_eq!((azure.utilization.last1_day, azure.utilization.last7_days, azure.utilization.last30_days), (Some(Decimal::ZERO), Some(Decimal::ZERO), None));
    assert_eq!(azure.applied_scope_label.as_deref(), Some("ResourceGroup"));
    assert_eq!(plan.applied_scope_properties.as_ref().and_then(|p| p.resource_group_id.as_deref()), Some("/subscriptions/eef82110-c91b-4395-9420-fcfcbefc5a47/resourcegroups/3ppRG"));
    every_removal_is_read(&body["value"][0], &plan);
}

#[test]
fn a_plan_read_with_its_renewal_says_what_it_renews_into() {
    let body = &example("SavingsPlanItemExpandedGet.json")["responses"]["200"]["body"];
    let plan = listed(body);
    assert_eq!((plan.term, plan.billing_plan, plan.applied_scope_type), (Some(Term::P3Y), Some(BillingPlan::Monthly), Some(AppliedScopeType::Shared)));
    let azure = plan.azure.clone().unwrap();
    assert_eq!(azure.renew, Some(true));
    let renewal = azure.renewal.clone().unwrap();
    assert_eq!(renewal.display_name.as_deref(), Some("Compute_SavingsPlan_patch_rename2_renewed"));
    assert_eq!((renewal.term, renewal.billing_plan, renewal.applied_scope_type), (Some(Term::P1Y), Some(BillingPlan::Upfront), Some(AppliedScopeType::Shared)));
    assert_eq!(renewal.commitment.map(|c| c.amount), Some(Decimal::new(1, 3)));
    // Listed without `renewProperties` (the lists take no `$expand`): the renewal is to be asked.
    let listed_only = read_plan(without(body, "properties/renewProperties")).unwrap();
    assert!(listed_only.renewal_missing());
    every_removal_is_read(body, &plan);
}

#[test]
fn a_plan_that_does_not_have_the_specifications_shape_is_set_aside_and_the_page_read() {
    let body = &example("SavingsPlansList.json")["responses"]["200"]["body"];
    let mut page = body.clone();
    let mut bad = body["value"][0].clone();
    bad["id"] = Value::from("/providers/Microsoft.BillingBenefits/savingsPlanOrders/bad-order/savingsPlans/bad-plan");
    bad["properties"]["expiryDateTime"] = Value::from("next October");
    page["value"].as_array_mut().unwrap().push(bad);
    page["nextLink"] = Value::from("https://management.azure.com/providers/Microsoft.BillingBenefits/savingsPlans?api-version=2022-11-01&$skiptoken=1");
    let read = read_page(page.to_string().as_bytes()).unwrap();
    assert!(read.items[0].is_ok());
    let why = read.items[1].clone().unwrap_err();
    assert_eq!(why.code, "UnreadableSavingsPlan");
    assert!(why.id.contains("bad-plan") && why.message.contains("expiryDateTime"), "{why:?}");
    assert!(read.next_link.is_some());
    assert!(read_page(b"[1, 2]").is_err(), "an answer that is no page fails the read");
}
