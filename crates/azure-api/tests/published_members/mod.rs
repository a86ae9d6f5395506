//! What the published-example tests share: every member of an example, and the example with one
//! member removed, to read each with every member the specification does not require left out.

#![allow(dead_code)]

use serde_json::Value;

/// Every member's path in `value` (`a/b/0/c`), objects and leaves alike.
pub fn paths(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = if at.is_empty() { k.clone() } else { format!("{at}/{k}") };
                out.push(here.clone());
                paths(v, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                paths(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `value` without the member at `path` (as [`paths`] writes it).
pub fn without(value: &Value, path: &str) -> Value {
    let mut copy = value.clone();
    let (parent, last) = path.rsplit_once('/').unwrap_or(("", path));
    let pointer = if parent.is_empty() { String::new() } else { format!("/{parent}") };
    match copy.pointer_mut(&pointer) {
        Some(Value::Object(map)) => {
            map.remove(last);
        }
        Some(Value::Array(items)) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        _ => {}
    }
    copy
}
