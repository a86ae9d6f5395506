//! The partner's GDAP relationships with a customer, decided once: which roles reach Azure,
//! whether a relationship is active, extends itself, when it ends, and which one matters.
//! Pure: "today" is the caller's.
//!
//! Which roles reach Azure. Microsoft's Partner Center documentation ("Introduction to granular
//! delegated admin privileges (GDAP)") says that under GDAP partners no longer reach customers'
//! Azure subscriptions through Admin agents by default: "partners who manage Azure are part of a
//! separate security group, which is a member of the Admin agent group. This group grants owner
//! role-based access control (RBAC) access on all Azure subscriptions for that customer" (the
//! admin-on-behalf-of path, AOBO). "Workloads supported by GDAP" adds an alternative without
//! the Admin agent group: any GDAP role (e.g. Directory Readers) *and* an Azure RBAC role given
//! to a partner security group in the customer's subscriptions, which a relationship's roles
//! alone do not show. So no Entra role in a relationship is itself an Azure right; the one the
//! desk counts is Global Administrator, which reaches everything the customer's tenant holds
//! (it can elevate itself to User Access Administrator over every subscription). Its template
//! ID is checked against Microsoft's "Microsoft Entra built-in roles" page
//! (`62e90394-69f5-4237-9190-012177145e10`). A relationship without it may still reach Azure
//! through the Admin agent group or the RBAC alternative; ARM's answer (a 403) tells the desk
//! when it does not.

use chrono::{DateTime, NaiveDate, Utc};
use contract::gdap::GdapRelationship;
use contract::source::GdapSummary;

/// The Microsoft Entra built-in roles (template ID, name) a GDAP relationship's
/// `accessDetails.unifiedRoles` must hold for the desk to count it as reaching Azure (see the
/// module's doc for why only these).
pub const ROLES_REACHING_AZURE: [(&str, &str); 1] = [("62e90394-69f5-4237-9190-012177145e10", "Global Administrator")];

/// How many days before its end a relationship that does not extend itself is warned about.
pub const ENDS_SOON_DAYS: u32 = 30;

/// Whether one of `relationship`'s roles reaches Azure.
pub fn reaches_azure(relationship: &GdapRelationship) -> bool {
    relationship.roles.iter().any(|role| ROLES_REACHING_AZURE.iter().any(|(id, _)| role.eq_ignore_ascii_case(id)))
}

/// Whether Graph says the relationship is active.
pub fn is_active(relationship: &GdapRelationship) -> bool {
    relationship.status.eq_ignore_ascii_case("active")
}

/// Whether it has ended: `expired` or `terminated` (a relationship being terminated,
/// `terminationRequested`, still gives its roles).
pub fn has_ended(relationship: &GdapRelationship) -> bool {
    relationship.status.eq_ignore_ascii_case("expired") || relationship.status.eq_ignore_ascii_case("terminated")
}

/// Whether it extends itself when it ends: an `autoExtendDuration` other than zero (`PT0S`,
/// `P0D`, Graph's "no auto-extension"). Absent: Graph's default, `PT0S`.
pub fn auto_extends(relationship: &GdapRelationship) -> bool {
    relationship.auto_extend_duration.as_deref().is_some_and(|d| {
        let d = d.trim();
        d.starts_with('P') && d.chars().any(|c| c.is_ascii_digit() && c != '0')
    })
}

/// The day (UTC) it ends or ended, when Graph gave a readable `endDateTime`.
pub fn end_date(relationship: &GdapRelationship) -> Option<NaiveDate> {
    let at = relationship.end_date_time.as_deref()?;
    DateTime::parse_from_rfc3339(at).ok().map(|t| t.with_timezone(&Utc).date_naive())
}

/// The relationship that matters among `relationships`: the active one reaching Azure that ends
/// last; else the active one that ends last; else the one that ended last; else the first.
pub fn shown(relationships: &[GdapRelationship]) -> Option<&GdapRelationship> {
    let last = |pick: &dyn Fn(&GdapRelationship) -> bool| {
        relationships.iter().filter(|r| pick(r)).max_by_key(|r| (end_date(r).unwrap_or(NaiveDate::MAX), r.id.clone()))
    };
    last(&|r| is_active(r) && reaches_azure(r))
        .or_else(|| last(&is_active))
        .or_else(|| relationships.iter().filter(|r| has_ended(r)).max_by_key(|r| (end_date(r), r.id.clone())))
        .or_else(|| relationships.first())
}

/// The summary the readiness table shows of `relationship`.
pub fn summary(relationship: &GdapRelationship) -> GdapSummary {
    GdapSummary {
        id: relationship.id.clone(),
        name: relationship.display_name.clone(),
        status: relationship.status.clone(),
        end_date: end_date(relationship),
        auto_extends: auto_extends(relationship),
        reaches_azure: reaches_azure(relationship),
    }
}

/// Where a customer's GDAP relationships leave its Azure rights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing<'a> {
    /// An active relationship reaches Azure: the one that ends last.
    Reaches(&'a GdapRelationship),
    /// None active reaches Azure, and one that did has ended.
    Ended,
    /// None reaches Azure, and none that did has ended (or there is none at all).
    NeverReached,
}

/// The standing `relationships` (as the last read of Graph listed them) leave.
pub fn standing(relationships: &[GdapRelationship]) -> Standing<'_> {
    match shown(relationships) {
        Some(r) if is_active(r) && reaches_azure(r) => Standing::Reaches(r),
        _ if relationships.iter().any(|r| has_ended(r) && reaches_azure(r)) => Standing::Ended,
        _ => Standing::NeverReached,
    }
}

