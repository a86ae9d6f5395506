use contract::Reservation;
use desk_service::access::Permission;
use leptos::prelude::*;

use crate::api;
use crate::components::problem_text::error_text;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::user::CurrentUser;

/// Archive (or bring back) a finished reservation: lists hide archived ones unless asked.
/// Shown only for a finished reservation (cancelled, expired, failed, split or merged).
#[component]
pub fn ArchiveButton(reservation: Reservation) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let reload = expect_context::<CurrentReservation>().reload;
    let archived = reservation.archived;
    let (order_id, id) = (reservation.reservation_order_id.clone(), reservation.id.clone());
    let toggle = Action::new_local(move |_: &()| {
        let (order_id, id) = (order_id.clone(), id.clone());
        async move {
            let result = api::set_archived(&order_id, &id, !archived).await;
            if result.is_ok() {
                reload.run(());
            }
            result
        }
    });
    view! {
        <button type="button" class="secondary"
            disabled=move || !user.may(Permission::ChangeReservation)
            aria-disabled=move || toggle.pending().get().to_string()
            title=move || user.refusal(i18n, Permission::ChangeReservation)
            on:click=move |_| {
                if !toggle.pending().get_untracked() {
                    toggle.dispatch(());
                }
            }>
            {move || match (toggle.pending().get(), archived) {
                (true, _) => t_string!(i18n, working),
                (false, true) => t_string!(i18n, unarchive),
                (false, false) => t_string!(i18n, archive),
            }}
        </button>
        {move || match toggle.value().get() {
            Some(Err(e)) => Some(view! { <p class="field-error" role="alert">{error_text(i18n, &e)}</p> }),
            _ => None,
        }}
    }
}
