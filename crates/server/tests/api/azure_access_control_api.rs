//! In Azure mode the reservation's Access control (IAM) is ARM's role assignments on the
//! reservation order (Microsoft.Authorization 2022-04-01; the stand-in in
//! `azure_stand_ins/arm_access.rs`, written from Microsoft's published examples): the list is
//! ARM's, every page of it, with role names from their definitions and the assignments given
//! above the order marked inherited; an addition is a `PUT` of a new GUID with the body
//! Microsoft documents, a removal a `DELETE`, each on behalf of the signed-in user, audited and
//! read back; ARM's refusals come back with what they mean and their request IDs; the read-only
//! pilot refuses both changes; a user granted one customer cannot reach another's order.

use crate::azure_desk;
use crate::azure_stand_ins;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::{role_assignment, DirectoryRequest, Graph};
use serde_json::{json, Value};

const ORDER: &str = "/providers/Microsoft.Capacity/reservationOrders/order-c";
const PATH: &str = "/api/reservationOrders/order-c/roleAssignments";
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const RESERVATIONS_READER: &str = "582fc458-8989-419f-a480-75249bc5db7e";
const CUSTOM: &str = "0b5fe924-9a61-425c-96af-cfe6e287ca2d";
const ADA: &str = "ce2ce14e-85d7-4629-bdbc-454d0519d987";
const FINANCE: &str = "7a1c9e20-3b4d-4c5e-8f60-71829304a5b6";
const AUDITORS: &str = "b2b1f7e0-1c2d-4e3f-9a0b-1c2d3e4f5a6b";

/// The desk over the stand-ins, read once, with role assignments in Contoso's tenant: on the
/// order (an Owner, a custom role), and inherited (a Reader on a subscription, at the root `/`).
/// Whether a directory request is a read's question whether Graph answers in the tenant (one user,
/// its ID), not the picker's or the list's.
fn is_probe(request: &DirectoryRequest) -> bool {
    request.1 == "users" && request.2.get("$top").map(String::as_str) == Some("1") && request.2.get("$select").map(String::as_str) == Some("id")
}

async fn desk_with_assignments(settings: contract::Settings) -> Desk {
    desk_with_assignments_where(settings, |_| {}).await
}

/// [`desk_with_assignments`] whose Graph is as `graph` makes it before the first read (which asks
/// Graph in each tenant: a token Graph gave is the desk's until it expires).
async fn desk_with_assignments_where(settings: contract::Settings, graph: impl FnOnce(&mut Graph)) -> Desk {
    let d = desk_with(settings).await;
    d.stand_ins.graph(graph);
    read(&d).await;
    d.stand_ins.arm_access(|a| {
        a.on_order.insert(
            ("tenant-contoso".into(), "order-c".into()),
            vec![
                role_assignment(ORDER, "11111111-1111-4111-8111-111111111111", OWNER, ADA, "User"),
                role_assignment(ORDER, "22222222-2222-4222-8222-222222222222", CUSTOM, AUDITORS, "Group"),
            ],
        );
        a.inherited.insert(
            "tenant-contoso".into(),
            vec![
                role_assignment("/subscriptions/sub-contoso-prod", "33333333-3333-4333-8333-333333333333", READER, FINANCE, "Group"),
                role_assignment("/", "44444444-4444-4444-8444-444444444444", OWNER, "99999999-9999-4999-8999-999999999999", "ServicePrincipal"),
            ],
        );
        a.definitions.insert(CUSTOM.into(), "Contoso Reservation Auditor".into());
    });
    d
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|a| a["id"] == id).unwrap_or(&Value::Null)
}

