//! Microsoft.Consumption's reservation recommendations, api-version 2023-05-01, as Azure mode
//! reads them from a subscription of a customer's tenant (`GET
//! /subscriptions/{id}/providers/Microsoft.Consumption/reservationRecommendations`, operation
//! `ReservationRecommendations_List` of `consumption.json`, with its examples
//! `ReservationRecommendationsBySubscription.json`,
//! `ReservationRecommendationsFilterBySubscriptionForScopeLookBackPeriod.json` (legacy, single
//! scope), `ReservationRecommendationsByBillingAccount.json` (legacy, shared scope) and
//! `ReservationRecommendationsByBillingProfile.json` (modern)).
//!
//! The list's items are `ReservationRecommendation`s told apart by `kind`, and the desk reads
//! both: `legacy` (`LegacyReservationRecommendation`: SKU and region on the item, costs plain
//! numbers in the billing currency it does not name, the look-back `Last30Days`) and `modern`
//! (`ModernReservationRecommendation`: SKU (`skuName`) and region in its properties, costs
//! `{currency, value}`, the look-back a number of days). As the specification has it, `kind`,
//! `properties` and their `scope` are required; every other property may be absent or `null`.
//! Numbers are read from their JSON text digit for digit (`ExactNumber`), never through a float:
//! Microsoft's own example writes `7.2893157231780812`, one digit more than a float keeps.
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

/// The look-back period the desk asks for unless the user picks another: its local mode
/// recommends from the last 30 days too. Azure's default, without a filter, is `Last7Days`.
pub const LOOK_BACK: &str = "Last30Days";

/// The look-back periods the specification's filter takes.
pub const LOOK_BACKS: [&str; 3] = ["Last7Days", "Last30Days", "Last60Days"];

/// The reserved resource types the desk asks Azure's recommendations of, as the filter's
/// `properties/resourceType` names them: those its catalog quotes (virtual machines, SQL
/// Database, Cosmos DB, App Service, Redis, managed disks) and the two databases Azure
/// recommends most beside them (PostgreSQL, MySQL). Without the filter Azure answers virtual
/// machines only, and the filter takes one type at a time.
pub const RESOURCE_TYPES: [&str; 8] = ["VirtualMachines", "SQLDatabases", "CosmosDB", "AppService", "RedisCache", "PostgreSQL", "MySQL", "ManagedDisk"];

/// The `$filter` of the recommendations at `scope` (`Single`: each subscription for itself;
/// `Shared`: the billing context's, the same from every subscription) over `look_back`
/// (`Last30Days`) for `resource_type` (`SQLDatabases`), joined by `AND` as the specification's
/// example joins them.
pub fn filter(scope: &str, look_back: &str, resource_type: &str) -> String {
    format!("properties/scope eq '{scope}' AND properties/lookBackPeriod eq '{look_back}' AND properties/resourceType eq '{resource_type}'")
}

/// A `ReservationRecommendation`, legacy or modern, as read from Azure.
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
    /// The region of a legacy recommendation, e.g. `northeurope`.
    #[serde(default)]
    pub location: Option<String>,
    /// The SKU of a legacy recommendation, e.g. `Standard_DS1_v2` (a string here, not ARM's `{name}`).
    #[serde(default)]
    pub sku: Option<String>,
    /// `legacy` or `modern` (required by the specification).
    pub kind: String,
    /// The recommendation (required).
    pub properties: PropertiesRead,
}

/// `LegacyReservationRecommendationProperties` and `ModernReservationRecommendationProperties`
/// in one, with the single scope's `subscriptionId`: the two kinds name the same things.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertiesRead {
    /// The usage looked at: `Last7Days`, `Last30Days`, `Last60Days` (legacy) or a number of days (modern).
    #[serde(default)]
    pub look_back_period: Option<LookBackRead>,
    /// The region of a modern recommendation.
    #[serde(default)]
    pub location: Option<String>,
    /// The SKU of a modern recommendation.
    #[serde(default)]
    pub sku_name: Option<String>,
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
    /// The Azure resource type, e.g. `virtualMachines`, `sqldatabases`.
    #[serde(default)]
    pub resource_type: Option<String>,
    /// `P1Y` or `P3Y`.
    #[serde(default)]
    pub term: Option<Lenient<Term>>,
    /// What the usage cost without reservations over the look-back period.
    #[serde(default)]
    pub cost_with_no_reserved_instances: Option<CostRead>,
    /// The units to buy.
    #[serde(default)]
    pub recommended_quantity: Option<ExactNumber>,
    /// What the usage would have cost with the recommended reservations.
    #[serde(default)]
    pub total_cost_with_reserved_instances: Option<CostRead>,
    /// The difference: what the reservations would have saved.
    #[serde(default)]
    pub net_savings: Option<CostRead>,
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

