//! `GET /providers/Microsoft.Capacity/operations`: what this surface offers, as ARM lists a
//! provider's operations (`OperationResponse`).

use serde::Serialize;

/// `OperationResponse`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OperationResponse {
    /// E.g. `Microsoft.Capacity/reservationOrders/read`.
    pub name: &'static str,
    /// Always false: these are control-plane operations.
    pub is_data_action: bool,
    /// How the portal words it.
    pub display: OperationDisplay,
    /// `user`.
    pub origin: &'static str,
}

/// `OperationDisplay`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperationDisplay {
    /// `Microsoft Capacity`.
    pub provider: &'static str,
    /// The resource.
    pub resource: &'static str,
    /// The operation.
    pub operation: &'static str,
    /// What it does.
    pub description: &'static str,
}

const OPERATIONS: [(&str, &str, &str, &str); 14] = [
    ("Microsoft.Capacity/reservationOrders/read", "Reservation order", "Get reservation orders", "Lists the reservation orders and reads one."),
    ("Microsoft.Capacity/reservationOrders/reservations/read", "Reservation", "Get reservations", "Lists the reservations and reads one, with its utilization."),
    ("Microsoft.Capacity/reservationOrders/reservations/write", "Reservation", "Update a reservation", "Renames a reservation, changes its scope or its renewal."),
    ("Microsoft.Capacity/reservationOrders/reservations/revisions/read", "Reservation", "Get reservation revisions", "Lists what a reservation was after each change, newest first."),
    ("Microsoft.Capacity/reservationOrders/split/action", "Reservation order", "Split a reservation", "Splits an active reservation of the order into two."),
    ("Microsoft.Capacity/reservationOrders/merge/action", "Reservation order", "Merge reservations", "Merges alike active reservations of the order into one."),
    ("Microsoft.Capacity/reservationOrders/reservations/archive/action", "Reservation", "Archive a reservation", "Archives a finished (cancelled, expired, failed, split or merged) reservation."),
    ("Microsoft.Capacity/reservationOrders/reservations/unarchive/action", "Reservation", "Unarchive a reservation", "Brings an archived reservation back."),
    ("Microsoft.Capacity/reservationOrders/reservations/availableScopes/action", "Reservation", "Check scopes", "Tells which of the given scopes the reservation may apply to: its customer's own."),
    ("Microsoft.Capacity/reservationOrders/calculateRefund/action", "Reservation order", "Calculate a refund", "Quotes the refund of returning units of a reservation; the answer's session is valid for 10 minutes."),
    ("Microsoft.Capacity/reservationOrders/return/action", "Reservation order", "Return a reservation", "Returns the units a refund session quoted, once."),
    ("Microsoft.Capacity/calculateExchange/action", "Exchange", "Calculate an exchange", "Quotes returning reservations toward buying others; the answer's session is valid for 10 minutes."),
    ("Microsoft.Capacity/exchange/action", "Exchange", "Exchange", "Carries out the exchange a session quoted, once."),
    ("Microsoft.Capacity/operations/read", "Operation", "List operations", "Lists the operations of this provider."),
];

/// Every operation this surface answers.
pub fn operations() -> Vec<OperationResponse> {
    OPERATIONS
        .iter()
        .map(|&(name, resource, operation, description)| OperationResponse {
            name,
            is_data_action: false,
            display: OperationDisplay { provider: "Microsoft Capacity", resource, operation, description },
            origin: "user",
        })
        .collect()
}
