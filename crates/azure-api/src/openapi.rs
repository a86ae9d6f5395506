//! The OpenAPI 3.1 document of the Azure surface, generated: a path for each operation of
//! [`AzureOperation::ALL`] (the operation table: method, template, bodies, words), the "Needs …"
//! sentences from each operation's permission (`desk_service::access::needs`), the schemas from
//! the wire types of this crate (`utoipa::ToSchema`, derived under the `openapi` feature, named
//! as the specification `reservations.json` of 2022-11-01 names its definitions), the statuses
//! each operation can answer with ARM's error body, written by the builder the desk's document
//! shares (`contract::openapi`). Nothing is kept by hand beside the code; the server serves it
//! at [`DOCUMENT_PATH`].

pub use contract::openapi::BODY_ERRORS;
use contract::openapi::{Body, Document, Words};
use desk_service::access;
use serde_json::Value;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use crate::error::{ErrorResponse, API_VERSION};
use crate::operation::{AzureOperation, PATH_PARAMETERS};

/// Where the provider's operations live.
pub const PROVIDER_PATH: &str = "/providers/Microsoft.Capacity";

/// Where the server serves this document (public, no api-version: it describes the version).
pub const DOCUMENT_PATH: &str = "/providers/Microsoft.Capacity/openapi.json";

/// The error answers: status, component name, meaning. All are ARM's `ErrorResponse` (408 and
/// 413 written by the server's edge, which answers in the shape of the surface addressed).
const ERRORS: [(u16, &str, &str); 9] = [
    (
        400,
        "BadRequest",
        "The api-version is missing or another (`MissingApiVersionParameter`, `InvalidApiVersionParameter`), or the query or \
         body cannot be read or is refused (`malformedRequest`, …); `target` names the field when known.",
    ),
    (401, "Unauthorized", "No `Authorization: Bearer <token>` header, or the token is not valid (`signInRequired`, `tokenInvalid`, `idTokenRefused`)."),
    (
        403,
        "Forbidden",
        "Signed in, but the role may not do this (`roleForbids`), or the token carries no partner role; or, while demo users \
         are on, the request came through a proxy or names a host other than localhost (`demoUsersBehindProxy`, `demoUsersForeignHost`).",
    ),
    (404, "NotFound", "The addressed order, reservation or session does not exist (`notFound`)."),
    (
        408,
        "RequestTimeout",
        "The request body did not arrive in time (`requestTimeout`; the server's read timeout, 10 s by default).",
    ),
    (
        409,
        "Conflict",
        "Well-formed, but the current state forbids it: an inactive reservation, an expired or stale session, a policy refusal.",
    ),
    (
        413,
        "ContentTooLarge",
        "The request body is larger than the server takes (`bodyTooLarge`; 1 MiB by default).",
    ),
    (415, "UnsupportedMediaType", "The body is not sent as JSON (`Content-Type: application/json`)."),
    (500, "InternalServerError", "A storage failure; the details are logged, not sent (`internal`)."),
];

const TAGS: [&str; 8] = ["Meta", "Operation", "ReservationOrder", "Reservation", "CalculateRefund", "Return", "Exchange", "Catalog"];

const DESCRIPTION: &str = "The Microsoft.Capacity REST API (api-version 2022-11-01) as the Reservation Desk server answers it, so the Azure SDKs, `az rest` and PowerShell work against the desk. Only the operations below are answered; names and shapes follow the published specification `reservations.json` of 2022-11-01, with the fields the desk knows.\n\nEvery request but this document needs `?api-version=2022-11-01` (else 400 `MissingApiVersionParameter` or `InvalidApiVersionParameter`) and `Authorization: Bearer <token>` (401 otherwise), the same tokens and roles as `/api` (see `/api/openapi.json`; demo tokens such as `demo-admin-agent` where demo users are on). The desk decides through its own operations: each role check, validation, session and audit entry is the desk's one.\n\nIDs are full ARM IDs (`/providers/microsoft.capacity/reservationOrders/{orderId}/reservations/{id}`; a reservation's `name` is `{orderId}/{id}`). Amounts are `{currencyCode, amount}` with `amount` a JSON number written digit for digit from the exact decimal. Errors are ARM's `{\"error\": {\"code\", \"message\", \"target\"?}}` with the desk's codes. A path this provider does not have is a 404; a method a path does not take is a 405 with the methods it does take in `Allow`. Long-running operations answer at once with 200, or with 202 and a `Location` to poll while a money move waits for approval.";

