//! `PATCH …/reservations/{id}` (`Patch` of 2022-11-01) read into the desk's `ReservationPatch`.
//! The rename field is `properties.name`. What the desk does not keep (instance flexibility,
//! renewal purchase properties, review date) is refused by name rather than silently dropped.

use contract::reservation::{AppliedScopeProperties, AppliedScopeType};
use contract::ReservationPatch;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ArmError;

/// `Patch` (read from a client of the desk's own surface; written to ARM in Azure mode).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Patch))]
pub struct ArmPatch {
    /// The properties to change.
    pub properties: PatchProperties,
}

/// `PatchProperties`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PatchProperties {
    /// `Single`, `Shared` or `ManagementGroup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_type: Option<AppliedScopeType>,
    /// The subscriptions of a `Single` scope (one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scopes: Option<Vec<String>>,
    /// The scope's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_scope_properties: Option<ArmScopeProperties>,
    /// The new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Automatic renewal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew: Option<bool>,
    /// Not kept by the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_flexibility: Option<Value>,
    /// Not kept by the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_properties: Option<Value>,
    /// Not kept by the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date_time: Option<Value>,
}

/// `AppliedScopeProperties` as ARM sends it (with `tenantId`, which the desk does not need:
/// the reservation's customer is the tenant).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ArmScopeProperties {
    /// Ignored: the customer's own tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// A management group's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_group_id: Option<String>,
    /// `/subscriptions/{id}`.
    #[serde(default)]
    pub subscription_id: Option<String>,
    /// `/subscriptions/{id}/resourceGroups/{name}`.
    #[serde(default)]
    pub resource_group_id: Option<String>,
    /// The scope's name.
    #[serde(default)]
    pub display_name: Option<String>,
}

impl ArmPatch {
    /// The desk's patch, or a 400 naming the field it cannot take.
    pub fn to_desk(&self) -> Result<ReservationPatch, ArmError> {
        let p = &self.properties;
        for (given, field) in [(&p.instance_flexibility, "instanceFlexibility"), (&p.renew_properties, "renewProperties"), (&p.review_date_time, "reviewDateTime")] {
            if given.as_ref().is_some_and(|v| !v.is_null()) {
                return Err(ArmError::malformed(format!("The desk does not change {field}; leave it out."), Some(&format!("properties.{field}"))));
            }
        }
        let scopes = p.applied_scopes.as_deref().unwrap_or_default();
        if scopes.len() > 1 {
            return Err(ArmError::malformed("A reservation here applies to one subscription at most; give one.", Some("properties.appliedScopes")));
        }
        let properties = match (&p.applied_scope_properties, scopes.first()) {
            (Some(a), _) => Some(AppliedScopeProperties {
                subscription_id: a.subscription_id.clone(),
                resource_group_id: a.resource_group_id.clone(),
                management_group_id: a.management_group_id.clone(),
                display_name: a.display_name.clone(),
            }),
            (None, Some(subscription)) => Some(AppliedScopeProperties { subscription_id: Some(subscription.clone()), ..AppliedScopeProperties::default() }),
            (None, None) => None,
        };
        Ok(ReservationPatch { display_name: p.name.clone(), applied_scope_type: p.applied_scope_type, applied_scope_properties: properties, renew: p.renew })
    }
}

impl ArmPatch {
    /// ARM's `Patch` for the desk's `patch` of a reservation in `tenant_id` (Azure mode): the
    /// name as `properties.name`, a `Single` scope's subscription also in `appliedScopes` (as
    /// older answers name it), a management group's tenant as ARM asks for it.
    pub fn from_desk(patch: &ReservationPatch, tenant_id: &str) -> Self {
        let single = patch.applied_scope_properties.as_ref().and_then(|p| p.subscription_id.clone()).filter(|_| {
            patch.applied_scope_type == Some(AppliedScopeType::Single)
                && patch.applied_scope_properties.as_ref().is_some_and(|p| p.resource_group_id.is_none())
        });
        let properties = patch.applied_scope_properties.as_ref().map(|p| ArmScopeProperties {
            tenant_id: p.management_group_id.as_ref().map(|_| tenant_id.to_owned()),
            management_group_id: p.management_group_id.clone(),
            subscription_id: p.subscription_id.clone(),
            resource_group_id: p.resource_group_id.clone(),
            display_name: p.display_name.clone(),
        });
        ArmPatch {
            properties: PatchProperties {
                applied_scope_type: patch.applied_scope_type,
                applied_scopes: single.map(|s| vec![s]),
                applied_scope_properties: properties,
                name: patch.display_name.clone(),
                renew: patch.renew,
                ..PatchProperties::default()
            },
        }
    }
}

