use contract::{ContactInformation, ContactMethod, DataSource, NewSupportRequest, Problem, ProblemCode, SupportSeverity};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use quote_engine::{quote_refund, PolicyName};

use crate::api::{self, ApiError};
use crate::clock;
use crate::components::azure_ticket::AzureTicket;
use crate::components::problem_text::{error_text, problem_text};
use crate::components::quote_text::policy_name_text;
use crate::format::{format_date, format_money};
use crate::paths;
use leptos_router::components::A;
use crate::i18n::*;
use crate::reservation_context::CurrentReservation;
use crate::deployment::{chosen_policy, Deployment};
use crate::user::CurrentUser;
use desk_service::access::Permission;

/// The wizard's step a field belongs to, so a validation message shows on its own step.
fn step_of(field: &str) -> u8 {
    match field {
        "summary" => 1,
        "details" | "severity" => 2,
        _ => 3,
    }
}

/// How the server's refusal of a ticket begins its English advice on reaching Microsoft
/// otherwise (`source/support.rs`'s `OTHERWISE`), which the panel says in the user's language.
const REACH_OTHERWISE: &str = "To reach Microsoft otherwise";

/// The browser's IANA time zone, e.g. `Europe/Berlin`, else `UTC`.
fn browser_time_zone() -> String {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".into())
}

/// The support languages offered: the desk's five where the desk keeps the request; Microsoft
/// support's own (Microsoft.Support's list: Swedish and Dutch are not on it) where it goes to
/// Microsoft, each named in itself.
fn languages(azure: bool) -> &'static [(&'static str, &'static str)] {
    const DESK: [(&str, &str); 5] = [("en", "English"), ("de", "Deutsch"), ("sv", "Svenska"), ("nl", "Nederlands"), ("zh-CN", "简体中文")];
    const AZURE: [(&str, &str); 11] = [
        ("en-us", "English"), ("de-de", "Deutsch"), ("zh-hans", "简体中文"), ("zh-tw", "繁體中文"), ("es-es", "Español"), ("fr-fr", "Français"),
        ("it-it", "Italiano"), ("ja-jp", "日本語"), ("ko-kr", "한국어"), ("pt-br", "Português (Brasil)"), ("ru-ru", "Русский"),
    ];
    if azure {
        &AZURE
    } else {
        &DESK
    }
}

/// Microsoft support's language for the user's: theirs when support offers it, else English.
fn azure_language(locale: &str) -> &'static str {
    match locale {
        "de" => "de-de",
        "zh-CN" => "zh-hans",
        _ => "en-us",
    }
}

