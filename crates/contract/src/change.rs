//! A reservation's History rows ([`Revision`]) and what a change did, as figures: the typed twin
//! of an audit entry's or a History row's English `change` line, so the console writes each row in the user's language (the kind of move, the
//! units, the quantities before and after, the amounts as money in the user's locale).
//!
//! The English line stays (API users read it, the audit chain hashes it); this detail sits
//! beside it, absent from entries written before the desk wrote it (they read, and hash, as
//! they were written). IDs and resource paths are not part of it: the entry's `target` and the
//! reservation carry them.

use quote_engine::{Money, Term};
use serde::{Deserialize, Serialize};

use crate::access_control::ReservationRole;
use crate::approval::{ApprovalKind, ApprovalPerson};
use crate::reservation::AppliedScopeType;
use crate::source::ConsentState;
use crate::user::PartnerRole;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One revision of a reservation: what it was after a change (newest first in a list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// 1 for the reservation as it was before its first recorded change (or as a split or merge
    /// created it), then one more per change.
    pub revision: u32,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who (user principal name), as in the audit log.
    pub actor: String,
    /// `created`, `changeReservation`, `split`, `merge`, `archive`, `unarchive`; `refund` and
    /// `exchange` for a money move that returned units of it (its `revision` is the
    /// configuration's in force then: a money move is not a revision of the configuration).
    pub action: String,
    /// What changed, in one line.
    pub change: String,
    /// The reservation after the change (utilization aggregates zero: a revision keeps
    /// configuration, not usage).
    pub reservation: crate::reservation::Reservation,
    /// The partner's change or ticket reference a refund or an exchange was made under
    /// (`action` `refund` or `exchange`); absent otherwise, or when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
    /// What `change` says, as figures, for the console to write in the user's language. Absent
    /// from revisions an older desk wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<ChangeDetail>,
}

