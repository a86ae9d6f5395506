//! The one OpenAPI 3.1 builder of both generated documents: the desk's (`desk::openapi`, served at
//! `/api/openapi.json`) and the Azure surface's (`azure_api::openapi`). Each gives its own parts
//! ([`Document`]: title, words, tags, error answers, path parameters) and one [`Entry`] per
//! operation of its table; how a path, its parameters, bodies and answers are written is here, once.
//! Here because both crates depend on `contract` (and on nothing of each other); only the
//! `openapi` feature compiles it, which only the server turns on.

use std::borrow::Cow;
use std::collections::BTreeSet;

use utoipa::openapi::path::{HttpMethod, OperationBuilder, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ArrayBuilder, ComponentsBuilder, Content, Info, InfoBuilder, ObjectBuilder, OpenApi, OpenApiBuilder, PathItem, PathsBuilder, Ref,
    RefOr, Required, ResponseBuilder, Schema, Server, Tag, Type,
};
use utoipa::ToSchema;

use crate::route::{self, Method};

/// Schemas collected for a document's components.
pub type Schemas = Vec<(String, RefOr<Schema>)>;

/// An error answer: its status, its response component's name, what it means.
pub type ErrorAnswer = (u16, &'static str, &'static str);

/// What any operation that takes a body can also answer: 408 (the body trickled in), 413 (too
/// large), 415 (not JSON). The server's edge and adapters answer them before the desk sees the
/// request.
pub const BODY_ERRORS: [u16; 3] = [408, 413, 415];

#[derive(Clone, Copy)]
enum Shape {
    /// One `T`.
    One,
    /// A bare JSON array of `T`.
    Array,
    /// `{value: [T]}` (one page of an ARM list), a schema of this name.
    Page(&'static str),
}

/// A request or response body: its schema, how it wraps it, and how to collect the schema with
/// every schema it refers to.
#[derive(Clone, Copy)]
pub struct Body {
    name: fn() -> Cow<'static, str>,
    shape: Shape,
    collect: fn(&mut Schemas),
}

fn collect<T: ToSchema>(out: &mut Schemas) {
    out.push((T::name().into_owned(), T::schema()));
    T::schemas(out);
}

impl Body {
    /// One `T`.
    pub fn one<T: ToSchema>() -> Body {
        Body { name: T::name, shape: Shape::One, collect: collect::<T> }
    }

    /// A JSON array of `T`.
    pub fn array<T: ToSchema>() -> Body {
        Body { name: T::name, shape: Shape::Array, collect: collect::<T> }
    }

    /// `{value: [T]}`, always one page, as the schema named `list`.
    pub fn page<T: ToSchema>(list: &'static str) -> Body {
        Body { name: T::name, shape: Shape::Page(list), collect: collect::<T> }
    }

