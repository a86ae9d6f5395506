//! Azure's answers as the desk's port reads them: an error of `azure-client` as the desk's
//! `UpstreamError`, and a price of ARM's as `Money`. Shared by the port (`upstream.rs`), what it
//! keeps (`catalog.rs`) and the changes made through ARM (`changes.rs`).

use std::str::FromStr;

use azure_api::number::Price;
use azure_client::AzureError;
use desk::upstream::UpstreamError;
use quote_engine::{Currency, Money};

/// `e` as the desk reads an error of Azure's (ARM's; Partner Center's are marked by the port).
pub(super) fn error(e: AzureError) -> UpstreamError {
    UpstreamError { status: e.status, code: e.code, message: e.message, request: e.request, partner_center: false }
}

/// ARM's `price` (`what` names it in an error) as money, in a currency the desk knows.
pub(super) fn money(price: &Price, what: &str) -> Result<Money, UpstreamError> {
    let currency = Currency::from_str(&price.currency_code).map_err(|_| UpstreamError {
        request: Default::default(),
        status: None,
        code: "UnreadableAnswer".into(),
        message: format!("ARM's {what} is in a currency the desk does not know ({})", price.currency_code),
        partner_center: false,
    })?;
    Ok(Money::new(price.amount.0, currency))
}
