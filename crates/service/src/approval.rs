//! Maker and checker: which money moves wait for a second person's approval.
//! Pure: the threshold is the deployment's, the quote the desk's own. A Review says what Submit
//! will do from the same decision ([`refund_approval`], [`exchange_approval`]).

use contract::ApprovalNeeded;
use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::{Currency, Money};

/// The figure of a refund the threshold is compared with, whatever the customer is billed in: the
/// money the refund moves, in USD at its order's own rate (the refund itself when paid in USD,
/// else the engine's `refundAmountUsd`). Not what it counts toward the refund limit, which can
/// be far more than the money moved (the canceled commitment) and would hold a euro customer's
/// small refund that a dollar customer's passes. Without a USD figure (a quote kept from before
/// the desk had one), the refund in its own currency: above any threshold (it waits).
pub fn refund_figure(quote: &RefundQuoteResponse) -> Money {
    match quote.refund_amount_usd {
        Some(usd) if quote.refund_amount.currency != Currency::USD => usd,
        _ => quote.refund_amount,
    }
}

/// The figure of an exchange the threshold is compared with: its refunds total, the money the
/// returns give back (what the refund limit and the customer's credit are about), not the net
/// payable, which purchases can bring down to nothing. What an approval asks for (and shows) in
/// the customer's currency.
pub fn exchange_figure(quote: &ExchangeQuoteResponse) -> Money {
    quote.refunds_total
}

