//! Purchases from stored data: a catalog SKU priced in the customer's currency, quoted by the
//! engine, and the reservation it creates. The order a purchase creates has its session's ID,
//! so buying a session again finds the order bought and buys nothing more.

use chrono::NaiveDate;
use contract::{ExchangePurchaseRequest, ProblemCode, Reservation, Scope};
use quote_engine::{quote_purchase, Currency, Money, OnDemandUsage, PurchaseQuote, PurchaseQuoteRequest};
use rust_decimal::Decimal;

use crate::catalog::Offer;
use crate::error::ServiceError;
use crate::exchange::{bought_reservation, checked_offer};

/// The fields of a purchase, in errors.
const PREFIX: &str = "purchase.";

/// A purchase quoted: the engine's quote in the customer's currency, and the commitment in USD
/// (what the approval threshold is compared with).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quoted {
    /// The quote.
    pub quote: PurchaseQuote,
    /// `unit price in USD × quantity`.
    pub usd_commitment: Money,
}

/// The quote of buying `p` on `today` for a customer billed in `currency` whose scopes are
/// `scopes`, priced from the demo catalog (local mode); `on_demand`: the usage it would cover,
/// for the savings. Bad input is a 400 naming the field; a retired VM series × term is quoted
/// with the refusal as a policy error.
pub fn quote(
    p: &ExchangePurchaseRequest,
    on_demand: Option<OnDemandUsage>,
    scopes: &[Scope],
    currency: Currency,
    today: NaiveDate,
) -> Result<Quoted, ServiceError> {
    let offer = crate::catalog::offer(&p.sku_id, p.term, currency, &format!("{PREFIX}skuId"))?;
    quote_offer(p, &offer, on_demand, scopes, today)
}

/// The quote of buying `p` at `offer`'s price (the demo catalog's, or Azure's for the customer):
/// the engine's, in the offer's currency, and the commitment in USD.
pub fn quote_offer(p: &ExchangePurchaseRequest, offer: &Offer, on_demand: Option<OnDemandUsage>, scopes: &[Scope], today: NaiveDate) -> Result<Quoted, ServiceError> {
    let purchase = checked_offer(p, offer, PREFIX, scopes)?;
    let quote = quote_purchase(&PurchaseQuoteRequest { as_of: today, purchase, on_demand })
        .map_err(|e| ServiceError::invalid(ProblemCode::InvalidQuoteInput, &e.field, format!("{e}")))?;
    let usd_commitment = Money::new(offer.unit_price_usd.amount * Decimal::from(p.quantity), offer.unit_price_usd.currency).round();
    Ok(Quoted { quote, usd_commitment })
}

