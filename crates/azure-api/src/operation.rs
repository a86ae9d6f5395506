//! The one table of the Azure surface's operations: each is one entry below
//! (`contract::operation_table!`, as the desk's `Operation`), from which follow
//! [`AzureOperation::ALL`], its method, path template below `/providers/Microsoft.Capacity`,
//! permission (that of the desk operation answering it), bodies and words in the OpenAPI
//! document (`openapi.rs`). The adapter finds requests in it. The provider namespace and the
//! fixed words match in any case, as ARM's do; IDs keep theirs.

use desk_service::access::Permission;

use crate::exchange::{ArmCalculateExchangeRequest, ArmExchangeRequest, OperationResult, PurchaseRequest};
use crate::purchase::{CalculatePriceResponse, CatalogsResult};
use crate::lineage::{ArmMergeRequest, ArmSplitRequest};
use crate::operations_list::OperationResponse;
use crate::patch::ArmPatch;
use crate::refund::{ArmCalculateRefundRequest, ArmCalculateRefundResponse, ArmRefundRequest};
use crate::reservation::{List as Page, ReservationOrderResponse, ReservationResponse};
use crate::scopes::{AvailableScopeProperties, AvailableScopeRequest};

/// The path parameters of the templates below (the specification's names) and what each names.
/// A template with a parameter not named here does not compile.
pub const PATH_PARAMETERS: [(&str, &str); 4] = [
    ("approvalId", "An approval request's ID (the desk's `GET /api/approvals/{approvalId}`)."),
    ("reservationOrderId", "The reservation order's ID (a GUID, not the full ARM ID)."),
    ("reservationId", "The reservation's ID (a GUID, not the full ARM ID)."),
    ("subscriptionId", "A customer's subscription (its GUID)."),
];

