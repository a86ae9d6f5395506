//! Browser tests of the reservation panels: the whole app mounted at a panel's URL, answered by
//! the in-browser backend (this test build has no API base), signed in as the Admin agent.
//! Each test renders one panel and drives its main interaction through the DOM.

use crate::support;

use reservation_desk::format::format_percent;
use reservation_desk::i18n::Locale;
use reservation_desk::in_browser::{handle, reset};
use serde_json::Value;
use support::{wait_for, wait_until, Mounted, CONTOSO};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;


/// One of Contoso's active reservations, from the in-browser backend freshly seeded (another
/// test may have split or merged it).
fn active_reservation() -> Value {
    reset();
    let list = handle(Some("demo-admin-agent"), "GET", &format!("/customers/{CONTOSO}/reservations"), &[], None).unwrap();
    list.as_array().unwrap().iter().find(|r| r["provisioningState"] == "Succeeded").cloned().unwrap()
}

/// The app, mounted at `panel` of `reservation`, with fresh demo data. Unmounted on drop.
struct Panel {
    app: Mounted,
}

impl Panel {
    async fn open(reservation: &Value, panel: &str) -> Self {
        reset();
        Self::open_on_current_data(reservation, panel).await
    }

    /// As [`Self::open`], on the data the backend holds now (what a test changed through it).
    async fn open_on_current_data(reservation: &Value, panel: &str) -> Self {
        let path = format!("/customers/{CONTOSO}/reservations/{}/{panel}", reservation["id"].as_str().unwrap());
        Self { app: Mounted::at(&path) }
    }

    /// As [`Self::open`], for a reservation of any customer.
    async fn open_of_customer(reservation: &Value, panel: &str) -> Self {
        reset();
        let (customer, id) = (reservation["customerId"].as_str().unwrap(), reservation["id"].as_str().unwrap());
        Self { app: Mounted::at(&format!("/customers/{customer}/reservations/{id}/{panel}")) }
    }

    /// The routed panel's own element (`.panel`), without the page frame around it (the
    /// reservation's name, SKU and state, the Actions bar and the panel tabs are always shown,
    /// whichever panel is open, so they prove nothing about the panel).
    fn panel(&self) -> Option<web_sys::Element> {
        self.app.root.query_selector(".panel").unwrap()
    }

    /// Waits until `selector` matches inside the panel, and returns the first match.
    async fn find(&self, selector: &str) -> web_sys::HtmlElement {
        let found = wait_for(&format!("{selector:?} in the panel"), || self.panel().and_then(|p| p.query_selector(selector).unwrap())).await;
        found.unchecked_into()
    }

    /// Waits until the panel's own text contains `text`.
    async fn wait_for_text(&self, text: &str) {
        wait_until(&format!("{text:?} in the panel's text"), || self.text().contains(text)).await;
    }

    /// The panel's own text (empty until it is rendered).
    fn text(&self) -> String {
        self.panel().and_then(|p| p.text_content()).unwrap_or_default()
    }

    /// The texts of the `<dd>`s described by `<dt>`s inside the panel, as (term, description).
    fn definitions(&self) -> Vec<(String, String)> {
        let Some(panel) = self.panel() else { return Vec::new() };
        let terms = panel.query_selector_all("dt").unwrap();
        (0..terms.length())
            .map(|i| {
                let dt: web_sys::Element = terms.item(i).unwrap().unchecked_into();
                let dd = dt.next_element_sibling().expect("a <dd> after each <dt>");
                (dt.text_content().unwrap().trim().to_owned(), dd.text_content().unwrap().trim().to_owned())
            })
            .collect()
    }

    /// The description of `term` inside the panel.
    fn definition(&self, term: &str) -> String {
        let all = self.definitions();
        all.iter().find(|(t, _)| t == term).map(|(_, d)| d.clone()).unwrap_or_else(|| panic!("no {term:?} in {all:?}"))
    }

    /// Types `value` into the input matched by `selector`, as a user would.
    async fn type_into(&self, selector: &str, value: &str) {
        let input: web_sys::HtmlInputElement = self.find(selector).await.unchecked_into();
        input.set_value(value);
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        leptos::task::tick().await;
    }

    /// Clicks the button whose text is `label` inside the panel.
    async fn click_button(&self, label: &str) {
        let button = wait_for(&format!("a button {label:?} in the panel"), || button_in(&self.panel()?, "button", label)).await;
        button.click();
        leptos::task::tick().await;
    }
}

/// The first element `selector` matches in `scope` whose text is `label`.
fn button_in(scope: &web_sys::Element, selector: &str, label: &str) -> Option<web_sys::HtmlElement> {
    let buttons = scope.query_selector_all(selector).unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .map(|b| b.unchecked_into())
}

