//! The OpenAPI 3.1 document of the Azure surface, generated: a path for each operation of
//! [`AzureOperation::ALL`] (its method and template), the schemas from the wire types of this
//! crate (`utoipa::ToSchema`, derived under the `openapi` feature, named as the specification
//! `reservations.json` of 2022-11-01 names its definitions), the statuses each operation can
//! answer with ARM's error body. Nothing is kept by hand beside the code; the server serves it
//! at [`DOCUMENT_PATH`].

use std::borrow::Cow;

use serde_json::Value;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ArrayBuilder, ComponentsBuilder, Content, InfoBuilder, ObjectBuilder, OpenApiBuilder, PathItem, PathsBuilder, Ref, RefOr,
    Required, ResponseBuilder, Schema, Server, Tag, Type,
};
use utoipa::ToSchema;

use crate::error::{ErrorResponse, API_VERSION};
use crate::exchange::{ArmCalculateExchangeRequest, ArmExchangeRequest, OperationResult};
use crate::lineage::{ArmMergeRequest, ArmSplitRequest};
use crate::operation::AzureOperation;
use crate::operations_list::OperationResponse;
use crate::patch::ArmPatch;
use crate::refund::{ArmCalculateRefundRequest, ArmCalculateRefundResponse, ArmRefundRequest};
use crate::reservation::{ReservationOrderResponse, ReservationResponse};
use crate::scopes::{AvailableScopeProperties, AvailableScopeRequest};

/// Where the provider's operations live.
pub const PROVIDER_PATH: &str = "/providers/Microsoft.Capacity";

/// Where the server serves this document (public, no api-version: it describes the version).
pub const DOCUMENT_PATH: &str = "/providers/Microsoft.Capacity/openapi.json";

/// Schemas collected for the document's components.
type Schemas = Vec<(String, RefOr<Schema>)>;

/// A request or response body: its schema's name, the name of the list that wraps it (`{value:
/// [...]}`, one page) if it is one, whether it is a bare JSON array of it, and how to collect
/// the schema with those it refers to.
#[derive(Clone, Copy)]
pub struct Body {
    name: fn() -> Cow<'static, str>,
    list: Option<&'static str>,
    array: bool,
    collect: fn(&mut Schemas),
}

fn collect<T: ToSchema>(out: &mut Schemas) {
    out.push((T::name().into_owned(), T::schema()));
    T::schemas(out);
}

fn one<T: ToSchema>() -> Option<Body> {
    Some(Body { name: T::name, list: None, array: false, collect: collect::<T> })
}

fn list_of<T: ToSchema>(list: &'static str) -> Option<Body> {
    Some(Body { name: T::name, list: Some(list), array: false, collect: collect::<T> })
}

/// A bare JSON array (as `split` and `merge` answer).
fn array_of<T: ToSchema>() -> Option<Body> {
    Some(Body { name: T::name, list: None, array: true, collect: collect::<T> })
}

/// The words of an operation in the document.
#[derive(Clone, Copy, Debug)]
pub struct Doc {
    /// `operationId`, as the specification names the operation.
    pub id: &'static str,
    /// Its tag.
    pub tag: &'static str,
    /// One line.
    pub summary: &'static str,
    /// More, when there is more to say.
    pub description: Option<&'static str>,
    /// What the 200 answer is.
    pub success: &'static str,
    /// Optional query parameters (beside `api-version`) and what they do.
    pub query: &'static [(&'static str, &'static str)],
    /// The error statuses it answers in ARM's shape; an operation that takes a body also
    /// answers those of reading it ([`BODY_ERRORS`]).
    pub errors: &'static [u16],
}