/// What one change did, by kind (`kind` names it on the wire).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ChangeDetail {
    /// Units of one reservation returned for a refund.
    #[serde(rename_all = "camelCase")]
    Refund {
        /// The reservation's units before and after.
        units: UnitsMoved,
        /// What the customer gets back (through Azure: what Azure refunded).
        refund: Money,
        /// Who asked and who approved, when it waited for approval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approval: Option<Approvers>,
        /// The lines the customer's statement reads, as they were when the money moved (names,
        /// SKUs, units, Microsoft's figures, the partner's price in force), so a month reads the
        /// same whatever changes later. Absent from moves recorded before the desk kept them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        statement: Vec<crate::Move>,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// Reservations returned in an exchange for what it bought (a trade-in's savings plans too).
    /// On a reservation's History row, `returned` holds that reservation's line only.
    #[serde(rename_all = "camelCase")]
    Exchange {
        /// Each returned reservation's units before and after.
        returned: Vec<UnitsMoved>,
        /// What the customer pays (negative: gets back) for the whole exchange.
        net_payable: Money,
        /// The reservations bought.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bought: Vec<Bought>,
        /// The savings plans bought (a trade-in).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        savings_plans: Vec<BoughtSavingsPlan>,
        /// Every reservation order it returned units of or bought: what Microsoft's invoice files
        /// its lines under. Absent from exchanges recorded before the desk kept them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        orders: Vec<String>,
        /// What the returns credited, in all (through Azure: Azure's figure). Absent from
        /// exchanges recorded before the desk kept it: their statement line is the net alone.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refunds_total: Option<Money>,
        /// What the purchases cost, in all (through Azure: Azure's figure).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purchases_total: Option<Money>,
        /// Who asked and who approved, when it waited for approval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approval: Option<Approvers>,
        /// The lines the customer's statement reads, as they were when the money moved (names,
        /// SKUs, units, Microsoft's figures, the partner's price in force), so a month reads the
        /// same whatever changes later. Absent from moves recorded before the desk kept them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        statement: Vec<crate::Move>,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// A reservation bought (and, on History, the reservation as it was bought).
    #[serde(rename_all = "camelCase")]
    Purchase {
        /// What was bought.
        bought: Bought,
        /// Its commitment over the term, when the desk bought it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        commitment: Option<Money>,
        /// What is due on the day of purchase, when the desk bought it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_today: Option<Money>,
        /// Who asked and who approved, when it waited for approval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        approval: Option<Approvers>,
        /// The lines the customer's statement reads, as they were when the money moved (names,
        /// SKUs, units, Microsoft's figures, the partner's price in force), so a month reads the
        /// same whatever changes later. Absent from moves recorded before the desk kept them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        statement: Vec<crate::Move>,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// A reservation as it was before its first recorded change (History's first row).
    Before,
    /// A reservation's name, scope or automatic renewal changed.
    #[serde(rename_all = "camelCase")]
    Configuration {
        /// Each setting changed, before → after.
        changes: Vec<SettingChange>,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// A reservation split into parts.
    #[serde(rename_all = "camelCase")]
    Split {
        /// Its units before the split.
        quantity: u32,
        /// Each part's units.
        parts: Vec<u32>,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// A part a split created (History's first row of the part).
    #[serde(rename_all = "camelCase")]
    SplitFrom {
        /// The part's units.
        quantity: u32,
        /// The split reservation's units before the split.
        of: u32,
    },
    /// Reservations merged into one.
    #[serde(rename_all = "camelCase")]
    Merge {
        /// How many were merged.
        sources: u32,
        /// The merged reservation's units.
        quantity: u32,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// A finished reservation archived (`archived`) or shown again.
    #[serde(rename_all = "camelCase")]
    Archive {
        /// Archived, or shown again.
        archived: bool,
        /// Made in Azure, as Azure confirmed it.
        #[serde(default, skip_serializing_if = "is_false")]
        through_azure: bool,
    },
    /// A role assigned on a reservation order.
    #[serde(rename_all = "camelCase")]
    RoleAssigned {
        /// Who gets it.
        principal_name: String,
        /// The role.
        role: ReservationRole,
    },
    /// A role assignment removed.
    RoleRemoved,
    /// A support request created.
    #[serde(rename_all = "camelCase")]
    SupportRequest {
        /// Its summary, as the user wrote it.
        summary: String,
    },
    /// A refund, exchange or purchase above the threshold waits for another user's approval.
    #[serde(rename_all = "camelCase")]
    ApprovalRequested {
        /// What waits.
        of: ApprovalKind,
        /// The figure to approve.
        amount: Money,
        /// Who asked.
        requested_by: ApprovalPerson,
    },
    /// An approval request approved (and the move carried out).
    #[serde(rename_all = "camelCase")]
    ApprovalApproved {
        /// What was approved.
        of: ApprovalKind,
        /// The figure approved.
        amount: Money,
        /// Who asked.
        requested_by: ApprovalPerson,
        /// Who approved.
        approved_by: ApprovalPerson,
    },
    /// An approval request quoted again at another figure: it needs approval again.
    #[serde(rename_all = "camelCase")]
    ApprovalNeedsApprovalAgain {
        /// What waits.
        of: ApprovalKind,
        /// The figure first asked.
        previous: Money,
        /// The figure now.
        amount: Money,
        /// Who asked.
        requested_by: ApprovalPerson,
        /// Who quoted again.
        quoted_by: ApprovalPerson,
    },
    /// An approval request rejected.
    #[serde(rename_all = "camelCase")]
    ApprovalRejected {
        /// What was rejected.
        of: ApprovalKind,
        /// The figure asked.
        amount: Money,
        /// Who asked.
        requested_by: ApprovalPerson,
        /// Who rejected.
        rejected_by: ApprovalPerson,
        /// Why.
        reason: String,
    },
    /// A security group granted a role on customers (`granted`), or the grant removed.
    #[serde(rename_all = "camelCase")]
    Grant {
        /// Granted, or removed.
        granted: bool,
        /// The security group's ID.
        group_id: String,
        /// The role.
        role: PartnerRole,
        /// The customer's name, for a grant on one customer (absent: on every customer).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer_name: Option<String>,
    },
    /// The desk's API app consented in a customer's tenant through Partner Center, or not.
    #[serde(rename_all = "camelCase")]
    Consent {
        /// The customer whose tenant it is, by name.
        customer_name: String,
        /// How it ended.
        state: ConsentState,
        /// Partner Center's HTTP status, when it answered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Partner Center's error code, when it gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Partner Center's message, when it gave one (its own words).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// The team's state on a worklist row set.
    #[serde(rename_all = "camelCase")]
    WorkItemMarked {
        /// The row's reason.
        reason: crate::WorkReason,
        /// The reservation's name, for a row about one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reservation_name: Option<String>,
        /// The state set.
        state: crate::WorkState,
        /// Until when, for a snooze.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snoozed_until: Option<chrono::NaiveDate>,
        /// Who takes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        /// The note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The partner's price set for a customer (or for all customers).
    #[serde(rename_all = "camelCase")]
    PricingSet {
        /// For all customers (the default), rather than the entry's customer.
        #[serde(default, skip_serializing_if = "is_false")]
        all_customers: bool,
        /// The markup in percent.
        markup_percent: rust_decimal::Decimal,
        /// How many fixed prices it holds.
        #[serde(default, skip_serializing_if = "is_zero")]
        fixed_prices: u32,
    },
    /// A server started in Azure mode.
    #[serde(rename_all = "camelCase")]
    AzureModeStarted {
        /// A read-only pilot: Azure is read and quoted, and sent nothing that changes anything.
        read_only: bool,
    },
    /// The chain starts covering the refund ledger.
    #[serde(rename_all = "camelCase")]
    LedgerBaseline {
        /// The ledger's rows when it began.
        rows: u32,
    },
}

/// One reservation's units before and after a money move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnitsMoved {
    /// Its units before.
    pub quantity_before: u32,
    /// Its units after.
    pub quantity_after: u32,
}

impl UnitsMoved {
    /// The units returned.
    pub fn returned(&self) -> u32 {
        self.quantity_before.saturating_sub(self.quantity_after)
    }
}

/// A reservation bought: what, where, for how long, how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Bought {
    /// Units.
    pub quantity: u32,
    /// The SKU, e.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// The region, e.g. `westeurope`.
    pub location: String,
    /// The term.
    pub term: Term,
}

impl Bought {
    /// What buying `r` bought.
    pub fn of(r: &crate::Reservation) -> Self {
        Self { quantity: r.quantity, sku_name: r.sku_name.clone(), location: r.location.clone(), term: r.term }
    }
}

/// A savings plan bought in a trade-in: its hourly commitment and term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BoughtSavingsPlan {
    /// e.g. `Compute_Savings_Plan`.
    pub sku_name: String,
    /// The term.
    pub term: Term,
    /// What the customer commits to per hour.
    pub hourly_commitment: Money,
    /// A trade-in through Azure: the savings plan order Azure made (Microsoft.BillingBenefits'
    /// `savingsPlanOrderId`, bare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub savings_plan_order_id: Option<String>,
    /// A trade-in through Azure: the savings plan Azure made (its `savingsPlanId`, bare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub savings_plan_id: Option<String>,
}

impl BoughtSavingsPlan {
    /// What buying `p` bought.
    pub fn of(p: &crate::SavingsPlan) -> Self {
        Self {
            sku_name: p.sku_name.clone(),
            term: p.term,
            hourly_commitment: Money::new(p.commitment.amount, p.commitment.currency_code),
            savings_plan_order_id: None,
            savings_plan_id: None,
        }
    }

    /// What buying `p` bought, under the IDs Azure gave it (a trade-in through Azure).
    pub fn with_azure_ids(p: &crate::SavingsPlan) -> Self {
        Self { savings_plan_order_id: Some(p.savings_plan_order_id.clone()), savings_plan_id: Some(p.id.clone()), ..Self::of(p) }
    }
}

/// Who asked for a money move above the threshold, and who approved it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Approvers {
    /// Who asked.
    pub requested_by: ApprovalPerson,
    /// Who approved (and so carried it out).
    pub approved_by: ApprovalPerson,
}

/// One reservation setting changed, before → after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "setting", rename_all = "camelCase")]
pub enum SettingChange {
    /// Its name.
    Name {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// Where it applies.
    Scope {
        /// Before.
        from: ScopeWords,
        /// After.
        to: ScopeWords,
    },
    /// Automatic renewal.
    Renew {
        /// Before.
        from: bool,
        /// After.
        to: bool,
    },
}

/// A scope as a change names it: its kind and, for a Single or ManagementGroup scope, the
/// target's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScopeWords {
    /// Shared, Single or ManagementGroup.
    pub applied_scope_type: AppliedScopeType,
    /// The target's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::Currency;
    use rust_decimal::Decimal;

    #[test]
    fn a_refund_detail_is_tagged_by_kind_with_exact_money_and_reads_back() {
        let detail = ChangeDetail::Refund {
            units: UnitsMoved { quantity_before: 5, quantity_after: 3 },
            refund: Money::new(Decimal::new(657_575, 2), Currency::USD),
            approval: None,
            statement: Vec::new(),
            through_azure: false,
        };
        let json = serde_json::to_value(&detail).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "refund", "units": {"quantityBefore": 5, "quantityAfter": 3}, "refund": {"amount": "6575.75", "currencyCode": "USD"}})
        );
        assert_eq!(serde_json::from_value::<ChangeDetail>(json).unwrap(), detail);
    }
}
