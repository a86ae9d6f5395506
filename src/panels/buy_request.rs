//! The Buy panel's form as typed and the purchase it describes: pure, so what may be sent is
//! tested without a browser.

use contract::{AppliedScopeType, CatalogItem, ExchangePurchaseRequest, Recommendation, Scope};
use desk_service::configuration::display_name;
use desk_service::exchange::MAX_PURCHASE_QUANTITY;

use crate::components::number_field::{parse_whole_in, NumberFormat};
use quote_engine::{BillingPlan, OnDemandUsage, Term};

/// The purchase as typed: the catalog SKU (`{skuName}/{location}`), term, billing plan, the
/// quantity's text, the scope (0: Shared, else the index + 1 of one of the customer's scopes),
/// the name (blank: the desk names it), automatic renewal, and the usage of the recommendation it
/// was started from with that recommendation's SKU.
#[derive(Clone, Debug, PartialEq)]
pub struct BuyLine {
    pub sku_id: String,
    pub term: Term,
    pub plan: BillingPlan,
    pub quantity: String,
    pub scope: usize,
    pub display_name: String,
    pub renew: bool,
    pub usage: Option<(String, OnDemandUsage)>,
}

impl BuyLine {
    /// A purchase of one unit of `sku_id` for three years, paid upfront, shared, renewed.
    pub fn new(sku_id: String) -> Self {
        Self { sku_id, term: Term::P3Y, plan: BillingPlan::Upfront, quantity: "1".into(), scope: 0, display_name: String::new(), renew: true, usage: None }
    }

    /// The purchase a recommendation proposes: its SKU, term and quantity, paid upfront, at its
    /// scope when the customer has it (else Shared), quoted against its usage.
    pub fn recommended(r: &Recommendation, scopes: &[Scope]) -> Self {
        let scope = match (r.applied_scope_type, &r.applied_scope_properties) {
            (AppliedScopeType::Shared, _) | (_, None) => 0,
            (kind, Some(p)) => scopes
                .iter()
                .position(|s| {
                    let q = &s.applied_scope_properties;
                    s.applied_scope_type == kind
                        && q.subscription_id == p.subscription_id
                        && q.resource_group_id == p.resource_group_id
                        && q.management_group_id == p.management_group_id
                })
                .map_or(0, |i| i + 1),
        };
        Self {
            term: r.term,
            quantity: r.recommended_quantity.to_string(),
            scope,
            usage: Some((r.sku_id.clone(), r.on_demand)),
            ..Self::new(r.sku_id.clone())
        }
    }

    /// The usage the quote saves against: the recommendation's, while its SKU is the one chosen.
    pub fn on_demand(&self) -> Option<OnDemandUsage> {
        self.usage.as_ref().filter(|(sku, _)| *sku == self.sku_id).map(|(_, usage)| *usage)
    }
}

/// The purchase `line` describes, or `None` while its quantity is not a whole number from 1 to
/// [`MAX_PURCHASE_QUANTITY`] (thousands grouped as the language shown, `format`, groups them)
/// or its name breaks the display name's rule.
pub fn purchase_request(line: &BuyLine, scopes: &[Scope], format: NumberFormat) -> Option<ExchangePurchaseRequest> {
    let quantity = parse_whole_in(&line.quantity, 1, MAX_PURCHASE_QUANTITY, format).ok()?;
    let name = line.display_name.trim();
    let display_name = if name.is_empty() { None } else { Some(display_name(name, "purchase.displayName").ok()?) };
    let scope = line.scope.checked_sub(1).and_then(|i| scopes.get(i));
    Some(ExchangePurchaseRequest {
        sku_id: line.sku_id.clone(),
        term: line.term,
        billing_plan: line.plan,
        quantity,
        applied_scope_type: scope.map_or(AppliedScopeType::Shared, |s| s.applied_scope_type),
        applied_scope_properties: scope.map(|s| s.applied_scope_properties.clone()),
        display_name,
        renew: line.renew,
    })
}

/// The distinct SKU names of `catalog` whose name or product family contains `filter` (any
/// case), in catalog order.
pub fn matching_skus<'a>(catalog: &'a [CatalogItem], filter: &str) -> Vec<&'a CatalogItem> {
    let filter = filter.trim().to_lowercase();
    let mut seen: Vec<&CatalogItem> = Vec::new();
    for item in catalog {
        let hit = filter.is_empty()
            || item.sku_name.to_lowercase().contains(&filter)
            || item.reserved_resource_type.to_lowercase().contains(&filter);
        if hit && !seen.iter().any(|s| s.sku_name == item.sku_name) {
            seen.push(item);
        }
    }
    seen
}

/// SKU names (each with its product family, in [`matching_skus`]'s order) under their family,
/// the families in the order of their first SKU: the list shows a family once, as the heading of
/// its SKUs, so each SKU's line is its name alone and fits a phone. The first SKU listed stays
/// the first (the filter's Enter takes it).
pub fn by_family<'a>(skus: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut groups: Vec<(&'a str, Vec<&'a str>)> = Vec::new();
    for (name, family) in skus {
        match groups.iter_mut().find(|(f, _)| *f == family) {
            Some((_, names)) => names.push(name),
            None => groups.push((family, vec![name])),
        }
    }
    groups
}

/// The catalog entries of SKU `sku_name`: one per region.
pub fn regions_of<'a>(catalog: &'a [CatalogItem], sku_name: &str) -> Vec<&'a CatalogItem> {
    catalog.iter().filter(|i| i.sku_name == sku_name).collect()
}

