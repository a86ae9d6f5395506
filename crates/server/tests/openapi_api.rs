//! `/api/openapi.json` describes exactly the router: every documented operation answers (no
//! 405, no "no such endpoint"), every route of `src/lib.rs` is documented, and it is public.

mod common;

use axum::http::StatusCode;
use common::{call, call_as, fresh};
use serde_json::{json, Value};

/// `/api/customers/{customerId}` → `/api/customers/{}`: templates compared by shape.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The paths given to `.route(` in the router's source.
fn routed_paths() -> Vec<String> {
    let source = include_str!("../src/lib.rs");
    source
        .split(".route(")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('"')? + 1;
            let len = rest[start..].find('"')?;
            Some(rest[start..start + len].to_owned())
        })
        .filter(|path| !path.contains("{*"))
        .collect()
}

#[tokio::test]
async fn the_document_is_public_and_every_route_is_in_it() {
    let (router, _dir, _) = fresh().await;
    let (status, doc) = call_as(&router, "", "GET", "/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.0.3");
    let documented: Vec<String> = doc["paths"].as_object().unwrap().keys().map(|p| shape(p)).collect();
    let routed = routed_paths();
    assert!(routed.len() >= 20, "the router's routes were read: {routed:?}");
    for path in &routed {
        assert!(documented.contains(&shape(path)), "{path} is routed but not documented");
    }
    for path in &documented {
        assert!(routed.iter().any(|r| &shape(r) == path), "{path} is documented but not routed");
    }
}

/// One operation of the OpenAPI document, made callable.
struct Operation {
    method: String,
    path: String,
    /// The path with every `{parameter}` replaced by an ID that does not exist.
    concrete: String,
    /// An empty JSON object for the methods that take a body.
    body: Option<Value>,
    /// The operation's object in the document.
    operation: Value,
}

/// Every operation (GET, POST, PATCH, PUT, DELETE) the document lists.
fn operations_of(doc: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "post", "patch", "put", "delete"].contains(&method.as_str()) {
                continue; // path-level `parameters`, `summary`, …
            }
            let method = method.to_uppercase();
            let concrete = path
                .split('/')
                .map(|segment| if segment.starts_with('{') { "unknown-id" } else { segment })
                .collect::<Vec<_>>()
                .join("/");
            let body = matches!(method.as_str(), "POST" | "PATCH").then(|| json!({}));
            operations.push(Operation { method, path: path.clone(), concrete, body, operation: operation.clone() });
        }
    }
    operations
}

#[tokio::test]
async fn every_documented_operation_answers_and_every_error_is_a_problem() {
    let (router, _dir, _) = fresh().await;
    let (_, doc) = call(&router, "GET", "/api/openapi.json", None).await;
    let mut operations = 0;
    for Operation { method, path, concrete, body, operation } in operations_of(&doc) {
        let (status, answer) = call(&router, &method, &concrete, body).await;
        operations += 1;
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_ne!(answer["detail"], "There is no such API endpoint.", "{method} {path}");
        let documented = operation["responses"].as_object().unwrap();
        assert!(
            documented.contains_key(status.as_str()),
            "{method} {concrete} answered {status}, documented {:?}: {answer}",
            documented.keys().collect::<Vec<_>>()
        );
        if !status.is_success() {
            assert_eq!(answer["status"], status.as_u16(), "{method} {concrete}: {answer}");
            assert!(answer["code"].is_string(), "{method} {concrete}: {answer}");
        }
    }
    assert!(operations >= 23, "{operations} operations");
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem() {
    let (router, _dir, _) = fresh().await;
    let (status, problem): (StatusCode, Value) = call(&router, "DELETE", "/api/customers", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(problem["status"], 405);
    assert!(problem["detail"].as_str().unwrap().contains("openapi.json"));
}

/// What the issue says each partner role may do, written out independently of the server's
/// permission table: `true` when `role` may call `method path`.
fn role_may(role: &str, method: &str, path: &str) -> bool {
    let writes = method != "GET";
    let quote = path.ends_with("/calculateRefund") || path.ends_with("/calculateExchange") || path.starts_with("/api/quotes/");
    let scope_change = method == "PATCH" && path.contains("/reservations/");
    let support = path.starts_with("/api/supportRequests");
    let access = path.contains("/roleAssignments");
    match role {
        "demo-global-admin" | "demo-admin-agent" => true,
        "demo-helpdesk-agent" => !writes || support || scope_change,
        "demo-sales-agent" => !writes || quote,
        "demo-user-management-admin" => !writes || access,
        other => panic!("unknown role {other}"),
    }
}

#[tokio::test]
async fn every_role_is_held_to_its_permissions_on_every_documented_operation() {
    let (router, _dir, _) = fresh().await;
    let (_, doc) = call(&router, "GET", "/api/openapi.json", None).await;
    let mut checked = 0;
    for role in ["demo-global-admin", "demo-admin-agent", "demo-helpdesk-agent", "demo-sales-agent", "demo-user-management-admin"] {
        for Operation { method, path, concrete, body, .. } in operations_of(&doc) {
            if path == "/api/openapi.json" {
                continue; // public
            }
            let (status, answer) = call_as(&router, role, &method, &concrete, body).await;
            let may = role_may(role, &method, &path);
            if may {
                assert_ne!(status, StatusCode::FORBIDDEN, "{role} may {method} {path}: {answer}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} may not {method} {path}: {answer}");
                assert_eq!(answer["code"], "roleForbids");
            }
            checked += 1;
        }
    }
    assert!(checked >= 5 * 22, "{checked} role × operation pairs");
}
