//! The server's quote against the one computed live while typing: when they agree the server's
//! is a confirmation mark beside the live figures, not a second copy of them; when they differ
//! each figure that differs is named with both amounts (and the server's quote is shown in full
//! by the panel, since it is the one that applies).

use leptos::prelude::*;
use quote_engine::api::{ExchangeQuoteResponse, RefundQuoteResponse};
use quote_engine::{Money, PurchaseQuote};

use crate::format::format_money;
use crate::i18n::*;

/// A figure of a quote that the server may state otherwise than the live quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// A refund's amount.
    Refund,
    /// A refund's early termination fee.
    Fee,
    /// What a refund forfeits above the limit.
    Forfeited,
    /// What a refund counts toward the refund limit.
    CountedTowardLimit,
    /// An exchange's credit for the returns.
    RefundsTotal,
    /// An exchange's purchases due now.
    PurchasesTotal,
    /// An exchange's net payable (negative: a credit).
    NetPayable,
    /// A purchase's commitment.
    Commitment,
    /// A purchase's payment due today.
    DueToday,
    /// No figure above, but the lines, refusals or schedule.
    Details,
}

/// A figure the two quotes state differently: the live one's and the server's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Which figure.
    pub figure: Figure,
    /// The live quote's (none for [`Figure::Details`]).
    pub live: Option<Money>,
    /// The server's.
    pub server: Option<Money>,
}

/// The figures of `pairs` that differ; `Details` alone when every figure agrees but the quotes
/// do not (`same`: whether the quotes are equal as a whole).
fn differences(pairs: &[(Figure, Money, Money)], same: bool) -> Vec<Difference> {
    if same {
        return Vec::new();
    }
    let named: Vec<Difference> = pairs
        .iter()
        .filter(|(_, live, server)| live != server)
        .map(|&(figure, live, server)| Difference { figure, live: Some(live), server: Some(server) })
        .collect();
    if named.is_empty() {
        vec![Difference { figure: Figure::Details, live: None, server: None }]
    } else {
        named
    }
}

/// Where a refund quote computed live and the server's differ (empty: they agree).
pub fn refund_differences(live: &RefundQuoteResponse, server: &RefundQuoteResponse) -> Vec<Difference> {
    differences(
        &[
            (Figure::Refund, live.refund_amount, server.refund_amount),
            (Figure::Fee, live.early_termination_fee, server.early_termination_fee),
            (Figure::Forfeited, live.forfeited_amount, server.forfeited_amount),
            (Figure::CountedTowardLimit, live.policy_result.counted_toward_limit, server.policy_result.counted_toward_limit),
        ],
        live == server,
    )
}

/// Where an exchange quote computed live and the server's differ (empty: they agree).
pub fn exchange_differences(live: &ExchangeQuoteResponse, server: &ExchangeQuoteResponse) -> Vec<Difference> {
    differences(
        &[
            (Figure::RefundsTotal, live.refunds_total, server.refunds_total),
            (Figure::PurchasesTotal, live.purchases_total, server.purchases_total),
            (Figure::NetPayable, live.net_payable, server.net_payable),
        ],
        live == server,
    )
}

/// Where a purchase quote computed live and the server's differ (empty: they agree).
pub fn purchase_differences(live: &PurchaseQuote, server: &PurchaseQuote) -> Vec<Difference> {
    differences(
        &[(Figure::Commitment, live.commitment, server.commitment), (Figure::DueToday, live.due_today, server.due_today)],
        live == server,
    )
}

fn figure_text(i18n: leptos_i18n::I18nContext<Locale>, figure: Figure) -> String {
    match figure {
        Figure::Refund => t_string!(i18n, server_figure_refund),
        Figure::Fee => t_string!(i18n, server_figure_fee),
        Figure::Forfeited => t_string!(i18n, server_figure_forfeited),
        Figure::CountedTowardLimit => t_string!(i18n, server_figure_counted),
        Figure::RefundsTotal => t_string!(i18n, refunds_total),
        Figure::PurchasesTotal => t_string!(i18n, purchases_total),
        Figure::NetPayable => t_string!(i18n, net_payable),
        Figure::Commitment => t_string!(i18n, approval_purchase_figure),
        Figure::DueToday => t_string!(i18n, server_figure_due_today),
        Figure::Details => t_string!(i18n, server_figure_details),
    }
    .to_string()
}

/// What the server's quote says of the live one: "✓ Confirmed by the server for today" when they
/// agree (the mark is decoration: the words say it), otherwise each figure that differs with both
/// amounts. A live region: it is announced when Review answers.
#[component]
pub fn ServerAgreement(differences: Vec<Difference>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    if differences.is_empty() {
        return view! {
            <p class="server-confirmed" role="status">
                <span class="mark" aria-hidden="true">"✓ "</span>
                {t!(i18n, server_confirmed)}
            </p>
        }
        .into_any();
    }
    let items = differences
        .into_iter()
        .map(|d| {
            let text = move || match (d.live, d.server) {
                (Some(live), Some(server)) => t_string!(
                    i18n,
                    server_figure_differs,
                    figure = figure_text(i18n, d.figure),
                    live = format_money(&live, locale()),
                    server = format_money(&server, locale())
                )
                .to_string(),
                _ => figure_text(i18n, d.figure),
            };
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! {
        <div class="warning server-differs" role="status">
            <p>{t!(i18n, server_differs)}</p>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote_engine::Currency;
    use rust_decimal::Decimal;

    fn usd(cents: i64) -> Money {
        Money::new(Decimal::new(cents, 2), Currency::USD)
    }

    fn exchange(refunds: i64, purchases: i64) -> ExchangeQuoteResponse {
        ExchangeQuoteResponse {
            refunds_total: usd(refunds),
            refunds_total_usd: None,
            purchases_total: usd(purchases),
            net_payable: usd(purchases - refunds),
            remaining_commitment_total: usd(refunds),
            new_commitment_total: usd(purchases),
            is_valid_exchange: true,
            policy_result: quote_engine::api::ExchangePolicyResultBody { policy_errors: Vec::new() },
            lines: Vec::new(),
            savings_plans: Vec::new(),
        }
    }

    #[test]
    fn equal_quotes_agree_and_each_differing_figure_is_named_with_both_amounts() {
        assert_eq!(exchange_differences(&exchange(100_000, 150_000), &exchange(100_000, 150_000)), Vec::new());
        let differs = exchange_differences(&exchange(100_000, 150_000), &exchange(90_000, 150_000));
        assert_eq!(
            differs,
            vec![
                Difference { figure: Figure::RefundsTotal, live: Some(usd(100_000)), server: Some(usd(90_000)) },
                Difference { figure: Figure::NetPayable, live: Some(usd(50_000)), server: Some(usd(60_000)) },
            ]
        );
        // The same figures, other lines or refusals: still not the same quote, and said so.
        let refused = ExchangeQuoteResponse { is_valid_exchange: false, ..exchange(100_000, 150_000) };
        assert_eq!(
            exchange_differences(&exchange(100_000, 150_000), &refused),
            vec![Difference { figure: Figure::Details, live: None, server: None }]
        );
    }
}
