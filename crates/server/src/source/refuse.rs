//! What Azure mode refuses. A read-only pilot (`--azure-read-only true`) sends Azure nothing
//! that changes anything: every operation that would (`desk_service::access::read_only_pilot_refuses`
//! of its permission) is refused with `readOnlyPilot`. Every other change Azure would have to
//! make is made through it (`changes.rs`, `access.rs`, the port in `upstream.rs`); were one not,
//! it would be refused with `azureChangesNotYetSupported` here rather than done in the desk's
//! cache only — today none is. Quotes, the desk's own records (support requests, grants) and
//! every read answer as in local mode.

use contract::{DataSource, Problem, ProblemCode, Settings};
use desk::Operation;

/// Changes Azure mode cannot make through Azure yet (refused rather than made in the cache).
const NOT_THROUGH_AZURE: [Operation; 0] = [];

/// The problem that refuses `op` in a deployment set up as `settings`, if it is refused.
pub fn refusal(settings: &Settings, op: Operation) -> Option<Problem> {
    if settings.source != DataSource::Azure {
        return None;
    }
    if settings.azure_read_only && desk_service::access::read_only_pilot_refuses(op.permission()) {
        return Some(Problem::new(
            ProblemCode::ReadOnlyPilot,
            "This desk is a read-only pilot of Azure mode: it reads and quotes the partner's Azure and sends it nothing that \
             changes anything. Make the change in the Azure portal or Partner Center, or start the desk without \
             --azure-read-only.",
            None,
        ));
    }
    // The operations Azure mode does not make through Azure yet: none.
    let refused = NOT_THROUGH_AZURE.contains(&op);
    refused.then(|| {
        Problem::new(
            ProblemCode::AzureChangesNotYetSupported,
            "This desk reads the partner's Azure and does not yet make changes through it; make the change in the Azure portal \
             or Partner Center, then refresh.",
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_mode_refuses_no_change_as_not_yet_supported_and_local_mode_nothing() {
        let local = Settings::default();
        let azure = Settings { source: DataSource::Azure, ..Settings::default() };
        for op in Operation::ALL {
            assert_eq!(refusal(&local, op), None, "{op:?}");
            assert_eq!(refusal(&azure, op), None, "{op:?}: Azure mode makes it through Azure");
        }
        for op in [Operation::AddRoleAssignment, Operation::RemoveRoleAssignment, Operation::ListRoleAssignments, Operation::ListCustomers, Operation::CalculateRefund, Operation::Return, Operation::CalculateExchange, Operation::Exchange, Operation::ApproveApproval, Operation::CreateSupportRequest, Operation::GetSettings] {
            assert_eq!(refusal(&azure, op), None, "{op:?}");
        }
    }

    #[test]
    fn a_read_only_pilot_refuses_every_change_and_keeps_reads_quotes_and_the_desks_own_records() {
        use Operation::*;
        let pilot = Settings { source: DataSource::Azure, azure_read_only: true, ..Settings::default() };
        let changes = [
            ChangeReservation, SplitReservation, MergeReservations, ArchiveReservation, UnarchiveReservation, Return, Exchange,
            ApproveApproval, AddRoleAssignment, RemoveRoleAssignment,
        ];
        for op in changes {
            let problem = refusal(&pilot, op).unwrap_or_else(|| panic!("{op:?} is not refused"));
            assert_eq!((problem.status, problem.code), (409, ProblemCode::ReadOnlyPilot), "{op:?}");
        }
        let kept = [
            Me, GetSettings, ListCustomers, GetCustomer, ListReservations, GetReservation, GetRefundLimit, CalculateRefund,
            CalculateExchange, QuoteRefund, QuoteExchange, Catalog, ListAudit, ListApprovals, CreateSupportRequest, ListGrants,
            CreateGrant, DeleteGrant, ListAlerts, SetAlertSubscription,
        ];
        for op in kept {
            assert_eq!(refusal(&pilot, op), None, "{op:?}");
        }
        let local_with_flag = Settings { azure_read_only: true, ..Settings::default() };
        assert_eq!(refusal(&local_with_flag, Return), None, "the pilot is a mode of Azure mode only");
    }
}
