//! Browser tests of the Worklist page: the whole app mounted at `/worklist`, answered by the
//! in-browser backend (this test build has no API base), signed in as the Admin agent. The
//! expected rows and their order are the same backend's `GET /worklist`, so the page is checked
//! against the desk's ranking, not against numbers copied here.

use crate::support;

use contract::{WorkItem, WorkState, Worklist};
use reservation_desk::in_browser::{handle, reset};
use support::{wait_for, wait_until, Mounted};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;


const ROWS: &str = ".worklist-table tbody tr";

fn worklist() -> Worklist {
    serde_json::from_value(handle(Some("demo-admin-agent"), "GET", "/worklist", &[], None).unwrap()).unwrap()
}

/// The row IDs the page shows, in its order.
fn shown_ids(app: &Mounted) -> Vec<String> {
    app.all(ROWS).iter().filter_map(|r| r.get_attribute("data-id")).collect()
}

/// The button named `name` in the row of `id`.
fn button(app: &Mounted, id: &str, name: &str) -> Option<web_sys::HtmlElement> {
    let row = app.all(ROWS).into_iter().find(|r| r.get_attribute("data-id").as_deref() == Some(id))?;
    let buttons = row.query_selector_all("button").unwrap();
    (0..buttons.length())
        .map(|i| buttons.item(i).unwrap().unchecked_into::<web_sys::HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
}

/// Waits until the row of `id` shows the button `name`, enabled (the user is known), and clicks it.
async fn click(app: &Mounted, id: &str, name: &str) {
    let found = wait_for(&format!("{name:?} enabled in row {id}"), || {
        button(app, id, name).filter(|b| !b.has_attribute("disabled"))
    })
    .await;
    found.click();
}

/// Opens the row's Actions (a row's actions fold under that one button) and clicks `name` among them.
async fn choose(app: &Mounted, id: &str, name: &str) {
    open_actions(app, id).await;
    click(app, id, name).await;
}

/// Opens the row's Actions menu.
async fn open_actions(app: &Mounted, id: &str) {
    click(app, id, "Actions").await;
    wait_until("the row's actions", || {
        app.all(ROWS).into_iter().any(|r| r.get_attribute("data-id").as_deref() == Some(id) && r.query_selector(".worklist-menu").unwrap().is_some())
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_worklist_lists_the_demos_open_rows_in_the_desks_order_most_at_stake_first() {
    reset();
    let expected = worklist();
    let open: Vec<&WorkItem> = expected.items.iter().filter(|i| i.state == WorkState::Open).collect();
    assert!(open.len() > 20, "the demo has rows to work: {}", open.len());
    // The desk's order is the ranking: rankUsd never rises down the list.
    let ranks: Vec<_> = open.iter().filter_map(|i| i.rank_usd.map(|m| m.amount)).collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");

    let app = Mounted::at("/worklist");
    wait_until("the worklist's rows", || app.all(ROWS).len() == open.len()).await;
    let ids: Vec<String> = open.iter().map(|i| i.id.clone()).collect();
    assert_eq!(shown_ids(&app), ids);
    // The first row says its reason and money at stake, as the desk gave them.
    let first = &app.all(ROWS)[0];
    let text = first.text_content().unwrap();
    assert!(text.contains(&open[0].customer_name), "{text}");
    assert!(text.contains("Free exchanges end") || text.contains("Renews into no exchange") || text.contains("Under-used"), "{text}");
    let count = app.root.query_selector("#worklist-count").unwrap().unwrap().text_content().unwrap();
    assert_eq!(count, format!("Showing {} of {}", open.len(), open.len()));
}

#[wasm_bindgen_test]
async fn a_row_snoozed_and_a_row_marked_done_leave_the_open_rows_and_stay_so_after_a_reload() {
    reset();
    let before = worklist();
    let snoozed = before.items[0].id.clone();
    let done = before.items[1].id.clone();
    let app = Mounted::at("/worklist");
    wait_until("the worklist's rows", || shown_ids(&app).contains(&done)).await;

    // Snooze the first row: the form opens with a week ahead; submitted, the row leaves the open rows.
    choose(&app, &snoozed, "Snooze").await;
    let input: web_sys::HtmlInputElement = wait_for("the snooze date", || app.root.query_selector("form.worklist-form input[type=date]").unwrap()).await.unchecked_into();
    let week = before.as_of + chrono::Days::new(7);
    assert_eq!(input.value(), week.to_string());
    assert_eq!(input.min(), (before.as_of + chrono::Days::new(1)).to_string());
    // The form's own Snooze (its submit button) sends it.
    click(&app, &snoozed, "Snooze").await;
    wait_until("the snoozed row to leave the open rows", || !shown_ids(&app).contains(&snoozed)).await;

    // Done on the second.
    choose(&app, &done, "Done").await;
    wait_until("the done row to leave the open rows", || !shown_ids(&app).contains(&done)).await;
    drop(app);

    // The backend keeps both; a new page (a reload) shows neither among the open rows, and
    // both under "All" with their state.
    let after = worklist();
    let state = |id: &str| after.items.iter().find(|i| i.id == id).map(|i| (i.state, i.snoozed_until)).unwrap();
    assert_eq!(state(&snoozed), (WorkState::Snoozed, Some(week)));
    assert_eq!(state(&done), (WorkState::Done, None));
    let app = Mounted::at("/worklist");
    wait_until("the open rows again", || app.all(ROWS).len() == before.items.len() - 2).await;
    assert!(!shown_ids(&app).contains(&snoozed) && !shown_ids(&app).contains(&done));
    let select = app.all(".worklist-filters select").into_iter().find(|s| s.query_selector("option[value=all]").unwrap().is_some()).unwrap();
    js_sys::Reflect::set(&select, &"value".into(), &"all".into()).unwrap();
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    wait_until("every row", || app.all(ROWS).len() == before.items.len()).await;
    let row_text = |id: &str| {
        app.all(ROWS).into_iter().find(|r| r.get_attribute("data-id").as_deref() == Some(id)).and_then(|r| r.text_content()).unwrap_or_default()
    };
    assert!(row_text(&snoozed).contains("Snoozed until"), "{}", row_text(&snoozed));
    open_actions(&app, &snoozed).await;
    assert!(button(&app, &snoozed, "Reopen").is_some());
    assert!(row_text(&done).contains("Done"));
    open_actions(&app, &done).await;
    assert!(button(&app, &done, "Reopen").is_some());
    assert!(button(&app, &done, "Done").is_none(), "a done row offers Reopen, not Done");
}
