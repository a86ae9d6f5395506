//! The one table of the contract's operations: each operation is one entry below
//! (`contract::operation_table!`), from which follow the [`Operation`] enum,
//! [`Operation::ALL`], its method, path template, permission, success status, request and
//! response types ([`endpoint`], which the dispatch and the SPA's API client are written
//! against, and the OpenAPI document's bodies) and its words in the OpenAPI document. The
//! server's router, the in-browser dispatch and the permission check all come from here.

use contract::route;
use contract::source::{ConsentRequest, ConsentRun, CustomerReadiness};
use contract::{
    AlertSubscription, AlertsView, Approval, AuditEntry, AuditVerification, CalculateExchangeRequest, CalculateExchangeResponse,
    CalculatePurchaseRequest, CalculatePurchaseResponse, CustomerRecommendations, PurchaseOutcome, PurchaseRequest, CalculateRefundRequest, CalculateRefundResponse,
    CatalogItem, Customer, CustomerCatalog, ExchangeOutcome, ExchangeRequest, Grant, MergeRequest, NewGrant, NewRoleAssignment, NewSupportRequest, RefundLimit, Reservation,
    ReservationDetail, ReservationPatch, RejectApproval, ReturnOutcome, ReturnRequest, Revision, RoleAssignment, PrincipalSearch, CustomerSavingsPlan, Scope, Settings, SplitRequest, SupportRequest, UnitPrice, User,
    WorkItem, WorkItemPatch, Worklist, CustomerPricing, PartnerPricing, PricingRequest, Reconciliation, ReconciliationRequest, Statement,
};
use desk_service::access::Permission;
use quote_engine::api::{ExchangeQuoteRequest, ExchangeQuoteResponse, RefundQuoteRequest, RefundQuoteResponse};

/// The path parameters of the templates below and what each names: one name, one meaning. A
/// template with a parameter not named here does not compile (`route::parameters_known`).
pub const PATH_PARAMETERS: [(&str, &str); 10] = [
    ("approvalId", "Approval request ID."),
    ("consentRunId", "Consent run ID."),
    ("customerId", "Customer (tenant) ID."),
    ("grantId", "Grant ID."),
    ("month", "A calendar month in UTC, `yyyy-mm`."),
    ("orderId", "Reservation order ID."),
    ("reservationId", "Reservation ID."),
    ("roleAssignmentId", "Role assignment ID."),
    ("supportRequestId", "Support request ID."),
    ("workItemId", "A worklist row's ID: its reason, customer and what it is about (`exchangeRightEnds:{customerId}:{reservationId}`)."),
];

