//! # Reservation Desk quote engine
//!
//! Pure, exact refund and exchange quotes for Azure reservations, shared by the browser
//! (wasm) and the server. No I/O, no clock, no floats: the as-of date is an input and every
//! amount is a [`rust_decimal::Decimal`] inside a [`Money`] that carries its ISO 4217 currency.
//!
//! Entry points: [`quote_refund`], [`quote_exchange`], and the JSON wire layer in [`api`]
//! ([`api::refund`], [`api::exchange`]). Helpers for the UI: [`expiry_date`],
//! [`installment_schedule`], [`payments`], [`refund_window`].
//!
//! ## Dates and terms
//!
//! Dates are UTC calendar dates. A reservation starts on its purchase date and expires on the
//! same calendar date 1, 3 or 5 years later ([`Term`] `P1Y`, `P3Y`, `P5Y`; 29 Feb → 28 Feb).
//! T = days from start to expiry, E = days from start to as-of, R = T − E. As-of before the
//! purchase date → policy error `ReservationNotStarted`; on or after expiry → `ReservationExpired`.
//!
//! ## Money
//!
//! Combining two currencies is an error ([`MoneyError::CurrencyMismatch`]), never a silent
//! conversion. Each reported amount is rounded half-even to the currency's minor unit (2
//! decimals; 0 for JPY, KRW and the other zero-decimal currencies), and totals are derived from
//! the rounded lines, so a breakdown adds up exactly. On the wire an amount is
//! `{"amount": "1234.50", "currencyCode": "USD"}`; a JSON number is rejected (floats lose cents).
//!
//! ## Returning quantity q of a reservation
//!
//! The unit price is the whole-term price of one unit.
//!
//! - lifetime commitment C = unit price × q
//! - Upfront: paid P = C. Monthly: n = 12 × years installments, each C / n rounded, the last
//!   absorbing the remainder; installment i (from 0) is due on start + i months; P = the sum of
//!   the installments due on or before as-of.
//! - used U = round(C × E / T); remaining commitment RC = C − U; canceled future payments
//!   F = C − P; pro-rated base B = max(0, P − U).
//! - 1 ≤ q ≤ the reservation's quantity, else `InvalidRefundQuantity`.
//!
//! ## Preset `partner-center-2020`
//!
//! | days since purchase | usage | credit | early termination fee |
//! |---|---|---|---|
//! | 5 or fewer | no | 100 %: refund = P | none |
//! | 5 or fewer | yes | pro-rated: refund = B | none |
//! | more than 5 | either | pro-rated | fee = round(12 % × B); refund = B − fee |
//!
//! Refund cap: USD 50,000 per customer in any rolling 365-day window, counting refunded
//! amounts. The cap truncates: refund = min(refund, headroom); the quote reports the forfeited
//! part and the warning `RefundCapped`.
//!
//! ## Preset `azure-current`
//!
//! | rule | value |
//! |---|---|
//! | early termination fee | none (the 12 % rate is kept, switched off) |
//! | refund | B |
//! | counts toward the limit | canceled commitment RC (monthly: includes canceled future payments) |
//! | limit | USD 50,000 per customer per rolling 365 days |
//! | over the limit | refused: `RefundLimitExceeded`, with the largest quantity that fits now and the first day the whole quantity fits |
//!
//! An entry made on day d counts on as-of dates a with a − 365 < d ≤ a: it is released 365
//! days after it was made. The limit is in USD; a reservation billed in another currency also
//! carries its USD unit price (`pricingUnitPrice`), and the limit uses that.
//!
//! ## Exchange
//!
//! - each return is refunded B: never a fee, never counted toward the refund limit;
//! - the new lifetime commitment N = Σ unit price × quantity of the purchases must be ≥ Σ RC of
//!   the returns, else `ExchangeCommitmentTooLow`;
//! - all returns and purchases share one product family, else `ExchangeProductFamilyMismatch`,
//!   and one currency, else `CurrencyMismatch`;
//! - purchasesTotal = what is due now (Upfront: commitment; Monthly: first installment);
//!   refundsTotal = Σ refunds; netPayable = purchasesTotal − refundsTotal (negative = credit).
//!
//! ## Microsoft's dated rules ([`rules`])
//!
//! Data with an effective date and a source each (docs/policy-sources.md), decided by the
//! quote's as-of date:
//!
//! - exchange eligibility: reservations for the services savings plans cover (`VirtualMachines`,
//!   `AppService`, `DedicatedHost`; `SqlDatabases`, `PostgreSql`, `MySql`, `CosmosDb`)
//!   bought on or after 1 February 2027 cannot be exchanged (`ReservationNotExchangeable`, in
//!   [`quote_exchange`] too); bought before, each unit keeps one final exchange
//!   ([`exchange_right`], [`check_exchange`]: `FinalExchangeUsed`); other services (e.g. `AVS`)
//!   are not restricted;
//! - refunds at the lower price: with a `currentUnitPrice` below `unitPrice`, the pro-rated
//!   base is the one at the current price, a `refund-at-current-price` line carries the
//!   difference and the quote's `refundUnitPrice` says which price and why;
//! - retired VM series: a SKU's series from its name ([`vm_series`]); a retired series × term
//!   cannot be bought or renewed from its date ([`check_vm_purchase`]: `RetiredVmSeries`, in
//!   [`quote_exchange`] for a purchase with a `skuName`).
//!
//! - savings plan trade-in ([`quote_exchange_with_savings_plans`], `savingsPlansToPurchase` in
//!   [`api`]): `VirtualMachines`, `DedicatedHost` and `AppService` reservations may be traded for
//!   a 1- or 3-year `Compute_Savings_Plan`, `SqlDatabases`, `PostgreSql`, `MySql` and `CosmosDb`
//!   reservations for a 1-year `Database_Savings_Plan` ([`trade_in_eligibility`], else
//!   `TradeInNotEligible`, naming the reservation's type and the plan);
//!   at most 100 reservations at a time (`TradeInTooManyReservations`); a plan's lifetime
//!   commitment is its hourly commitment × 8,760 hours a year, and the new lifetime commitment
//!   must reach the remaining commitment returned (`SavingsPlanCommitmentTooLow`, naming both);
//!   each plan is quoted with the least hourly commitment that would. Like every exchange, a
//!   trade-in never counts toward the refund limit.
//!
//! Without `currentUnitPrice`, `skuName` and `savingsPlansToPurchase`, and before 1 February
//! 2027, quotes are what they were before these rules.
//!
//! ## Errors
//!
//! Malformed input is an `Err` ([`QuoteError`], or [`InputError`] in [`api`]) naming the field,
//! for a 400. Policy outcomes are data inside the quote, for a 200. No input panics.
//!
//! ## Itemized lines
//!
//! Every quote carries [`QuoteLine`]s with a machine-readable reason from [`reason`], such as
//! `full-refund-within-grace`, `pro-rated`, `early-termination-fee-12pct` or
//! `refund-cap-truncated`; the lines sum exactly to the quote's total.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
mod breakdown;
mod currency;
mod error;
mod exchange;
mod fits_on;
mod limit;
mod money;
mod outcome;
mod policy;
mod purchase;
mod refund;
mod reservation;
pub mod rules;
mod savings_plan;
mod term;
#[cfg(test)]
mod test_rng;

