//! Applying a reservation patch: the scope must be one of the customer's own.

use chrono::NaiveDate;
use contract::{AppliedScopeProperties, AppliedScopeType, ProvisioningState, Reservation, ReservationPatch, Scope};
use quote_engine::{check_vm_purchase, vm_retirement, PurchaseKind, RetiredSeries};

use crate::error::ServiceError;
use crate::catalog::VM_FAMILY;
use contract::ProblemCode;

/// The longest display name accepted.
pub const MAX_DISPLAY_NAME: usize = 64;

/// A reservation's display name as every write keeps it (a rename through `/api` or the Azure
/// PATCH, an exchange's purchase on either surface): trimmed, 1 to [`MAX_DISPLAY_NAME`]
/// characters, and no control character ([`is_control_character`]) inside. `field` is the
/// request field blamed. The page checks the same rule as the user types.
pub fn display_name(name: &str, field: &str) -> Result<String, ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_DISPLAY_NAME {
        let code = if name.is_empty() { ProblemCode::Required } else { ProblemCode::TooLong };
        return Err(ServiceError::invalid(code, field, format!("The display name must be 1 to {MAX_DISPLAY_NAME} characters.")));
    }
    if let Some(c) = name.chars().find(|&c| is_control_character(c)) {
        return Err(ServiceError::invalid(
            ProblemCode::ControlCharacter,
            field,
            format!("The display name must be one line of plain text; it holds the control character U+{:04X}.", u32::from(c)),
        ));
    }
    Ok(name.to_owned())
}

/// A character no one-line name holds: Unicode's control characters (C0, DEL and C1: a tab, a
/// line break, an escape…) and the bidirectional embeddings, overrides and isolates, which make
/// a name read differently from what it is (U+202A–U+202E, U+2066–U+2069).
pub fn is_control_character(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The day `reservation` would renew, seen on `today`: a renewal is a new purchase of the same
/// SKU and term on the day the reservation expires (today, for one past its expiry).
pub fn renewal_day(reservation: &Reservation, today: NaiveDate) -> NaiveDate {
    reservation.expiry_date.max(today)
}

/// The retirement that keeps `reservation` from renewing (its VM series × term is retired on the
/// day it would renew, [`renewal_day`]), if any: automatic renewal cannot be turned on. The
/// Configuration panel disables the switch with it; [`apply_patch`] refuses with it.
pub fn renewal_retirement(reservation: &Reservation, today: NaiveDate) -> Option<&'static RetiredSeries> {
    if reservation.reserved_resource_type != VM_FAMILY {
        return None;
    }
    vm_retirement(&reservation.sku_name, reservation.term, renewal_day(reservation, today))
}

/// `reservation` with `patch` applied on `today`, or why not. `scopes` are the customer's own; a
/// target that is not among them is refused (404 semantics would leak other customers' IDs, so
/// the answer is a 400 naming the field). Turning renewal on for a reservation whose VM series
/// cannot be renewed for its term ([`renewal_retirement`]) is a 409 `renewalRetired` naming the
/// SKU and the rule; turning it off, or leaving it on, is always allowed.
pub fn apply_patch(
    reservation: &Reservation,
    patch: &ReservationPatch,
    scopes: &[Scope],
    today: NaiveDate,
) -> Result<Reservation, ServiceError> {
    if reservation.provisioning_state != ProvisioningState::Succeeded {
        return Err(ServiceError::new(ProblemCode::NotActive, format!(
            "Reservation {} is {:?}; only an active reservation can be changed.",
            reservation.id, reservation.provisioning_state
        )));
    }
    let mut changed = reservation.clone();
    if let Some(name) = &patch.display_name {
        changed.display_name = display_name(name, "displayName")?;
    }
    if let Some(renew) = patch.renew {
        if renew && !reservation.renew {
            check_renewal(reservation, today)?;
        }
        changed.renew = renew;
    }
    if patch.applied_scope_type.is_some() || patch.applied_scope_properties.is_some() {
        let kind = patch
            .applied_scope_type
            .ok_or_else(|| ServiceError::invalid(ProblemCode::Required, "appliedScopeType", "Give the scope type with the scope."))?;
        let (kind, target) = resolve_scope(kind, patch.applied_scope_properties.as_ref(), scopes, "")?;
        changed.applied_scope_type = kind;
        changed.applied_scope_properties = target;
    }
    Ok(changed)
}