    fn content(&self) -> Content {
        match self.shape {
            Shape::One => Content::new(Some(Ref::from_schema_name((self.name)()))),
            Shape::Array => Content::new(Some(ArrayBuilder::new().items(Ref::from_schema_name((self.name)())))),
            Shape::Page(list) => Content::new(Some(Ref::from_schema_name(list))),
        }
    }
}

/// The words of an operation in a document.
#[derive(Clone, Copy, Debug)]
pub struct Words {
    /// `operationId`.
    pub id: &'static str,
    /// Its tag (the document's section).
    pub tag: &'static str,
    /// One line.
    pub summary: &'static str,
    /// More, when there is more to say (after the "Needs …" sentence of its permission).
    pub description: Option<&'static str>,
    /// What the success answer is.
    pub success: &'static str,
    /// Optional query parameters and what they do.
    pub query: &'static [(&'static str, &'static str)],
    /// The error statuses it can answer; an operation that takes a body also answers
    /// [`BODY_ERRORS`].
    pub errors: &'static [u16],
}

impl Words {
    /// The words of a public route of the server itself: tag `Meta`, no query, no error.
    pub const fn public(id: &'static str, summary: &'static str, success: &'static str) -> Words {
        Words { id, tag: "Meta", summary, description: None, success, query: &[], errors: &[] }
    }
}

/// One operation of a table, as its document shows it.
pub struct Entry {
    /// Its method.
    pub method: Method,
    /// Its path template below the document's prefix ([`Document::paths`]).
    pub template: &'static str,
    /// The status of a success.
    pub status: u16,
    /// The request body (the operation takes none when `None`) and the success's body.
    pub bodies: (Option<Body>, Option<Body>),
    /// Its words.
    pub words: Words,
    /// Who may call it, as a sentence written before the description (`None`: every role).
    pub needs: Option<String>,
}

/// A document being built: [`Document::new`], what every operation shares (its error answers,
/// its paths' prefix and parameters), its public routes and operations, then [`Document::build`].
pub struct Document {
    info: Info,
    /// The tags, in the document's order.
    tags: &'static [&'static str],
    /// The bearer scheme's description.
    bearer: &'static str,
    /// What every operation's path starts with.
    prefix: &'static str,
    /// Each path parameter name and what it names: a template's parameter must be one of them
    /// (its table checks that at compile time).
    path_parameters: &'static [(&'static str, &'static str)],
    /// Parameters every operation takes after its path parameters (the api-version).
    parameters: Vec<Parameter>,
    /// The error answers.
    errors: &'static [ErrorAnswer],
    /// Their content type and body.
    error_body: Option<(&'static str, Body)>,
    paths: PathsBuilder,
    schemas: Schemas,
    /// The page schemas to add: list name, item name.
    pages: Vec<(&'static str, String)>,
    /// The operationIds so far (each names one operation).
    ids: BTreeSet<&'static str>,
}

fn http_method(method: Method) -> HttpMethod {
    match method {
        Method::Get => HttpMethod::Get,
        Method::Post => HttpMethod::Post,
        Method::Put => HttpMethod::Put,
        Method::Patch => HttpMethod::Patch,
        Method::Delete => HttpMethod::Delete,
    }
}

fn string_parameter(name: &str, at: ParameterIn, required: Required, text: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(at)
        .required(required)
        .description(Some(text))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
}

/// `{value: [T]}`: a list, always one page.
fn page_schema(item: &str) -> Schema {
    ObjectBuilder::new()
        .property("value", ArrayBuilder::new().items(Ref::from_schema_name(item)))
        .required("value")
        .description(Some("One page: every item, never a `nextLink`."))
        .into()
}

impl Document {
    /// A document titled `title` of API version `version`, described by `description`, with
    /// these tags (in this order) and a bearer scheme described by `bearer`; no path yet.
    pub fn new(title: &str, version: &str, description: &str, tags: &'static [&'static str], bearer: &'static str) -> Document {
        Document {
            info: InfoBuilder::new().title(title).version(version).description(Some(description)).build(),
            tags,
            bearer,
            prefix: "",
            path_parameters: &[],
            parameters: Vec::new(),
            errors: &[],
            error_body: None,
            paths: PathsBuilder::new(),
            schemas: Vec::new(),
            pages: Vec::new(),
            ids: BTreeSet::new(),
        }
    }

    /// The error answers an operation lists by status: each a response component (status,
    /// component name, meaning) of `content_type` with `body`.
    pub fn errors(mut self, errors: &'static [ErrorAnswer], content_type: &'static str, body: Body) -> Document {
        (body.collect)(&mut self.schemas);
        self.errors = errors;
        self.error_body = Some((content_type, body));
        self
    }

    /// Where the operations' templates are (`prefix`) and what their parameters name.
    pub fn paths(mut self, prefix: &'static str, path_parameters: &'static [(&'static str, &'static str)]) -> Document {
        self.prefix = prefix;
        self.path_parameters = path_parameters;
        self
    }

    /// A parameter every operation takes after its path parameters.
    pub fn parameter(mut self, parameter: Parameter) -> Document {
        self.parameters.push(parameter);
        self
    }

    /// A public `GET path` of the server itself (no sign-in): its words (id, tag, summary,
    /// description, success) and its JSON answer (any object when `body` is `None`).
    pub fn public(mut self, path: &str, words: &Words, body: Option<Body>) -> Document {
        let content = match body {
            Some(body) => {
                (body.collect)(&mut self.schemas);
                body.content()
            }
            None => Content::new(Some(ObjectBuilder::new().schema_type(Type::Object))),
        };
        let o = OperationBuilder::new()
            .operation_id(Some(words.id))
            .tag(words.tag)
            .summary(Some(words.summary))
            .description(words.description)
            .securities(Some(Vec::<SecurityRequirement>::new()))
            .response("200", ResponseBuilder::new().description(words.success).content("application/json", content));
        assert!(self.ids.insert(words.id), "operationId {} twice", words.id);
        self.paths = self.paths.path(path, PathItem::new(HttpMethod::Get, o));
        self
    }

    /// The operations of a table, in its order.
    pub fn operations(self, entries: impl IntoIterator<Item = Entry>) -> Document {
        entries.into_iter().fold(self, Document::operation)
    }

    /// An operation of the table.
    pub fn operation(mut self, entry: Entry) -> Document {
        let Entry { method, template, status, bodies: (request, response), words, needs } = entry;
        let description = match (needs, words.description) {
            (Some(needs), Some(more)) => Some(format!("{needs} {more}")),
            (Some(needs), None) => Some(needs),
            (None, more) => more.map(str::to_owned),
        };
        let mut o = OperationBuilder::new()
            .operation_id(Some(words.id))
            .tag(words.tag)
            .summary(Some(words.summary))
            .description(description);
        for name in route::parameters(template) {
            let text = self.path_parameters.iter().find(|(known, _)| *known == name).map(|(_, text)| *text);
            // Unreachable: each table checks its templates against its parameters at compile time.
            let text = text.unwrap_or_else(|| panic!("{template}: the path parameter {name} is not in the table"));
            o = o.parameter(string_parameter(name, ParameterIn::Path, Required::True, text));
        }
        for parameter in &self.parameters {
            o = o.parameter(parameter.clone());
        }
        for (name, text) in words.query {
            o = o.parameter(string_parameter(name, ParameterIn::Query, Required::False, text));
        }
        let mut errors = words.errors.to_vec();
        if let Some(body) = request {
            (body.collect)(&mut self.schemas);
            let body = RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", body.content());
            o = o.request_body(Some(body.build()));
            errors.extend(BODY_ERRORS);
            errors.sort_unstable();
        }
        let mut ok = ResponseBuilder::new().description(words.success);
        if let Some(body) = response {
            (body.collect)(&mut self.schemas);
            if let Shape::Page(list) = body.shape {
                self.pages.push((list, (body.name)().into_owned()));
            }
            ok = ok.content("application/json", body.content());
        }
        o = o.response(status.to_string(), ok);
        for status in errors {
            // Unreachable once the document has been built in a test: every status is answered.
            let (_, name, _) = self.errors.iter().find(|e| e.0 == status).unwrap_or_else(|| panic!("{}: {status} has no error answer", words.id));
            o = o.response(status.to_string(), Ref::from_response_name(*name));
        }
        assert!(self.ids.insert(words.id), "operationId {} twice", words.id);
        self.paths = self.paths.path(crate::route::on_wire(self.prefix, template), PathItem::new(http_method(method), o));
        self
    }

    /// The document.
    pub fn build(self) -> OpenApi {
        let Document { info, tags, bearer, errors, error_body, paths, mut schemas, pages, .. } = self;
        for (list, item) in pages {
            schemas.push((list.to_owned(), page_schema(&item).into()));
        }
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(bearer)).build();
        let mut components = ComponentsBuilder::new().schemas_from_iter(schemas).security_scheme("bearerAuth", SecurityScheme::Http(scheme));
        for (_, name, text) in errors {
            let mut response = ResponseBuilder::new().description(*text);
            if let Some((content_type, body)) = &error_body {
                response = response.content(*content_type, body.content());
            }
            components = components.response(*name, response);
        }
        OpenApiBuilder::new()
            .info(info)
            .servers(Some([Server::new("/")]))
            .security(Some([SecurityRequirement::new("bearerAuth", Vec::<String>::new())]))
            .tags(Some(tags.iter().map(|tag| Tag::new(*tag))))
            .paths(paths)
            .components(Some(components.build()))
            .build()
    }
}
