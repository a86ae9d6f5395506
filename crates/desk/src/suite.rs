//! The behavioural suite of the contract, written once and run against every store:
//! `desk::contract_suite!(open)` in a store's tests expands to one `#[tokio::test]` per case,
//! where `open(seed_day)` is an async fn giving a fresh store seeded on that day.
//!
//! The cases drive the desk as the adapters do ([`Desk::answer`]: method, path, JSON), with a
//! test clock ([`Harness::at`]) and sequential IDs, and assert what a partner would see.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use contract::{PartnerRole, User};
use desk_service::access::{demo_user, DEMO_LIMITED_TOKEN};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::ids::Sequential;
use crate::{Call, Desk};

mod alerts;
mod approvals;
mod change_details;
mod exchange_rights;
mod statements;
mod worklist;
mod input_limits;
mod purchases;
mod quote_rules;
mod refund_price;
mod retired_series;
mod tickets;
mod trade_in;
pub mod upstream_store;
pub use exchange_rights::*;
pub use statements::*;
pub use worklist::*;
pub use approvals::*;
pub use change_details::*;
pub use input_limits::*;
pub use purchases::*;
pub use quote_rules::*;
pub use refund_price::*;
pub use retired_series::*;
pub use tickets::*;
pub use trade_in::*;
pub use alerts::*;

/// The seeded customer close to the refund limit, and one with headroom.
pub use contract::seed::{CONTOSO, FABRIKAM};

/// The day every suite store is seeded on.
pub fn seed_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date")
}

/// Noon of the seed day: the suite's "now" unless a case moves it.
pub fn noon() -> DateTime<Utc> {
    Utc.from_utc_datetime(&seed_day().and_hms_opt(12, 0, 0).expect("a time"))
}

/// An amount of an answer (`{"amount": "…"}` or the string itself), exactly.
pub fn amount(value: &Value) -> Decimal {
    let text = value.get("amount").unwrap_or(value).as_str().expect("an amount is a decimal string");
    Decimal::from_str(text).expect("a decimal")
}

/// A desk over the store under test, called as a given demo user at a given instant.
pub struct Harness<S> {
    /// The desk.
    pub desk: Desk<S, Sequential>,
}

impl<S: crate::DeskStore> Harness<S> {
    /// The desk over `store`.
    pub fn new(store: S) -> Self {
        Self { desk: Desk::new(store, Sequential::default(), contract::Settings::default()) }
    }

    /// `method path` with `body` as `token`'s user at `now`: the status and the JSON answer
    /// (the problem document on failure).
    pub async fn at(&self, now: DateTime<Utc>, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.as_user(now, demo_user(token).expect("a demo token"), method, path, body).await
    }

    /// [`Self::at`] as `user` (e.g. one in security groups).
    pub async fn as_user(&self, now: DateTime<Utc>, user: User, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let call = Call::new(user, now);
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let text = body.map(|b| b.to_string());
        match self.desk.answer(&call, method, path, &pairs, text.as_deref()).await {
            Ok(reply) => (reply.status, reply.body.map_or(Value::Null, |text| serde_json::from_str(&text).expect("an answer is JSON"))),
            Err(e) => (e.status(), serde_json::to_value(e.problem()).expect("a problem is JSON")),
        }
    }

    /// [`Self::at`] as the Global admin at [`noon`].
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.at(noon(), "demo-global-admin", method, path, body).await
    }

    /// A GET that must succeed.
    pub async fn get(&self, path: &str) -> Value {
        let (status, body) = self.call("GET", path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// The customer's active reservations.
    pub async fn active(&self, customer: &str) -> Vec<Value> {
        let list = self.get(&format!("/customers/{customer}/reservations")).await;
        list.as_array().expect("a list").iter().filter(|r| r["provisioningState"] == "Succeeded").cloned().collect()
    }

    /// A `calculateExchange` request: one unit of `r` returned for `bought` units of a catalog SKU
    /// of its family (the catalog's first where it has none), three years upfront, shared scope.
    pub async fn exchange_request(&self, r: &Value, bought: u64) -> Value {
        let catalog = self.get("/catalog").await;
        let sku = catalog.as_array().unwrap().iter().find(|c| c["reservedResourceType"] == r["reservedResourceType"]).unwrap_or(&catalog[0]);
        json!({
            "reservationsToExchange": [{ "reservationId": r["id"], "quantity": 1 }],
            "reservationsToPurchase": [{
                "skuId": sku["skuId"], "term": "P3Y", "billingPlan": "Upfront", "quantity": bought, "appliedScopeType": "Shared"
            }]
        })
    }

    /// `calculateRefund` for `quantity` units of `r` at `now`.
    pub async fn calculate_at(&self, now: DateTime<Utc>, r: &Value, quantity: u64) -> (u16, Value) {
        let path = format!("/reservationOrders/{}/calculateRefund", r["reservationOrderId"].as_str().expect("order"));
        self.at(now, "demo-global-admin", "POST", &path, Some(json!({ "reservationId": r["id"], "quantity": quantity })))
            .await
    }

    /// `return` of a session of `r` at `now`.
    pub async fn submit_at(&self, now: DateTime<Utc>, r: &Value, session: &Value) -> (u16, Value) {
        let path = format!("/reservationOrders/{}/return", r["reservationOrderId"].as_str().expect("order"));
        let body = json!({ "sessionId": session, "returnReason": "No longer needed" });
        self.at(now, "demo-global-admin", "POST", &path, Some(body)).await
    }

    /// USD counted toward `customer`'s limit.
    pub async fn consumed(&self, customer: &str) -> Decimal {
        amount(&self.get(&format!("/customers/{customer}/refundLimit")).await["consumed"])
    }

    /// The newest audit entry of `customer`.
    pub async fn last_audit(&self, customer: &str) -> Value {
        self.get(&format!("/audit?customerId={customer}")).await[0].clone()
    }
}

/// Expands to one test per case of the suite for the store `open(seed_day).await` gives.
#[macro_export]
macro_rules! contract_suite {
    ($open:path) => {
        $crate::contract_suite!(@cases $open;
            each_role_may_do_what_its_permission_allows_and_nothing_more,
            unknown_paths_are_404_and_other_methods_405,
            what_does_not_exist_or_belongs_elsewhere_is_not_found,
            bad_input_is_a_400_that_names_the_field,
            a_return_moves_money_once_and_a_repeat_answers_the_same,
            a_session_expires_after_ten_minutes_and_nothing_moves,
            a_changed_quote_is_refused,
            a_burst_of_returns_never_passes_the_limit,
            an_exchange_buys_once_and_counts_the_new_reservation,
            a_configuration_change_is_saved_and_audited,
            role_assignments_are_added_refused_twice_and_removed,
            the_people_picker_finds_the_demos_people_by_name_or_e_mail_and_the_list_names_them,
            support_requests_are_created_listed_and_found,
            every_audited_write_extends_an_intact_chain,
            the_chain_records_the_ledger_and_role_assignments_name_their_customer,
            a_split_keeps_every_unit_and_price_and_a_merge_puts_them_back,
            only_finished_reservations_are_archived_and_revisions_tell_the_history,
            grants_are_added_refused_when_invalid_or_twice_and_removed_each_audited,
            the_grant_matrix_answers_each_user_only_for_its_granted_customers_in_the_granted_role,
            an_exchange_takes_at_most_100_lines_in_each_list,
            a_refused_exchange_quote_is_refused_again_on_submit,
            a_euro_refund_and_a_dollar_refund_are_held_by_the_same_rule,
            expired_sessions_are_purged_when_a_session_is_saved,
            display_names_are_one_to_64_characters_without_control_characters,
            a_formula_name_reaches_the_portfolio_csv_neutralised,
            an_exchange_line_naming_another_order_is_refused,
            only_the_deployments_refund_policy_moves_money_and_a_what_if_session_is_refused,
            a_deployment_under_the_2020_policy_quotes_and_refunds_with_its_fee,
            a_quote_at_a_lower_current_price_refunds_less_and_says_why,
            a_bad_current_price_or_sku_name_is_a_400_naming_the_field,
            an_exchange_buying_a_retired_vm_series_is_refused_naming_the_sku,
            the_quote_fields_of_the_dated_rules_are_documented,
            an_exchange_cannot_buy_a_retired_vm_series_for_its_term_from_its_date,
            renewal_cannot_be_turned_on_for_a_retired_vm_series_and_term,
            a_trade_in_buys_one_savings_plan_at_the_least_hourly_commitment_and_leaves_the_refund_limit,
            a_trade_in_of_101_reservations_or_a_database_reservation_is_refused,
            a_refund_session_refunds_at_a_lower_current_price_upfront_and_monthly,
            a_current_price_that_is_not_lower_changes_nothing_upfront_and_monthly,
            a_vm_reservation_bought_on_31_january_2027_is_exchangeable_and_one_bought_on_1_february_is_not,
            a_final_exchange_buys_reservations_that_cannot_be_exchanged,
            a_partial_final_exchange_leaves_the_other_units_their_right,
            a_service_outside_the_list_stays_exchangeable_after_the_date,
            database_reservations_bought_on_1_february_2027_cannot_be_exchanged_and_older_ones_keep_a_final_exchange_per_unit,
            a_sql_database_reservation_trades_in_for_a_one_year_database_plan_and_not_for_three_years_nor_a_vm_for_it,
            the_alerts_view_lists_each_customers_alerts_and_subscriptions_are_per_user,
            an_alert_is_claimed_once_per_recipient_and_a_failed_one_is_retried_after_its_backoff,
            without_an_approval_threshold_a_return_moves_money_at_once,
            above_the_threshold_a_return_waits_for_approval_and_moves_nothing,
            only_another_user_with_the_right_to_move_money_approves,
            a_burst_of_approvals_of_one_request_moves_money_once,
            an_approval_racing_the_expiry_moves_money_only_in_time,
            the_limit_is_checked_again_when_a_request_is_approved,
            a_changed_amount_needs_approval_again_with_both_figures,
            a_rejection_with_a_reason_moves_nothing,
            an_exchange_above_the_threshold_waits_and_is_carried_out_once_on_approval,
            an_approval_keeps_what_it_buys_and_a_euro_move_its_usd_figure,
            a_decided_approval_alerts_its_requester_once_and_a_pending_one_does_not,
            a_refund_carries_its_required_ticket_reference_into_the_audit_chain,
            a_ticket_reference_is_optional_unless_the_deployment_requires_one,
            an_exchange_carries_its_ticket_reference_into_the_audit_chain,
            an_approval_request_carries_its_ticket_reference_to_the_refund_it_approves,
            a_purchase_is_quoted_bought_once_listed_and_audited_and_leaves_the_refund_limit,
            a_sales_agent_quotes_a_purchase_and_only_a_money_mover_buys_it,
            a_purchase_above_the_threshold_waits_and_is_bought_once_on_approval,
            a_recommendation_is_quoted_as_its_proposal_and_bought_from_it,
            every_audit_entry_and_history_row_records_its_figures,
            an_approved_refund_names_who_asked_and_who_approved,
            an_exchange_and_a_trade_in_record_what_they_bought,
            a_purchase_records_what_it_bought_in_history_and_the_audit_log,
            the_worklist_lists_every_customers_rows_ranked_and_a_granted_user_only_its_customers,
            a_worklist_row_is_snoozed_or_done_audited_and_leaves_with_its_cause,
            a_refund_is_on_the_months_statement_at_the_markup_in_force_then,
            a_credit_is_capped_by_what_the_customer_was_charged_and_a_closed_month_reads_the_same,
            a_refund_is_matched_to_its_credit_on_microsofts_reconciliation_file,
            an_exchange_is_on_the_statement_as_its_return_and_its_purchase_each_matched,
        );
    };
    (@cases $open:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let store = $open($crate::suite::seed_day()).await;
                $crate::suite::$case($crate::suite::Harness::new(store)).await;
            }
        )*
    };
}