/// The SKU `sku_name` in `region` when the catalog has it there, else in its first region.
pub fn sku_in(catalog: &[CatalogItem], sku_name: &str, region: &str) -> Option<String> {
    let regions = regions_of(catalog, sku_name);
    regions.iter().find(|i| i.location == region).or_else(|| regions.first()).map(|i| i.sku_id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::number_field::number_format;
    use contract::AppliedScopeProperties;

    /// English numbers: `1,000.5`.
    const EN: NumberFormat = NumberFormat { decimal: '.', group: crate::components::number_field::Group::Comma };
    use quote_engine::{Currency, Money};

    fn item(sku: &str, family: &str, region: &str) -> CatalogItem {
        CatalogItem {
            sku_id: format!("{sku}/{region}"),
            sku_name: sku.into(),
            reserved_resource_type: family.into(),
            location: region.into(),
            prices: Vec::new(),
            retired_terms: Vec::new(),
            terms: Vec::new(),
            title: None,
            restrictions: Vec::new(),
        }
    }

    fn subscription(id: &str) -> Scope {
        Scope {
            applied_scope_type: AppliedScopeType::Single,
            applied_scope_properties: AppliedScopeProperties { subscription_id: Some(id.into()), ..Default::default() },
        }
    }

    #[test]
    fn a_quantity_or_name_the_desk_would_refuse_holds_the_request_back() {
        let line = BuyLine::new("Standard_D4s_v5/westeurope".into());
        assert_eq!(purchase_request(&line, &[], EN).unwrap().quantity, 1);
        for bad in ["0", "1001", "1.5", "", "two"] {
            assert!(purchase_request(&BuyLine { quantity: bad.into(), ..line.clone() }, &[], EN).is_none(), "{bad}");
        }
        assert!(purchase_request(&BuyLine { display_name: "a\u{7}b".into(), ..line.clone() }, &[], EN).is_none());
        let named = purchase_request(&BuyLine { display_name: "  web tier ".into(), ..line.clone() }, &[], EN).unwrap();
        assert_eq!(named.display_name.as_deref(), Some("web tier"));
        assert_eq!(purchase_request(&BuyLine { display_name: "  ".into(), ..line }, &[], EN).unwrap().display_name, None);
    }

    #[test]
    fn one_thousand_as_german_writes_it_is_bought_and_more_is_held_back() {
        let de = number_format("de");
        let line = BuyLine { quantity: "1.000".into(), ..BuyLine::new("Standard_D4s_v5/westeurope".into()) };
        assert_eq!(purchase_request(&line, &[], de).unwrap().quantity, 1000);
        assert!(purchase_request(&BuyLine { quantity: "1.001".into(), ..line.clone() }, &[], de).is_none());
        assert!(purchase_request(&line, &[], EN).is_none(), "in English 1.000 is not a whole number");
    }

    #[test]
    fn the_sku_list_names_each_family_once_above_its_skus() {
        let skus = [("Standard_D2s_v5", "VirtualMachines"), ("ManagedDisk_P30", "ManagedDisk"), ("Standard_E4s_v5", "VirtualMachines")];
        assert_eq!(
            by_family(skus),
            [("VirtualMachines", vec!["Standard_D2s_v5", "Standard_E4s_v5"]), ("ManagedDisk", vec!["ManagedDisk_P30"])]
        );
        assert!(by_family([]).is_empty());
    }

    #[test]
    fn the_scope_is_shared_or_one_of_the_customers() {
        let scopes = [subscription("/subscriptions/a"), subscription("/subscriptions/b")];
        let line = BuyLine { scope: 2, ..BuyLine::new("Standard_D4s_v5/westeurope".into()) };
        let request = purchase_request(&line, &scopes, EN).unwrap();
        assert_eq!(request.applied_scope_type, AppliedScopeType::Single);
        assert_eq!(request.applied_scope_properties.unwrap().subscription_id.as_deref(), Some("/subscriptions/b"));
        assert_eq!(purchase_request(&BuyLine { scope: 0, ..line }, &scopes, EN).unwrap().applied_scope_type, AppliedScopeType::Shared);
    }

    #[test]
    fn the_usage_counts_only_while_the_recommended_sku_is_chosen() {
        let usage = OnDemandUsage { cost: Money::new(100.into(), Currency::USD), days: 30, quantity: 2 };
        let line = BuyLine { usage: Some(("Standard_D4s_v5/westeurope".into(), usage)), ..BuyLine::new("Standard_D4s_v5/westeurope".into()) };
        assert_eq!(line.on_demand(), Some(usage));
        assert_eq!(BuyLine { sku_id: "Standard_D8s_v5/westeurope".into(), ..line }.on_demand(), None);
    }

    #[test]
    fn the_filter_finds_skus_by_name_or_family_once_each() {
        let catalog = [
            item("Standard_D4s_v5", "VirtualMachines", "westeurope"),
            item("Standard_D4s_v5", "VirtualMachines", "eastus"),
            item("SQL_GP_Gen5_2", "SqlDatabases", "westeurope"),
        ];
        let names = |f: &str| matching_skus(&catalog, f).iter().map(|i| i.sku_name.clone()).collect::<Vec<_>>();
        assert_eq!(names(""), ["Standard_D4s_v5", "SQL_GP_Gen5_2"]);
        assert_eq!(names("d4S"), ["Standard_D4s_v5"]);
        assert_eq!(names("sqldat"), ["SQL_GP_Gen5_2"]);
        assert!(names("nothing").is_empty());
        assert_eq!(sku_in(&catalog, "Standard_D4s_v5", "eastus").as_deref(), Some("Standard_D4s_v5/eastus"));
        assert_eq!(sku_in(&catalog, "Standard_D4s_v5", "northeurope").as_deref(), Some("Standard_D4s_v5/westeurope"));
    }
}
