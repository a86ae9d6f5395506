//! Browser tests: components mounted into a real DOM in headless Chromium
//! (`wasm-bindgen-test`, see scripts/test.sh).

use contract::Customer;
use leptos::prelude::*;
use reservation_desk::components::customer_table::CustomerTable;
use reservation_desk::components::load_error::LoadError;
use reservation_desk::api::ApiError;
use reservation_desk::i18n::{use_i18n, I18nContextProvider, Locale};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;


/// A fresh element in the document for one test to mount into.
fn test_root() -> web_sys::HtmlElement {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

/// Mounts a view inside the i18n context and router the app provides, as the app does. Dropping
/// what it returns unmounts the view: the tests share one page, and a router left mounted would
/// follow the URLs the next tests set.
#[must_use = "the view is unmounted when this is dropped"]
fn mount<V: IntoView + 'static>(root: &web_sys::HtmlElement, view: impl FnOnce() -> V + Send + 'static) -> Box<dyn std::any::Any> {
    Box::new(leptos::mount::mount_to(root.clone(), move || {
        view! {
            <I18nContextProvider enable_cookie=false>
                <leptos_router::components::Router>{view()}</leptos_router::components::Router>
            </I18nContextProvider>
        }
    }))
}

fn customer(id: &str, name: &str, reservations: u32) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
        domain: format!("{id}.onmicrosoft.com"),
        reservation_count: reservations,
    }
}

#[wasm_bindgen_test]
async fn customer_table_shows_one_row_per_customer() {
    let root = test_root();
    let customers = vec![customer("contoso", "Contoso Ltd", 4), customer("fabrikam", "Fabrikam Inc", 0)];
    let _app = mount(&root, move || view! { <CustomerTable customers /> });
    leptos::task::tick().await;

    let rows = root.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    // Each row's cells, in column order: name, domain, number of reservations.
    let cells = |i: u32| -> Vec<String> {
        let row: web_sys::Element = rows.item(i).unwrap().unchecked_into();
        let cells = row.query_selector_all("th, td").unwrap();
        (0..cells.length()).map(|j| cells.item(j).unwrap().text_content().unwrap().trim().to_owned()).collect()
    };
    assert_eq!(cells(0), ["Contoso Ltd", "contoso.onmicrosoft.com", "4"]);
    assert_eq!(cells(1), ["Fabrikam Inc", "fabrikam.onmicrosoft.com", "0"]);
}

#[wasm_bindgen_test]
async fn customer_table_says_so_when_empty() {
    let root = test_root();
    let _app = mount(&root, || view! { <CustomerTable customers=vec![] /> });
    leptos::task::tick().await;

    assert!(root.query_selector("table").unwrap().is_none());
    assert_eq!(root.query_selector(".empty").unwrap().unwrap().text_content().unwrap(), "No customers match.");
}