async fn audit_of(d: &Desk, action: &str) -> Vec<Value> {
    let (status, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    audit.as_array().unwrap().iter().filter(|e| e["action"] == action).cloned().collect()
}

#[tokio::test]
async fn the_list_is_arms_every_page_with_role_names_and_inherited_ones_marked() {
    let d = desk_with_assignments(contract::Settings::default()).await;
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 4, "two pages of two: {list}");

    let requests = d.stand_ins.arm_access(|a| a.requests.clone());
    let lists: Vec<&str> = requests.iter().filter(|r| r.uri.contains("/roleAssignments?")).map(|r| r.uri.as_str()).collect();
    assert_eq!(lists.len(), 2, "the nextLink followed: {lists:?}");
    assert!(lists[1].contains("$skiptoken=2"), "{lists:?}");
    assert!(requests.iter().all(|r| r.tenant == "tenant-contoso"), "asked in the customer's tenant");
    assert!(requests.iter().all(|r| r.uri.contains("api-version=2022-04-01")));

    let owner = by_id(&list, "11111111-1111-4111-8111-111111111111");
    assert_eq!((&owner["role"], &owner["roleName"], &owner["principalType"]), (&json!("Owner"), &json!("Owner"), &json!("User")), "{owner}");
    assert_eq!((&owner["principalId"], &owner["principalName"]), (&json!(ADA), &json!(ADA)), "no name from the customer's directory: the object ID");
    assert_eq!(owner.get("inherited"), None, "given on the order: {owner}");
    assert_eq!(owner["scope"], ORDER);

    let custom = by_id(&list, "22222222-2222-4222-8222-222222222222");
    assert_eq!((&custom["role"], &custom["roleName"]), (&json!("Other"), &json!("Contoso Reservation Auditor")), "its definition's name: {custom}");
    let definitions: Vec<&str> = requests.iter().filter(|r| r.uri.contains("roleDefinitions")).map(|r| r.uri.as_str()).collect();
    assert_eq!(definitions.len(), 1, "only the role outside the six is looked up: {definitions:?}");

    let subscription = by_id(&list, "33333333-3333-4333-8333-333333333333");
    assert_eq!((&subscription["inherited"], &subscription["scope"], &subscription["role"]), (&json!(true), &json!("/subscriptions/sub-contoso-prod"), &json!("Reader")));
    let root = by_id(&list, "44444444-4444-4444-8444-444444444444");
    assert_eq!((&root["inherited"], &root["scope"], &root["principalType"]), (&json!(true), &json!("/"), &json!("ServicePrincipal")));

    // Nothing of the desk's own records: local mode's seeded assignments are not Azure's.
    assert!(list.as_array().unwrap().iter().all(|a| a["principalId"].is_string()), "{list}");
}

