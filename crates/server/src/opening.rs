//! How the server, and every command that opens the store (`alerts send`), opens it in its mode,
//! so that nothing of the demo reaches Azure mode and nothing of Azure is mixed into the demo.
//!
//! - Local mode seeds the demo (as [`crate::db::Seed`] says) and refuses a database Azure mode
//!   has used: the demo's customers would be added next to Azure's (a cron `alerts send` run
//!   without `DESK_SOURCE=azure` on an Azure-mode desk's database did exactly that).
//! - Azure mode seeds nothing and refuses a database that holds the demo's customers: they would
//!   be listed next to the real ones. Rows Azure mode wrote before a reservation carried Azure's
//!   today's price and averages (a reservation bought through Azure, a migrated row) are marked
//!   "not read yet": unknown, never the demo catalog's price nor a made-up usage.
//!
//! The decision is [`refusal`]'s; each store's `open.rs` asks its database the two facts.

use contract::source::TodayPrice;

/// How a store is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    /// Local mode: the demo seeded as given (nothing when `None`); refused on a database Azure
    /// mode has used.
    Local(Option<crate::db::Seed>),
    /// Azure mode: nothing seeded; refused on a database holding the demo.
    Azure,
}

impl Opening {
    /// The demo to seed, if any.
    pub fn seed(self) -> Option<crate::db::Seed> {
        match self {
            Self::Local(seed) => seed,
            Self::Azure => None,
        }
    }
}

/// The number of the demo's customers in the database (their IDs are fixed:
/// `contract::seed::CUSTOMERS`). The IDs are the program's own constants, never input.
pub fn demo_customers_sql() -> String {
    let ids: Vec<String> = contract::seed::CUSTOMERS.iter().map(|(id, ..)| format!("'{id}'")).collect();
    format!("SELECT COUNT(*) FROM customers WHERE id IN ({})", ids.join(", "))
}

/// How many signs of Azure mode the database holds: customers read from Azure, and Azure mode's
/// starts in the audit log.
pub const AZURE_USED_SQL: &str = "SELECT (SELECT COUNT(*) FROM azure_source) + (SELECT COUNT(*) FROM audit WHERE body LIKE '%\"action\":\"azureModeStarted\"%')";

/// Marks Azure mode's reservations without today's price as not read yet (`$1`: the JSON of
/// [`not_read_yet`]).
pub const UNPRICED_SQL: &str = "UPDATE reservations SET today_price = $1 WHERE today_price IS NULL";

/// Marks Azure mode's reservations without Azure's averages as not reported (no day is drawn).
pub const UNREPORTED_SQL: &str = "UPDATE reservations SET azure_utilization = '{}' WHERE azure_utilization IS NULL";

/// Today's price of an Azure-mode reservation the read has not priced yet.
pub fn not_read_yet() -> TodayPrice {
    TodayPrice::Unknown {
        code: "NotReadYet".into(),
        message: "Azure has not been asked today's price of this reservation yet: it is asked at the next read of the customer.".into(),
    }
}

/// Why `opening` is refused on a database holding `demo` demo customers and `azure` signs of
/// Azure mode, as a message saying what to do; `None` when it may open.
pub fn refusal(opening: Opening, demo: i64, azure: i64) -> Option<String> {
    match opening {
        Opening::Azure if demo > 0 => Some(format!(
            "this database holds the demo's data ({demo} demo customers: Contoso, Fabrikam, …), and Azure mode shows only what \
             Azure holds. Give Azure mode a database of its own with --database (DATABASE_URL), e.g. \
             sqlite://data/reservation-desk-azure.sqlite, or, if nothing in this one is worth keeping, delete the file (SQLite) \
             or drop and create the database (PostgreSQL) and start again"
        )),
        Opening::Local(_) if azure > 0 => Some(
            "this database is an Azure-mode desk's (it holds customers read from Azure, or Azure mode's starts), and local mode \
             would seed the demo's customers into it. Run with --source azure (DESK_SOURCE=azure), as its server runs: for a \
             command too, e.g. DESK_SOURCE=azure reservation-desk-server --database URL alerts send; or give the demo another \
             --database"
                .to_owned(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mode_refuses_the_others_database_and_says_what_to_do() {
        let seed = Some(crate::db::Seed::demo(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()));
        assert_eq!(refusal(Opening::Azure, 0, 3), None, "Azure mode's own database");
        assert_eq!(refusal(Opening::Local(seed), 8, 0), None, "the demo's own database");
        assert_eq!(refusal(Opening::Azure, 0, 0), None, "a new database");
        let azure = refusal(Opening::Azure, 8, 0).expect("the demo refused in Azure mode");
        assert!(azure.contains("--database") && azure.contains("delete the file"), "{azure}");
        let local = refusal(Opening::Local(None), 0, 1).expect("Azure's database refused in local mode");
        assert!(local.contains("DESK_SOURCE=azure"), "{local}");
        assert!(demo_customers_sql().contains(contract::seed::CONTOSO));
    }
}
