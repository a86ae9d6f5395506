//! The audit log: every change and money movement, who made it and what changed.

use chrono::NaiveDate;
use quote_engine::Money;
use serde::{Deserialize, Serialize};

/// One audited change (`GET /api/audit`, newest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who (user principal name; for a user signed in through OpenID Connect, the token's
    /// `preferred_username`, else the user's ID).
    pub actor: String,
    /// The identity provider's ID of the actor (Entra ID `oid`, else `sub`); absent for demo users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// The actor's name as the identity provider gave it (`name`); with `actorId` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_name: Option<String>,
    /// What, e.g. `refund`, `exchange`, `changeReservation`, `addRoleAssignment`: the code of an
    /// [`AuditAction`] (a string on the wire, so an entry a newer desk wrote still reads).
    pub action: String,
    /// The resource, e.g. `reservationOrders/{id}/reservations/{id}`.
    pub target: String,
    /// The customer concerned, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// A one-line before → after, e.g. `quantity 4 → 3; refund USD 1,610.40`.
    pub change: String,
    /// The refund-ledger rows this entry added (a refund's one row; the ledger's rows when the
    /// chain began covering it, `action` `ledgerBaseline`): what the limit is computed from, so
    /// `verify` can check the ledger against the chain. Absent for every other entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ledger: Vec<AuditLedgerRow>,
    /// The partner's change or ticket reference the money move was made under (a refund's or an
    /// exchange's, or the approval request's), inside the hash chain. Absent when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_reference: Option<String>,
    /// What `change` says, as figures, for the console to write in the user's language. Absent
    /// from entries an older desk wrote (they keep reading and hashing as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<crate::change::ChangeDetail>,
}

/// What an audit entry records: every `action` code the desk writes, one per kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A refund carried out.
    Refund,
    /// An exchange carried out (returns and purchases, a trade-in's savings plans too).
    Exchange,
    /// A reservation bought for a customer (never counted toward the refund limit).
    Purchase,
    /// A reservation's configuration changed (name, scope, automatic renewal).
    ChangeReservation,
    /// A role assigned on a reservation.
    AddRoleAssignment,
    /// A role assignment removed from a reservation.
    RemoveRoleAssignment,
    /// A support request created.
    CreateSupportRequest,
    /// A reservation split into parts.
    SplitReservation,
    /// Reservations merged into one.
    MergeReservations,
    /// A finished reservation archived.
    ArchiveReservation,
    /// An archived reservation shown again.
    UnarchiveReservation,
    /// A refund or exchange above the threshold waits for another user's approval.
    ApprovalRequested,
    /// An approval request approved (and the move carried out).
    ApprovalApproved,
    /// An approval request quoted again at another amount: it needs approval again.
    ApprovalNeedsApprovalAgain,
    /// An approval request rejected.
    ApprovalRejected,
    /// A security group granted a role on customers.
    AddGrant,
    /// A grant removed.
    RemoveGrant,
    /// The chain starts covering the refund ledger: its rows when the entry was written.
    LedgerBaseline,
    /// A server started in Azure mode, read-only pilot or not.
    AzureModeStarted,
    /// The desk's API app consented in a customer's tenant through Partner Center, or the
    /// attempt refused: who asked, the tenant, and what Partner Center answered.
    ConsentApplication,
    /// The team's state on a worklist row set: open, snoozed until a day, or done, with its
    /// owner and note.
    MarkWorkItem,
    /// The partner's price for a customer, or the default for all, set.
    SetPricing,
}

impl AuditAction {
    /// Every action, in the order above.
    pub const ALL: [Self; 22] = [
        Self::Refund,
        Self::Exchange,
        Self::Purchase,
        Self::ChangeReservation,
        Self::AddRoleAssignment,
        Self::RemoveRoleAssignment,
        Self::CreateSupportRequest,
        Self::SplitReservation,
        Self::MergeReservations,
        Self::ArchiveReservation,
        Self::UnarchiveReservation,
        Self::ApprovalRequested,
        Self::ApprovalApproved,
        Self::ApprovalNeedsApprovalAgain,
        Self::ApprovalRejected,
        Self::AddGrant,
        Self::RemoveGrant,
        Self::LedgerBaseline,
        Self::AzureModeStarted,
        Self::ConsentApplication,
        Self::MarkWorkItem,
        Self::SetPricing,
    ];

