//! Microsoft.Support 2024-04-01's published examples (the services and a service's problem
//! classifications listed, a ticket name checked, a billing ticket made for a subscription and
//! read back), vendored byte for byte under `published/microsoft.support-2024-04-01/` (sources in
//! `published/SOURCES.md`), read as Azure mode reads them when it opens a support ticket about a
//! reservation. Every property the specification does not mark required is removed one at a
//! time: the answer must still be read; removing the required `properties` of a ticket fails it
//! with why. The ticket the desk sends is the example's request with what the desk does not send
//! (support plan, file workspace) left out.

use azure_api::support::{
    choose_classification, choose_service, read_classifications, read_services, read_ticket, CheckNameAvailabilityInput, CheckNameAvailabilityOutput, TicketCreate,
};
use serde_json::Value;

mod published_members;
use published_members::{paths, without};

fn example(name: &str) -> Value {
    let path = format!("{}/tests/published/microsoft.support-2024-04-01/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Each member's path with `value` without it (array items are not removed: a list's items are
/// data, not properties).
fn each_removal(value: &Value) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    paths(value, "", &mut all);
    all.into_iter().map(|p| (p.clone(), without(value, &p))).collect()
}

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

#[test]
fn the_billing_service_is_chosen_from_microsofts_list_and_every_optional_property_may_be_missing() {
    let body = example("ListServices.json")["responses"]["200"]["body"].clone();
    let services: Vec<_> = read_services(&bytes(&body)).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(services.len(), 7);
    let chosen = choose_service(&services).unwrap();
    assert_eq!((chosen.id.as_str(), chosen.name.as_str()), ("/providers/Microsoft.Support/services/service_guid_1", "service_guid_1"));
    assert_eq!(services[4].resource_types, ["MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES", "MICROSOFT.COMPUTE/VIRTUALMACHINES"]);
    for (path, cut) in each_removal(&body) {
        let read = read_services(&bytes(&cut)).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Without its ID an item is set aside with why; the others are read.
        if path.ends_with("/id") {
            assert_eq!(read.iter().filter(|r| r.is_err()).count(), 1, "{path}");
        } else {
            assert!(read.iter().all(Result::is_ok), "{path}");
        }
        let read: Vec<_> = read.into_iter().filter_map(Result::ok).collect();
        // The Billing service is still chosen unless it or its display name is gone: then none
        // is (no guessing).
        match path.as_str() {
            "value" | "value/0/properties" | "value/0/properties/displayName" | "value/0/id" => assert!(choose_service(&read).is_none(), "{path}"),
            _ => assert_eq!(choose_service(&read).map(|s| s.name.as_str()), Some("service_guid_1"), "{path}"),
        }
    }
}

#[test]
fn the_exchanges_and_refunds_classification_is_chosen_and_every_optional_property_may_be_missing() {
    let body = example("ListProblemClassifications.json")["responses"]["200"]["body"].clone();
    let read: Vec<_> = read_classifications(&bytes(&body)).unwrap().into_iter().map(Result::unwrap).collect();
    let chosen = choose_classification(&read).unwrap();
    assert_eq!(chosen.id, "/providers/Microsoft.Support/services/service_guid/problemClassifications/problemClassification_guid_1");
    assert_eq!(chosen.display_name, "Reservation Management / Exchanges and Refunds");
    for (path, cut) in each_removal(&body) {
        let read: Vec<_> = read_classifications(&bytes(&cut)).unwrap_or_else(|e| panic!("{path}: {e}")).into_iter().filter_map(Result::ok).collect();
        match path.as_str() {
            "value" | "value/0/id" | "value/0/properties" | "value/0/properties/displayName" => {
                assert!(choose_classification(&read).is_none(), "{path}: no other names exchanges or refunds")
            }
            _ => assert_eq!(choose_classification(&read).map(|c| c.id.as_str()), Some(chosen.id.as_str()), "{path}"),
        }
    }
}

#[test]
fn a_ticket_name_check_is_read_with_any_property_missing() {
    let example = example("CheckNameAvailabilityWithSubscription.json");
    let asked: CheckNameAvailabilityInput = serde_json::from_value(example["parameters"]["checkNameAvailabilityInput"].clone()).unwrap();
    assert_eq!(asked, CheckNameAvailabilityInput::ticket("sampleName"));
    assert_eq!(serde_json::to_value(&asked).unwrap(), example["parameters"]["checkNameAvailabilityInput"]);
    let body = example["responses"]["200"]["body"].clone();
    let read: CheckNameAvailabilityOutput = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(read.name_available, Some(false));
    for (path, cut) in each_removal(&body) {
        serde_json::from_value::<CheckNameAvailabilityOutput>(cut).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[test]
fn the_ticket_the_desk_sends_has_the_examples_required_properties() {
    let example = example("CreateBillingSupportTicketForSubscription.json");
    let mut sent = example["parameters"]["createSupportTicketParameters"].clone();
    // What the desk does not send: the support plan and a file workspace (both optional).
    let props = sent["properties"].as_object_mut().unwrap();
    props.remove("supportPlanId");
    props.remove("fileWorkspaceName");
    let ticket: TicketCreate = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(ticket.properties.contact_details.country, "usa");
    assert_eq!(ticket.properties.advanced_diagnostic_consent, "No");
    assert_eq!(serde_json::to_value(&ticket).unwrap(), sent);
}

#[test]
fn a_ticket_is_read_back_with_any_optional_property_missing() {
    for (file, number) in [("CreateBillingSupportTicketForSubscription.json", "119120321001170"), ("GetSubscriptionSupportTicketDetails.json", "118032014183770")] {
        let body = example(file)["responses"]["200"]["body"].clone();
        let read = read_ticket(body.clone()).unwrap();
        assert_eq!((read.name.as_deref(), read.support_ticket_id.as_deref(), read.status.as_deref()), (Some("testticket"), Some(number), Some("Open")));
        for (path, cut) in each_removal(&body) {
            let read = read_ticket(cut);
            if path == "properties" {
                assert!(read.unwrap_err().contains("properties"), "{file}");
                continue;
            }
            let read = read.unwrap_or_else(|e| panic!("{file} {path}: {e}"));
            // The name comes from the ID when `name` is missing.
            assert_eq!(read.name.as_deref(), Some("testticket"), "{file} {path}");
        }
    }
}
