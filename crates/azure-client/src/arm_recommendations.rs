//! What Microsoft.Consumption recommends buying in a customer's tenant, read on behalf of the
//! signed-in user: the subscriptions the user sees there (ARM's Subscriptions - List, `GET
//! /subscriptions?api-version=2022-12-01`), then each one's reservation recommendations for
//! itself or for the billing context it shares (`GET
//! /subscriptions/{id}/providers/Microsoft.Consumption/reservationRecommendations`, api-version
//! 2023-05-01, `$filter` of one scope, one look-back and one resource type; read by
//! `azure_api::consumption`). Every page is followed by its `nextLink` while it points at the
//! configured ARM: a token is never sent elsewhere.

use azure_api::consumption::{filter, read_page, RecommendationRead, Skipped, API_VERSION};
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::arm_ids::checked;
use crate::lro::same_origin;
use crate::{AzureClient, AzureError, OnBehalfOf, ARM_SCOPE};

/// The api-version of ARM's Subscriptions - List.
pub const SUBSCRIPTIONS_API_VERSION: &str = "2022-12-01";

const MOST_PAGES: usize = 1000;

/// A subscription as ARM lists it to the user in a tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// Its ID (a GUID): `subscriptionId`, else the last segment of `id`.
    pub id: String,
    /// Its name (its ID when ARM gives none).
    pub display_name: String,
    /// `Enabled`, `Warned`, `PastDue`, `Disabled` or `Deleted`, when ARM says.
    pub state: Option<String>,
}

impl Subscription {
    /// Whether it can be running anything to recommend for: not `Disabled` nor `Deleted`.
    pub fn is_active(&self) -> bool {
        !self.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("Disabled") || s.eq_ignore_ascii_case("Deleted"))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionsPage {
    #[serde(default)]
    value: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    next_link: Option<String>,
}

/// `Subscription` of Subscriptions - List, every member optional.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscriptionItem {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    subscription_id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    state: Option<String>,
}

/// One page of subscriptions, read item by item.
#[derive(Debug, Default)]
pub(crate) struct SubscriptionsRead {
    /// The subscriptions read.
    pub subscriptions: Vec<Subscription>,
    /// Why each other item was left out.
    pub skipped: Vec<String>,
    /// The next page.
    pub next_link: Option<String>,
}

/// Reads one page of subscriptions. `Err` only when the answer is not such a page.
pub(crate) fn read_subscriptions(body: &[u8]) -> Result<SubscriptionsRead, serde_json::Error> {
    let page: SubscriptionsPage = serde_json::from_slice(body)?;
    let (mut read, mut skipped) = (Vec::new(), Vec::new());
    for (i, value) in page.value.unwrap_or_default().into_iter().enumerate() {
        let item: SubscriptionItem = match serde_json::from_value(value) {
            Ok(item) => item,
            Err(e) => {
                skipped.push(format!("item {i} is not a subscription: {e}"));
                continue;
            }
        };
        let from_id = item.id.as_deref().and_then(|full| full.trim_end_matches('/').strip_prefix("/subscriptions/")).map(str::to_owned);
        let Some(id) = item.subscription_id.or(from_id).filter(|id| checked(id).is_ok()) else {
            skipped.push(format!("item {i} has no subscription ID the desk can use"));
            continue;
        };
        let display_name = item.display_name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| id.clone());
        read.push(Subscription { id, display_name, state: item.state });
    }
    Ok(SubscriptionsRead { subscriptions: read, skipped, next_link: page.next_link.filter(|l| !l.is_empty()) })
}

/// Every page from `first` on ARM in `tenant`, with `token`, each read by `read`: its items
/// and the next page's link, followed only on ARM's own origin.
async fn every_page<T>(
    client: &AzureClient,
    tenant: &str,
    what: &str,
    token: &secrecy::SecretString,
    first: String,
    read: impl Fn(&crate::Answer) -> Result<(Vec<T>, Option<String>), AzureError>,
) -> Result<Vec<T>, AzureError> {
    let base = client.settings.arm_url.trim_end_matches('/');
    let (mut next, mut out, mut pages) = (Some(first), Vec::new(), 0);
    while let Some(url) = next.take() {
        pages += 1;
        if pages > MOST_PAGES {
            return Err(AzureError::new("TooManyPages", format!("ARM gave more than {MOST_PAGES} pages of {what}")));
        }
        let asking = format!("Azure Resource Manager's {what} in tenant {tenant}");
        let answer = client.send(tenant, &asking, || client.http.get(&url).bearer_auth(token.expose_secret())).await?;
        let (items, link) = read(&answer)?;
        out.extend(items);
        next = match link {
            Some(link) if same_origin(&link, base) => Some(link),
            Some(_) => {
                return Err(AzureError::new("UnexpectedLink", format!("ARM's nextLink for {what} points at another host")).with_request(answer.request.clone()))
            }
            None => None,
        };
    }
    Ok(out)
}

