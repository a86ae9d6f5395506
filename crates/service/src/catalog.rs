//! The desk's catalog: the SKUs it sells, where, and at what price, in USD and, at a fixed demo
//! rate, in euros. Exchanges buy from it, refunds find today's price in it
//! ([`crate::current_price`]), and the demo seed buys its reservations from it; it depends on
//! none of them.

use chrono::{Days, NaiveDate};
use contract::ProblemCode;
use quote_engine::{Currency, Money, Term};
use rust_decimal::Decimal;

use crate::error::ServiceError;

/// A SKU in a location as a purchase is priced: one unit's whole-term price for the term asked,
/// in the customer's billing currency and in USD. Local mode takes it from the demo catalog
/// ([`offer`]); Azure mode from Azure's `calculatePrice` for that customer ([`Offer::priced`]), so
/// the engine quotes both alike and never mixes them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// Azure SKU name.
    pub sku_name: String,
    /// Product family (`reservedResourceType`).
    pub family: String,
    /// Region.
    pub location: String,
    /// Short name used in default display names.
    pub short: String,
    /// One unit for the whole term, in the billing currency.
    pub unit_price: Money,
    /// The same in USD (the approval threshold and the refund limit count in USD).
    pub unit_price_usd: Money,
}

impl Offer {
    /// The offer of `item` at Azure's `price` (Azure mode), in the currency Azure bills the
    /// customer in. Without a USD figure for a customer billed in another currency it cannot be
    /// quoted (the approval threshold compares USD): said, never guessed.
    pub fn priced(item: &contract::CatalogItem, price: &contract::UnitPrice) -> Result<Offer, ServiceError> {
        let currency = price.unit_price.currency;
        let unit_price_usd = match (price.unit_price_usd, currency.code()) {
            (Some(usd_price), _) if usd_price.currency.code() == "USD" => usd_price,
            (_, "USD") => price.unit_price,
            _ => {
                return Err(ServiceError::new(
                    ProblemCode::NotQuotable,
                    format!("Azure gave no price in USD for {}: the commitment cannot be compared with the approval threshold.", item.sku_id),
                ))
            }
        };
        Ok(Offer {
            sku_name: item.sku_name.clone(),
            family: item.reserved_resource_type.clone(),
            location: item.location.clone(),
            short: short_name(&item.sku_name),
            unit_price: price.unit_price,
            unit_price_usd,
        })
    }
}

/// A short name for a SKU the demo catalog does not name: its name in lower case without
/// `Standard_` and underscores (`Standard_E4s_v5` → `e4sv5`).
pub fn short_name(sku_name: &str) -> String {
    let name = sku_name.strip_prefix("Standard_").unwrap_or(sku_name);
    name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// The demo catalog's offer of `sku_id` (`{sku}/{region}`) for `term` in `currency`; a SKU or
/// region it does not sell is `NotInCatalog` on field `field`.
pub fn offer(sku_id: &str, term: Term, currency: Currency, field: &str) -> Result<Offer, ServiceError> {
    let (sku, region) =
        find_sku(sku_id).ok_or_else(|| ServiceError::invalid(ProblemCode::NotInCatalog, field, format!("'{sku_id}' is not in the catalog.")))?;
    Ok(Offer {
        sku_name: sku.sku.to_owned(),
        family: sku.family.to_owned(),
        location: region.to_owned(),
        short: sku.short.to_owned(),
        unit_price: price_in(sku, term, currency)?,
        unit_price_usd: Money::new(unit_price_usd(sku, term), usd()),
    })
}

/// The product family whose SKUs are VM sizes (a series the retirement rules may name).
pub const VM_FAMILY: &str = "VirtualMachines";
/// The regions the catalog sells in.
pub const CATALOG_REGIONS: [&str; 2] = ["westeurope", "eastus"];
/// A purchasable SKU: the seed buys these, and exchanges pick from them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogSku {
    /// Azure SKU name.
    pub sku: &'static str,
    /// Product family (`reservedResourceType`).
    pub family: &'static str,
    /// Short name used in display names.
    pub short: &'static str,
    /// USD price of one unit for a one-year term, in cents.
    pub p1y_cents: i64,
}

