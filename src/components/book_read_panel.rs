//! Azure mode's reads of the whole book on the readiness page: the desk's connection for
//! unattended reads (who connected it and since when, or why Entra refused it; Connect and
//! Disconnect for the Global admin), and **Read all customers now**, followed to its end with a
//! progress bar and a live status line. A read already running when the page opens (the
//! background refresh's, or another user's) is followed too. Whether and how a read runs is the
//! server's (`/api/source/refresh`, `/api/source/reads/…`, `/api/source/connection`); this only
//! asks and shows. Where the desk reads no Azure (the connection answers 404) it shows nothing.

use contract::source::{AzureConnection, ConnectionState, SourceRead, SourceReadState};
use contract::ProblemCode;
use desk_service::access::Permission;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;

use crate::api::{self, ApiError};
use crate::components::problem_text::error_text;
use crate::format::{format_count, format_time};
use crate::i18n::*;
use crate::user::CurrentUser;

/// How often a read in progress is asked again.
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// The progress bar's value and maximum for `read`: the customers tried so far (read or
/// failed) of those Partner Center listed; `None` until Partner Center listed them (the bar
/// then has no value: it runs without saying how far).
pub fn progress_of(read: &SourceRead) -> Option<(u32, u32)> {
    let tried = read.read.saturating_add(read.failed);
    read.total.map(|total| (tried, total.max(tried).max(1)))
}

/// Whether `error` is the server's 404: no such thing (no read yet), or a desk that reads no Azure.
fn not_found(error: &ApiError) -> bool {
    matches!(error, ApiError::Problem(problem) if problem.code == ProblemCode::NotFound)
}

/// The connection's line, in the user's language.
fn connection_text(i18n: I18nContext<Locale>, connection: &AzureConnection) -> String {
    let locale = i18n.get_locale();
    match (connection.state, &connection.error) {
        (ConnectionState::Connected, _) => t_string!(
            i18n,
            book_connected,
            name = connection.connected_by.clone().unwrap_or_default(),
            time = connection.connected_at.as_deref().map(|at| format_time(at, locale)).unwrap_or_default()
        )
        .to_string(),
        (ConnectionState::NotConnected, _) => t_string!(i18n, book_not_connected).to_string(),
        (ConnectionState::Lost, Some(error)) => {
            t_string!(i18n, book_connection_lost, message = error.message.clone(), code = error.code.clone()).to_string()
        }
        (ConnectionState::Lost, None) => t_string!(i18n, book_connection_lost_plain).to_string(),
    }
}

/// Where `read` stands and for whom it reads, in the user's language.
fn read_text(i18n: I18nContext<Locale>, read: &SourceRead) -> String {
    let locale = i18n.get_locale();
    let failed = format_count(i64::from(read.failed), locale);
    let what = match read.state {
        SourceReadState::Reading => match read.total {
            None => t_string!(i18n, book_read_listing).to_string(),
            Some(total) => crate::t_count!(i18n, book_read_progress, total, read = format_count(i64::from(read.read), locale), failed = failed),
        },
        SourceReadState::Done => {
            let time = format_time(read.finished_at.as_deref().unwrap_or(&read.started_at), locale);
            crate::t_count!(i18n, book_read_done, read.read, time = time, failed = failed)
        }
        SourceReadState::Failed => match &read.error {
            Some(error) => t_string!(i18n, book_read_failed, message = error.message.clone(), code = error.code.clone()).to_string(),
            None => t_string!(i18n, book_read_failed_plain).to_string(),
        },
        SourceReadState::Abandoned => t_string!(i18n, book_read_abandoned).to_string(),
    };
    let by = if read.unattended {
        t_string!(i18n, book_read_by_connection).to_string()
    } else {
        t_string!(i18n, book_read_by_user, name = read.started_by.clone()).to_string()
    };
    format!("{what} {by}")
}