/// Every subscription `reader` sees in `tenant`; each listed item that could not be read is
/// logged and left out.
pub(crate) async fn subscriptions(client: &AzureClient, reader: &crate::Reader, tenant: &str) -> Result<Vec<Subscription>, AzureError> {
    let token = client.token_for(reader, tenant, ARM_SCOPE).await?;
    let first = format!("{}/subscriptions?api-version={SUBSCRIPTIONS_API_VERSION}", client.settings.arm_url.trim_end_matches('/'));
    every_page(client, tenant, "subscriptions", &token, first, |answer| {
        let page = read_subscriptions(&answer.body).map_err(|e| answer.unreadable("ARM's subscriptions", e))?;
        for why in page.skipped {
            tracing::warn!("a subscription listed in tenant {tenant} was left out: {why}");
        }
        Ok((page.subscriptions, page.next_link))
    })
    .await
}

/// What one call for recommendations asks: the scope (`Single` or `Shared`), the look-back
/// (`Last30Days`) and the resource type (`SQLDatabases`), as the filter names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecommendationsAsked<'a> {
    /// `Single` or `Shared`.
    pub scope: &'a str,
    /// `Last7Days`, `Last30Days` or `Last60Days`.
    pub look_back: &'a str,
    /// One of `azure_api::consumption::RESOURCE_TYPES`.
    pub resource_type: &'a str,
}