/// Sales may quote but not move money; Helpdesk may change but not quote; everyone reads.
pub async fn each_role_may_do_what_its_permission_allows_and_nothing_more<S: crate::DeskStore>(h: Harness<S>) {
    let reservations = format!("/customers/{FABRIKAM}/reservations");
    let before = h.get(&reservations).await;
    let r = h.active(FABRIKAM).await[0].clone();
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let calc = json!({ "reservationId": r["id"], "quantity": 1 });
    let (status, problem) =
        h.at(noon(), "demo-helpdesk-agent", "POST", &format!("/reservationOrders/{order}/calculateRefund"), Some(calc.clone())).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{problem}");
    let (status, session) =
        h.at(noon(), "demo-sales-agent", "POST", &format!("/reservationOrders/{order}/calculateRefund"), Some(calc)).await;
    assert_eq!(status, 200, "{session}");
    let body = json!({ "sessionId": session["sessionId"], "returnReason": "No longer needed" });
    let (status, problem) = h.at(noon(), "demo-sales-agent", "POST", &format!("/reservationOrders/{order}/return"), Some(body)).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{problem}");
    assert_eq!(h.get(&reservations).await, before, "the refused return moved nothing");
    let (status, _) = h.at(noon(), "demo-user-management-admin", "GET", "/customers", None).await;
    assert_eq!(status, 200);
    let (status, me) = h.at(noon(), "demo-sales-agent", "GET", "/me", None).await;
    assert_eq!((status, me["role"].as_str()), (200, Some("SalesAgent")), "{me}");
}

/// The contract's routing: a path nobody answers, and a known path with another method.
pub async fn unknown_paths_are_404_and_other_methods_405<S: crate::DeskStore>(h: Harness<S>) {
    let (status, problem) = h.call("GET", "/nothing/here", None).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("notFound")), "{problem}");
    let (status, problem) = h.call("DELETE", "/customers", None).await;
    assert_eq!((status, problem["title"].as_str(), problem["code"].as_str()), (405, Some("Method Not Allowed"), Some("methodNotAllowed")), "{problem}");
}

/// 404s: a customer, a reservation under another order, a role assignment of another order.
pub async fn what_does_not_exist_or_belongs_elsewhere_is_not_found<S: crate::DeskStore>(h: Harness<S>) {
    assert_eq!(h.call("GET", "/customers/nobody", None).await.0, 404);
    assert_eq!(h.call("GET", "/customers/nobody/reservations", None).await.0, 404);
    assert_eq!(h.call("GET", "/customers/nobody/refundLimit", None).await.0, 404);
    let contoso = h.active(CONTOSO).await[0].clone();
    let fabrikam = h.active(FABRIKAM).await[0].clone();
    let wrong = format!("/reservationOrders/{}/reservations/{}", contoso["reservationOrderId"].as_str().unwrap(), fabrikam["id"].as_str().unwrap());
    assert_eq!(h.call("GET", &wrong, None).await.0, 404);
    let order = fabrikam["reservationOrderId"].as_str().unwrap();
    let assignments = h.get(&format!("/reservationOrders/{order}/roleAssignments")).await;
    let id = assignments[0]["id"].as_str().unwrap();
    let other = contoso["reservationOrderId"].as_str().unwrap();
    let (status, _) = h.call("DELETE", &format!("/reservationOrders/{other}/roleAssignments/{id}"), None).await;
    assert_eq!(status, 404);
    assert_eq!(h.call("GET", "/reservationOrders/nope/roleAssignments", None).await.0, 404);
    assert_eq!(h.call("GET", "/supportRequests/nope", None).await.0, 404);
}