impl AzureOperation {
    /// The request and response bodies: the types the adapter reads and writes for it.
    pub fn bodies(self) -> (Option<Body>, Option<Body>) {
        use AzureOperation::*;
        match self {
            ListOperations => (None, list_of::<OperationResponse>("OperationList")),
            ListOrders => (None, list_of::<ReservationOrderResponse>("ReservationOrderList")),
            GetOrder => (None, one::<ReservationOrderResponse>()),
            ListAllReservations | ListOrderReservations => (None, list_of::<ReservationResponse>("ReservationList")),
            GetReservation => (None, one::<ReservationResponse>()),
            UpdateReservation => (one::<ArmPatch>(), one::<ReservationResponse>()),
            CalculateRefund => (one::<ArmCalculateRefundRequest>(), one::<ArmCalculateRefundResponse>()),
            Return => (one::<ArmRefundRequest>(), one::<ReservationOrderResponse>()),
            AvailableScopes => (one::<AvailableScopeRequest>(), one::<AvailableScopeProperties>()),
            CalculateExchange => (one::<ArmCalculateExchangeRequest>(), one::<OperationResult>()),
            Exchange => (one::<ArmExchangeRequest>(), one::<OperationResult>()),
            Split => (one::<ArmSplitRequest>(), array_of::<ReservationResponse>()),
            Merge => (one::<ArmMergeRequest>(), array_of::<ReservationResponse>()),
            Archive | Unarchive => (None, None),
            ListRevisions => (None, list_of::<ReservationResponse>("ReservationList")),
        }
    }

