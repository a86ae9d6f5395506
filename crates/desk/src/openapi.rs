//! The OpenAPI document of the contract, generated: the paths from [`Operation::ALL`], the
//! schemas from the request and response types (`utoipa::ToSchema`, derived under the `openapi`
//! feature of contract and quote-engine), the words from [`Operation::doc`]. Nothing is kept by
//! hand beside the code; the server serves it at `/api/openapi.json`.

use std::borrow::Cow;

use contract::{
    AuditEntry, AuditVerification, CalculateExchangeRequest, CalculateExchangeResponse, CalculateRefundRequest, CalculateRefundResponse,
    CatalogItem, Customer, ExchangeRequest, ExchangeResponse, MergeRequest, NewRoleAssignment, NewSupportRequest, Problem, RefundLimit,
    Reservation, ReservationDetail, ReservationPatch, ReturnRequest, ReturnResponse, Revision, RoleAssignment, Scope,
    SplitRequest, SupportRequest,
    User,
};
use quote_engine::api::{ExchangeQuoteRequest, ExchangeQuoteResponse, RefundQuoteRequest, RefundQuoteResponse};
use serde_json::Value;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, Content, InfoBuilder, ObjectBuilder, OpenApiBuilder, PathItem, PathsBuilder, Ref, RefOr, Required,
    ResponseBuilder, Schema, Server, Tag, Type,
};
use utoipa::ToSchema;

use crate::operation::Operation;

/// Schemas collected for the document's components.
type Schemas = Vec<(String, RefOr<Schema>)>;

/// A request or response body: its schema's name, whether it is a list, and how to collect the
/// schema with every schema it refers to.
#[derive(Clone, Copy)]
pub struct Body {
    name: fn() -> Cow<'static, str>,
    list: bool,
    collect: fn(&mut Schemas),
}

fn collect<T: ToSchema>(out: &mut Schemas) {
    out.push((T::name().into_owned(), T::schema()));
    T::schemas(out);
}

fn one<T: ToSchema>() -> Option<Body> {
    Some(Body { name: T::name, list: false, collect: collect::<T> })
}

fn many<T: ToSchema>() -> Option<Body> {
    Some(Body { name: T::name, list: true, collect: collect::<T> })
}

/// The words of an operation in the document.
#[derive(Clone, Copy, Debug)]
pub struct Doc {
    /// `operationId`.
    pub id: &'static str,
    /// Its tag (the document's section).
    pub tag: &'static str,
    /// One line.
    pub summary: &'static str,
    /// More, when there is more to say.
    pub description: Option<&'static str>,
    /// What the success answer is.
    pub success: &'static str,
    /// Query parameters and what they do.
    pub query: &'static [(&'static str, &'static str)],
    /// The error statuses it can answer; an operation that takes a body also answers those of
    /// reading it ([`BODY_ERRORS`]).
    pub errors: &'static [u16],
}