#[tokio::test]
async fn an_addition_is_one_put_of_microsofts_body_audited_and_listed_after_and_a_removal_one_delete() {
    let d = desk_with_assignments(contract::Settings::default()).await;
    let new = json!({"principalName": FINANCE.to_uppercase(), "principalType": "Group", "role": "Reservations Reader"});
    let (status, created) = d.call("POST", PATH, Some(new)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!((&created["role"], &created["principalId"], &created["principalType"]), (&json!("Reservations Reader"), &json!(FINANCE), &json!("Group")), "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(uuid::Uuid::parse_str(&id).map(|u| u.get_version_num()), Ok(4), "a new GUID names it: {id}");

    let requests = d.stand_ins.arm_access(|a| a.requests.clone());
    let puts: Vec<_> = requests.iter().filter(|r| r.method == "PUT").collect();
    assert_eq!(puts.len(), 1, "asked once");
    assert!(puts[0].uri.starts_with(&format!("{ORDER}/providers/Microsoft.Authorization/roleAssignments/{id}?")), "{}", puts[0].uri);
    assert_eq!(
        puts[0].body,
        json!({"properties": {"roleDefinitionId": format!("/providers/Microsoft.Authorization/roleDefinitions/{RESERVATIONS_READER}"), "principalId": FINANCE, "principalType": "Group"}}),
        "RoleAssignmentCreateParameters as the published example has it"
    );
    assert_eq!(requests.last().map(|r| r.method.as_str()), Some("GET"), "the list read back after");

    let (_, list) = d.call("GET", PATH, None).await;
    assert_eq!(by_id(&list, &id)["role"], "Reservations Reader", "ARM lists it: {list}");
    let added = audit_of(&d, "addRoleAssignment").await;
    assert_eq!(added.len(), 1, "{added:?}");
    let change = added[0]["change"].as_str().unwrap();
    assert!(change.contains("through Azure") && change.contains("arm-request-"), "who, what Azure answered, its request IDs: {change}");
    assert_eq!(added[0]["target"], format!("reservationOrders/order-c/roleAssignments/{id}"));

    // Removed: one DELETE; gone from ARM's list; audited.
    let (status, body) = d.call("DELETE", &format!("{PATH}/{id}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let deletes: Vec<_> = d.stand_ins.arm_access(|a| a.requests.iter().filter(|r| r.method == "DELETE").map(|r| r.uri.clone()).collect());
    assert_eq!(deletes.len(), 1);
    assert!(deletes[0].starts_with(&format!("{ORDER}/providers/Microsoft.Authorization/roleAssignments/{id}?")), "{deletes:?}");
    let (_, list) = d.call("GET", PATH, None).await;
    assert_eq!(by_id(&list, &id), &Value::Null, "{list}");
    assert_eq!(audit_of(&d, "removeRoleAssignment").await.len(), 1);

    // An inherited one is removed where it was given, not on the order; an unknown one is 404.
    let (status, problem) = d.call("DELETE", &format!("{PATH}/33333333-3333-4333-8333-333333333333"), None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("/subscriptions/sub-contoso-prod"), "{problem}");
    let (status, _) = d.call("DELETE", &format!("{PATH}/55555555-5555-4555-8555-555555555555"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(d.stand_ins.arm_access(|a| a.requests.iter().filter(|r| r.method == "DELETE").count()), 1, "neither reached ARM");
}

#[tokio::test]
async fn a_principal_is_its_object_id_and_a_role_one_of_the_six() {
    let d = desk_with_assignments(contract::Settings::default()).await;
    let (status, problem) = d.call("POST", PATH, Some(json!({"principalName": "ada@contoso.com", "principalType": "User", "role": "Reader"}))).await;
    assert_eq!((status, &problem["code"], &problem["field"]), (StatusCode::BAD_REQUEST, &json!("invalidPrincipal"), &json!("principalId")), "{problem}");
    let (status, problem) = d.call("POST", PATH, Some(json!({"principalName": ADA, "principalType": "User", "role": "Other"}))).await;
    assert_eq!((status, &problem["field"]), (StatusCode::BAD_REQUEST, &json!("role")), "{problem}");
    let (status, _) = d.call("POST", PATH, Some(json!({"principalName": "x", "principalId": ADA, "principalType": "User", "role": "Reservation Purchaser"}))).await;
    assert_eq!(status, StatusCode::CREATED, "principalId named, the purchaser role offered");
    assert_eq!(d.stand_ins.arm_access(|a| a.requests.iter().filter(|r| r.method == "PUT").count()), 1, "only the valid one reached ARM");
}

#[tokio::test]
async fn arms_refusals_are_answered_with_azures_code_message_and_request_ids_and_nothing_is_recorded() {
    let d = desk_with_assignments(contract::Settings::default()).await;
    // The Owner Ada already holds.
    let (status, problem) = d.call("POST", PATH, Some(json!({"principalName": ADA, "principalType": "User", "role": "Owner"}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("RoleAssignmentExists") && detail.contains("The role assignment already exists."), "Azure's code and message: {detail}");
    assert!(detail.contains("arm-request-") && detail.contains("arm-correlation-"), "Azure's request IDs: {detail}");

    d.stand_ins.arm_access(|a| a.missing_principals.insert(AUDITORS.to_owned()));
    let (status, problem) = d.call("POST", PATH, Some(json!({"principalName": AUDITORS, "principalType": "Group", "role": "Reader"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("PrincipalNotFound"), "{problem}");

    d.stand_ins.arm_access(|a| a.read_only.insert("tenant-contoso".to_owned()));
    let (status, problem) = d.call("POST", PATH, Some(json!({"principalName": FINANCE, "principalType": "Group", "role": "Reader"}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("AuthorizationFailed") && detail.contains("roleAssignments/write") && detail.contains("arm-request-"), "{detail}");
    let (status, problem) = d.call("DELETE", &format!("{PATH}/11111111-1111-4111-8111-111111111111"), None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::FORBIDDEN, &json!("upstreamForbidden")), "{problem}");

    assert!(audit_of(&d, "addRoleAssignment").await.is_empty() && audit_of(&d, "removeRoleAssignment").await.is_empty(), "nothing recorded");
}

#[tokio::test]
async fn the_read_only_pilot_lists_and_refuses_both_changes() {
    let d = desk_with_assignments(contract::Settings { azure_read_only: true, ..contract::Settings::default() }).await;
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (StatusCode::OK, Some(4)), "{list}");
    let (status, problem) = d.call("POST", PATH, Some(json!({"principalName": FINANCE, "principalType": "Group", "role": "Reader"}))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("readOnlyPilot")), "{problem}");
    let (status, problem) = d.call("DELETE", &format!("{PATH}/11111111-1111-4111-8111-111111111111"), None).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("readOnlyPilot")), "{problem}");
    assert!(d.stand_ins.arm_access(|a| a.requests.iter().all(|r| r.method == "GET")), "nothing that changes anything reached ARM");
}

#[tokio::test]
async fn a_user_granted_one_customer_cannot_reach_another_customers_order() {
    let d = desk_with_assignments(contract::Settings::default()).await;
    let group = "5d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
    let grant = json!({"groupId": group, "customerId": "contoso", "role": "UserManagementAdmin"});
    let (status, body) = d.call_as(&d.global_admin(), "POST", "/api/grants", Some(grant)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let granted = d.provider.token_with(|c| {
        c["tid"] = json!(azure_stand_ins::PARTNER_TENANT);
        c["oid"] = json!("granted-user");
        c["preferred_username"] = json!("gus@partner.example");
        c["name"] = json!("Gus Granted");
        c["roles"] = json!(["SalesAgent"]);
        c["groups"] = json!([group]);
    });
    let (status, list) = d.call_as(&granted, "GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "granted Contoso: {list}");
    let before = d.stand_ins.arm_access(|a| a.requests.len());
    let other = "/api/reservationOrders/order-f/roleAssignments";
    let (status, _) = d.call_as(&granted, "GET", other, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Fabrikam's order is not the user's to see");
    let (status, _) = d.call_as(&granted, "POST", other, Some(json!({"principalName": ADA, "principalType": "User", "role": "Reader"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = d.call_as(&granted, "DELETE", &format!("{other}/11111111-1111-4111-8111-111111111111"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(d.stand_ins.arm_access(|a| a.requests.len()), before, "ARM was not asked");
    let (status, _) = d.call("GET", "/api/reservationOrders/no-such-order/roleAssignments", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Microsoft Graph's published users and groups ("List users" example 1, "List groups" example
/// 2), put in Contoso's directory as Graph lists them.
fn published_directory(d: &Desk) {
    let users: Value = serde_json::from_str(include_str!("../../../azure-api/tests/published/graph/user-list.json")).unwrap();
    let groups: Value = serde_json::from_str(include_str!("../../../azure-api/tests/published/graph/group-list.json")).unwrap();
    let mut objects: Vec<(String, Value)> = users["value"].as_array().unwrap().iter().map(|u| ("users".to_owned(), u.clone())).collect();
    objects.extend(groups["value"].as_array().unwrap().iter().map(|g| ("groups".to_owned(), g.clone())));
    objects.push(azure_stand_ins::directory_application("99999999-9999-4999-8999-999999999999", "Contoso automation"));
    d.stand_ins.graph(|g| g.directory.insert("tenant-contoso".into(), objects));
}

const ADAMS: &str = "6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0";
const MOD_ADMINISTRATOR: &str = "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e";
const CONTOSO_GROUP_1: &str = "11111111-2222-3333-4444-555555555555";

#[tokio::test]
async fn the_people_picker_finds_graphs_people_by_name_or_e_mail_and_the_list_shows_their_names() {
    let d = desk_with(contract::Settings::default()).await;
    read(&d).await;
    published_directory(&d);
    d.stand_ins.arm_access(|a| {
        a.on_order.insert(
            ("tenant-contoso".into(), "order-c".into()),
            vec![
                role_assignment(ORDER, "11111111-1111-4111-8111-111111111111", OWNER, ADAMS, "User"),
                role_assignment(ORDER, "22222222-2222-4222-8222-222222222222", READER, CONTOSO_GROUP_1, "Group"),
                role_assignment(ORDER, "66666666-6666-4666-8666-666666666666", READER, AUDITORS, "Group"),
            ],
        );
        a.inherited.insert("tenant-contoso".into(), vec![role_assignment("/", "44444444-4444-4444-8444-444444444444", OWNER, "99999999-9999-4999-8999-999999999999", "ServicePrincipal")]);
    });
    let search = |text: &str| format!("/api/reservationOrders/order-c/principals?search={text}");

    // By name: Graph's `$search` in the customer's tenant, with ConsistencyLevel: eventual.
    let (status, found) = d.call("GET", &search("mod"), None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["principals"], json!([{"id": MOD_ADMINISTRATOR, "displayName": "MOD Administrator", "principalType": "User", "email": "admin@contoso.com"}]), "no mailbox: the sign-in name");
    assert_eq!(found.get("refused"), None, "{found}");
    let requests: Vec<_> = d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests)).into_iter().filter(|r| !is_probe(r)).collect();
    assert_eq!(requests.len(), 3, "users, groups and service principals: {requests:?}");
    for (tenant, collection, query, consistency) in &requests {
        assert_eq!((tenant.as_str(), consistency.as_deref(), query.get("$count").map(String::as_str)), ("tenant-contoso", Some("eventual"), Some("true")), "{collection}");
        assert!(query["$search"].contains("\"displayName:mod\""), "{collection}: {query:?}");
    }
    // By e-mail, and a group by name.
    let (_, found) = d.call("GET", &search("adams%40contoso"), None).await;
    assert_eq!(found["principals"][0]["displayName"], "Conf Room Adams", "{found}");
    let (_, found) = d.call("GET", &search("Contoso%20Group"), None).await;
    let names: Vec<&str> = found["principals"].as_array().unwrap().iter().map(|p| p["displayName"].as_str().unwrap()).collect();
    assert_eq!(names, ["Contoso Group 1", "Contoso Group 2"], "{found}");
    // An object ID typed in: `$filter=id eq`, no `$search`.
    let (_, found) = d.call("GET", &search(&ADAMS.to_uppercase()), None).await;
    assert_eq!(found["principals"][0]["displayName"], "Conf Room Adams", "{found}");
    let requests = d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests));
    let filter_of = |c: &str| if c == "servicePrincipals" { format!("id eq '{ADAMS}' or appId eq '{ADAMS}'") } else { format!("id eq '{ADAMS}'") };
    assert!(requests.iter().rev().take(3).all(|(_, c, q, _)| q.get("$filter") == Some(&filter_of(c)) && !q.contains_key("$search")), "{requests:?}");
    let (status, problem) = d.call("GET", &search("a"), None).await;
    assert_eq!((status, &problem["field"]), (StatusCode::BAD_REQUEST, &json!("search")), "{problem}");

    // The list: each principal's name and e-mail from the directory, by object ID.
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let owner = by_id(&list, "11111111-1111-4111-8111-111111111111");
    assert_eq!((&owner["displayName"], &owner["email"], &owner["principalId"]), (&json!("Conf Room Adams"), &json!("Adams@contoso.com"), &json!(ADAMS)), "{owner}");
    assert_eq!(by_id(&list, "22222222-2222-4222-8222-222222222222")["displayName"], "Contoso Group 1");
    assert_eq!(by_id(&list, "44444444-4444-4444-8444-444444444444")["displayName"], "Contoso automation");
    let gone = by_id(&list, "66666666-6666-4666-8666-666666666666");
    assert_eq!(gone.get("displayName"), None, "{gone}");
    assert!(gone["unnamedBecause"].as_str().unwrap().contains("no such object"), "{gone}");
    let requests = d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests));
    let filters: Vec<&str> = requests.iter().map(|(_, _, q, _)| q["$filter"].as_str()).collect();
    assert!(filters.contains(&format!("id in ('{CONTOSO_GROUP_1}','{AUDITORS}')").as_str()), "{filters:?}");

    // Chosen from the picker: ARM is asked with the object ID, the audit names the person.
    let chosen = json!({"principalName": "MOD Administrator", "principalId": MOD_ADMINISTRATOR, "principalType": "User", "role": "Reservations Reader"});
    let (status, created) = d.call("POST", PATH, Some(chosen)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!((&created["displayName"], &created["email"]), (&json!("MOD Administrator"), &json!("admin@contoso.com")), "{created}");
    let puts: Vec<Value> = d.stand_ins.arm_access(|a| a.requests.iter().filter(|r| r.method == "PUT").map(|r| r.body.clone()).collect());
    assert_eq!(puts[0]["properties"]["principalId"], MOD_ADMINISTRATOR);
    let added = audit_of(&d, "addRoleAssignment").await;
    assert!(added[0]["change"].as_str().unwrap().starts_with("MOD Administrator"), "{added:?}");
}

#[tokio::test]
async fn where_graph_is_refused_the_list_shows_object_ids_with_graphs_reason_and_the_picker_says_it() {
    let d = desk_with_assignments_where(contract::Settings::default(), |g| {
        g.directory_not_consented.insert("tenant-contoso".into());
    })
    .await;
    published_directory(&d);
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "ARM's list all the same: {list}");
    let owner = by_id(&list, "11111111-1111-4111-8111-111111111111");
    assert_eq!((&owner["principalName"], owner.get("displayName")), (&json!(ADA), None), "{owner}");
    let why = owner["unnamedBecause"].as_str().unwrap();
    assert!(why.contains("Authorization_RequestDenied") && why.contains("Insufficient privileges"), "Graph's code and message: {why}");

    let (status, found) = d.call("GET", "/api/reservationOrders/order-c/principals?search=conf", None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["principals"], json!([]));
    let refused = found["refused"].as_array().unwrap();
    let kinds: Vec<&str> = refused.iter().map(|r| r["principalType"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["User", "Group", "ServicePrincipal"], "{found}");
    assert!(refused.iter().all(|r| r["code"] == "Authorization_RequestDenied" && r["kind"] == "forbidden" && r["status"] == 403), "not allowed to search: {found}");
    assert!(refused.iter().all(|r| r["message"].as_str().unwrap().contains("request ID graph-directory-")), "Graph's request-id header: {found}");
    // The object ID still works.
    let (status, _) = d.call("POST", PATH, Some(json!({"principalName": FINANCE, "principalType": "Group", "role": "Reader"}))).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_busy_graph_is_said_at_once_with_how_long_to_wait_and_arm_in_the_tenant_goes_on() {
    let d = desk_with_assignments(contract::Settings::default()).await;
    published_directory(&d);
    d.stand_ins.graph(|g| g.directory_throttled.insert("tenant-contoso".into(), 120));
    let waited = d.waits.lock().unwrap().len();
    let (status, found) = d.call("GET", "/api/reservationOrders/order-c/principals?search=conf", None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let refused = found["refused"].as_array().unwrap();
    let users = refused.iter().find(|r| r["principalType"] == "User").unwrap_or_else(|| panic!("{found}"));
    assert_eq!((&users["kind"], &users["code"], &users["status"], &users["retryAfter"]), (&json!("throttled"), &json!("TooManyRequests"), &json!(429), &json!(120)), "{users}");
    assert!(users["message"].as_str().unwrap().contains("Retry-After: 120 s"), "{users}");
    assert_eq!(d.stand_ins.graph(|g| g.directory_requests.iter().filter(|r| r.1 == "users" && !is_probe(r)).count()), 1, "asked once, not again after Retry-After");

    // ARM in the same tenant is not paused by Graph: the list at once, its names said busy.
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (StatusCode::OK, Some(4)), "{list}");
    assert_eq!(d.waits.lock().unwrap().len(), waited, "nothing waited, neither the search nor ARM");
    let owner = by_id(&list, "11111111-1111-4111-8111-111111111111");
    assert!(owner["unnamedBecause"].as_str().unwrap().contains("Retry-After"), "{owner}");
    assert_eq!(d.stand_ins.graph(|g| g.directory_requests.iter().filter(|r| r.1 == "users" && !is_probe(r)).count()), 1, "Graph not asked while it asked to wait");
}

#[tokio::test]
async fn where_graph_is_not_consented_the_picker_and_the_list_say_so() {
    let d = desk_with_assignments_where(contract::Settings::default(), |g| {
        g.directory_token_refused.insert("tenant-contoso".into());
    })
    .await;
    published_directory(&d);
    let (status, found) = d.call("GET", "/api/reservationOrders/order-c/principals?search=conf", None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let refused = found["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 3, "{found}");
    for r in refused {
        assert_eq!((&r["kind"], &r["code"]), (&json!("notConsented"), &json!("invalid_grant")), "{r}");
        let message = r["message"].as_str().unwrap();
        assert!(message.starts_with("Microsoft Graph is not consented in this tenant") && message.contains("AADSTS65001"), "{message}");
    }
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "ARM's token is not Graph's: {list}");
    let why = by_id(&list, "11111111-1111-4111-8111-111111111111")["unnamedBecause"].as_str().unwrap().to_owned();
    assert!(why.contains("not consented in this tenant"), "{why}");
}

#[tokio::test]
async fn a_typed_client_id_finds_its_application_and_graph_is_not_asked_what_it_cannot_answer() {
    let d = desk_with(contract::Settings::default()).await;
    read(&d).await;
    published_directory(&d);
    let app_id = "00000000-0000-0000-0000-0000000000aa";
    d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests));
    let (status, found) = d.call("GET", &format!("/api/reservationOrders/order-c/principals?search={}", app_id.to_uppercase()), None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        found["principals"],
        json!([{"id": "99999999-9999-4999-8999-999999999999", "displayName": "Contoso automation", "principalType": "ServicePrincipal", "appId": app_id}]),
        "the application's client ID finds its service principal"
    );
    let requests = d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests));
    let applications = requests.iter().find(|r| r.1 == "servicePrincipals").unwrap();
    assert_eq!(applications.2["$filter"], format!("id eq '{app_id}' or appId eq '{app_id}'"));
    assert_eq!(requests.iter().find(|r| r.1 == "users").unwrap().2["$filter"], format!("id eq '{app_id}'"), "a user by object ID only");

    // Nothing Graph can take: 400 on `search`, Graph not asked.
    let (status, problem) = d.call("GET", "/api/reservationOrders/order-c/principals?search=%01%02%20%07", None).await;
    assert_eq!((status, &problem["field"]), (StatusCode::BAD_REQUEST, &json!("search")), "{problem}");
    // A quote is escaped for Graph, and found as typed.
    let (status, _) = d.call("GET", "/api/reservationOrders/order-c/principals?search=%22Conf", None).await;
    assert_eq!(status, StatusCode::OK);
    let requests = d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests));
    assert_eq!(requests.len(), 3, "only the second search reached Graph: {requests:?}");
    assert!(requests[0].2["$search"].contains(r#""displayName:\"Conf""#), "{requests:?}");

    // The list: a foreign group, a device and an ID that is no GUID are not asked of Graph, and say why.
    d.stand_ins.arm_access(|a| {
        a.on_order.insert(
            ("tenant-contoso".into(), "order-c".into()),
            vec![
                role_assignment(ORDER, "77777777-7777-4777-8777-777777777777", READER, "55555555-5555-4555-8555-555555555555", "ForeignGroup"),
                role_assignment(ORDER, "88888888-8888-4888-8888-888888888888", READER, "66666666-6666-4666-8666-666666666666", "Device"),
                role_assignment(ORDER, "99999999-9999-4999-8999-999999999990", READER, "not-a-guid", "User"),
                role_assignment(ORDER, "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", READER, ADAMS, "User"),
            ],
        );
    });
    let (status, list) = d.call("GET", PATH, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let why = |id: &str| by_id(&list, id)["unnamedBecause"].as_str().unwrap_or_default().to_owned();
    assert!(why("77777777-7777-4777-8777-777777777777").contains("does not name a foreign group"), "{list}");
    assert!(why("88888888-8888-4888-8888-888888888888").contains("not a user, group or application"), "{list}");
    assert!(why("99999999-9999-4999-8999-999999999990").contains("'not-a-guid' is not an object ID"), "{list}");
    assert_eq!(by_id(&list, "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa")["displayName"], "Conf Room Adams");
    let requests = d.stand_ins.graph(|g| std::mem::take(&mut g.directory_requests));
    let filters: Vec<&str> = requests.iter().map(|r| r.2["$filter"].as_str()).collect();
    assert_eq!(filters, [format!("id in ('{ADAMS}')")], "only the user with an object ID asked: {requests:?}");
}