/// A look-back period: a legacy recommendation's name (`Last30Days`) or a modern one's days (`60`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookBackRead {
    /// `Last7Days`, `Last30Days`, `Last60Days`.
    Named(String),
    /// A number of days.
    Days(u32),
}

impl<'de> Deserialize<'de> for LookBackRead {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get().trim();
        if let Ok(days) = text.parse::<u32>() {
            return Ok(Self::Days(days));
        }
        serde_json::from_str::<String>(text).map(Self::Named).map_err(|_| serde::de::Error::custom(format!("{text} is neither a look-back period's name nor its days")))
    }
}

/// A cost: a legacy recommendation's plain number (the billing currency, unnamed) or a modern
/// one's `{currency, value}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostRead {
    /// The amount, digit for digit (`None`: a modern cost without its `value`).
    pub value: Option<Decimal>,
    /// Its currency, when Azure names it (modern).
    pub currency: Option<String>,
}

impl<'de> Deserialize<'de> for CostRead {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Amount {
            #[serde(default)]
            currency: Option<String>,
            #[serde(default)]
            value: Option<ExactNumber>,
        }
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get().trim();
        if text.starts_with('{') {
            let amount: Amount = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
            return Ok(Self { value: amount.value.map(|v| v.0), currency: amount.currency });
        }
        let number: ExactNumber = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
        Ok(Self { value: Some(number.0), currency: None })
    }
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

/// A listed item the desk cannot read, with why: one of a kind it does not know, or one that
/// does not have the specification's shape, or lacks what the desk cannot do without. What
/// Azure did say of it (SKU, region, scope) is kept, so that the user is told what was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Its ID, or its name, when it had one.
    pub id: String,
    /// Its SKU, when Azure said.
    pub sku_name: Option<String>,
    /// Its region, when Azure said.
    pub location: Option<String>,
    /// `Single` or `Shared`, when Azure said.
    pub scope: Option<String>,
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
#[serde(rename_all = "camelCase")]
struct Heading {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default)]
    kind: Option<serde_json::Value>,
    #[serde(default)]
    sku: Option<serde_json::Value>,
    #[serde(default)]
    location: Option<serde_json::Value>,
    #[serde(default)]
    properties: Option<serde_json::Value>,
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

