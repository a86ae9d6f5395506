//! Microsoft.Authorization 2022-04-01's published examples (role assignments listed, created and
//! deleted; a role definition read by ID), vendored byte for byte under
//! `published/microsoft.authorization-2022-04-01/` (sources in `published/SOURCES.md`), read as
//! Azure mode reads ARM's answers on a reservation order. Every property the specification does
//! not mark required is removed one at a time: the answer must still be read; removing a
//! required one (`properties.roleDefinitionId`, `properties.principalId`) sets the item aside
//! with why, never the page.

use azure_api::role_assignment::{read_assignment, read_page, RoleAssignmentCreate, RoleDefinitionRead};
use contract::{PrincipalType, ReservationRole};
use serde_json::Value;

mod published_members;
use published_members::{paths, without};

fn example(name: &str) -> Value {
    let path = format!("{}/tests/published/microsoft.authorization-2022-04-01/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// What the specification requires of a role assignment (`RoleAssignmentProperties.required`),
/// and `properties` that holds them.
const REQUIRED: [&str; 3] = ["properties", "properties/roleDefinitionId", "properties/principalId"];

fn every_optional_removal_is_read(assignment: &Value) {
    let mut all = Vec::new();
    paths(assignment, "", &mut all);
    for path in &all {
        let cut = without(assignment, path);
        let read = read_assignment(cut);
        if REQUIRED.contains(&path.as_str()) {
            let why = read.expect_err(path);
            assert!(why.contains("properties") || why.contains("roleDefinitionId") || why.contains("principalId"), "{path}: {why}");
        } else {
            let read = read.unwrap_or_else(|e| panic!("{path} removed: {e}"));
            assert!(!read.name.is_empty(), "{path}");
        }
    }
}

#[test]
fn the_published_list_reads_and_survives_each_optional_property_removed() {
    let body = &example("RoleAssignments_ListForScope.json")["responses"]["200"]["body"];
    let page = read_page(body.to_string().as_bytes()).unwrap();
    assert_eq!(page.next_link, None);
    let first = page.items[0].clone().unwrap();
    assert_eq!((first.name.as_str(), first.principal_id.as_str(), first.principal_type), ("b0f43c54-e787-4862-89b1-a653fa9cf747", "ce2ce14e-85d7-4629-bdbc-454d0519d987", PrincipalType::User));
    assert_eq!(first.scope.as_deref(), Some("/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2"));
    assert!(first.inherited("some-order"), "a subscription's assignment is above any reservation order");
    let shown = first.to_contract("some-order", Some("Custom role".into()));
    assert_eq!((shown.assignment.role, shown.role_name.as_deref()), (ReservationRole::Other, Some("Custom role")), "0b5fe924… is no built-in role of reservations");
    every_optional_removal_is_read(&body["value"][0]);

    // The page without `value`, or an item that is not an assignment, is read: the others stay.
    assert!(read_page(b"{}").unwrap().items.is_empty());
    let mut mixed = body.clone();
    mixed["value"].as_array_mut().unwrap().insert(0, serde_json::json!({"properties": {"principalId": 7}}));
    let page = read_page(mixed.to_string().as_bytes()).unwrap();
    assert!(page.items[0].is_err() && page.items[1].is_ok(), "{:?}", page.items);
    assert!(read_page(b"[]").is_err(), "an answer that is not a page");
}

#[test]
fn the_published_create_body_is_what_the_desk_sends_and_its_answers_read() {
    let created = example("RoleAssignments_CreateForResource.json");
    let sent: RoleAssignmentCreate = serde_json::from_value(created["parameters"]["parameters"].clone()).unwrap();
    assert_eq!(serde_json::to_value(&sent).unwrap(), created["parameters"]["parameters"], "the desk's body has the published shape, nothing more");
    let ours = RoleAssignmentCreate::new(ReservationRole::Reader, "ce2ce14e-85d7-4629-bdbc-454d0519d987", PrincipalType::User).unwrap();
    let ours = serde_json::to_value(&ours).unwrap();
    let keys = |v: &Value| v["properties"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&ours), keys(&created["parameters"]["parameters"]));
    for status in ["201", "200"] {
        let answer = &created["responses"][status]["body"];
        let read = read_assignment(answer.clone()).unwrap();
        assert_eq!(read.name, "05c5a614-a7d6-4502-b150-c2fb455033ff");
        every_optional_removal_is_read(answer);
    }
}

#[test]
fn the_published_delete_answer_reads_and_its_204_has_no_body() {
    let deleted = example("RoleAssignments_Delete.json");
    let read = read_assignment(deleted["responses"]["200"]["body"].clone()).unwrap();
    assert_eq!(read.name, deleted["parameters"]["roleAssignmentName"]);
    every_optional_removal_is_read(&deleted["responses"]["200"]["body"]);
    assert_eq!(deleted["responses"]["204"], serde_json::json!({}));
}

#[test]
fn the_published_role_definition_names_its_role_with_anything_left_out() {
    let body = &example("GetRoleDefinitionById.json")["responses"]["200"]["body"];
    let read: RoleDefinitionRead = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(read.role_name(), Some("Role name"));
    let mut all = Vec::new();
    paths(body, "", &mut all);
    for path in &all {
        let read: RoleDefinitionRead = serde_json::from_value(without(body, path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let named = !(path == "properties" || path == "properties/roleName");
        assert_eq!(read.role_name().is_some(), named, "{path}");
    }
}
