//! The deterministic demo data set: the same IDs and names on every start.

use crate::Customer;

/// The demo customer Contoso's ID: close to its refund limit (USD 46,500 of 50,000 used).
pub const CONTOSO: &str = "0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01";
/// The demo customer Fabrikam's ID: a customer with headroom.
pub const FABRIKAM: &str = "1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02";

/// Demo customers: `(id, name, domain)`.
pub const CUSTOMERS: &[(&str, &str, &str)] = &[
    (CONTOSO, "Contoso Ltd", "contoso.onmicrosoft.com"),
    (FABRIKAM, "Fabrikam Inc", "fabrikam.onmicrosoft.com"),
    ("2d8a9f4c-6b3e-4fa0-9c73-3e4f5a6b7c03", "Northwind Traders", "northwindtraders.onmicrosoft.com"),
    ("3e9ba05d-7c4f-40b1-8d84-4f5a6b7c8d04", "Tailspin Toys", "tailspintoys.onmicrosoft.com"),
    ("4fa0b16e-8d50-41c2-9e95-5a6b7c8d9e05", "Woodgrove Bank", "woodgrovebank.onmicrosoft.com"),
    ("50b1c27f-9e61-42d3-8fa6-6b7c8d9eaf06", "Adventure Works Cycles", "adventureworks.onmicrosoft.com"),
    ("61c2d380-af72-43e4-90b7-7c8d9eafb007", "Litware Inc", "litware.onmicrosoft.com"),
    ("72d3e491-b083-44f5-a1c8-8d9eafb0c108", "Wide World Importers", "wideworldimporters.onmicrosoft.com"),
];

/// The seeded customers, before any reservation is attached (counts are filled by the store).
pub fn customers() -> Vec<Customer> {
    CUSTOMERS
        .iter()
        .map(|(id, name, domain)| Customer {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            domain: (*domain).to_owned(),
            reservation_count: 0,
        })
        .collect()
}
