//! Refund policies as data, and the two presets.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::{QuoteError, QuoteErrorKind};
use crate::money::Money;

/// The name of a preset policy (kebab-case on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PolicyName {
    /// The table of the 2020 Partner Center article: 5-day grace, 12 % fee, truncating USD 50,000 cap.
    #[serde(rename = "partner-center-2020")]
    PartnerCenter2020,
    /// Microsoft's current policy: no fee, canceled commitment counted against a refusing USD 50,000 limit.
    #[serde(rename = "azure-current")]
    AzureCurrent,
}

impl PolicyName {
    /// The policy a deployment applies unless it is configured otherwise: `azure-current`, what
    /// Microsoft applies today (no early termination fee; the limit counts the canceled
    /// commitment).
    pub const DEFAULT: PolicyName = PolicyName::AzureCurrent;

    /// Every preset, in display order.
    pub const ALL: [PolicyName; 2] = [PolicyName::PartnerCenter2020, PolicyName::AzureCurrent];

    /// The wire name, e.g. `"azure-current"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            PolicyName::PartnerCenter2020 => "partner-center-2020",
            PolicyName::AzureCurrent => "azure-current",
        }
    }

    /// The preset of this wire name, also in a `const` (a build-time setting is checked by the
    /// compiler: see the SPA's `RESERVATION_DESK_REFUND_POLICY`).
    pub const fn from_wire_name(name: &str) -> Option<PolicyName> {
        let mut i = 0;
        while i < PolicyName::ALL.len() {
            let wire = PolicyName::ALL[i].as_str().as_bytes();
            let given = name.as_bytes();
            if wire.len() == given.len() {
                let mut j = 0;
                while j < wire.len() && wire[j] == given[j] {
                    j += 1;
                }
                if j == wire.len() {
                    return Some(PolicyName::ALL[i]);
                }
            }
            i += 1;
        }
        None
    }

    /// The preset policy of this name.
    pub fn policy(self) -> Policy {
        match self {
            PolicyName::PartnerCenter2020 => Policy::partner_center_2020(),
            PolicyName::AzureCurrent => Policy::azure_current(),
        }
    }
}

impl fmt::Display for PolicyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a policy name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown policy; expected \"partner-center-2020\" or \"azure-current\"")]
pub struct UnknownPolicy;

impl FromStr for PolicyName {
    type Err = UnknownPolicy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PolicyName::from_wire_name(s).ok_or(UnknownPolicy)
    }
}

/// What a refund adds to the rolling refund-limit window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LimitBasis {
    /// The amount refunded (Partner Center 2020).
    RefundedAmount,
    /// The canceled commitment RC = C − U, including canceled future payments (Azure today).
    CanceledCommitment,
}

/// What happens when a refund would exceed the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LimitMode {
    /// Refund only the headroom; the rest is forfeited, with warning `RefundCapped`.
    Truncate,
    /// Refuse the refund with policy error `RefundLimitExceeded`.
    Refuse,
}

/// A refund policy: every rate, window and mode the engine applies, as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// Which preset this is (or was derived from).
    pub name: PolicyName,
    /// Full refund (of everything paid) when returned within this many days with no usage; `None`: no grace period.
    pub grace_period_days: Option<u32>,
    /// Early termination fee as a fraction of the pro-rated base (0.12 = 12 %).
    pub early_termination_fee_rate: Decimal,
    /// Whether the fee is charged at all (the rate is kept when switched off).
    pub early_termination_fee_enabled: bool,
    /// Refund limit per customer per rolling window; its currency is the one prices are counted in.
    pub refund_limit: Money,
    /// Length of the rolling window in days: an entry made on day d counts on days a with a − window < d ≤ a.
    pub limit_window_days: u32,
    /// What counts toward the limit.
    pub limit_basis: LimitBasis,
    /// What happens past the limit.
    pub limit_mode: LimitMode,
}

impl Policy {
    /// The preset of this wire name, or `None` for an unknown name.
    pub fn by_name(name: &str) -> Option<Policy> {
        name.parse::<PolicyName>().ok().map(PolicyName::policy)
    }

