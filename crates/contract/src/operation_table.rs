//! The macro that writes a table of operations ([`operation_table!`](crate::operation_table)):
//! where each operation is on the wire ([`crate::route`]) and, under the `openapi` feature, how
//! the OpenAPI document describes it ([`crate::openapi`]). It sits above both, so neither
//! imports the other's caller.

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
/// `takes_body`, `answers_body`, an [`Endpoint`](crate::route::Endpoint) type per operation in the module `endpoints in`
/// names, and under the caller's `openapi` feature `bodies` and `words` for the document
/// ([`crate::openapi`]). Each template's parameters are checked at compile time against the
/// table `parameters` names ([`parameters_known`](crate::route::parameters_known)).
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
