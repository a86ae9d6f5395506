use contract::{WorkItem, WorkItemPatch, Worklist, WorklistQuery};
use desk::operation::endpoint;

use super::{transport, ApiError};

/// `GET /worklist`: the rows `query` asks for.
pub async fn worklist(query: WorklistQuery) -> Result<Worklist, ApiError> {
    let pairs = query.pairs();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    transport::call::<endpoint::ListWorklist>(&[], &pairs, &()).await
}

/// `PATCH /worklist/{workItemId}`.
pub async fn mark_work_item(id: &str, patch: &WorkItemPatch) -> Result<WorkItem, ApiError> {
    transport::call::<endpoint::MarkWorkItem>(&[&path_segment(id)], &[], patch).await
}

/// `id` as one path segment: every character a segment may not hold as it is (`/`, `?`, `#`,
/// `%`, a space, anything not ASCII…) percent-encoded. The characters RFC 3986 allows in a
/// segment stay as they are: a row ID's `:` (`underused:{customerId}:{reservationId}`) is one,
/// and the desk's router matches the path as given, so the IDs it writes travel unchanged.
pub fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn a_row_id_stays_as_the_desk_wrote_it_and_anything_else_is_percent_encoded() {
        assert_eq!(path_segment("underused:c-1:r-2"), "underused:c-1:r-2");
        assert_eq!(path_segment("accessEnds:c1:gdap-x_y.z~"), "accessEnds:c1:gdap-x_y.z~");
        assert_eq!(path_segment("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(path_segment("ä"), "%C3%A4");
    }
}