/// Days from `today` to the end of `relationship` when it is active, reaches Azure, does not
/// extend itself and ends within [`ENDS_SOON_DAYS`] (its last day included: 0 is today).
pub fn ends_soon(relationship: &GdapRelationship, today: NaiveDate) -> Option<u32> {
    if !is_active(relationship) || !reaches_azure(relationship) || auto_extends(relationship) {
        return None;
    }
    let days = u32::try_from((end_date(relationship)? - today).num_days()).ok()?;
    (days <= ENDS_SOON_DAYS).then_some(days)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn relationship(id: &str, status: &str, end: Option<&str>, auto_extend: &str, roles: &[&str]) -> GdapRelationship {
        GdapRelationship {
            id: id.into(),
            display_name: format!("{id} relationship"),
            customer_tenant_id: "t".into(),
            status: status.into(),
            end_date_time: end.map(str::to_owned),
            duration: Some("P730D".into()),
            auto_extend_duration: Some(auto_extend.into()),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    pub(crate) const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
    /// Helpdesk Administrator (Microsoft Entra built-in roles): no Azure rights.
    pub(crate) const HELPDESK_ADMIN: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";

    #[test]
    fn a_relationship_reaches_azure_by_its_roles_and_extends_itself_by_its_duration() {
        let r = relationship("a", "active", Some("2027-01-10T11:24:42.3148266Z"), "P180D", &[HELPDESK_ADMIN, &GLOBAL_ADMIN.to_uppercase()]);
        assert!(reaches_azure(&r) && is_active(&r) && auto_extends(&r));
        assert_eq!(end_date(&r), NaiveDate::from_ymd_opt(2027, 1, 10));
        for none in ["PT0S", "P0D", "PT0.0S", ""] {
            assert!(!auto_extends(&GdapRelationship { auto_extend_duration: Some(none.into()), ..r.clone() }), "{none}");
        }
        assert!(!auto_extends(&GdapRelationship { auto_extend_duration: None, ..r.clone() }), "Graph's default is PT0S");
        assert!(!reaches_azure(&GdapRelationship { roles: vec![HELPDESK_ADMIN.into()], ..r.clone() }));
        assert_eq!(end_date(&GdapRelationship { end_date_time: Some("soon".into()), ..r }), None, "an unreadable end is no end");
    }

    #[test]
    fn the_relationship_shown_is_the_active_one_reaching_azure_that_ends_last() {
        let early = relationship("early", "active", Some("2027-01-01T00:00:00Z"), "PT0S", &[GLOBAL_ADMIN]);
        let late = relationship("late", "active", Some("2027-06-01T00:00:00Z"), "PT0S", &[GLOBAL_ADMIN]);
        let later_no_azure = relationship("other", "active", Some("2028-01-01T00:00:00Z"), "PT0S", &[HELPDESK_ADMIN]);
        let expired = relationship("old", "expired", Some("2026-01-01T00:00:00Z"), "PT0S", &[GLOBAL_ADMIN]);
        let all = [early.clone(), later_no_azure.clone(), late.clone(), expired.clone()];
        assert_eq!(shown(&all).map(|r| r.id.as_str()), Some("late"));
        assert_eq!(standing(&all), Standing::Reaches(&late));
        assert_eq!(shown(&[expired.clone(), later_no_azure.clone()]).map(|r| r.id.as_str()), Some("other"), "an active one before an ended one");
        assert_eq!(standing(&[expired.clone(), later_no_azure.clone()]), Standing::Ended);
        assert_eq!(standing(&[later_no_azure]), Standing::NeverReached);
        assert_eq!(standing(&[]), Standing::NeverReached);
        let pending = relationship("pending", "approvalPending", None, "PT0S", &[GLOBAL_ADMIN]);
        assert_eq!(shown(&[pending.clone(), expired.clone()]).map(|r| r.id.as_str()), Some("old"), "the ended one before one not yet active");
        assert_eq!(shown(std::slice::from_ref(&pending)).map(|r| r.id.as_str()), Some("pending"));
        assert_eq!(standing(&[pending]), Standing::NeverReached);
    }

    #[test]
    fn a_relationship_ends_soon_within_thirty_days_without_auto_extension() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let ending = |days: i64, auto: &str| {
            let end = (today + chrono::Duration::days(days)).and_hms_opt(10, 0, 0).unwrap().and_utc().to_rfc3339();
            relationship("r", "active", Some(&end), auto, &[GLOBAL_ADMIN])
        };
        assert_eq!(ends_soon(&ending(7, "PT0S"), today), Some(7));
        assert_eq!(ends_soon(&ending(30, "PT0S"), today), Some(30));
        assert_eq!(ends_soon(&ending(0, "PT0S"), today), Some(0));
        assert_eq!(ends_soon(&ending(31, "PT0S"), today), None);
        assert_eq!(ends_soon(&ending(-1, "PT0S"), today), None, "already past");
        assert_eq!(ends_soon(&ending(7, "P180D"), today), None, "it extends itself");
        assert_eq!(ends_soon(&GdapRelationship { roles: vec![HELPDESK_ADMIN.into()], ..ending(7, "PT0S") }, today), None, "no Azure rights to lose");
        assert_eq!(ends_soon(&GdapRelationship { status: "expired".into(), ..ending(7, "PT0S") }, today), None);
    }
}