contract::operation_table! {
    /// An operation of the contract (paths below `/api`): one entry of this table.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Operation, endpoints in endpoint, parameters PATH_PARAMETERS, permission Permission;

    /// `GET /me`: the signed-in user.
    Me { Get "/me", Read, 200, () -> User,
        id: "getMe", tag: "Session", summary: "The signed-in user and their role.", success: "The signed-in user.", errors: [401],
    },

    /// `GET /settings`: how the deployment is set up (its refund policy).
    GetSettings { Get "/settings", Read, 200, () -> Settings,
        id: "getSettings", tag: "Session", summary: "How this deployment is set up: the refund policy that governs the money it moves.", success: "The deployment's settings.", errors: [401],
        description: "`refundPolicy` is the server's `REFUND_POLICY` (`azure-current` unless set). A refund calculated under another \
                      preset is a what-if quote (`whatIf: true`): its return is a 409 `policyNotDeployed`.",
    },

    /// `GET /audit?customerId=`: the audit log, newest first.
    ListAudit { Get "/audit", Read, 200, () -> [AuditEntry],
        id: "listAuditEntries", tag: "Audit", summary: "The audit log, newest first (at most 500 entries).", success: "Audit entries, newest first.", query: [("customerId", "Only this customer's entries.")], errors: [401, 500],
    },

    /// `GET /audit/verify`: whether the audit log's hash chain is intact.
    VerifyAudit { Get "/audit/verify", VerifyAudit, 200, () -> AuditVerification,
        id: "verifyAuditChain", tag: "Audit", summary: "Whether the audit log's hash chain is intact (Global admin).", success: "The chain's state: intact, its length and last hash, or the first entry that does not match.", errors: [401, 403, 500],
        description: "Each entry's hash is SHA-256 of the previous entry's hash, a line feed and the entry's JSON text; an entry \
                      edited, removed or moved breaks the chain from there on. Entries cut off at the end show only as a shorter \
                      chain with another `head`: note `head` and `entries` elsewhere to compare later.",
    },

    /// `GET /customers?search=`: the partner's customers by name.
    ListCustomers { Get "/customers", Read, 200, () -> [Customer],
        id: "listCustomers", tag: "Customers", summary: "The partner's customers, sorted by name.", success: "Customers sorted by name.", query: [("search", "Case-insensitive substring of the name or domain (trimmed).")], errors: [401, 500],
    },

    /// `GET /source/readiness`: every customer's readiness for Azure mode, with what fixes it.
    ListReadiness { Get "/source/readiness", ReadReadiness, 200, () -> [CustomerReadiness],
        id: "listReadiness", tag: "Customers", summary: "Every customer's readiness for Azure mode: whether its tenant was read, and what fixes it when not (Global admin, Admin agent).", success: "One row per customer the caller sees, sorted by name.", errors: [401, 403, 404, 500],
        description: "In Azure mode, one row per Partner Center customer the desk knows: `ready`, `readNotQuotable` (some \
                      reservations could not be read or have no price), `notRead` (the last read failed: `failure` classes \
                      Azure's `code`, `message` and `status` by what fixes it) or `neverTried`; `remedy` names the fix and \
                      `remedyLink` Microsoft's documentation of it. A desk that does not read Azure answers 404.",
    },

    /// `POST /source/consents`: consent the desk's API app in customers' tenants through
    /// Partner Center, in the background.
    StartConsents { Post "/source/consents", ConsentApp, 202, ConsentRequest -> ConsentRun,
        id: "startConsents", tag: "Customers", summary: "Consent the desk's API app in customers' tenants through Partner Center (Global admin).", success: "The run, started: follow it at `Location`.", errors: [400, 401, 403, 404, 500],
        description: "In Azure mode, asks Partner Center's application consent (`POST /v1/customers/{id}/applicationconsents`, \
                      Azure Service Management with `user_impersonation`) for each tenant, on behalf of the caller: the \
                      `customerIds` given (each read from Azure before; any other is a 400 naming it, and nothing starts), or \
                      with `all: true` every customer whose readiness is `consentMissing`. A tenant another run is consenting \
                      at the same moment, on this server or another on the same database, is asked once, there (`elsewhere`). \
                      Each tenant's outcome is audited with Partner Center's request IDs, and a consented tenant is read again. \
                      Available in a read-only pilot: consent moves no money and changes no reservation.",
    },

    /// `GET /source/consents/{consentRunId}`: a consent run's progress.
    GetConsentRun { Get "/source/consents/{consentRunId}", ConsentApp, 200, () -> ConsentRun,
        id: "getConsentRun", tag: "Customers", summary: "A consent run as it stands: each tenant's outcome as Partner Center answered it (Global admin).", success: "The run.", errors: [401, 403, 404, 500],
    },

    /// `GET /customers/{customerId}`.
    GetCustomer { Get "/customers/{customerId}", Read, 200, () -> Customer,
        id: "getCustomer", tag: "Customers", summary: "One customer.", success: "The customer.", errors: [401, 404, 500],
    },

    /// `GET /customers/{customerId}/reservations`.
    ListReservations { Get "/customers/{customerId}/reservations", Read, 200, () -> [Reservation],
        id: "listCustomerReservations", tag: "Reservations", summary: "A customer's reservations with 1/7/30-day utilization, soonest expiry first.", success: "The customer's reservations.", errors: [401, 404, 500],
    },

    /// `GET /customers/{customerId}/refundLimit`.
    GetRefundLimit { Get "/customers/{customerId}/refundLimit", Read, 200, () -> RefundLimit,
        id: "getRefundLimit", tag: "Refunds", summary: "A customer's refund limit, consumption, headroom and ledger.", success: "The refund limit as of today.", errors: [401, 404, 409, 500],
    },

    /// `GET /customers/{customerId}/scopes`.
    ListScopes { Get "/customers/{customerId}/scopes", Read, 200, () -> [Scope],
        id: "listCustomerScopes", tag: "Reservations", summary: "The scopes a customer owns (the scope choices).", success: "The customer's scopes.", errors: [401, 404, 500],
    },

    /// `GET /customers/{customerId}/savingsPlans`.
    ListSavingsPlans { Get "/customers/{customerId}/savingsPlans", Read, 200, () -> [CustomerSavingsPlan],
        id: "listCustomerSavingsPlans", tag: "Exchanges", summary: "A customer's savings plans (bought by trading reservations in), newest first.", success: "The customer's savings plans.", errors: [401, 403, 404, 409, 500],
        description: "A savings plan cannot be cancelled, exchanged or refunded: it is listed with its hourly commitment, term, start and expiry. In Azure mode (`--source azure`) the list is the plans the customer holds in Azure (Microsoft.BillingBenefits, read with the book), `azure` holding Azure's IDs, utilization and renewal; a figure Azure did not give is absent. When Azure could not be read the answer is Azure's error (`upstreamForbidden`, `upstreamRefused` or `upstreamUnavailable`), never the desk's own records.",
    },

    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}`.
    GetReservation { Get "/reservationOrders/{orderId}/reservations/{reservationId}", Read, 200, () -> ReservationDetail,
        id: "getReservation", tag: "Reservations", summary: "One reservation with its daily utilization history.", success: "The reservation.", errors: [401, 404, 500],
    },

    /// `PATCH /reservationOrders/{orderId}/reservations/{reservationId}`.
    ChangeReservation { Patch "/reservationOrders/{orderId}/reservations/{reservationId}", ChangeReservation, 200, ReservationPatch -> Reservation,
        id: "updateReservation", tag: "Reservations", summary: "Change a reservation's display name, scope or renewal.", success: "The changed reservation (without history).", errors: [400, 401, 403, 404, 409, 500],
        description: "Only an active (`Succeeded`) reservation can be changed (409 otherwise). Turning `renew` on for a VM size \
                      whose series can no longer be renewed for the reservation's term on the day it would renew (its expiry; a \
                      retired VM series × term) is a 409 `renewalRetired` naming `renew`; turning it off is always allowed.",
    },

    /// `GET /reservationOrders/{orderId}/reservations/{reservationId}/revisions`.
    ListRevisions { Get "/reservationOrders/{orderId}/reservations/{reservationId}/revisions", Read, 200, () -> [Revision],
        id: "listReservationRevisions", tag: "Reservations", summary: "A reservation's revisions, newest first: what it was after each change, who changed it and when.", success: "The revisions, newest first.", errors: [401, 404, 500],
        description: "A reservation never changed has one revision (itself as it is now). The first change of one also records \
                      revision 1: how it was before.",
    },

    /// `POST /reservationOrders/{orderId}/split`.
    SplitReservation { Post "/reservationOrders/{orderId}/split", ChangeReservation, 200, SplitRequest -> [Reservation],
        id: "splitReservation", tag: "Reservations", summary: "Split an active reservation of this order into two with the given quantities.", success: "The split reservation (now `Split`), then its two parts.", errors: [400, 401, 403, 404, 409, 500],
        description: "The two quantities must each be at least 1 and add up to the reservation's (400). The parts keep the purchase \
                      date, term and price, so a refund of any unit is quoted as before; the refund ledger is untouched. The source \
                      becomes `Split` and links to its parts (`splitProperties`); an inactive one is a 409.",
    },

    /// `POST /reservationOrders/{orderId}/merge`.
    MergeReservations { Post "/reservationOrders/{orderId}/merge", ChangeReservation, 200, MergeRequest -> [Reservation],
        id: "mergeReservations", tag: "Reservations", summary: "Merge two or more active reservations of this order into one.", success: "The merged reservation, then its sources (now `Merged`).", errors: [400, 401, 403, 404, 409, 500],
        description: "The sources must be distinct active reservations of this order with the same SKU, region, term, billing plan, \
                      price and scope (400 `notAlike` otherwise; 409 for an inactive one). They become `Merged` and link to the \
                      result (`mergeProperties`).",
    },

    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/archive`.
    ArchiveReservation { Post "/reservationOrders/{orderId}/reservations/{reservationId}/archive", ChangeReservation, 200, () -> Reservation,
        id: "archiveReservation", tag: "Reservations", summary: "Archive a finished reservation (cancelled, expired, failed, split or merged): lists hide it unless asked.", success: "The reservation, archived.", errors: [400, 401, 403, 404, 500],
        description: "An active reservation is a 400. Archiving an archived one changes nothing. No request body.",
    },

    /// `POST /reservationOrders/{orderId}/reservations/{reservationId}/unarchive`.
    UnarchiveReservation { Post "/reservationOrders/{orderId}/reservations/{reservationId}/unarchive", ChangeReservation, 200, () -> Reservation,
        id: "unarchiveReservation", tag: "Reservations", summary: "Bring an archived reservation back into the lists.", success: "The reservation, not archived.", errors: [401, 403, 404, 500],
        description: "No request body.",
    },

    /// `POST /reservationOrders/{orderId}/calculateRefund`.
    CalculateRefund { Post "/reservationOrders/{orderId}/calculateRefund", Quote, 200, CalculateRefundRequest -> CalculateRefundResponse,
        id: "calculateRefund", tag: "Refunds", summary: "Quote a refund for today and open a 10-minute refund session.", success: "The quote and its session.", errors: [400, 401, 403, 404, 409, 500],
        description: "Policy refusals are reported in `quote.policyResult.policyErrors` with 200. Without `policy` the deployment's \
                      (`GET /settings`) applies; another preset quotes a what-if (`whatIf: true`), whose session cannot be returned.",
    },

    /// `POST /reservationOrders/{orderId}/return`.
    Return { Post "/reservationOrders/{orderId}/return", MoveMoney, 200, ReturnRequest -> ReturnOutcome,
        id: "submitReturn", tag: "Refunds", summary: "Carry out the refund of a session (idempotent per session).", success: "What the return did (the same answer again for a completed session); or, with 202, the approval request it waits for.", errors: [400, 401, 403, 404, 409, 500],
        description: "Recomputes the quote; an expired session, a changed quote, a policy refusal or a what-if session (quoted \
                      under a policy other than the deployment's: `policyNotDeployed`) is a 409, and nothing moves. When the \
                      deployment sets an approval threshold (`GET /settings`: `approvalThreshold`) and the refund is above it, \
                      nothing moves either: the answer is 202 with the approval request (`status: pending`) and `Location: \
                      /api/approvals/{id}`; submitting the session again answers the same request.",
    },

    /// `GET /reservationOrders/{orderId}/roleAssignments`.
    ListRoleAssignments { Get "/reservationOrders/{orderId}/roleAssignments", Read, 200, () -> [RoleAssignment],
        id: "listRoleAssignments", tag: "Access control", summary: "Who has which role on a reservation order.", success: "The order's role assignments, oldest first.", errors: [401, 404, 500],
    },

    /// `POST /reservationOrders/{orderId}/roleAssignments`.
    AddRoleAssignment { Post "/reservationOrders/{orderId}/roleAssignments", ManageAccess, 201, NewRoleAssignment -> RoleAssignment,
        id: "createRoleAssignment", tag: "Access control", summary: "Grant a role on a reservation order.", success: "The created assignment.", errors: [400, 401, 403, 404, 409, 500],
        description: "The same principal with the same role again is a 409.",
    },

    /// `DELETE /reservationOrders/{orderId}/roleAssignments/{roleAssignmentId}`.
    RemoveRoleAssignment { Delete "/reservationOrders/{orderId}/roleAssignments/{roleAssignmentId}", ManageAccess, 204, () -> (),
        id: "deleteRoleAssignment", tag: "Access control", summary: "Remove a role assignment from a reservation order.", success: "Removed.", errors: [401, 403, 404, 500],
        description: "An assignment of another order is a 404.",
    },

    /// `GET /reservationOrders/{orderId}/principals`: the people picker.
    SearchPrincipals { Get "/reservationOrders/{orderId}/principals", ManageAccess, 200, () -> PrincipalSearch,
        id: "searchPrincipals", tag: "Access control", summary: "Find a user, group or application of the order's customer by name or e-mail, to give a role to.", success: "What matched, and each kind the directory would not search.", query: [("search", "A name or e-mail address (or its start), or an object ID (required; at least 2 characters).")], errors: [400, 401, 403, 404, 500],
        description: "In Azure mode the customer's Microsoft Entra directory is searched through Microsoft Graph on behalf of the signed-in \
                      user (`$search` on users' names, e-mail addresses and sign-in names, groups' names and e-mail addresses, \
                      applications' names; an object ID by `$filter`), at most 10 of each kind. A kind Graph refuses (the desk's API \
                      app not consented for Graph in the tenant, the user without directory rights there) is listed in `refused` \
                      with Graph's code and message, and the others are answered: a principal of that kind is then named by its \
                      object ID. In local mode the demo's people of the order's customer answer.",
    },

    /// `POST /quotes/refund`: the engine without state.
    QuoteRefund { Post "/quotes/refund", Quote, 200, RefundQuoteRequest -> RefundQuoteResponse,
        id: "quoteRefund", tag: "Quotes", summary: "Stateless refund quote from the engine.", success: "The quote (also when refused by policy).", errors: [400, 401, 403],
        description: "Malformed input is a 400 naming the field (`invalidQuoteInput`; a `skuName` that is not 1 to 128 printable ASCII characters: `invalidSkuName`). Optional `reservation.currentUnitPrice` (the current catalog price of the same SKU, region, term and billing plan, in the billing currency, not negative): when lower than `unitPrice`, the refund is computed at it, with a `refund-at-current-price` line and `refundUnitPrice` saying which price and why. Without the optional fields the answer is the same as before they existed.",
    },

    /// `POST /quotes/exchange`: the engine without state.
    QuoteExchange { Post "/quotes/exchange", Quote, 200, ExchangeQuoteRequest -> ExchangeQuoteResponse,
        id: "quoteExchange", tag: "Quotes", summary: "Stateless exchange quote from the engine.", success: "The quote (also when invalid by policy).", errors: [400, 401, 403],
        description: "Malformed input is a 400 naming the field (`invalidQuoteInput`; a `skuName` that is not 1 to 128 printable ASCII characters: `invalidSkuName`). A purchase's optional `skuName` (e.g. `Standard_D2s_v3`) names its VM series: buying a series × term Microsoft retired on or before `asOf` is the policy error `RetiredVmSeries`, naming the SKU (its figures in the error's `detail`). A reservation bought on or after its service's exchange restriction date (1 February 2027 for the services savings plans cover) is `ReservationNotExchangeable`. `savingsPlansToPurchase` trades the returns in for savings plans (`purchases` may then be `[]`): `VirtualMachines`, `DedicatedHost` and `AppService` reservations for a 1- or 3-year `Compute_Savings_Plan`, `SqlDatabases`, `PostgreSql`, `MySql` and `CosmosDb` reservations for a 1-year `Database_Savings_Plan` (else `TradeInNotEligible`, naming the reservation's type and the plan), at most 100 of them (`TradeInTooManyReservations`), with a lifetime commitment (hourly × 8,760 hours a year) at least the remaining commitment returned (`SavingsPlanCommitmentTooLow`); `savingsPlans` answers each with its `lifetimeCommitment`, `dueNow` and `minimumHourlyCommitment`. Without the optional fields the answer is the same as before they existed.",
    },

    /// `GET /catalog`.
    Catalog { Get "/catalog", Read, 200, () -> [CatalogItem],
        id: "listCatalog", tag: "Exchanges", summary: "Purchasable SKUs with a price per term.", success: "The catalog.", errors: [401],
        description: "Each SKU lists in `retiredTerms` the terms that can be neither bought nor renewed from a day on (a retired \
                      VM series × term, with the day and the series): an exchange buying one on or after that day is refused by \
                      the policy (`RetiredVmSeries`).",
    },

    /// `GET /customers/{customerId}/catalog`.
    CustomerCatalog { Get "/customers/{customerId}/catalog", Read, 200, () -> CustomerCatalog,
        id: "listCustomerCatalog", tag: "Purchases", summary: "What this customer can buy: each SKU and region, its terms and billing plans, and what Azure restricts.", success: "The customer's catalog.", query: [("location", "Only this region."), ("reservedResourceType", "Only this reserved resource type (`VirtualMachines`, `SqlDatabases`, …)."), ("subscriptionId", "Azure mode: the subscription whose catalog it is (else the first active one the user sees).")], errors: [401, 404, 409, 500],
        description: "Local mode and the static build answer the demo catalog (`source: demo`, with its prices). Azure mode \
                      answers ARM's `catalogs` (2022-11-01) for the customer's subscription, every page, read on behalf of the \
                      signed-in user (`source: azure`, without prices: `getUnitPrice` asks Azure for one), kept for an hour \
                      (`readAt`). A term or location Azure restricts (`NotAvailableForSubscription`, …) is listed in \
                      `restrictions` with Azure's reason code, not hidden. A read Azure refuses is its status with Azure's \
                      reason and request IDs (`upstreamForbidden`, `upstreamUnavailable`, …); never the demo catalog.",
    },

    /// `GET /customers/{customerId}/price`.
    GetUnitPrice { Get "/customers/{customerId}/price", Read, 200, () -> UnitPrice,
        id: "getUnitPrice", tag: "Purchases", summary: "The whole-term price of one unit of a SKU, for a term and billing plan, in the customer's billing currency.", success: "The price of one unit.", query: [("skuId", "`{skuName}/{location}` (required)."), ("term", "`P1Y`, `P3Y` or `P5Y` (required)."), ("billingPlan", "`Upfront` (default) or `Monthly`."), ("subscriptionId", "Azure mode: the subscription billed (else the first active one the user sees).")], errors: [400, 401, 404, 409, 500],
        description: "Local mode: the demo catalog's price. Azure mode: ARM's `calculatePrice` of one unit with the \
                      subscription as `billingScopeId`, kept for an hour (`pricedAt`); the purchase is quoted from it by the \
                      engine, and Review asks Azure again for the whole purchase. A SKU this customer's catalog does not list \
                      is `notInCatalog` (400); a term or region Azure restricts, or a billing plan it does not sell, \
                      `policyRefused` (409) with Azure's reason.",
    },

    /// `POST /calculateExchange`.
    CalculateExchange { Post "/calculateExchange", Quote, 200, CalculateExchangeRequest -> CalculateExchangeResponse,
        id: "calculateExchange", tag: "Exchanges", summary: "Quote an exchange for today and open a 10-minute exchange session.", success: "The quote and its session.", errors: [400, 401, 403, 409, 500],
        description: "An unknown reservation ID (or one not of the `reservationOrderId` its line names) is a 400 naming \
                      `reservationsToExchange[i].reservationId`; more than 100 lines in either list is a 400 `tooManyLines` naming \
                      the list, checked before anything is read. `savingsPlansToPurchase` (at most 100) trades the returned \
                      reservations in for savings plans (`reservationsToPurchase` may be `[]`); an hourly commitment of zero or \
                      finer than the currency's minor unit is a 400 naming it. A quote the policy refuses is answered, but its \
                      session is not kept.",
    },

    /// `POST /exchange`.
    Exchange { Post "/exchange", MoveMoney, 200, ExchangeRequest -> ExchangeOutcome,
        id: "submitExchange", tag: "Exchanges", summary: "Carry out the exchange of a session (idempotent per session).", success: "What the exchange did (the same answer again for a completed session); or, with 202, the approval request it waits for.", errors: [400, 401, 403, 404, 409, 500],
        description: "An unknown session (also a refused quote's, and one expired more than 10 minutes before a newer session \
                      was saved) is a 404; an expired session, a changed quote or a policy refusal is a 409. A trade-in's \
                      savings plans are answered in `savingsPlans` and become the customer's (`listCustomerSavingsPlans`); \
                      nothing of an exchange counts toward the refund limit. Above the \
                      deployment's approval threshold (the refunds total) nothing moves: 202 with the approval request and \
                      `Location: /api/approvals/{id}`.",
    },

    /// `GET /customers/{customerId}/recommendations`.
    ListRecommendations { Get "/customers/{customerId}/recommendations", Read, 200, () -> CustomerRecommendations,
        id: "listRecommendations", tag: "Purchases", summary: "What to buy for a customer from their usage, each priced, what is left out, and the yearly savings on the table.", success: "The recommendations, largest yearly savings first.", query: [("lookBack", "The usage looked back over: `Last7Days`, `Last30Days` (the default) or `Last60Days` (or 7, 30, 60).")], errors: [400, 401, 404, 409, 500],
        description: "In the shape of Microsoft.Consumption's reservation recommendations: SKU, region, term, \
                      scope, recommended quantity, look-back period, the usage's cost on demand and reserved, net savings, and \
                      `savingsPerYear` (the net savings carried to a year). `refusal` says why a retired VM series × term cannot be \
                      bought; `notInCatalog` marks a SKU the desk's catalog does not quote yet. The answer's `savingsPerYear` sums \
                      the best term of each SKU that can be bought. In local mode they follow the customer's reservations (a SKU \
                      used at 85 % or more runs over on demand, over the look-back asked), each with `proposal`, the engine's quote \
                      of buying it upfront today. In Azure mode they are Microsoft.Consumption's own, both kinds (legacy and \
                      modern), at single scope for each subscription the caller sees and at shared scope once for the customer, \
                      for each reserved resource type the desk asks (virtual machines, SQL Database, Cosmos DB, App Service, \
                      Redis, PostgreSQL, MySQL, managed disks), with Azure's figures only; what was read but is not shown is in \
                      `leftOut` with its reason. Azure refusing the caller is a 403 `upstreamForbidden`, Azure unreachable a 503.",
    },

    /// `POST /calculatePurchase`.
    CalculatePurchase { Post "/calculatePurchase", Quote, 200, CalculatePurchaseRequest -> CalculatePurchaseResponse,
        id: "calculatePurchase", tag: "Purchases", summary: "Quote buying a reservation for a customer today and open a 10-minute purchase session.", success: "The quote and its session; `reservationOrderId` is the order the purchase creates.", errors: [400, 401, 403, 404, 409, 500],
        description: "A catalog SKU (`purchase.skuId`, `listCatalog`) for a term and billing plan, priced in the customer's \
                      currency: `quote` gives the commitment, what is due today and every payment (`schedule`: one upfront, \
                      `12 × years` monthly, summing to the commitment). With `onDemand` (a recommendation's on-demand cost over \
                      its look-back period) it also gives the savings over the term, per year and the break-even month. A \
                      retired VM series × term is quoted with the policy error `RetiredVmSeries` and its session is not kept. A \
                      SKU not in the catalog, a quantity outside 1 to 1000, a scope the customer does not own or a name the \
                      display-name rule refuses is a 400 naming the field; an unknown customer is a 404. In Azure mode `azure` \
                      gives Azure's own price (ARM's `calculatePrice` in the customer's tenant) beside the desk's, each \
                      difference named; Partner Center sells reservations paid upfront with a shared or single-subscription \
                      scope, so another plan or scope is a 409 `azureChangesNotYetSupported`.",
    },

    /// `POST /purchase`.
    Purchase { Post "/purchase", MoveMoney, 200, PurchaseRequest -> PurchaseOutcome,
        id: "submitPurchase", tag: "Purchases", summary: "Buy the reservation of a purchase session (once per session: its order).", success: "What the purchase bought (the same answer again for a session bought already); or, with 202, the approval request it waits for.", errors: [400, 401, 403, 404, 409, 500],
        description: "Quoted again today: a changed quote, a policy refusal or an expired session is a 409, an unknown session a \
                      404. The reservation's order is the session's ID: submitting the session again, or approving it twice, \
                      buys nothing more. Nothing of a purchase counts toward the refund limit. Above the deployment's approval \
                      threshold (the commitment in USD) nothing is bought: 202 with the approval request and \
                      `Location: /api/approvals/{id}`. In Azure mode it goes through Partner Center on behalf of the caller \
                      (the subscription registered for reservation purchases, the catalog item, a cart checked out once) and \
                      answers the reservation under ARM's IDs once the order's entitlement names it; until then a 409 \
                      `upstreamInProgress` (submit again later), and a checkout whose answer was lost is found among the \
                      customer's orders, never checked out again.",
    },

    /// `GET /approvals`: the approval requests waiting for a decision.
    ListApprovals { Get "/approvals", Read, 200, () -> [Approval],
        id: "listApprovals", tag: "Approvals", summary: "The approval requests waiting for a decision (pending or needing approval again, not expired), oldest first.", success: "The open requests of the customers the caller sees.", errors: [401, 500],
    },

    /// `GET /approvals/{approvalId}`: one approval request and its outcome.
    GetApproval { Get "/approvals/{approvalId}", Read, 200, () -> Approval,
        id: "getApproval", tag: "Approvals", summary: "One approval request as it stands: pending, needsApprovalAgain, approved (with what moved), rejected (with the reason) or expired.", success: "The approval request.", errors: [401, 404, 500],
    },

    /// `POST /approvals/{approvalId}/approve`.
    ApproveApproval { Post "/approvals/{approvalId}/approve", MoveMoney, 200, () -> Approval,
        id: "approveApproval", tag: "Approvals", summary: "Approve a request someone else made: the desk quotes again and, if the amount is unchanged, moves the money once.", success: "The request: approved (with `refund` or `exchange`), or needsApprovalAgain with `previousAmount` and the new `amount`.", errors: [401, 403, 404, 409, 500],
        description: "The requester cannot approve their own request (403 `ownApproval`). A request past its expiry is a 409 \
                      `approvalExpired`, one already approved or rejected a 409 `approvalClosed`; a refund the limit now \
                      refuses is a 409 `policyRefused` (the request stays open). No request body.",
    },

    /// `POST /approvals/{approvalId}/reject`.
    RejectApproval { Post "/approvals/{approvalId}/reject", MoveMoney, 200, RejectApproval -> Approval,
        id: "rejectApproval", tag: "Approvals", summary: "Reject a request someone else made, with a reason; nothing moves.", success: "The rejected request.", errors: [400, 401, 403, 404, 409, 500],
        description: "`reason` is required (400 `required`), at most 1000 characters. The requester cannot reject their own \
                      request (403 `ownApproval`).",
    },

    /// `GET /grants`: which security groups see which customers, in which role.
    ListGrants { Get "/grants", ManageGrants, 200, () -> [Grant],
        id: "listGrants", tag: "Access", summary: "Which security groups see which customers, and in which role (Global admin).", success: "Every grant, oldest first.", errors: [401, 403, 500],
        description: "Once the deployment holds any grant, grants govern every user whose token's `groups` name a group: such a \
                      user sees only the customers its groups are granted, each in the granted role, and another customer is a \
                      404, as one that does not exist. It fails closed: a user none of whose groups holds a grant reaches no \
                      customer. A token that names no group keeps its roles on every customer, and so does everyone while no \
                      grant exists.",
    },

    /// `POST /grants`.
    CreateGrant { Post "/grants", ManageGrants, 201, NewGrant -> Grant,
        id: "createGrant", tag: "Access", summary: "Grant a security group a role on one customer, or on all customers (Global admin).", success: "The created grant.", errors: [400, 401, 403, 404, 409, 500],
        description: "`groupId` is the group's object ID, a GUID (400 `invalidGroupId`); an unknown `customerId` is a 404; the same \
                      group, customer and role again is a 409 `alreadyGranted`.",
    },

    /// `DELETE /grants/{grantId}`.
    DeleteGrant { Delete "/grants/{grantId}", ManageGrants, 204, () -> (),
        id: "deleteGrant", tag: "Access", summary: "Remove a grant (Global admin).", success: "Removed.", errors: [401, 403, 404, 500],
    },

    /// `GET /alerts`: what the desk watches, per customer, and where each alert went.
    ListAlerts { Get "/alerts", Read, 200, () -> AlertsView,
        id: "listAlerts", tag: "Alerts", summary: "Current alerts per customer, with their deliveries and the caller's subscriptions.", success: "Every customer the caller sees with its alerts as of today, and the deliveries (sent and failed), newest first.", errors: [401, 500],
        description: "Watched: reservations expiring within 90, 30 and 7 days (with whether renewal is on), reservations whose last \
                      7 days' utilization is below `ALERT_UTILIZATION_PERCENT`, a refund headroom under the USD 50,000 limit below \
                      `ALERT_HEADROOM_USD`, and reservations bought before 1 February 2027 of a service whose exchanges become one \
                      final exchange per unit on that day (from 90 days before). The server sends them (e-mail, webhook); the \
                      static build shows them and sends nothing.",
    },

    /// `GET /worklist`: what needs doing across every customer the caller sees.
    ListWorklist { Get "/worklist", Read, 200, () -> Worklist,
        id: "listWorklist", tag: "Alerts", summary: "The partner's worklist: what needs doing across every customer, ranked by the money at stake.", success: "One row per thing to do over every customer the caller sees (or those of one state, or a page of them), most at stake first, with the team's state, how many rows the page was cut from (`total`) and the 1 February 2027 exchange campaign's totals (over every row).", query: [("state", "Only the rows in this state: `open`, `snoozed` or `done` (every row when absent)."), ("skip", "How many rows of the ranking to pass over first (none when absent)."), ("top", "How many rows to answer at most, 1 to 10000 (all when absent): a console shows the first 100 at once.")], errors: [400, 401, 500],
        description: "Reasons: `exchangeRightEnds` (bought before 1 February 2027 for a service savings plans cover, active past it: \
                      remaining commitment at stake, due 31 January 2027), `finalExchange`, `renewsIntoNoExchange`, `seriesRetiring`, \
                      `expiringUncovered` (60 days, renewal off), `underused` (30-day utilization Azure reported below \
                      `ALERT_UTILIZATION_PERCENT`), `refundLimit` (under 10 % of USD 50,000 left), `accessEnds` and `savingsOnTheTable`. \
                      Each row has its money at stake in its currency and in USD, its due day and a console link. In Azure mode it is \
                      computed from the last read (no call to Azure), without the recommendations' savings (`savingsCounted`).",
    },

    /// `PATCH /worklist/{workItemId}`: the team's state for a row.
    MarkWorkItem { Patch "/worklist/{workItemId}", WorkTheList, 200, WorkItemPatch -> WorkItem,
        id: "markWorkItem", tag: "Alerts", summary: "Snooze a worklist row, mark it done or open again, with an owner and a note (Admin agent, Global admin).", success: "The row with its new state.", errors: [400, 401, 403, 404, 500],
        description: "Audited. A snooze needs `snoozedUntil` after today (at most a year ahead); a row whose cause is gone is no \
                      longer listed and its state is forgotten, so a cause that returns starts open. A row that is not listed \
                      today answers 404.",
    },

    /// `GET /customers/{customerId}/pricing`: the partner's price for a customer.
    GetCustomerPricing { Get "/customers/{customerId}/pricing", Read, 200, () -> CustomerPricing,
        id: "getCustomerPricing", tag: "Billing", summary: "The partner's price for a customer: the one in force now, the customer's own history and the default's.", success: "The customer's pricing.", errors: [401, 404, 500],
        description: "A price is a markup in percent on Microsoft's figure (in the currency Microsoft bills the customer in) and \
                      fixed unit prices per SKU and term that take precedence over it. The customer's own, once set, wins over \
                      the default for all; none passes Microsoft's figures on as billed.",
    },

    /// `PUT /customers/{customerId}/pricing`: sets the customer's price from now on.
    SetCustomerPricing { Put "/customers/{customerId}/pricing", SetPricing, 200, PricingRequest -> CustomerPricing,
        id: "setCustomerPricing", tag: "Billing", summary: "Set the partner's price for a customer from now on (Global admin).", success: "The customer's pricing after.", errors: [400, 401, 403, 404, 500],
        description: "Audited. A price is never edited: each one is in force from the moment it is set, so a move is always \
                      priced by what was in force when it happened and a closed month's statement does not change. \
                      `markupPercent` from -100 to 1000 (at most 4 decimals); at most 200 fixed prices, one per SKU and term, \
                      each above zero in whole minor units.",
    },

    /// `PUT /pricing`: sets the default price for all customers from now on.
    SetDefaultPricing { Put "/pricing", SetPricing, 200, PricingRequest -> [PartnerPricing],
        id: "setDefaultPricing", tag: "Billing", summary: "Set the partner's default price for every customer without its own, from now on (Global admin).", success: "The default's history after, oldest first.", errors: [400, 401, 403, 500],
        description: "Audited; as a customer's price, in force from the moment it is set.",
    },

    /// `GET /customers/{customerId}/statements/{month}`: what the customer is charged and credited.
    GetStatement { Get "/customers/{customerId}/statements/{month}", Read, 200, () -> Statement,
        id: "getStatement", tag: "Billing", summary: "A customer's statement for a month: every move with Microsoft's figure, the customer's at the partner's price, and the margin.", success: "The month's lines, oldest first, and the totals per currency.", errors: [400, 401, 404, 500],
        description: "Each move the audit log holds (a purchase, a refund, each side of an exchange), as recorded when the \
                      money moved and priced at the partner's price recorded with it; the later instalments of what was \
                      bought monthly; each line rounded to the currency's minor unit, half to even; totals (`charged`, \
                      `credited`, their net `customer`) are the lines' sums per currency, never mixed. A credit is never \
                      more than the customer was charged for the units (`customerPaidForUnits`). A closed month (`closed`) \
                      reads the same whatever happens later.",
    },

    /// `POST /customers/{customerId}/statements/{month}/reconciliation`: the statement matched to Microsoft's invoice.
    ReconcileStatement { Post "/customers/{customerId}/statements/{month}/reconciliation", Read, 200, ReconciliationRequest -> Reconciliation,
        id: "reconcileStatement", tag: "Billing", summary: "Match a customer's statement for a month to Microsoft's invoice reconciliation lines: each move matched, differing or missing.", success: "The statement, each line's match, and Microsoft's reservation lines no move explains.", errors: [400, 401, 403, 404, 409, 500],
        description: "Give `file`: a reconciliation file Partner Center gave (CSV with Microsoft's column names, or JSON lines as \
                      Microsoft Graph's export writes them; gzip-compressed or not), base64; or, in Azure mode, `invoiceId`: the \
                      desk exports that invoice's lines through Microsoft Graph on behalf of the caller. The customer's lines \
                      (`CustomerId`) are matched by reservation order: a purchase to its charges, a refund to its credits, an \
                      exchange to every line of the orders it returned and bought; an amount matches within one minor unit per \
                      line. Nothing is stored or changed: a mismatch is shown, with what to check.",
    },

    /// `POST /customers/{customerId}/alertSubscription`.
    SetAlertSubscription { Post "/customers/{customerId}/alertSubscription", Read, 200, AlertSubscription -> AlertSubscription,
        id: "setAlertSubscription", tag: "Alerts", summary: "Subscribe the caller to a customer's alerts by e-mail, or unsubscribe.", success: "The caller's subscription now.", errors: [400, 401, 404, 500],
        description: "The e-mail goes to the caller's sign-in name (user principal name). Idempotent.",
    },

    /// `GET /supportRequests?customerId=`.
    ListSupportRequests { Get "/supportRequests", Read, 200, () -> [SupportRequest],
        id: "listSupportRequests", tag: "Support", summary: "Support requests, newest first.", success: "Support requests, newest first.", query: [("customerId", "Only this customer's requests.")], errors: [401, 500],
    },

    /// `GET /supportRequests/{supportRequestId}`.
    GetSupportRequest { Get "/supportRequests/{supportRequestId}", Read, 200, () -> SupportRequest,
        id: "getSupportRequest", tag: "Support", summary: "One support request.", success: "The support request.", errors: [401, 404, 500],
    },

    /// `POST /supportRequests`.
    CreateSupportRequest { Post "/supportRequests", SupportRequests, 201, NewSupportRequest -> SupportRequest,
        id: "createSupportRequest", tag: "Support", summary: "Open a support request about a reservation.", success: "The created request.", errors: [400, 401, 403, 404, 500],
        description: "An unknown reservation (or one not in the given order) is a 404.",
    },
}