    /// The operation's words in the document.
    pub fn doc(self) -> Doc {
        use AzureOperation::*;
        const READ: &[u16] = &[400, 401, 403, 500];
        const READ_ONE: &[u16] = &[400, 401, 403, 404, 500];
        const CHANGE: &[u16] = &[400, 401, 403, 404, 409, 500];
        match self {
            ListOperations => Doc {
                id: "Operation_List",
                tag: "Operation",
                summary: "The operations this provider offers.",
                description: None,
                success: "Every operation of this surface (one page).",
                query: &[],
                errors: &[400, 401, 403],
            },
            ListOrders => Doc {
                id: "ReservationOrder_List",
                tag: "ReservationOrder",
                summary: "Every reservation order the caller may see, with its reservations.",
                description: Some("An order is made from its reservations: the desk keeps no order of its own."),
                success: "The orders (one page, no `nextLink`).",
                query: &[],
                errors: READ,
            },
            GetOrder => Doc {
                id: "ReservationOrder_Get",
                tag: "ReservationOrder",
                summary: "One reservation order with its reservations.",
                description: Some(
                    "With `$expand=schedule` the order also carries its payment plan, `properties.planInformation`: an \
                     upfront reservation is paid once at purchase, a monthly one in one installment a month from the \
                     purchase date (the refund engine's split, the rounding remainder in the last); a payment due on or \
                     before today is `Succeeded` with its `paymentDate`, a later one `Scheduled`. The plan is of the \
                     units the order holds now (after a partial return, what is left); amounts are in the billing \
                     currency and in USD, the pricing currency.",
                ),
                success: "The order (with `planInformation` when `$expand=schedule`).",
                query: &[(
                    "$expand",
                    "`schedule` adds the payment plan (`properties.planInformation`). Any other value is ignored: the \
                     specification declares a free string.",
                )],
                errors: READ_ONE,
            },
            ListOrderReservations => Doc {
                id: "Reservation_List",
                tag: "Reservation",
                summary: "The reservations of one order.",
                description: None,
                success: "The order's reservations (one page, no `nextLink`).",
                query: &[],
                errors: READ_ONE,
            },
            GetReservation => Doc {
                id: "Reservation_Get",
                tag: "Reservation",
                summary: "One reservation with its 1, 7 and 30-day utilization.",
                description: None,
                success: "The reservation.",
                query: &[],
                errors: READ_ONE,
            },
            UpdateReservation => Doc {
                id: "Reservation_Update",
                tag: "Reservation",
                summary: "Rename a reservation, change its scope or its renewal.",
                description: Some(
                    "Answered at once (200, never 202). Needs Admin agent, Global admin or Helpdesk agent. Only an active \
                     (`Succeeded`) reservation can be changed (409 otherwise). `instanceFlexibility`, `renewProperties` and \
                     `reviewDateTime` are not kept by the desk: a value other than null is a 400 naming the field.",
                ),
                success: "The changed reservation.",
                query: &[],
                errors: CHANGE,
            },
            ListAllReservations => Doc {
                id: "Reservation_ListAll",
                tag: "Reservation",
                summary: "Every reservation the caller may see.",
                description: None,
                success: "The reservations (one page, no `nextLink`, no `summary`).",
                query: &[(
                    "$filter",
                    "Only these provisioning states: `properties/provisioningState eq 'Succeeded'`, several joined by `or`, \
                     in parentheses or not. Anything else is a 400 with `target: $filter`.",
                )],
                errors: READ,
            },
            CalculateRefund => Doc {
                id: "CalculateRefund_Post",
                tag: "CalculateRefund",
                summary: "Quote the refund of returning units of a reservation and open a 10-minute session.",
                description: Some(
                    "Quoted by the `azure-current` policy. Needs Admin agent, Global admin or Sales agent. A policy refusal \
                     is a 200 listing `policyResult.properties.policyErrors`. The reservation must belong to the order of \
                     the path (400 naming `properties.reservationToReturn.reservationId` otherwise).",
                ),
                success: "The quote and its session.",
                query: &[],
                errors: CHANGE,
            },
            Return => Doc {
                id: "Return_Post",
                tag: "Return",
                summary: "Return the units a refund session quoted (once per session).",
                description: Some(
                    "Answered at once with 200 (the specification's 202 is never needed) and the order as it is after the \
                     return; the same session again moves nothing and answers the same. Needs Admin agent or Global admin. \
                     An expired session, a changed quote or a policy refusal is a 409.",
                ),
                success: "The order after the return.",
                query: &[],
                errors: CHANGE,
            },
            AvailableScopes => Doc {
                id: "Reservation_AvailableScopes",
                tag: "Reservation",
                summary: "Which of the given scopes the reservation may apply to.",
                description: Some(
                    "Valid are the reservation's customer's own subscriptions, resource groups and management groups, \
                     compared ignoring case. Answered at once (200).",
                ),
                success: "Each scope asked about, in the order asked, and whether it is valid.",
                query: &[],
                errors: READ_ONE,
            },
            CalculateExchange => Doc {
                id: "CalculateExchange_Post",
                tag: "Exchange",
                summary: "Quote returning reservations toward buying others and open a 10-minute session.",
                description: Some(
                    "Answered at once (200, `status: Succeeded`). Needs Admin agent, Global admin or Sales agent. A purchase's \
                     SKU is found in the catalog by `sku.name` and `location` (400 `notInCatalog` otherwise); savings plans are \
                     not sold (400 naming `properties.savingsPlansToPurchase`). A policy refusal is a 200 listing \
                     `policyResult.policyErrors`, without item amounts.",
                ),
                success: "The quote and its session.",
                query: &[],
                errors: &[400, 401, 403, 409, 500],
            },
            Exchange => Doc {
                id: "Exchange_Post",
                tag: "Exchange",
                summary: "Carry out the exchange a session quoted (once per session).",
                description: Some(
                    "Answered at once (200, `status: Succeeded`) with the reservations bought; the same session again answers \
                     the same. Needs Admin agent or Global admin. An unknown session is a 404; an expired session, a changed \
                     quote or a policy refusal is a 409.",
                ),
                success: "The exchange's totals and the reservations bought.",
                query: &[],
                errors: CHANGE,
            },
            ListRevisions => Doc {
                id: "Reservation_ListRevisions",
                tag: "Reservation",
                summary: "A reservation's revisions, newest first: what it was after each change.",
                description: Some(
                    "Each revision is a `ReservationResponse` with `etag` its number (1 the oldest), the ID                      `…/reservations/{reservationId}/revisions/{n}` and the name `{reservationOrderId}/{reservationId}/{n}`                      (as the specification's example has them), no utilization; a revision that records a change has                      `lastUpdatedDateTime` and `systemData.lastModifiedBy`/`lastModifiedAt`. A reservation never changed                      has one revision: itself. A reservation of another order is a 404.",
                ),
                success: "The revisions, newest first (one page, no `nextLink`).",
                query: &[],
                errors: READ_ONE,
            },
            Split => Doc {
                id: "Reservation_Split",
                tag: "Reservation",
                summary: "Split an active reservation of this order into two with the given quantities.",
                description: Some(
                    "Answered at once (200, never 202). Needs Admin agent, Global admin or Helpdesk agent.                      `properties.reservationId` is the full ID of a reservation of the path's order (400 naming it                      otherwise); the two `quantities` must each be at least 1 and add up to its quantity (400 naming                      `properties.quantities`). The parts keep the purchase date, term and price; the refund ledger is                      untouched. An inactive reservation is a 409. As Azure answers: the two parts (`splitProperties.splitSource`),                      then the split reservation (`provisioningState: Split`, `splitProperties.splitDestinations`).",
                ),
                success: "The two parts, then the split reservation.",
                query: &[],
                errors: CHANGE,
            },
            Merge => Doc {
                id: "Reservation_Merge",
                tag: "Reservation",
                summary: "Merge two or more active reservations of this order into one.",
                description: Some(
                    "Answered at once (200, never 202). Needs Admin agent, Global admin or Helpdesk agent. `properties.sources`                      are full IDs of distinct active reservations of the path's order with the same SKU, region, term,                      billing plan, price and scope (400 naming `properties.sources[i]` otherwise; 409 for an inactive one).                      As Azure answers: the sources (`provisioningState: Merged`, `mergeProperties.mergeDestination`), then                      the merged reservation (`mergeProperties.mergeSources`).",
                ),
                success: "The sources, then the merged reservation.",
                query: &[],
                errors: CHANGE,
            },
            Archive => Doc {
                id: "Reservation_Archive",
                tag: "Reservation",
                summary: "Archive a finished reservation (cancelled, expired, failed, split or merged).",
                description: Some(
                    "No request body; 200 with an empty body, as the specification has it. Needs Admin agent, Global admin                      or Helpdesk agent. An active reservation is a 400 (`isActive`); archiving an archived one changes                      nothing. The reservation then shows `properties.archived: true`.",
                ),
                success: "Archived (no body).",
                query: &[],
                errors: READ_ONE,
            },
            Unarchive => Doc {
                id: "Reservation_Unarchive",
                tag: "Reservation",
                summary: "Bring an archived reservation back (`properties.archived: false`).",
                description: Some(
                    "No request body; 200 with an empty body, as the specification has it. Needs Admin agent, Global admin                      or Helpdesk agent. Unarchiving one that is not archived changes nothing.",
                ),
                success: "Unarchived (no body).",
                query: &[],
                errors: READ_ONE,
            },
        }
    }
}