/// Microsoft.Consumption's reservation recommendations seen from `subscription_id` as `asked`,
/// every page: each a recommendation (legacy or modern) as the specification types it, or why
/// it is set aside.
pub(crate) async fn recommendations(
    client: &AzureClient,
    user: &OnBehalfOf,
    tenant: &str,
    subscription_id: &str,
    asked: RecommendationsAsked<'_>,
) -> Result<Vec<Result<RecommendationRead, Skipped>>, AzureError> {
    let subscription_id = checked(subscription_id)?;
    let known = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric());
    if ![asked.scope, asked.look_back, asked.resource_type].into_iter().all(known) {
        return Err(AzureError::new("InvalidFilter", format!("The desk cannot ask for recommendations as {asked:?}.")));
    }
    let token = client.token(user, tenant, ARM_SCOPE).await?;
    // The filter is the desk's own text (checked above): only its spaces need escaping in the URL.
    let filter = filter(asked.scope, asked.look_back, asked.resource_type).replace(' ', "%20");
    let first = format!(
        "{}/subscriptions/{subscription_id}/providers/Microsoft.Consumption/reservationRecommendations?api-version={API_VERSION}&$filter={filter}",
        client.settings.arm_url.trim_end_matches('/')
    );
    let what = format!("{} reservation recommendations ({}) of subscription {subscription_id}", asked.resource_type, asked.scope);
    every_page(client, tenant, &what, &token, first, |answer| {
        let page = read_page(&answer.body).map_err(|e| answer.unreadable("Microsoft.Consumption's reservation recommendations", e))?;
        Ok((page.items, page.next_link))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_json::{paths, without};
    use azure_api::consumption::RecommendedScope;

    use azure_api::consumption::{Kind, LOOK_BACK};

    const BY_SUBSCRIPTION: &str = include_str!("../../azure-api/tests/published/consumption-2023-05-01/ReservationRecommendationsBySubscription.json");
    const FILTERED: &str =
        include_str!("../../azure-api/tests/published/consumption-2023-05-01/ReservationRecommendationsFilterBySubscriptionForScopeLookBackPeriod.json");
    /// Legacy recommendations at shared scope.
    const SHARED: &str = include_str!("../../azure-api/tests/published/consumption-2023-05-01/ReservationRecommendationsByBillingAccount.json");
    /// Modern recommendations (SQL Database, single scope, costs with their currency).
    const MODERN: &str = include_str!("../../azure-api/tests/published/consumption-2023-05-01/ReservationRecommendationsByBillingProfile.json");

    /// The body of the example's `200` answer, as text (its numbers keep every digit).
    fn body(example: &str) -> String {
        let start = example.find("\"body\": ").expect("a body") + "\"body\": ".len();
        let value: serde_json::Value = serde_json::from_str(example).unwrap();
        let text = &example[start..];
        // The body ends where the JSON value does: read it back to find its length.
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&serde_json::value::RawValue>();
        let raw = stream.next().unwrap().unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(raw.get()).unwrap(), value["responses"]["200"]["body"]);
        raw.get().to_owned()
    }

    #[test]
    fn microsofts_published_answers_read_to_the_desks_figures() {
        for example in [BY_SUBSCRIPTION, FILTERED] {
            let page = read_page(body(example).as_bytes()).unwrap();
            assert!(page.next_link.as_deref().unwrap().starts_with("https://management.azure.com/subscriptions/"), "{:?}", page.next_link);
            let figures: Vec<_> = page.items.iter().map(|i| i.as_ref().unwrap().figures("asked", LOOK_BACK).unwrap()).collect();
            assert_eq!(figures.len(), 2);
            let (one, three) = (&figures[0], &figures[1]);
            assert_eq!((one.sku_name.as_str(), one.location.as_str(), one.kind, one.currency.as_deref()), ("Standard_DS1_v2", "northeurope", Kind::Legacy, None));
            assert_eq!((format!("{:?}", one.term), format!("{:?}", three.term)), ("P1Y".into(), "P3Y".into()));
            assert_eq!((one.net_savings.to_string(), three.net_savings.to_string()), ("4.634521202630137".into(), "7.2893157231780812".into()), "every digit");
            let said = (one.recommended_quantity.to_string(), one.look_back_days, one.cost_with_no_reserved_instances.to_string());
            assert_eq!(said, ("1".into(), 7, "0.0".into()));
            assert_eq!(one.first_usage_date, chrono::NaiveDate::from_ymd_opt(2018, 3, 6));
            assert_eq!(one.scope, RecommendedScope::Single { subscription_id: "00000000-0000-0000-0000-000000000000".into() });
        }
        let filtered = read_page(body(FILTERED).as_bytes()).unwrap();
        let sku = filtered.items[1].as_ref().unwrap().properties.sku_properties.clone().unwrap();
        assert_eq!((sku[0].name.as_deref(), sku[0].value.as_deref()), (Some("SkuDisplayName"), Some("B")));

        let shared = read_page(body(SHARED).as_bytes()).unwrap();
        let shared: Vec<_> = shared.items.iter().map(|i| i.as_ref().unwrap().figures("asked", LOOK_BACK).unwrap()).collect();
        assert_eq!(shared.len(), 2);
        assert!(shared.iter().all(|f| f.scope == RecommendedScope::Shared && f.location == "westus" && f.look_back_days == 7), "{shared:?}");
        let figures = |f: &azure_api::consumption::RecommendationFigures| {
            [f.cost_with_no_reserved_instances, f.total_cost_with_reserved_instances, f.net_savings].map(|d| d.to_string())
        };
        assert_eq!(figures(&shared[0]), ["12.0785105", "11.4899644807748", "0.588546019225182"]);
        assert_eq!(figures(&shared[1]), ["10.0785105", "13.48", "0.68"], "as Azure wrote them, even where they do not add up");

        let modern = read_page(body(MODERN).as_bytes()).unwrap();
        let modern: Vec<_> = modern.items.iter().map(|i| i.as_ref().unwrap().figures("asked", LOOK_BACK).unwrap()).collect();
        assert_eq!(modern.len(), 2);
        let three = &modern[0];
        assert_eq!((three.kind, three.sku_name.as_str(), three.location.as_str(), three.resource_type.as_deref()), (Kind::Modern, "SQLDB_BC_Compute_Gen5", "westus2", Some("sqldatabases")));
        assert_eq!((three.look_back_days, three.recommended_quantity.to_string(), three.currency.as_deref()), (60, "35".into(), Some("USD")));
        assert_eq!(figures(three), ["279881.9457795231", "126115.06849314792", "153766.87728637524"]);
        assert_eq!(three.scope, RecommendedScope::Single { subscription_id: "c6aa8a01-a744-44a7-a4f1-caad17512f27".into() }, "Azure's subscription, not the one asked");
        assert_eq!((format!("{:?}", three.term), format!("{:?}", modern[1].term)), ("P3Y".into(), "P1Y".into()));
    }

    /// The members without which the desk sets one recommendation aside (the specification
    /// requires the first three; the desk needs the others).
    const NEEDED: [&str; 7] = ["kind", "properties", "scope", "sku", "skuName", "location", "term"];

    #[test]
    fn removing_any_property_of_the_published_answer_leaves_the_other_items_read() {
        for (example, sku) in [(BY_SUBSCRIPTION, "Standard_DS1_v2"), (FILTERED, "Standard_DS1_v2"), (SHARED, "Standard_DS1_v2"), (MODERN, "SQLDB_BC_Compute_Gen5")] {
            let published: serde_json::Value = serde_json::from_str(&body(example)).unwrap();
            let all = paths(&published);
            assert!(all.len() > 30, "{all:?}");
            for path in all {
                let changed = without(&published, &path);
                let page = read_page(changed.to_string().as_bytes()).unwrap_or_else(|e| panic!("without {path}: {e}"));
                if path == "/value" {
                    assert!(page.items.is_empty());
                    continue;
                }
                assert_eq!(page.items.len(), 2, "without {path}");
                for (i, item) in page.items.iter().enumerate() {
                    let touched = path.starts_with(&format!("/value/{i}/"));
                    let figures = item.clone().and_then(|r| r.figures("asked", LOOK_BACK));
                    let key = path.rsplit('/').next().unwrap();
                    // A modern cost without its value is a cost not given.
                    let cost = ["costWithNoReservedInstances", "totalCostWithReservedInstances", "netSavings"].iter().any(|c| path.contains(c));
                    match figures {
                        Ok(f) => assert!(f.sku_name == sku && !f.recommended_quantity.is_zero(), "without {path}: {f:?}"),
                        Err(why) => {
                            assert!(touched, "without {path}: item {i}, untouched, set aside: {why:?}");
                            assert!(NEEDED.contains(&key) || key == "recommendedQuantity" || cost, "without {path}: {why:?}");
                            assert!(!why.why.is_empty());
                            // What Azure did say of it is kept, for the user's list of what was left out.
                            if key != "kind" && key != "properties" && key != "scope" {
                                assert!(why.scope.is_some(), "without {path}: {why:?}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn subscriptions_read_item_by_item() {
        let body = serde_json::json!({"value": [
            {"id": "/subscriptions/291bba3f-e0a5-47bc-a099-3bdcb2a50a05", "subscriptionId": "291bba3f-e0a5-47bc-a099-3bdcb2a50a05",
             "tenantId": "t", "displayName": "Example Subscription", "state": "Enabled",
             "subscriptionPolicies": {"locationPlacementId": "Internal_2014-09-01", "quotaId": "Internal_2014-09-01", "spendingLimit": "Off"},
             "authorizationSource": "RoleBased", "managedByTenants": [], "tags": {}},
            {"id": "/subscriptions/3f2504e0-4f89-41d3-9a0c-0305e82c3301", "state": "Disabled"},
            {"displayName": "no ID"},
            {"subscriptionId": "../providers"},
            "not a subscription"
        ], "nextLink": "https://management.azure.com/subscriptions?api-version=2022-12-01&$skiptoken=x"});
        let SubscriptionsRead { subscriptions: read, skipped, next_link: next } = read_subscriptions(body.to_string().as_bytes()).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!((read[0].id.as_str(), read[0].display_name.as_str(), read[0].is_active()), ("291bba3f-e0a5-47bc-a099-3bdcb2a50a05", "Example Subscription", true));
        assert_eq!((read[1].id.as_str(), read[1].is_active()), ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", false), "its ID from `id`; a disabled one runs nothing");
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(next.is_some());
        assert!(read_subscriptions(b"<html>").is_err());
    }
}