/// Why no operation answers a method and path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// No operation has this path (404).
    NoSuchPath,
    /// The path exists with other methods (405).
    MethodNotAllowed,
    /// A segment of the path is not percent-encoded UTF-8 (400).
    Undecodable,
}

impl Operation {
    /// The path below `/api` with the template's parameters replaced by `params`, in order.
    pub fn path(self, params: &[&str]) -> String {
        route::fill(self.template(), params)
    }

    /// The operation for `method` and `path` (below `/api`) and the path's parameters in
    /// template order. `HEAD` finds the `GET` operation.
    pub fn find(method: &str, path: &str) -> Result<(Operation, Vec<String>), RouteError> {
        let method = if method == "HEAD" { "GET" } else { method };
        // Each segment decoded once, after splitting: an encoded `/` (`%2F`) is part of an ID.
        let given = path
            .trim_matches('/')
            .split('/')
            .map(|segment| route::decode_segment(segment).ok_or(RouteError::Undecodable))
            .collect::<Result<Vec<_>, _>>()?;
        let mut path_exists = false;
        for op in Self::ALL {
            if let Some(params) = match_template(op.template(), &given) {
                if op.method().as_str() == method {
                    return Ok((op, params));
                }
                path_exists = true;
            }
        }
        Err(if path_exists { RouteError::MethodNotAllowed } else { RouteError::NoSuchPath })
    }
}

