//! Exchange eligibility from 1 February 2027: reservations for services that savings plans cover,
//! bought on or after the date, cannot be exchanged; those bought before keep one final exchange,
//! a right of each unit. Sources and the exact sentences: docs/policy-sources.md.

use chrono::NaiveDate;

use crate::reservation::ReservedResourceType;

/// A product family that falls under the exchange restriction, and from when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestrictedService {
    /// The `reservedResourceType`, e.g. `VirtualMachines`.
    pub reserved_resource_type: &'static str,
    /// Reservations bought on or after this day cannot be exchanged; those bought before keep
    /// one final exchange from this day on. (A service that savings plans cover later gets its
    /// own, later date.)
    pub from: NaiveDate,
    /// Where Microsoft says so.
    pub source: &'static str,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the exchange eligibility list"),
    }
}

/// The day the restriction starts (Microsoft Learn, "Self-service exchanges and refunds for Azure
/// Reservations", ms.date 2026-07-22): "Starting February 1, 2027, reservations purchased after
/// this date aren't eligible for exchange if the corresponding service is supported by savings
/// plans. This restriction includes Azure Virtual Machines, …"
pub const EXCHANGE_POLICY_DATE: NaiveDate = date(2027, 2, 1);

const EXCHANGE_PAGE_2026: &str =
    "Microsoft Learn, Self-service exchanges and refunds for Azure Reservations (2026-07-22)";
/// The services the end of the compute exchange grace period concerns (Microsoft Learn, "Changes
/// to the Azure reservation exchange policy", ms.date 2026-01-15: "Exchanges are changing only
/// for Azure Virtual Machine, Azure Dedicated Host and Azure App Service reservations."), covered
/// by the savings plan for compute ("Self-service trade-in for Azure savings plans": "discounted
/// rates for VMs, dedicated hosts, container instances, Azure premium functions and Azure app
/// services"); the 2026-07-22 exchange page ends that period on 1 February 2027.
const POLICY_CHANGES_2026_AND_COVERAGE: &str =
    "Microsoft Learn, Changes to the Azure reservation exchange policy (2026-01-15) and Self-service exchanges and refunds for Azure Reservations (2026-07-22)";

/// The database services under the same rule (Microsoft Learn, "Changes to the Azure reservation
/// exchange policy", ms.date 08/27/2026: "This restriction applies to Azure Virtual Machines,
/// Azure App Service, Azure SQL Database, and similar services." and "Any compute or database
/// products that become eligible for savings plans after February 1, 2027, are also subject to
/// the preceding change."), the ones the savings plan for databases covers (SQL Database and SQL
/// Managed Instance are both `SqlDatabases` reservations; Azure Database for PostgreSQL and for
/// MySQL; Azure Cosmos DB).
const POLICY_CHANGES_2026_08_AND_DATABASE_PLAN: &str =
    "Microsoft Learn, Changes to the Azure reservation exchange policy (2026-08-27) and the savings plan for databases' coverage (generally available 2026-03-18)";

/// Every service under the restriction, one line each: a service Microsoft adds later is one more
/// line with its own date. Services savings plans do not cover (e.g. Azure VMware Solution,
/// `AVS`; Redis, storage, Databricks) are not listed and keep unlimited exchanges.
pub const RESTRICTED_SERVICES: &[RestrictedService] = &[
    RestrictedService { reserved_resource_type: "VirtualMachines", from: EXCHANGE_POLICY_DATE, source: EXCHANGE_PAGE_2026 },
    RestrictedService { reserved_resource_type: "AppService", from: EXCHANGE_POLICY_DATE, source: POLICY_CHANGES_2026_AND_COVERAGE },
    RestrictedService { reserved_resource_type: "DedicatedHost", from: EXCHANGE_POLICY_DATE, source: POLICY_CHANGES_2026_AND_COVERAGE },
    RestrictedService { reserved_resource_type: "SqlDatabases", from: EXCHANGE_POLICY_DATE, source: POLICY_CHANGES_2026_08_AND_DATABASE_PLAN },
    RestrictedService { reserved_resource_type: "PostgreSql", from: EXCHANGE_POLICY_DATE, source: POLICY_CHANGES_2026_08_AND_DATABASE_PLAN },
    RestrictedService { reserved_resource_type: "MySql", from: EXCHANGE_POLICY_DATE, source: POLICY_CHANGES_2026_08_AND_DATABASE_PLAN },
    RestrictedService { reserved_resource_type: "CosmosDb", from: EXCHANGE_POLICY_DATE, source: POLICY_CHANGES_2026_08_AND_DATABASE_PLAN },
];

