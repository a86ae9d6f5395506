//! The engine's machine-readable codes in the user's language.

use leptos_i18n::I18nContext;
use quote_engine::{reason, LineDetail, PolicyError, PolicyErrorCode, PolicyErrorDetail, PolicyName, QuoteLine};

use crate::components::labels::{family_text, savings_plan_text, term_text};
use crate::format::{format_count, format_date, format_money, format_percent};
use crate::i18n::*;

/// The rule behind a quote line, from its reason code; unknown codes show as they are.
pub fn reason_text(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        reason::FULL_REFUND_WITHIN_GRACE => t_string!(i18n, reason_full_refund_within_grace),
        reason::PAID_TO_DATE => t_string!(i18n, reason_paid_to_date),
        reason::PRO_RATED => t_string!(i18n, reason_pro_rated),
        reason::REFUND_CAP_TRUNCATED => t_string!(i18n, reason_refund_cap_truncated),
        reason::REFUND_AT_CURRENT_PRICE => t_string!(i18n, reason_refund_at_current_price),
        reason::REFUSED_BY_POLICY => t_string!(i18n, reason_refused_by_policy),
        reason::EXCHANGE_RETURN_PRO_RATED => t_string!(i18n, reason_exchange_return_pro_rated),
        reason::PURCHASE_UPFRONT => t_string!(i18n, reason_purchase_upfront),
        reason::PURCHASE_FIRST_INSTALLMENT => t_string!(i18n, reason_purchase_first_installment),
        reason::SAVINGS_PLAN_UPFRONT => t_string!(i18n, reason_savings_plan_upfront),
        reason::SAVINGS_PLAN_FIRST_INSTALLMENT => t_string!(i18n, reason_savings_plan_first_installment),
        fee if fee.starts_with(reason::EARLY_TERMINATION_FEE_PREFIX) => {
            t_string!(i18n, reason_early_termination_fee)
        }
        other => return other.to_string(),
    };
    text.to_string()
}

/// The figures behind a quote line, in the user's language (the engine's `label` says the
/// same in English).
pub fn line_detail_text(i18n: I18nContext<Locale>, line: &QuoteLine) -> String {
    let locale = i18n.get_locale();
    let money = |m| format_money(m, locale);
    match &line.detail {
        LineDetail::Unknown => line.label().to_string(),
        LineDetail::PaidUpfront => t_string!(i18n, detail_paid_upfront).to_string(),
        LineDetail::PaidInstallments { paid, of } => t_string!(i18n, detail_paid_installments, paid = *paid, of = *of).to_string(),
        LineDetail::FullRefund { grace_days } => t_string!(i18n, detail_full_refund, days = *grace_days).to_string(),
        LineDetail::Used { days, term_days } => t_string!(i18n, detail_used, days = *days, term_days = *term_days).to_string(),
        LineDetail::Fee { rate_percent, base } => {
            t_string!(i18n, detail_fee, rate = format_percent(*rate_percent, locale), base = money(base)).to_string()
        }
        LineDetail::AboveCap { headroom } => t_string!(i18n, detail_above_cap, headroom = money(headroom)).to_string(),
        LineDetail::CurrentPrice { purchase_unit_price, current_unit_price } => {
            t_string!(i18n, detail_current_price, current = money(current_unit_price), purchase = money(purchase_unit_price))
                .to_string()
        }
        LineDetail::Refused => t_string!(i18n, detail_refused).to_string(),
        LineDetail::ExchangeReturn { quantity, reserved_resource_type, term, paid, used, days, term_days } => t_string!(
            i18n,
            detail_exchange_return,
            quantity = *quantity,
            what = family_text(i18n, reserved_resource_type.as_str()),
            term = term_text(i18n, *term),
            paid = money(paid),
            used = money(used),
            days = *days,
            term_days = *term_days
        )
        .to_string(),
        LineDetail::Purchase { quantity, reserved_resource_type, term, commitment, installments } => {
            let (quantity, what, term, commitment) =
                (*quantity, family_text(i18n, reserved_resource_type.as_str()), term_text(i18n, *term), money(commitment));
            match installments {
                None => t_string!(i18n, detail_purchase_upfront, quantity, what, term, commitment).to_string(),
                Some(months) => {
                    t_string!(i18n, detail_purchase_monthly, quantity, what, term, commitment, months = *months).to_string()
                }
            }
        }
        LineDetail::SavingsPlanPurchase { sku_name: sku, term, hourly_commitment, hours, commitment, installments } => {
            let (sku, term, hourly, commitment) = (savings_plan_text(i18n, sku), term_text(i18n, *term), money(hourly_commitment), money(commitment));
            let hours = format_count((*hours).into(), locale);
            match installments {
                None => t_string!(i18n, detail_savings_plan_upfront, sku, term, hourly, hours, commitment).to_string(),
                Some(months) => {
                    t_string!(i18n, detail_savings_plan_monthly, sku, term, hourly, hours, commitment, months = *months).to_string()
                }
            }
        }
    }
}