/// The parameters of a path (its segments `given`, decoded) when it has the shape of `template`.
fn match_template(template: &str, given: &[std::borrow::Cow<'_, str>]) -> Option<Vec<String>> {
    let mut wanted = template.trim_matches('/').split('/');
    let mut given = given.iter();
    let mut params = Vec::new();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) if w.starts_with('{') => {
                if g.is_empty() {
                    return None;
                }
                params.push(g.clone().into_owned());
            }
            (Some(w), Some(g)) if *g == w => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::route::Method;

    #[test]
    fn each_operation_is_found_by_its_own_method_and_path() {
        for op in Operation::ALL {
            let values: Vec<String> = route::parameters(op.template()).map(|name| format!("{name}-1")).collect();
            let path = op.path(&values.iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(Operation::find(op.method().as_str(), &path), Ok((op, values)), "{path}");
        }
    }

    #[test]
    fn each_operations_parameters_sent_percent_encoded_are_read_decoded() {
        let every_byte = |value: &str| value.bytes().map(|b| format!("%{b:02x}")).collect::<String>();
        for op in Operation::ALL {
            let values: Vec<String> =
                route::parameters(op.template()).map(|name| format!("exchangeRightEnds:{name}:a/b 50%·é")).collect();
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            // As encodeURIComponent writes them, and with every byte encoded.
            let encoded = op.path(&refs);
            assert!(values.is_empty() || encoded.contains("%3A"), "{encoded}");
            assert_eq!(Operation::find(op.method().as_str(), &encoded), Ok((op, values.clone())), "{encoded}");
            let mut all = values.iter();
            let by_byte: Vec<String> =
                op.template().split('/').map(|s| if s.starts_with('{') { every_byte(all.next().unwrap()) } else { s.to_owned() }).collect();
            assert_eq!(Operation::find(op.method().as_str(), &by_byte.join("/")), Ok((op, values)), "{by_byte:?}");
        }
        assert_eq!(Operation::find("PATCH", "/worklist/a%zz"), Err(RouteError::Undecodable));
        assert_eq!(Operation::find("PATCH", "/worklist/a%C3"), Err(RouteError::Undecodable));
    }

    #[test]
    fn a_path_is_built_from_the_template() {
        assert_eq!(Operation::GetReservation.path(&["o1", "r1"]), "/reservationOrders/o1/reservations/r1");
        assert_eq!(Operation::RemoveRoleAssignment.path(&["o1", "a1"]), "/reservationOrders/o1/roleAssignments/a1");
        assert_eq!(Operation::ListCustomers.path(&[]), "/customers");
        for (i, op) in Operation::ALL.iter().enumerate() {
            assert!(!Operation::ALL[i + 1..].contains(op), "{op:?} is listed twice");
            for name in route::parameters(op.template()) {
                assert!(PATH_PARAMETERS.iter().any(|(known, _)| *known == name), "{op:?}: {name}");
            }
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
        assert_eq!(Operation::ListGrants.permission(), Permission::ManageGrants);
        assert_eq!(Operation::ListReadiness.permission(), Permission::ReadReadiness);
        let partner_wide = [Operation::VerifyAudit, Operation::ListGrants, Operation::ListReadiness, Operation::StartConsents, Operation::GetConsentRun];
        // Searching a customer's directory for people is for those who may give them a role:
        // a reader sees the order's role assignments, not the customer's directory.
        assert_eq!(Operation::SearchPrincipals.permission(), Permission::ManageAccess);
        let not_plain_reads = [partner_wide.as_slice(), &[Operation::SearchPrincipals]].concat();
        for op in Operation::ALL.into_iter().filter(|op| op.method() == Method::Get && !not_plain_reads.contains(op)) {
            assert_eq!(op.permission(), Permission::Read, "{op:?}");
        }
    }

    #[test]
    fn only_archive_and_unarchive_are_posts_without_a_body() {
        let without: Vec<Operation> = Operation::ALL.into_iter().filter(|op| op.method() != Method::Get && !op.takes_body()).collect();
        assert_eq!(
            without,
            [
                Operation::ArchiveReservation,
                Operation::UnarchiveReservation,
                Operation::RemoveRoleAssignment,
                Operation::ApproveApproval,
                Operation::DeleteGrant
            ]
        );
    }
}
