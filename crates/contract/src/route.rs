//! Where an operation is on the wire: its HTTP method and its path template. The desk's operations
//! (`desk::Operation`) and the Azure surface's (`azure_api::AzureOperation`) are each one table
//! of these; the SPA builds its request paths with [`fill`] from the same templates.

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET` (a `HEAD` finds the same operation).
    Get,
    /// `POST`.
    Post,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method as HTTP writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// The names of `template`'s `{parameters}`, in order.
pub fn parameters(template: &str) -> impl Iterator<Item = &str> {
    template.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
}

/// `template` with its `{parameters}` replaced by `values`, in order. A value missing is left
/// empty, which no operation's path matches (404).
pub fn fill(template: &str, values: &[&str]) -> String {
    debug_assert_eq!(parameters(template).count(), values.len(), "{template}: {values:?}");
    let mut values = values.iter();
    let segments: Vec<&str> =
        template.split('/').map(|s| if s.starts_with('{') { values.next().copied().unwrap_or_default() } else { s }).collect();
    segments.join("/")
}

/// Whether every `{parameter}` of `template` is a name of `table` (its first column). A table
/// checks each template with it in a `const` assertion, so an unknown name is a compile error.
pub const fn parameters_known(template: &str, table: &[(&str, &str)]) -> bool {
    let t = template.as_bytes();
    let mut i = 0;
    while i < t.len() {
        if t[i] == b'{' {
            let start = i + 1;
            let mut end = start;
            while end < t.len() && t[end] != b'}' {
                end += 1;
            }
            if end == t.len() || !in_table(t, start, end, table) {
                return false;
            }
            i = end;
        }
        i += 1;
    }
    true
}

/// Whether `t[start..end]` is a name of `table`.
const fn in_table(t: &[u8], start: usize, end: usize, table: &[(&str, &str)]) -> bool {
    let mut k = 0;
    while k < table.len() {
        let name = table[k].0.as_bytes();
        if name.len() == end - start {
            let mut j = 0;
            while j < name.len() && name[j] == t[start + j] {
                j += 1;
            }
            if j == name.len() {
                return true;
            }
        }
        k += 1;
    }
    false
}

/// An operation as a type: what is read and written for it (`()` for no body, `Vec<T>` for a
/// JSON array). [`operation_table!`](crate::operation_table) writes one per operation.
pub trait Endpoint {
    /// The operation enum of its table.
    type Operation;
    /// The operation.
    const OPERATION: Self::Operation;
    /// The JSON request body.
    type Request;
    /// The JSON body of a success.
    type Response;
}

/// Writes a table of operations where each operation is one entry:
///
/// ```text
/// contract::operation_table! {
///     /// (attributes of the enum)
///     pub enum Operation, endpoints in endpoint, parameters PATH_PARAMETERS, permission Permission;
///
///     /// (doc of the variant)
///     Name { Method "/template", Permission variant, success status, Request -> Response,
///         id: "…", tag: "…", summary: "…", success: "…", [query: [("name", "what it does"), …],] errors: [status, …],
///         [description: "…",]
///     },
/// }
/// ```
///
/// A body is `()` for none, `Type` for one, `[Type]` for a JSON array and `{Type in "ListName"}`
/// for one page of an ARM list (the type `Page<Type>`: the caller names its page type `Page`). From it
/// follow the enum, `ALL` (counted here), `method`, `template`, `permission`, `success_status`,
/// `takes_body`, `answers_body`, an [`Endpoint`] type per operation in the module `endpoints in`
/// names, and under the caller's `openapi` feature `bodies` and `words` for the document
/// ([`crate::openapi`]). Each template's parameters are checked at compile time against the
/// table `parameters` names ([`parameters_known`]).
#[macro_export]
macro_rules! operation_table {
    (@takes ()) => { false };
    (@takes $body:tt) => { true };
    (@type ()) => { () };
    (@type [$item:ident]) => { Vec<$item> };
    (@type {$item:ident in $list:literal}) => { Page<$item> };
    (@type $item:ident) => { $item };
    (@body ()) => { None };
    (@body [$item:ident]) => { Some($crate::openapi::Body::array::<$item>()) };
    (@body {$item:ident in $list:literal}) => { Some($crate::openapi::Body::page::<$item>($list)) };
    (@body $item:ident) => { Some($crate::openapi::Body::one::<$item>()) };
    (@opt) => { None };
    (@opt $text:literal) => { Some($text) };
    (
        $(#[$meta:meta])*
        $vis:vis enum $enum:ident, endpoints in $module:ident, parameters $parameters:ident, permission $permission_type:ident;
        $(
            $(#[doc = $doc:literal])*
            $name:ident {
                $method:ident $template:literal, $permission:ident, $status:literal, $request:tt -> $response:tt,
                id: $id:literal, tag: $tag:literal, summary: $summary:literal, success: $success:literal,
                $(query: [$(($query:literal, $query_text:literal)),* $(,)?],)?
                errors: [$($error:literal),* $(,)?],
                $(description: $description:literal,)?
            }
        ),* $(,)?
    ) => {
        $(#[$meta])*
        $vis enum $enum {
            $($(#[doc = $doc])* $name,)*
        }

        impl $enum {
            /// Every operation, in the order of the table (and of the OpenAPI document).
            pub const ALL: [$enum; <[&str]>::len(&[$(stringify!($name)),*])] = [$(Self::$name),*];

            /// The HTTP method.
            pub const fn method(self) -> $crate::route::Method {
                match self { $(Self::$name => $crate::route::Method::$method,)* }
            }

            /// The path template, with `{name}` parameters (axum's and OpenAPI's syntax), each
            /// one of the table's parameters.
            pub const fn template(self) -> &'static str {
                match self { $(Self::$name => $template,)* }
            }

            /// What the caller's role must allow.
            pub const fn permission(self) -> $permission_type {
                match self { $(Self::$name => $permission_type::$permission,)* }
            }

            /// The HTTP status of a success.
            pub const fn success_status(self) -> u16 {
                match self { $(Self::$name => $status,)* }
            }

            /// Whether the request carries a JSON body.
            pub const fn takes_body(self) -> bool {
                match self { $(Self::$name => $crate::operation_table!(@takes $request),)* }
            }

            /// Whether a success carries a JSON body.
            pub const fn answers_body(self) -> bool {
                match self { $(Self::$name => $crate::operation_table!(@takes $response),)* }
            }

            /// The request and response bodies in the OpenAPI document: the endpoint's types.
            #[cfg(feature = "openapi")]
            pub fn bodies(self) -> (Option<$crate::openapi::Body>, Option<$crate::openapi::Body>) {
                match self {
                    $(Self::$name => ($crate::operation_table!(@body $request), $crate::operation_table!(@body $response)),)*
                }
            }

            /// The operation as its OpenAPI document shows it; `needs` says who may call it (the
            /// words of its permission).
            #[cfg(feature = "openapi")]
            pub fn entry(self, needs: Option<String>) -> $crate::openapi::Entry {
                $crate::openapi::Entry {
                    method: self.method(),
                    template: self.template(),
                    status: self.success_status(),
                    bodies: self.bodies(),
                    words: self.words(),
                    needs,
                }
            }

            /// The operation's words in the OpenAPI document (who may call it follows from its
            /// permission).
            #[cfg(feature = "openapi")]
            pub fn words(self) -> $crate::openapi::Words {
                match self {
                    $(Self::$name => $crate::openapi::Words {
                        id: $id,
                        tag: $tag,
                        summary: $summary,
                        description: $crate::operation_table!(@opt $($description)?),
                        success: $success,
                        query: &[$($(($query, $query_text)),*)?],
                        errors: &[$($error),*],
                    },)*
                }
            }
        }

        /// Each operation as a type.
        $vis mod $module {
            $($(#[doc = $doc])* pub struct $name;)*
        }

        $(
            impl $crate::route::Endpoint for $module::$name {
                type Operation = $enum;
                const OPERATION: $enum = $enum::$name;
                type Request = $crate::operation_table!(@type $request);
                type Response = $crate::operation_table!(@type $response);
            }
            const _: () = assert!($crate::route::parameters_known($template, &$parameters), "a path parameter of a template is not in the table's parameters");
        )*
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_filled_in_order_and_its_parameters_are_checked_against_a_table() {
        let template = "/reservationOrders/{orderId}/reservations/{reservationId}";
        assert_eq!(parameters(template).collect::<Vec<_>>(), ["orderId", "reservationId"]);
        assert_eq!(fill(template, &["o-1", "r-2"]), "/reservationOrders/o-1/reservations/r-2");
        assert_eq!(fill("/customers", &[]), "/customers");
        let table = [("orderId", "Order."), ("reservationId", "Reservation.")];
        assert!(parameters_known(template, &table));
        assert!(parameters_known("/catalog", &[]));
        assert!(!parameters_known("/supportRequests/{id}", &table));
        assert!(!parameters_known("/reservationOrders/{order}", &table), "a prefix of a name is not the name");
        assert!(!parameters_known("/reservationOrders/{orderIdX}", &table));
        assert!(!parameters_known("/reservationOrders/{orderId", &table), "unclosed");
    }

    #[test]
    fn each_method_is_written_as_http_writes_it() {
        let all = [Method::Get, Method::Post, Method::Patch, Method::Delete];
        assert_eq!(all.map(Method::as_str), ["GET", "POST", "PATCH", "DELETE"]);
    }
}
