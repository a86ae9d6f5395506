//! The one list of the Azure surface's operations ([`AzureOperation::ALL`]): method and path
//! below `/providers/Microsoft.Capacity`. The adapter finds requests in it and the OpenAPI
//! document (`openapi.rs`) is generated from it. The provider namespace and the fixed words
//! match in any case, as ARM's do; IDs keep theirs.

/// One operation of the Azure surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AzureOperation {
    /// `GET /operations`: what this provider offers.
    ListOperations,
    /// `GET /reservationOrders`.
    ListOrders,
    /// `GET /reservationOrders/{orderId}`.
    GetOrder,
    /// `GET /reservations`: every reservation the caller may see.
    ListAllReservations,
    /// `GET /reservationOrders/{orderId}/reservations`.
    ListOrderReservations,
    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}`.
    GetReservation,
    /// `PATCH /reservationOrders/{orderId}/reservations/{reservationId}`: name, scope, renewal.
    UpdateReservation,
    /// `POST /reservationOrders/{orderId}/calculateRefund`.
    CalculateRefund,
    /// `POST /reservationOrders/{orderId}/return`.
    Return,
    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/availableScopes`.
    AvailableScopes,
    /// `POST /calculateExchange`.
    CalculateExchange,
    /// `POST /exchange`.
    Exchange,
    /// `POST /reservationOrders/{orderId}/split`: one reservation into two.
    Split,
    /// `POST /reservationOrders/{orderId}/merge`: reservations of the order into one.
    Merge,
    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/archive` (no body either way).
    Archive,
    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/unarchive` (no body either way).
    Unarchive,
    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}/revisions`.
    ListRevisions,
}

/// Why a request matched no operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoOperation {
    /// No operation has this path (404).
    NoSuchPath,
    /// The path exists with other methods (405).
    MethodNotAllowed,
}

impl AzureOperation {
    /// Every operation, in the order the OpenAPI document lists them. [`AzureOperation::find`]
    /// looks only here, so an operation missing from this list is never answered, and the
    /// document (`openapi.rs`) is generated from it.
    pub const ALL: [AzureOperation; 17] = [
        Self::ListOperations,
        Self::ListOrders,
        Self::GetOrder,
        Self::ListOrderReservations,
        Self::GetReservation,
        Self::UpdateReservation,
        Self::ListRevisions,
        Self::Split,
        Self::Merge,
        Self::Archive,
        Self::Unarchive,
        Self::ListAllReservations,
        Self::CalculateRefund,
        Self::Return,
        Self::AvailableScopes,
        Self::CalculateExchange,
        Self::Exchange,
    ];

    /// The path template below `/providers/Microsoft.Capacity`, with the specification's
    /// parameter names (`{reservationOrderId}`, `{reservationId}`).
    pub fn path(self) -> &'static str {
        use AzureOperation::*;
        match self {
            ListOperations => "/operations",
            ListOrders => "/reservationOrders",
            GetOrder => "/reservationOrders/{reservationOrderId}",
            ListAllReservations => "/reservations",
            ListOrderReservations => "/reservationOrders/{reservationOrderId}/reservations",
            GetReservation | UpdateReservation => "/reservationOrders/{reservationOrderId}/reservations/{reservationId}",
            CalculateRefund => "/reservationOrders/{reservationOrderId}/calculateRefund",
            Return => "/reservationOrders/{reservationOrderId}/return",
            AvailableScopes => "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/availableScopes",
            CalculateExchange => "/calculateExchange",
            Exchange => "/exchange",
            Split => "/reservationOrders/{reservationOrderId}/split",
            Merge => "/reservationOrders/{reservationOrderId}/merge",
            Archive => "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/archive",
            Unarchive => "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/unarchive",
            ListRevisions => "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/revisions",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        use AzureOperation::*;
        match self {
            ListOperations | ListOrders | GetOrder | ListAllReservations | ListOrderReservations | GetReservation | ListRevisions => "GET",
            UpdateReservation => "PATCH",
            CalculateRefund | Return | AvailableScopes | CalculateExchange | Exchange | Split | Merge | Archive | Unarchive => "POST",
        }
    }

    /// Whether it reads a JSON request body (archive and unarchive are POSTs without one).
    pub fn takes_body(self) -> bool {
        self.method() != "GET" && !matches!(self, Self::Archive | Self::Unarchive)
    }

    /// Whether its 200 carries a body (archive and unarchive answer an empty one, as the
    /// specification has them).
    pub fn answers_body(self) -> bool {
        !matches!(self, Self::Archive | Self::Unarchive)
    }

    /// The operation `method path` names (path below `/providers/Microsoft.Capacity`, e.g.
    /// `/reservationOrders/o-1`) and its path parameters in order.
    pub fn find(method: &str, path: &str) -> Result<(AzureOperation, Vec<String>), NoOperation> {
        let mut path_exists = false;
        for op in Self::ALL {
            if let Some(params) = match_template(op.path(), path) {
                if method.eq_ignore_ascii_case(op.method()) {
                    return Ok((op, params));
                }
                path_exists = true;
            }
        }
        Err(if path_exists { NoOperation::MethodNotAllowed } else { NoOperation::NoSuchPath })
    }

    /// The methods `path` takes, e.g. `GET, PATCH` (empty when no operation has this path).
    pub fn allowed(path: &str) -> String {
        let mut methods: Vec<&'static str> = Self::ALL.iter().filter(|op| match_template(op.path(), path).is_some()).map(|op| op.method()).collect();
        methods.sort_unstable();
        methods.dedup();
        methods.join(", ")
    }
}

/// The parameters of `path` when it has the shape of `template`: the fixed words in any case,
/// each parameter one segment that is not empty. A trailing slash is ignored.
fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let given: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let wanted: Vec<&str> = template.split('/').skip(1).collect();
    if given.len() != wanted.len() {
        return None;
    }
    let mut params = Vec::new();
    for (g, w) in given.iter().zip(&wanted) {
        if w.starts_with('{') {
            if g.is_empty() {
                return None;
            }
            params.push((*g).to_owned());
        } else if !g.eq_ignore_ascii_case(w) {
            return None;
        }
    }
    Some(params)
}

#[cfg(test)]
mod tests {
    use super::AzureOperation::*;
    use super::*;

    #[test]
    fn each_path_finds_its_operation_and_parameters() {
        assert_eq!(AzureOperation::find("GET", "/operations"), Ok((ListOperations, vec![])));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders"), Ok((ListOrders, vec![])));
        assert_eq!(AzureOperation::find("GET", "/reservationorders/o-1"), Ok((GetOrder, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("GET", "/reservations"), Ok((ListAllReservations, vec![])));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o-1/reservations"), Ok((ListOrderReservations, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o-1/reservations/r-2"), Ok((GetReservation, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/calculateRefund"), Ok((CalculateRefund, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("post", "/reservationOrders/o-1/return"), Ok((Return, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("POST", "/calculateExchange"), Ok((CalculateExchange, vec![])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/reservations/r-2/availableScopes"), Ok((AvailableScopes, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("POST", "/exchange"), Ok((Exchange, vec![])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/split"), Ok((Split, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/Merge"), Ok((Merge, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/reservations/r-2/archive"), Ok((Archive, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/reservations/r-2/unarchive"), Ok((Unarchive, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o-1/reservations/r-2/revisions"), Ok((ListRevisions, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o-1/split"), Err(NoOperation::MethodNotAllowed));
        assert!(!Archive.takes_body() && !Archive.answers_body() && Split.takes_body() && Split.answers_body());
        assert_eq!(AzureOperation::find("GET", "/exchange"), Err(NoOperation::MethodNotAllowed));
    }

    #[test]
    fn each_operation_of_the_list_is_found_by_its_own_method_and_path() {
        for op in AzureOperation::ALL {
            let path = op.path().replace("{reservationOrderId}", "o").replace("{reservationId}", "r");
            assert_eq!(AzureOperation::find(op.method(), &path).map(|(found, _)| found), Ok(op), "{path}");
            assert!(AzureOperation::allowed(&path).contains(op.method()), "{path}");
        }
        for (i, op) in AzureOperation::ALL.iter().enumerate() {
            assert!(!AzureOperation::ALL[i + 1..].contains(op), "{op:?} is listed twice");
        }
    }

    #[test]
    fn other_paths_and_methods_are_refused() {
        assert_eq!(AzureOperation::find("GET", "/"), Err(NoOperation::NoSuchPath));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders//reservations"), Err(NoOperation::NoSuchPath));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o-1/reservations/r-2/x"), Err(NoOperation::NoSuchPath));
        assert_eq!(AzureOperation::find("GET", "/catalogs"), Err(NoOperation::NoSuchPath));
        assert_eq!(AzureOperation::find("DELETE", "/reservationOrders/o-1"), Err(NoOperation::MethodNotAllowed));
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o-1/return"), Err(NoOperation::MethodNotAllowed));
        assert_eq!(AzureOperation::allowed("/reservationOrders/o-1/return"), "POST");
        assert_eq!(AzureOperation::allowed("/reservationOrders/o-1"), "GET");
        assert_eq!(AzureOperation::allowed("/reservationOrders/o-1/reservations/r-2"), "GET, PATCH");
        assert_eq!(AzureOperation::find("PATCH", "/reservationOrders/o-1/reservations/r-2"), Ok((UpdateReservation, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/reservations/r-2"), Err(NoOperation::MethodNotAllowed));
    }
}
