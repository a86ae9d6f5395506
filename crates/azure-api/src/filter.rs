//! The `$filter` of `GET /reservations`: the provisioning states asked for, as the portal and
//! the SDK write them: `properties/provisioningState eq 'Succeeded'`, joined by `or`, in
//! parentheses or not. Anything else is a 400 that says what is understood.

use contract::reservation::ProvisioningState;

use crate::error::ArmError;

fn state(name: &str) -> Option<ProvisioningState> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

/// The states `filter` asks for; `None` when there is no filter (every state).
pub fn provisioning_states(filter: Option<&str>) -> Result<Option<Vec<ProvisioningState>>, ArmError> {
    let Some(filter) = filter.map(str::trim).filter(|f| !f.is_empty()) else { return Ok(None) };
    let refuse = || {
        ArmError::malformed(
            format!("The $filter '{filter}' is not understood; write properties/provisioningState eq 'Succeeded', joined with or."),
            Some("$filter"),
        )
    };
    let inner = filter.strip_prefix('(').and_then(|f| f.strip_suffix(')')).unwrap_or(filter);
    let mut states = Vec::new();
    for term in inner.split(" or ") {
        let term = term.trim().trim_start_matches('(').trim_end_matches(')').trim();
        let words: Vec<&str> = term.split_whitespace().collect();
        match words.as_slice() {
            [field, op, value] if field.eq_ignore_ascii_case("properties/provisioningState") && op.eq_ignore_ascii_case("eq") => {
                let name = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')).ok_or_else(refuse)?;
                states.push(state(name).ok_or_else(|| {
                    ArmError::malformed(format!("'{name}' is not a provisioning state (Succeeded, Cancelled, Expired, Creating, PendingBilling, Failed)."), Some("$filter"))
                })?);
            }
            _ => return Err(refuse()),
        }
    }
    Ok(Some(states))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProvisioningState::*;

    #[test]
    fn the_provisioning_state_filters_clients_write_are_understood() {
        assert_eq!(provisioning_states(None), Ok(None));
        assert_eq!(provisioning_states(Some("  ")), Ok(None));
        assert_eq!(provisioning_states(Some("properties/provisioningState eq 'Succeeded'")), Ok(Some(vec![Succeeded])));
        assert_eq!(
            provisioning_states(Some("(properties/provisioningState eq 'Expired' or properties/provisioningState eq 'Cancelled')")),
            Ok(Some(vec![Expired, Cancelled]))
        );
    }

    #[test]
    fn anything_else_is_a_400_naming_the_filter() {
        for bad in ["properties/displayName eq 'x'", "properties/provisioningState ne 'Succeeded'", "properties/provisioningState eq Succeeded", "properties/provisioningState eq 'Sleeping'", "true"] {
            let e = provisioning_states(Some(bad)).unwrap_err();
            assert_eq!((e.status, e.body.error.target.as_deref()), (400, Some("$filter")), "{bad}");
        }
    }
}