/// Quantity out of range, a malformed body, a missing reason: each names its field.
pub async fn bad_input_is_a_400_that_names_the_field<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let (status, problem) = h.calculate_at(noon(), &r, 0).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("quantity")), "{problem}");
    assert_eq!(problem["code"], "quantityOutOfRange");
    let order = r["reservationOrderId"].as_str().unwrap();
    let (status, problem) =
        h.call("POST", &format!("/reservationOrders/{order}/calculateRefund"), Some(json!({ "reservationId": r["id"], "quantity": "two" }))).await;
    assert_eq!((status, problem["field"].as_str(), problem["code"].as_str()), (400, Some("quantity"), Some("malformedRequest")), "{problem}");
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    let body = json!({ "sessionId": session["sessionId"], "returnReason": "  " });
    let (status, problem) = h.call("POST", &format!("/reservationOrders/{order}/return"), Some(body)).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("returnReason")), "{problem}");
    let (status, problem) = h.call("POST", "/quotes/refund", Some(json!({ "policy": "azure-current" }))).await;
    assert_eq!(status, 400, "{problem}");
}

/// Calculate → return: the quantity drops, the limit counts it, the audit says so; the same
/// session again answers the same refund and moves nothing.
pub async fn a_return_moves_money_once_and_a_repeat_answers_the_same<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let before = h.consumed(FABRIKAM).await;
    let (status, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(status, 200, "{session}");
    let (status, done) = h.submit_at(noon(), &r, &session["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["remainingQuantity"], r["quantity"].as_u64().unwrap() - 1);
    let counted = amount(&session["quote"]["policyResult"]["countedTowardLimit"]);
    assert_eq!(h.consumed(FABRIKAM).await, before + counted);
    let (again_status, again) = h.submit_at(noon(), &r, &session["sessionId"]).await;
    assert_eq!((again_status, &again), (200, &done));
    assert_eq!(h.consumed(FABRIKAM).await, before + counted, "a repeat moves nothing");
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    assert_eq!(h.get(&path).await["quantity"], done["remainingQuantity"]);
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!(audit["action"], "refund");
    assert_eq!(audit["actor"], demo_user("demo-global-admin").expect("a demo user").user_principal_name);
    assert!(audit["change"].as_str().unwrap().starts_with("returned 1 unit:"), "{audit}");
    let session_id = session["sessionId"].as_str().unwrap();
    assert!(audit["change"].as_str().unwrap().ends_with(&format!("; session {session_id}")), "the entry names its session: {audit}");
}

/// 599 seconds after calculating, a return goes through; 601 seconds after, it is refused
/// and nothing changes.
pub async fn a_session_expires_after_ten_minutes_and_nothing_moves<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let (_, late) = h.calculate_at(noon(), &r, 1).await;
    let before = h.consumed(FABRIKAM).await;
    let (status, problem) = h.submit_at(noon() + Duration::seconds(601), &r, &late["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("sessionExpired")), "{problem}");
    assert_eq!(h.consumed(FABRIKAM).await, before);
    let list = h.active(FABRIKAM).await;
    assert_eq!(list[0]["quantity"], r["quantity"], "nothing returned");
    let (_, in_time) = h.calculate_at(noon(), &r, 1).await;
    let (status, done) = h.submit_at(noon() + Duration::seconds(599), &r, &in_time["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
}

/// Two sessions quoted on the same units: after the first return, the second's quote no
/// longer holds. When the first returned every unit, the reservation is no longer active; when
/// it returned one of several, the customer's refunds changed, and so would the quote.
pub async fn a_changed_quote_is_refused<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let all = r["quantity"].as_u64().unwrap();
    let (_, first) = h.calculate_at(noon(), &r, all).await;
    let (_, second) = h.calculate_at(noon(), &r, all).await;
    assert_eq!(h.submit_at(noon(), &r, &first["sessionId"]).await.0, 200);
    let (status, problem) = h.submit_at(noon(), &r, &second["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("notActive")), "{problem}");

    let r = splittable(&h, FABRIKAM).await;
    let (_, first) = h.calculate_at(noon(), &r, 1).await;
    let (_, second) = h.calculate_at(noon(), &r, 1).await;
    let (status, done) = h.submit_at(noon(), &r, &first["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    assert!(!amount(&first["quote"]["policyResult"]["countedTowardLimit"]).is_zero(), "the first return counts toward the limit");
    let (status, problem) = h.submit_at(noon(), &r, &second["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("quoteChanged")), "{problem}");
}

/// Every active unit of the customer nearest the limit quoted against the same headroom, then
/// all submitted at once: what is counted never passes USD 50,000, and no unit leaves twice.
pub async fn a_burst_of_returns_never_passes_the_limit<S: crate::DeskStore>(h: Harness<S>) {
    let mut pending = Vec::new();
    let active = h.active(CONTOSO).await;
    for r in &active {
        for _ in 0..r["quantity"].as_u64().unwrap().min(4) {
            let (status, calc) = h.calculate_at(noon(), r, 1).await;
            assert_eq!(status, 200, "{calc}");
            pending.push((r.clone(), calc["sessionId"].clone()));
        }
    }
    assert!(pending.len() >= 3);
    let results = futures_join_all(pending.iter().map(|(r, s)| h.submit_at(noon(), r, s))).await;
    let accepted = results.iter().filter(|(status, _)| *status == 200).count();
    assert!(accepted >= 1);
    for (status, body) in &results {
        assert!(*status == 200 || *status == 409, "{status} {body}");
    }
    assert!(h.consumed(CONTOSO).await <= Decimal::from(50_000), "the limit holds");
    let units_before: u64 = active.iter().map(|r| r["quantity"].as_u64().unwrap()).sum();
    let units_after: u64 = h.active(CONTOSO).await.iter().map(|r| r["quantity"].as_u64().unwrap()).sum();
    assert_eq!(units_before - units_after, accepted as u64, "each accepted return took exactly one unit");
}

/// An exchange: one unit returned for one of a catalog SKU; the new reservation is listed and
/// counted, a repeat answers the same.
pub async fn an_exchange_buys_once_and_counts_the_new_reservation<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let count = h.get(&format!("/customers/{FABRIKAM}")).await["reservationCount"].as_u64().unwrap();
    let request = h.exchange_request(&r, 2).await;
    let (status, calc) = h.call("POST", "/calculateExchange", Some(request)).await;
    assert_eq!(status, 200, "{calc}");
    let (status, done) = h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["purchased"].as_array().unwrap().len(), 1);
    assert_eq!(h.call("POST", "/exchange", Some(json!({ "sessionId": calc["sessionId"] }))).await, (200, done.clone()));
    assert_eq!(h.get(&format!("/customers/{FABRIKAM}")).await["reservationCount"].as_u64().unwrap(), count + 1);
    let new_id = done["purchased"][0]["id"].clone();
    assert!(h.get(&format!("/customers/{FABRIKAM}/reservations")).await.as_array().unwrap().iter().any(|x| x["id"] == new_id));
    assert_eq!(h.last_audit(FABRIKAM).await["action"], "exchange");
}

/// A new display name is saved, answered and audited; an empty one is refused and changes
/// nothing.
pub async fn a_configuration_change_is_saved_and_audited<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let path = format!("/reservationOrders/{}/reservations/{}", r["reservationOrderId"].as_str().unwrap(), r["id"].as_str().unwrap());
    let (status, changed) = h.call("PATCH", &path, Some(json!({ "displayName": "Renamed by the suite" }))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["displayName"], "Renamed by the suite");
    assert_eq!(h.get(&path).await["displayName"], "Renamed by the suite");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!(audit["action"], "changeReservation", "{audit}");
    let (status, problem) = h.call("PATCH", &path, Some(json!({ "displayName": "" }))).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("displayName")), "{problem}");
    assert_eq!(h.get(&path).await["displayName"], "Renamed by the suite");
}

/// 201 with the assignment, a second identical one refused, 204 on removal, then 404.
pub async fn role_assignments_are_added_refused_twice_and_removed<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let order = r["reservationOrderId"].as_str().unwrap();
    let path = format!("/reservationOrders/{order}/roleAssignments");
    let before = h.get(&path).await.as_array().unwrap().len();
    let new = json!({ "principalName": "ops@fabrikam.example", "principalType": "User", "role": "Reader" });
    let (status, created) = h.call("POST", &path, Some(new.clone())).await;
    assert_eq!(status, 201, "{created}");
    let (status, problem) = h.call("POST", &path, Some(new)).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("alreadyAssigned")), "{problem}");
    assert_eq!(h.get(&path).await.as_array().unwrap().len(), before + 1);
    let id = created["id"].as_str().unwrap();
    assert_eq!(h.call("DELETE", &format!("{path}/{id}"), None).await.0, 204);
    assert_eq!(h.call("DELETE", &format!("{path}/{id}"), None).await.0, 404);
    assert_eq!(h.get(&path).await.as_array().unwrap().len(), before);
    let (status, _) = h.at(noon(), "demo-sales-agent", "POST", &path, Some(json!({ "principalName": "x@y.example", "principalType": "User", "role": "Reader" }))).await;
    assert_eq!(status, 403);
}

/// Local mode's people picker: the demo's people of the order's customer by name or e-mail
/// (users first), too short a search a 400 naming `search`, an unknown order 404, only those who
/// may manage access; the list shows each seeded principal's name and e-mail, and one added from
/// the picker too.
pub async fn the_people_picker_finds_the_demos_people_by_name_or_e_mail_and_the_list_names_them<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let order = r["reservationOrderId"].as_str().unwrap();
    let search = |text: &str| format!("/reservationOrders/{order}/principals?search={text}");
    let found = h.get(&search("ADA")).await;
    let principals = found["principals"].as_array().unwrap();
    assert_eq!(principals.len(), 1, "{found}");
    assert_eq!((principals[0]["displayName"].as_str(), principals[0]["principalType"].as_str()), (Some("Ada Lovelace"), Some("User")), "{found}");
    let email = principals[0]["email"].as_str().unwrap().to_owned();
    assert!(email.starts_with("ada@"), "{found}");
    assert_eq!(found.get("refused"), None, "{found}");
    let by_mail = h.get(&search("finance@")).await;
    assert_eq!(by_mail["principals"][0]["displayName"], json!("Finance team"), "{by_mail}");
    let (status, problem) = h.call("GET", &search("a"), None).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("required"), Some("search")), "{problem}");
    let (status, _) = h.call("GET", "/reservationOrders/nope/principals?search=ada", None).await;
    assert_eq!(status, 404);
    let (status, _) = h.at(noon(), "demo-sales-agent", "GET", &search("ada"), None).await;
    assert_eq!(status, 403, "a search is for giving access");

    let path = format!("/reservationOrders/{order}/roleAssignments");
    let listed = h.get(&path).await;
    let owner = listed.as_array().unwrap().iter().find(|a| a["role"] == "Owner").unwrap();
    assert_eq!(owner["displayName"], json!("Customer admin"), "{listed}");
    assert!(owner["email"].as_str().unwrap().starts_with("admin@"), "{listed}");
    let chosen = json!({ "principalName": email, "principalType": "User", "role": "Reader", "principalId": principals[0]["id"] });
    let (status, created) = h.call("POST", &path, Some(chosen)).await;
    assert_eq!(status, 201, "{created}");
    let listed = h.get(&path).await;
    let ada = listed.as_array().unwrap().iter().find(|a| a["id"] == created["id"]).unwrap();
    assert_eq!((ada["displayName"].as_str(), ada["email"].as_str()), (Some("Ada Lovelace"), Some(email.as_str())), "{listed}");
}