    /// The code an entry's `action` holds.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Refund => "refund",
            Self::Exchange => "exchange",
            Self::Purchase => "purchase",
            Self::ChangeReservation => "changeReservation",
            Self::AddRoleAssignment => "addRoleAssignment",
            Self::RemoveRoleAssignment => "removeRoleAssignment",
            Self::CreateSupportRequest => "createSupportRequest",
            Self::SplitReservation => "splitReservation",
            Self::MergeReservations => "mergeReservations",
            Self::ArchiveReservation => "archiveReservation",
            Self::UnarchiveReservation => "unarchiveReservation",
            Self::ApprovalRequested => "approvalRequested",
            Self::ApprovalApproved => "approvalApproved",
            Self::ApprovalNeedsApprovalAgain => "approvalNeedsApprovalAgain",
            Self::ApprovalRejected => "approvalRejected",
            Self::AddGrant => "addGrant",
            Self::RemoveGrant => "removeGrant",
            Self::LedgerBaseline => "ledgerBaseline",
            Self::AzureModeStarted => "azureModeStarted",
            Self::ConsentApplication => "consentApplication",
            Self::MarkWorkItem => "markWorkItem",
            Self::SetPricing => "setPricing",
        }
    }

    /// The action an entry's `action` code names, if it is one of these.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One refund-ledger row as an audit entry records it: every column the limit is computed from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditLedgerRow {
    /// The customer whose limit it counts toward.
    pub customer_id: String,
    /// The day it counts from.
    pub date: NaiveDate,
    /// What counts toward the limit (exact decimal string).
    pub amount: Money,
    /// The reservation refunded.
    pub reservation_id: String,
    /// Its order.
    pub reservation_order_id: String,
}

/// Why the chain breaks at [`AuditVerification::first_broken`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ChainBreak {
    /// The stored hash is not the link of the hash before it and the entry's text, time and
    /// customer (edited, removed, moved, or re-hashed without the key).
    Hash,
    /// The time or customer columns (what lists and filters read) differ from the entry's text.
    Columns,
    /// An entry of the first format (text alone hashed) after an entry of a newer one, or a
    /// chain with no entry of the current format: only entries older than the format may use it.
    Format,
    /// The entry was hashed without the key although one is set (`AUDIT_HMAC_KEY`).
    Unkeyed,
    /// The entry was hashed with a key, and this server has none to check it with.
    KeyNeeded,
}

/// How the refund ledger disagrees with the chain's money entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum LedgerMismatchKind {
    /// The chain records the row; the ledger no longer has it (deleted).
    Missing,
    /// The ledger has a row no entry records (inserted).
    Extra,
    /// The ledger's row differs from what the chain records for that reservation and day.
    Edited,
}

/// One disagreement between the refund ledger and the audit chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LedgerMismatch {
    /// Which kind.
    pub kind: LedgerMismatchKind,
    /// The row as the chain records it (missing, edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<AuditLedgerRow>,
    /// The row as the ledger holds it (extra, edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored: Option<AuditLedgerRow>,
}

/// Whether the audit log's hash chain is intact (`GET /api/audit/verify`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditVerification {
    /// Every entry's hash matches its text, time, customer and the hash before it, and the refund
    /// ledger holds exactly the rows the chain records.
    pub intact: bool,
    /// How many entries the chain has.
    pub entries: u64,
    /// The last entry's hash (SHA-256 or, with `AUDIT_HMAC_KEY`, HMAC-SHA256; hex): note it
    /// elsewhere to notice later if entries were cut off at the end, which no chain can show by
    /// itself.
    pub head: String,
    /// The first entry (1 = the oldest) that breaks the chain, when it is broken
    /// ([`Self::broken_because`] says why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken: Option<u64>,
    /// Why that entry breaks the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_because: Option<ChainBreak>,
    /// Where the refund ledger and the chain disagree (empty when they agree).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ledger_mismatches: Vec<LedgerMismatch>,
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_action_reads_back_from_its_code_and_no_two_share_one() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
        }
        let mut codes: Vec<&str> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
        assert_eq!(AuditAction::from_code("before"), None, "a revision's action is not an audit entry's");
        // A revision's first action, "purchase" (the reservation as bought), says what the audit
        // entry of a purchase says: the same code, one meaning.
        assert_eq!(AuditAction::from_code("purchase"), Some(AuditAction::Purchase));
    }
}