#[wasm_bindgen_test]
async fn overview_shows_the_key_figures_and_a_described_utilization_chart() {
    let r = active_reservation();
    let panel = Panel::open(&r, "").await;
    let chart = panel.find("svg[role=img]").await;
    assert_eq!(chart.get_attribute("aria-labelledby").unwrap(), "utilization-chart-title utilization-chart-desc");
    let description = panel.find("#utilization-chart-desc").await.text_content().unwrap();
    assert!(description.starts_with("Daily utilization from"), "{description}");
    // The panel's own heading and key figures, each next to its label, as the backend has them.
    assert_eq!(panel.find("h2").await.text_content().unwrap(), "Overview");
    let text = |key: &str| r[key].as_str().unwrap().to_owned();
    assert_eq!(panel.definition("Display name"), text("displayName"));
    assert_eq!(panel.definition("SKU"), text("skuName"));
    assert_eq!(panel.definition("Quantity"), r["quantity"].to_string());
    assert_eq!(panel.definition("Provisioning state"), "Active");
    let percent = |key: &str| format_percent(r["utilization"][key].as_str().unwrap().parse().unwrap(), Locale::en);
    assert_eq!(panel.definition("Last day"), percent("last1Day"));
    assert_eq!(panel.definition("Last 7 days"), percent("last7Days"));
    assert_eq!(panel.definition("Last 30 days"), percent("last30Days"));
}

#[wasm_bindgen_test]
async fn properties_show_both_ids_with_a_copy_button_each() {
    let r = active_reservation();
    let panel = Panel::open(&r, "properties").await;
    panel.wait_for_text(r["reservationOrderId"].as_str().unwrap()).await;
    assert_eq!(panel.find("h2").await.text_content().unwrap(), "Properties");
    let ids: Vec<String> = {
        let codes = panel.panel().unwrap().query_selector_all("dd.id code").unwrap();
        (0..codes.length()).map(|i| codes.item(i).unwrap().text_content().unwrap()).collect()
    };
    assert_eq!(ids, [r["id"].as_str().unwrap(), r["reservationOrderId"].as_str().unwrap()]);
    assert!(panel.definition("Reservation ID").starts_with(r["id"].as_str().unwrap()));
    assert!(panel.definition("Reservation order ID").starts_with(r["reservationOrderId"].as_str().unwrap()));
    // The region by the name the portal gives it, its API code beside it.
    let code = r["location"].as_str().unwrap();
    assert_ne!(desk_service::region::display_name(code), code, "a known region");
    assert_eq!(panel.definition("Region"), format!("{} {code}", desk_service::region::display_name(code)));
    let labels: Vec<String> = {
        let buttons = panel.panel().unwrap().query_selector_all("button[aria-label^='Copy']").unwrap();
        (0..buttons.length()).map(|i| buttons.item(i).unwrap().unchecked_into::<web_sys::Element>().get_attribute("aria-label").unwrap()).collect()
    };
    assert_eq!(labels, ["Copy Reservation ID to the clipboard", "Copy Reservation order ID to the clipboard"]);
}

#[wasm_bindgen_test]
async fn configuration_explains_a_bad_name_and_saves_a_good_one() {
    let r = active_reservation();
    let panel = Panel::open(&r, "configuration").await;
    // Checked as it is typed, by the backend's own rule: no Save needed to be told.
    panel.type_into("#display-name", "web\ttier").await;
    panel.wait_for_text("The display name must be one line of plain text, without tabs, line breaks or other control characters.").await;
    panel.type_into("#display-name", "   ").await;
    panel.click_button("Save").await;
    panel.wait_for_text("The display name must be 1 to 64 characters.").await;
    panel.type_into("#display-name", "contoso-web").await;
    panel.click_button("Save").await;
    panel.wait_for_text("Saved.").await;
    let order = r["reservationOrderId"].as_str().unwrap();
    let id = r["id"].as_str().unwrap();
    let stored = handle(Some("demo-admin-agent"), "GET", &format!("/reservationOrders/{order}/reservations/{id}"), &[], None).unwrap();
    assert_eq!(stored["displayName"], "contoso-web");
}

#[wasm_bindgen_test]
async fn access_control_refuses_a_bare_name_and_adds_a_reader() {
    let r = active_reservation();
    let panel = Panel::open(&r, "access-control").await;
    panel.find("table tbody tr").await;
    let rows = || panel.panel().unwrap().query_selector_all("table tbody tr").unwrap().length();
    let before = rows();
    panel.type_into("form.add-assignment input[type=text]", "ada").await;
    panel.click_button("Add").await;
    panel.wait_for_text("Name a user by their sign-in address").await;
    panel.type_into("form.add-assignment input[type=text]", "ada@contoso.com").await;
    panel.click_button("Add").await;
    panel.wait_for_text("ada@contoso.com").await;
    assert_eq!(rows(), before + 1);
}

