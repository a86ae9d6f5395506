//! Consent at scale on the readiness page: the Global admin consents the desk's API app,
//! through Partner Center, in every tenant that needs it, or in the ones chosen; then follows the
//! run: a progress bar, the count of each outcome, and each tenant Partner Center refused with its
//! words. A tenant needs consent when its read failed for want of it, or when Microsoft Graph is
//! not consented there (a consent made before Graph's grant: when Entra ID still refuses Graph's
//! token there, the run deletes the consent and makes it again, `renewed`). Which tenants need it
//! is the backend's decision (`needsConsent`, the tenants a run with `all` asks); the run is the
//! backend's (`StartConsents`), and this only asks for it and shows it.

use std::collections::BTreeSet;

use contract::source::{ConsentRequest, ConsentRun, ConsentState, CustomerReadiness, DirectoryState};
use desk_service::access::Permission;
use leptos::prelude::*;

use crate::api;
use crate::components::problem_text::error_text;
use crate::format::format_count;
use crate::i18n::*;
use crate::user::CurrentUser;

/// How often a run in progress is asked again.
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(1000);

/// The finished outcomes in the order the progress line counts them.
pub const OUTCOMES: [ConsentState; 5] =
    [ConsentState::Consented, ConsentState::AlreadyConsented, ConsentState::Renewed, ConsentState::Failed, ConsentState::Elsewhere];

/// How many of `run`'s tenants are in each of [`OUTCOMES`]: consented, consented already,
/// renewed (made again with Graph's grant), failed, consented by another run.
pub fn outcome_counts(run: &ConsentRun) -> [usize; 5] {
    OUTCOMES.map(|state| run.tenants.iter().filter(|t| t.state == state).count())
}

/// The tenants a consent run for all asks, as (customer ID, name, whether the consent is
/// renewed for Microsoft Graph): the backend's `needsConsent`, in the table's order.
pub fn needing_consent(rows: &[CustomerReadiness]) -> Vec<(String, String, bool)> {
    rows.iter()
        .filter(|r| r.needs_consent)
        .map(|r| {
            let renewal = r.directory.as_ref().is_some_and(|d| d.state == DirectoryState::NotConsented);
            (r.customer_id.clone(), r.name.clone(), renewal)
        })
        .collect()
}

