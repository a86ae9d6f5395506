//! The one list of the contract's operations. The server's router, the in-browser dispatch and
//! the permission table all come from here: a new operation is one variant in [`Operation::ALL`],
//! its line in each `match` below, and one method of [`crate::Desk`].

use desk_service::access::Permission;

/// An operation of the contract (paths below `/api`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `GET /me`: the signed-in user.
    Me,
    /// `GET /audit?customerId=`: the audit log, newest first.
    ListAudit,
    /// `GET /audit/verify`: whether the audit log's hash chain is intact.
    VerifyAudit,
    /// `GET /customers?search=`: the partner's customers by name.
    ListCustomers,
    /// `GET /customers/{customerId}`.
    GetCustomer,
    /// `GET /customers/{customerId}/reservations`.
    ListReservations,
    /// `GET /customers/{customerId}/refundLimit`.
    GetRefundLimit,
    /// `GET /customers/{customerId}/scopes`.
    ListScopes,
    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}`.
    GetReservation,
    /// `PATCH /reservationOrders/{orderId}/reservations/{reservationId}`.
    ChangeReservation,
    /// `POST /reservationOrders/{orderId}/split`.
    SplitReservation,
    /// `POST /reservationOrders/{orderId}/merge`.
    MergeReservations,
    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/archive`.
    ArchiveReservation,
    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/unarchive`.
    UnarchiveReservation,
    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}/revisions`.
    ListRevisions,
    /// `POST /reservationOrders/{orderId}/calculateRefund`.
    CalculateRefund,
    /// `POST /reservationOrders/{orderId}/return`.
    Return,
    /// `GET /reservationOrders/{orderId}/roleAssignments`.
    ListRoleAssignments,
    /// `POST /reservationOrders/{orderId}/roleAssignments`.
    AddRoleAssignment,
    /// `DELETE /reservationOrders/{orderId}/roleAssignments/{id}`.
    RemoveRoleAssignment,
    /// `POST /quotes/refund`: the engine without state.
    QuoteRefund,
    /// `POST /quotes/exchange`: the engine without state.
    QuoteExchange,
    /// `GET /catalog`.
    Catalog,
    /// `POST /calculateExchange`.
    CalculateExchange,
    /// `POST /exchange`.
    Exchange,
    /// `GET /supportRequests?customerId=`.
    ListSupportRequests,
    /// `GET /supportRequests/{id}`.
    GetSupportRequest,
    /// `POST /supportRequests`.
    CreateSupportRequest,
}

/// Why no operation answers a method and path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// No operation has this path (404).
    NoSuchPath,
    /// The path exists with other methods (405).
    MethodNotAllowed,
}

impl Operation {
    /// Every operation, in the order the OpenAPI document lists them.
    pub const ALL: [Operation; 28] = [
        Self::Me,
        Self::ListAudit,
        Self::VerifyAudit,
        Self::ListCustomers,
        Self::GetCustomer,
        Self::ListReservations,
        Self::GetRefundLimit,
        Self::ListScopes,
        Self::GetReservation,
        Self::ChangeReservation,
        Self::ListRevisions,
        Self::SplitReservation,
        Self::MergeReservations,
        Self::ArchiveReservation,
        Self::UnarchiveReservation,
        Self::CalculateRefund,
        Self::Return,
        Self::ListRoleAssignments,
        Self::AddRoleAssignment,
        Self::RemoveRoleAssignment,
        Self::QuoteRefund,
        Self::QuoteExchange,
        Self::Catalog,
        Self::CalculateExchange,
        Self::Exchange,
        Self::ListSupportRequests,
        Self::GetSupportRequest,
        Self::CreateSupportRequest,
    ];