/// One listed item (its JSON text, so that every number keeps its digits): a recommendation, or
/// why it is set aside.
pub fn read_item(text: &str) -> Result<RecommendationRead, Skipped> {
    let heading: Option<Heading> = serde_json::from_str(text).ok();
    let named = |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let h = heading.as_ref();
    let id = h.and_then(|h| named(h.id.as_ref()).or_else(|| named(h.name.as_ref()))).unwrap_or_default();
    let property = |key: &str| h.and_then(|h| named(h.properties.as_ref().and_then(|p| p.get(key))));
    let skipped = |why: String| Skipped {
        id: id.clone(),
        sku_name: h.and_then(|h| named(h.sku.as_ref())).or_else(|| property("skuName")),
        location: h.and_then(|h| named(h.location.as_ref())).or_else(|| property("location")),
        scope: property("scope"),
        why,
    };
    let kind = h.and_then(|h| h.kind.clone());
    match kind.as_ref().map(|k| k.as_str()) {
        None => return Err(skipped("Azure's recommendation has no kind, which the specification requires.".into())),
        Some(Some(k)) if k.eq_ignore_ascii_case("legacy") || k.eq_ignore_ascii_case("modern") => {}
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

/// Which of the specification's two kinds a recommendation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `legacy`: costs in the billing currency, unnamed.
    Legacy,
    /// `modern`: costs with their currency.
    Modern,
}

/// What the desk takes from a recommendation of either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecommendationFigures {
    /// Legacy or modern.
    pub kind: Kind,
    /// E.g. `Standard_D4s_v5`, `SQLDB_BC_Compute_Gen5`.
    pub sku_name: String,
    /// E.g. `westeurope`.
    pub location: String,
    /// Azure's resource type, when it says (`virtualMachines`, `sqldatabases`).
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
    /// The costs' currency (ISO 4217) when Azure names it (modern); `None`: the billing currency.
    pub currency: Option<String>,
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
    /// The SKU Azure names (a legacy item's `sku`, a modern one's `skuName`).
    pub fn sku_name(&self) -> Option<String> {
        text(&self.sku).or_else(|| text(&self.properties.sku_name))
    }

    /// The region Azure names (a legacy item's `location`, a modern one's in its properties).
    pub fn location(&self) -> Option<String> {
        text(&self.location).or_else(|| text(&self.properties.location))
    }

    /// The recommendation as the desk takes it, asked of `subscription_id` over `look_back` (what
    /// a single scope's recommendation and the look-back stand for when Azure leaves them out);
    /// `Err` names what is missing that the desk cannot do without, with what Azure did say.
    pub fn figures(&self, subscription_id: &str, look_back: &str) -> Result<RecommendationFigures, Skipped> {
        let p = &self.properties;
        let skipped = |why: String| Skipped {
            id: self.id.clone().or_else(|| self.name.clone()).unwrap_or_default(),
            sku_name: self.sku_name(),
            location: self.location(),
            scope: Some(p.scope.trim().to_owned()),
            why,
        };
        let kind = if self.kind.eq_ignore_ascii_case("modern") { Kind::Modern } else { Kind::Legacy };
        let sku_name = self.sku_name().ok_or_else(|| skipped("Azure gave no SKU.".into()))?;
        let location = self.location().ok_or_else(|| skipped("Azure gave no location.".into()))?;
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
        let look_back_days = match &p.look_back_period {
            Some(LookBackRead::Days(d)) if *d > 0 => *d,
            Some(LookBackRead::Days(d)) => return Err(skipped(format!("Azure's look-back period of {d} days is not one the desk knows."))),
            Some(LookBackRead::Named(n)) => look_back_days(n).ok_or_else(|| skipped(format!("Azure's look-back period {n:?} is not one the desk knows.")))?,
            None => look_back_days(look_back).ok_or_else(|| skipped(format!("The look-back period {look_back:?} is not one the desk knows.")))?,
        };
        let recommended_quantity = p.recommended_quantity.ok_or_else(|| skipped("Azure gave no recommendedQuantity.".into()))?.0;
        let costs = [&p.cost_with_no_reserved_instances, &p.total_cost_with_reserved_instances, &p.net_savings];
        let mut currencies: Vec<String> = costs.iter().filter_map(|c| c.as_ref()?.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_uppercase)).collect();
        currencies.dedup();
        if currencies.len() > 1 {
            return Err(skipped(format!("Azure's costs are in different currencies ({}).", currencies.join(", "))));
        }
        let amount = |c: &Option<CostRead>| c.as_ref().and_then(|c| c.value);
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
        Ok(RecommendationFigures {
            kind,
            sku_name,
            location,
            resource_type: text(&p.resource_type),
            term,
            scope,
            recommended_quantity,
            look_back_days,
            first_usage_date: crate::read::day(p.first_usage_date.as_deref()),
            currency: currencies.pop(),
            cost_with_no_reserved_instances: without,
            total_cost_with_reserved_instances: with,
            net_savings: savings,
        })
    }
}

/// A text Azure gave, trimmed; `None` when absent or blank.
fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
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
    fn an_item_that_does_not_fit_is_set_aside_with_why_and_the_others_read() {
        let mut modern = legacy();
        modern["kind"] = json!("modern");
        modern["properties"]["costWithNoReservedInstances"] = json!({"currency": "USD", "value": 480.12});
        modern["properties"]["netSavings"] = json!({"currency": "EUR", "value": 1});
        let page = read_page(json!({"value": [legacy(), modern, {"name": "r3"}, 7]}).to_string().as_bytes()).unwrap();
        assert_eq!(page.items.len(), 4);
        let f = page.items[0].as_ref().unwrap().figures("s-1", LOOK_BACK).unwrap();
        assert_eq!((f.recommended_quantity, f.cost_with_no_reserved_instances, f.term), (dec!(2), dec!(480.12), Term::P1Y));
        assert_eq!(f.first_usage_date, NaiveDate::from_ymd_opt(2026, 10, 27));
        let why = page.items[1].as_ref().unwrap().figures("s-1", LOOK_BACK).unwrap_err();
        assert!(why.why.contains("different currencies") && why.id.ends_with("/r1"), "{why:?}");
        assert_eq!((why.sku_name.as_deref(), why.location.as_deref(), why.scope.as_deref()), (Some("Standard_D4s_v5"), Some("westeurope"), Some("Single")), "what Azure said of it is kept");
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
        assert_eq!(
            filter("Shared", LOOK_BACK, "SQLDatabases"),
            "properties/scope eq 'Shared' AND properties/lookBackPeriod eq 'Last30Days' AND properties/resourceType eq 'SQLDatabases'"
        );
    }
}
