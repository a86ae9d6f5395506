//! Exchange eligibility in the user's language: why a reservation cannot be
//! exchanged, and that one bought before the date has a final exchange per unit. The rule is the
//! engine's (`quote_engine::rules`), read on the desk's data through
//! `desk_service::exchange_rights`; these only write it.

use chrono::NaiveDate;
use contract::Reservation;
use leptos_i18n::I18nContext;
use quote_engine::ExchangeRight;

use crate::components::quote_text::policy_error_text;
use crate::format::format_date;
use crate::i18n::*;

/// Why `r` cannot be exchanged on `today` ("VirtualMachines reservations bought on or after
/// Feb 1, 2027 can no longer be exchanged, …"), or `None` when it may be.
pub fn exchange_refused_text(i18n: I18nContext<Locale>, r: &Reservation, today: NaiveDate) -> Option<String> {
    desk_service::exchange_rights::exchange_refusal(r, today).map(|refusal| policy_error_text(i18n, &refusal))
}

/// "Bought before Feb 1, 2027: each unit … may be exchanged one final time …" when `r` is
/// exchanged under its final-exchange right on `today`, else `None`.
pub fn final_exchange_text(i18n: I18nContext<Locale>, r: &Reservation, today: NaiveDate) -> Option<String> {
    match desk_service::exchange_rights::exchange_right(r, today)? {
        ExchangeRight::FinalExchange { from, .. } => {
            Some(t_string!(i18n, exchange_final_right, date = format_date(from, i18n.get_locale())).to_string())
        }
        _ => None,
    }
}