/// The error answers: status, component name, meaning. All are ARM's `ErrorResponse` (408 and
/// 413 written by the server's edge, which answers in the shape of the surface addressed).
const ERRORS: [(u16, &str, &str); 9] = [
    (
        400,
        "BadRequest",
        "The api-version is missing or another (`MissingApiVersionParameter`, `InvalidApiVersionParameter`), or the query or \
         body cannot be read or is refused (`malformedRequest`, …); `target` names the field when known.",
    ),
    (401, "Unauthorized", "No `Authorization: Bearer <token>` header, or the token is not valid (`signInRequired`, `tokenInvalid`)."),
    (403, "Forbidden", "Signed in, but the role may not do this (`roleForbids`), or the token carries no partner role."),
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

/// What any operation that takes a body can also answer: 408 (the body trickled in), 413 (too
/// large), 415 (not JSON).
pub const BODY_ERRORS: [u16; 3] = [408, 413, 415];


const TAGS: [&str; 7] = ["Meta", "Operation", "ReservationOrder", "Reservation", "CalculateRefund", "Return", "Exchange"];

const DESCRIPTION: &str = "The Microsoft.Capacity REST API (api-version 2022-11-01) as the Reservation Desk server answers it, so the Azure SDKs, `az rest` and PowerShell work against the desk. Only the operations below are answered; names and shapes follow the published specification `reservations.json` of 2022-11-01, with the fields the desk knows.\n\nEvery request but this document needs `?api-version=2022-11-01` (else 400 `MissingApiVersionParameter` or `InvalidApiVersionParameter`) and `Authorization: Bearer <token>` (401 otherwise), the same tokens and roles as `/api` (see `/api/openapi.json`; demo tokens such as `demo-admin-agent` where demo users are on). The desk decides through its own operations: each role check, validation, session and audit entry is the desk's one.\n\nIDs are full ARM IDs (`/providers/microsoft.capacity/reservationOrders/{orderId}/reservations/{id}`; a reservation's `name` is `{orderId}/{id}`). Amounts are `{currencyCode, amount}` with `amount` a JSON number written digit for digit from the exact decimal. Errors are ARM's `{\"error\": {\"code\", \"message\", \"target\"?}}` with the desk's codes. A path this provider does not have is a 404; a method a path does not take is a 405 with the methods it does take in `Allow`. Long-running operations answer at once with 200.";

fn content(body: &Body) -> Content {
    let name = body.list.map(Cow::Borrowed).unwrap_or_else(|| (body.name)());
    if body.array {
        return Content::new(Some(ArrayBuilder::new().items(Ref::from_schema_name(name))));
    }
    Content::new(Some(Ref::from_schema_name(name)))
}

/// `{value: [T]}`: a list, always one page.
fn list_schema(item: &str) -> Schema {
    ObjectBuilder::new()
        .property("value", ArrayBuilder::new().items(Ref::from_schema_name(item)))
        .required("value")
        .description(Some("One page: every item, never a `nextLink`."))
        .into()
}

fn string_parameter(name: &str, at: ParameterIn, required: Required, text: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(at)
        .required(required)
        .description(Some(text))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
}

fn path_parameter(name: &str) -> &'static str {
    match name {
        "reservationOrderId" => "The reservation order's ID (a GUID, not the full ARM ID).",
        _ => "The reservation's ID (a GUID, not the full ARM ID).",
    }
}

