//! Microsoft.Consumption's reservation recommendations, api-version 2023-05-01, as Azure mode
//! reads them from a subscription of a customer's tenant (`GET
//! /subscriptions/{id}/providers/Microsoft.Consumption/reservationRecommendations`, operation
//! `ReservationRecommendations_List` of `consumption.json`, with its examples
//! `ReservationRecommendationsBySubscription.json` and
//! `ReservationRecommendationsFilterBySubscriptionForScopeLookBackPeriod.json`).
//!
//! The list's items are `ReservationRecommendation`s told apart by `kind`: `legacy` (the
//! `LegacyReservationRecommendation` the desk reads: its costs are plain numbers) or `modern`
//! (its costs are `{currency, value}`), which the desk does not read: such an item is set aside
//! with why, never an error. As the specification has it, `kind`, a legacy item's `properties`
//! and their `scope` are required; every other property may be absent or `null`. Numbers are read
//! from their JSON text digit for digit (`ExactNumber`), never through a float: Microsoft's own
//! example writes `7.2893157231780812`, one digit more than a float keeps.
//!
//! One item that does not fit is set aside with the member that did not fit, and never hides the
//! others; [`RecommendationRead::figures`] then says whether the desk has what it needs (SKU,
//! region, term, quantity, and two of the three costs: the third follows from them).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use quote_engine::Term;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::lenient::Lenient;
use crate::number::ExactNumber;

/// The api-version of Microsoft.Consumption the desk reads.
pub const API_VERSION: &str = "2023-05-01";

/// The look-back period the desk asks for: its local mode recommends from the last 30 days too.
/// Azure's default, without a filter, is `Last7Days`.
pub const LOOK_BACK: &str = "Last30Days";

/// The `$filter` of one subscription's recommendations for itself alone (`Single`; `Shared` is
/// another call) over `look_back`, written as the specification's example writes it:
/// `properties/scope eq 'Single' AND properties/lookBackPeriod eq 'Last7Days'`. The resource
/// type is left to Azure's default (`VirtualMachines`).
pub fn single_scope_filter(look_back: &str) -> String {
    format!("properties/scope eq 'Single' AND properties/lookBackPeriod eq '{look_back}'")
}

/// A `ReservationRecommendation` whose `kind` is `legacy`, as read from Azure.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationRead {
    /// The full ARM ID.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// `Microsoft.Consumption/reservationRecommendations`.
    #[serde(default, rename = "type")]
    pub resource_type: Option<String>,
    /// The etag.
    #[serde(default)]
    pub etag: Option<String>,
    /// Resource tags.
    #[serde(default)]
    pub tags: Option<BTreeMap<String, String>>,
    /// The region, e.g. `northeurope`.
    #[serde(default)]
    pub location: Option<String>,
    /// The SKU, e.g. `Standard_DS1_v2` (a string here, not ARM's `{name}`).
    #[serde(default)]
    pub sku: Option<String>,
    /// `legacy` (required by the specification).
    pub kind: String,
    /// The recommendation (required for the legacy kind).
    pub properties: LegacyPropertiesRead,
}

/// `LegacyReservationRecommendationProperties` with the single scope's `subscriptionId`
/// (`LegacySingleScopeReservationRecommendationProperties`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyPropertiesRead {
    /// The usage looked at: `Last7Days`, `Last30Days`, `Last60Days`.
    #[serde(default)]
    pub look_back_period: Option<String>,
    /// The instance flexibility ratio.
    #[serde(default)]
    pub instance_flexibility_ratio: Option<ExactNumber>,
    /// The instance flexibility group.
    #[serde(default)]
    pub instance_flexibility_group: Option<String>,
    /// The normalized size.
    #[serde(default)]
    pub normalized_size: Option<String>,
    /// The recommended quantity in normalized units.
    #[serde(default)]
    pub recommended_quantity_normalized: Option<ExactNumber>,
    /// The meter (a GUID).
    #[serde(default)]
    pub meter_id: Option<String>,
    /// The Azure resource type, e.g. `virtualMachines`.
    #[serde(default)]
    pub resource_type: Option<String>,
    /// `P1Y` or `P3Y`.
    #[serde(default)]
    pub term: Option<Lenient<Term>>,
    /// What the usage cost without reservations over the look-back period.
    #[serde(default)]
    pub cost_with_no_reserved_instances: Option<ExactNumber>,
    /// The units to buy.
    #[serde(default)]
    pub recommended_quantity: Option<ExactNumber>,
    /// What the usage would have cost with the recommended reservations.
    #[serde(default)]
    pub total_cost_with_reserved_instances: Option<ExactNumber>,
    /// The difference: what the reservations would have saved.
    #[serde(default)]
    pub net_savings: Option<ExactNumber>,
    /// The first day of the usage looked at (a date-time).
    #[serde(default)]
    pub first_usage_date: Option<String>,
    /// `Single` or `Shared` (required: the specification's discriminator).
    pub scope: String,
    /// The SKU's properties (cores, memory, …).
    #[serde(default)]
    pub sku_properties: Option<Vec<SkuPropertyRead>>,
    /// A single scope's subscription (a GUID).
    #[serde(default)]
    pub subscription_id: Option<String>,
}

