//! A customer's statement matched to Microsoft's invoice: the invoice reconciliation lines
//! Microsoft billed the partner (read from the file Partner Center gives, uploaded, or exported
//! through Microsoft Graph in Azure mode), each statement line marked matched, differing or
//! missing, and Microsoft's reservation lines no move of the desk explains. Nothing is changed by
//! a mismatch: it is shown, with what to check.

use chrono::NaiveDate;
use quote_engine::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::statement::Statement;

/// One line of Microsoft's invoice reconciliation file, as the desk read it: the columns it
/// matches on and shows. Microsoft's column names are in the comments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    /// Where it is in the file: 1 for the first line after the header (CSV) or the first JSON
    /// record.
    pub number: u32,
    /// `InvoiceNumber`, when the file has it (an unbilled file has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    /// `CustomerId`: the customer's tenant.
    pub customer_id: String,
    /// `CustomerName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// `ChargeType`, as written (e.g. `new`, `cancelImmediate`).
    pub charge_type: String,
    /// `ReservationOrderId`, when the line is a reservation's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_order_id: Option<String>,
    /// `ProductName` (or `SkuName`), for the reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// `BillableQuantity` (else `Quantity`); negative on a credit line.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub quantity: Decimal,
    /// What Microsoft charged (positive) or credited (negative) for the line, before tax, in the
    /// billing currency: `Subtotal`, else `ROUNDDOWN(EffectiveUnitPrice × PCToBCExchangeRate, 2)
    /// × BillableQuantity` as Microsoft documents it.
    pub amount: Money,
    /// `ChargeStartDate`, else `OrderDate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// How a statement line stands against Microsoft's invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum MatchState {
    /// Microsoft's lines for the move add up to its figure within one minor unit of the currency
    /// per line (Microsoft rounds each line), and their quantity is its units.
    Matched,
    /// Microsoft has lines for the move, but their amount or quantity is not the move's.
    Differing,
    /// Microsoft's file has no line for the move.
    Missing,
}

/// One statement line against Microsoft's invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LineMatch {
    /// The statement line's index in `statement.lines`.
    pub line: u32,
    /// Matched, differing or missing.
    pub state: MatchState,
    /// The invoice lines (their `number`) taken for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invoice_lines: Vec<u32>,
    /// Their amounts' sum, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoiced: Option<Money>,
    /// `invoiced − the move's Microsoft figure`, when differing by amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<Money>,
    /// Their quantities' sum, when it is not the move's units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub invoiced_quantity: Option<Decimal>,
    /// What to check, in English: why it is differing or missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// Where Microsoft's lines came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum InvoiceSource {
    /// A file the user uploaded.
    #[serde(rename_all = "camelCase")]
    Upload {
        /// Its name, as given.
        file_name: String,
    },
    /// Exported through Microsoft Graph on behalf of the signed-in user.
    #[serde(rename_all = "camelCase")]
    Graph {
        /// The billed invoice's ID, or absent for the current period's unbilled lines.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invoice_id: Option<String>,
        /// Graph's export operation ID, for Microsoft support.
        operation_id: String,
        /// How many files the export's manifest listed.
        files: u32,
    },
}

/// What the user sends to match a statement: a file, or (Azure mode) an invoice to export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReconciliationRequest {
    /// A reconciliation file Partner Center gave (CSV, or JSON lines as Graph's export writes
    /// them, gzip-compressed or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<InvoiceFile>,
    /// In Azure mode: the billed invoice whose lines Microsoft Graph exports (e.g. `G000024135`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
}

/// An uploaded reconciliation file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceFile {
    /// Its name (shown back; the format is read from the content).
    pub name: String,
    /// Its bytes, base64 (standard alphabet, padded).
    pub base64: String,
}

/// A statement matched to Microsoft's invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reconciliation {
    /// The statement matched.
    pub statement: Statement,
    /// Where Microsoft's lines came from.
    pub source: InvoiceSource,
    /// One per statement line, in its order.
    pub matches: Vec<LineMatch>,
    /// The customer's reservation lines in Microsoft's file that no move of the month explains.
    pub unexplained: Vec<InvoiceLine>,
    /// The customer's monthly instalments (`ChargeType` a cycle charge) of reservations the
    /// statement holds no instalment of (bought before or outside the desk): billed every month,
    /// so explained as instalments rather than listed as unexplained.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instalments: Vec<InvoiceLine>,
    /// Lines the file holds in all.
    pub lines_read: u32,
    /// Of those, the customer's.
    pub customer_lines: u32,
    /// Lines that could not be read, with why (at most 20 listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}