/// The panel; `on_read` is called when a read this panel followed ended (the page reads its
/// readiness table again).
#[component]
pub fn BookReadPanel(on_read: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    // `None` until the connection answered; `Some(false)` where the desk reads no Azure.
    let reads_azure = RwSignal::new(None::<bool>);
    let connection = RwSignal::new(None::<AzureConnection>);
    let connection_error = RwSignal::new(None::<String>);
    let read = RwSignal::new(None::<SourceRead>);
    let read_error = RwSignal::new(None::<String>);
    // Whether this panel saw the read running (or started it): only then does its end read the
    // table again.
    let following = StoredValue::new(false);
    // Whether the table was read again after the read shown.
    let reloaded = RwSignal::new(false);
    let connect_button = NodeRef::<html::Button>::new();

    // The newest read, followed if it runs (a read started in the background, by another user,
    // or by connecting). The `try_` setters: the page may be gone when an answer comes.
    let newest = move || {
        spawn_local(async move {
            match api::latest_book_read().await {
                Ok(latest) => {
                    read_error.try_set(None);
                    read.try_set(Some(latest));
                }
                Err(e) if not_found(&e) => {}
                Err(e) => {
                    read_error.try_set(Some(error_text(i18n, &e)));
                }
            }
        })
    };
    spawn_local(async move {
        match api::azure_connection().await {
            Ok(answer) => {
                connection.try_set(Some(answer));
            }
            Err(e) if not_found(&e) => {
                reads_azure.try_set(Some(false));
                return;
            }
            Err(e) => {
                connection_error.try_set(Some(error_text(i18n, &e)));
            }
        }
        reads_azure.try_set(Some(true));
        newest();
    });

    // A running read is asked again every half second until it ends; then the table is read
    // again (the customers the read wrote are the table's rows). One ask at a time, of the read
    // shown when it is sent. A failed ask says why and stops asking: Read all customers now
    // answers the running read and follows it again.
    let asking = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(state) = read.with(|r| r.as_ref().map(|r| r.state)) else { return };
        if state != SourceReadState::Reading {
            if following.get_value() {
                following.set_value(false);
                reloaded.set(true);
                on_read.run(());
            }
            return;
        }
        following.set_value(true);
        reloaded.set(false);
        if asking.get_value() {
            return;
        }
        asking.set_value(true);
        set_timeout(
            move || {
                spawn_local(async move {
                    // `None` once the page is gone.
                    let Some(Some(id)) = read.try_with_untracked(|r| r.as_ref().map(|r| r.id.clone())) else { return };
                    let answer = api::book_read(&id).await;
                    asking.try_set_value(false);
                    match answer {
                        // Another read shown meanwhile (started, or the connection's): ask for that one.
                        Ok(now) if read.try_with_untracked(|r| r.as_ref().map(|r| r.id != now.id)) == Some(Some(true)) => {
                            read.try_update(|_| {});
                        }
                        Ok(now) => {
                            read_error.try_set(None);
                            read.try_set(Some(now));
                        }
                        Err(e) => {
                            read_error.try_set(Some(error_text(i18n, &e)));
                        }
                    }
                })
            },
            FOLLOW_EVERY,
        );
    });

    let start = Action::new_local(move |_: &()| async move {
        match api::read_book().await {
            Ok(started) => {
                read_error.try_set(None);
                following.try_set_value(true);
                read.try_set(Some(started));
            }
            Err(e) => {
                read_error.try_set(Some(error_text(i18n, &e)));
            }
        }
    });
    let connect = Action::new_local(move |_: &()| async move {
        match api::connect_azure().await {
            Ok(answer) => {
                connection_error.try_set(None);
                connection.try_set(Some(answer));
                // The server started a read with the new connection: follow it to its end.
                following.try_set_value(true);
                newest();
            }
            Err(e) => {
                connection_error.try_set(Some(error_text(i18n, &e)));
            }
        }
    });
    let disconnect = Action::new_local(move |_: &()| async move {
        match api::disconnect_azure().await {
            Ok(answer) => {
                connection_error.try_set(None);
                connection.try_set(Some(answer));
                // Disconnect is gone now: the keyboard stays on the panel, on Connect.
                if let Some(button) = connect_button.get_untracked() {
                    let _ = button.focus();
                }
            }
            Err(e) => {
                connection_error.try_set(Some(error_text(i18n, &e)));
            }
        }
    });

    let may = move || user.may(Permission::ConsentApp);
    let why_not = move || user.refusal(i18n, Permission::ConsentApp);
    let can_connect = move || connection.with(|c| c.as_ref().is_some_and(|c| c.can_connect));
    let state = move || connection.with(|c| c.as_ref().map(|c| c.state));
    let changing = move || connect.pending().get() || disconnect.pending().get();
    // The role's reason first (no key would help a user who may not connect), else the server's.
    let connect_title = move || why_not().or_else(|| (!can_connect()).then(|| t_string!(i18n, book_no_key).to_string()));
    let reading = move || read.with(|r| r.as_ref().is_some_and(|r| r.state == SourceReadState::Reading));
    // Busy while the read is followed; after a failed ask, the button answers the running read.
    let read_busy = move || start.pending().get() || (reading() && read_error.with(Option::is_none));

    let status = move || {
        read.with(|r| match r {
            Some(r) => read_text(i18n, r),
            None => t_string!(i18n, book_never_read).to_string(),
        })
    };
    let bar = move || {
        read.with(|r| {
            r.as_ref().filter(|r| r.state == SourceReadState::Reading).map(|r| {
                let (value, max) = progress_of(r).map_or((None, 1), |(value, max)| (Some(value), max));
                view! { <progress max=max value=value aria-label=move || t_string!(i18n, book_read_progress_label)></progress> }
            })
        })
    };

    view! {
        <Show when=move || reads_azure.get() == Some(true)>
            <section class="book-read-panel" aria-labelledby="book-read-title">
                <h2 id="book-read-title">{t!(i18n, book_read_title)}</h2>
                <div class="book-read-part">
                    <h3>{t!(i18n, book_connection_title)}</h3>
                    <p role="status" aria-live="polite">{move || connection.with(|c| c.as_ref().map(|c| connection_text(i18n, c)))}</p>
                    <Show when=move || connection.with(|c| c.as_ref().is_some_and(|c| !c.can_connect))>
                        <p class="note" id="book-no-key">{t!(i18n, book_no_key)}</p>
                    </Show>
                    <Show when=move || connection.with(Option::is_some)>
                        <div class="actions">
                            <button type="button" node_ref=connect_button
                                disabled=move || !may() || !can_connect()
                                aria-disabled=move || changing().to_string()
                                title=connect_title
                                on:click=move |_| {
                                    if !changing() {
                                        connect.dispatch(());
                                    }
                                }>
                                {move || match (connect.pending().get(), state()) {
                                    (true, _) => t_string!(i18n, working).to_string(),
                                    (false, Some(ConnectionState::NotConnected) | None) => t_string!(i18n, book_connect).to_string(),
                                    (false, Some(_)) => t_string!(i18n, book_connect_again).to_string(),
                                }}
                            </button>
                            <Show when=move || matches!(state(), Some(ConnectionState::Connected | ConnectionState::Lost))>
                                <button type="button" class="secondary"
                                    disabled=move || !may()
                                    aria-disabled=move || changing().to_string()
                                    title=why_not
                                    on:click=move |_| {
                                        if !changing() {
                                            disconnect.dispatch(());
                                        }
                                    }>
                                    {move || if disconnect.pending().get() { t_string!(i18n, working).to_string() } else { t_string!(i18n, book_disconnect).to_string() }}
                                </button>
                            </Show>
                        </div>
                    </Show>
                    {move || connection_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
                <div class="book-read-part">
                    <h3>{t!(i18n, book_read_section)}</h3>
                    <div class="actions">
                        <button type="button"
                            aria-disabled=move || read_busy().to_string()
                            on:click=move |_| {
                                if !read_busy() {
                                    start.dispatch(());
                                }
                            }>
                            {move || if start.pending().get() { t_string!(i18n, working).to_string() } else { t_string!(i18n, book_read_now).to_string() }}
                        </button>
                    </div>
                    <div class="book-read-run">
                        {bar}
                        <p role="status" aria-live="polite">
                            {status} " "
                            {move || (reloaded.get() && !reading()).then(|| view! {
                                <strong>{t!(i18n, book_read_table_again)}</strong>
                            })}
                        </p>
                    </div>
                    {move || read_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(total: Option<u32>, read: u32, failed: u32) -> SourceRead {
        SourceRead {
            id: "r".into(),
            state: SourceReadState::Reading,
            unattended: false,
            started_by: "Gina".into(),
            started_at: "2026-11-26T10:00:00Z".into(),
            total,
            read,
            failed,
            finished_at: None,
            error: None,
        }
    }

    #[test]
    fn the_bar_counts_read_and_failed_customers_of_those_listed() {
        assert_eq!(progress_of(&read(None, 0, 0)), None, "no value until Partner Center listed the customers");
        assert_eq!(progress_of(&read(Some(500), 312, 3)), Some((315, 500)));
        assert_eq!(progress_of(&read(Some(0), 0, 0)), Some((0, 1)), "an empty book still has a maximum");
        assert_eq!(progress_of(&read(Some(2), 3, 0)), Some((3, 3)), "never past the end");
    }
}