/// Each kind of audited write (a return, a configuration change, a role assignment added and
/// removed) extends the audit log's hash chain by one entry and leaves it intact; only the
/// Global admin may verify it. A new store's chain holds the seed's refund ledger: one entry for
/// each customer that has ledger rows (Contoso and Fabrikam).
pub async fn every_audited_write_extends_an_intact_chain<S: crate::DeskStore>(h: Harness<S>) {
    let verify = || h.call("GET", "/audit/verify", None);
    let (status, empty) = verify().await;
    assert_eq!(status, 200, "{empty}");
    assert_eq!((empty["intact"].as_bool(), empty["entries"].as_u64()), (Some(true), Some(2)), "{empty}");
    assert_eq!(empty.get("ledgerMismatches"), None, "{empty}");

    let r = h.active(FABRIKAM).await[0].clone();
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(h.submit_at(noon(), &r, &session["sessionId"]).await.0, 200);
    let patch = json!({ "displayName": "renamed-for-the-chain" });
    let (status, body) = h.call("PATCH", &format!("/reservationOrders/{order}/reservations/{}", r["id"].as_str().unwrap()), Some(patch)).await;
    assert_eq!(status, 200, "{body}");
    let path = format!("/reservationOrders/{order}/roleAssignments");
    let new = json!({ "principalName": "chain@fabrikam.example", "principalType": "User", "role": "Reader" });
    let (status, created) = h.call("POST", &path, Some(new)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(h.call("DELETE", &format!("{path}/{}", created["id"].as_str().unwrap()), None).await.0, 204);

    let (status, report) = verify().await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["intact"].as_bool(), report["entries"].as_u64()), (Some(true), Some(6)), "{report}");
    assert_eq!(report.get("firstBroken"), None, "{report}");
    assert_ne!(report["head"], empty["head"]);
    assert_eq!(report["head"].as_str().map(str::len), Some(64));
    for token in ["demo-admin-agent", "demo-sales-agent", "demo-helpdesk-agent", "demo-user-management-admin"] {
        let (status, problem) = h.at(noon(), token, "GET", "/audit/verify", None).await;
        assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{token}: {problem}");
    }
}

/// The chain's first entries record every ledger row the store was created
/// with, one entry per customer, naming it; a refund's entry records the ledger row it adds (what the limit counts), so `verify`
/// can hold the ledger to the chain; role-assignment entries name the order's customer, so the
/// per-customer audit view lists them.
pub async fn the_chain_records_the_ledger_and_role_assignments_name_their_customer<S: crate::DeskStore>(h: Harness<S>) {
    let baseline = h.last_audit(CONTOSO).await;
    assert_eq!((baseline["action"].as_str(), baseline["customerId"].as_str()), (Some("ledgerBaseline"), Some(CONTOSO)), "{baseline}");
    let seeded = h.desk.store().ledger(CONTOSO).await.unwrap().len();
    assert!(seeded > 0, "the seed leaves Contoso near its limit");
    let recorded = baseline["ledger"].as_array().unwrap();
    assert_eq!(recorded.len(), seeded, "{baseline}");
    assert!(recorded.iter().all(|row| row["customerId"] == CONTOSO), "only Contoso's rows: {baseline}");

    let r = h.active(FABRIKAM).await[0].clone();
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let before = h.consumed(FABRIKAM).await;
    let (_, session) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(h.submit_at(noon(), &r, &session["sessionId"]).await.0, 200);
    let counted = h.consumed(FABRIKAM).await - before;
    let refund = h.last_audit(FABRIKAM).await;
    assert_eq!(refund["action"], "refund");
    let rows = refund["ledger"].as_array().unwrap_or_else(|| panic!("a refund that counts records its ledger row: {refund}"));
    assert_eq!(rows.len(), 1, "{refund}");
    assert_eq!((amount(&rows[0]["amount"]), rows[0]["reservationId"].as_str()), (counted, r["id"].as_str()), "{refund}");
    assert_eq!(rows[0]["customerId"], FABRIKAM);

    let path = format!("/reservationOrders/{order}/roleAssignments");
    let new = json!({ "principalName": "named@fabrikam.example", "principalType": "User", "role": "Reader" });
    let (status, created) = h.call("POST", &path, Some(new)).await;
    assert_eq!(status, 201, "{created}");
    let added = h.last_audit(FABRIKAM).await;
    assert_eq!((added["action"].as_str(), added["customerId"].as_str()), (Some("addRoleAssignment"), Some(FABRIKAM)), "{added}");
    assert_eq!(h.call("DELETE", &format!("{path}/{}", created["id"].as_str().unwrap()), None).await.0, 204);
    let removed = h.last_audit(FABRIKAM).await;
    assert_eq!((removed["action"].as_str(), removed["customerId"].as_str()), (Some("removeRoleAssignment"), Some(FABRIKAM)), "{removed}");
    assert_eq!(h.get("/audit/verify").await["intact"], true);
}