#[wasm_bindgen_test]
async fn the_support_wizard_asks_for_what_is_missing_before_the_next_step() {
    let r = active_reservation();
    let panel = Panel::open(&r, "support").await;
    panel.find("#summary").await;
    panel.click_button("Next").await;
    panel.wait_for_text("Enter a summary.").await;
    panel.type_into("#summary", "Refund one unit").await;
    panel.click_button("Next").await;
    // Step 2 (Problem): the IDs support asks for are filled in.
    panel.wait_for_text(r["reservationOrderId"].as_str().unwrap()).await;
    panel.click_button("Next").await;
    panel.wait_for_text("Enter the details of the problem.").await;
}

#[wasm_bindgen_test]
async fn exchange_quotes_live_next_to_the_plain_refund() {
    let r = active_reservation();
    let panel = Panel::open(&r, "exchange").await;
    panel.wait_for_text("A plain refund of the same units would give").await;
    panel.type_into("#purchase-0", "10").await;
    panel.wait_for_text("covers the remaining one").await;
    // The purchase line explains itself with its figures (quantity, commitment, plan).
    let details: Vec<String> = {
        let cells = panel.panel().unwrap().query_selector_all(".line-detail").unwrap();
        (0..cells.length()).map(|i| cells.item(i).unwrap().text_content().unwrap()).collect()
    };
    assert!(details.iter().any(|d| d.starts_with("10 × ") && d.contains("commitment")), "{details:?}");
}

#[wasm_bindgen_test]
async fn an_exchange_quote_states_its_refusal_once() {
    let r = active_reservation();
    let panel = Panel::open(&r, "exchange").await;
    panel.wait_for_text("A plain refund of the same units would give").await;
    // One unit bought for one returned does not cover the remaining commitment: refused.
    panel.type_into("#purchase-0", "1").await;
    panel.wait_for_text("is below the remaining one").await;
    let text = panel.text();
    assert_eq!(text.matches("is below the remaining one").count(), 1, "said once, with its figures: {text}");
    assert!(!text.contains("must be worth at least the remaining commitment"), "not said a second time in other words: {text}");
    let refusals = panel.panel().unwrap().query_selector_all(".policy-errors li").unwrap().length();
    assert_eq!(refusals, 1);
}

/// One of Contoso's active reservations of two or more units, freshly seeded.
fn splittable_reservation() -> Value {
    reset();
    let list = handle(Some("demo-admin-agent"), "GET", &format!("/customers/{CONTOSO}/reservations"), &[], None).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && r["quantity"].as_u64().unwrap() >= 2)
        .cloned()
        .expect("a reservation of two or more units")
}

/// `r` as the in-browser backend has it now.
fn stored(r: &Value) -> Value {
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    handle(Some("demo-admin-agent"), "GET", &format!("/reservationOrders/{order}/reservations/{id}"), &[], None).unwrap()
}

/// Splits `r` into one unit and the rest through the backend: the source, then the parts.
fn split_through_backend(r: &Value) -> Value {
    let order = r["reservationOrderId"].as_str().unwrap();
    let body = serde_json::json!({ "reservationId": r["id"], "quantities": [1, r["quantity"].as_u64().unwrap() - 1] });
    handle(Some("demo-admin-agent"), "POST", &format!("/reservationOrders/{order}/split"), &[], Some(&body.to_string())).unwrap()
}

