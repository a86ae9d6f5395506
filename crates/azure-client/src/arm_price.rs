//! ARM's `calculatePrice` in a customer's tenant (`POST
//! /providers/Microsoft.Capacity/calculatePrice`, 2022-11-01, the shape of the specification's
//! `CalculateReservationOrder.json`): what Azure would charge for a reservation the desk is
//! about to buy, shown beside the desk's own quote. Every property is optional, as in the
//! specification. The request names the subscription charged (`billingScopeId`,
//! "Subscription that will be charged for purchasing reservation", `/subscriptions/{id}`, as the
//! published example sends it): under an Azure plan, one of the plan's Azure subscriptions (the
//! server's adapter picks it).

use azure_api::exchange::PurchaseRequest;
use azure_api::number::Price;
use reqwest::Method;
use serde::Deserialize;

use crate::{AzureClient, AzureError, OnBehalfOf};

/// The figures of `calculatePrice` the desk compares with its quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalculatedPrice {
    /// `billingCurrencyTotal`: the whole commitment in the customer's billing currency.
    pub billing_currency_total: Price,
    /// `pricingCurrencyTotal`: in USD.
    pub pricing_currency_total: Option<Price>,
    /// The first payment of `paymentSchedule` (what a monthly plan pays today).
    pub first_payment: Option<Price>,
    /// `skuTitle`.
    pub sku_title: Option<String>,
}

#[derive(Deserialize)]
struct Read {
    #[serde(default)]
    properties: Option<ReadProperties>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReadProperties {
    #[serde(default)]
    billing_currency_total: Option<Price>,
    #[serde(default)]
    pricing_currency_total: Option<Price>,
    #[serde(default)]
    payment_schedule: Option<Vec<Payment>>,
    #[serde(default)]
    sku_title: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    #[serde(default)]
    billing_currency_total: Option<Price>,
}

/// Reads `calculatePrice`'s answer; without `billingCurrencyTotal` there is nothing to compare.
pub(crate) fn price_of(body: &[u8]) -> Result<CalculatedPrice, String> {
    let read: Read = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let p = read.properties.ok_or("it has no properties")?;
    let billing_currency_total = p.billing_currency_total.ok_or("it has no billingCurrencyTotal")?;
    let first_payment = p.payment_schedule.unwrap_or_default().into_iter().next().and_then(|s| s.billing_currency_total);
    Ok(CalculatedPrice { billing_currency_total, pricing_currency_total: p.pricing_currency_total, first_payment, sku_title: p.sku_title })
}

impl AzureClient {
    /// `POST /providers/Microsoft.Capacity/calculatePrice` of `purchase` in `tenant`, on behalf of
    /// `user`.
    pub async fn calculate_price(&self, user: &OnBehalfOf, tenant: &str, purchase: &PurchaseRequest) -> Result<CalculatedPrice, AzureError> {
        let body = serde_json::to_value(purchase).map_err(|e| AzureError::local(e.to_string()))?;
        let started = self.start(user, tenant, Method::POST, &self.capacity_url("calculatePrice"), &body).await?;
        price_of(&started.answer.body).map_err(|why| started.answer.unreadable("ARM's calculatePrice", why))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: &str = include_str!("../../azure-api/tests/published/microsoft.capacity-2022-11-01/examples/CalculateReservationOrder.json");

    #[test]
    fn the_published_request_keeps_its_billing_scope() {
        let example: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        let body = &example["parameters"]["body"];
        let read: PurchaseRequest = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(read.properties.billing_scope_id.as_deref(), body["properties"]["billingScopeId"].as_str());
        let sent = serde_json::to_value(&read).unwrap();
        assert_eq!(sent["properties"]["billingScopeId"], body["properties"]["billingScopeId"], "sent as Microsoft's example sends it");
    }

    #[test]
    fn the_published_answer_gives_its_totals() {
        let example: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
        let body = example["responses"]["200"]["body"].to_string();
        let read = price_of(body.as_bytes()).unwrap();
        let published = &example["responses"]["200"]["body"]["properties"];
        assert_eq!(read.billing_currency_total.currency_code, published["billingCurrencyTotal"]["currencyCode"].as_str().unwrap());
        assert_eq!(read.billing_currency_total.amount.0.to_string(), published["billingCurrencyTotal"]["amount"].to_string());
        assert_eq!(read.sku_title.as_deref(), published["skuTitle"].as_str());
        assert!(price_of(br#"{"properties": {}}"#).is_err(), "no total, nothing to compare");
    }
}