contract::operation_table! {
    /// One operation of the Azure surface: one entry of this table.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum AzureOperation, endpoints in endpoint, parameters PATH_PARAMETERS, permission Permission;

    /// `GET /operations`: what this provider offers.
    ListOperations { Get "/operations", Read, 200, () -> {OperationResponse in "OperationList"},
        id: "Operation_List", tag: "Operation", summary: "The operations this provider offers.", success: "Every operation of this surface (one page).", errors: [400, 401, 403],
    },

    /// `GET /reservationOrders`.
    ListOrders { Get "/reservationOrders", Read, 200, () -> {ReservationOrderResponse in "ReservationOrderList"},
        id: "ReservationOrder_List", tag: "ReservationOrder", summary: "Every reservation order the caller may see, with its reservations.", success: "The orders (one page, no `nextLink`).", errors: [400, 401, 403, 500],
        description: "An order is made from its reservations: the desk keeps no order of its own.",
    },

    /// `GET /reservationOrders/{reservationOrderId}`.
    GetOrder { Get "/reservationOrders/{reservationOrderId}", Read, 200, () -> ReservationOrderResponse,
        id: "ReservationOrder_Get", tag: "ReservationOrder", summary: "One reservation order with its reservations.", success: "The order (with `planInformation` when `$expand=schedule`).", query: [("$expand", "`schedule` adds the payment plan (`properties.planInformation`). Any other value is ignored: the specification declares a free string.")], errors: [400, 401, 403, 404, 500],
        description: "With `$expand=schedule` the order also carries its payment plan, `properties.planInformation`: an upfront \
                      reservation is paid once at purchase, a monthly one in one installment a month from the purchase date (the \
                      refund engine's split, the rounding remainder in the last); a payment due on or before today is `Succeeded` \
                      with its `paymentDate`, a later one `Scheduled`. The plan is of the units the order holds now (after a partial \
                      return, what is left); amounts are in the billing currency and in USD, the pricing currency.",
    },

    /// `GET /reservationOrders/{reservationOrderId}/reservations`.
    ListOrderReservations { Get "/reservationOrders/{reservationOrderId}/reservations", Read, 200, () -> {ReservationResponse in "ReservationList"},
        id: "Reservation_List", tag: "Reservation", summary: "The reservations of one order.", success: "The order's reservations (one page, no `nextLink`).", errors: [400, 401, 403, 404, 500],
    },

    /// `GET /reservationOrders/{reservationOrderId}/reservations/{reservationId}`.
    GetReservation { Get "/reservationOrders/{reservationOrderId}/reservations/{reservationId}", Read, 200, () -> ReservationResponse,
        id: "Reservation_Get", tag: "Reservation", summary: "One reservation with its 1, 7 and 30-day utilization.", success: "The reservation.", errors: [400, 401, 403, 404, 500],
    },

    /// `PATCH /reservationOrders/{reservationOrderId}/reservations/{reservationId}`: name, scope, renewal.
    UpdateReservation { Patch "/reservationOrders/{reservationOrderId}/reservations/{reservationId}", ChangeReservation, 200, ArmPatch -> ReservationResponse,
        id: "Reservation_Update", tag: "Reservation", summary: "Rename a reservation, change its scope or its renewal.", success: "The changed reservation.", errors: [400, 401, 403, 404, 409, 500],
        description: "Answered at once (200, never 202). Only an active (`Succeeded`) reservation can be changed (409 otherwise). \
                      `instanceFlexibility`, `renewProperties` and `reviewDateTime` are not kept by the desk: a value other than \
                      null is a 400 naming the field.",
    },

    /// `GET /reservationOrders/{reservationOrderId}/reservations/{reservationId}/revisions`.
    ListRevisions { Get "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/revisions", Read, 200, () -> {ReservationResponse in "ReservationList"},
        id: "Reservation_ListRevisions", tag: "Reservation", summary: "A reservation's revisions, newest first: what it was after each change.", success: "The revisions, newest first (one page, no `nextLink`).", errors: [400, 401, 403, 404, 500],
        description: "Each revision is a `ReservationResponse` with `etag` its number (1 the oldest), the ID \
                      `…/reservations/{reservationId}/revisions/{n}` and the name `{reservationOrderId}/{reservationId}/{n}` (as the \
                      specification's example has them), no utilization; a revision that records a change has `lastUpdatedDateTime` \
                      and `systemData.lastModifiedBy`/`lastModifiedAt`. A reservation never changed has one revision: itself. A \
                      reservation of another order is a 404.",
    },

    /// `POST /reservationOrders/{reservationOrderId}/split`: one reservation into two.
    Split { Post "/reservationOrders/{reservationOrderId}/split", ChangeReservation, 200, ArmSplitRequest -> [ReservationResponse],
        id: "Reservation_Split", tag: "Reservation", summary: "Split an active reservation of this order into two with the given quantities.", success: "The two parts, then the split reservation.", errors: [400, 401, 403, 404, 409, 500],
        description: "Answered at once (200, never 202). `properties.reservationId` is the full ID of a reservation of the path's \
                      order (400 naming it otherwise); the two `quantities` must each be at least 1 and add up to its quantity (400 \
                      naming `properties.quantities`). The parts keep the purchase date, term and price; the refund ledger is \
                      untouched. An inactive reservation is a 409. As Azure answers: the two parts (`splitProperties.splitSource`), \
                      then the split reservation (`provisioningState: Split`, `splitProperties.splitDestinations`).",
    },

    /// `POST /reservationOrders/{reservationOrderId}/merge`: reservations of the order into one.
    Merge { Post "/reservationOrders/{reservationOrderId}/merge", ChangeReservation, 200, ArmMergeRequest -> [ReservationResponse],
        id: "Reservation_Merge", tag: "Reservation", summary: "Merge two or more active reservations of this order into one.", success: "The sources, then the merged reservation.", errors: [400, 401, 403, 404, 409, 500],
        description: "Answered at once (200, never 202). `properties.sources` are full IDs of distinct active reservations of the \
                      path's order with the same SKU, region, term, billing plan, price and scope (400 naming \
                      `properties.sources[i]` otherwise; 409 for an inactive one). As Azure answers: the sources \
                      (`provisioningState: Merged`, `mergeProperties.mergeDestination`), then the merged reservation \
                      (`mergeProperties.mergeSources`).",
    },

    /// `POST /reservationOrders/{reservationOrderId}/reservations/{reservationId}/archive` (no body either way).
    Archive { Post "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/archive", ChangeReservation, 200, () -> (),
        id: "Reservation_Archive", tag: "Reservation", summary: "Archive a finished reservation (cancelled, expired, failed, split or merged).", success: "Archived (no body).", errors: [400, 401, 403, 404, 500],
        description: "No request body; 200 with an empty body, as the specification has it. An active reservation is a 400 \
                      (`isActive`); archiving an archived one changes nothing. The reservation then shows `properties.archived: \
                      true`.",
    },

    /// `POST /reservationOrders/{reservationOrderId}/reservations/{reservationId}/unarchive` (no body either way).
    Unarchive { Post "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/unarchive", ChangeReservation, 200, () -> (),
        id: "Reservation_Unarchive", tag: "Reservation", summary: "Bring an archived reservation back (`properties.archived: false`).", success: "Unarchived (no body).", errors: [400, 401, 403, 404, 500],
        description: "No request body; 200 with an empty body, as the specification has it. Unarchiving one that is not archived \
                      changes nothing.",
    },

    /// `GET /reservations`: every reservation the caller may see.
    ListAllReservations { Get "/reservations", Read, 200, () -> {ReservationResponse in "ReservationList"},
        id: "Reservation_ListAll", tag: "Reservation", summary: "Every reservation the caller may see.", success: "The reservations (one page, no `nextLink`, no `summary`).", query: [("$filter", "Only these provisioning states: `properties/provisioningState eq 'Succeeded'`, several joined by `or`, in parentheses or not. Anything else is a 400 with `target: $filter`.")], errors: [400, 401, 403, 500],
    },

    /// `POST /reservationOrders/{reservationOrderId}/calculateRefund`.
    CalculateRefund { Post "/reservationOrders/{reservationOrderId}/calculateRefund", Quote, 200, ArmCalculateRefundRequest -> ArmCalculateRefundResponse,
        id: "CalculateRefund_Post", tag: "CalculateRefund", summary: "Quote the refund of returning units of a reservation and open a 10-minute session.", success: "The quote and its session.", errors: [400, 401, 403, 404, 409, 500],
        description: "Quoted by the deployment's refund policy (`REFUND_POLICY`, `azure-current` by default). A policy refusal is a 200 listing \
                      `policyResult.properties.policyErrors`. The reservation must belong to the order of the path (400 naming \
                      `properties.reservationToReturn.reservationId` otherwise).",
    },

    /// `POST /reservationOrders/{reservationOrderId}/return`.
    Return { Post "/reservationOrders/{reservationOrderId}/return", MoveMoney, 200, ArmRefundRequest -> ReservationOrderResponse,
        id: "Return_Post", tag: "Return", summary: "Return the units a refund session quoted (once per session).", success: "The order after the return.", errors: [400, 401, 403, 404, 409, 500],
        description: "Answered at once with 200 and the order as it is after the return; the same session again moves \
                      nothing and answers the same. An expired session, a changed quote, a policy refusal, or a session the \
                      desk's API quoted under a policy other than the deployment's (`policyNotDeployed`) is a 409. Above the \
                      deployment's approval threshold (`APPROVAL_THRESHOLD`) nothing moves: 202 with no body, `Location` \
                      (`…/approvals/{approvalId}`, the long-running operation the SDK polls) and `Retry-After`.",
    },

    /// `GET /approvals/{approvalId}`: the long-running return or exchange that waits for approval.
    ApprovalResult { Get "/approvals/{approvalId}", Read, 200, () -> ReservationOrderResponse,
        id: "Approval_Result", tag: "Return", summary: "A return or exchange that waits for another user's approval, as the long-running operation its 202 named.", success: "Approved and carried out: the order after the return (an exchange answers its operation result, as `exchange` does).", errors: [400, 401, 403, 404, 409, 500],
        description: "Not in Microsoft's specification: the `Location` of a return's or exchange's 202. 202 with `Location` and \
                      `Retry-After` while it waits (pending, or needing approval again after the amount changed); 200 with the \
                      operation's answer once approved; a 409 `approvalClosed` once rejected (the reason in `message`) and \
                      `approvalExpired` once expired.",
    },

    /// `POST /reservationOrders/{reservationOrderId}/reservations/{reservationId}/availableScopes`.
    AvailableScopes { Post "/reservationOrders/{reservationOrderId}/reservations/{reservationId}/availableScopes", Read, 200, AvailableScopeRequest -> AvailableScopeProperties,
        id: "Reservation_AvailableScopes", tag: "Reservation", summary: "Which of the given scopes the reservation may apply to.", success: "Each scope asked about, in the order asked, and whether it is valid.", errors: [400, 401, 403, 404, 500],
        description: "Valid are the reservation's customer's own subscriptions, resource groups and management groups, compared \
                      ignoring case. Answered at once (200).",
    },

    /// `POST /calculateExchange`.
    CalculateExchange { Post "/calculateExchange", Quote, 200, ArmCalculateExchangeRequest -> OperationResult,
        id: "CalculateExchange_Post", tag: "Exchange", summary: "Quote returning reservations toward buying others and open a 10-minute session.", success: "The quote and its session.", errors: [400, 401, 403, 409, 500],
        description: "Answered at once (200, `status: Succeeded`). A purchase's SKU is found in the catalog by `sku.name` and \
                      `location` (400 `notInCatalog` otherwise). `savingsPlansToPurchase` trades the returns in for savings plans \
                      (`Compute_Savings_Plan` for VM, Dedicated Host and App Service reservations, `P1Y` or `P3Y`; `Database_Savings_Plan` \
                      for SQL Database, PostgreSQL, MySQL and Cosmos DB reservations, `P1Y` only; `billingPlan` `P1M` or absent for upfront, `commitment` \
                      `{currencyCode, amount, grain: Hourly}`): each is answered with its `billingCurrencyTotal` (what is due now) \
                      and, billed in USD, `pricingCurrencyTotal`. A policy refusal is a 200 listing `policyResult.policyErrors` \
                      (e.g. `TradeInNotEligible`, `TradeInTooManyReservations`, `SavingsPlanCommitmentTooLow`), without item amounts.",
    },

    /// `GET /subscriptions/{subscriptionId}/providers/Microsoft.Capacity/catalogs`: what may be bought.
    GetCatalog { Get "/subscriptions/{subscriptionId}/catalogs", Read, 200, () -> CatalogsResult,
        id: "GetCatalog", tag: "Catalog", summary: "The reservations a customer's subscription may buy, with their terms, billing plans and prices.", success: "The catalog (one page, no `nextLink`).", query: [("reservedResourceType", "Only this product family, e.g. `VirtualMachines` (any case)."), ("location", "Only this region, e.g. `westeurope` (any case).")], errors: [400, 401, 403, 404, 500],
        description: "The path is below the subscription: `/subscriptions/{subscriptionId}/providers/Microsoft.Capacity/catalogs`. \
                      The subscription must be one of a customer's the caller sees (404 otherwise). `msrp` is the whole-term \
                      price of one unit in USD per term; a VM series × term retired by today is listed in `restrictions` \
                      (`reasonCode: RetiredSeries`) and cannot be bought. The desk's catalog is one page: `$skip`, `$take` and \
                      `$filter` are not applied.",
    },

    /// `POST /calculatePrice`: the price of a purchase, and the order ID to buy it under.
    CalculatePrice { Post "/calculatePrice", Quote, 200, PurchaseRequest -> CalculatePriceResponse,
        id: "ReservationOrder_Calculate", tag: "ReservationOrder", summary: "Price a purchase and open a 10-minute purchase session under a new order ID.", success: "The price, its payment schedule and `reservationOrderId`.", errors: [400, 401, 403, 404, 500],
        description: "The customer is the one whose subscription `properties.billingScopeId` is (or, without it, the `Single` \
                      scope's subscription): a subscription of no customer the caller sees is a 400 naming the field. The SKU is \
                      found in the catalog by `sku.name` and `location` (400 `notInCatalog` otherwise). `billingCurrencyTotal` is \
                      the commitment in the customer's currency, `pricingCurrencyTotal` in USD; `paymentSchedule` lists every \
                      payment (one upfront, one a month for `Monthly`). A retired VM series × term is a 409 `policyRefused` \
                      naming it. Buy it with `PUT /reservationOrders/{reservationOrderId}` and the same body within 10 minutes.",
    },

    /// `PUT /reservationOrders/{reservationOrderId}`: buy what `calculatePrice` priced.
    Purchase { Put "/reservationOrders/{reservationOrderId}", MoveMoney, 200, PurchaseRequest -> ReservationOrderResponse,
        id: "ReservationOrder_Purchase", tag: "ReservationOrder", summary: "Buy the reservation `calculatePrice` priced under this order ID (once).", success: "The order bought (also for a repeat of the same purchase).", errors: [400, 401, 403, 404, 409, 500],
        description: "`reservationOrderId` is the one `calculatePrice` answered: another is a 404, a purchase asked after its \
                      10 minutes a 409 `sessionExpired`, a body that is not the one priced (another SKU, region, term, billing \
                      plan, quantity, scope, name or renewal) a 409 `quoteChanged`. The same PUT again answers the order bought \
                      and buys nothing more. Answered at once (200, `provisioningState: Succeeded`); above the deployment's \
                      approval threshold (the commitment in USD) nothing is bought: 202 with `Location` \
                      (`…/approvals/{approvalId}`) and `Retry-After`, whose result is the order once approved.",
    },

    /// `POST /exchange`.
    Exchange { Post "/exchange", MoveMoney, 200, ArmExchangeRequest -> OperationResult,
        id: "Exchange_Post", tag: "Exchange", summary: "Carry out the exchange a session quoted (once per session).", success: "The exchange's totals and the reservations bought.", errors: [400, 401, 403, 404, 409, 500],
        description: "Answered at once (200, `status: Succeeded`) with the reservations and savings plans bought (each plan's \
                      `savingsPlanOrderId`, `savingsPlanId`, `properties`, `billingCurrencyTotal`, `status`); the same session again answers the \
                      same. An unknown session is a 404; an expired session, a changed quote or a policy refusal is a 409. \
                      Above the deployment's approval threshold (the refunds total) nothing moves: 202 with `Location` \
                      (`…/approvals/{approvalId}`) and `Retry-After`, as a return.",
    },
}