/// New support request: the article's three steps (Basics, Problem, Contact information),
/// Next after each, Create at the end, then the created request. The rules are the service
/// layer's, checked here as the user goes and again by the backend.
#[component]
pub fn SupportPanel() -> impl IntoView {
    let i18n = use_i18n();
    let user = CurrentUser::expect();
    let current = expect_context::<CurrentReservation>();
    let r = current.detail.reservation.clone();
    let query = use_query_map().get_untracked();
    let quote_quantity: u32 = query.get("quantity").and_then(|q| q.parse().ok()).unwrap_or(1).clamp(1, r.quantity.max(1));
    // The Refund panel's policy (`?policy=`, a what-if), else the deployment's once known.
    let asked = query.get("policy");
    let settings = Deployment::settings();
    let quote_policy = Memo::new(move |_| {
        settings.get().and_then(Result::ok).map(|s| chosen_policy(asked.as_deref(), s.refund_policy))
    });

    let step = RwSignal::new(1u8);
    let summary = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let attach = RwSignal::new(true);
    let method = RwSignal::new(ContactMethod::Email);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let language = RwSignal::new(i18n.get_locale_untracked().as_str().to_owned());
    let time_zone = RwSignal::new(browser_time_zone());
    let problem = RwSignal::new(None::<Problem>);
    let severity = RwSignal::new(SupportSeverity::Minimal);
    let country = RwSignal::new(String::new());
    // In Azure mode the request goes to Microsoft: its support languages are offered.
    let to_microsoft = Memo::new(move |_| settings.get().and_then(Result::ok).is_some_and(|s| s.source == DataSource::Azure && !s.azure_read_only));
    Effect::new(move |_| {
        if to_microsoft.get() {
            language.set(azure_language(i18n.get_locale_untracked().as_str()).to_owned());
        }
    });

    // The quote attached to the request, in the user's language (support reads it as text).
    let engine = desk_service::current_price::refund_reservation(&current.detail).ok();
    let attachment = move || {
        let quote_policy: PolicyName = quote_policy.get()?;
        let quote = quote_refund(&quote_policy.policy(), clock::today(), engine.as_ref()?, quote_quantity, &[]).ok()?;
        Some(crate::t_count!(
            i18n,
            quote_attachment,
            quote_quantity,
            date = format_date(clock::today(), i18n.get_locale()),
            // The policy by its name in the user's language, as the refund panel names it.
            policy = policy_name_text(i18n, quote_policy),
            amount = format_money(&quote.refund_amount, i18n.get_locale())
        ))
    };
    let attachment = StoredValue::new(attachment);

    let (reservation_id, order_id) = (r.id.clone(), r.reservation_order_id.clone());
    let draft = move || NewSupportRequest {
        summary: summary.get_untracked(),
        details: details.get_untracked(),
        reservation_id: reservation_id.clone(),
        reservation_order_id: order_id.clone(),
        severity: severity.get_untracked(),
        attached_quote: if attach.get_untracked() { attachment.with_value(|a| a()) } else { None },
        contact: ContactInformation {
            preferred_contact_method: method.get_untracked(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            language: language.get_untracked(),
            time_zone: time_zone.get_untracked(),
            country: country.get_untracked().trim().to_ascii_uppercase(),
        },
    };
    let draft = StoredValue::new(draft);
    let reservation = StoredValue::new(r.clone());
    let ids = StoredValue::new((r.id.clone(), r.reservation_order_id.clone()));
    let create = Action::new_local(move |request: &NewSupportRequest| {
        let request = request.clone();
        async move { api::create_support_request(&request).await }
    });
    // Next: the step's own fields must pass the service layer's rules.
    let next = move |_| {
        if create.pending().get_untracked() {
            return;
        }
        let request = draft.with_value(|d| d());
        match reservation.with_value(|r| desk_service::support::validate(&request, r)) {
            Err(e) if e.field().is_some_and(|f| step_of(f) <= step.get_untracked()) => {
                problem.set(Some(e.into()));
            }
            _ => {
                problem.set(None);
                if step.get_untracked() < 3 {
                    step.update(|s| *s += 1);
                } else {
                    create.dispatch(request);
                }
            }
        }
    };
    Effect::new(move |_| {
        if let Some(Err(ApiError::Problem(p))) = create.value().get() {
            if let Some(field) = &p.field {
                step.set(step_of(field));
            }
            problem.set(Some(p));
        }
    });
    let error_for = move |field: &'static str| {
        move || {
            problem
                .get()
                .filter(|p| p.field.as_deref() == Some(field))
                .map(|p| view! { <p class="field-error" role="alert">{problem_text(i18n, &p)}</p> })
        }
    };
    let other_error = move || match create.value().get() {
        Some(Err(e)) if !matches!(&e, ApiError::Problem(p) if p.field.is_some()) => {
            // Azure did not take the ticket: how to reach Microsoft otherwise, in the user's
            // language (the server's English sentence for API callers is left out here).
            let upstream = matches!(&e, ApiError::Problem(p) if matches!(p.code, ProblemCode::UpstreamForbidden | ProblemCode::UpstreamRefused | ProblemCode::UpstreamUnavailable));
            let e = match e {
                ApiError::Problem(mut p) if upstream => {
                    if let Some(at) = p.detail.find(REACH_OTHERWISE) {
                        p.detail.truncate(at);
                        p.detail = p.detail.trim_end().to_owned();
                    }
                    ApiError::Problem(p)
                }
                other => other,
            };
            Some(view! {
                <div class="field-error" role="alert">
                    <p>{error_text(i18n, &e)}</p>
                    {upstream.then(|| view! { <p>{t!(i18n, support_reach_otherwise)}</p> })}
                </div>
            })
        }
        _ => None,
    };
    let step_item = move |n: u8, label: Signal<String>| {
        view! {
            <li aria-current=move || (step.get() == n).then_some("step") class:done=move || step.get().gt(&n)>
                <span class="step-number">{n}</span> {move || label.get()}
            </li>
        }
    };

    // The wizard (and its focused Create button) gives way to the created request: focus moves
    // there instead of dropping to the document.
    let created_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(div) = created_ref.get() {
            let _ = div.focus();
        }
    });
    view! {
        <h2>{t!(i18n, new_support_request)}</h2>
        {move || match create.value().get() {
            Some(Ok(created)) => view! {
                <div class="success" role="status" tabindex="-1" node_ref=created_ref>
                    <p>{
                        let (id, number) = (created.id.clone(), created.azure_ticket.as_ref().and_then(|t| t.number.clone()));
                        move || match &number {
                            Some(number) => format!("{} {}", t_string!(i18n, request_created, id = id.clone()), t_string!(i18n, support_request_sent, number = number.clone())),
                            None => t_string!(i18n, request_created, id = id.clone()).to_string(),
                        }
                    }</p>
                    <dl class="properties">
                        <dt>{t!(i18n, summary)}</dt><dd>{created.request.summary.clone()}</dd>
                        <dt>{t!(i18n, category)}</dt><dd>{t!(i18n, exchanges_and_refunds)}</dd>
                        <dt>{t!(i18n, status)}</dt><dd>{created.status.clone()}</dd>
                    </dl>
                    <AzureTicket request=created.clone() />
                    <p><A href=paths::support_request(&created.customer_id, &created.id)>{t!(i18n, view_support_request)}</A></p>
                </div>
            }
            .into_any(),
            _ => view! {
                <ol class="wizard-steps" aria-label=move || t_string!(i18n, wizard_steps)>
                    {step_item(1, Signal::derive(move || t_string!(i18n, step_basics).to_string()))}
                    {step_item(2, Signal::derive(move || t_string!(i18n, step_problem).to_string()))}
                    {step_item(3, Signal::derive(move || t_string!(i18n, step_contact).to_string()))}
                </ol>
                <form class="wizard" on:submit=move |e| { e.prevent_default(); next(()); }>
                    <Show when=move || step.get() == 1>
                        <div class="field">
                            <label for="issue-type">{t!(i18n, issue_type)}</label>
                            <select id="issue-type" disabled=true><option>{t!(i18n, billing)}</option></select>
                        </div>
                        <div class="field">
                            <label for="summary">{t!(i18n, summary)}</label>
                            <input id="summary" type="text" maxlength="140" prop:value=move || summary.get()
                                on:input=move |e| summary.set(event_target_value(&e)) />
                            {error_for("summary")}
                        </div>
                    </Show>
                    <Show when=move || step.get() == 2>
                        <div class="field">
                            <label for="problem-type">{t!(i18n, problem_type)}</label>
                            <select id="problem-type" disabled=true><option>{t!(i18n, reservation_management)}</option></select>
                        </div>
                        <div class="field">
                            <label for="category">{t!(i18n, category)}</label>
                            <select id="category" disabled=true><option>{t!(i18n, exchanges_and_refunds)}</option></select>
                        </div>
                        <div class="field">
                            <label for="severity">{t!(i18n, severity)}</label>
                            <select id="severity" on:change=move |e| {
                                severity.set(match event_target_value(&e).as_str() {
                                    "moderate" => SupportSeverity::Moderate,
                                    "critical" => SupportSeverity::Critical,
                                    "highestcriticalimpact" => SupportSeverity::HighestCriticalImpact,
                                    _ => SupportSeverity::Minimal,
                                })
                            }>
                                <option value="minimal" selected=move || severity.get() == SupportSeverity::Minimal>{t!(i18n, severity_minimal)}</option>
                                <option value="moderate" selected=move || severity.get() == SupportSeverity::Moderate>{t!(i18n, severity_moderate)}</option>
                                <option value="critical" selected=move || severity.get() == SupportSeverity::Critical>{t!(i18n, severity_critical)}</option>
                                <option value="highestcriticalimpact" selected=move || severity.get() == SupportSeverity::HighestCriticalImpact>{t!(i18n, severity_highest)}</option>
                            </select>
                        </div>
                        <dl class="properties wizard-ids">
                            <dt>{t!(i18n, reservation_id)}</dt><dd><code>{ids.with_value(|i| i.0.clone())}</code></dd>
                            <dt>{t!(i18n, reservation_order_id)}</dt><dd><code>{ids.with_value(|i| i.1.clone())}</code></dd>
                        </dl>
                        <div class="field">
                            <label for="details">{t!(i18n, details)}</label>
                            <textarea id="details" rows="4" prop:value=move || details.get()
                                on:input=move |e| details.set(event_target_value(&e))></textarea>
                            {error_for("details")}
                        </div>
                        <div class="field checkbox">
                            <label>
                                <input type="checkbox" prop:checked=move || attach.get() on:change=move |e| attach.set(event_target_checked(&e)) />
                                {t!(i18n, attach_quote)}
                            </label>
                            <Show when=move || attach.get()>
                                <p class="hint">{move || match quote_policy.get() {
                                    None => t_string!(i18n, loading_page).to_string(),
                                    Some(_) => attachment.with_value(|a| a()).unwrap_or_default(),
                                }}</p>
                            </Show>
                        </div>
                    </Show>
                    <Show when=move || step.get() == 3>
                        <fieldset class="field">
                            <legend>{t!(i18n, preferred_contact)}</legend>
                            <label class="radio"><input type="radio" name="method" prop:checked=move || method.get() == ContactMethod::Email
                                on:change=move |_| method.set(ContactMethod::Email) />{t!(i18n, email)}</label>
                            <label class="radio"><input type="radio" name="method" prop:checked=move || method.get() == ContactMethod::Phone
                                on:change=move |_| method.set(ContactMethod::Phone) />{t!(i18n, phone)}</label>
                        </fieldset>
                        <div class="field">
                            <label for="contact-name">{t!(i18n, name)}</label>
                            <input id="contact-name" type="text" autocomplete="name" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
                            {error_for("contact.name")}
                        </div>
                        <div class="field">
                            <label for="contact-email">{t!(i18n, email)}</label>
                            <input id="contact-email" type="email" autocomplete="email" prop:value=move || email.get() on:input=move |e| email.set(event_target_value(&e)) />
                            {error_for("contact.email")}
                        </div>
                        <div class="field">
                            <label for="contact-phone">{t!(i18n, phone)}</label>
                            <input id="contact-phone" type="tel" autocomplete="tel" prop:value=move || phone.get() on:input=move |e| phone.set(event_target_value(&e)) />
                            {error_for("contact.phone")}
                        </div>
                        <div class="field">
                            <label for="contact-language">{t!(i18n, support_language)}</label>
                            <select id="contact-language" prop:value=move || language.get() on:change=move |e| language.set(event_target_value(&e))>
                                {move || languages(to_microsoft.get()).iter().map(|(code, name)| view! {
                                    <option value=*code selected=move || language.get() == *code>{*name}</option>
                                }).collect_view()}
                            </select>
                            {error_for("contact.language")}
                        </div>
                        <div class="field">
                            <label for="contact-country">{t!(i18n, contact_country)}</label>
                            <input id="contact-country" type="text" maxlength="3" autocomplete="country" prop:value=move || country.get()
                                on:input=move |e| country.set(event_target_value(&e)) />
                            {error_for("contact.country")}
                        </div>
                        <div class="field">
                            <label for="contact-tz">{t!(i18n, time_zone)}</label>
                            <input id="contact-tz" type="text" prop:value=move || time_zone.get() on:input=move |e| time_zone.set(event_target_value(&e)) />
                            {error_for("contact.timeZone")}
                        </div>
                    </Show>
                    <div class="actions">
                        <Show when=move || { step.get() > 1 }>
                            <button type="button" class="secondary" on:click=move |_| { problem.set(None); step.update(|s| *s -= 1); }>
                                {t!(i18n, previous)}
                            </button>
                        </Show>
                        <button type="submit"
                            // Busy is aria-disabled, not disabled: a focused button that becomes
                            // disabled drops keyboard focus to the document.
                            disabled=move || step.get() == 3 && !user.may(Permission::SupportRequests)
                            aria-disabled=move || create.pending().get().to_string()
                            title=move || (step.get() == 3).then(|| user.refusal(i18n, Permission::SupportRequests)).flatten()>
                            {move || if step.get() < 3 { t_string!(i18n, next) } else { t_string!(i18n, create) }}
                        </button>
                    </div>
                    {other_error}
                </form>
            }
            .into_any(),
        }}
    }
}