fn api_version() -> ParameterBuilder {
    ParameterBuilder::new()
        .name("api-version")
        .parameter_in(ParameterIn::Query)
        .required(Required::True)
        .description(Some("The one api-version answered."))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([API_VERSION]))))
}

fn method(op: AzureOperation) -> HttpMethod {
    match op.method() {
        "POST" => HttpMethod::Post,
        "PATCH" => HttpMethod::Patch,
        _ => HttpMethod::Get,
    }
}

/// The document: every operation of [`AzureOperation::ALL`] below [`PROVIDER_PATH`], and the
/// public document itself at [`DOCUMENT_PATH`].
pub fn document() -> Value {
    let mut schemas = Vec::new();
    collect::<ErrorResponse>(&mut schemas);
    let meta = OperationBuilder::new()
        .operation_id(Some("OpenApi_Get"))
        .tag("Meta")
        .summary(Some("This document (public: no sign-in and no api-version needed)."))
        .securities(Some(Vec::<SecurityRequirement>::new()))
        .response(
            "200",
            ResponseBuilder::new()
                .description("The OpenAPI 3.1 document of the Azure surface.")
                .content("application/json", Content::new(Some(ObjectBuilder::new().schema_type(Type::Object)))),
        );
    let mut paths = PathsBuilder::new().path(DOCUMENT_PATH, PathItem::new(HttpMethod::Get, meta));
    let mut lists: Vec<(&str, String)> = Vec::new();
    for op in AzureOperation::ALL {
        let (doc, (request, response)) = (op.doc(), op.bodies());
        let mut o = OperationBuilder::new()
            .operation_id(Some(doc.id))
            .tag(doc.tag)
            .summary(Some(doc.summary))
            .description(doc.description);
        for name in op.path().split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')) {
            o = o.parameter(string_parameter(name, ParameterIn::Path, Required::True, path_parameter(name)));
        }
        o = o.parameter(api_version());
        for (name, text) in doc.query {
            o = o.parameter(string_parameter(name, ParameterIn::Query, Required::False, text));
        }
        if let Some(body) = request {
            (body.collect)(&mut schemas);
            let body = RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", content(&body));
            o = o.request_body(Some(body.build()));
        }
        let mut ok = ResponseBuilder::new().description(doc.success);
        if let Some(body) = response {
            (body.collect)(&mut schemas);
            if let Some(list) = body.list {
                lists.push((list, (body.name)().into_owned()));
            }
            ok = ok.content("application/json", content(&body));
        }
        o = o.response("200", ok);
        let mut errors = doc.errors.to_vec();
        if op.takes_body() {
            errors.extend(BODY_ERRORS);
            errors.sort_unstable();
        }
        for status in errors {
            if let Some((_, name, _)) = ERRORS.iter().find(|e| e.0 == status) {
                o = o.response(status.to_string(), Ref::from_response_name(*name));
            }
        }
        paths = paths.path(format!("{PROVIDER_PATH}{}", op.path()), PathItem::new(method(op), o));
    }
    for (list, item) in lists {
        schemas.push((list.to_owned(), list_schema(&item).into()));
    }
    let scheme = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some("The same bearer tokens as `/api`: a demo token where demo users are on, or the configured issuer's access token."))
        .build();
    let mut components = ComponentsBuilder::new().schemas_from_iter(schemas).security_scheme("bearerAuth", SecurityScheme::Http(scheme));
    for (_, name, text) in ERRORS {
        let body = Content::new(Some(Ref::from_schema_name("ErrorResponse")));
        components = components.response(name, ResponseBuilder::new().description(text).content("application/json", body));
    }
    let document = OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Reservation Desk: Microsoft.Capacity (Azure-compatible API)").version(API_VERSION).description(Some(DESCRIPTION)))
        .servers(Some([Server::new("/")]))
        .security(Some([SecurityRequirement::new("bearerAuth", Vec::<String>::new())]))
        .tags(Some(TAGS.map(Tag::new)))
        .paths(paths)
        .components(Some(components.build()))
        .build();
    serde_json::to_value(&document).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_words_agree_with_the_operation_list() {
        let mut ids = std::collections::BTreeSet::new();
        for op in AzureOperation::ALL {
            let (request, response) = op.bodies();
            let doc = op.doc();
            assert_eq!(request.is_some(), op.takes_body(), "{op:?}");
            assert_eq!(response.is_some(), op.answers_body(), "{op:?}: the 200's body");
            for status in [400, 401, 403] {
                assert!(doc.errors.contains(&status), "{op:?}: {status} (api-version, sign-in) is answered by every operation");
            }
            for status in doc.errors.iter().chain(&BODY_ERRORS) {
                assert!(ERRORS.iter().any(|e| e.0 == *status), "{op:?}: {status} has no response in ERRORS");
            }
            assert!(ids.insert(doc.id), "{} twice", doc.id);
        }
    }

    #[test]
    fn every_operation_of_the_list_is_in_the_document_with_its_statuses() {
        let document = document();
        assert_eq!(document["openapi"], "3.1.0");
        for op in AzureOperation::ALL {
            let path = format!("{PROVIDER_PATH}{}", op.path());
            let o = &document["paths"][&path][op.method().to_lowercase()];
            assert_eq!(o["operationId"], op.doc().id, "{} {path} is not in the document", op.method());
            let parameters = o["parameters"].as_array().unwrap();
            let version = parameters.iter().find(|p| p["name"] == "api-version").unwrap();
            assert_eq!((&version["in"], &version["required"], &version["schema"]["enum"][0]), (&"query".into(), &true.into(), &API_VERSION.into()));
            for name in op.path().split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')) {
                assert!(parameters.iter().any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true), "{path}: {name}");
            }
            assert_eq!(o["requestBody"].is_object(), op.takes_body(), "{path}");
            let responses = o["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{path}");
            assert_eq!(responses["200"]["content"].is_object(), op.answers_body(), "{path}: the 200's body");
            for status in op.doc().errors.iter().chain(if op.takes_body() { &BODY_ERRORS[..] } else { &[] }) {
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
