//! `POST …/reservations/{id}/availableScopes`: which of the given scopes the reservation could
//! apply to. Here that is the reservation's customer's own subscriptions, resource groups and
//! management groups (compared as ARM compares IDs, ignoring case); anything else is not valid.

use contract::Scope;
use serde::{Deserialize, Serialize};

/// `AvailableScopeRequest`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableScopeRequest {
    /// The properties.
    pub properties: AvailableScopeRequestProperties,
}

/// `AvailableScopeRequestProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableScopeRequestProperties {
    /// Scope IDs, e.g. `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{name}`.
    pub scopes: Vec<String>,
}

/// `AvailableScopeProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableScopeProperties {
    /// The properties.
    pub properties: SubscriptionScopeProperties,
}

/// `SubscriptionScopeProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriptionScopeProperties {
    /// One per scope asked about, in the order asked.
    pub scopes: Vec<ScopeProperties>,
}

/// `ScopeProperties`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScopeProperties {
    /// The scope as given.
    pub scope: String,
    /// Whether the reservation may apply there.
    pub valid: bool,
}

fn ids_of(scope: &Scope) -> impl Iterator<Item = &str> {
    let p = &scope.applied_scope_properties;
    // A resource group's scope names its subscription too; only its own ID is the scope.
    let own = p.resource_group_id.as_deref().or(p.management_group_id.as_deref()).or(p.subscription_id.as_deref());
    own.into_iter()
}

/// Each of `requested`, valid when it is one of `own` (the customer's scopes).
pub fn available(requested: &[String], own: &[Scope]) -> AvailableScopeProperties {
    let scopes = requested
        .iter()
        .map(|asked| {
            let wanted = asked.trim().trim_end_matches('/');
            ScopeProperties { scope: asked.clone(), valid: own.iter().flat_map(ids_of).any(|id| id.eq_ignore_ascii_case(wanted)) }
        })
        .collect();
    AvailableScopeProperties { properties: SubscriptionScopeProperties { scopes } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::reservation::{AppliedScopeProperties, AppliedScopeType};

    fn scope(subscription: &str, group: Option<&str>) -> Scope {
        Scope {
            applied_scope_type: AppliedScopeType::Single,
            applied_scope_properties: AppliedScopeProperties {
                subscription_id: Some(subscription.into()),
                resource_group_id: group.map(|g| format!("{subscription}/resourceGroups/{g}")),
                ..AppliedScopeProperties::default()
            },
        }
    }

    #[test]
    fn only_the_customers_own_scopes_are_valid_in_any_case() {
        let own = [scope("/subscriptions/s-1", None), scope("/subscriptions/s-1", Some("rg-web"))];
        let asked = ["/subscriptions/S-1", "/subscriptions/s-1/resourceGroups/rg-web/", "/subscriptions/s-1/resourceGroups/rg-other", "/subscriptions/s-2"].map(String::from);
        let answer = available(&asked, &own);
        let valid: Vec<bool> = answer.properties.scopes.iter().map(|s| s.valid).collect();
        assert_eq!(valid, [true, true, false, false]);
        assert_eq!(answer.properties.scopes[0].scope, "/subscriptions/S-1", "the scope as given");
    }
}