pub use currency::{Currency, CurrencyCodeError};
pub use error::{InputError, MoneyError, QuoteError, QuoteErrorKind};
pub use exchange::{quote_exchange, quote_exchange_with_savings_plans, ExchangeQuote};
pub use limit::{counts_in_window, refund_window, release_date, RefundWindow, WindowEntry};
pub use money::{parse_amount, Money};
pub use outcome::{reason, LineDetail, PolicyError, PolicyErrorCode, PolicyErrorDetail, PolicyWarning, QuoteLine, WarningCode};
pub use policy::{LimitBasis, LimitMode, Policy, PolicyName, UnknownPolicy};
pub use purchase::{quote_purchase, OnDemandUsage, Payment, PurchaseQuote, PurchaseQuoteRequest, PurchaseSavings};
pub use refund::{quote_refund, RefundPolicyResult, RefundQuote};
pub use reservation::{
    ExchangeReturn, PriorRefund, Purchase, Reservation, ReservedResourceType, ResourceTypeError,
    MAX_AMOUNT, MAX_SKU_NAME_LEN,
};
pub use rules::exchange_eligibility::{exchange_right, ExchangeRight, ExchangeRightInput, EXCHANGE_POLICY_DATE};
pub use rules::refund_price::{refund_unit_price, RefundPriceBasis, RefundUnitPrice};
pub use rules::retired_series::RetiredSeries;
pub use rules::trade_in::{hours_in, trade_in_eligibility, trade_in_plan_for, TradeInEligibility, COMPUTE_SAVINGS_PLAN, DATABASE_SAVINGS_PLAN, MAX_TRADE_IN_RESERVATIONS};
pub use savings_plan::{SavingsPlanPurchase, SavingsPlanQuote};
pub use rules::vm_series::{vm_series, VmSeries};
pub use rules::{check_exchange, check_vm_purchase, vm_retirement, PurchaseKind};
pub use breakdown::{payments, remaining_commitment};
pub use term::{expiry_date, installment_schedule, installments_due, BillingPlan, Installment, Term};
