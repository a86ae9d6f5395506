//! The JSON wire types of `POST /api/quotes/refund` and `POST /api/quotes/exchange`, and the
//! functions behind them. The server and the browser call exactly these.
//!
//! Serde already rejects unknown fields, unknown policies and terms, impossible dates and
//! amounts sent as JSON numbers; [`refund`] and [`exchange`] reject the rest (negative or
//! huge prices, missing USD prices, empty lists) with an [`InputError`] naming the field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::InputError;
use crate::exchange::{quote_exchange_with_savings_plans, ExchangeQuote};
use crate::money::Money;
use crate::outcome::{PolicyError, PolicyWarning, QuoteLine};
use crate::policy::PolicyName;
use crate::refund::{quote_refund, RefundQuote};
use crate::reservation::{ExchangeReturn, PriorRefund, Purchase, Reservation};
use crate::rules::refund_price::RefundUnitPrice;
use crate::savings_plan::{SavingsPlanPurchase, SavingsPlanQuote};

/// Body of `POST /api/quotes/refund`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundQuoteRequest {
    /// Preset to apply.
    pub policy: PolicyName,
    /// Day to quote for (the engine never reads a clock).
    pub as_of: NaiveDate,
    /// The reservation.
    pub reservation: Reservation,
    /// Units to return.
    pub quantity: u32,
    /// The customer's refund ledger (USD amounts that counted toward the limit); may be omitted.
    #[serde(default)]
    pub prior_refunds: Vec<PriorRefund>,
}

/// `policyResult` of a refund response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundPolicyResultBody {
    /// What already counts toward the limit as of `asOf`.
    pub consumed_refunds_total: Money,
    /// The limit.
    pub max_refund_limit: Money,
    /// What this refund would add to the window (zero when the quote has policy errors).
    pub counted_toward_limit: Money,
    /// Refusals.
    pub policy_errors: Vec<PolicyError>,
    /// Warnings such as `RefundCapped`.
    pub warnings: Vec<PolicyWarning>,
}

/// Response of `POST /api/quotes/refund` (200, also when refused by policy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundQuoteResponse {
    /// Units returned.
    pub quantity: u32,
    /// P.
    pub total_paid: Money,
    /// U.
    pub used_amount: Money,
    /// RC.
    pub remaining_commitment: Money,
    /// F.
    pub canceled_future_payments: Money,
    /// Early termination fee.
    pub early_termination_fee: Money,
    /// What the customer gets back.
    pub refund_amount: Money,
    /// Lost to a truncating cap.
    pub forfeited_amount: Money,
    /// Billed in another currency than USD: `refundAmount` in USD at the reservation's own rate
    /// (its USD price over its billing price), the figure the approval threshold is compared
    /// with. Absent when billed in USD (the refund itself is that figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount_usd: Option<Money>,
    /// With `RefundLimitExceeded`: largest quantity that fits now; else `null`.
    pub max_quantity_within_limit: Option<u32>,
    /// With `RefundLimitExceeded`: first day the whole quantity fits; else `null`.
    pub fits_on: Option<NaiveDate>,
    /// Limit figures, errors and warnings.
    pub policy_result: RefundPolicyResultBody,
    /// Itemized lines; they sum to `refundAmount`.
    pub lines: Vec<QuoteLine>,
    /// With a `currentUnitPrice` on the reservation: the unit price the refund is computed at
    /// (the lower of the purchase and the current price) and which one it is; absent without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_unit_price: Option<RefundUnitPrice>,
}

