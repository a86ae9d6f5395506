//! Refunds at the lower price: "Refunds are calculated based on the lowest price of either your
//! purchase price or the current price of the reservation." (Microsoft Learn, "Self-service
//! exchanges and refunds for Azure Reservations", refund policies; docs/policy-sources.md.)

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Which price a refund is computed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RefundPriceBasis {
    /// The purchase price: lower than the current price, or equal to it; or the current price is
    /// lower but the refund at it would be more than at the purchase price (never the case for an
    /// upfront reservation), and the refund is capped at the purchase price's.
    PurchasePrice,
    /// The current catalog price, lower than the purchase price.
    CurrentPrice,
}

/// The unit price a refund is computed at, which price it is, and the two it was chosen from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundUnitPrice {
    /// The lower of the two: what the refund is computed at.
    pub unit_price: Money,
    /// Which of the two it is.
    pub basis: RefundPriceBasis,
    /// The reservation's purchase price (whole-term, one unit).
    pub purchase_unit_price: Money,
    /// The current catalog price of the same SKU, region, term and billing plan.
    pub current_unit_price: Money,
}

impl RefundUnitPrice {
    /// The same two prices when the refund at the lower current price would exceed the refund at
    /// the purchase price: the refund is the purchase price's, and so are `unitPrice` and `basis`.
    pub fn capped_at_purchase_price(self) -> Self {
        RefundUnitPrice { unit_price: self.purchase_unit_price, basis: RefundPriceBasis::PurchasePrice, ..self }
    }

    /// Why the refund uses this price, in English.
    pub fn reason(&self) -> String {
        match self.basis {
            RefundPriceBasis::CurrentPrice => format!(
                "Refunded at the current price {} per unit, lower than the purchase price {}: refunds use the lower of the two.",
                self.current_unit_price, self.purchase_unit_price
            ),
            RefundPriceBasis::PurchasePrice if self.current_unit_price.amount < self.purchase_unit_price.amount => format!(
                "Refunded at the purchase price {} per unit: at the lower current price {} the refund would be more, and a refund at the lower price is never more than at the purchase price.",
                self.purchase_unit_price, self.current_unit_price
            ),
            RefundPriceBasis::PurchasePrice => format!(
                "Refunded at the purchase price {} per unit, not above the current price {}: refunds use the lower of the two.",
                self.purchase_unit_price, self.current_unit_price
            ),
        }
    }
}

/// The unit price a refund is computed at: the lower of the purchase price and the current price
/// (the purchase price when they are equal). Both in the same currency (checked by the caller).
pub fn refund_unit_price(purchase: Money, current: Money) -> RefundUnitPrice {
    let basis = if current.amount < purchase.amount {
        RefundPriceBasis::CurrentPrice
    } else {
        RefundPriceBasis::PurchasePrice
    };
    RefundUnitPrice {
        unit_price: if basis == RefundPriceBasis::CurrentPrice { current } else { purchase },
        basis,
        purchase_unit_price: purchase,
        current_unit_price: current,
    }
}