/// Seconds a client waits before polling an approval's `Location` again (`Retry-After`).
pub const APPROVAL_RETRY_AFTER_SECONDS: u32 = 5;

/// The `Location` of a return or exchange that waits for approval `approval_id`: the
/// [`AzureOperation::ApprovalResult`] path with the api-version, which ARM clients poll.
pub fn approval_location(approval_id: &str) -> String {
    format!("/providers/Microsoft.Capacity/approvals/{approval_id}?api-version={}", crate::API_VERSION)
}

/// Why a request matched no operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoOperation {
    /// No operation has this path (404).
    NoSuchPath,
    /// The path exists with other methods (405).
    MethodNotAllowed,
    /// A segment of the path is not percent-encoded UTF-8 (400).
    Undecodable,
}

impl AzureOperation {
    /// The operation `method path` names (path below `/providers/Microsoft.Capacity`, e.g.
    /// `/reservationOrders/o-1`) and its path parameters in order.
    pub fn find(method: &str, path: &str) -> Result<(AzureOperation, Vec<String>), NoOperation> {
        let given = segments(path).ok_or(NoOperation::Undecodable)?;
        let mut path_exists = false;
        for op in Self::ALL {
            if let Some(params) = match_template(op.template(), &given) {
                if method.eq_ignore_ascii_case(op.method().as_str()) {
                    return Ok((op, params));
                }
                path_exists = true;
            }
        }
        Err(if path_exists { NoOperation::MethodNotAllowed } else { NoOperation::NoSuchPath })
    }

