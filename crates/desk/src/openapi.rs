//! The OpenAPI document of the contract, generated: the paths from [`Operation::ALL`] (the
//! operation table: method, template, bodies, words, success status), the "Needs …" sentences
//! from each operation's permission (`desk_service::access::needs`), the schemas from the request
//! and response types (`utoipa::ToSchema`, derived under the `openapi` feature of contract and
//! quote-engine), written by the builder both documents share (`contract::openapi`). Nothing is
//! kept by hand beside the code; the server serves it at `/api/openapi.json`.

use contract::openapi::{Body, Document, Words};
use contract::{Problem, SignInConfig};
use desk_service::access;
use serde_json::Value;

use crate::operation::{Operation, PATH_PARAMETERS};

/// The error answers: status, component name, meaning.
const ERRORS: [(u16, &str, &str); 9] = [
    (400, "BadRequest", "The request is malformed (unreadable JSON, unknown or missing fields, invalid values); `field` names the offending JSON path when known."),
    (401, "Unauthorized", "No `Authorization: Bearer <token>` header, or the token is not valid (an ID token is not an access token: `idTokenRefused`)."),
    (403, "Forbidden", "Signed in, but the user's role may not do this; or, while demo users are on, the request came through a proxy or names a host other than localhost (`demoUsersBehindProxy`, `demoUsersForeignHost`)."),
    (404, "NotFound", "The addressed resource does not exist (or does not belong to its parent)."),
    (408, "RequestTimeout", "The request body did not arrive in time (the server's read timeout, 10 s by default)."),
    (409, "Conflict", "The request is well-formed but the current state forbids it (e.g. an inactive reservation, an expired or stale session, a policy refusal, a duplicate)."),
    (413, "ContentTooLarge", "The request body is larger than the server takes (1 MiB by default; a statement's reconciliation file, 48 MiB)."),
    (415, "UnsupportedMediaType", "The body is not sent as JSON (`Content-Type: application/json`)."),
    (500, "InternalServerError", "A storage failure; the details are logged, not sent."),
];

const TAGS: [&str; 13] =
    ["Meta", "Session", "Audit", "Customers", "Reservations", "Refunds", "Exchanges", "Purchases", "Approvals", "Quotes", "Access control", "Support", "Access"];

const DESCRIPTION: &str = "The HTTP API of the Reservation Desk server: customers, Azure reservations, refunds, exchanges, purchases, access control, support requests and the audit log.\n\nEvery `/api` request but `/api/openapi.json` and `/api/config` needs `Authorization: Bearer <token>` (401 otherwise); the role behind the token decides what it may do (403 otherwise). Every role may read (GET). Demo tokens (when demo users are on): `demo-global-admin` (GlobalAdmin), `demo-admin-agent` (AdminAgent), `demo-helpdesk-agent` (HelpdeskAgent), `demo-sales-agent` (SalesAgent), `demo-user-management-admin` (UserManagementAdmin). With an OpenID Connect issuer configured (`GET /api/config` says which), an access token of that issuer (RS256 or ES256, for this API's audience) signs in too; its `roles` claim names the role (one of the five names above; with several, the most permitted, and the narrower three add up). Its `groups` claim (security groups' object IDs) narrows that: a user with a group that holds a grant (`/grants`) sees only the customers its groups are granted, each in the granted role, and any other customer is a 404 as if it did not exist; the demo token `demo-contoso-fabrikam-agent` is such a user (Admin agent on Contoso and Fabrikam only).\n\nEvery error is an RFC 9457 `application/problem+json` document. Money amounts are JSON strings (`{\"amount\": \"1234.50\", \"currencyCode\": \"USD\"}`), dates are `YYYY-MM-DD`, timestamps RFC 3339 UTC. Unknown `/api` paths answer 404; a method a path does not take answers 405 with the ones it does in `Allow`.";

/// The document: every operation of [`Operation::ALL`] under `/api`, and the public
/// `/api/openapi.json` itself and `/api/config`.
pub fn document() -> Value {
    let meta = Words::public("getOpenApi", "The contract as OpenAPI 3 (public: no sign-in needed).", "The OpenAPI 3.1 document of this API.");
    let config = Words {
        description: Some(
            "`{\"auth\": \"demo\"}` when no identity provider is configured (the demo tokens, where demo users are on), \
             else `{\"auth\": \"oidc\", \"issuer\", \"clientId\", \"scopes\"}`: sign in at the issuer by Authorization Code \
             with PKCE and send its access token as the bearer token.",
        ),
        ..Words::public("getConfig", "How to sign in here (public: read before signing in).", "How this server's users sign in.")
    };
    let bearer = "A bearer token, e.g. one of the demo tokens listed in the API description.";
    let document = Document::new("Reservation Desk API", "1.0.0", DESCRIPTION, &TAGS, bearer)
        .errors(&ERRORS, contract::problem::PROBLEM_JSON, Body::one::<Problem>())
        .paths("/api", &PATH_PARAMETERS)
        .public("/api/openapi.json", &meta, None)
        .public("/api/config", &config, Some(Body::one::<SignInConfig>()))
        .operations(Operation::ALL.map(|op| op.entry(access::needs(op.permission()))));
    let mut value = serde_json::to_value(document.build()).unwrap_or(Value::Null);
    open_flattened_members(&mut value);
    waiting_for_approval(&mut value);
    value
}