/// `SkuProperty`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SkuPropertyRead {
    /// E.g. `Cores`.
    #[serde(default)]
    pub name: Option<String>,
    /// E.g. `1`.
    #[serde(default)]
    pub value: Option<String>,
}

/// A listed item the desk does not read, with why: a `modern` recommendation, or one that does
/// not have the specification's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its ID, or its name, when it had one.
    pub id: String,
    /// Why it was set aside.
    pub why: String,
}

/// One page of recommendations, read item by item, and the next page's link.
#[derive(Debug)]
pub struct RecommendationsPage {
    /// Each item: read, or why not.
    pub items: Vec<Result<RecommendationRead, Skipped>>,
    /// The next page, absent on the last.
    pub next_link: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage<'a> {
    #[serde(default, borrow)]
    value: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    next_link: Option<String>,
}

/// What names an item before its shape is known, and which kind it is.
#[derive(Deserialize)]
struct Heading {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default)]
    kind: Option<serde_json::Value>,
}

/// Reads a page of `ReservationRecommendationsListResult`. An empty body is no recommendations
/// (the specification's `204`). `Err` only when the answer is not such a page at all.
pub fn read_page(body: &[u8]) -> Result<RecommendationsPage, serde_json::Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(RecommendationsPage { items: Vec::new(), next_link: None });
    }
    let page: RawPage = serde_json::from_slice(body)?;
    let items = page.value.unwrap_or_default().into_iter().map(|raw| read_item(raw.get())).collect();
    Ok(RecommendationsPage { items, next_link: page.next_link.filter(|l| !l.is_empty()) })
}

/// One listed item (its JSON text, so that every number keeps its digits): a legacy
/// recommendation, or why it is set aside.
pub fn read_item(text: &str) -> Result<RecommendationRead, Skipped> {
    let heading: Option<Heading> = serde_json::from_str(text).ok();
    let named = |v: &Option<serde_json::Value>| v.as_ref().and_then(serde_json::Value::as_str).map(str::to_owned);
    let id = heading.as_ref().and_then(|h| named(&h.id).or_else(|| named(&h.name))).unwrap_or_default();
    let kind = heading.as_ref().and_then(|h| h.kind.clone());
    let skipped = |why: String| Skipped { id: id.clone(), why };
    match kind.as_ref().map(|k| k.as_str()) {
        None => return Err(skipped("Azure's recommendation has no kind, which the specification requires.".into())),
        Some(Some(k)) if k.eq_ignore_ascii_case("legacy") => {}
        Some(Some(k)) if k.eq_ignore_ascii_case("modern") => {
            return Err(skipped(
                "a modern recommendation (the kind Microsoft's examples show at a billing profile, its costs with their currency): the desk reads the legacy kind only.".into(),
            ))
        }
        Some(other) => return Err(skipped(format!("Azure's recommendation is of a kind the desk does not know ({})", other.map_or_else(|| "not a string".into(), |k| format!("{k:?}"))))),
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, RecommendationRead>(&mut reader)
        .map_err(|e| skipped(format!("Azure's recommendation does not have the shape the specification gives: {} at {}", e.inner(), e.path())))
}

/// Where a recommended reservation would apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecommendedScope {
    /// One subscription's usage: its ID (a GUID).
    Single {
        /// The subscription.
        subscription_id: String,
    },
    /// The usage of every subscription of the billing context.
    Shared,
}