/// A policy refusal in plain words; the dated rules' refusals with their figures
/// (SKU, series, term, date, units). One of those without its figures (not written by this
/// engine) shows the engine's English message.
pub fn policy_error_text(i18n: I18nContext<Locale>, error: &PolicyError) -> String {
    let locale = i18n.get_locale();
    let text = match error.code {
        PolicyErrorCode::ReservationNotStarted => t_string!(i18n, policy_error_ReservationNotStarted),
        PolicyErrorCode::ReservationExpired => t_string!(i18n, policy_error_ReservationExpired),
        PolicyErrorCode::InvalidRefundQuantity => t_string!(i18n, policy_error_InvalidRefundQuantity),
        PolicyErrorCode::RefundLimitExceeded => t_string!(i18n, policy_error_RefundLimitExceeded),
        PolicyErrorCode::ExchangeCommitmentTooLow => t_string!(i18n, policy_error_ExchangeCommitmentTooLow),
        PolicyErrorCode::ExchangeProductFamilyMismatch => {
            t_string!(i18n, policy_error_ExchangeProductFamilyMismatch)
        }
        PolicyErrorCode::CurrencyMismatch => t_string!(i18n, policy_error_CurrencyMismatch),
        PolicyErrorCode::ReservationNotExchangeable
        | PolicyErrorCode::FinalExchangeUsed
        | PolicyErrorCode::RetiredVmSeries
        | PolicyErrorCode::TradeInTooManyReservations
        | PolicyErrorCode::TradeInNotEligible
        | PolicyErrorCode::SavingsPlanCommitmentTooLow => {
            return match &error.detail {
                Some(PolicyErrorDetail::NotExchangeable { reserved_resource_type: what, from, renewal }) => {
                    let (what, date) = (family_text(i18n, what.as_str()), format_date(*from, locale));
                    if *renewal {
                        t_string!(i18n, policy_error_not_exchangeable_renewal, what, date).to_string()
                    } else {
                        t_string!(i18n, policy_error_not_exchangeable, what, date).to_string()
                    }
                }
                Some(PolicyErrorDetail::FinalExchangeUsed { reserved_resource_type: what, from, units_with_right, units }) => {
                    let (what, date) = (family_text(i18n, what.as_str()), format_date(*from, locale));
                    t_string!(i18n, policy_error_final_exchange_used, what, date, left = *units_with_right, units = *units)
                        .to_string()
                }
                Some(PolicyErrorDetail::RetiredVmSeries { sku_name: sku, series, term, from, renewal }) => {
                    let (date, term) = (format_date(*from, locale), term_text(i18n, *term));
                    if *renewal {
                        t_string!(i18n, policy_error_retired_vm_series_renewal, sku, series, term, date).to_string()
                    } else {
                        t_string!(i18n, policy_error_retired_vm_series, sku, series, term, date).to_string()
                    }
                }
                Some(PolicyErrorDetail::TradeInTooManyReservations { reservations, max }) => {
                    t_string!(i18n, policy_error_trade_in_too_many, reservations = *reservations, max = *max).to_string()
                }
                Some(PolicyErrorDetail::TradeInNotEligible { reserved_resource_type: what, savings_plan_sku: plan, term }) => {
                    let (what, plan, term) = (family_text(i18n, what.as_str()), savings_plan_text(i18n, plan), term_text(i18n, *term));
                    t_string!(i18n, policy_error_trade_in_not_eligible, what, plan, term).to_string()
                }
                Some(PolicyErrorDetail::SavingsPlanCommitmentTooLow { lifetime_commitment, remaining_commitment }) => {
                    let (lifetime, remaining) = (format_money(lifetime_commitment, locale), format_money(remaining_commitment, locale));
                    t_string!(i18n, policy_error_savings_plan_commitment_too_low, lifetime, remaining).to_string()
                }
                None => error.message.clone(),
            };
        }
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
