//! What Azure mode does not do yet: a change that Azure would have to make (a role assignment)
//! is refused
//! with `azureChangesNotYetSupported` rather than done in the desk's cache only. Quotes, the
//! desk's own records (support requests, grants) and every read answer as in local mode.

use contract::{DataSource, Problem, ProblemCode};
use desk::Operation;

/// The problem that refuses `op` under `source`, if it is refused.
pub fn refusal(source: DataSource, op: Operation) -> Option<Problem> {
    if source != DataSource::Azure {
        return None;
    }
    use Operation::*;
    let refused = matches!(
        op,
        AddRoleAssignment | RemoveRoleAssignment
    );
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
    fn in_azure_mode_every_change_azure_would_make_is_refused_and_nothing_in_local_mode() {
        for op in Operation::ALL {
            assert_eq!(refusal(DataSource::Local, op), None, "{op:?}");
        }
        for op in [Operation::AddRoleAssignment, Operation::RemoveRoleAssignment] {
            let problem = refusal(DataSource::Azure, op).expect("refused");
            assert_eq!((problem.status, problem.code), (409, ProblemCode::AzureChangesNotYetSupported));
        }
        for op in [Operation::ListCustomers, Operation::CalculateRefund, Operation::Return, Operation::CalculateExchange, Operation::Exchange, Operation::ApproveApproval, Operation::CreateSupportRequest, Operation::GetSettings] {
            assert_eq!(refusal(DataSource::Azure, op), None, "{op:?}");
        }
    }
}
