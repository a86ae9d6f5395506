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
    /// `PUT`.
    Put,
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
            Method::Put => "PUT",
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

/// The scope below which ARM nests a provider for a subscription's operations.
const SUBSCRIPTION_SCOPE: &str = "/subscriptions/{subscriptionId}";

/// Where an operation's `template` is on the wire below `prefix` (e.g.
/// `/providers/Microsoft.Capacity`): after it, or, for a template below a subscription
/// (`/subscriptions/{subscriptionId}/…`), between the subscription and the rest, as ARM nests a
/// provider below a subscription (`/subscriptions/{subscriptionId}/providers/Microsoft.Capacity/catalogs`).
pub fn on_wire(prefix: &str, template: &str) -> String {
    match template.strip_prefix(SUBSCRIPTION_SCOPE) {
        Some(rest) if rest.starts_with('/') => format!("{SUBSCRIPTION_SCOPE}{prefix}{rest}"),
        _ => format!("{prefix}{template}"),
    }
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
    fn a_subscriptions_operation_has_its_provider_after_the_subscription() {
        let p = "/providers/Microsoft.Capacity";
        assert_eq!(on_wire(p, "/subscriptions/{subscriptionId}/catalogs"), "/subscriptions/{subscriptionId}/providers/Microsoft.Capacity/catalogs");
        assert_eq!(on_wire(p, "/calculatePrice"), "/providers/Microsoft.Capacity/calculatePrice");
        assert_eq!(on_wire("", "/catalog"), "/catalog");
    }

    #[test]
    fn each_method_is_written_as_http_writes_it() {
        let all = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];
        assert_eq!(all.map(Method::as_str), ["GET", "POST", "PUT", "PATCH", "DELETE"]);
    }
}
