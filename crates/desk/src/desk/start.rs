//! What the desk records when a server starts: in Azure mode, whether it runs as a read-only
//! pilot or reads and changes the partner's Azure, as an entry of its own in the audit chain, so
//! the log says under which mode every later entry was written.

use chrono::{DateTime, Utc};
use contract::{AuditAction, AuditEntry, DataSource};

use super::{timestamp, Desk};
use crate::error::DeskError;
use crate::ids::Ids;

/// The `action` of the entry that records, at each start in Azure mode, how Azure mode runs.
pub const AZURE_MODE_STARTED: &str = AuditAction::AzureModeStarted.code();

impl<S: crate::DeskStore, I: Ids> Desk<S, I> {
    /// Records how Azure mode starts at `now` (nothing in local mode, whose store is the desk's
    /// own).
    pub async fn record_start(&self, now: DateTime<Utc>) -> Result<(), DeskError> {
        if self.settings.source != DataSource::Azure {
            return Ok(());
        }
        let change = if self.settings.azure_read_only {
            "read-only pilot: Azure is read and quoted, and sent nothing that changes anything"
        } else {
            "Azure is read, and changed on behalf of the signed-in user"
        };
        let entry = AuditEntry {
            time: timestamp(now),
            actor: "reservation-desk".into(),
            actor_id: None,
            actor_name: None,
            action: AZURE_MODE_STARTED.into(),
            target: "azureMode".into(),
            customer_id: None,
            change: change.into(),
            ledger: Vec::new(),
            ticket_reference: None,
            detail: Some(contract::ChangeDetail::AzureModeStarted { read_only: self.settings.azure_read_only }),
        };
        Ok(self.store.record_audit(now, &entry).await?)
    }
}