/// The consent panel over the readiness `rows`; `run` is the page's (it outlives the table,
/// which is read again when the run is done: `on_done`).
#[component]
pub fn ConsentPanel(rows: Vec<CustomerReadiness>, run: RwSignal<Option<ConsentRun>>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let user = CurrentUser::expect();
    let needing = needing_consent(&rows);
    let count = needing.len();
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let error = RwSignal::new(None::<String>);
    let start = Action::new_local(move |request: &ConsentRequest| {
        let request = request.clone();
        async move {
            match api::start_consents(request).await {
                Ok(started) => {
                    error.set(None);
                    chosen.set(BTreeSet::new());
                    run.set(Some(started));
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        }
    });
    // A run in progress is asked again every second until it is done; then the table is read
    // again (the server read each tenant it consented before recording it). Only a run this
    // panel followed reads the table again: the panel the new table brings sees it done.
    let following = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(current) = run.get() else { return };
        if current.done {
            if following.get_value() {
                following.set_value(false);
                on_done.run(());
            }
            return;
        }
        following.set_value(true);
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    match api::consent_run(&current.id).await {
                        Ok(now) => run.set(Some(now)),
                        Err(e) => error.set(Some(error_text(i18n, &e))),
                    }
                })
            },
            FOLLOW_EVERY,
        );
    });
    let may = move || user.may(Permission::ConsentApp);
    let busy = move || start.pending().get() || run.with(|r| r.as_ref().is_some_and(|r| !r.done));
    let why_not = move || user.refusal(i18n, Permission::ConsentApp);
    let needing = StoredValue::new(needing);
    let choices = move || {
        needing.with_value(|needing| {
            needing
                .iter()
                .map(|(id, name, renewal)| {
                    // The renewal is said beside the name, as the checkbox's description: its name
                    // stays the customer's.
                    let hint = renewal.then(|| format!("consent-renewal-{id}"));
                    let id = id.clone();
                    let for_check = id.clone();
                    view! {
                        <li>
                            <label>
                                <input type="checkbox" aria-describedby=hint.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&for_check))
                                    on:change=move |e| {
                                        let on = event_target_checked(&e);
                                        chosen.update(|c| { if on { c.insert(id.clone()); } else { c.remove(&id); } });
                                    } />
                                " " {name.clone()}
                            </label>
                            {hint.map(|hint| view! { <span class="sub" id=hint>{t!(i18n, consent_choice_renewal)}</span> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };

    let progress = move || {
        run.get().map(|r| {
            let [consented, already, renewed, failed, elsewhere] = outcome_counts(&r);
            let failures: Vec<_> = r.tenants.iter().filter(|t| t.state == ConsentState::Failed).cloned().collect();
            let summary = t_string!(
                i18n,
                consent_progress,
                finished = format_count(i64::from(r.finished), locale()),
                total = format_count(i64::from(r.total), locale()),
                consented = format_count(consented as i64, locale()),
                already = format_count(already as i64, locale()),
                renewed = format_count(renewed as i64, locale()),
                failed = format_count(failed as i64, locale()),
                elsewhere = format_count(elsewhere as i64, locale())
            )
            .to_string();
            view! {
                <div class="consent-run">
                    <progress max=r.total.max(1) value=r.finished aria-label=move || t_string!(i18n, consent_progress_label)></progress>
                    <p role="status" aria-live="polite">
                        {summary} " "
                        {r.done.then(|| view! { <strong>{t!(i18n, consent_done)}</strong> })}
                    </p>
                    {(!failures.is_empty()).then(|| view! {
                        <div class="table-scroll">
                            <table class="data-table consent-failures">
                                <caption>{t!(i18n, consent_failures)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, readiness_column_customer)}</th>
                                    <th scope="col">{t!(i18n, consent_partner_center_said)}</th>
                                </tr></thead>
                                <tbody>
                                    {failures.into_iter().map(|t| {
                                        let said = match (&t.code, &t.message, t.status) {
                                            (Some(code), Some(message), Some(status)) => format!("{code}: {message} (HTTP {status})"),
                                            (Some(code), Some(message), None) => format!("{code}: {message}"),
                                            (None, Some(message), _) => message.clone(),
                                            (Some(code), None, _) => code.clone(),
                                            (None, None, _) => String::new(),
                                        };
                                        view! {
                                            <tr>
                                                <th scope="row">{t.name.clone()}<span class="sub">{t.tenant_id.clone()}</span></th>
                                                <td class="readiness-azure">{said}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                </div>
            }
        })
    };

    // Nothing to say where no tenant needs consent and no run is followed.
    let shown = move || count != 0 || run.with(Option::is_some);
    view! {
        <Show when=shown>
        <section class="consent-panel" aria-labelledby="consent-title">
            <h2 id="consent-title">{t!(i18n, consent_title)}</h2>
            <p>
                {move || t_string!(i18n, consent_intro, count = format_count(count as i64, locale())).to_string()}
            </p>
            <p class="note">{t!(i18n, consent_renewal)}</p>
            <Show when=move || count != 0>
                <div class="actions">
                    <button type="button" disabled=move || !may() || busy() title=why_not
                        on:click=move |_| { start.dispatch(ConsentRequest { all: true, ..Default::default() }); }>
                        {move || t_string!(i18n, consent_all, count = format_count(count as i64, locale())).to_string()}
                    </button>
                </div>
                <details class="consent-choose">
                    <summary>{t!(i18n, consent_choose)}</summary>
                    <fieldset>
                        <legend class="visually-hidden">{t!(i18n, consent_choose)}</legend>
                        <ul class="consent-choices">{choices}</ul>
                    </fieldset>
                    <button type="button" disabled=move || !may() || busy() || chosen.with(BTreeSet::is_empty) title=why_not
                        on:click=move |_| {
                            let customer_ids = chosen.with(|c| c.iter().cloned().collect());
                            start.dispatch(ConsentRequest { customer_ids, all: false });
                        }>
                        {move || t_string!(i18n, consent_chosen, count = format_count(chosen.with(BTreeSet::len) as i64, locale())).to_string()}
                    </button>
                </details>
            </Show>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {progress}
        </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::source::TenantConsent;

    #[test]
    fn a_runs_outcomes_are_counted_by_state() {
        let tenant = |state| TenantConsent {
            customer_id: "c".into(),
            name: "C".into(),
            tenant_id: "t".into(),
            state,
            status: None,
            code: None,
            message: None,
            finished_at: None,
            other_run: None,
            request: Default::default(),
        };
        let run = ConsentRun {
            id: "r".into(),
            requested_by: "gina".into(),
            requested_at: "2026-11-26T10:00:00Z".into(),
            total: 5,
            finished: 4,
            done: false,
            tenants: [
                ConsentState::Consented,
                ConsentState::Consented,
                ConsentState::Renewed,
                ConsentState::Failed,
                ConsentState::Elsewhere,
                ConsentState::Pending,
            ]
            .into_iter()
            .map(tenant)
            .collect(),
        };
        assert_eq!(outcome_counts(&run), [2, 0, 1, 1, 1]);
        assert!(OUTCOMES.iter().all(|s| s.finished()), "only finished outcomes are counted");
    }

    #[test]
    fn the_tenants_needing_consent_are_the_backends_needs_consent_and_say_which_are_renewals() {
        use contract::source::{DirectoryAccess, FailureClass, ReadinessState};
        let row = |name: &str, failure: Option<FailureClass>, needs_consent: bool, directory: Option<DirectoryState>| CustomerReadiness {
            customer_id: name.to_lowercase(),
            name: name.into(),
            domain: format!("{}.example", name.to_lowercase()),
            tenant_id: None,
            state: if failure.is_some() { ReadinessState::NotRead } else { ReadinessState::Ready },
            failure,
            remedy: None,
            remedy_link: None,
            code: None,
            message: None,
            status: None,
            reservations: 0,
            unread: 0,
            unpriced: 0,
            read_at: None,
            failed_at: None,
            gdap: None,
            gdap_error: None,
            warning: None,
            directory: directory.map(|state| DirectoryAccess { state, at: "2026-11-26T09:00:00Z".into(), error: None }),
            needs_consent,
        };
        let rows = [
            row("Northwind", Some(FailureClass::ConsentMissing), true, None),
            row("Contoso", None, true, Some(DirectoryState::NotConsented)),
            row("Fabrikam", None, false, Some(DirectoryState::NotAllowed)),
            // The backend's decision stands, whatever the class says.
            row("Tailspin", Some(FailureClass::ConsentMissing), false, None),
        ];
        assert_eq!(
            needing_consent(&rows),
            [("northwind".to_owned(), "Northwind".to_owned(), false), ("contoso".to_owned(), "Contoso".to_owned(), true)]
        );
    }
}