/// A support request: 201 with an ID of the date and ten digits, listed for its customer
/// newest first, found by ID, audited.
pub async fn support_requests_are_created_listed_and_found<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[0].clone();
    let request = json!({
        "summary": "Refund question",
        "details": "Asked by the suite.",
        "reservationId": r["id"],
        "reservationOrderId": r["reservationOrderId"],
        "contact": { "preferredContactMethod": "Email", "name": "Ops", "email": "ops@fabrikam.example",
                     "phone": "", "language": "en", "timeZone": "UTC" }
    });
    let (status, created) = h.call("POST", "/supportRequests", Some(request)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    assert!(id.starts_with("260302"), "{id}");
    assert_eq!(h.get(&format!("/supportRequests/{id}")).await, created);
    assert_eq!(h.get(&format!("/supportRequests?customerId={FABRIKAM}")).await[0], created);
    assert!(h.get(&format!("/supportRequests?customerId={CONTOSO}")).await.as_array().unwrap().iter().all(|s| s["id"] != created["id"]));
    assert_eq!(h.last_audit(FABRIKAM).await["action"], "createSupportRequest");
    assert_eq!(h.at(noon(), "demo-sales-agent", "POST", "/supportRequests", Some(json!({}))).await.0, 403);
}

/// Runs the futures concurrently on this task (no runtime needed beyond the test's).
/// An active reservation of `customer` with at least two units.
async fn splittable<S: crate::DeskStore>(h: &Harness<S>, customer: &str) -> Value {
    let active = h.active(customer).await;
    active.into_iter().find(|r| r["quantity"].as_u64().unwrap_or(0) >= 2).expect("a reservation of two or more units")
}

/// Split: the two parts add up to the source, keep its price (a unit is quoted as before) and
/// link both ways; the ledger is untouched. Merge puts the parts back together. Both audited.
pub async fn a_split_keeps_every_unit_and_price_and_a_merge_puts_them_back<S: crate::DeskStore>(h: Harness<S>) {
    let r = splittable(&h, FABRIKAM).await;
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let quantity = r["quantity"].as_u64().unwrap();
    let (status, before) = h.calculate_at(noon(), &r, 1).await;
    assert_eq!(status, 200, "{before}");
    let consumed = h.consumed(FABRIKAM).await;
    let split_path = format!("/reservationOrders/{order}/split");

    let (status, problem) = h.call("POST", &split_path, Some(json!({ "reservationId": r["id"], "quantities": [1, quantity] }))).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("quantities")), "{problem}");
    let body = json!({ "reservationId": r["id"], "quantities": [1, quantity - 1] });
    let (status, _) = h.at(noon(), "demo-sales-agent", "POST", &split_path, Some(body.clone())).await;
    assert_eq!(status, 403, "a Sales agent may not split");
    let (status, split) = h.at(noon(), "demo-helpdesk-agent", "POST", &split_path, Some(body.clone())).await;
    assert_eq!(status, 200, "{split}");
    let (source, parts) = (&split[0], [&split[1], &split[2]]);
    assert_eq!(source["provisioningState"], "Split");
    assert_eq!(source["splitProperties"]["splitDestinations"], json!([parts[0]["id"], parts[1]["id"]]));
    assert_eq!((parts[0]["quantity"].as_u64(), parts[1]["quantity"].as_u64()), (Some(1), Some(quantity - 1)));
    for part in parts {
        assert_eq!(part["provisioningState"], "Succeeded");
        assert_eq!(part["splitProperties"]["splitSource"], r["id"]);
        assert_eq!((&part["unitPrice"], &part["purchaseDate"], &part["reservationOrderId"]), (&r["unitPrice"], &r["purchaseDate"], &r["reservationOrderId"]));
    }
    let (status, again) = h.call("POST", &split_path, Some(body)).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("notActive")), "a split reservation cannot be split again: {again}");

    // A unit of a part is quoted exactly as a unit of the original was; nothing was refunded.
    let (status, after) = h.calculate_at(noon(), parts[1], 1).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["quote"]["refundAmount"], before["quote"]["refundAmount"]);
    assert_eq!(after["quote"]["lines"], before["quote"]["lines"]);
    assert_eq!(h.consumed(FABRIKAM).await, consumed);
    let listed = h.get(&format!("/customers/{FABRIKAM}/reservations")).await;
    let units: u64 = listed.as_array().unwrap().iter().filter(|x| x["splitProperties"]["splitSource"] == r["id"]).map(|x| x["quantity"].as_u64().unwrap()).sum();
    assert_eq!(units, quantity, "the parts hold every unit");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["actor"].as_str()), (Some("splitReservation"), Some("hana.helpdesk@partner.example")), "{audit}");

    let merge_path = format!("/reservationOrders/{order}/merge");
    let (status, problem) = h.call("POST", &merge_path, Some(json!({ "sources": [parts[0]["id"], parts[0]["id"]] }))).await;
    assert_eq!((status, problem["field"].as_str()), (400, Some("sources[1]")), "{problem}");
    let (status, problem) = h.call("POST", &merge_path, Some(json!({ "sources": [parts[0]["id"], r["id"]] }))).await;
    assert_eq!(status, 409, "the split source is not active: {problem}");
    let (status, merged) = h.call("POST", &merge_path, Some(json!({ "sources": [parts[0]["id"], parts[1]["id"]] }))).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged[0]["quantity"].as_u64(), Some(quantity));
    assert_eq!(merged[0]["mergeProperties"]["mergeSources"], json!([parts[0]["id"], parts[1]["id"]]));
    for source in [&merged[1], &merged[2]] {
        assert_eq!(source["provisioningState"], "Merged");
        assert_eq!(source["mergeProperties"]["mergeDestination"], merged[0]["id"]);
    }
    let (status, whole) = h.calculate_at(noon(), &merged[0], 1).await;
    assert_eq!((status, &whole["quote"]["refundAmount"]), (200, &before["quote"]["refundAmount"]), "{whole}");
    assert_eq!(h.last_audit(FABRIKAM).await["action"], "mergeReservations");
    assert_eq!(h.consumed(FABRIKAM).await, consumed, "split and merge never touch the ledger");
    let (status, _) = h.call("POST", "/reservationOrders/nope/merge", Some(json!({ "sources": ["a", "b"] }))).await;
    assert_eq!(status, 404);
}