/// A desk refusal of a patch with its field named as ARM's body names it: the desk's
/// `displayName` is `properties.name`, the other fields sit under `properties.` by their own names.
pub fn within_patch(e: ArmError) -> ArmError {
    let mut e = e.within_properties();
    if e.body.error.target.as_deref() == Some("properties.displayName") {
        e.body.error.target = Some("properties.name".to_owned());
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: Value) -> Result<ReservationPatch, ArmError> {
        serde_json::from_value::<ArmPatch>(body).unwrap().to_desk()
    }

    #[test]
    fn name_renew_and_scope_become_the_desks_patch() {
        let patch = read(json!({"properties": {"name": "web-prod", "renew": true}})).unwrap();
        assert_eq!(patch, ReservationPatch { display_name: Some("web-prod".into()), renew: Some(true), ..ReservationPatch::default() });
        let patch = read(json!({"properties": {"appliedScopeType": "Single", "appliedScopes": ["/subscriptions/s-1"]}})).unwrap();
        assert_eq!(patch.applied_scope_type, Some(AppliedScopeType::Single));
        assert_eq!(patch.applied_scope_properties.unwrap().subscription_id.as_deref(), Some("/subscriptions/s-1"));
        let patch = read(json!({"properties": {"appliedScopeType": "ManagementGroup", "appliedScopeProperties": {"tenantId": "t", "managementGroupId": "/providers/Microsoft.Management/managementGroups/mg"}}})).unwrap();
        assert_eq!(patch.applied_scope_properties.unwrap().management_group_id.as_deref(), Some("/providers/Microsoft.Management/managementGroups/mg"));
    }

    #[test]
    fn the_desks_patch_is_written_as_arm_reads_it_and_reads_back_the_same() {
        let patch = read(json!({"properties": {"name": "web", "renew": false, "appliedScopeType": "Single", "appliedScopes": ["/subscriptions/s-1"]}})).unwrap();
        let arm = serde_json::to_value(ArmPatch::from_desk(&patch, "t-1")).unwrap();
        assert_eq!(arm["properties"]["appliedScopes"], json!(["/subscriptions/s-1"]));
        assert_eq!(arm["properties"]["name"], "web");
        assert!(arm["properties"].get("instanceFlexibility").is_none(), "what is not changed is left out: {arm}");
        assert_eq!(read(arm).unwrap(), patch);
        let shared = serde_json::to_value(ArmPatch::from_desk(&ReservationPatch { applied_scope_type: Some(AppliedScopeType::Shared), ..Default::default() }, "t-1")).unwrap();
        assert_eq!(shared, json!({"properties": {"appliedScopeType": "Shared"}}));
    }

    #[test]
    fn what_the_desk_does_not_keep_is_refused_by_name() {
        let e = read(json!({"properties": {"instanceFlexibility": "Off"}})).unwrap_err();
        assert_eq!((e.status, e.body.error.target.as_deref()), (400, Some("properties.instanceFlexibility")));
        let e = read(json!({"properties": {"appliedScopes": ["/subscriptions/a", "/subscriptions/b"]}})).unwrap_err();
        assert_eq!(e.body.error.target.as_deref(), Some("properties.appliedScopes"));
        assert!(read(json!({"properties": {"renewProperties": null}})).is_ok(), "a null is as good as left out");
    }
}