fn api_version() -> Parameter {
    ParameterBuilder::new()
        .name("api-version")
        .parameter_in(ParameterIn::Query)
        .required(Required::True)
        .description(Some("The one api-version answered."))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([API_VERSION]))))
        .build()
}

/// The document: every operation of [`AzureOperation::ALL`] below [`PROVIDER_PATH`], and the
/// public document itself at [`DOCUMENT_PATH`].
pub fn document() -> Value {
    let meta = Words::public("OpenApi_Get", "This document (public: no sign-in and no api-version needed).", "The OpenAPI 3.1 document of the Azure surface.");
    let bearer = "The same bearer tokens as `/api`: a demo token where demo users are on, or the configured issuer's access token.";
    let document = Document::new("Reservation Desk: Microsoft.Capacity (Azure-compatible API)", API_VERSION, DESCRIPTION, &TAGS, bearer)
        .errors(&ERRORS, "application/json", Body::one::<ErrorResponse>())
        .paths(PROVIDER_PATH, &PATH_PARAMETERS)
        .parameter(api_version())
        .public(DOCUMENT_PATH, &meta, None)
        .operations(AzureOperation::ALL.map(|op| op.entry(access::needs(op.permission()))));
    let mut value = serde_json::to_value(document.build()).unwrap_or(Value::Null);
    long_running(&mut value);
    value
}