/// The restriction a product family falls under, if any.
pub fn restriction(family: &ReservedResourceType) -> Option<&'static RestrictedService> {
    RESTRICTED_SERVICES.iter().find(|s| s.reserved_resource_type == family.as_str())
}

/// What the exchange rules need to know about a reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExchangeRightInput<'a> {
    /// The product family.
    pub reserved_resource_type: &'a ReservedResourceType,
    /// The day the reservation was bought (for a renewal: the day the renewed term started).
    pub purchase_date: NaiveDate,
    /// Units the reservation holds.
    pub quantity: u32,
    /// Of those units, how many already used the final exchange (0 when exchanged units left the
    /// reservation, as they do on Azure: the units that stay keep their right).
    pub final_exchange_units_used: u32,
    /// Whether the reservation is a renewal (a renewal is a new purchase on its start date).
    pub renewal: bool,
}

/// Whether, and how many units of, a reservation may be exchanged on a day, and by which rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExchangeRight {
    /// The service is not under the restriction (e.g. AVS): every unit, any number of times.
    NotRestricted,
    /// Before the service's restriction date: every unit, any number of times.
    BeforeRestriction {
        /// The day the restriction starts for this service.
        from: NaiveDate,
    },
    /// Bought before the restriction date: each unit may be exchanged once more.
    FinalExchange {
        /// The day the restriction started for this service.
        from: NaiveDate,
        /// Units that still have their final exchange.
        units_with_right: u32,
    },
    /// Bought (or renewed) on or after the restriction date: no unit may be exchanged.
    NotExchangeable {
        /// The day the restriction started for this service.
        from: NaiveDate,
        /// Whether the reservation is a renewal.
        renewal: bool,
    },
}

impl ExchangeRight {
    /// How many units may be exchanged now.
    pub fn exchangeable_units(&self, quantity: u32) -> u32 {
        match *self {
            ExchangeRight::NotRestricted | ExchangeRight::BeforeRestriction { .. } => quantity,
            ExchangeRight::FinalExchange { units_with_right, .. } => units_with_right,
            ExchangeRight::NotExchangeable { .. } => 0,
        }
    }

    /// Whether the restriction applies: a final exchange per unit, or none. (Units bought by an
    /// exchange are a new purchase on the exchange day: [`exchange_right`] answers for them with
    /// that purchase date.)
    pub fn is_restricted(&self) -> bool {
        matches!(self, ExchangeRight::FinalExchange { .. } | ExchangeRight::NotExchangeable { .. })
    }
}

/// The exchange right of a reservation on `as_of`.
pub fn exchange_right(input: &ExchangeRightInput<'_>, as_of: NaiveDate) -> ExchangeRight {
    let Some(service) = restriction(input.reserved_resource_type) else {
        return ExchangeRight::NotRestricted;
    };
    if input.purchase_date >= service.from {
        ExchangeRight::NotExchangeable { from: service.from, renewal: input.renewal }
    } else if as_of < service.from {
        ExchangeRight::BeforeRestriction { from: service.from }
    } else {
        ExchangeRight::FinalExchange {
            from: service.from,
            units_with_right: input.quantity.saturating_sub(input.final_exchange_units_used),
        }
    }
}