/// Whether automatic renewal may be turned on for `reservation` on `today`: a 409
/// `renewalRetired` (field `renew`) with the engine's sentence naming the SKU and the rule when
/// its series × term is retired on the day it would renew.
pub fn check_renewal(reservation: &Reservation, today: NaiveDate) -> Result<(), ServiceError> {
    if reservation.reserved_resource_type != VM_FAMILY {
        return Ok(());
    }
    let day = renewal_day(reservation, today);
    check_vm_purchase(&reservation.sku_name, reservation.term, day, PurchaseKind::Renewal).map_err(|refusal| {
        ServiceError::invalid(
            ProblemCode::RenewalRetired,
            "renew",
            format!("Automatic renewal cannot be turned on (the reservation would renew on {day}): {}", refusal.message),
        )
    })
}

/// The audit line for a change from `before` to `after` ("name a → b; renew true → false"),
/// or `None` when nothing changed. Both backends write it.
pub fn describe_change(before: &Reservation, after: &Reservation) -> Option<String> {
    let scope = |r: &Reservation| {
        let name = r.applied_scope_properties.as_ref().and_then(|p| p.display_name.clone()).unwrap_or_default();
        format!("{:?} {name}", r.applied_scope_type).trim().to_owned()
    };
    let mut parts = Vec::new();
    if before.display_name != after.display_name {
        parts.push(format!("name {} → {}", before.display_name, after.display_name));
    }
    if scope(before) != scope(after) || before.applied_scope_properties != after.applied_scope_properties {
        parts.push(format!("scope {} → {}", scope(before), scope(after)));
    }
    if before.renew != after.renew {
        parts.push(format!("renew {} → {}", before.renew, after.renew));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// What `describe_change` says, setting by setting: each of name, scope and automatic renewal
/// that differs between `before` and `after` (empty when none does).
pub fn setting_changes(before: &Reservation, after: &Reservation) -> Vec<contract::SettingChange> {
    let scope = |r: &Reservation| contract::ScopeWords {
        applied_scope_type: r.applied_scope_type,
        display_name: r.applied_scope_properties.as_ref().and_then(|p| p.display_name.clone()).filter(|n| !n.is_empty()),
    };
    let mut changes = Vec::new();
    if before.display_name != after.display_name {
        changes.push(contract::SettingChange::Name { from: before.display_name.clone(), to: after.display_name.clone() });
    }
    if scope(before) != scope(after) || before.applied_scope_properties != after.applied_scope_properties {
        changes.push(contract::SettingChange::Scope { from: scope(before), to: scope(after) });
    }
    if before.renew != after.renew {
        changes.push(contract::SettingChange::Renew { from: before.renew, to: after.renew });
    }
    changes
}

/// A requested scope checked against the customer's own: Shared takes no target; Single and
/// ManagementGroup take one of `scopes` (its stored name wins). `prefix` is prepended to the
/// blamed field (e.g. `reservationsToPurchase[0].`).
pub fn resolve_scope(
    kind: AppliedScopeType,
    target: Option<&AppliedScopeProperties>,
    scopes: &[Scope],
    prefix: &str,
) -> Result<(AppliedScopeType, Option<AppliedScopeProperties>), ServiceError> {
    let field = format!("{prefix}appliedScopeProperties");
    match (kind, target) {
        (AppliedScopeType::Shared, Some(_)) => Err(ServiceError::invalid(
            ProblemCode::ScopeInvalid,
            &field,
            "A shared scope applies to every subscription: leave the scope target out.",
        )),
        (AppliedScopeType::Shared, None) => Ok((AppliedScopeType::Shared, None)),
        (kind, None) => Err(ServiceError::invalid(
            ProblemCode::ScopeInvalid,
            &field,
            format!("A {kind:?} scope needs its target (subscription, resource group or management group)."),
        )),
        (kind, Some(target)) => scopes
            .iter()
            .find(|s| {
                s.applied_scope_type == kind
                    && s.applied_scope_properties.subscription_id == target.subscription_id
                    && s.applied_scope_properties.resource_group_id == target.resource_group_id
                    && s.applied_scope_properties.management_group_id == target.management_group_id
            })
            .map(|own| (kind, Some(own.applied_scope_properties.clone())))
            .ok_or_else(|| {
                ServiceError::invalid(
                    ProblemCode::ScopeInvalid,
                    &field,
                    "The scope must be one of this customer's own subscriptions, resource groups or management groups.",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use chrono::NaiveDate;

    #[test]
    fn a_display_name_is_trimmed_one_to_64_characters_and_one_line_of_plain_text() {
        assert_eq!(display_name("  web tier  ", "f"), Ok("web tier".to_owned()));
        assert_eq!(display_name(&"é".repeat(64), "f").map(|n| n.chars().count()), Ok(64), "characters, not bytes");
        // A formula is a name like any other: the CSV neutralises it where it could run.
        assert_eq!(display_name("=HYPERLINK(\"http://x\")", "f").map(|n| n.len()), Ok(22));
        let refused = |name: &str| display_name(name, "reservationsToPurchase[0].displayName").unwrap_err();
        assert_eq!(refused("   ").code(), ProblemCode::Required);
        assert_eq!(refused(&"x".repeat(65)).code(), ProblemCode::TooLong);
        for name in ["web\ttier", "web\r\ntier", "a\u{1b}[31mred", "del\u{7f}", "c1\u{85}x", "abc\u{202e}cod.exe", "x\u{2066}y"] {
            let e = refused(name);
            assert_eq!((e.code(), e.field()), (ProblemCode::ControlCharacter, Some("reservationsToPurchase[0].displayName")), "{name:?}");
        }
        assert!(!is_control_character(' ') && !is_control_character('ü') && !is_control_character('中'));
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn setup() -> (Reservation, Vec<Scope>, Vec<Scope>) {
        let data = demo_data(today());
        let r = data
            .reservations
            .iter()
            .map(|s| s.reservation.clone())
            .find(|r| r.provisioning_state == ProvisioningState::Succeeded)
            .unwrap();
        let to_scope = |s: &crate::seed::CustomerScope| Scope {
            applied_scope_type: s.scope_type,
            applied_scope_properties: s.properties.clone(),
        };
        let own = data.scopes.iter().filter(|s| s.customer_id == r.customer_id).map(to_scope).collect();
        let other = data.scopes.iter().filter(|s| s.customer_id != r.customer_id).map(to_scope).collect();
        (r, own, other)
    }

    #[test]
    fn a_scope_of_the_customer_is_applied_with_its_name() {
        let (r, own, _) = setup();
        let target = own.iter().find(|s| s.applied_scope_properties.resource_group_id.is_some()).unwrap();
        let mut props = target.applied_scope_properties.clone();
        props.display_name = Some("ignored: the stored name wins".into());
        let patch = ReservationPatch {
            applied_scope_type: Some(AppliedScopeType::Single),
            applied_scope_properties: Some(props),
            ..ReservationPatch::default()
        };
        let changed = apply_patch(&r, &patch, &own, today()).unwrap();
        assert_eq!(changed.applied_scope_properties.as_ref(), Some(&target.applied_scope_properties));
    }

    #[test]
    fn another_customers_subscription_is_refused() {
        let (r, own, other) = setup();
        let patch = ReservationPatch {
            applied_scope_type: Some(AppliedScopeType::Single),
            applied_scope_properties: Some(other[0].applied_scope_properties.clone()),
            ..ReservationPatch::default()
        };
        let err = apply_patch(&r, &patch, &own, today()).unwrap_err();
        assert_eq!(err.field(), Some("appliedScopeProperties"));
    }

    #[test]
    fn shared_clears_the_target_and_names_are_checked() {
        let (r, own, _) = setup();
        let shared = ReservationPatch { applied_scope_type: Some(AppliedScopeType::Shared), ..Default::default() };
        let changed = apply_patch(&r, &shared, &own, today()).unwrap();
        assert_eq!(changed.applied_scope_type, AppliedScopeType::Shared);
        assert!(changed.applied_scope_properties.is_none());
        let blank = ReservationPatch { display_name: Some("   ".into()), ..Default::default() };
        assert_eq!(apply_patch(&r, &blank, &own, today()).unwrap_err().field(), Some("displayName"));
        let long = ReservationPatch { display_name: Some("x".repeat(65)), ..Default::default() };
        assert!(apply_patch(&r, &long, &own, today()).is_err());
        let tab = ReservationPatch { display_name: Some("web\ttier".into()), ..Default::default() };
        assert_eq!(apply_patch(&r, &tab, &own, today()).unwrap_err().code(), ProblemCode::ControlCharacter);
        let renamed = ReservationPatch { display_name: Some("  web tier  ".into()), renew: Some(false), ..Default::default() };
        let changed = apply_patch(&r, &renamed, &own, today()).unwrap();
        assert_eq!(changed.display_name, "web tier");
        assert!(!changed.renew);
    }

    /// A VM reservation of `sku` for `term`, expiring on `expiry`, renewal off.
    fn vm(sku: &str, term: quote_engine::Term, expiry: NaiveDate) -> Reservation {
        let (mut r, _, _) = setup();
        (r.sku_name, r.reserved_resource_type, r.term, r.expiry_date, r.renew) = (sku.into(), "VirtualMachines".into(), term, expiry, false);
        r
    }

    #[test]
    fn renewal_cannot_be_turned_on_for_a_retired_series_and_term_on_the_day_it_would_renew() {
        use quote_engine::Term;
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let on = ReservationPatch { renew: Some(true), ..Default::default() };
        let (_, own, _) = setup();
        // Fsv2, 1 year: retired from 2026-07-01. Asked in March, the renewal day decides.
        let before = vm("Standard_F16s_v2", Term::P1Y, day(6, 30));
        assert!(apply_patch(&before, &on, &own, day(3, 2)).unwrap().renew, "renews on 30 June: allowed");
        let after = vm("Standard_F16s_v2", Term::P1Y, day(7, 1));
        let err = apply_patch(&after, &on, &own, day(3, 2)).unwrap_err();
        assert_eq!((err.code(), err.field(), err.status()), (ProblemCode::RenewalRetired, Some("renew"), 409));
        let detail = contract::Problem::from(err).detail;
        assert!(detail.contains("Standard_F16s_v2") && detail.contains("Fsv2") && detail.contains("2026-07-01"), "{detail}");
        assert_eq!(renewal_retirement(&after, day(3, 2)).map(|r| r.series), Some("Fsv2"));
        // Past its expiry, the renewal would be today.
        assert!(apply_patch(&before, &on, &own, day(7, 1)).is_err());
        // Off is always allowed; on, when already on, is no change (a rename still saves).
        let off = ReservationPatch { renew: Some(false), ..Default::default() };
        assert!(!apply_patch(&after, &off, &own, day(3, 2)).unwrap().renew);
        let already = Reservation { renew: true, ..after.clone() };
        assert!(apply_patch(&already, &on, &own, day(3, 2)).unwrap().renew);
        assert!(!apply_patch(&already, &off, &own, day(3, 2)).unwrap().renew);
        // Neighbours: Fsv2 for 3 years, Dsv5, and another family with a VM-like name renew.
        assert!(apply_patch(&vm("Standard_F16s_v2", Term::P3Y, day(7, 1)), &on, &own, day(8, 1)).is_ok());
        assert!(apply_patch(&vm("Standard_D2s_v5", Term::P1Y, day(7, 1)), &on, &own, day(8, 1)).is_ok());
        let sql = Reservation { reserved_resource_type: "SqlDatabases".into(), ..after.clone() };
        assert!(apply_patch(&sql, &on, &own, day(8, 1)).is_ok());
        // Dsv3: both terms retired.
        assert_eq!(apply_patch(&vm("Standard_D2s_v3", Term::P3Y, day(7, 1)), &on, &own, day(3, 2)).unwrap_err().code(), ProblemCode::RenewalRetired);
    }
}