#[wasm_bindgen_test]
async fn split_explains_quantities_that_do_not_add_up_and_splits_ones_that_do() {
    let r = splittable_reservation();
    let total = r["quantity"].as_u64().unwrap();
    let panel = Panel::open(&r, "split-merge").await;
    panel.type_into("#split-second", &(total + 1).to_string()).await;
    let first: web_sys::HtmlInputElement = panel.find("#split-first").await.unchecked_into();
    assert_eq!(first.get_attribute("aria-invalid").as_deref(), Some("true"), "1 + {} is not {total}", total + 1);
    assert_eq!(panel.find("#split-hint").await.class_name(), "field-error");
    // Typing the first quantity fills in the rest.
    panel.type_into("#split-first", "1").await;
    let second: web_sys::HtmlInputElement = panel.find("#split-second").await.unchecked_into();
    assert_eq!(second.value(), (total - 1).to_string());
    assert_eq!(first.get_attribute("aria-invalid").as_deref(), Some("false"));
    panel.click_button("Split").await;
    panel.wait_for_text("Split into two reservations.").await;
    let source = stored(&r);
    assert_eq!(source["provisioningState"], "Split");
    let parts = source["splitProperties"]["splitDestinations"].as_array().unwrap();
    assert_eq!(parts.len(), 2, "{source}");
    // The success names both parts, each a link to it.
    panel.find("ul.made a").await;
    let links = panel.panel().unwrap().query_selector_all("ul.made a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .map(|i| links.item(i).unwrap().unchecked_into::<web_sys::Element>().get_attribute("href").unwrap())
        .collect();
    assert_eq!(hrefs.len(), 2);
    for (href, id) in hrefs.iter().zip(parts) {
        assert!(href.ends_with(id.as_str().unwrap()), "{href} links to {id}");
    }
}

#[wasm_bindgen_test]
async fn properties_link_a_split_reservation_to_its_parts() {
    let split = split_through_backend(&splittable_reservation());
    let panel = Panel::open_on_current_data(&split[0], "properties").await;
    panel.wait_for_text("Split into").await;
    let parts = panel.definition("Split into");
    assert!(parts.contains(split[1]["id"].as_str().unwrap()) && parts.contains(split[2]["id"].as_str().unwrap()), "{parts}");
}

#[wasm_bindgen_test]
async fn merge_offers_the_alike_reservations_of_the_order_and_merges_the_ticked_one() {
    reset();
    let split = split_through_backend(&splittable_reservation());
    let (first, second) = (split[1].clone(), split[2].clone());
    let panel = Panel::open_on_current_data(&first, "split-merge").await;
    panel.wait_for_text(second["displayName"].as_str().unwrap()).await;
    let tick: web_sys::HtmlInputElement = panel.find(".merge input[type=checkbox]").await.unchecked_into();
    tick.set_checked(true);
    tick.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
    panel.click_button("Merge").await;
    panel.wait_for_text("Merged into one reservation.").await;
    for part in [&first, &second] {
        assert_eq!(stored(part)["provisioningState"], "Merged");
    }
}

#[wasm_bindgen_test]
async fn history_lists_each_change_newest_first() {
    reset();
    let r = active_reservation();
    let (order, id) = (r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let rename = serde_json::json!({ "displayName": "renamed-for-history" }).to_string();
    handle(Some("demo-admin-agent"), "PATCH", &format!("/reservationOrders/{order}/reservations/{id}"), &[], Some(&rename)).unwrap();
    let panel = Panel::open_on_current_data(&r, "history").await;
    panel.wait_for_text("Configuration change").await;
    let rows = panel.panel().unwrap().query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let newest = rows.item(0).unwrap().text_content().unwrap();
    assert!(newest.starts_with('2') && newest.contains("Configuration change"), "{newest}");
    assert!(rows.item(1).unwrap().text_content().unwrap().contains("Before the first change"));
}

#[wasm_bindgen_test]
async fn a_finished_reservation_is_archived_and_unarchived_from_its_actions() {
    reset();
    let split = split_through_backend(&splittable_reservation());
    let source = split[0].clone();
    let panel = Panel::open_on_current_data(&source, "").await;
    let archive = |label: &'static str| {
        let root = panel.app.root.clone();
        async move {
            let button = wait_for(&format!("a {label:?} button in the actions bar"), || button_in(&root, ".actions button", label)).await;
            button.click();
        }
    };
    archive("Archive").await;
    wait_until("the reservation stored as archived", || stored(&source)["archived"] == true).await;
    archive("Unarchive").await;
    wait_until("the reservation stored as not archived", || stored(&source).get("archived").is_none()).await;
    assert_eq!(stored(&source).get("archived"), None, "unarchived");
}

/// `path` of the in-browser backend as `T`, as the Admin agent.
fn get_as<T: serde::de::DeserializeOwned>(path: &str) -> T {
    serde_json::from_value(handle(Some("demo-admin-agent"), "GET", path, &[], None).unwrap()).unwrap()
}

/// The texts of the elements matched by `selector` inside the panel.
fn texts_of(panel: &Panel, selector: &str) -> Vec<String> {
    let found = panel.panel().unwrap().query_selector_all(selector).unwrap();
    (0..found.length()).map(|i| found.item(i).unwrap().text_content().unwrap().trim().to_owned()).collect()
}

#[wasm_bindgen_test]
async fn overview_compares_keep_refund_and_exchange_with_the_portfolio_figures() {
    use desk_service::portfolio::{compare_options, RefundLimitStatus};
    use reservation_desk::format::{format_count, format_date, format_money};
    let r = active_reservation();
    let reservations: Vec<contract::Reservation> = get_as(&format!("/customers/{CONTOSO}/reservations"));
    let limit: contract::RefundLimit = get_as(&format!("/customers/{CONTOSO}/refundLimit"));
    let today = reservation_desk::clock::today();
    let expected = compare_options(&reservations, &limit, r["id"].as_str().unwrap(), today, desk_service::refund::DEFAULT_POLICY)
        .expect("an active reservation compares");
    let panel = Panel::open(&r, "").await;
    panel.find(".compare-options").await;
    let money = |m: quote_engine::Money| format_money(&m, Locale::en);
    // Three options side by side, in this order; one of them marked as recommended.
    let headings = texts_of(&panel, ".compare-options h4");
    assert_eq!(headings.len(), 3, "{headings:?}");
    for (heading, name) in headings.iter().zip(["Keep", "Refund today", "Exchange"]) {
        assert!(heading.starts_with(name), "{heading:?}");
    }
    assert_eq!(headings.iter().filter(|h| h.ends_with("Recommended")).count(), 1, "{headings:?}");
    assert_eq!(texts_of(&panel, ".compare-options .recommended").len(), 1);
    // Keep: what is still consumed and billed, and what goes unused at the current use.
    let keep = &expected.keep;
    assert_eq!(
        panel.definition("Remaining commitment"),
        format!(
            "{}consumed over the {} {} left, until {}",
            money(keep.remaining_commitment),
            format_count(keep.days_left, Locale::en),
            if keep.days_left == 1 { "day" } else { "days" },
            format_date(keep.expiry_date, Locale::en)
        )
    );
    assert!(panel.definition("Still to be billed").starts_with(&money(keep.future_payments)));
    let unused = format!("Unused if use stays at {} (30 days)", format_percent(keep.utilization_30.expect("the demo reports its utilization"), Locale::en));
    assert_eq!(panel.definition(&unused), money(keep.unused_at_current_use.expect("a projection on a reported use")));
    // Refund today: the engine's amount and fee, what it counts, and what the limit says.
    assert!(panel.definition("Refund amount").starts_with(&money(expected.refund.amount)));
    assert_eq!(panel.definition("Early termination fee"), money(expected.refund.early_termination_fee));
    assert_eq!(
        panel.definition("Counts toward the refund limit"),
        format!("{}{} left in the limit", money(expected.refund.counted), money(limit.headroom))
    );
    let status = match expected.refund.limit {
        RefundLimitStatus::Fits { headroom_after } => format!("Fits the refund limit; {} left after it.", money(headroom_after)),
        RefundLimitStatus::Capped { forfeited } => format!("Capped by the refund limit: {} is forfeited.", money(forfeited)),
        RefundLimitStatus::Refused { until: Some(date) } => format!("Blocked by the refund limit until {}.", format_date(date, Locale::en)),
        RefundLimitStatus::Refused { until: None } => "Blocked by the refund limit for the rest of the term.".to_owned(),
    };
    assert!(texts_of(&panel, ".compare-options .limit-status").contains(&status), "{status:?} in {:?}", panel.text());
    // Exchange: the credit and the least the new purchase may commit to.
    assert_eq!(panel.definition("Exchange credit"), money(expected.exchange.credit));
    assert_eq!(panel.definition("New purchase's commitment, at least"), money(expected.exchange.minimum_new_commitment));
    let action = expected.recommendation.action.as_str();
    assert!(panel.text().contains(&format!("Recommended: {action}.")), "{}", panel.text());
}

#[wasm_bindgen_test]
async fn overview_of_an_inactive_reservation_says_why_there_is_nothing_to_compare() {
    reset();
    let split = split_through_backend(&splittable_reservation());
    let panel = Panel::open_on_current_data(&split[0], "").await;
    panel.wait_for_text("Nothing to compare: this reservation is split.").await;
    assert!(panel.panel().unwrap().query_selector(".compare-options").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn optimize_for_utilization_fills_the_quantity_the_rule_gives() {
    use desk_service::exchange::optimized_return_quantity;
    use rust_decimal::Decimal;
    reset();
    // A reservation whose proposal differs from the form's default of one unit, so the fill shows.
    let list: Vec<Value> = get_as(&format!("/customers/{CONTOSO}/reservations"));
    let proposal = |r: &Value| {
        let stored = stored(r);
        let quantity = stored["quantity"].as_u64().unwrap() as u32;
        let u7: Decimal = stored["utilization"]["last7Days"].as_str().unwrap().parse().unwrap();
        (quantity, u7, optimized_return_quantity(quantity, u7))
    };
    let r = list
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && proposal(r).2 > 1)
        .cloned()
        .expect("an active reservation with more than one unit to return");
    let (quantity, u7, expected) = proposal(&r);
    let panel = Panel::open(&r, "exchange").await;
    let input: web_sys::HtmlInputElement = panel.find("#exchange-return").await.unchecked_into();
    assert_eq!(input.value(), "1");
    panel.click_button("Optimize for utilization").await;
    let status = format!("7-day utilization {}: return {expected} of {quantity}.", format_percent(u7, Locale::en));
    panel.wait_for_text(&status).await;
    assert_eq!(input.value(), expected.to_string());
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    // The live quote follows the proposed quantity.
    panel.wait_for_text("A plain refund of the same units would give").await;
}

/// Sets the `<select>` matched by `selector` in the panel to `value`, as a user would.
async fn choose(panel: &Panel, selector: &str, value: &str) {
    let select = panel.find(selector).await;
    js_sys::Reflect::set(&select, &"value".into(), &value.into()).unwrap();
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    leptos::task::tick().await;
}

/// The Refund panel starts at the deployment's policy (this build's:
/// azure-current), which the address does not name. Another policy is a what-if: the panel
/// says so, and once reviewed its Submit is disabled with the reason next to it. Back on the
/// deployment's policy, a review can be submitted.
#[wasm_bindgen_test]
async fn refund_starts_at_the_deployments_policy_and_a_reviewed_what_if_cannot_be_submitted() {
    let r = active_reservation();
    let panel = Panel::open(&r, "refund").await;
    let policy = panel.find("#refund-policy").await;
    assert_eq!(js_sys::Reflect::get(&policy, &"value".into()).unwrap().as_string().as_deref(), Some("azure-current"));
    let search = || leptos::prelude::window().location().search().unwrap();
    wait_until("the quantity in the address", || search().contains("quantity=1")).await;
    assert!(!search().contains("policy="), "{}", search());
    assert!(!panel.text().contains("What-if"), "{}", panel.text());

    choose(&panel, "#refund-policy", "partner-center-2020").await;
    panel.wait_for_text("What-if: this deployment refunds under “Current Azure policy").await;
    wait_until("the what-if in the address", || search().contains("policy=partner-center-2020")).await;
    panel.click_button("Review").await;
    panel.wait_for_text("cannot be submitted. Choose “Current Azure policy").await;
    let submit = wait_for("Submit refund", || button_in(&panel.panel()?, "button", "Submit refund")).await;
    assert!(submit.has_attribute("disabled"), "a what-if is not submitted");
    assert_eq!(submit.get_attribute("aria-describedby").as_deref(), Some("what-if-reason"));

    choose(&panel, "#refund-policy", "azure-current").await;
    wait_until("the what-if said no more", || !panel.text().contains("What-if")).await;
    wait_until("the address without a policy", || !search().contains("policy=")).await;
    panel.click_button("Review").await;
    let submit = wait_for("an enabled Submit refund", || {
        button_in(&panel.panel()?, "button", "Submit refund").filter(|b| !b.has_attribute("disabled"))
    })
    .await;
    assert_eq!(submit.get_attribute("aria-describedby"), None);
}

/// Fabrikam's active 1-year reservation of `Standard_F16s_v2` (an Fsv2 size; 1-year Fsv2
/// reservations can be neither bought nor renewed from 1 July 2026), renewal off, freshly seeded.
fn retired_series_reservation() -> Value {
    reset();
    let list = handle(Some("demo-admin-agent"), "GET", &format!("/customers/{}/reservations", support::FABRIKAM), &[], None).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["provisioningState"] == "Succeeded" && r["skuName"] == "Standard_F16s_v2" && r["term"] == "P1Y" && r["renew"] == false)
        .cloned()
        .expect("the seed gives Fabrikam an active 1-year Standard_F16s_v2 reservation without renewal")
}

/// On a retired VM series × term the renewal switch is disabled and says why
/// (the SKU, its series, the term and the date).
#[wasm_bindgen_test]
async fn configuration_disables_renewal_of_a_retired_vm_series_with_the_reason() {
    let r = retired_series_reservation();
    let panel = Panel::open_of_customer(&r, "configuration").await;
    panel
        .wait_for_text("Automatic renewal is not available: Standard_F16s_v2 is a Fsv2 size, and 1 year reservations of the Fsv2 series cannot be renewed from Jul 1, 2026.")
        .await;
    let switch: web_sys::HtmlInputElement = panel.find("input[type=checkbox]").await.unchecked_into();
    assert!(switch.disabled(), "the renewal switch cannot be turned on");
    assert_eq!(switch.get_attribute("aria-describedby").as_deref(), Some("renew-retired"));
}

/// The Exchange panel's SKU picker names a SKU's retired terms; that term
/// cannot be picked, and a line holding it says why.
#[wasm_bindgen_test]
async fn exchange_picker_marks_a_retired_vm_series_term_and_says_why_it_cannot_be_bought() {
    let r = retired_series_reservation();
    let panel = Panel::open_of_customer(&r, "exchange").await;
    let sku = panel.find(".purchase-line select").await;
    let options = sku.query_selector_all("option").unwrap();
    let labels: Vec<String> = (0..options.length()).filter_map(|i| options.item(i)).map(|o| o.text_content().unwrap_or_default()).collect();
    assert!(labels.contains(&"Standard_F16s_v2 · West Europe (1 year retired from Jul 1, 2026)".to_owned()), "{labels:?}");
    assert!(labels.contains(&"Standard_D2s_v5 · West Europe".to_owned()), "{labels:?}");
    choose(&panel, ".purchase-line select", "Standard_F16s_v2/westeurope").await;
    let term_option = |term: &str| panel.panel().and_then(|p| p.query_selector(&format!(".purchase-line option[value={term}]")).unwrap());
    wait_until("the 1-year term disabled", || term_option("P1Y").is_some_and(|o| o.has_attribute("disabled"))).await;
    assert!(!term_option("P3Y").unwrap().has_attribute("disabled"), "3 years of Fsv2 can be bought");
    choose(&panel, ".purchase-line label:nth-of-type(2) select", "P1Y").await;
    panel.wait_for_text("Standard_F16s_v2 is a Fsv2 size: 1 year reservations of the Fsv2 series cannot be bought from Jul 1, 2026.").await;
}

/// The savings plan trade-in: **Trade in for a savings plan** shows the engine's least hourly commitment
/// (what the desk's own quote says for these returns), takes it with **Use the minimum**, and a
/// cent less is refused in words.
#[wasm_bindgen_test]
async fn exchange_trades_in_for_a_savings_plan_at_the_desks_minimum() {
    let r = active_reservation();
    assert_eq!(r["reservedResourceType"], "VirtualMachines");
    let panel = Panel::open(&r, "exchange").await;
    panel.find("#buy-savings-plan").await.click();
    leptos::task::tick().await;
    panel.wait_for_text("Minimum: ").await;
    // The desk's quote of the same trade-in (1 unit back, 3 years upfront, Shared), a cent an hour.
    let body = serde_json::json!({
        "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
        "reservationsToPurchase": [],
        "savingsPlansToPurchase": [{
            "skuName": "Compute_Savings_Plan", "term": "P3Y", "billingPlan": "Upfront",
            "hourlyCommitment": { "amount": "0.01", "currencyCode": r["unitPrice"]["currencyCode"] },
            "appliedScopeType": "Shared"
        }]
    });
    let probe = handle(Some("demo-admin-agent"), "POST", "/calculateExchange", &[], Some(&body.to_string())).unwrap();
    let minimum = probe["quote"]["savingsPlans"][0]["minimumHourlyCommitment"]["amount"].as_str().unwrap().to_owned();
    panel.click_button("Use the minimum").await;
    let input: web_sys::HtmlInputElement = panel.find("#plan-hourly").await.unchecked_into();
    assert_eq!(input.value(), minimum);
    panel.wait_for_text("covers the remaining one").await;
    let less = rust_decimal::Decimal::from_str_exact(&minimum).unwrap() - rust_decimal::Decimal::new(1, 2);
    panel.type_into("#plan-hourly", &less.to_string()).await;
    panel.wait_for_text("is below the remaining commitment returned").await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
}

/// Types `text` into the input `selector` one character at a time, as a keyboard does, and
/// checks after each key that the field holds exactly what was typed so far (the app never
/// writes a parsed value back into it).
async fn type_keys(panel: &Panel, selector: &str, text: &str) -> web_sys::HtmlInputElement {
    let input: web_sys::HtmlInputElement = panel.find(selector).await.unchecked_into();
    input.set_value("");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    leptos::task::tick().await;
    let mut typed = String::new();
    for key in text.chars() {
        typed.push(key);
        input.set_value(&typed);
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        leptos::task::tick().await;
        assert_eq!(input.value(), typed, "{selector} after typing {typed:?}");
    }
    input
}

/// The verdict shown beside the field `id`, when there is one.
fn verdict(panel: &Panel, id: &str) -> Option<String> {
    let element = panel.panel()?.query_selector(&format!("#{id}-verdict")).unwrap()?;
    element.text_content()
}

/// Whether the Exchange panel's Review button is disabled.
fn review_disabled(panel: &Panel) -> bool {
    let button: web_sys::HtmlButtonElement = panel.panel().unwrap().query_selector(".actions button").unwrap().unwrap().unchecked_into();
    button.disabled()
}

/// The trade-in's commitment keeps what is typed (`0.25` stays 0.25, not 250), says beside the
/// field why a value cannot be used, and Review waits for a usable one.
#[wasm_bindgen_test]
async fn the_commitment_keeps_what_is_typed_and_says_why_not() {
    let r = active_reservation();
    let panel = Panel::open(&r, "exchange").await;
    panel.find("#buy-savings-plan").await.click();
    leptos::task::tick().await;
    panel.wait_for_text("Minimum: ").await;
    for kept in ["0.25", "1.50", "12.5"] {
        let input = type_keys(&panel, "#plan-hourly", kept).await;
        assert_eq!(verdict(&panel, "plan-hourly"), None, "{kept}");
        wait_until(&format!("Review enabled with {kept}"), || !review_disabled(&panel)).await;
        assert_eq!(input.get_attribute("inputmode").as_deref(), Some("decimal"));
        assert_eq!(input.type_(), "text");
    }
    for (refused, why) in [
        ("-5", "A negative number is not possible here."),
        ("1e3", "Write the number out in full, without an exponent (e)."),
        ("0.001", "Enter at most 2 decimals."),
        ("abc", "Enter digits only, with one decimal separator at most (no letters or spaces)."),
        ("0", "Enter more than zero."),
    ] {
        let input = type_keys(&panel, "#plan-hourly", refused).await;
        assert_eq!(verdict(&panel, "plan-hourly").as_deref(), Some(why), "{refused}");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"), "{refused}");
        let described = input.get_attribute("aria-describedby").unwrap_or_default();
        assert!(described.split(' ').any(|id| id == "plan-hourly-verdict"), "{refused}: {described}");
        wait_until(&format!("Review disabled with {refused}"), || review_disabled(&panel)).await;
    }
}

/// Quantities are whole numbers: `1.5`, `-5` and `1e3` are kept as typed, refused beside the
/// field in words, and Review stays disabled.
#[wasm_bindgen_test]
async fn a_quantity_keeps_what_is_typed_and_refuses_what_is_not_whole() {
    let r = active_reservation();
    let panel = Panel::open(&r, "exchange").await;
    panel.find("#exchange-return").await;
    for (refused, why) in [
        ("1.5", "Enter a whole number, without decimals."),
        ("-5", "A negative number is not possible here."),
        ("1e3", "Write the number out in full, without an exponent (e)."),
    ] {
        let input = type_keys(&panel, "#exchange-return", refused).await;
        assert_eq!(verdict(&panel, "exchange-return").as_deref(), Some(why), "{refused}");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
        wait_until(&format!("Review disabled with {refused}"), || review_disabled(&panel)).await;
    }
    let input = type_keys(&panel, "#exchange-return", "1").await;
    assert_eq!(verdict(&panel, "exchange-return"), None);
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    wait_until("Review enabled with 1", || !review_disabled(&panel)).await;
}

/// In German the commitment is typed with a comma: `0,25` is kept and is a commitment of 0,25.
#[wasm_bindgen_test]
async fn a_german_commitment_takes_the_comma() {
    let r = active_reservation();
    reset();
    let path = format!("/customers/{CONTOSO}/reservations/{}/exchange?lang=de", r["id"].as_str().unwrap());
    let panel = Panel { app: Mounted::at(&path) };
    panel.find("#buy-savings-plan").await.click();
    leptos::task::tick().await;
    panel.wait_for_text("Mindestens ").await;
    type_keys(&panel, "#plan-hourly", "0,25").await;
    assert_eq!(verdict(&panel, "plan-hourly"), None);
    wait_until("Review enabled with 0,25", || !review_disabled(&panel)).await;
    type_keys(&panel, "#plan-hourly", "0,001").await;
    assert_eq!(verdict(&panel, "plan-hourly").as_deref(), Some("Geben Sie höchstens 2 Dezimalstellen ein."));
    wait_until("Review disabled with 0,001", || review_disabled(&panel)).await;
    drop(panel);
    // The language shown is kept in a cookie: the next test starts in English again.
    reservation_desk::language::save(Locale::en);
}

/// On a German page the in-browser backend's History writes a refund from its figures: in
/// German, the refund as German money, none of the English words of the desk's line; the
/// purchase row says what was bought (not that nothing changed since).
#[wasm_bindgen_test]
async fn history_writes_a_refund_in_the_pages_language_from_its_figures() {
    use reservation_desk::format::format_money;
    let r = active_reservation();
    let order = r["reservationOrderId"].as_str().unwrap();
    let calc = serde_json::json!({ "reservationId": r["id"], "quantity": 1 }).to_string();
    let session = handle(Some("demo-admin-agent"), "POST", &format!("/reservationOrders/{order}/calculateRefund"), &[], Some(&calc)).unwrap();
    let body = serde_json::json!({ "sessionId": session["sessionId"], "returnReason": "Over-bought" }).to_string();
    handle(Some("demo-admin-agent"), "POST", &format!("/reservationOrders/{order}/return"), &[], Some(&body)).unwrap();
    let refund: quote_engine::Money = serde_json::from_value(session["quote"]["refundAmount"].clone()).unwrap();
    let path = format!("/customers/{CONTOSO}/reservations/{}/history?lang=de", r["id"].as_str().unwrap());
    let panel = Panel { app: Mounted::at(&path) };
    panel.wait_for_text("Rückerstattung").await;
    let rows = panel.panel().unwrap().query_selector_all("tbody tr").unwrap();
    let text = |i: u32| rows.item(i).unwrap().text_content().unwrap();
    let (newest, bought) = (text(0), text(rows.length() - 1));
    let quantity = r["quantity"].as_u64().unwrap();
    assert!(newest.contains(&format!("1 Einheit zurückgegeben (Menge {quantity} → {})", quantity - 1)), "{newest}");
    assert!(newest.contains(&format_money(&refund, Locale::de)), "the refund as German money: {newest}");
    for english in ["returned", "quantity", "refund", "session"] {
        assert!(!newest.to_lowercase().contains(english), "{english:?} in {newest}");
    }
    assert!(bought.contains(&format!("Gekauft: {quantity} × {}", r["skuName"].as_str().unwrap())), "{bought}");
    drop(panel);
    // The language shown is kept in a cookie: the next test starts in English again.
    reservation_desk::language::save(Locale::en);
}