/// Archive takes only finished reservations; each change is a revision, newest first.
pub async fn only_finished_reservations_are_archived_and_revisions_tell_the_history<S: crate::DeskStore>(h: Harness<S>) {
    let r = splittable(&h, FABRIKAM).await;
    let order = r["reservationOrderId"].as_str().unwrap().to_owned();
    let base = format!("/reservationOrders/{order}/reservations/{}", r["id"].as_str().unwrap());
    let revisions = h.get(&format!("{base}/revisions")).await;
    assert_eq!(revisions.as_array().unwrap().len(), 1, "one revision before any change: {revisions}");
    assert_eq!((revisions[0]["revision"].as_u64(), &revisions[0]["reservation"]["id"]), (Some(1), &r["id"]));

    let (status, problem) = h.call("POST", &format!("{base}/archive"), None).await;
    assert_eq!((status, problem["code"].as_str()), (400, Some("isActive")), "an active one is not archived: {problem}");
    let (status, renamed) = h.call("PATCH", &base, Some(json!({ "displayName": "Renamed before split" }))).await;
    assert_eq!(status, 200, "{renamed}");
    let body = json!({ "reservationId": r["id"], "quantities": [1, r["quantity"].as_u64().unwrap() - 1] });
    assert_eq!(h.call("POST", &format!("/reservationOrders/{order}/split"), Some(body)).await.0, 200);
    let (status, archived) = h.call("POST", &format!("{base}/archive"), None).await;
    assert_eq!((status, &archived["archived"]), (200, &json!(true)), "{archived}");
    let listed = h.get(&format!("/customers/{FABRIKAM}/reservations")).await;
    assert!(listed.as_array().unwrap().iter().any(|x| x["id"] == r["id"] && x["archived"] == true));
    let audit_count = h.get(&format!("/audit?customerId={FABRIKAM}")).await.as_array().unwrap().len();
    assert_eq!(h.call("POST", &format!("{base}/archive"), None).await.0, 200, "archiving twice is harmless");
    assert_eq!(h.get(&format!("/audit?customerId={FABRIKAM}")).await.as_array().unwrap().len(), audit_count, "and writes nothing");
    let (status, back) = h.call("POST", &format!("{base}/unarchive"), None).await;
    assert_eq!((status, back.get("archived")), (200, None), "{back}");

    let revisions = h.get(&format!("{base}/revisions")).await;
    let actions: Vec<(u64, &str)> =
        revisions.as_array().unwrap().iter().map(|v| (v["revision"].as_u64().unwrap(), v["action"].as_str().unwrap())).collect();
    assert_eq!(actions, vec![(5, "unarchive"), (4, "archive"), (3, "split"), (2, "changeReservation"), (1, "before")]);
    assert_eq!(revisions[3]["reservation"]["displayName"], "Renamed before split");
    assert_eq!(revisions[4]["reservation"]["displayName"], r["displayName"]);
    assert_eq!(revisions[2]["reservation"]["provisioningState"], "Split");
    assert_eq!(revisions[0]["actor"], "gina.admin@partner.example");
    assert_eq!(h.call("GET", &format!("/reservationOrders/{order}/reservations/nope/revisions"), None).await.0, 404);
}

pub async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, result) in futures.iter_mut().zip(results.iter_mut()) {
            if result.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *result = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    results.into_iter().map(|r| r.expect("every future finished")).collect()
}

/// A user signed in with `role` in the security `groups` (what an OpenID Connect token gives).
fn member(name: &str, role: PartnerRole, groups: &[&str]) -> User {
    User {
        user_principal_name: format!("{name}@partner.example"),
        display_name: name.to_owned(),
        role,
        id: Some(format!("oid-{name}")),
        other_roles: Vec::new(),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
    }
}

/// The IDs of a customer list.
fn ids(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|c| c["id"].as_str().expect("an ID").to_owned()).collect()
}

/// Grants through `/grants` (Global admin only): a group ID must be a GUID and a customer must
/// exist; the same grant twice is a 409; each change is audited naming its customer; a removed
/// grant is gone. The seed's grants are the limited demo user's two.
pub async fn grants_are_added_refused_when_invalid_or_twice_and_removed_each_audited<S: crate::DeskStore>(h: Harness<S>) {
    let seeded = h.get("/grants").await;
    let seeded_on: Vec<&str> = seeded.as_array().unwrap().iter().map(|g| g["customerId"].as_str().unwrap()).collect();
    assert_eq!(seeded_on, [CONTOSO, FABRIKAM], "{seeded}");
    let group = "5D0C1B2A-3E4F-4A5B-8C6D-7E8F9A0B1C2D";
    let new = json!({ "groupId": group, "customerId": FABRIKAM, "role": "SalesAgent" });
    for token in ["demo-admin-agent", "demo-user-management-admin"] {
        let (status, problem) = h.at(noon(), token, "POST", "/grants", Some(new.clone())).await;
        assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "{token}: {problem}");
        assert_eq!(h.at(noon(), token, "GET", "/grants", None).await.0, 403, "{token}");
    }
    let (status, problem) = h.call("POST", "/grants", Some(json!({ "groupId": "contoso-agents", "role": "SalesAgent" }))).await;
    assert_eq!((status, problem["code"].as_str(), problem["field"].as_str()), (400, Some("invalidGroupId"), Some("groupId")), "{problem}");
    let (status, problem) = h.call("POST", "/grants", Some(json!({ "groupId": group, "customerId": "nobody", "role": "SalesAgent" }))).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("notFound")), "{problem}");
    let (status, created) = h.call("POST", "/grants", Some(new.clone())).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["groupId"], group.to_lowercase(), "kept in lower case, as tokens are compared");
    let (status, problem) = h.call("POST", "/grants", Some(new)).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("alreadyGranted")), "{problem}");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!((audit["action"].as_str(), audit["target"].as_str()), (Some("addGrant"), Some(format!("grants/{}", created["id"].as_str().unwrap()).as_str())));
    assert!(audit["change"].as_str().unwrap().contains("SalesAgent on customer Fabrikam Inc"), "{audit}");
    let (status, everyone) = h.call("POST", "/grants", Some(json!({ "groupId": group, "customerId": null, "role": "HelpdeskAgent" }))).await;
    assert_eq!((status, everyone["customerId"].clone()), (201, Value::Null), "{everyone}");
    let newest = h.get("/audit").await[0].clone();
    assert!(newest["change"].as_str().unwrap().ends_with("HelpdeskAgent on all customers"), "{newest}");
    assert_eq!(ids(&h.get("/grants").await).len(), 4);
    let path = format!("/grants/{}", created["id"].as_str().unwrap());
    assert_eq!(h.call("DELETE", &path, None).await.0, 204);
    assert_eq!(h.call("DELETE", &path, None).await.0, 404, "gone");
    let audit = h.last_audit(FABRIKAM).await;
    assert_eq!(audit["action"], "removeGrant");
    assert_eq!(ids(&h.get("/grants").await).len(), 3);
    assert!(crate::audit_chain::verify(&h.desk.store().audit_chain().await.unwrap()).intact, "every grant change is chained");
}

