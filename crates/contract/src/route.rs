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

/// `template` with its `{parameters}` replaced by `values`, in order, each percent-encoded as
/// [`encode_segment`] writes it (an ID may hold a `/`, `?`, `#` or `%`). A value missing is left
/// empty, which no operation's path matches (404).
pub fn fill(template: &str, values: &[&str]) -> String {
    debug_assert_eq!(parameters(template).count(), values.len(), "{template}: {values:?}");
    let mut values = values.iter();
    let segments: Vec<String> = template
        .split('/')
        .map(|s| if s.starts_with('{') { encode_segment(values.next().copied().unwrap_or_default()) } else { s.to_owned() })
        .collect();
    segments.join("/")
}

/// `value` as one path segment, percent-encoded as JavaScript's `encodeURIComponent` writes it:
/// every byte of its UTF-8 but letters, digits and `-_.!~*'()` as `%XX`.
pub fn encode_segment(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    out
}

/// One path segment as it was meant: each `%XX` read as the byte it encodes (so `%3A` is `:` and
/// `%2F` a `/` inside the segment, not between two), whatever a client chose to encode. `None`
/// when a `%` is not followed by two hexadecimal digits or the bytes are not UTF-8. A `+` stays
/// a `+`: it means a space only in a query string.
pub fn decode_segment(segment: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !segment.contains('%') {
        return Some(std::borrow::Cow::Borrowed(segment));
    }
    let hex = |b: u8| char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex(*bytes.get(i + 1)?)?;
            let low = hex(*bytes.get(i + 2)?)?;
            out.push(high << 4 | low);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(std::borrow::Cow::Owned)
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
    fn a_value_is_encoded_as_encode_uri_component_does_and_decoded_back() {
        let values = ["exchangeRightEnds:2d8a:98a9", "a/b", "50% off?#", "Zürich ü", "plain-ID_1.2~(x)*'!"];
        let encoded = values.map(encode_segment);
        assert_eq!(encoded[0], "exchangeRightEnds%3A2d8a%3A98a9");
        assert_eq!(encoded[1], "a%2Fb");
        assert_eq!(encoded[2], "50%25%20off%3F%23");
        assert_eq!(encoded[3], "Z%C3%BCrich%20%C3%BC");
        assert_eq!(encoded[4], values[4], "what encodeURIComponent leaves alone");
        for (value, encoded) in values.iter().zip(&encoded) {
            assert_eq!(decode_segment(encoded).as_deref(), Some(*value));
            assert_eq!(decode_segment(value.replace('%', "%25").as_str()).as_deref(), Some(*value));
        }
        assert_eq!(decode_segment("%3a%2f").as_deref(), Some(":/"), "lower-case hexadecimal digits");
        assert_eq!(decode_segment("a+b").as_deref(), Some("a+b"), "a plus is a plus in a path");
        for bad in ["%", "%4", "%zz", "a%g1", "%C3", "%FF"] {
            assert_eq!(decode_segment(bad), None, "{bad}");
        }
        assert_eq!(fill("/worklist/{itemId}", &["a:b/c"]), "/worklist/a%3Ab%2Fc");
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
