//! The engine's machine-readable codes in the user's language.

use leptos_i18n::I18nContext;
use quote_engine::{reason, PolicyErrorCode, PolicyName};

use crate::i18n::*;

/// The rule behind a quote line, from its reason code; unknown codes show as they are.
pub fn reason_text(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        reason::FULL_REFUND_WITHIN_GRACE => t_string!(i18n, reason_full_refund_within_grace),
        reason::PAID_TO_DATE => t_string!(i18n, reason_paid_to_date),
        reason::PRO_RATED => t_string!(i18n, reason_pro_rated),
        reason::REFUND_CAP_TRUNCATED => t_string!(i18n, reason_refund_cap_truncated),
        reason::REFUSED_BY_POLICY => t_string!(i18n, reason_refused_by_policy),
        reason::EXCHANGE_RETURN_PRO_RATED => t_string!(i18n, reason_exchange_return_pro_rated),
        reason::PURCHASE_UPFRONT => t_string!(i18n, reason_purchase_upfront),
        reason::PURCHASE_FIRST_INSTALLMENT => t_string!(i18n, reason_purchase_first_installment),
        fee if fee.starts_with(reason::EARLY_TERMINATION_FEE_PREFIX) => {
            t_string!(i18n, reason_early_termination_fee)
        }
        other => return other.to_string(),
    };
    text.to_string()
}

/// A policy refusal in plain words.
pub fn policy_error_text(i18n: I18nContext<Locale>, code: PolicyErrorCode) -> String {
    let text = match code {
        PolicyErrorCode::ReservationNotStarted => t_string!(i18n, policy_error_ReservationNotStarted),
        PolicyErrorCode::ReservationExpired => t_string!(i18n, policy_error_ReservationExpired),
        PolicyErrorCode::InvalidRefundQuantity => t_string!(i18n, policy_error_InvalidRefundQuantity),
        PolicyErrorCode::RefundLimitExceeded => t_string!(i18n, policy_error_RefundLimitExceeded),
        PolicyErrorCode::ExchangeCommitmentTooLow => t_string!(i18n, policy_error_ExchangeCommitmentTooLow),
        PolicyErrorCode::ExchangeProductFamilyMismatch => {
            t_string!(i18n, policy_error_ExchangeProductFamilyMismatch)
        }
        PolicyErrorCode::CurrencyMismatch => t_string!(i18n, policy_error_CurrencyMismatch),
    };
    text.to_string()
}

/// A policy preset's name with what it means.
pub fn policy_name_text(i18n: I18nContext<Locale>, name: PolicyName) -> String {
    let text = match name {
        PolicyName::PartnerCenter2020 => t_string!(i18n, policy_partner_center_2020),
        PolicyName::AzureCurrent => t_string!(i18n, policy_azure_current),
    };
    text.to_string()
}
