//! The HTTP contract between the SPA and the server.
//!
//! Both sides depend on this crate, so a field renamed here is renamed on both ends of the wire
//! at once. Only plain data lives here: no I/O, no framework types. [`route`] is where an
//! operation is on the wire (method, path template); [`openapi`] (feature `openapi`) the one
//! builder of the generated OpenAPI documents.

pub mod access_control;
pub mod alert;
pub mod approval;
pub mod audit;
pub mod change;
pub mod configuration;
pub mod customer;
pub mod exchange;
pub mod gdap;
pub mod grant;
#[cfg(feature = "openapi")]
pub mod openapi;
mod operation_table;
pub mod problem;
pub mod purchase;
pub mod recommendation;
pub mod refund;
pub mod refund_limit;
pub mod reservation;
pub mod route;
pub mod savings_plan;
pub mod seed;
pub mod settings;
pub mod sign_in;
pub mod reconciliation;
pub mod statement;
pub mod source;
pub mod support;
pub mod user;
pub mod worklist;

pub use customer::Customer;
pub use alert::{Alert, AlertAction, AlertDelivery, AlertKind, AlertSubscription, AlertThresholds, AlertsView, CustomerAlerts, DeliveryStatus};
pub use approval::{Approval, ApprovalKind, ApprovalNeeded, ApprovalPerson, ApprovalReturn, ApprovalStatus, ExchangeOutcome, RejectApproval, ReturnOutcome};
pub use change::{Approvers, Bought, BoughtSavingsPlan, ChangeDetail, Revision, ScopeWords, SettingChange, UnitsMoved};
pub use audit::{AuditAction, AuditEntry, AuditLedgerRow, AuditVerification, ChainBreak, LedgerMismatch, LedgerMismatchKind};
pub use access_control::{DirectoryRefusal, NewRoleAssignment, Principal, PrincipalSearch, PrincipalType, RefusalKind, ReservationRole, RoleAssignment};
pub use configuration::{ReservationPatch, Scope};
pub use exchange::{
    AzureExchangeCheck, CalculateExchangeRequest, CalculateExchangeResponse, CatalogItem, ExchangeDifference, ExchangeFigure, CatalogPrice, ExchangePurchaseRequest,
    ExchangeRequest, ExchangeResponse, ExchangeReturnRequest, RetiredTerm, CatalogTerm, CatalogRestriction, RestrictionKind, CatalogSource, CustomerCatalog, UnitPrice,
};
pub use grant::{Grant, NewGrant};
pub use savings_plan::{AzureSavingsPlanFacts, CommitmentGrain, CustomerSavingsPlan, SavingsPlan, SavingsPlanCommitment, SavingsPlanPurchaseRequest, SavingsPlanRenewal};
pub use problem::{Problem, ProblemCode};
pub use recommendation::{CustomerRecommendations, LeftOutReason, LeftOutRecommendation, LookBackPeriod, Recommendation};
pub use purchase::{
    AzurePurchaseCheck, CalculatePurchaseRequest, CalculatePurchaseResponse, PurchaseDifference, PurchaseFigure, PurchaseOutcome, PurchaseRequest, PurchaseResponse,
};
pub use user::{PartnerRole, User};
pub use worklist::{
    AccessEnding, Campaign, CampaignCustomer, StakeNote, WorkAction, WorkCause, WorkItem, WorkItemPatch, WorkMark, WorkMarked, WorkReason, WorkState, Worklist, WorklistQuery,
};
pub use sign_in::SignInConfig;
pub use reconciliation::{InvoiceFile, InvoiceLine, InvoiceSource, LineMatch, MatchState, Reconciliation, ReconciliationRequest};
pub use statement::{CustomerPricing, FixedPrice, Move, MoveKind, PartnerPricing, PriceBasis, PriceInForce, PricingRequest, Statement, StatementLine, StatementTotal, UnpricedMove};
pub use settings::{AlertChannels, DataSource, Settings};
pub use support::{AzureSupportTicket, ContactInformation, ContactMethod, NewSupportRequest, SupportRequest, SupportSeverity};
pub use refund::{
    AzurePolicyError, AzureRefundCheck, CalculateRefundRequest, CalculateRefundResponse, RefundDifference, RefundFigure, ReturnRequest, ReturnResponse,
};
pub use refund_limit::{AzureRefundStanding, RefundLedgerEntry, RefundLimit};
pub use reservation::{
    AppliedScopeProperties, AppliedScopeType, DailyUtilization, MergeProperties, MergeRequest, NotQuotable, ProvisioningState,
    Reservation, ReservationDetail, SplitProperties, SplitRequest, UtilizationAggregates,
};