/// The reservation buying `p` at `offer`'s price creates in order `session_id` (the session's ID
/// is the order's), after the quote of today is checked against the session's `session_quote`:
/// a policy refusal or another quote refuses it (409), so what is bought is what was shown.
#[allow(clippy::too_many_arguments)] // The session's facts and today's.
pub fn plan(
    p: &ExchangePurchaseRequest,
    offer: &Offer,
    on_demand: Option<OnDemandUsage>,
    session_id: &str,
    customer_id: &str,
    scopes: &[Scope],
    today: NaiveDate,
    session_quote: &PurchaseQuote,
) -> Result<(Reservation, Quoted), ServiceError> {
    let fresh = quote_offer(p, offer, on_demand, scopes, today)?;
    if let Some(error) = fresh.quote.policy_errors.first() {
        return Err(ServiceError::new(ProblemCode::PolicyRefused, format!("The purchase is refused: {}", error.message)));
    }
    if &fresh.quote != session_quote {
        return Err(ServiceError::new(ProblemCode::QuoteChanged, "The quote changed since it was calculated. Calculate the purchase again."));
    }
    let id = crate::hash::guid(&format!("purchase/{session_id}/0"));
    let default_name = |short: &str, region: &str| format!("{short}-{}-{}", region.get(..3).unwrap_or(region), &session_id[..8.min(session_id.len())]);
    let reservation = bought_reservation(p, offer, PREFIX, id, session_id, customer_id, scopes, today, default_name)?;
    Ok((reservation, fresh))
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::{AppliedScopeProperties, AppliedScopeType};
    use quote_engine::{BillingPlan, Term};

    fn demo(p: &ExchangePurchaseRequest) -> Offer {
        crate::catalog::offer(&p.sku_id, p.term, Currency::USD, "skuId").unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn buy(sku_id: &str, term: Term, quantity: u32) -> ExchangePurchaseRequest {
        ExchangePurchaseRequest {
            sku_id: sku_id.into(),
            term,
            billing_plan: BillingPlan::Monthly,
            quantity,
            applied_scope_type: AppliedScopeType::Shared,
            applied_scope_properties: None,
            display_name: None,
            renew: true,
        }
    }

    #[test]
    fn a_purchase_is_priced_from_the_catalog_in_the_customers_currency_with_its_usd_commitment() {
        let eur = Currency::new("EUR").unwrap();
        let usd_quote = quote(&buy("Standard_D4s_v5/westeurope", Term::P3Y, 2), None, &[], Currency::USD, today()).unwrap();
        // 1752.00 a year × 2.4 for three years = 4204.80 a unit.
        assert_eq!(usd_quote.quote.commitment, Money::new("8409.60".parse().unwrap(), Currency::USD));
        assert_eq!(usd_quote.usd_commitment, usd_quote.quote.commitment);
        assert_eq!(usd_quote.quote.schedule.len(), 36);
        let eur_quote = quote(&buy("Standard_D4s_v5/westeurope", Term::P3Y, 2), None, &[], eur, today()).unwrap();
        assert_eq!(eur_quote.quote.commitment.currency, eur);
        assert_eq!(eur_quote.usd_commitment, usd_quote.usd_commitment, "the threshold compares USD whatever the billing currency");
    }

    #[test]
    fn bad_input_names_the_field() {
        let cases = [
            (buy("Standard_X/westeurope", Term::P1Y, 1), "purchase.skuId"),
            (buy("Standard_D4s_v5/westeurope", Term::P1Y, 0), "purchase.quantity"),
            (buy("Standard_D4s_v5/westeurope", Term::P1Y, 1001), "purchase.quantity"),
            (
                ExchangePurchaseRequest {
                    applied_scope_type: AppliedScopeType::Single,
                    applied_scope_properties: Some(AppliedScopeProperties { subscription_id: Some("/subscriptions/nobody".into()), ..Default::default() }),
                    ..buy("Standard_D4s_v5/westeurope", Term::P1Y, 1)
                },
                "purchase.appliedScopeProperties",
            ),
            (ExchangePurchaseRequest { display_name: Some("a\nb".into()), ..buy("Standard_D4s_v5/westeurope", Term::P1Y, 1) }, "purchase.displayName"),
        ];
        for (p, field) in cases {
            let e = quote(&p, None, &[], Currency::USD, today()).unwrap_err();
            assert!(format!("{e:?}").contains(field), "{field}: {e:?}");
        }
    }

    #[test]
    fn the_plan_buys_what_was_quoted_in_the_sessions_order_and_refuses_another_quote() {
        let p = buy("Standard_D2s_v5/eastus", Term::P1Y, 3);
        let session = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        let quoted = quote(&p, None, &[], Currency::USD, today()).unwrap();
        let (r, _) = plan(&p, &demo(&p), None, session, "c1", &[], today(), &quoted.quote).unwrap();
        assert_eq!((r.reservation_order_id.as_str(), r.quantity, r.renew, r.customer_id.as_str()), (session, 3, true, "c1"));
        assert_eq!(r.display_name, "vm-d2sv5-eas-3f2504e0");
        assert_eq!(r.expiry_date, NaiveDate::from_ymd_opt(2027, 11, 26).unwrap());
        let again = plan(&p, &demo(&p), None, session, "c1", &[], today(), &quoted.quote).unwrap().0;
        assert_eq!(again.id, r.id, "the same session plans the same reservation");
        let tomorrow = today().succ_opt().unwrap();
        let e = plan(&p, &demo(&p), None, session, "c1", &[], tomorrow, &quoted.quote).unwrap_err();
        assert!(format!("{e:?}").contains("QuoteChanged"), "{e:?}");
    }

    #[test]
    fn a_retired_series_is_quoted_but_not_planned() {
        let p = buy("Standard_F16s_v2/westeurope", Term::P1Y, 1);
        let quoted = quote(&p, None, &[], Currency::USD, today()).unwrap();
        assert!(!quoted.quote.is_buyable());
        let e = plan(&p, &demo(&p), None, "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "c1", &[], today(), &quoted.quote).unwrap_err();
        assert!(format!("{e:?}").contains("PolicyRefused"), "{e:?}");
    }
}