    /// Preset `partner-center-2020`.
    pub fn partner_center_2020() -> Policy {
        Policy {
            name: PolicyName::PartnerCenter2020,
            grace_period_days: Some(5),
            early_termination_fee_rate: Decimal::new(12, 2),
            early_termination_fee_enabled: true,
            refund_limit: Money::new(Decimal::from(50_000), Currency::USD),
            limit_window_days: 365,
            limit_basis: LimitBasis::RefundedAmount,
            limit_mode: LimitMode::Truncate,
        }
    }

    /// Preset `azure-current`.
    pub fn azure_current() -> Policy {
        Policy {
            name: PolicyName::AzureCurrent,
            grace_period_days: None,
            early_termination_fee_rate: Decimal::new(12, 2),
            early_termination_fee_enabled: false,
            refund_limit: Money::new(Decimal::from(50_000), Currency::USD),
            limit_window_days: 365,
            limit_basis: LimitBasis::CanceledCommitment,
            limit_mode: LimitMode::Refuse,
        }
    }

    /// The fee rate in effect (zero when the fee is switched off).
    pub fn effective_fee_rate(&self) -> Decimal {
        if self.early_termination_fee_enabled {
            self.early_termination_fee_rate
        } else {
            Decimal::ZERO
        }
    }

    /// Rejects hand-built policies the engine cannot apply (rate outside 0..=1, negative limit).
    pub(crate) fn validate(&self) -> Result<(), QuoteError> {
        let bad = |why| {
            Err(QuoteError::new(
                "policy",
                QuoteErrorKind::InvalidPolicy(why),
            ))
        };
        if self.early_termination_fee_rate < Decimal::ZERO
            || self.early_termination_fee_rate > Decimal::ONE
        {
            return bad("earlyTerminationFeeRate must be between 0 and 1");
        }
        if self.refund_limit.is_negative() || self.refund_limit.amount > crate::MAX_AMOUNT {
            return bad("refundLimit must be between 0 and 10^15");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn presets_by_name() {
        let pc = Policy::by_name("partner-center-2020").unwrap();
        assert_eq!(pc.grace_period_days, Some(5));
        assert_eq!(pc.effective_fee_rate(), dec!(0.12));
        assert_eq!(pc.limit_mode, LimitMode::Truncate);
        assert_eq!(pc.limit_basis, LimitBasis::RefundedAmount);
        let az = Policy::by_name("azure-current").unwrap();
        assert_eq!(az.grace_period_days, None);
        assert_eq!(
            az.early_termination_fee_rate,
            dec!(0.12),
            "rate kept, switched off"
        );
        assert_eq!(az.effective_fee_rate(), Decimal::ZERO);
        assert_eq!(az.limit_mode, LimitMode::Refuse);
        assert_eq!(az.limit_basis, LimitBasis::CanceledCommitment);
        for p in [&pc, &az] {
            assert_eq!(p.refund_limit, Money::new(dec!(50000), Currency::USD));
            assert_eq!(p.limit_window_days, 365);
        }
        assert!(Policy::by_name("azure").is_none());
        assert!(Policy::by_name("Azure-Current").is_none());
    }

    #[test]
    fn names_serde_kebab() {
        for name in PolicyName::ALL {
            let json = serde_json::to_string(&name).unwrap();
            assert_eq!(json, format!("\"{}\"", name.as_str()));
            assert_eq!(serde_json::from_str::<PolicyName>(&json).unwrap(), name);
            assert_eq!(name.policy().name, name);
        }
        assert!(serde_json::from_str::<PolicyName>("\"partner-center2020\"").is_err());
        for wrong in ["", "azure", "azure-current ", "Azure-Current", "partner-center-20200"] {
            assert_eq!(PolicyName::from_wire_name(wrong), None, "{wrong:?}");
        }
        const BUILT: Option<PolicyName> = PolicyName::from_wire_name("partner-center-2020");
        assert_eq!(BUILT, Some(PolicyName::PartnerCenter2020));
        assert_eq!(PolicyName::DEFAULT, PolicyName::AzureCurrent, "the default is what Microsoft applies today");
    }

    #[test]
    fn hand_built_policies_are_checked() {
        let mut p = Policy::partner_center_2020();
        p.early_termination_fee_rate = dec!(1.5);
        assert_eq!(p.validate().unwrap_err().field, "policy");
        assert!(Policy::azure_current().validate().is_ok());
    }
}