#[wasm_bindgen_test]
async fn customer_search_filters_as_you_type_and_headers_sort() {
    let root = test_root();
    let customers = vec![
        customer("contoso", "Contoso Ltd", 4),
        customer("fabrikam", "Fabrikam Inc", 9),
        customer("tailspin", "Tailspin Toys", 1),
    ];
    let _app = mount(&root, move || view! { <CustomerTable customers /> });
    leptos::task::tick().await;
    let first_column = || {
        let rows = root.query_selector_all("tbody tr th").unwrap();
        (0..rows.length()).map(|i| rows.item(i).unwrap().text_content().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(first_column(), ["Contoso Ltd", "Fabrikam Inc", "Tailspin Toys"]);

    let search: web_sys::HtmlInputElement = root.query_selector("input[type=search]").unwrap().unwrap().unchecked_into();
    search.set_value("FAB");
    search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(first_column(), ["Fabrikam Inc"]);

    search.set_value("");
    search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let headers = root.query_selector_all("thead th").unwrap();
    let reservations_header: web_sys::HtmlElement = headers.item(2).unwrap().unchecked_into();
    let button: web_sys::HtmlElement = reservations_header.query_selector("button").unwrap().unwrap().unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert_eq!(first_column(), ["Fabrikam Inc", "Contoso Ltd", "Tailspin Toys"]);
    assert_eq!(reservations_header.get_attribute("aria-sort").as_deref(), Some("descending"));
    let name_header = headers.item(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(name_header.get_attribute("aria-sort").as_deref(), Some("none"));
}

#[wasm_bindgen_test]
async fn customer_search_and_sort_ignore_case_beyond_ascii() {
    let root = test_root();
    let customers = vec![
        customer("ahlens", "ÅHLÉNS AB", 2),
        customer("oresund", "öresund Energi", 1),
        customer("contoso", "Contoso Ltd", 4),
    ];
    let _app = mount(&root, move || view! { <CustomerTable customers /> });
    leptos::task::tick().await;
    let first_column = || {
        let rows = root.query_selector_all("tbody tr th").unwrap();
        (0..rows.length()).map(|i| rows.item(i).unwrap().text_content().unwrap()).collect::<Vec<_>>()
    };
    // A→Z by the lower-case name: "contoso" < "åhléns" < "öresund" (code point order).
    assert_eq!(first_column(), ["Contoso Ltd", "ÅHLÉNS AB", "öresund Energi"]);

    let search: web_sys::HtmlInputElement = root.query_selector("input[type=search]").unwrap().unwrap().unchecked_into();
    for (typed, found) in [("åhlé", "ÅHLÉNS AB"), ("ÖRE", "öresund Energi")] {
        search.set_value(typed);
        search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        leptos::task::tick().await;
        assert_eq!(first_column(), [found], "searching {typed:?}");
    }
}

#[wasm_bindgen_test]
async fn load_error_shows_the_reason_and_retries_on_click() {
    let root = test_root();
    let (retries, set_retries) = signal(0);
    let error = ApiError::Network("connection refused".into());
    let _app = mount(&root, move || {
        view! { <LoadError error retry=move || set_retries.update(|n| *n += 1) /> }
    });
    leptos::task::tick().await;

    let alert = root.query_selector("[role=alert]").unwrap().expect("an alert");
    assert!(alert.text_content().unwrap().contains("could not be reached"));
    let button: web_sys::HtmlElement = root.query_selector("button").unwrap().unwrap().unchecked_into();
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2);
}

#[wasm_bindgen_test]
async fn switching_the_language_retranslates_what_is_on_screen() {
    let root = test_root();
    let (locale, set_locale) = signal(Locale::en);
    let _app = mount(&root, move || {
        let i18n = use_i18n();
        Effect::new(move || i18n.set_locale(locale.get()));
        view! { <CustomerTable customers=vec![customer("contoso", "Contoso Ltd", 4)] /> }
    });
    leptos::task::tick().await;
    let header = || root.query_selector("thead").unwrap().unwrap().text_content().unwrap();
    assert!(header().contains("Reservations"), "{}", header());

    set_locale.set(Locale::de);
    leptos::task::tick().await;
    assert!(header().contains("Reservierungen"), "{}", header());

    set_locale.set(Locale::zh_CN);
    leptos::task::tick().await;
    assert!(header().contains("预留"), "{}", header());
}

mod refund_calculator {
    use super::*;
    use chrono::NaiveDate;
    use quote_engine::{BillingPlan, Currency, Money, PolicyName, PriorRefund, Reservation, ReservedResourceType, Term};
    use reservation_desk::components::refund_calculator::RefundCalculator;
    use rust_decimal_macros::dec;

    fn usd(amount: rust_decimal::Decimal) -> Money {
        Money::new(amount, Currency::new("USD").unwrap())
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// 4 units of a 1-year upfront VM reservation at USD 3,650 each, bought 2026-01-01.
    fn reservation() -> Reservation {
        Reservation {
            reserved_resource_type: ReservedResourceType::new("VirtualMachines").unwrap(),
            term: Term::P1Y,
            billing_plan: BillingPlan::Upfront,
            purchase_date: day(2026, 1, 1),
            quantity: 4,
            unit_price: usd(dec!(3650)),
            pricing_unit_price: None,
            has_usage: true,
            expiry_date: None,
            current_unit_price: None,
            sku_name: None,
        }
    }

    struct Calculator {
        root: web_sys::HtmlElement,
        quantity: RwSignal<String>,
        policy: RwSignal<PolicyName>,
        _app: Box<dyn std::any::Any>,
    }

    async fn mount_calculator(prior_refunds: Vec<PriorRefund>) -> Calculator {
        let root = test_root();
        let quantity = RwSignal::new("1".to_string());
        let policy = RwSignal::new(PolicyName::PartnerCenter2020);
        let _app = mount(&root, move || {
            view! {
                <RefundCalculator
                    reservation=reservation()
                    prior_refunds
                    today=day(2026, 7, 2)
                    quantity
                    policy
                />
            }
        });
        leptos::task::tick().await;
        Calculator { root, quantity, policy, _app }
    }

    impl Calculator {
        fn text(&self, selector: &str) -> String {
            self.root
                .query_selector(selector)
                .unwrap()
                .map(|e| e.text_content().unwrap())
                .unwrap_or_default()
        }

        async fn type_quantity(&self, text: &str) {
            let input: web_sys::HtmlInputElement =
                self.root.query_selector("#refund-quantity").unwrap().unwrap().unchecked_into();
            input.set_value(text);
            input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
            leptos::task::tick().await;
        }
    }

    #[wasm_bindgen_test]
    async fn after_the_grace_period_the_quote_shows_the_fee_and_the_refund() {
        let calc = mount_calculator(vec![]).await;
        // Day 182 of 365: used = round(3650 × 182 / 365) = 1820, base = 1830,
        // fee = round(12 % × 1830) = 219.60, refund = 1610.40.
        let body = calc.text("table.breakdown tbody");
        assert!(body.contains("Early termination fee"), "{body}");
        assert!(body.contains("-$219.60"), "{body}");
        assert_eq!(calc.text("table.breakdown tfoot td"), "$1,610.40");
        assert_eq!(calc.policy.get_untracked(), PolicyName::PartnerCenter2020);
    }

    #[wasm_bindgen_test]
    async fn the_figures_behind_each_line_read_in_each_language() {
        // Day 182 of 365; the fee is 12 % of the remaining 1,830.00.
        let expectations = [
            (Locale::en, ["Paid upfront", "Used: 182 of 365 days", "12% of the remaining $1,830.00"]),
            (Locale::de, ["Im Voraus bezahlt", "Genutzt: 182 von 365 Tagen", "12 % des verbleibenden Betrags von 1.830,00 $"]),
            (Locale::sv, ["Betalt i förskott", "Använt: 182 av 365 dagar", "12 % av återstående 1 830,00 US$"]),
            (Locale::nl, ["Vooraf betaald", "Gebruikt: 182 van 365 dagen", "12% van het resterende bedrag van US$ 1.830,00"]),
            (Locale::zh_CN, ["预先支付", "已使用：365 天中的 182 天", "剩余金额 US$1,830.00 的 12%"]),
        ];
        for (locale, details) in expectations {
            let root = test_root();
            let _app = mount(&root, move || {
                let i18n = use_i18n();
                Effect::new(move || i18n.set_locale(locale));
                let (quantity, policy) = (RwSignal::new("1".to_string()), RwSignal::new(PolicyName::PartnerCenter2020));
                view! { <RefundCalculator reservation=reservation() prior_refunds=vec![] today=day(2026, 7, 2) quantity policy /> }
            });
            leptos::task::tick().await;
            leptos::task::tick().await;
            let shown: Vec<String> = (0..3)
                .map(|i| {
                    let cell = root.query_selector_all(".line-detail").unwrap().item(i).unwrap();
                    plain_spaces(&cell.text_content().unwrap())
                })
                .collect();
            assert_eq!(shown, details, "{locale:?}");
        }
    }

    #[wasm_bindgen_test]
    async fn typing_a_quantity_requotes_at_once_and_bad_input_is_explained_inline() {
        let calc = mount_calculator(vec![]).await;
        calc.type_quantity("2").await;
        assert_eq!(calc.quantity.get_untracked(), "2");
        assert_eq!(calc.text("table.breakdown tfoot td"), "$3,220.80");

        calc.type_quantity("5").await;
        assert!(calc.text(".field-error").contains("from 1 to 4"));
        assert!(calc.root.query_selector("table.breakdown").unwrap().is_none());
        let input = calc.root.query_selector("#refund-quantity").unwrap().unwrap();
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    }

    #[wasm_bindgen_test]
    async fn the_current_azure_policy_charges_no_fee_and_refuses_over_the_limit() {
        // USD 49,000 refunded 30 days ago leaves USD 1,000 of the limit.
        let prior = vec![PriorRefund { date: day(2026, 6, 2), amount: usd(dec!(49000)) }];
        let calc = mount_calculator(prior).await;
        calc.policy.set(PolicyName::AzureCurrent);
        leptos::task::tick().await;

        let alert = calc.text(".policy-errors");
        assert!(alert.contains("exceed the customer's USD 50,000 refund limit"), "{alert}");
        assert!(!calc.text("table.breakdown tbody").contains("Early termination fee"));
        // Refused, the quote still says what the refund would be (B = 1,830.00), labelled so.
        assert_eq!(calc.text("table.breakdown tfoot th"), "Would be refunded (refused)");
        assert_eq!(calc.text("table.breakdown tfoot td"), "$1,830.00");
    }
}

#[wasm_bindgen_test]
async fn the_limit_meter_shows_use_headroom_and_releases() {
    use chrono::NaiveDate;
    use contract::{RefundLedgerEntry, RefundLimit};
    use quote_engine::{Currency, Money};
    use reservation_desk::components::limit_meter::LimitMeter;
    use rust_decimal_macros::dec;
    let usd = |a| Money::new(a, Currency::new("USD").unwrap());
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let entry = |date, amount, counts| RefundLedgerEntry {
        date,
        amount: usd(amount),
        reservation_id: "r".into(),
        reservation_order_id: "o".into(),
        released_on: date + chrono::Days::new(365),
        counts,
    };
    let limit = RefundLimit {
        as_of: day(11, 22),
        limit: usd(dec!(50000)),
        consumed: usd(dec!(46500)),
        headroom: usd(dec!(3500)),
        entries: vec![entry(day(11, 2), dec!(11500), true), entry(day(1, 1), dec!(35000), true)],
        azure: None,
    };
    let root = test_root();
    let _app = mount(&root, move || view! { <LimitMeter limit /> });
    leptos::task::tick().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("$46,500.00 of $50,000.00 used, $3,500.00 left"), "{text}");
    assert!(text.contains("$11,500.00 is released on Nov 2, 2027"), "{text}");
    let meter = root.query_selector("meter").unwrap().unwrap();
    assert_eq!(meter.get_attribute("value").as_deref(), Some("46500"));
}

#[wasm_bindgen_test]
async fn tabs_follow_the_arrow_keys_and_keep_one_tab_in_the_tab_order() {
    use reservation_desk::components::tabs::{Tab, TabList};
    let root = test_root();
    let selected = RwSignal::new(0usize);
    let _app = mount(&root, move || {
        let tabs = vec![
            Tab { key: "a", label: Signal::derive(|| "Azure reservations".to_string()) },
            Tab { key: "b", label: Signal::derive(|| "Support requests".to_string()) },
        ];
        view! { <TabList tabs selected label=Signal::derive(|| "Sections".to_string()) /> }
    });
    leptos::task::tick().await;
    let tab = |i: u32| root.query_selector_all("[role=tab]").unwrap().item(i).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(tab(0).get_attribute("aria-selected").as_deref(), Some("true"));
    assert_eq!(tab(1).get_attribute("tabindex").as_deref(), Some("-1"));

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowRight");
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    tab(0).dispatch_event(&event).unwrap();
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked(), 1);
    assert_eq!(tab(1).get_attribute("aria-selected").as_deref(), Some("true"));
    assert_eq!(tab(1).get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(document().active_element().unwrap().id(), "tab-1");
}

/// Intl's spaces (no-break, narrow no-break) as plain spaces, so expectations stay readable.
fn plain_spaces(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

#[wasm_bindgen_test]
fn amounts_dates_and_percentages_are_written_the_way_each_language_writes_them() {
    use chrono::NaiveDate;
    use quote_engine::{Currency, Money};
    use reservation_desk::format::{format_date, format_money, format_percent};
    use rust_decimal_macros::dec;
    let usd = |amount| Money::new(amount, Currency::new("USD").unwrap());
    let limit = usd(dec!(50000));
    let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
    let cases = [
        (Locale::en, "$50,000.00", "Mar 7, 2026", "87%"),
        (Locale::de, "50.000,00 $", "07.03.2026", "87 %"),
        (Locale::sv, "50 000,00 US$", "7 mars 2026", "87 %"),
        (Locale::nl, "US$ 50.000,00", "7 mrt 2026", "87%"),
        (Locale::zh_CN, "US$50,000.00", "2026年3月7日", "87%"),
    ];
    for (locale, money, day, percent) in cases {
        assert_eq!(plain_spaces(&format_money(&limit, locale)), money, "{locale:?}");
        assert_eq!(plain_spaces(&format_date(date, locale)), day, "{locale:?}");
        assert_eq!(plain_spaces(&format_percent(dec!(87.4), locale)), percent, "{locale:?}");
    }
}

#[wasm_bindgen_test]
fn counts_times_and_plural_forms_are_the_languages_own() {
    use reservation_desk::format::{format_count, format_time, plural, Plural};
    let cases = [
        (Locale::en, "26,280", "Aug 7, 2026, 2:03 PM UTC"),
        (Locale::de, "26.280", "7. Aug. 2026, 14:03 UTC"),
        (Locale::sv, "26 280", "7 aug. 2026 14:03 UTC"),
        (Locale::nl, "26.280", "7 aug 2026, 14:03 UTC"),
        (Locale::zh_CN, "26,280", "2026年8月7日 UTC 14:03"),
    ];
    for (locale, hours, time) in cases {
        assert_eq!(plain_spaces(&format_count(26_280, locale)), hours, "{locale:?}");
        assert_eq!(plain_spaces(&format_time("2026-08-07T14:03:59Z", locale)), time, "{locale:?}");
        // Chinese has one form for every count; the others one for exactly 1.
        let one = if locale == Locale::zh_CN { Plural::Other } else { Plural::One };
        assert_eq!((plural(1, locale), plural(0, locale), plural(2, locale), plural(21, locale)), (one, Plural::Other, Plural::Other, Plural::Other), "{locale:?}");
    }
    // Exact beyond a float's integers; midnight is a time like any other; not a time: as it is.
    assert_eq!(format_count(9_007_199_254_740_993, Locale::en), "9,007,199,254,740,993");
    assert_eq!(plain_spaces(&format_time("2026-08-07T00:00:00Z", Locale::en)), "Aug 7, 2026, 12:00 AM UTC");
    for text in ["", "2026-08-07", "yesterday", "Aug 7"] {
        assert_eq!(format_time(text, Locale::en), text);
    }
}

#[wasm_bindgen_test]
async fn every_product_family_savings_plan_and_audit_action_has_a_name_in_each_language() {
    use contract::AuditAction;
    use quote_engine::{ReservedResourceType, COMPUTE_SAVINGS_PLAN, DATABASE_SAVINGS_PLAN};
    use reservation_desk::components::labels::{audit_action_text, family_text, savings_plan_text};
    use std::sync::{Arc, Mutex};
    let root = test_root();
    let names: Arc<Mutex<Vec<(Locale, String, String)>>> = Arc::default();
    let unknown: Arc<Mutex<Vec<String>>> = Arc::default();
    let (locale, set_locale) = signal(Locale::en);
    let (collected, collected_unknown) = (names.clone(), unknown.clone());
    let _app = mount(&root, move || {
        let i18n = use_i18n();
        Effect::new(move || {
            let locale = locale.get();
            i18n.set_locale(locale);
            let mut names = collected.lock().unwrap();
            for family in ReservedResourceType::KNOWN {
                names.push((locale, (*family).to_owned(), family_text(i18n, family)));
            }
            for sku in [COMPUTE_SAVINGS_PLAN, DATABASE_SAVINGS_PLAN] {
                names.push((locale, sku.to_owned(), savings_plan_text(i18n, sku)));
            }
            for action in AuditAction::ALL {
                names.push((locale, action.code().to_owned(), audit_action_text(i18n, action.code())));
            }
            // A family Azure adds later, or a newer desk's action: Azure's name, not nothing.
            let mut unknown = collected_unknown.lock().unwrap();
            unknown.push(family_text(i18n, "QuantumComputers"));
            unknown.push(audit_action_text(i18n, "teleportReservation"));
        });
    });
    for next in [Locale::de, Locale::sv, Locale::nl, Locale::zh_CN] {
        leptos::task::tick().await;
        set_locale.set(next);
    }
    leptos::task::tick().await;
    let names = names.lock().unwrap();
    let per_locale = ReservedResourceType::KNOWN.len() + 2 + AuditAction::ALL.len();
    for locale in [Locale::en, Locale::de, Locale::sv, Locale::nl, Locale::zh_CN] {
        let own: Vec<_> = names.iter().filter(|(l, ..)| *l == locale).collect();
        assert!(own.len() >= per_locale, "{locale:?}: {} names", own.len());
        for (_, code, name) in own {
            assert!(!name.is_empty() && name != code, "{locale:?}: {code} is shown as {name:?}");
        }
    }
    let de = |code: &str| names.iter().find(|(l, c, _)| *l == Locale::de && c == code).map(|(.., n)| n.clone());
    assert_eq!(de("VirtualMachines").as_deref(), Some("Virtuelle Computer"));
    assert_eq!(de("Compute_Savings_Plan").as_deref(), Some("Sparplan für Compute"));
    let unknown = unknown.lock().unwrap();
    assert!(unknown.len() >= 10 && unknown.chunks(2).all(|pair| pair == ["QuantumComputers", "teleportReservation"]), "{unknown:?}");
}

#[wasm_bindgen_test]
async fn a_support_request_says_its_status_and_creation_time_in_the_users_language() {
    use reservation_desk::components::support_request_list::SupportRequestList;
    let request: contract::SupportRequest = serde_json::from_value(serde_json::json!({
        "id": "sr-1", "customerId": "c1", "issueType": "Billing", "problemType": "Reservations", "category": "Refund",
        "summary": "Refund question", "details": "Why?", "reservationId": "r1", "reservationOrderId": "o1",
        "contact": { "preferredContactMethod": "Email", "name": "Ann", "email": "ann@example.com", "language": "de", "timeZone": "UTC" },
        "status": "Open", "createdTime": "2026-08-07T14:03:00Z"
    }))
    .unwrap();
    let root = test_root();
    let _app = mount(&root, move || {
        let i18n = use_i18n();
        Effect::new(move || i18n.set_locale(Locale::de));
        view! { <SupportRequestList requests=vec![request.clone()] /> }
    });
    leptos::task::tick().await;
    leptos::task::tick().await;
    let row = plain_spaces(&root.query_selector("tbody tr").unwrap().unwrap().text_content().unwrap());
    assert!(row.contains("Offen") && row.contains("7. Aug. 2026, 14:03 UTC"), "{row}");
    assert!(!row.contains("2026-08-07"), "{row}");
}

#[wasm_bindgen_test]
async fn a_request_sent_to_microsoft_names_its_ticket_and_says_inline_when_azure_could_not_be_read() {
    use reservation_desk::components::azure_ticket::AzureTicket;
    use reservation_desk::components::support_request_list::SupportRequestList;
    let request: contract::SupportRequest = serde_json::from_value(serde_json::json!({
        "id": "2611270000000001", "customerId": "c1", "issueType": "Billing", "problemType": "Reservation management", "category": "Exchanges and refunds",
        "summary": "Refund question", "details": "Why?", "reservationId": "r1", "reservationOrderId": "o1",
        "contact": { "preferredContactMethod": "Email", "name": "Ann Lee", "email": "ann@example.com", "language": "de-de", "timeZone": "UTC", "country": "DEU" },
        "status": "Open", "createdTime": "2026-08-07T14:03:00Z",
        "azureTicket": { "name": "t-1", "subscriptionId": "sub-1", "number": "119120321001170", "status": "Open", "service": "Billing",
            "problemClassification": "Reservation Management / Exchanges and Refunds", "readAt": "2026-08-07T14:05:00Z",
            "readError": "AuthorizationFailed (HTTP 403): no" }
    }))
    .unwrap();
    let root = test_root();
    let (listed, shown) = (request.clone(), request.clone());
    let _app = mount(&root, move || {
        let i18n = use_i18n();
        Effect::new(move || i18n.set_locale(Locale::de));
        view! { <SupportRequestList requests=vec![listed.clone()] /> <AzureTicket request=shown.clone() /> }
    });
    leptos::task::tick().await;
    leptos::task::tick().await;
    let text = plain_spaces(&root.text_content().unwrap());
    assert!(text.contains("Microsoft-Ticket") && text.contains("119120321001170"), "the list names the ticket: {text}");
    assert!(text.contains("Status bei Microsoft") && text.contains("sub-1"), "{text}");
    let alert = root.query_selector("[role=alert]").unwrap().expect("why Azure could not be read, inline").text_content().unwrap();
    assert!(alert.contains("Azure konnte gerade nicht gelesen werden") && alert.contains("AuthorizationFailed"), "{alert}");
    let link = root.query_selector("tbody a").unwrap().expect("the request's page").get_attribute("href").unwrap();
    assert!(link.ends_with("/customers/c1/support/2611270000000001"), "{link}");
}

#[wasm_bindgen_test]
fn amounts_stay_exact_beyond_a_floats_precision_and_round_half_even() {
    use quote_engine::{Currency, Money};
    use reservation_desk::format::format_money;
    use rust_decimal_macros::dec;
    let usd = |amount| Money::new(amount, Currency::new("USD").unwrap());
    // 19 significant digits: through an f64 the last ones would change.
    assert_eq!(format_money(&usd(dec!(12345678901234567.89)), Locale::en), "$12,345,678,901,234,567.89");
    assert_eq!(format_money(&usd(dec!(0.125)), Locale::en), "$0.12");
    assert_eq!(format_money(&usd(dec!(0.135)), Locale::en), "$0.14");
    assert_eq!(format_money(&usd(dec!(-1500.25)), Locale::de).replace('\u{a0}', " "), "-1.500,25 $");
    assert_eq!(format_money(&usd(dec!(-0.001)), Locale::en), "$0.00");
    let yen = Money::new(dec!(125000), Currency::new("JPY").unwrap());
    assert_eq!(format_money(&yen, Locale::en), "¥125,000");
}

#[wasm_bindgen_test]
async fn the_limit_meter_reads_in_each_language_with_its_amounts_and_dates() {
    use chrono::NaiveDate;
    use contract::{RefundLedgerEntry, RefundLimit};
    use quote_engine::{Currency, Money};
    use reservation_desk::components::limit_meter::LimitMeter;
    use rust_decimal_macros::dec;
    let usd = |a| Money::new(a, Currency::new("USD").unwrap());
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let limit = RefundLimit {
        as_of: day,
        limit: usd(dec!(50000)),
        consumed: usd(dec!(46500)),
        headroom: usd(dec!(3500)),
        entries: vec![RefundLedgerEntry {
            date: day,
            amount: usd(dec!(11500)),
            reservation_id: "r".into(),
            reservation_order_id: "o".into(),
            released_on: day + chrono::Days::new(365),
            counts: true,
        }],
        azure: None,
    };
    let expectations = [
        (Locale::en, "Refund limit used in the last 365 days", "$46,500.00 of $50,000.00 used, $3,500.00 left", "$11,500.00 is released on Nov 2, 2027"),
        (Locale::de, "In den letzten 365 Tagen genutztes Rückerstattungslimit", "46.500,00 $ von 50.000,00 $ genutzt, 3.500,00 $ verfügbar", "11.500,00 $ wird am 02.11.2027 frei"),
        (Locale::sv, "Återbetalningsgräns använd de senaste 365 dagarna", "46 500,00 US$ av 50 000,00 US$ använt, 3 500,00 US$ kvar", "11 500,00 US$ frigörs den 2 nov. 2027"),
        (Locale::nl, "Restitutielimiet gebruikt in de afgelopen 365 dagen", "US$ 46.500,00 van US$ 50.000,00 gebruikt, US$ 3.500,00 over", "US$ 11.500,00 komt vrij op 2 nov 2027"),
        (Locale::zh_CN, "过去 365 天已使用的退款限额", "已使用 US$46,500.00（共 US$50,000.00），剩余 US$3,500.00", "US$11,500.00 将于 2027年11月2日 释放"),
    ];
    for (locale, label, value, release) in expectations {
        let root = test_root();
        let limit = limit.clone();
        let _app = mount(&root, move || {
            let i18n = use_i18n();
            Effect::new(move || i18n.set_locale(locale));
            view! { <LimitMeter limit /> }
        });
        // The locale change reaches the views on the next turns of the scheduler.
        leptos::task::tick().await;
        leptos::task::tick().await;
        let text = plain_spaces(&root.text_content().unwrap());
        for expected in [label, value, release] {
            assert!(text.contains(expected), "{locale:?}: expected {expected:?} in {text:?}");
        }
    }
}

#[wasm_bindgen_test]
async fn a_long_reservation_list_renders_a_page_at_a_time() {
    use chrono::NaiveDate;
    use contract::{Reservation, UtilizationAggregates};
    use reservation_desk::components::reservation_table::{ReservationTable, PAGE_SIZE};
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let reservations: Vec<Reservation> = (0..250)
        .map(|i| {
            let mut r = shared_reservation(&format!("r{i}"), day, UtilizationAggregates::zero());
            r.reservation_order_id = format!("o{i}");
            r.display_name = format!("Reservation {i:03}");
            r
        })
        .collect();
    let root = test_root();
    let _app = mount(&root, move || view! { <ReservationTable customer_id="c".to_owned() reservations today=day /> });
    leptos::task::tick().await;
    let rows = || root.query_selector_all("tbody tr").unwrap().length() as usize;
    assert_eq!(rows(), PAGE_SIZE);
    let status = root.query_selector(".table-more [role=status]").unwrap().unwrap().text_content().unwrap();
    assert_eq!(status, format!("Showing {PAGE_SIZE} of 250"));
    let more = || root.query_selector(".table-more button").unwrap();
    let button: web_sys::HtmlElement = more().unwrap().unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Show 100 more");
    button.click();
    leptos::task::tick().await;
    assert_eq!(rows(), 2 * PAGE_SIZE);
    let button: web_sys::HtmlElement = more().unwrap().unchecked_into();
    assert_eq!(button.text_content().unwrap(), "Show 50 more");
    button.click();
    leptos::task::tick().await;
    assert_eq!(rows(), 250);
    assert!(more().is_none(), "everything is shown");
    // A new filter starts again from the first page.
    let status = root.query_selector(".filters select").unwrap().unwrap();
    js_sys::Reflect::set(&status, &"value".into(), &"Succeeded".into()).unwrap();
    status.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(rows(), PAGE_SIZE);
}

#[wasm_bindgen_test]
async fn the_source_status_lists_unread_reservations_and_the_ids_for_microsoft_support() {
    use contract::source::{AzureRequestIds, SourceError, SourceStatus, UnreadReservation};
    use reservation_desk::components::source_status::SourceStatusView;
    let order = "/providers/microsoft.capacity/reservationOrders/o-1/reservations";
    let status = SourceStatus {
        customer_id: "contoso".into(),
        tenant_id: "t-contoso".into(),
        read_at: Some("2026-11-25T10:00:00Z".into()),
        error: Some(SourceError {
            code: "AuthorizationFailed".into(),
            message: "The client has no authorization to list reservations.".into(),
            status: Some(403),
            at: "2026-11-25T10:05:00Z".into(),
            request: AzureRequestIds {
                client_request_id: Some("c0ffee00-0000-4000-8000-000000000001".into()),
                request_id: Some("a1b2c3d4-0000-4000-8000-000000000002".into()),
                correlation_id: Some("e5f6a7b8-0000-4000-8000-000000000003".into()),
            },
        }),
        stale: true,
        unread: vec![
            UnreadReservation {
                id: format!("{order}/r-1"),
                display_name: Some("vm one".into()),
                code: "TermUnknown".into(),
                message: "Azure gave no term, here or on its reservation order.".into(),
            },
            UnreadReservation {
                id: format!("{order}/r-2"),
                display_name: None,
                code: "SomethingNew".into(),
                message: "Azure said something new.".into(),
            },
        ],
        change_refused: None,
        directory: None,
    };
    let root = test_root();
    let _app = mount(&root, move || view! { <SourceStatusView answer=Signal::stored(Some(Ok::<_, ApiError>(status))) /> });
    leptos::task::tick().await;

    let text = root.text_content().unwrap();
    assert!(text.contains("The last read from Azure failed: The client has no authorization to list reservations. (AuthorizationFailed)."), "{text}");
    let support = root.query_selector(".support-ids").unwrap().expect("the IDs for Microsoft support").text_content().unwrap();
    assert_eq!(
        support,
        "For Microsoft support: request ID a1b2c3d4-0000-4000-8000-000000000002, correlation ID e5f6a7b8-0000-4000-8000-000000000003, \
         client request ID c0ffee00-0000-4000-8000-000000000001"
    );
    let codes = root.query_selector_all("code").unwrap();
    let codes: Vec<String> = (0..codes.length()).map(|i| codes.item(i).unwrap().text_content().unwrap()).collect();
    for id in ["a1b2c3d4-0000-4000-8000-000000000002", "e5f6a7b8-0000-4000-8000-000000000003", "c0ffee00-0000-4000-8000-000000000001"] {
        assert!(codes.iter().any(|c| c == id), "{id} in a <code> of {codes:?}");
    }

    assert!(text.contains("2 reservations Azure listed could not be read; the others are shown."), "{text}");
    let items = root.query_selector_all(".unread ul > li").unwrap();
    assert_eq!(items.length(), 2);
    let item = |i: u32| -> Vec<String> {
        let li: web_sys::Element = items.item(i).unwrap().unchecked_into();
        let parts = li.children();
        (0..parts.length()).map(|j| parts.item(j).unwrap().text_content().unwrap()).collect()
    };
    assert_eq!(item(0), ["vm one".to_owned(), format!("{order}/r-1"), "Azure gave no term the desk knows, on the reservation or its order.".into()]);
    // Without a name, the ID's last segment; a code this build does not know, in Azure's words.
    assert_eq!(item(1), ["r-2".to_owned(), format!("{order}/r-2"), "Azure said something new. (SomethingNew)".into()]);
    let li: web_sys::Element = items.item(0).unwrap().unchecked_into();
    assert_eq!(li.query_selector("code").unwrap().unwrap().text_content().unwrap(), format!("{order}/r-1"));
    assert!(root.query_selector("[role=alert]").unwrap().is_none(), "the page has its one alert elsewhere");
}

/// What Microsoft Graph told of tenant `i`'s directory, by its number.
fn directory(i: usize) -> Option<contract::source::DirectoryAccess> {
    use contract::source::{DirectoryAccess, DirectoryState as D, SourceError};
    let refusal = |code: &str, message: &str, status| SourceError {
        code: code.into(),
        message: message.into(),
        status: Some(status),
        at: "2026-11-25T07:00:00Z".into(),
        request: Default::default(),
    };
    let (state, error) = match i % 5 {
        0 => (D::Answered, None),
        1 => (D::NotConsented, Some(refusal("AADSTS65001", "The user or administrator has not consented to use the application.", 400))),
        2 => (D::NotAllowed, Some(refusal("Authorization_RequestDenied", "Insufficient privileges to complete the operation.", 403))),
        3 => (D::Granted, None),
        _ => return None,
    };
    Some(DirectoryAccess { state, at: "2026-11-25T07:00:00Z".into(), error })
}

/// A thousand tenants, each of one kind by its number: (state, failure, remedy, code).
fn readiness_rows(n: usize) -> Vec<contract::source::CustomerReadiness> {
    use contract::source::{CustomerReadiness, FailureClass as F, ReadinessState as S, Remedy as R};
    (0..n)
        .map(|i| {
            let (state, failure, remedy, code, link) = match i % 5 {
                0 => (S::Ready, None, None, None, None),
                1 => (S::NotRead, Some(F::ConsentMissing), Some(R::ConsentApp), Some("invalid_grant"), Some("https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent")),
                2 => (S::NotRead, Some(F::NoAzureRole), Some(R::GrantAdminAgentRole), Some("AuthorizationFailed"), Some("https://learn.microsoft.com/partner-center/gdap-introduction")),
                3 => (S::NotRead, Some(F::Other), Some(R::SeeAzureMessage), Some("InvalidResourceType"), None),
                _ => (S::ReadNotQuotable, None, Some(R::ReviewReservations), None, None),
            };
            CustomerReadiness {
                customer_id: format!("c{i:04}"),
                name: format!("Company {i:04}"),
                domain: format!("c{i:04}.onmicrosoft.com"),
                tenant_id: Some(format!("tenant-{i:04}")),
                state,
                failure,
                remedy,
                remedy_link: link.map(str::to_owned),
                code: code.map(str::to_owned),
                message: code.map(|_| "The resource type could not be found.".to_owned()),
                status: code.map(|_| 400),
                reservations: (i % 3) as u32,
                unread: u32::from(i % 5 == 4),
                unpriced: 0,
                read_at: (i % 5 != 2).then(|| "2026-11-26T08:00:00Z".to_owned()),
                failed_at: None,
                // Every tenth ends within 30 days without extending itself; the fifth of each ten extends itself.
                gdap: (i % 5 == 0).then(|| contract::source::GdapSummary {
                    id: format!("rel-{i:04}"),
                    name: format!("Relationship {i:04}"),
                    status: "active".into(),
                    end_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 3),
                    auto_extends: i % 10 == 5,
                    reaches_azure: true,
                }),
                gdap_error: None,
                warning: (i % 10 == 0).then_some(contract::source::ReadinessWarning::GdapEndsSoon),
                // Microsoft Graph: answered on the ready, not consented where the read wants consent
                // too, refused on the third, consented but not asked on the fourth, unknown on the fifth.
                directory: directory(i),
                needs_consent: i % 5 == 1,
            }
        })
        .collect()
}

#[wasm_bindgen_test]
async fn readiness_table_of_a_thousand_tenants_counts_filters_searches_sorts_and_names_each_remedy() {
    use reservation_desk::components::readiness_table::ReadinessTable;
    let root = test_root();
    let rows = readiness_rows(1000);
    let started = js_sys::Date::now();
    let _app = mount(&root, move || view! { <ReadinessTable rows /> });
    leptos::task::tick().await;
    let rendered_in = js_sys::Date::now() - started;
    let body_rows = || root.query_selector_all("tbody tr").unwrap().length();
    let names = || {
        let cells = root.query_selector_all("tbody th a").unwrap();
        (0..cells.length()).map(|i| cells.item(i).unwrap().text_content().unwrap()).collect::<Vec<_>>()
    };
    let text = |selector: &str| root.query_selector(selector).unwrap().unwrap().text_content().unwrap();
    let click = |selector: &str, index: u32| {
        let all = root.query_selector_all(selector).unwrap();
        all.item(index).unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    };

    // The counts of the whole table, a page of a hundred rows, what needs doing first.
    let counts = root.query_selector_all(".readiness-counts button").unwrap();
    let count_texts: Vec<String> = (0..counts.length()).map(|i| counts.item(i).unwrap().text_content().unwrap()).collect();
    assert_eq!(count_texts, ["600 Not read", "200 Read, not quotable", "0 Never tried", "200 Ready"]);
    assert_eq!(body_rows(), 100, "a page at a time");
    assert_eq!(text(".readiness-shown"), "Showing 100 of 1,000.");
    assert_eq!(names()[0], "Company 0001", "not read first, then by name");
    // Said, not asserted: a time depends on what else the machine runs (the speed targets are the
    // benchmarks', docs/performance.md).
    web_sys::console::log_1(&format!("readiness table: 1,000 tenants, the first page rendered in {rendered_in} ms").into());

    // Each failure's remedy in plain words, with Microsoft's guide where it has one.
    let first = root.query_selector("tbody tr").unwrap().unwrap();
    let first_text = first.text_content().unwrap();
    assert!(first_text.contains("App not consented in the tenant") && first_text.contains("Consent the desk's API app"), "{first_text}");
    let link = first.query_selector("a[target=_blank]").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"));
    assert_eq!(link.text_content().as_deref(), Some("Microsoft's guide"));
    assert_eq!(first.query_selector("td").unwrap().unwrap().get_attribute("data-label").as_deref(), Some("State"), "labelled for a phone's width");
    // Microsoft Graph not consented: the warning, what fixes it and Graph's own words as text.
    let directory = first.query_selector("td:last-child").unwrap().unwrap();
    assert_eq!(directory.get_attribute("data-label").as_deref(), Some("Directory (Microsoft Graph)"));
    assert_eq!(directory.query_selector(".badge.pending").unwrap().unwrap().text_content().as_deref(), Some("Not consented"));
    let directory_text = directory.text_content().unwrap();
    assert!(directory_text.contains("Nov 25, 2026"), "the day Graph said it: {directory_text}");
    assert!(directory_text.contains("Renew the consent"), "{directory_text}");
    assert!(
        directory_text.contains("AADSTS65001: The user or administrator has not consented to use the application. (HTTP 400)"),
        "{directory_text}"
    );

    // Show more adds a page.
    let more: web_sys::HtmlElement = root.query_selector("button.secondary").unwrap().unwrap().unchecked_into();
    assert_eq!(more.text_content().as_deref(), Some("Show 100 more"));
    more.click();
    leptos::task::tick().await;
    assert_eq!(body_rows(), 200);

    // A state's count filters by it; the class filter narrows it.
    click(".readiness-counts button", 3);
    leptos::task::tick().await;
    assert_eq!(text(".readiness-shown"), "Showing 100 of 200.", "a new filter starts at the first page");
    assert!(root.query_selector("tbody").unwrap().unwrap().text_content().unwrap().contains("Every reservation can be quoted."));
    click(".readiness-counts button", 3);
    let class: web_sys::HtmlSelectElement = root.query_selector_all(".readiness-toolbar select").unwrap().item(1).unwrap().unchecked_into();
    class.set_value("noAzureRole");
    class.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(text(".readiness-shown"), "Showing 100 of 200.");
    assert!(names().iter().all(|n| n.ends_with('2') || n.ends_with('7')), "every fifth from the third: {:?}", &names()[..3]);

    // The search: a tenant ID, then nothing.
    let search: web_sys::HtmlInputElement = root.query_selector("input[type=search]").unwrap().unwrap().unchecked_into();
    search.set_value("TENANT-0007");
    search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(names(), ["Company 0007"]);
    search.set_value("nobody");
    search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(text(".empty"), "No tenant matches.");

    // Sorting by reservations, most first on the second press.
    search.set_value("");
    search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    class.set_value("");
    class.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    let header = |i: u32| root.query_selector_all("thead th").unwrap().item(i).unwrap().unchecked_into::<web_sys::Element>();
    let button = |i: u32| header(i).query_selector("button").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>();
    button(4).click();
    leptos::task::tick().await;
    button(4).click();
    leptos::task::tick().await;
    assert_eq!(header(4).get_attribute("aria-sort").as_deref(), Some("descending"));
    let reservations = root.query_selector_all("tbody td.num").unwrap().item(0).unwrap().text_content().unwrap();
    assert_eq!(reservations, "2", "the most reservations first");

    // The GDAP relationship: filtered by what it says, sorted with what needs doing first.
    let gdap: web_sys::HtmlSelectElement = root.query_selector_all(".readiness-toolbar select").unwrap().item(2).unwrap().unchecked_into();
    gdap.set_value("endsSoon");
    gdap.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(text(".readiness-shown"), "Showing 100 of 100.");
    let first_text = root.query_selector("tbody tr").unwrap().unwrap().text_content().unwrap();
    assert!(first_text.contains("Ends within 30 days") && first_text.contains("Relationship 0"), "{first_text}");
    assert!(first_text.contains("Extend or renew the GDAP relationship"), "the warning's remedy on a ready tenant: {first_text}");
    gdap.set_value("autoExtends");
    gdap.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(text(".readiness-shown"), "Showing 100 of 100.");
    gdap.set_value("");
    gdap.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(header(8).text_content().as_deref().map(|t| t.trim_end_matches(['▴', '▾'])), Some("GDAP relationship"));
    button(8).click();
    leptos::task::tick().await;
    assert_eq!(names()[0], "Company 0000", "ending soon first");

    // The directory (Microsoft Graph): each state counted in its filter, filtered, and sorted
    // with what needs doing first.
    let directory: web_sys::HtmlSelectElement = root.query_selector_all(".readiness-toolbar select").unwrap().item(3).unwrap().unchecked_into();
    let options = directory.query_selector_all("option").unwrap();
    let option_texts: Vec<String> = (0..options.length()).map(|i| options.item(i).unwrap().text_content().unwrap()).collect();
    assert_eq!(
        option_texts,
        ["All", "Not consented (200)", "Graph refused (200)", "Consented with Graph, not asked yet (200)", "Names found (200)", "Unknown (200)"]
    );
    directory.set_value("notAllowed");
    directory.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(text(".readiness-shown"), "Showing 100 of 200.");
    let first_text = root.query_selector("tbody tr").unwrap().unwrap().text_content().unwrap();
    assert!(
        first_text.contains("Graph refused")
            && first_text.contains("Give the user Directory Readers through GDAP, or renew the consent.")
            && first_text.contains("Authorization_RequestDenied: Insufficient privileges to complete the operation. (HTTP 403)"),
        "{first_text}"
    );
    directory.set_value("unknown");
    directory.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    let unknown = root.query_selector("tbody tr td:last-child .badge").unwrap().unwrap();
    assert_eq!((unknown.text_content().as_deref(), unknown.class_name().as_str()), (Some("Unknown"), "badge muted"));
    directory.set_value("granted");
    directory.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    let granted = root.query_selector("tbody tr td:last-child .badge").unwrap().unwrap();
    assert_eq!((granted.text_content().as_deref(), granted.class_name().as_str()), (Some("Consented with Graph, not asked yet"), "badge neutral"));
    directory.set_value("answered");
    directory.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    let answered = root.query_selector("tbody tr td:last-child .badge").unwrap().unwrap();
    assert_eq!((answered.text_content().as_deref(), answered.class_name().as_str()), (Some("Names found"), "badge ok"));
    directory.set_value("");
    directory.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    assert_eq!(header(9).text_content().as_deref().map(|t| t.trim_end_matches(['▴', '▾'])), Some("Directory (Microsoft Graph)"));
    button(9).click();
    leptos::task::tick().await;
    assert_eq!(header(9).get_attribute("aria-sort").as_deref(), Some("ascending"));
    assert_eq!(names()[0], "Company 0001", "not consented first");
}

#[wasm_bindgen_test]
async fn azure_purchase_check_sets_azures_price_beside_the_desks_and_names_each_difference() {
    use chrono::NaiveDate;
    use contract::{AzurePurchaseCheck, PurchaseDifference, PurchaseFigure};
    use quote_engine::{Currency, Money, PurchaseQuote};
    use reservation_desk::components::azure_purchase_check::AzurePurchaseCheckView;
    use rust_decimal_macros::dec;
    let usd = |a| Money::new(a, Currency::new("USD").unwrap());
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    // The desk's quote of one unit at 1,752.00 paid upfront.
    let quote = PurchaseQuote {
        as_of: day,
        expiry_date: NaiveDate::from_ymd_opt(2027, 11, 26).unwrap(),
        unit_price: usd(dec!(1752.00)),
        commitment: usd(dec!(1752.00)),
        due_today: usd(dec!(1752.00)),
        schedule: Vec::new(),
        savings: None,
        policy_errors: Vec::new(),
        lines: Vec::new(),
    };
    let rows = |root: &web_sys::HtmlElement| {
        let rows = root.query_selector_all("tbody tr").unwrap();
        (0..rows.length()).map(|i| rows.item(i).unwrap().text_content().unwrap()).collect::<Vec<_>>()
    };

    // Azure's commitment is higher; its first payment (written with one decimal) is the desk's.
    let differs = PurchaseDifference { figure: PurchaseFigure::Commitment, desk: usd(dec!(1752.00)), azure: usd(dec!(1800.00)) };
    let check = AzurePurchaseCheck { commitment: usd(dec!(1800.00)), due_today: Some(usd(dec!(1752.0))), differences: vec![differs] };
    let root = test_root();
    let desk = quote.clone();
    let _app = mount(&root, move || view! { <AzurePurchaseCheckView quote=desk check /> });
    leptos::task::tick().await;
    assert_eq!(rows(&root), ["Commitment for the term$1,752.00$1,800.00Differs", "Due today$1,752.00$1,752.00"]);
    let text = root.text_content().unwrap();
    assert!(text.starts_with("Azure's price"), "{text}");
    assert!(text.contains("Partner Center buys the reservation at Azure's price."), "{text}");
    assert!(text.contains("Commitment for the term: the desk says $1,752.00, Azure says $1,800.00."), "{text}");

    // Azure's schedule gives no first payment: the commitment alone, and they agree.
    let agreeing = AzurePurchaseCheck { commitment: usd(dec!(1752.00)), due_today: None, differences: Vec::new() };
    let root = test_root();
    let _app = mount(&root, move || view! { <AzurePurchaseCheckView quote check=agreeing /> });
    leptos::task::tick().await;
    assert_eq!(rows(&root), ["Commitment for the term$1,752.00$1,752.00"]);
    assert!(root.text_content().unwrap().contains("The desk and Azure agree."));
}

/// Utilization Azure did not report reads as not reported in each language, never as 0 %; the
/// "Optimize for utilization" button has nothing to work from without a 7-day figure and says so.
#[wasm_bindgen_test]
async fn utilization_not_reported_is_said_in_each_language_never_zero() {
    use chrono::NaiveDate;
    use contract::UtilizationAggregates;
    use reservation_desk::components::optimize_utilization::OptimizeForUtilization;
    use reservation_desk::components::reservation_table::ReservationTable;
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let reservation = |id: &str, utilization| shared_reservation(id, day, utilization);
    let cases = [
        (Locale::en, "Not reported", "Azure did not report the 7-day utilization"),
        (Locale::de, "Nicht gemeldet", "Azure hat die Auslastung über 7 Tage nicht gemeldet"),
        (Locale::sv, "Inte rapporterad", "Azure rapporterade inte användningen för 7 dagar"),
        (Locale::nl, "Niet gerapporteerd", "Azure heeft het gebruik over 7 dagen niet gerapporteerd"),
        (Locale::zh_CN, "未报告", "Azure 未报告 7 天使用率"),
    ];
    for (locale, not_reported, optimize) in cases {
        let reservations = vec![reservation("a-unreported", UtilizationAggregates::not_reported()), reservation("b-unused", UtilizationAggregates::zero())];
        let root = test_root();
        let _app = mount(&root, move || {
            let i18n = use_i18n();
            Effect::new(move || i18n.set_locale(locale));
            view! {
                <ReservationTable customer_id="c".to_owned() reservations today=day />
                <OptimizeForUtilization quantity=3 utilization_7=None propose=Callback::new(|_: u32| ()) />
            }
        });
        leptos::task::tick().await;
        leptos::task::tick().await;
        let cells: Vec<String> = (0..2)
            .map(|i| {
                let row = root.query_selector_all("tbody tr").unwrap().item(i).unwrap();
                let cells = row.unchecked_into::<web_sys::Element>().query_selector_all("td.num").unwrap();
                plain_spaces(&cells.item(cells.length() - 1).unwrap().text_content().unwrap())
            })
            .collect();
        assert_eq!(cells[0], not_reported, "{locale:?}: {cells:?}");
        assert!(cells[1].starts_with('0'), "{locale:?}: a reported 0 is 0: {cells:?}");
        let button: web_sys::HtmlButtonElement = root.query_selector("#optimize-utilization").unwrap().unwrap().unchecked_into();
        assert!(button.disabled(), "{locale:?}");
        let hint = root.query_selector("#optimize-hint").unwrap().unwrap().text_content().unwrap();
        assert!(hint.starts_with(optimize), "{locale:?}: {hint}");
        root.remove();
    }
}

/// A one-unit, one-year upfront reservation of customer `c` bought on `day`, shared scope.
fn shared_reservation(id: &str, day: chrono::NaiveDate, utilization: contract::UtilizationAggregates) -> contract::Reservation {
    use contract::{AppliedScopeType, ProvisioningState};
    use quote_engine::{BillingPlan, Currency, Money, Term};
    contract::Reservation {
        id: id.into(),
        reservation_order_id: "o".into(),
        customer_id: "c".into(),
        display_name: id.into(),
        sku_name: "Standard_D2s_v5".into(),
        location: "westeurope".into(),
        reserved_resource_type: "VirtualMachines".into(),
        quantity: 1,
        term: Term::P1Y,
        billing_plan: BillingPlan::Upfront,
        purchase_date: day,
        expiry_date: day + chrono::Days::new(365),
        unit_price: Money::new(rust_decimal::Decimal::ONE_HUNDRED, Currency::new("USD").unwrap()),
        pricing_unit_price: None,
        applied_scope_type: AppliedScopeType::Shared,
        applied_scope_properties: None,
        provisioning_state: ProvisioningState::Succeeded,
        renew: false,
        utilization,
        archived: false,
        split_properties: None,
        merge_properties: None,
        price_unknown: None,
        today_price: None,
    }
}

/// A refusal says who refused: Partner Center's refusal of a purchase reads as Partner Center's
/// (its code and description, from the server's detail), never as Azure's, in each language.
#[wasm_bindgen_test]
async fn a_partner_center_refusal_is_said_as_partner_centers_in_each_language() {
    use contract::{Problem, ProblemCode};
    use reservation_desk::components::problem_text::problem_text;
    let problem = Problem {
        kind: "about:blank".into(),
        title: "Conflict".into(),
        status: 409,
        detail: "Partner Center refused the purchase: 800010 (HTTP 400): Inventory is not available for this catalog item".into(),
        code: ProblemCode::UpstreamRefused,
        field: None,
    };
    let root = test_root();
    let (locale, set_locale) = signal(Locale::en);
    let _app = mount(&root, move || {
        let i18n = use_i18n();
        Effect::new(move || i18n.set_locale(locale.get()));
        view! { <p role="alert">{move || { locale.track(); problem_text(i18n, &problem) }}</p> }
    });
    leptos::task::tick().await;
    let said = || root.text_content().unwrap();
    for (to, nothing_recorded) in [(Locale::en, "nothing was recorded"), (Locale::de, "nichts wurde erfasst"), (Locale::sv, "inget registrerades"), (Locale::nl, "niets vastgelegd"), (Locale::zh_CN, "未记录任何内容")] {
        set_locale.set(to);
        leptos::task::tick().await;
        let text = said();
        assert!(text.contains(nothing_recorded), "{to:?}: {text}");
        assert!(text.contains("Partner Center refused the purchase: 800010") && text.contains("Inventory is not available"), "{to:?}: {text}");
        assert!(!text.starts_with("Azure"), "not Azure's refusal: {to:?}: {text}");
    }
}