/// What the desk takes from a legacy recommendation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyRecommendation {
    /// E.g. `Standard_D4s_v5`.
    pub sku_name: String,
    /// E.g. `westeurope`.
    pub location: String,
    /// Azure's resource type, when it says.
    pub resource_type: Option<String>,
    /// The term recommended.
    pub term: Term,
    /// Where it would apply.
    pub scope: RecommendedScope,
    /// The units to buy, as Azure wrote them.
    pub recommended_quantity: Decimal,
    /// How many days of usage Azure looked at.
    pub look_back_days: u32,
    /// The first day of that usage, when Azure says.
    pub first_usage_date: Option<NaiveDate>,
    /// What the usage cost without reservations over those days.
    pub cost_with_no_reserved_instances: Decimal,
    /// What it would have cost with them.
    pub total_cost_with_reserved_instances: Decimal,
    /// What they would have saved.
    pub net_savings: Decimal,
}

/// The days of a look-back period as Azure names it (`Last30Days`: 30).
pub fn look_back_days(period: &str) -> Option<u32> {
    period.trim().strip_prefix("Last")?.strip_suffix("Days")?.parse().ok().filter(|d| *d > 0)
}

impl RecommendationRead {
    /// The recommendation as the desk takes it, asked of `subscription_id` over `look_back` (what
    /// a single scope's recommendation and the look-back stand for when Azure leaves them out);
    /// `Err` names what is missing that the desk cannot do without.
    pub fn figures(&self, subscription_id: &str, look_back: &str) -> Result<LegacyRecommendation, Skipped> {
        let p = &self.properties;
        let skipped = |why: String| Skipped { id: self.id.clone().or_else(|| self.name.clone()).unwrap_or_default(), why };
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let sku_name = text(&self.sku).ok_or_else(|| skipped("Azure gave no sku.".into()))?;
        let location = text(&self.location).ok_or_else(|| skipped("Azure gave no location.".into()))?;
        let term = match &p.term {
            Some(Lenient::Known(t)) => *t,
            Some(Lenient::Other(t)) => return Err(skipped(format!("Azure's term {t:?} is not one the desk knows."))),
            None => return Err(skipped("Azure gave no term.".into())),
        };
        let scope = match p.scope.trim() {
            s if s.eq_ignore_ascii_case("Single") => RecommendedScope::Single {
                subscription_id: text(&p.subscription_id).unwrap_or_else(|| subscription_id.to_owned()),
            },
            s if s.eq_ignore_ascii_case("Shared") => RecommendedScope::Shared,
            other => return Err(skipped(format!("Azure's scope {other:?} is neither Single nor Shared."))),
        };
        let period = text(&p.look_back_period).unwrap_or_else(|| look_back.to_owned());
        let look_back_days = look_back_days(&period).ok_or_else(|| skipped(format!("Azure's look-back period {period:?} is not one the desk knows.")))?;
        let recommended_quantity = p.recommended_quantity.ok_or_else(|| skipped("Azure gave no recommendedQuantity.".into()))?.0;
        let amount = |n: &Option<ExactNumber>| n.map(|n| n.0);
        // Two of the three costs give the third: without reservations − with them = savings.
        let (without, with, savings) = match (
            amount(&p.cost_with_no_reserved_instances),
            amount(&p.total_cost_with_reserved_instances),
            amount(&p.net_savings),
        ) {
            (Some(a), Some(b), Some(c)) => (Some(a), Some(b), Some(c)),
            (Some(a), Some(b), None) => (Some(a), Some(b), a.checked_sub(b)),
            (Some(a), None, Some(c)) => (Some(a), a.checked_sub(c), Some(c)),
            (None, Some(b), Some(c)) => (b.checked_add(c), Some(b), Some(c)),
            _ => return Err(skipped("Azure gave fewer than two of costWithNoReservedInstances, totalCostWithReservedInstances and netSavings.".into())),
        };
        let (Some(without), Some(with), Some(savings)) = (without, with, savings) else {
            return Err(skipped("Azure's costs are too large to compute with.".into()));
        };
        Ok(LegacyRecommendation {
            sku_name,
            location,
            resource_type: text(&p.resource_type),
            term,
            scope,
            recommended_quantity,
            look_back_days,
            first_usage_date: crate::read::day(p.first_usage_date.as_deref()),
            cost_with_no_reserved_instances: without,
            total_cost_with_reserved_instances: with,
            net_savings: savings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn legacy() -> serde_json::Value {
        json!({
            "id": "subscriptions/s-1/providers/Microsoft.Consumption/reservationRecommendations/r1", "name": "r1",
            "sku": "Standard_D4s_v5", "location": "westeurope", "kind": "legacy",
            "properties": {
                "lookBackPeriod": "Last30Days", "term": "P1Y", "costWithNoReservedInstances": 480.12, "recommendedQuantity": 2,
                "totalCostWithReservedInstances": 288.0, "netSavings": 192.12, "firstUsageDate": "2026-10-27T00:00:00Z",
                "scope": "Single", "subscriptionId": "s-1"
            }
        })
    }

    #[test]
    fn every_digit_azure_writes_is_kept() {
        let text = r#"{"kind": "legacy", "sku": "Standard_DS1_v2", "location": "northeurope",
            "properties": {"scope": "Single", "term": "P3Y", "recommendedQuantity": 1, "costWithNoReservedInstances": 0.0,
            "netSavings": 7.2893157231780812}}"#;
        let r = read_item(text).unwrap();
        let f = r.figures("s-9", LOOK_BACK).unwrap();
        assert_eq!(f.net_savings.to_string(), "7.2893157231780812", "a float would have kept 7.289315723178081");
        assert_eq!((f.total_cost_with_reserved_instances, f.look_back_days), (dec!(-7.2893157231780812), 30), "the third cost follows, the look-back asked stands in");
        assert_eq!(f.scope, RecommendedScope::Single { subscription_id: "s-9".into() }, "the subscription asked about stands in");
    }

    #[test]
    fn a_modern_item_is_set_aside_with_why_and_the_others_read() {
        let mut modern = legacy();
        modern["kind"] = json!("modern");
        modern["properties"]["costWithNoReservedInstances"] = json!({"currency": "USD", "value": 480.12});
        let page = read_page(json!({"value": [legacy(), modern, {"name": "r3"}, 7]}).to_string().as_bytes()).unwrap();
        assert_eq!(page.items.len(), 4);
        let f = page.items[0].as_ref().unwrap().figures("s-1", LOOK_BACK).unwrap();
        assert_eq!((f.recommended_quantity, f.cost_with_no_reserved_instances, f.term), (dec!(2), dec!(480.12), Term::P1Y));
        assert_eq!(f.first_usage_date, NaiveDate::from_ymd_opt(2026, 10, 27));
        let why = page.items[1].as_ref().unwrap_err();
        assert!(why.why.contains("modern") && why.id.ends_with("/r1"), "{why:?}");
        assert!(page.items[2].as_ref().unwrap_err().why.contains("no kind"), "kind is required");
        assert!(page.items[3].is_err());
        assert!(read_page(b"").unwrap().items.is_empty(), "204: no recommendations");
        assert!(read_page(b"<html>").is_err());
    }

    #[test]
    fn what_the_desk_cannot_do_without_is_named() {
        for (key, said) in [("term", "term"), ("recommendedQuantity", "recommendedQuantity")] {
            let mut v = legacy();
            v["properties"].as_object_mut().unwrap().remove(key);
            let why = read_item(&v.to_string()).unwrap().figures("s-1", LOOK_BACK).unwrap_err();
            assert!(why.why.contains(said), "{why:?}");
        }
        let mut v = legacy();
        v["properties"]["term"] = json!("P10Y");
        v["properties"]["lookBackPeriod"] = json!(null);
        assert!(read_item(&v.to_string()).unwrap().figures("s-1", LOOK_BACK).unwrap_err().why.contains("P10Y"));
        let mut v = legacy();
        v["properties"]["scope"] = json!(3);
        assert!(read_item(&v.to_string()).unwrap_err().why.contains("properties.scope"), "the member that did not fit is named");
        assert_eq!(look_back_days("Last60Days"), Some(60));
        assert_eq!(look_back_days("Last0Days"), None);
        assert_eq!(single_scope_filter(LOOK_BACK), "properties/scope eq 'Single' AND properties/lookBackPeriod eq 'Last30Days'");
    }
}