/// The grant matrix: a user limited to one customer (Fabrikam, as Admin agent, though its token
/// says Global admin), one granted every customer as Sales agent, one whose group has no grant
/// (no customer at all: grants fail closed), and one whose token names no group (its token's
/// Admin agent on every customer, as before grants). For each: the customer list, one customer,
/// a money move, the audit log and the Portfolio's reads. A customer not granted answers exactly
/// as one that does not exist. Removing the limited user's grant leaves it no customer, never
/// every customer, and it still manages grants with its token's Global admin role; the limited
/// demo user sees its two customers.
pub async fn the_grant_matrix_answers_each_user_only_for_its_granted_customers_in_the_granted_role<S: crate::DeskStore>(h: Harness<S>) {
    const ONE: &str = "a1a1a1a1-0000-4000-8000-00000000000a";
    const EVERY: &str = "b2b2b2b2-0000-4000-8000-00000000000b";
    const NONE: &str = "c3c3c3c3-0000-4000-8000-00000000000c";
    let (status, one) = h.call("POST", "/grants", Some(json!({ "groupId": ONE, "customerId": FABRIKAM, "role": "AdminAgent" }))).await;
    assert_eq!(status, 201, "{one}");
    let (status, _) = h.call("POST", "/grants", Some(json!({ "groupId": EVERY, "role": "SalesAgent" }))).await;
    assert_eq!(status, 201);
    let limited = member("lena", PartnerRole::GlobalAdmin, &[ONE]);
    let seller = member("sid", PartnerRole::AdminAgent, &[EVERY]);
    let ungranted = member("gus", PartnerRole::AdminAgent, &[NONE]);
    let ungoverned = member("nico", PartnerRole::AdminAgent, &[]);
    let all = ids(&h.get("/customers").await);
    assert_eq!(all.len(), contract::seed::CUSTOMERS.len());
    let harness = &h;
    let as_ = |user: &User, method: &'static str, path: String, body: Option<Value>| {
        let user = user.clone();
        async move { harness.as_user(noon(), user, method, &path, body).await }
    };

    // List.
    assert_eq!(ids(&as_(&limited, "GET", "/customers".into(), None).await.1), [FABRIKAM]);
    assert_eq!(ids(&as_(&limited, "GET", "/customers?search=contoso".into(), None).await.1), Vec::<String>::new());
    assert_eq!(ids(&as_(&seller, "GET", "/customers".into(), None).await.1), all);
    assert_eq!(ids(&as_(&ungoverned, "GET", "/customers".into(), None).await.1), all);
    assert_eq!(ids(&as_(&ungranted, "GET", "/customers".into(), None).await.1), Vec::<String>::new(), "a group without a grant");

    // Get: a customer not granted is the very problem of one that does not exist.
    let unknown = "9f9f9f9f-0000-4000-8000-000000000000";
    let (status, nobody) = h.call("GET", &format!("/customers/{unknown}"), None).await;
    assert_eq!(status, 404);
    let hidden = |problem: &Value, id: &str| {
        let as_unknown: Value = serde_json::from_str(&nobody.to_string().replace(unknown, id)).unwrap();
        assert_eq!(problem, &as_unknown, "a customer not granted is answered as one that does not exist");
    };
    for path in [format!("/customers/{CONTOSO}"), format!("/customers/{CONTOSO}/reservations"), format!("/customers/{CONTOSO}/refundLimit")] {
        let (status, problem) = as_(&limited, "GET", path.clone(), None).await;
        assert_eq!(status, 404, "{path}");
        hidden(&problem, CONTOSO);
        assert_eq!(as_(&seller, "GET", path.clone(), None).await.0, 200, "{path}");
        assert_eq!(as_(&ungoverned, "GET", path.clone(), None).await.0, 200, "{path}");
        assert_eq!(as_(&ungranted, "GET", path.clone(), None).await.0, 404, "{path}");
    }
    assert_eq!(as_(&limited, "GET", format!("/customers/{FABRIKAM}"), None).await.0, 200);
    let contoso = h.active(CONTOSO).await[0].clone();
    let (c_order, c_id) = (contoso["reservationOrderId"].as_str().unwrap(), contoso["id"].as_str().unwrap());
    let (status, problem) = as_(&limited, "GET", format!("/reservationOrders/{c_order}/reservations/{c_id}"), None).await;
    let (_, missing) = h.call("GET", &format!("/reservationOrders/{unknown}/reservations/{c_id}"), None).await;
    assert_eq!((status, problem), (404, serde_json::from_str::<Value>(&missing.to_string().replace(unknown, c_order)).unwrap()));

    // A money move: the limited user as Admin agent on Fabrikam; Contoso's order does not exist
    // for it; the Sales agent everywhere quotes but may not return; the ungoverned user returns.
    let fabrikam = h.active(FABRIKAM).await;
    let calc = |r: &Value| (format!("/reservationOrders/{}/calculateRefund", r["reservationOrderId"].as_str().unwrap()), json!({ "reservationId": r["id"], "quantity": 1 }));
    let ret = |r: &Value, s: &Value| (format!("/reservationOrders/{}/return", r["reservationOrderId"].as_str().unwrap()), json!({ "sessionId": s["sessionId"], "returnReason": "No longer needed" }));
    let (path, body) = calc(&fabrikam[0]);
    let (status, session) = as_(&limited, "POST", path, Some(body)).await;
    assert_eq!(status, 200, "{session}");
    let (path, body) = ret(&fabrikam[0], &session);
    let (status, done) = as_(&limited, "POST", path, Some(body)).await;
    assert_eq!(status, 200, "{done}");
    let (path, body) = calc(&contoso);
    let (status, problem) = as_(&limited, "POST", path, Some(body)).await;
    assert_eq!((status, problem["detail"].as_str()), (404, Some(format!("There is no reservation order '{c_order}'.").as_str())), "{problem}");
    let exchange = |id: &Value| json!({ "reservationsToExchange": [{ "reservationId": id, "quantity": 1 }], "reservationsToPurchase": [] });
    let (status, problem) = as_(&limited, "POST", "/calculateExchange".into(), Some(exchange(&contoso["id"]))).await;
    let (_, as_unknown) = h.call("POST", "/calculateExchange", Some(exchange(&json!(unknown)))).await;
    assert_eq!((status, problem), (400, serde_json::from_str::<Value>(&as_unknown.to_string().replace(unknown, c_id)).unwrap()));
    let (path, body) = calc(&fabrikam[1]);
    let (status, session) = as_(&seller, "POST", path, Some(body)).await;
    assert_eq!(status, 200, "{session}");
    let (path, body) = ret(&fabrikam[1], &session);
    let (status, problem) = as_(&seller, "POST", path.clone(), Some(body.clone())).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "the grant's role, not the token's: {problem}");
    let (status, done) = as_(&ungoverned, "POST", path, Some(body)).await;
    assert_eq!(status, 200, "{done}");

    // The audit log: the limited user sees Fabrikam's entries only.
    let support = json!({
        "summary": "Scope question", "details": "Which scope?", "reservationId": contoso["id"], "reservationOrderId": c_order,
        "contact": { "preferredContactMethod": "Email", "name": "Ada", "email": "ada@contoso.com", "language": "en", "timeZone": "Europe/Berlin" }
    });
    assert_eq!(h.call("POST", "/supportRequests", Some(support.clone())).await.0, 201);
    let (status, problem) = as_(&limited, "POST", "/supportRequests".into(), Some(support)).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("notFound")), "{problem}");
    let (_, log) = as_(&limited, "GET", "/audit".into(), None).await;
    let customers: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["customerId"].as_str().unwrap_or("none")).collect();
    assert!(!customers.is_empty() && customers.iter().all(|c| *c == FABRIKAM), "{customers:?}");
    assert!(log.as_array().unwrap().iter().any(|e| e["action"] == "refund"), "its refund is in its log: {log}");
    assert_eq!(as_(&limited, "GET", format!("/audit?customerId={CONTOSO}"), None).await.1, json!([]));
    assert_eq!(as_(&limited, "GET", "/supportRequests".into(), None).await.1, json!([]));
    for user in [&seller, &ungoverned] {
        let (_, log) = as_(user, "GET", "/audit".into(), None).await;
        assert!(log.as_array().unwrap().iter().any(|e| e["customerId"] == CONTOSO), "{log}");
        assert_eq!(log, h.get("/audit").await);
    }
    let (status, problem) = as_(&limited, "GET", "/audit/verify".into(), None).await;
    assert_eq!((status, problem["code"].as_str()), (403, Some("roleForbids")), "over every customer: {problem}");

    // The Portfolio reads a customer's reservations and refund limit.
    for user in [&limited, &seller, &ungoverned] {
        for what in ["reservations", "refundLimit"] {
            assert_eq!(as_(user, "GET", format!("/customers/{FABRIKAM}/{what}"), None).await.0, 200);
        }
    }

    // Its group's last grant removed: no customer at all (it fails closed), yet the token's
    // Global admin role still manages grants, so the Access page cannot be locked out.
    assert_eq!(h.call("DELETE", &format!("/grants/{}", one["id"].as_str().unwrap()), None).await.0, 204);
    assert_eq!(ids(&as_(&limited, "GET", "/customers".into(), None).await.1), Vec::<String>::new());
    assert_eq!(as_(&limited, "GET", format!("/customers/{FABRIKAM}"), None).await.0, 404);
    assert_eq!(as_(&limited, "GET", "/audit/verify".into(), None).await.0, 403);
    assert_eq!(as_(&limited, "GET", "/grants".into(), None).await.0, 200);
    let (status, again) = as_(&limited, "POST", "/grants".into(), Some(json!({ "groupId": ONE, "role": "GlobalAdmin" }))).await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(ids(&as_(&limited, "GET", "/customers".into(), None).await.1), all);
    assert_eq!(as_(&limited, "GET", "/audit/verify".into(), None).await.0, 200);

    // The demo's limited user.
    let (status, two) = h.at(noon(), DEMO_LIMITED_TOKEN, "GET", "/customers", None).await;
    assert_eq!((status, ids(&two)), (200, vec![CONTOSO.to_owned(), FABRIKAM.to_owned()]));
    let (status, _) = h.at(noon(), DEMO_LIMITED_TOKEN, "GET", &format!("/customers/{}", contract::seed::CUSTOMERS[2].0), None).await;
    assert_eq!(status, 404);
}