impl Operation {
    /// The request and response body types: the same types as the arms of `Desk::handle`.
    pub fn bodies(self) -> (Option<Body>, Option<Body>) {
        use Operation::*;
        match self {
            Me => (None, one::<User>()),
            ListAudit => (None, many::<AuditEntry>()),
            VerifyAudit => (None, one::<AuditVerification>()),
            ListCustomers => (None, many::<Customer>()),
            GetCustomer => (None, one::<Customer>()),
            ListReservations => (None, many::<Reservation>()),
            GetRefundLimit => (None, one::<RefundLimit>()),
            ListScopes => (None, many::<Scope>()),
            GetReservation => (None, one::<ReservationDetail>()),
            ChangeReservation => (one::<ReservationPatch>(), one::<Reservation>()),
            ListRevisions => (None, many::<Revision>()),
            SplitReservation => (one::<SplitRequest>(), many::<Reservation>()),
            MergeReservations => (one::<MergeRequest>(), many::<Reservation>()),
            ArchiveReservation | UnarchiveReservation => (None, one::<Reservation>()),
            CalculateRefund => (one::<CalculateRefundRequest>(), one::<CalculateRefundResponse>()),
            Return => (one::<ReturnRequest>(), one::<ReturnResponse>()),
            ListRoleAssignments => (None, many::<RoleAssignment>()),
            AddRoleAssignment => (one::<NewRoleAssignment>(), one::<RoleAssignment>()),
            RemoveRoleAssignment => (None, None),
            QuoteRefund => (one::<RefundQuoteRequest>(), one::<RefundQuoteResponse>()),
            QuoteExchange => (one::<ExchangeQuoteRequest>(), one::<ExchangeQuoteResponse>()),
            Catalog => (None, many::<CatalogItem>()),
            CalculateExchange => (one::<CalculateExchangeRequest>(), one::<CalculateExchangeResponse>()),
            Exchange => (one::<ExchangeRequest>(), one::<ExchangeResponse>()),
            ListSupportRequests => (None, many::<SupportRequest>()),
            GetSupportRequest => (None, one::<SupportRequest>()),
            CreateSupportRequest => (one::<NewSupportRequest>(), one::<SupportRequest>()),
        }
    }