/// The long-running answer of a return, exchange or purchase that waits for approval, and of its result
/// while it waits: 202, no body, `Location` and `Retry-After` (the operation table names one
/// success status per operation).
fn long_running(document: &mut Value) {
    for op in [AzureOperation::Return, AzureOperation::Exchange, AzureOperation::Purchase, AzureOperation::ApprovalResult] {
        let path = contract::route::on_wire(PROVIDER_PATH, op.template()).replace('~', "~0").replace('/', "~1");
        let method = op.method().as_str().to_lowercase();
        let Some(responses) = document.pointer_mut(&format!("/paths/{path}/{method}/responses")) else { continue };
        responses["202"] = serde_json::json!({
            "description": "Waiting for another user's approval (above the deployment's approval threshold): nothing has moved. \
                            Poll `Location` after `Retry-After` seconds.",
            "headers": {
                "Location": { "description": "The approval's result: `…/approvals/{approvalId}?api-version=…`.", "schema": { "type": "string" } },
                "Retry-After": { "description": "Seconds to wait before polling.", "schema": { "type": "integer" } },
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_answers_what_api_version_and_sign_in_refuse() {
        for op in AzureOperation::ALL {
            for status in [400, 401, 403] {
                assert!(op.words().errors.contains(&status), "{op:?}: {status} (api-version, sign-in) is answered by every operation");
            }
            assert_eq!(op.success_status(), 200, "{op:?}: answered at once (only a wait for approval is a 202)");
        }
        let document = document();
        let waits = &document["paths"][format!("{PROVIDER_PATH}/reservationOrders/{{reservationOrderId}}/return")]["post"]["responses"]["202"];
        assert!(waits["headers"]["Location"].is_object() && waits["headers"]["Retry-After"].is_object(), "{waits}");
    }

    #[test]
    fn every_operation_of_the_list_is_in_the_document_with_its_statuses() {
        let document = document();
        assert_eq!(document["openapi"], "3.1.0");
        for op in AzureOperation::ALL {
            let path = contract::route::on_wire(PROVIDER_PATH, op.template());
            let o = &document["paths"][&path][op.method().as_str().to_lowercase()];
            assert_eq!(o["operationId"], op.words().id, "{} {path} is not in the document", op.method().as_str());
            let parameters = o["parameters"].as_array().unwrap();
            let version = parameters.iter().find(|p| p["name"] == "api-version").unwrap();
            assert_eq!((&version["in"], &version["required"], &version["schema"]["enum"][0]), (&"query".into(), &true.into(), &API_VERSION.into()));
            for name in contract::route::parameters(op.template()) {
                assert!(parameters.iter().any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true), "{path}: {name}");
            }
            assert_eq!(o["requestBody"].is_object(), op.takes_body(), "{path}");
            let responses = o["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{path}");
            assert_eq!(responses["200"]["content"].is_object(), op.answers_body(), "{path}: the 200's body");
            for status in op.words().errors.iter().chain(if op.takes_body() { &BODY_ERRORS[..] } else { &[] }) {
                assert!(responses.contains_key(&status.to_string()), "{path}: {status}");
            }
        }
        let paths = document["paths"].as_object().unwrap();
        let operations: usize = paths.values().map(|item| item.as_object().unwrap().len()).sum();
        assert_eq!(operations, AzureOperation::ALL.len() + 1, "the operations of the list and the document itself, nothing else");
        assert_eq!(document["paths"][DOCUMENT_PATH]["get"]["security"], serde_json::json!([]));
        assert_eq!(document["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    }

    #[test]
    fn every_reference_resolves_and_errors_are_arms() {
        let document = document();
        let text = document.to_string();
        let mut references = 0;
        for reference in text.split("\"$ref\":\"").skip(1) {
            let target = &reference[..reference.find('"').unwrap()];
            let pointer = target.strip_prefix('#').unwrap().replace("~1", "/");
            assert!(document.pointer(&pointer).is_some(), "{target} does not resolve");
            references += 1;
        }
        assert!(references > 50, "{references} references");
        let error = &document["components"]["schemas"]["ErrorDetail"];
        assert_eq!(error["required"], serde_json::json!(["code", "message"]));
        assert!(error["properties"]["target"].is_object());
        assert_eq!(document["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorResponse");
        assert_eq!(document["components"]["responses"]["ContentTooLarge"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorResponse");
        // Named as the specification names its definitions.
        for name in ["ReservationResponse", "ReservationOrderResponse", "ReservationList", "Patch", "CalculateRefundRequest", "RefundRequest", "CalculateExchangeRequest", "ExchangeOperationResultResponse", "AvailableScopeProperties", "Price"] {
            assert!(document["components"]["schemas"][name].is_object(), "{name}");
        }
        assert_eq!(document["components"]["schemas"]["Price"]["properties"]["amount"]["$ref"], "#/components/schemas/ExactNumber");
        let get_order = &document["paths"][format!("{PROVIDER_PATH}/reservationOrders/{{reservationOrderId}}")]["get"];
        let expand = get_order["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "$expand").unwrap();
        assert_eq!((&expand["in"], &expand["required"], &expand["schema"]["type"]), (&"query".into(), &false.into(), &"string".into()));
        let order = &document["components"]["schemas"]["ReservationOrderProperties"]["properties"];
        let plan = order["planInformation"]["oneOf"].as_array().unwrap();
        assert!(plan.iter().any(|s| s["$ref"] == "#/components/schemas/ReservationOrderBillingPlanInformation"), "{}", order["planInformation"]);
        let schemas = &document["components"]["schemas"];
        let info = &schemas["ReservationOrderBillingPlanInformation"]["properties"];
        for field in ["pricingCurrencyTotal", "startDate", "nextPaymentDueDate", "transactions"] {
            assert!(info[field].is_object(), "planInformation.{field}");
        }
        let detail = &schemas["PaymentDetail"]["properties"];
        for field in ["dueDate", "paymentDate", "pricingCurrencyTotal", "billingCurrencyTotal", "status"] {
            assert!(detail[field].is_object(), "PaymentDetail.{field}");
        }
        assert_eq!(schemas["PaymentStatus"]["enum"], serde_json::json!(["Succeeded", "Scheduled"]));
        for name in ["SplitRequest", "SplitProperties", "MergeRequest", "MergeProperties", "ReservationSplitProperties", "ReservationMergeProperties"] {
            assert!(document["components"]["schemas"][name].is_object(), "{name}");
        }
        let split = &document["paths"][format!("{PROVIDER_PATH}/reservationOrders/{{reservationOrderId}}/split")]["post"];
        let answer = &split["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!((&answer["type"], &answer["items"]["$ref"]), (&"array".into(), &"#/components/schemas/ReservationResponse".into()), "a bare array, as the specification has it");
        let properties = &document["components"]["schemas"]["ReservationsProperties"]["properties"];
        for (field, schema) in [("splitProperties", "ReservationSplitProperties"), ("mergeProperties", "ReservationMergeProperties")] {
            let refers = properties[field]["oneOf"].as_array().unwrap().iter().any(|s| s["$ref"] == format!("#/components/schemas/{schema}"));
            assert!(refers, "{field}: {}", properties[field]);
        }
    }
}