/// `calculateRefund` under `policy` (`None`: the request names none) for one unit of `r`.
async fn calculate_under<S: crate::DeskStore>(h: &Harness<S>, r: &Value, policy: Option<&str>) -> (u16, Value) {
    let path = format!("/reservationOrders/{}/calculateRefund", r["reservationOrderId"].as_str().expect("order"));
    let mut body = json!({ "reservationId": r["id"], "quantity": 1 });
    if let Some(policy) = policy {
        body["policy"] = policy.into();
    }
    h.call("POST", &path, Some(body)).await
}

/// The deployment's refund policy (`azure-current` unless set) governs every
/// refund that moves money. A request naming none is quoted by it; one naming another preset is a
/// what-if (`whatIf`), and its return is refused with `policyNotDeployed`, naming both policies,
/// with nothing written: the reservation, the limit and the audit log stay as they were, and the
/// refusal is not kept as the session's answer. `GET /settings` says which policy governs.
pub async fn only_the_deployments_refund_policy_moves_money_and_a_what_if_session_is_refused<S: crate::DeskStore>(h: Harness<S>) {
    let (status, settings) = h.at(noon(), "demo-sales-agent", "GET", "/settings", None).await;
    assert_eq!((status, &settings), (200, &json!({ "refundPolicy": "azure-current", "approvalExpiryHours": 168 })));

    let r = h.active(FABRIKAM).await[0].clone();
    let (status, deployed) = calculate_under(&h, &r, None).await;
    assert_eq!(status, 200, "{deployed}");
    assert_eq!((deployed["policy"].as_str(), deployed["whatIf"].as_bool()), (Some("azure-current"), Some(false)), "{deployed}");
    assert!(amount(&deployed["quote"]["earlyTerminationFee"]).is_zero(), "Azure charges no fee: {deployed}");

    let (status, what_if) = calculate_under(&h, &r, Some("partner-center-2020")).await;
    assert_eq!(status, 200, "{what_if}");
    assert_eq!((what_if["policy"].as_str(), what_if["whatIf"].as_bool()), (Some("partner-center-2020"), Some(true)), "{what_if}");

    let before = (h.consumed(FABRIKAM).await, h.active(FABRIKAM).await, h.get("/audit").await);
    let (status, problem) = h.submit_at(noon(), &r, &what_if["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyNotDeployed")), "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("partner-center-2020") && detail.contains("azure-current"), "names both policies: {detail}");
    assert_eq!((h.consumed(FABRIKAM).await, h.active(FABRIKAM).await, h.get("/audit").await), before, "nothing moved, nothing audited");
    let (status, again) = h.submit_at(noon(), &r, &what_if["sessionId"]).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("policyNotDeployed")), "a refusal is not the session's answer: {again}");

    // The deployment's policy named explicitly is no what-if: it moves money.
    let (_, named) = calculate_under(&h, &r, Some("azure-current")).await;
    assert_eq!(named["whatIf"], false, "{named}");
    let (status, done) = h.submit_at(noon(), &r, &named["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    let counted = amount(&named["quote"]["policyResult"]["countedTowardLimit"]);
    assert_eq!(h.consumed(FABRIKAM).await, before.0 + counted);
}

/// A deployment set up with `partner-center-2020`: a request naming no policy is quoted by it,
/// with its 12 % fee past the grace period, and refunded (the limit counts what is refunded); an
/// `azure-current` session is the what-if there. A session quoted before the deployment changed
/// its policy is refused after: the policy at the time of the return governs.
pub async fn a_deployment_under_the_2020_policy_quotes_and_refunds_with_its_fee<S: crate::DeskStore>(h: Harness<S>) {
    let r = h.active(FABRIKAM).await[1].clone();
    let (_, quoted_before) = calculate_under(&h, &r, None).await;
    assert_eq!(quoted_before["policy"], "azure-current", "{quoted_before}");
    let h = Harness { desk: h.desk.with_settings(contract::Settings { refund_policy: quote_engine::PolicyName::PartnerCenter2020, ..Default::default() }) };
    assert_eq!(h.get("/settings").await, json!({ "refundPolicy": "partner-center-2020", "approvalExpiryHours": 168 }));
    let (status, problem) = h.submit_at(noon(), &r, &quoted_before["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyNotDeployed")), "{problem}");

    // The first active reservation past the grace period: the 2020 preset charges its fee there.
    let mut charged = None;
    for r in h.active(FABRIKAM).await {
        let (status, calc) = calculate_under(&h, &r, None).await;
        assert_eq!(status, 200, "{calc}");
        if !amount(&calc["quote"]["earlyTerminationFee"]).is_zero() {
            charged = Some((r, calc));
            break;
        }
    }
    let (r, calc) = charged.expect("a Fabrikam reservation past the 5-day grace period");
    assert_eq!((calc["policy"].as_str(), calc["whatIf"].as_bool()), (Some("partner-center-2020"), Some(false)), "{calc}");
    let quote = &calc["quote"];
    let base = (amount(&quote["totalPaid"]) - amount(&quote["usedAmount"])).max(Decimal::ZERO);
    assert_eq!(amount(&quote["earlyTerminationFee"]), (base * Decimal::new(12, 2)).round_dp(2), "12 % of what was paid and not used: {quote}");
    let before = h.consumed(FABRIKAM).await;
    let (status, done) = h.submit_at(noon(), &r, &calc["sessionId"]).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(h.consumed(FABRIKAM).await, before + amount(&quote["policyResult"]["countedTowardLimit"]));

    let (_, what_if) = calculate_under(&h, &r, Some("azure-current")).await;
    assert_eq!(what_if["whatIf"], true, "{what_if}");
    assert!(amount(&what_if["quote"]["earlyTerminationFee"]).is_zero(), "{what_if}");
    let (status, problem) = h.submit_at(noon(), &r, &what_if["sessionId"]).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("policyNotDeployed")), "{problem}");
}