    /// The operation's words in the document.
    pub fn doc(self) -> Doc {
        use Operation::*;
        match self {
            Me => Doc {
                id: "getMe",
                tag: "Session",
                summary: "The signed-in user and their role.",
                description: None,
                success: "The signed-in user.",
                query: &[],
                errors: &[401],
            },
            ListAudit => Doc {
                id: "listAuditEntries",
                tag: "Audit",
                summary: "The audit log, newest first (at most 500 entries).",
                description: None,
                success: "Audit entries, newest first.",
                query: &[("customerId", "Only this customer's entries.")],
                errors: &[401, 500],
            },
            VerifyAudit => Doc {
                id: "verifyAuditChain",
                tag: "Audit",
                summary: "Whether the audit log's hash chain is intact (Global admin).",
                description: Some(
                    "Each entry's hash is SHA-256 of the previous entry's hash, a line feed and the entry's JSON text; an \
                     entry edited, removed or moved breaks the chain from there on. Entries cut off at the end show only \
                     as a shorter chain with another `head`: note `head` and `entries` elsewhere to compare later.",
                ),
                success: "The chain's state: intact, its length and last hash, or the first entry that does not match.",
                query: &[],
                errors: &[401, 403, 500],
            },
            ListCustomers => Doc {
                id: "listCustomers",
                tag: "Customers",
                summary: "The partner's customers, sorted by name.",
                description: None,
                success: "Customers sorted by name.",
                query: &[("search", "Case-insensitive substring of the name or domain (trimmed).")],
                errors: &[401, 500],
            },
            GetCustomer => Doc {
                id: "getCustomer",
                tag: "Customers",
                summary: "One customer.",
                description: None,
                success: "The customer.",
                query: &[],
                errors: &[401, 404, 500],
            },
            ListReservations => Doc {
                id: "listCustomerReservations",
                tag: "Reservations",
                summary: "A customer's reservations with 1/7/30-day utilization, soonest expiry first.",
                description: None,
                success: "The customer's reservations.",
                query: &[],
                errors: &[401, 404, 500],
            },
            GetRefundLimit => Doc {
                id: "getRefundLimit",
                tag: "Refunds",
                summary: "A customer's refund limit, consumption, headroom and ledger.",
                description: None,
                success: "The refund limit as of today.",
                query: &[],
                errors: &[401, 404, 409, 500],
            },
            ListScopes => Doc {
                id: "listCustomerScopes",
                tag: "Reservations",
                summary: "The scopes a customer owns (the scope choices).",
                description: None,
                success: "The customer's scopes.",
                query: &[],
                errors: &[401, 404, 500],
            },
            GetReservation => Doc {
                id: "getReservation",
                tag: "Reservations",
                summary: "One reservation with its daily utilization history.",
                description: None,
                success: "The reservation.",
                query: &[],
                errors: &[401, 404, 500],
            },
            ChangeReservation => Doc {
                id: "updateReservation",
                tag: "Reservations",
                summary: "Change a reservation's display name, scope or renewal.",
                description: Some("Needs Admin agent, Global admin or Helpdesk agent. Only an active (`Succeeded`) reservation can be changed (409 otherwise)."),
                success: "The changed reservation (without history).",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            ListRevisions => Doc {
                id: "listReservationRevisions",
                tag: "Reservations",
                summary: "A reservation's revisions, newest first: what it was after each change, who changed it and when.",
                description: Some("A reservation never changed has one revision (itself as it is now). The first change of one also records revision 1: how it was before."),
                success: "The revisions, newest first.",
                query: &[],
                errors: &[401, 404, 500],
            },
            SplitReservation => Doc {
                id: "splitReservation",
                tag: "Reservations",
                summary: "Split an active reservation of this order into two with the given quantities.",
                description: Some("Needs Admin agent, Global admin or Helpdesk agent. The two quantities must each be at least 1 and add up to the reservation's (400). The parts keep the purchase date, term and price, so a refund of any unit is quoted as before; the refund ledger is untouched. The source becomes `Split` and links to its parts (`splitProperties`); an inactive one is a 409."),
                success: "The split reservation (now `Split`), then its two parts.",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            MergeReservations => Doc {
                id: "mergeReservations",
                tag: "Reservations",
                summary: "Merge two or more active reservations of this order into one.",
                description: Some("Needs Admin agent, Global admin or Helpdesk agent. The sources must be distinct active reservations of this order with the same SKU, region, term, billing plan, price and scope (400 `notAlike` otherwise; 409 for an inactive one). They become `Merged` and link to the result (`mergeProperties`)."),
                success: "The merged reservation, then its sources (now `Merged`).",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            ArchiveReservation => Doc {
                id: "archiveReservation",
                tag: "Reservations",
                summary: "Archive a finished reservation (cancelled, expired, failed, split or merged): lists hide it unless asked.",
                description: Some("Needs Admin agent, Global admin or Helpdesk agent. An active reservation is a 400. Archiving an archived one changes nothing. No request body."),
                success: "The reservation, archived.",
                query: &[],
                errors: &[400, 401, 403, 404, 500],
            },
            UnarchiveReservation => Doc {
                id: "unarchiveReservation",
                tag: "Reservations",
                summary: "Bring an archived reservation back into the lists.",
                description: Some("Needs Admin agent, Global admin or Helpdesk agent. No request body."),
                success: "The reservation, not archived.",
                query: &[],
                errors: &[401, 403, 404, 500],
            },
            CalculateRefund => Doc {
                id: "calculateRefund",
                tag: "Refunds",
                summary: "Quote a refund for today and open a 10-minute refund session.",
                description: Some("Needs Admin agent, Global admin or Sales agent. Policy refusals are reported in `quote.policyResult.policyErrors` with 200."),
                success: "The quote and its session.",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            Return => Doc {
                id: "submitReturn",
                tag: "Refunds",
                summary: "Carry out the refund of a session (idempotent per session).",
                description: Some("Needs Admin agent or Global admin. Recomputes the quote; an expired session, a changed quote or a policy refusal is a 409."),
                success: "What the return did (the same answer again for a completed session).",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            ListRoleAssignments => Doc {
                id: "listRoleAssignments",
                tag: "Access control",
                summary: "Who has which role on a reservation order.",
                description: None,
                success: "The order's role assignments, oldest first.",
                query: &[],
                errors: &[401, 404, 500],
            },
            AddRoleAssignment => Doc {
                id: "createRoleAssignment",
                tag: "Access control",
                summary: "Grant a role on a reservation order.",
                description: Some("Needs Admin agent, Global admin or User management admin. The same principal with the same role again is a 409."),
                success: "The created assignment.",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            RemoveRoleAssignment => Doc {
                id: "deleteRoleAssignment",
                tag: "Access control",
                summary: "Remove a role assignment from a reservation order.",
                description: Some("Needs Admin agent, Global admin or User management admin. An assignment of another order is a 404."),
                success: "Removed.",
                query: &[],
                errors: &[401, 403, 404, 500],
            },
            QuoteRefund => Doc {
                id: "quoteRefund",
                tag: "Quotes",
                summary: "Stateless refund quote from the engine.",
                description: Some("Needs Admin agent, Global admin or Sales agent. Malformed input is a 400 naming the field."),
                success: "The quote (also when refused by policy).",
                query: &[],
                errors: &[400, 401, 403],
            },
            QuoteExchange => Doc {
                id: "quoteExchange",
                tag: "Quotes",
                summary: "Stateless exchange quote from the engine.",
                description: Some("Needs Admin agent, Global admin or Sales agent. Malformed input is a 400 naming the field."),
                success: "The quote (also when invalid by policy).",
                query: &[],
                errors: &[400, 401, 403],
            },
            Catalog => Doc {
                id: "listCatalog",
                tag: "Exchanges",
                summary: "Purchasable SKUs with a price per term.",
                description: None,
                success: "The catalog.",
                query: &[],
                errors: &[401],
            },
            CalculateExchange => Doc {
                id: "calculateExchange",
                tag: "Exchanges",
                summary: "Quote an exchange for today and open a 10-minute exchange session.",
                description: Some("Needs Admin agent, Global admin or Sales agent. An unknown reservation ID is a 400 naming `reservationsToExchange[i].reservationId`."),
                success: "The quote and its session.",
                query: &[],
                errors: &[400, 401, 403, 409, 500],
            },
            Exchange => Doc {
                id: "submitExchange",
                tag: "Exchanges",
                summary: "Carry out the exchange of a session (idempotent per session).",
                description: Some("Needs Admin agent or Global admin. An unknown session is a 404; an expired session, a changed quote or a policy refusal is a 409."),
                success: "What the exchange did (the same answer again for a completed session).",
                query: &[],
                errors: &[400, 401, 403, 404, 409, 500],
            },
            ListSupportRequests => Doc {
                id: "listSupportRequests",
                tag: "Support",
                summary: "Support requests, newest first.",
                description: None,
                success: "Support requests, newest first.",
                query: &[("customerId", "Only this customer's requests.")],
                errors: &[401, 500],
            },
            CreateSupportRequest => Doc {
                id: "createSupportRequest",
                tag: "Support",
                summary: "Open a support request about a reservation.",
                description: Some("Needs Admin agent, Global admin or Helpdesk agent. An unknown reservation (or one not in the given order) is a 404."),
                success: "The created request.",
                query: &[],
                errors: &[400, 401, 403, 404, 500],
            },
            GetSupportRequest => Doc {
                id: "getSupportRequest",
                tag: "Support",
                summary: "One support request.",
                description: None,
                success: "The support request.",
                query: &[],
                errors: &[401, 404, 500],
            },
        }
    }
}

/// What a path parameter names.
fn path_parameter(op: Operation, name: &str) -> &'static str {
    match (op, name) {
        (_, "customerId") => "Customer (tenant) ID.",
        (_, "orderId") => "Reservation order ID.",
        (_, "reservationId") => "Reservation ID.",
        (Operation::RemoveRoleAssignment, "id") => "Role assignment ID.",
        (_, _) => "Support request ID.",
    }
}

/// The error answers: status, component name, meaning.
const ERRORS: [(u16, &str, &str); 9] = [
    (400, "BadRequest", "The request is malformed (unreadable JSON, unknown or missing fields, invalid values); `field` names the offending JSON path when known."),
    (401, "Unauthorized", "No `Authorization: Bearer <token>` header, or the token is not valid."),
    (403, "Forbidden", "Signed in, but the user's role may not do this."),
    (404, "NotFound", "The addressed resource does not exist (or does not belong to its parent)."),
    (408, "RequestTimeout", "The request body did not arrive in time (the server's read timeout, 10 s by default)."),
    (409, "Conflict", "The request is well-formed but the current state forbids it (e.g. an inactive reservation, an expired or stale session, a policy refusal, a duplicate)."),
    (413, "ContentTooLarge", "The request body is larger than the server takes (1 MiB by default)."),
    (415, "UnsupportedMediaType", "The body is not sent as JSON (`Content-Type: application/json`)."),
    (500, "InternalServerError", "A storage failure; the details are logged, not sent."),
];

/// What any operation that takes a body can also answer: 408 (the body trickled in), 413 (too
/// large), 415 (not JSON). The server's edge and adapter answer them before the desk sees the request.
pub const BODY_ERRORS: [u16; 3] = [408, 413, 415];

const TAGS: [&str; 10] =
    ["Meta", "Session", "Audit", "Customers", "Reservations", "Refunds", "Exchanges", "Quotes", "Access control", "Support"];

const DESCRIPTION: &str = "The HTTP API of the Reservation Desk server: customers, Azure reservations, refunds, exchanges, access control, support requests and the audit log.\n\nEvery `/api` request but `/api/openapi.json` and `/api/config` needs `Authorization: Bearer <token>` (401 otherwise); the role behind the token decides what it may do (403 otherwise). Every role may read (GET). Demo tokens (when demo users are on): `demo-global-admin` (GlobalAdmin), `demo-admin-agent` (AdminAgent), `demo-helpdesk-agent` (HelpdeskAgent), `demo-sales-agent` (SalesAgent), `demo-user-management-admin` (UserManagementAdmin). With an OpenID Connect issuer configured (`GET /api/config` says which), an access token of that issuer (RS256 or ES256, for this API's audience) signs in too; its `roles` claim names the role (one of the five names above; with several, the most permitted, and the narrower three add up).\n\nEvery error is an RFC 9457 `application/problem+json` document. Money amounts are JSON strings (`{\"amount\": \"1234.50\", \"currencyCode\": \"USD\"}`), dates are `YYYY-MM-DD`, timestamps RFC 3339 UTC. Unknown `/api` paths answer 404; a method a path does not take answers 405 with the ones it does in `Allow`.";

fn content(body: &Body) -> Content {
    let reference = Ref::from_schema_name((body.name)());
    let schema: RefOr<Schema> = if body.list { reference.to_array_builder().build().into() } else { reference.into() };
    Content::new(Some(schema))
}

fn string_parameter(name: &str, at: ParameterIn, required: Required, text: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(at)
        .required(required)
        .description(Some(text))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
}

fn method(op: Operation) -> HttpMethod {
    match op.method() {
        "POST" => HttpMethod::Post,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        _ => HttpMethod::Get,
    }
}

/// The document: every operation of [`Operation::ALL`] under `/api`, and the public
/// `/api/openapi.json` itself and `/api/config`.
pub fn document() -> Value {
    let mut schemas = Vec::new();
    collect::<Problem>(&mut schemas);
    let meta = OperationBuilder::new()
        .operation_id(Some("getOpenApi"))
        .tag("Meta")
        .summary(Some("The contract as OpenAPI 3 (public: no sign-in needed)."))
        .securities(Some(Vec::<SecurityRequirement>::new()))
        .response(
            "200",
            ResponseBuilder::new()
                .description("The OpenAPI 3.1 document of this API.")
                .content("application/json", Content::new(Some(ObjectBuilder::new().schema_type(Type::Object)))),
        );
    collect::<contract::SignInConfig>(&mut schemas);
    let config = OperationBuilder::new()
        .operation_id(Some("getConfig"))
        .tag("Meta")
        .summary(Some("How to sign in here (public: read before signing in)."))
        .description(Some(
            "`{\"auth\": \"demo\"}` when no identity provider is configured (the demo tokens, where demo users are on), \
             else `{\"auth\": \"oidc\", \"issuer\", \"clientId\", \"scopes\"}`: sign in at the issuer by Authorization Code \
             with PKCE and send its access token as the bearer token.",
        ))
        .securities(Some(Vec::<SecurityRequirement>::new()))
        .response(
            "200",
            ResponseBuilder::new()
                .description("How this server's users sign in.")
                .content("application/json", Content::new(Some(Ref::from_schema_name("SignInConfig")))),
        );
    let mut paths = PathsBuilder::new()
        .path("/api/openapi.json", PathItem::new(HttpMethod::Get, meta))
        .path("/api/config", PathItem::new(HttpMethod::Get, config));
    for op in Operation::ALL {
        let (doc, (request, response)) = (op.doc(), op.bodies());
        let mut o = OperationBuilder::new()
            .operation_id(Some(doc.id))
            .tag(doc.tag)
            .summary(Some(doc.summary))
            .description(doc.description);
        for name in op.path().split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')) {
            o = o.parameter(string_parameter(name, ParameterIn::Path, Required::True, path_parameter(op, name)));
        }
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
            ok = ok.content("application/json", content(&body));
        }
        o = o.response(op.success_status().to_string(), ok);
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
        paths = paths.path(format!("/api{}", op.path()), PathItem::new(method(op), o));
    }
    let scheme = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some("A bearer token, e.g. one of the demo tokens listed in the API description."))
        .build();
    let mut components = ComponentsBuilder::new().schemas_from_iter(schemas).security_scheme("bearerAuth", SecurityScheme::Http(scheme));
    for (_, name, text) in ERRORS {
        let problem = Content::new(Some(Ref::from_schema_name("Problem")));
        components = components.response(name, ResponseBuilder::new().description(text).content(contract::problem::PROBLEM_JSON, problem));
    }
    let document = OpenApiBuilder::new()
        .info(InfoBuilder::new().title("Reservation Desk API").version("1.0.0").description(Some(DESCRIPTION)))
        .servers(Some([Server::new("/")]))
        .security(Some([SecurityRequirement::new("bearerAuth", Vec::<String>::new())]))
        .tags(Some(TAGS.map(Tag::new)))
        .paths(paths)
        .components(Some(components.build()))
        .build();
    let mut value = serde_json::to_value(&document).unwrap_or(Value::Null);
    open_flattened_members(&mut value);
    value
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
    fn bodies_and_words_agree_with_the_operation_list() {
        let mut ids = std::collections::BTreeSet::new();
        for op in Operation::ALL {
            let (request, response) = op.bodies();
            let doc = op.doc();
            assert_eq!(request.is_some(), op.takes_body(), "{op:?}");
            assert_eq!(response.is_none(), op.success_status() == 204, "{op:?}");
            assert_eq!(doc.errors.contains(&403), op.permission() != desk_service::access::Permission::Read, "{op:?}");
            // Every body can be malformed (400); archive has no body but refuses an active reservation.
            let refuses_state = op == Operation::ArchiveReservation;
            assert_eq!(doc.errors.contains(&400), op.takes_body() || refuses_state, "{op:?}");
            assert!(doc.errors.contains(&401), "{op:?}");
            for status in doc.errors.iter().chain(&BODY_ERRORS) {
                assert!(ERRORS.iter().any(|e| e.0 == *status), "{op:?}: {status} has no response in ERRORS");
            }
            assert!(ids.insert(doc.id), "{} twice", doc.id);
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
        assert!(document["components"]["schemas"]["Reservation"]["properties"]["reservationOrderId"].is_object());
    }
}