    /// The HTTP method.
    pub const fn method(self) -> &'static str {
        use Operation::*;
        match self {
            ChangeReservation => "PATCH",
            RemoveRoleAssignment => "DELETE",
            CalculateRefund | Return | AddRoleAssignment | QuoteRefund | QuoteExchange | CalculateExchange | Exchange
            | CreateSupportRequest | SplitReservation | MergeReservations | ArchiveReservation | UnarchiveReservation => {
                "POST"
            }
            Me | ListAudit | VerifyAudit | ListCustomers | GetCustomer | ListReservations | GetRefundLimit | ListScopes
            | GetReservation | ListRevisions | ListRoleAssignments | Catalog | ListSupportRequests | GetSupportRequest => {
                "GET"
            }
        }
    }

    /// The path template below `/api`, with `{name}` parameters (axum's and OpenAPI's syntax).
    pub const fn path(self) -> &'static str {
        use Operation::*;
        match self {
            Me => "/me",
            ListAudit => "/audit",
            VerifyAudit => "/audit/verify",
            ListCustomers => "/customers",
            GetCustomer => "/customers/{customerId}",
            ListReservations => "/customers/{customerId}/reservations",
            GetRefundLimit => "/customers/{customerId}/refundLimit",
            ListScopes => "/customers/{customerId}/scopes",
            GetReservation | ChangeReservation => "/reservationOrders/{orderId}/reservations/{reservationId}",
            ListRevisions => "/reservationOrders/{orderId}/reservations/{reservationId}/revisions",
            SplitReservation => "/reservationOrders/{orderId}/split",
            MergeReservations => "/reservationOrders/{orderId}/merge",
            ArchiveReservation => "/reservationOrders/{orderId}/reservations/{reservationId}/archive",
            UnarchiveReservation => "/reservationOrders/{orderId}/reservations/{reservationId}/unarchive",
            CalculateRefund => "/reservationOrders/{orderId}/calculateRefund",
            Return => "/reservationOrders/{orderId}/return",
            ListRoleAssignments | AddRoleAssignment => "/reservationOrders/{orderId}/roleAssignments",
            RemoveRoleAssignment => "/reservationOrders/{orderId}/roleAssignments/{id}",
            QuoteRefund => "/quotes/refund",
            QuoteExchange => "/quotes/exchange",
            Catalog => "/catalog",
            CalculateExchange => "/calculateExchange",
            Exchange => "/exchange",
            ListSupportRequests | CreateSupportRequest => "/supportRequests",
            GetSupportRequest => "/supportRequests/{id}",
        }
    }

    /// What the caller's role must allow (the one permission table of both backends).
    pub const fn permission(self) -> Permission {
        use Operation::*;
        match self {
            Me | ListAudit | ListCustomers | GetCustomer | ListReservations | GetRefundLimit | ListScopes
            | GetReservation | ListRevisions | ListRoleAssignments | Catalog | ListSupportRequests | GetSupportRequest => {
                Permission::Read
            }
            CalculateRefund | CalculateExchange | QuoteRefund | QuoteExchange => Permission::Quote,
            Return | Exchange => Permission::MoveMoney,
            ChangeReservation | SplitReservation | MergeReservations | ArchiveReservation | UnarchiveReservation => {
                Permission::ChangeReservation
            }
            CreateSupportRequest => Permission::SupportRequests,
            AddRoleAssignment | RemoveRoleAssignment => Permission::ManageAccess,
            VerifyAudit => Permission::VerifyAudit,
        }
    }

    /// Whether the request carries a JSON body (archive and unarchive are POSTs without one).
    pub const fn takes_body(self) -> bool {
        matches!(self.method().as_bytes(), b"POST" | b"PATCH")
            && !matches!(self, Self::ArchiveReservation | Self::UnarchiveReservation)
    }

    /// The HTTP status of a success.
    pub const fn success_status(self) -> u16 {
        match self {
            Self::AddRoleAssignment | Self::CreateSupportRequest => 201,
            Self::RemoveRoleAssignment => 204,
            _ => 200,
        }
    }

    /// The operation for `method` and `path` (below `/api`) and the path's parameters in
    /// template order. `HEAD` finds the `GET` operation.
    pub fn find(method: &str, path: &str) -> Result<(Operation, Vec<String>), RouteError> {
        let method = if method == "HEAD" { "GET" } else { method };
        let mut path_exists = false;
        for op in Self::ALL {
            if let Some(params) = match_template(op.path(), path) {
                if op.method() == method {
                    return Ok((op, params));
                }
                path_exists = true;
            }
        }
        Err(if path_exists { RouteError::MethodNotAllowed } else { RouteError::NoSuchPath })
    }
}

/// The parameters of `path` when it has the shape of `template`.
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let mut wanted = template.trim_matches('/').split('/');
    let mut given = path.trim_matches('/').split('/');
    let mut params = Vec::new();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) if w.starts_with('{') => {
                if g.is_empty() {
                    return None;
                }
                params.push(g.to_owned());
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_is_found_by_its_own_method_and_path() {
        for op in Operation::ALL {
            let path = op.path().replace("{customerId}", "c").replace("{orderId}", "o");
            let path = path.replace("{reservationId}", "r").replace("{id}", "i");
            assert_eq!(Operation::find(op.method(), &path).map(|(found, _)| found), Ok(op), "{path}");
        }
    }

    #[test]
    fn parameters_come_in_template_order_and_unknown_paths_or_methods_are_told_apart() {
        let (op, params) = Operation::find("GET", "/reservationOrders/o1/reservations/r1").unwrap();
        assert_eq!((op, params), (Operation::GetReservation, vec!["o1".to_owned(), "r1".to_owned()]));
        assert_eq!(Operation::find("HEAD", "/customers").unwrap().0, Operation::ListCustomers);
        assert_eq!(Operation::find("DELETE", "/customers"), Err(RouteError::MethodNotAllowed));
        assert_eq!(Operation::find("GET", "/nope"), Err(RouteError::NoSuchPath));
        assert_eq!(Operation::find("GET", "/customers//reservations"), Err(RouteError::NoSuchPath));
        assert_eq!(Operation::find("GET", "/customers/c/reservations/extra"), Err(RouteError::NoSuchPath));
    }

    #[test]
    fn writes_need_their_own_permission_and_reads_need_read() {
        assert_eq!(Operation::Return.permission(), Permission::MoveMoney);
        assert_eq!(Operation::Exchange.permission(), Permission::MoveMoney);
        assert_eq!(Operation::CalculateRefund.permission(), Permission::Quote);
        assert_eq!(Operation::ChangeReservation.permission(), Permission::ChangeReservation);
        assert_eq!(Operation::CreateSupportRequest.permission(), Permission::SupportRequests);
        assert_eq!(Operation::RemoveRoleAssignment.permission(), Permission::ManageAccess);
        assert_eq!(Operation::VerifyAudit.permission(), Permission::VerifyAudit);
        for op in Operation::ALL.into_iter().filter(|op| op.method() == "GET" && *op != Operation::VerifyAudit) {
            assert_eq!(op.permission(), Permission::Read, "{op:?}");
        }
    }
}