/// [`exchange_figure`] in USD, the threshold's currency: the refunds total itself when the
/// exchange settles in USD, otherwise the engine's `refundsTotalUsd` (each return at its USD
/// price); the billing currency's figure when a return has no USD price (then it waits: above).
pub fn exchange_figure_usd(quote: &ExchangeQuoteResponse) -> Money {
    match quote.refunds_total_usd {
        Some(usd) if quote.refunds_total.currency != Currency::USD => usd,
        _ => quote.refunds_total,
    }
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
/// `billed` is the move in the customer's currency, named beside the figure when it differs.
fn needed(threshold: Option<Money>, figure: Money, azure: Option<Money>, billed: Money) -> Option<ApprovalNeeded> {
    let threshold = threshold?;
    [Some(figure), azure]
        .into_iter()
        .flatten()
        .find(|f| above(threshold, *f))
        .map(|figure| ApprovalNeeded { threshold, figure, billed: (billed.currency != figure.currency).then_some(billed) })
}

/// Whether a refund quoted as `quote` waits for approval under `threshold`: its
/// [`refund_figure`] (or Azure's, `azure`) is above it.
pub fn refund_approval(threshold: Option<Money>, quote: &RefundQuoteResponse, azure: Option<Money>) -> Option<ApprovalNeeded> {
    needed(threshold, refund_figure(quote), azure, quote.refund_amount)
}

/// Whether an exchange quoted as `quote` waits for approval under `threshold`: its
/// [`exchange_figure_usd`] (or Azure's refunds total, `azure`) is above it.
pub fn exchange_approval(threshold: Option<Money>, quote: &ExchangeQuoteResponse, azure: Option<Money>) -> Option<ApprovalNeeded> {
    needed(threshold, exchange_figure_usd(quote), azure, quote.refunds_total)
}

/// Whether a purchase whose commitment is `usd_commitment` (USD, whatever the customer is billed
/// in; `commitment` in the customer's currency) waits for approval under `threshold`.
pub fn purchase_approval(threshold: Option<Money>, usd_commitment: Money, commitment: Money) -> Option<ApprovalNeeded> {
    needed(threshold, usd_commitment, None, commitment)
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
            refunds_total_usd: None,
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
            Some(ApprovalNeeded { threshold: usd("1000.00"), figure: usd("1000.01"), billed: None })
        );
        assert_eq!(exchange_approval(None, &exchange(usd("99999999"), usd("0")), None), None);
        let eur = Money::new(Decimal::ONE, Currency::new("EUR").unwrap());
        assert!(exchange_approval(limit, &exchange(eur, eur), None).is_some(), "no USD figure: the safe side");
    }

    #[test]
    fn an_exchange_in_euros_is_compared_by_its_usd_figure() {
        let limit = Some(usd("1000.00"));
        let eur = |text: &str| Money::new(text.parse::<Decimal>().unwrap(), Currency::new("EUR").unwrap());
        let below = ExchangeQuoteResponse { refunds_total_usd: Some(usd("999.99")), ..exchange(eur("919.99"), eur("0")) };
        assert_eq!(exchange_figure_usd(&below), usd("999.99"));
        assert_eq!(exchange_approval(limit, &below, None), None, "below the threshold in USD: no wait");
        let above = ExchangeQuoteResponse { refunds_total_usd: Some(usd("1000.01")), ..exchange(eur("920.01"), eur("0")) };
        assert_eq!(
            exchange_approval(limit, &above, None),
            Some(ApprovalNeeded { threshold: usd("1000.00"), figure: usd("1000.01"), billed: Some(eur("920.01")) }),
            "the note names the euros and their USD figure"
        );
        // The figure the approval asks for stays the customer's own.
        assert_eq!(exchange_figure(&above), eur("920.01"));
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
    fn a_refund_in_euros_and_one_in_dollars_of_the_same_sku_are_compared_by_the_money_they_move_in_usd() {
        use quote_engine::api::{refund, RefundQuoteRequest};
        let quote = |price: serde_json::Value| {
            let reservation = serde_json::from_value(serde_json::json!({
                "reservedResourceType": "VirtualMachines", "term": "P1Y", "billingPlan": "Upfront", "purchaseDate": "2026-01-10",
                "quantity": 3, "hasUsage": true, "skuName": "Standard_F16s_v2",
                "unitPrice": price["unitPrice"], "pricingUnitPrice": price["pricingUnitPrice"],
                "currentUnitPrice": price["currentUnitPrice"]
            }))
            .unwrap();
            let as_of = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
            refund(&RefundQuoteRequest { policy: quote_engine::PolicyName::DEFAULT, as_of, reservation, quantity: 1, prior_refunds: Vec::new() }).unwrap()
        };
        // One F16s_v2 for a year: $3,650 (a euro customer's order at €3,350.70, its rate 0.918),
        // each repriced today at under a hundredth of it, so the refund is small while what it counts
        // toward the limit (its canceled commitment) is not.
        let m = |amount: &str, code: &str| serde_json::json!({ "amount": amount, "currencyCode": code });
        let dollars = quote(serde_json::json!({ "unitPrice": m("3650.00", "USD"), "currentUnitPrice": m("30.00", "USD") }));
        let euros = quote(serde_json::json!({ "unitPrice": m("3350.70", "EUR"), "pricingUnitPrice": m("3650.00", "USD"), "currentUnitPrice": m("27.54", "EUR") }));
        assert_eq!(dollars.refund_amount_usd, None, "billed in USD: the refund is the figure");
        let usd_of_euros = euros.refund_amount_usd.expect("the euro refund in USD");
        assert_eq!(usd_of_euros.currency, Currency::USD);
        assert!((usd_of_euros.amount - dollars.refund_amount.amount).abs() <= Decimal::new(2, 2), "{usd_of_euros} ~ {}", dollars.refund_amount);
        assert!(euros.policy_result.counted_toward_limit.amount > Decimal::from(100) * usd_of_euros.amount, "{:?}", euros.policy_result);
        // A threshold between the money moved and what it counts toward the limit: neither waits.
        let limit = Some(usd("500.00"));
        assert!(dollars.refund_amount.amount < Decimal::from(500) && dollars.policy_result.counted_toward_limit.amount > Decimal::from(500));
        assert_eq!(refund_approval(limit, &dollars, None), None);
        assert_eq!(refund_approval(limit, &euros, None), None, "the euro refund is held as the dollar one is: not");
        // Below both: both wait, each saying the USD figure compared (the euros beside it).
        let low = Some(usd("1.00"));
        assert_eq!(refund_approval(low, &dollars, None).map(|n| (n.figure, n.billed)), Some((dollars.refund_amount, None)));
        assert_eq!(refund_approval(low, &euros, None).map(|n| (n.figure, n.billed)), Some((usd_of_euros, Some(euros.refund_amount))));
        // A quote without its USD figure (kept from before) waits: the safe side.
        let old = RefundQuoteResponse { refund_amount_usd: None, ..euros };
        assert!(refund_approval(limit, &old, None).is_some());
    }

    #[test]
    fn a_purchase_in_euros_names_its_commitment_in_euros_beside_the_usd_one() {
        let eur = Money::new("1934.21".parse::<Decimal>().unwrap(), Currency::new("EUR").unwrap());
        let needed = purchase_approval(Some(usd("2000.00")), usd("2102.40"), eur);
        assert_eq!(needed, Some(ApprovalNeeded { threshold: usd("2000.00"), figure: usd("2102.40"), billed: Some(eur) }));
        assert_eq!(purchase_approval(Some(usd("2000.00")), usd("2102.40"), usd("2102.40")).and_then(|n| n.billed), None, "billed in USD: one figure");
        assert_eq!(purchase_approval(Some(usd("3000.00")), usd("2102.40"), eur), None);
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