    /// The methods `path` takes, e.g. `GET, PATCH` (empty when no operation has this path).
    pub fn allowed(path: &str) -> String {
        let given = segments(path).unwrap_or_default();
        let mut methods: Vec<&'static str> = Self::ALL.iter().filter(|op| match_template(op.template(), &given).is_some()).map(|op| op.method().as_str()).collect();
        methods.sort_unstable();
        methods.dedup();
        methods.join(", ")
    }
}

/// The segments of `path` after its leading slash, each percent-decoded once after splitting (an
/// encoded `/`, `%2F`, is part of an ID; `%3A` is a colon as clients send it), a trailing slash
/// ignored; `None` when one is not percent-encoded UTF-8.
fn segments(path: &str) -> Option<Vec<std::borrow::Cow<'_, str>>> {
    path.trim_end_matches('/').split('/').skip(1).map(contract::route::decode_segment).collect()
}

/// The parameters of a path (its decoded `given` segments) when it has the shape of `template`:
/// the fixed words in any case, each parameter one segment that is not empty.
fn match_template(template: &str, given: &[std::borrow::Cow<'_, str>]) -> Option<Vec<String>> {
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
            params.push(g.clone().into_owned());
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
    fn each_operations_parameters_sent_percent_encoded_are_read_decoded() {
        for op in AzureOperation::ALL {
            let values: Vec<String> = contract::route::parameters(op.template()).map(|name| format!("{name}:a/b 50%·é")).collect();
            let mut each = values.iter();
            let path: Vec<String> = op
                .template()
                .split('/')
                .map(|s| if s.starts_with('{') { contract::route::encode_segment(each.next().unwrap()) } else { s.to_owned() })
                .collect();
            let path = path.join("/");
            assert_eq!(AzureOperation::find(op.method().as_str(), &path), Ok((op, values)), "{path}");
        }
        assert_eq!(AzureOperation::find("GET", "/reservationOrders/o%2"), Err(NoOperation::Undecodable));
        assert_eq!(AzureOperation::allowed("/reservationOrders/o%2"), "");
    }

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
            let path = op.template().replace("{reservationOrderId}", "o").replace("{reservationId}", "r");
            assert_eq!(AzureOperation::find(op.method().as_str(), &path).map(|(found, _)| found), Ok(op), "{path}");
            assert!(AzureOperation::allowed(&path).contains(op.method().as_str()), "{path}");
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
        assert_eq!(AzureOperation::allowed("/reservationOrders/o-1"), "GET, PUT");
        assert_eq!(AzureOperation::find("PUT", "/reservationOrders/o-1"), Ok((Purchase, vec!["o-1".into()])));
        assert_eq!(AzureOperation::find("GET", "/subscriptions/s-1/catalogs"), Ok((GetCatalog, vec!["s-1".into()])));
        assert_eq!(AzureOperation::find("POST", "/calculatePrice"), Ok((CalculatePrice, vec![])));
        assert_eq!(AzureOperation::allowed("/reservationOrders/o-1/reservations/r-2"), "GET, PATCH");
        assert_eq!(AzureOperation::find("PATCH", "/reservationOrders/o-1/reservations/r-2"), Ok((UpdateReservation, vec!["o-1".into(), "r-2".into()])));
        assert_eq!(AzureOperation::find("POST", "/reservationOrders/o-1/reservations/r-2"), Err(NoOperation::MethodNotAllowed));
    }
}