/// The catalog, in display order.
pub const CATALOG: &[CatalogSku] = &[
    CatalogSku { sku: "Standard_D2s_v5", family: "VirtualMachines", short: "vm-d2sv5", p1y_cents: 87_600 },
    CatalogSku { sku: "Standard_D4s_v5", family: "VirtualMachines", short: "vm-d4sv5", p1y_cents: 175_200 },
    CatalogSku { sku: "Standard_E8s_v5", family: "VirtualMachines", short: "vm-e8sv5", p1y_cents: 438_000 },
    CatalogSku { sku: "Standard_F16s_v2", family: "VirtualMachines", short: "vm-f16sv2", p1y_cents: 584_000 },
    CatalogSku { sku: "SQLDB_GP_Gen5_8", family: "SqlDatabases", short: "sql-gp8", p1y_cents: 960_000 },
    CatalogSku { sku: "SQLDB_BC_Gen5_4", family: "SqlDatabases", short: "sql-bc4", p1y_cents: 1_210_000 },
    CatalogSku { sku: "CosmosDB_100RUs", family: "CosmosDb", short: "cosmos-100ru", p1y_cents: 58_400 },
    CatalogSku { sku: "AppService_P1v3", family: "AppService", short: "app-p1v3", p1y_cents: 120_000 },
    CatalogSku { sku: "Redis_P1", family: "RedisCache", short: "redis-p1", p1y_cents: 240_000 },
    CatalogSku { sku: "ManagedDisk_P30", family: "ManagedDisk", short: "disk-p30", p1y_cents: 130_000 },
];

/// Price multiple of a term over one year (longer terms are cheaper per year).
fn term_factor(term: Term) -> Decimal {
    match term {
        Term::P1Y => Decimal::ONE,
        Term::P3Y => Decimal::new(24, 1),
        Term::P5Y => Decimal::new(36, 1),
    }
}

/// Whole-term USD price of one unit of `sku` for `term`.
pub fn unit_price_usd(sku: &CatalogSku, term: Term) -> Decimal {
    (Decimal::new(sku.p1y_cents, 2) * term_factor(term)).round_dp(2)
}

/// A price cut in the demo catalog: `sku`'s prices are `percent` % lower since `days_ago` days
/// before the seed day, so reservations of it bought before then paid the old price and are
/// refunded at today's lower catalog price ([`crate::current_price`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceCut {
    /// The SKU whose prices fell.
    pub sku: &'static str,
    /// How many days before the seed day the catalog's price fell.
    pub days_ago: u64,
    /// How much higher the old price was, in percent of today's.
    pub percent: i64,
}

/// The demo's price cuts: Standard_D4s_v5 cost 10 % more until 200 days before the seed day.
pub const PRICE_CUTS: &[PriceCut] = &[PriceCut { sku: "Standard_D4s_v5", days_ago: 200, percent: 10 }];

/// The whole-term USD price of one unit of `sku` for `term` bought on `purchase_date`, seeded on
/// `today`: today's catalog price, or the old one before a [`PRICE_CUTS`] entry.
pub fn purchase_price_usd(sku: &CatalogSku, term: Term, today: NaiveDate, purchase_date: NaiveDate) -> Decimal {
    let now = unit_price_usd(sku, term);
    match PRICE_CUTS.iter().find(|c| c.sku == sku.sku && purchase_date < today.checked_sub_days(Days::new(c.days_ago)).unwrap_or(today)) {
        Some(cut) => (now * (Decimal::ONE_HUNDRED + Decimal::from(cut.percent)) / Decimal::ONE_HUNDRED).round_dp(2),
        None => now,
    }
}

/// EUR per USD for the customer billed in euros (a fixed demo rate, stated, never a live one).
pub const EUR_PER_USD: Decimal = Decimal::from_parts(92, 0, 0, false, 2);

/// US dollars, the catalog's own currency.
pub fn usd() -> Currency {
    Currency::new("USD").expect("USD is a currency")
}

/// The catalog's SKU and region of an exchange's `skuId` (`{sku}/{region}`), if it sells there.
pub fn find_sku(sku_id: &str) -> Option<(&'static CatalogSku, &'static str)> {
    let (name, region) = sku_id.split_once('/')?;
    let sku = CATALOG.iter().find(|s| s.sku == name)?;
    let region = CATALOG_REGIONS.iter().find(|r| **r == region)?;
    Some((sku, region))
}

/// The unit price of `sku` for `term` in `currency` (USD, or EUR at the demo's fixed rate).
pub fn price_in(sku: &CatalogSku, term: Term, currency: Currency) -> Result<Money, ServiceError> {
    let usd_price = unit_price_usd(sku, term);
    match currency.code() {
        "USD" => Ok(Money::new(usd_price, currency)),
        "EUR" => Ok(Money::new((usd_price * EUR_PER_USD).round_dp(2), currency)),
        other => Err(ServiceError::new(ProblemCode::NotQuotable, format!("The catalog has no prices in {other}."))),
    }
}
