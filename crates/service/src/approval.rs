//! Maker and checker: which money moves wait for a second person's approval.
//! Pure: the threshold is the deployment's, the quote the desk's own.

use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::{Currency, Money};

/// The USD figure of a refund the threshold is compared with: the refund itself when it is paid
/// in USD, otherwise what it counts toward the refund limit (USD, from a price the limit trusts).
pub fn refund_figure(quote: &RefundQuoteResponse) -> Money {
    if quote.refund_amount.currency == Currency::USD {
        quote.refund_amount
    } else {
        quote.policy_result.counted_toward_limit
    }
}

/// Whether a refund quoted as `quote` waits for approval under `threshold` (USD; `None`: off):
/// its [`refund_figure`] is above it.
pub fn refund_needs_approval(threshold: Option<Money>, quote: &RefundQuoteResponse) -> bool {
    threshold.is_some_and(|limit| refund_figure(quote).amount > limit.amount)
}

/// Whether an exchange quoted as `quote` waits for approval under `threshold` (USD; `None`:
/// off): its refunds total is above it. Refunds in another currency have no USD figure in the
/// quote, so with a threshold set they always wait (the safe side).
pub fn exchange_needs_approval(threshold: Option<Money>, quote: &ExchangeQuoteResponse) -> bool {
    threshold.is_some_and(|limit| quote.refunds_total.currency != Currency::USD || quote.refunds_total.amount > limit.amount)
}

/// Whether Azure's own figure for a move (Azure mode: what its `calculateRefund` says the refund
/// counts, in USD, or its `calculateExchange`'s refunds total) is above `threshold`: a move waits
/// when either the desk's figure or Azure's is. A figure in another currency waits (the safe
/// side); no figure (Azure not asked) decides nothing.
pub fn azure_figure_above(threshold: Option<Money>, azure: Option<Money>) -> bool {
    threshold.is_some_and(|limit| azure.is_some_and(|figure| figure.currency != Currency::USD || figure.amount > limit.amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azures_figure_above_the_threshold_waits_and_none_decides_nothing() {
        let usd = |n: i64| Money::new(Decimal::from(n), Currency::USD);
        assert!(azure_figure_above(Some(usd(400)), Some(usd(401))));
        assert!(!azure_figure_above(Some(usd(400)), Some(usd(400))), "at the threshold exactly: no wait");
        assert!(!azure_figure_above(Some(usd(400)), None));
        assert!(!azure_figure_above(None, Some(usd(1_000_000))), "no threshold: never");
        assert!(azure_figure_above(Some(usd(400)), Some(Money::new(Decimal::ONE, Currency::new("EUR").unwrap()))), "another currency waits");
    }
    use rust_decimal::Decimal;

    fn usd(text: &str) -> Money {
        Money::new(text.parse::<Decimal>().unwrap(), Currency::USD)
    }

    #[test]
    fn only_a_figure_above_the_threshold_waits_and_no_threshold_never_does() {
        let limit = Some(usd("1000.00"));
        let exchange = |total: Money| ExchangeQuoteResponse {
            refunds_total: total,
            purchases_total: usd("0"),
            net_payable: usd("0"),
            remaining_commitment_total: usd("0"),
            new_commitment_total: usd("0"),
            is_valid_exchange: true,
            policy_result: quote_engine::api::ExchangePolicyResultBody { policy_errors: Vec::new() },
            lines: Vec::new(),
            savings_plans: Vec::new(),
        };
        assert!(!exchange_needs_approval(limit, &exchange(usd("1000.00"))), "equal to the threshold moves at once");
        assert!(exchange_needs_approval(limit, &exchange(usd("1000.01"))));
        assert!(!exchange_needs_approval(None, &exchange(usd("99999999"))));
        let eur = Money::new(Decimal::ONE, Currency::new("EUR").unwrap());
        assert!(exchange_needs_approval(limit, &exchange(eur)), "no USD figure: the safe side");
    }
}
