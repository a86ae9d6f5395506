//! Maker and checker: which money moves wait for a second person's approval.
//! Pure: the threshold is the deployment's, the quote the desk's own. A Review says what Submit
//! will do from the same decision ([`refund_approval`], [`exchange_approval`]).

use contract::ApprovalNeeded;
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

/// The figure of an exchange the threshold is compared with: its refunds total, the money the
/// returns give back (what the refund limit and the customer's credit are about), not the net
/// payable, which purchases can bring down to nothing.
pub fn exchange_figure(quote: &ExchangeQuoteResponse) -> Money {
    quote.refunds_total
}

/// Whether `figure` is above `threshold` (USD). A figure in another currency has no USD amount
/// to compare, so it is taken as above (the safe side).
fn above(threshold: Money, figure: Money) -> bool {
    figure.currency != Currency::USD || figure.amount > threshold.amount
}

/// The rule once: under `threshold` (`None`: off) a move waits when the desk's `figure` is
/// above it, or Azure's own figure for it is (Azure mode: what its `calculateRefund` says the
/// refund counts, or its `calculateExchange`'s refunds total; `None`, Azure not asked, decides
/// nothing). The answer names the threshold and the figure above it.
fn needed(threshold: Option<Money>, figure: Money, azure: Option<Money>) -> Option<ApprovalNeeded> {
    let threshold = threshold?;
    [Some(figure), azure].into_iter().flatten().find(|f| above(threshold, *f)).map(|figure| ApprovalNeeded { threshold, figure })
}

/// Whether a refund quoted as `quote` waits for approval under `threshold`: its
/// [`refund_figure`] (or Azure's, `azure`) is above it.
pub fn refund_approval(threshold: Option<Money>, quote: &RefundQuoteResponse, azure: Option<Money>) -> Option<ApprovalNeeded> {
    needed(threshold, refund_figure(quote), azure)
}

/// Whether an exchange quoted as `quote` waits for approval under `threshold`: its
/// [`exchange_figure`] (or Azure's refunds total, `azure`) is above it.
pub fn exchange_approval(threshold: Option<Money>, quote: &ExchangeQuoteResponse, azure: Option<Money>) -> Option<ApprovalNeeded> {
    needed(threshold, exchange_figure(quote), azure)
}

/// Whether a purchase whose commitment is `usd_commitment` (USD, whatever the customer is billed
/// in) waits for approval under `threshold`.
pub fn purchase_approval(threshold: Option<Money>, usd_commitment: Money) -> Option<ApprovalNeeded> {
    needed(threshold, usd_commitment, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn usd(text: &str) -> Money {
        Money::new(text.parse::<Decimal>().unwrap(), Currency::USD)
    }

    fn exchange(refunds: Money, net: Money) -> ExchangeQuoteResponse {
        ExchangeQuoteResponse {
            refunds_total: refunds,
            purchases_total: usd("0"),
            net_payable: net,
            remaining_commitment_total: usd("0"),
            new_commitment_total: usd("0"),
            is_valid_exchange: true,
            policy_result: quote_engine::api::ExchangePolicyResultBody { policy_errors: Vec::new() },
            lines: Vec::new(),
            savings_plans: Vec::new(),
        }
    }

    #[test]
    fn only_a_figure_above_the_threshold_waits_and_no_threshold_never_does() {
        let limit = Some(usd("1000.00"));
        assert_eq!(exchange_approval(limit, &exchange(usd("1000.00"), usd("0")), None), None, "equal to the threshold moves at once");
        assert_eq!(
            exchange_approval(limit, &exchange(usd("1000.01"), usd("0")), None),
            Some(ApprovalNeeded { threshold: usd("1000.00"), figure: usd("1000.01") })
        );
        assert_eq!(exchange_approval(None, &exchange(usd("99999999"), usd("0")), None), None);
        let eur = Money::new(Decimal::ONE, Currency::new("EUR").unwrap());
        assert!(exchange_approval(limit, &exchange(eur, eur), None).is_some(), "no USD figure: the safe side");
    }

    #[test]
    fn an_exchange_is_compared_by_its_refunds_total_not_its_net_payable() {
        let limit = Some(usd("1000.00"));
        // The returns give back 1,363.20; the purchases cost 1,576.80: the customer pays 213.60.
        let quote = exchange(usd("1363.20"), usd("213.60"));
        assert_eq!(exchange_approval(limit, &quote, None).map(|n| n.figure), Some(usd("1363.20")));
        // The other way round: little credit, much to pay, moves at once.
        assert_eq!(exchange_approval(limit, &exchange(usd("200.00"), usd("5000.00")), None), None);
    }

    #[test]
    fn azures_figure_above_the_threshold_waits_and_none_decides_nothing() {
        let limit = Some(usd("400"));
        let quote = exchange(usd("10"), usd("0"));
        assert_eq!(exchange_approval(limit, &quote, Some(usd("401"))).map(|n| n.figure), Some(usd("401")));
        assert_eq!(exchange_approval(limit, &quote, Some(usd("400"))), None, "at the threshold exactly: no wait");
        assert_eq!(exchange_approval(limit, &quote, None), None);
        assert_eq!(exchange_approval(None, &quote, Some(usd("1000000"))), None, "no threshold: never");
        let eur = Money::new(Decimal::ONE, Currency::new("EUR").unwrap());
        assert!(exchange_approval(limit, &quote, Some(eur)).is_some(), "another currency waits");
        // The desk's own figure first when both are above.
        assert_eq!(exchange_approval(limit, &exchange(usd("500"), usd("0")), Some(usd("600"))).map(|n| n.figure), Some(usd("500")));
    }
}