/// The money moves' second success: 202 with the approval request they wait for, and its
/// `Location` (the operation table names one success status per operation).
fn waiting_for_approval(document: &mut Value) {
    for op in [Operation::Return, Operation::Exchange, Operation::Purchase] {
        let template = format!("/api{}", op.template());
        let Some(responses) = document.pointer_mut(&format!("/paths/{}/post/responses", template.replace('~', "~0").replace('/', "~1")))
        else {
            continue;
        };
        responses["202"] = serde_json::json!({
            "description": "Above the deployment's approval threshold (`GET /settings`: `approvalThreshold`): nothing moved; \
                            the approval request it waits for (`status: pending`), which another user approves or rejects.",
            "headers": { "Location": { "description": "`/api/approvals/{approvalId}`: the request and, once decided, its outcome.", "schema": { "type": "string" } } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Approval" } } },
        });
    }
}

/// `#[serde(flatten)]` of a type that refuses unknown fields becomes `allOf: [$ref, {…}]` whose
/// first member says `additionalProperties: false`: no object could pass both. Such members
/// are inlined without that flag (RoleAssignment, SupportRequest).
fn open_flattened_members(document: &mut Value) {
    let schemas = document.pointer("/components/schemas").cloned().unwrap_or(Value::Null);
    let Some(all) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    for schema in all.values_mut() {
        let Some(members) = schema.get_mut("allOf").and_then(Value::as_array_mut) else { continue };
        for member in members.iter_mut() {
            let name = member.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"));
            if let Some(mut inlined) = name.and_then(|n| schemas.get(n)).cloned() {
                if inlined.get("additionalProperties") == Some(&Value::Bool(false)) {
                    if let Some(object) = inlined.as_object_mut() {
                        object.remove("additionalProperties");
                    }
                    *member = inlined;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statuses_agree_with_the_operation_table() {
        for op in Operation::ALL {
            let errors = op.words().errors;
            // A read Azure mode answers from Azure (or Microsoft Graph) may carry its own 403
            // (`upstreamForbidden`).
            let azure_forbids_reading = matches!(op, Operation::ListSavingsPlans | Operation::ReconcileStatement);
            assert_eq!(errors.contains(&403), op.permission() != desk_service::access::Permission::Read || azure_forbids_reading, "{op:?}");
            // Every body can be malformed (400); archive has no body but refuses an active
            // reservation; recommendations refuse a look-back other than 7, 30 or 60 days, and a
            // unit's price needs its SKU and term in the query, and the people picker a search of
            // at least two characters; the worklist's state and page must be ones it knows.
            let refuses_state = op == Operation::ArchiveReservation;
            let refuses_query = matches!(op, Operation::ListRecommendations | Operation::GetUnitPrice | Operation::SearchPrincipals | Operation::ListWorklist);
            // A statement's month is part of its path, written `yyyy-mm`.
            let refuses_path = op == Operation::GetStatement;
            assert_eq!(errors.contains(&400), op.takes_body() || refuses_state || refuses_query || refuses_path, "{op:?}");
            assert!(errors.contains(&401), "{op:?}");
            assert_eq!(op.answers_body(), op.success_status() != 204, "{op:?}");
        }
    }

    #[test]
    fn every_reference_resolves_and_no_flattened_member_is_closed() {
        let document = document();
        let text = document.to_string();
        for reference in text.split("\"$ref\":\"").skip(1) {
            let target = &reference[..reference.find('"').unwrap()];
            let pointer = target.strip_prefix('#').unwrap().replace("~1", "/");
            assert!(document.pointer(&pointer).is_some(), "{target} does not resolve");
        }
        for (name, schema) in document["components"]["schemas"].as_object().unwrap() {
            for member in schema["allOf"].as_array().into_iter().flatten() {
                assert_ne!(member.get("additionalProperties"), Some(&Value::Bool(false)), "{name}");
            }
        }
        assert!(document["components"]["schemas"]["QuoteReservation"].is_object());
        let waits = &document["paths"]["/api/reservationOrders/{orderId}/return"]["post"]["responses"]["202"];
        assert_eq!(waits["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Approval", "{waits}");
        assert!(document["paths"]["/api/exchange"]["post"]["responses"]["202"]["headers"]["Location"].is_object());
        assert!(document["components"]["schemas"]["Reservation"]["properties"]["reservationOrderId"].is_object());
    }
}
