//! What the tests of Azure's published answers do to them: every member's path, and a copy
//! without one member (the published file itself is never changed).

/// Every member path of `v` (JSON pointers), at every depth.
pub(crate) fn paths(v: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.push(format!("{at}/{k}"));
                walk(v, &format!("{at}/{k}"), out);
            }),
            serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{at}/{i}"), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

/// `v` without the member at `path` (a JSON pointer).
pub(crate) fn without(v: &serde_json::Value, path: &str) -> serde_json::Value {
    let mut copy = v.clone();
    if let Some((parent, key)) = path.rsplit_once('/') {
        if let Some(serde_json::Value::Object(map)) = copy.pointer_mut(parent) {
            map.remove(key);
        }
    }
    copy
}
