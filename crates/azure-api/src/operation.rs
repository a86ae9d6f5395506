//! The operations of the Azure surface: method and path below `/providers/Microsoft.Capacity`.
//! The provider namespace and the fixed words match in any case, as ARM's do; IDs keep theirs.

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
    /// The operation `method path` names (path below `/providers/Microsoft.Capacity`, e.g.
    /// `/reservationOrders/o-1`) and its path parameters in order.
    pub fn find(method: &str, path: &str) -> Result<(AzureOperation, Vec<String>), NoOperation> {
        use AzureOperation::*;
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        let word = |i: usize, w: &str| parts.get(i).is_some_and(|p| p.eq_ignore_ascii_case(w));
        let param = |i: usize| parts.get(i).map(|p| p.to_string()).filter(|p| !p.is_empty());
        let (op, params) = match parts.len() {
            1 if word(0, "operations") => (ListOperations, vec![]),
            1 if word(0, "reservationOrders") => (ListOrders, vec![]),
            1 if word(0, "reservations") => (ListAllReservations, vec![]),
            1 if word(0, "calculateExchange") => (CalculateExchange, vec![]),
            1 if word(0, "exchange") => (Exchange, vec![]),
            2 if word(0, "reservationOrders") => (GetOrder, param(1).into_iter().collect()),
            3 if word(0, "reservationOrders") && word(2, "reservations") => (ListOrderReservations, param(1).into_iter().collect()),
            3 if word(0, "reservationOrders") && word(2, "calculateRefund") => (CalculateRefund, param(1).into_iter().collect()),
            3 if word(0, "reservationOrders") && word(2, "return") => (Return, param(1).into_iter().collect()),
            5 if word(0, "reservationOrders") && word(2, "reservations") && word(4, "availableScopes") => {
                (AvailableScopes, [param(1), param(3)].into_iter().flatten().collect())
            }
            4 if word(0, "reservationOrders") && word(2, "reservations") => {
                let op = if method.eq_ignore_ascii_case("PATCH") { UpdateReservation } else { GetReservation };
                (op, [param(1), param(3)].into_iter().flatten().collect())
            }
            _ => return Err(NoOperation::NoSuchPath),
        };
        if params.len() != op.param_count() {
            return Err(NoOperation::NoSuchPath);
        }
        if !method.eq_ignore_ascii_case(op.method()) {
            return Err(NoOperation::MethodNotAllowed);
        }
        Ok((op, params))
    }

    /// The methods `path` takes (every operation has one path and one method).
    pub fn allowed(path: &str) -> &'static str {
        let methods: Vec<&'static str> = ["GET", "PATCH", "POST"].into_iter().filter(|m| Self::find(m, path).is_ok()).collect();
        match methods.as_slice() {
            ["GET", "PATCH"] => "GET, PATCH",
            [one] => one,
            _ => "",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        use AzureOperation::*;
        match self {
            ListOperations | ListOrders | GetOrder | ListAllReservations | ListOrderReservations | GetReservation => "GET",
            UpdateReservation => "PATCH",
            CalculateRefund | Return | AvailableScopes | CalculateExchange | Exchange => "POST",
        }
    }

    fn param_count(self) -> usize {
        use AzureOperation::*;
        match self {
            ListOperations | ListOrders | ListAllReservations | CalculateExchange | Exchange => 0,
            GetOrder | ListOrderReservations | CalculateRefund | Return => 1,
            GetReservation | UpdateReservation | AvailableScopes => 2,
        }
    }
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
        assert_eq!(AzureOperation::find("GET", "/exchange"), Err(NoOperation::MethodNotAllowed));
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