impl From<RefundQuote> for RefundQuoteResponse {
    fn from(q: RefundQuote) -> Self {
        Self {
            quantity: q.quantity,
            total_paid: q.total_paid,
            used_amount: q.used_amount,
            remaining_commitment: q.remaining_commitment,
            canceled_future_payments: q.canceled_future_payments,
            early_termination_fee: q.early_termination_fee,
            refund_amount: q.refund_amount,
            forfeited_amount: q.forfeited_amount,
            refund_amount_usd: q.refund_amount_usd,
            max_quantity_within_limit: q.max_quantity_within_limit,
            fits_on: q.fits_on,
            policy_result: RefundPolicyResultBody {
                consumed_refunds_total: q.policy_result.consumed_refunds_total,
                max_refund_limit: q.policy_result.max_refund_limit,
                counted_toward_limit: q.policy_result.counted_toward_limit,
                policy_errors: q.policy_result.policy_errors,
                warnings: q.policy_result.warnings,
            },
            lines: q.lines,
            refund_unit_price: q.refund_unit_price,
        }
    }
}

/// Body of `POST /api/quotes/exchange`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeQuoteRequest {
    /// Preset to apply.
    pub policy: PolicyName,
    /// Day to quote for.
    pub as_of: NaiveDate,
    /// Reservations (or parts) handed back; at least one.
    pub returns: Vec<ExchangeReturn>,
    /// New reservations bought; at least one, unless savings plans are bought (then it may be `[]`).
    pub purchases: Vec<Purchase>,
    /// Savings plans bought by trading the returns in; absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans_to_purchase: Vec<SavingsPlanPurchase>,
}

/// `policyResult` of an exchange response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangePolicyResultBody {
    /// Refusals.
    pub policy_errors: Vec<PolicyError>,
}

/// Response of `POST /api/quotes/exchange` (200, also when invalid by policy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeQuoteResponse {
    /// Σ refunds of the returns.
    pub refunds_total: Money,
    /// The same in USD, the approval threshold's currency, when the exchange settles in another:
    /// each return at its USD price (`pricingUnitPrice`). Absent in USD, or when a return has no
    /// USD price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds_total_usd: Option<Money>,
    /// Due now for the purchases.
    pub purchases_total: Money,
    /// `purchasesTotal − refundsTotal` (negative: credit to the customer).
    pub net_payable: Money,
    /// Σ RC of the returns.
    pub remaining_commitment_total: Money,
    /// N.
    pub new_commitment_total: Money,
    /// No policy errors.
    pub is_valid_exchange: bool,
    /// Policy errors.
    pub policy_result: ExchangePolicyResultBody,
    /// Itemized lines; they sum to `netPayable`.
    pub lines: Vec<QuoteLine>,
    /// Each savings plan bought, quoted: its billing total (`lifetimeCommitment`), what is due now
    /// and the least hourly commitment that satisfies the lifetime rule. Absent without plans.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub savings_plans: Vec<SavingsPlanQuote>,
}

impl From<ExchangeQuote> for ExchangeQuoteResponse {
    fn from(q: ExchangeQuote) -> Self {
        Self {
            is_valid_exchange: q.is_valid_exchange(),
            refunds_total: q.refunds_total,
            refunds_total_usd: q.refunds_total_usd,
            purchases_total: q.purchases_total,
            net_payable: q.net_payable,
            remaining_commitment_total: q.remaining_commitment_total,
            new_commitment_total: q.new_commitment_total,
            policy_result: ExchangePolicyResultBody {
                policy_errors: q.policy_errors,
            },
            lines: q.lines,
            savings_plans: q.savings_plans,
        }
    }
}

/// Answers `POST /api/quotes/refund`; `Err` is a 400 naming the field.
pub fn refund(req: &RefundQuoteRequest) -> Result<RefundQuoteResponse, InputError> {
    let policy = req.policy.policy();
    Ok(quote_refund(
        &policy,
        req.as_of,
        &req.reservation,
        req.quantity,
        &req.prior_refunds,
    )?
    .into())
}

/// Answers `POST /api/quotes/exchange`; `Err` is a 400 naming the field.
pub fn exchange(req: &ExchangeQuoteRequest) -> Result<ExchangeQuoteResponse, InputError> {
    let policy = req.policy.policy();
    Ok(quote_exchange_with_savings_plans(&policy, req.as_of, &req.returns, &req.purchases, &req.savings_plans_to_purchase)?.into())
}
