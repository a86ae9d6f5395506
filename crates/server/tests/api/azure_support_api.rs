//! In Azure mode a New support request reaches Microsoft: an Azure support ticket
//! (Microsoft.Support 2024-04-01; the stand-in in `azure_stand_ins/support.rs`, written from
//! Microsoft's published examples) in the customer's tenant, on behalf of the signed-in user,
//! under the service and classification Azure lists for reservations' exchanges and refunds,
//! with the reservation's and order's IDs in its description. The request keeps the ticket's
//! number and status and reads them back; Azure's refusal comes back with its code and message
//! and how to reach Microsoft otherwise, recording nothing; a retried submit makes no second
//! ticket; when Azure lists no classification for reservations the desk refuses instead of
//! guessing; local mode keeps the desk's own record.

use crate::azure_desk;
use crate::azure_stand_ins;

use axum::http::StatusCode;
use azure_desk::*;
use azure_stand_ins::Subscription;
use serde_json::{json, Value};

fn request(summary: &str) -> Value {
    json!({
        "summary": summary,
        "details": "The customer moved the workload; please refund one unit.",
        "reservationId": "res-c2", "reservationOrderId": "order-c",
        "severity": "moderate",
        "contact": {
            "preferredContactMethod": "Email", "name": "Ada Lovelace", "email": "ada@contoso.com",
            "language": "de", "timeZone": "Europe/Berlin", "country": "DEU"
        }
    })
}

/// The desk over the stand-ins, read once, Contoso's user seeing two subscriptions.
async fn ready() -> Desk {
    let d = desk().await;
    read(&d).await;
    d.stand_ins.consumption(|c| {
        c.subscriptions.insert("tenant-contoso".into(), vec![Subscription::enabled("sub-contoso-b", vec![]), Subscription::enabled("sub-contoso-a", vec![])])
    });
    d
}

fn tickets(d: &Desk) -> Vec<((String, String), Value)> {
    d.stand_ins.support(|s| s.tickets.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

#[tokio::test]
async fn a_request_becomes_one_azure_ticket_with_the_ids_in_its_description_and_its_number_read_back() {
    let d = ready().await;
    let (status, created) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");

    let made = tickets(&d);
    assert_eq!(made.len(), 1, "one ticket");
    let ((subscription, name), ticket) = &made[0];
    assert_eq!(subscription, "sub-contoso-a", "a shared reservation's ticket goes to the first active subscription by ID");
    let props = &ticket["properties"];
    let description = props["description"].as_str().unwrap();
    assert!(description.contains("Reservation ID: res-c2") && description.contains("Reservation order ID: order-c"), "{description}");
    assert!(description.starts_with("The customer moved the workload"), "{description}");
    assert_eq!(props["title"], "Refund one unit");
    assert_eq!(props["severity"], "moderate");
    assert_eq!(props["serviceId"], "/providers/Microsoft.Support/services/service_guid_1", "the Billing service");
    assert_eq!(props["problemClassificationId"], "/providers/Microsoft.Support/services/service_guid/problemClassifications/problemClassification_guid_1");
    let contact = &props["contactDetails"];
    assert_eq!((&contact["firstName"], &contact["lastName"]), (&json!("Ada"), &json!("Lovelace")));
    assert_eq!((&contact["preferredTimeZone"], &contact["preferredSupportLanguage"], &contact["country"]), (&json!("W. Europe Standard Time"), &json!("de-de"), &json!("DEU")));
    assert_eq!(contact["preferredContactMethod"], "email");

    let azure = &created["azureTicket"];
    assert_eq!(azure["name"], name.as_str());
    assert_eq!(azure["number"], props["supportTicketId"], "{created}");
    assert_eq!((&azure["status"], &created["status"]), (&json!("Open"), &json!("Open")));
    assert_eq!(azure["subscriptionId"], "sub-contoso-a");
    assert_eq!((&azure["service"], &azure["problemClassification"]), (&json!("Billing"), &json!("Reservation Management / Exchanges and Refunds")));

    let seen = d.stand_ins.support(|s| s.requests.clone());
    assert!(seen.iter().all(|r| r.tenant == "tenant-contoso"), "asked in the customer's tenant");
    let order: Vec<String> = seen.iter().map(|r| format!("{} {}", r.method, r.path.rsplit("Microsoft.Support/").next().unwrap())).collect();
    assert_eq!(order[..4], ["GET services", "GET services/service_guid_1/problemClassifications", "POST checkNameAvailability", format!("PUT supportTickets/{name}").as_str()], "{order:?}");
    assert!(seen.iter().filter(|r| r.method == "GET" && r.path.contains("/services")).all(|r| r.language.as_deref() == Some("en-US")), "display names asked in English");

    // The request's page reads the ticket again: Azure's status now.
    d.stand_ins.support(|s| {
        for t in s.tickets.values_mut() {
            t["properties"]["status"] = json!("Closed");
        }
    });
    let id = created["id"].as_str().unwrap();
    let (status, fetched) = d.call("GET", &format!("/api/supportRequests/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{fetched}");
    assert_eq!((&fetched["azureTicket"]["status"], &fetched["status"]), (&json!("Closed"), &json!("Closed")), "{fetched}");
    assert_eq!(fetched["azureTicket"]["number"], azure["number"]);
    assert_eq!(fetched["azureTicket"].get("readError"), None);

    let (_, audit) = d.call("GET", "/api/audit?customerId=contoso", None).await;
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "createSupportRequest").cloned().unwrap_or_default();
    assert!(entry["change"].as_str().unwrap_or_default().contains(azure["number"].as_str().unwrap()), "{entry}");
}

#[tokio::test]
async fn a_retried_submit_makes_no_second_ticket() {
    let d = ready().await;
    // The ticket is made but its answer is lost: nothing is recorded, the caller may retry.
    d.stand_ins.support(|s| s.lose_next_answer = true);
    let (status, lost) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{lost}");
    assert_eq!(lost["code"], "upstreamUnavailable");
    let (_, listed) = d.call("GET", "/api/supportRequests?customerId=contoso", None).await;
    assert!(listed.as_array().unwrap().is_empty(), "nothing recorded as sent: {listed}");

    let (status, first) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(again, first, "the same request answered");
    assert_eq!(tickets(&d).len(), 1, "one ticket in Azure");
    let puts = d.stand_ins.support(|s| s.requests.iter().filter(|r| r.method == "PUT").count());
    assert_eq!(puts, 1, "the retries did not send the ticket again");
    assert!(first["azureTicket"]["number"].is_string(), "{first}");
    let (_, listed) = d.call("GET", "/api/supportRequests?customerId=contoso", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");

    // Another request is another ticket.
    let (status, other) = d.call("POST", "/api/supportRequests", Some(request("Exchange two units"))).await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    assert_eq!(tickets(&d).len(), 2);
}

#[tokio::test]
async fn azures_refusal_is_explained_and_nothing_is_recorded() {
    let d = ready().await;
    d.stand_ins.support(|s| {
        s.refusals.insert(
            "tenant-contoso".into(),
            (403, "AuthorizationFailed".into(), "The client does not have authorization to perform action 'Microsoft.Support/supportTickets/write'.".into()),
        )
    });
    let (status, problem) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "upstreamForbidden");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("AuthorizationFailed") && detail.contains("Microsoft.Support/supportTickets/write"), "Azure's code and message: {detail}");
    assert!(detail.contains("Partner Center"), "how to reach Microsoft otherwise: {detail}");
    let (_, listed) = d.call("GET", "/api/supportRequests?customerId=contoso", None).await;
    assert!(listed.as_array().unwrap().is_empty(), "{listed}");
    assert!(tickets(&d).is_empty());

    // Another refusal of Azure's (a 400 with its own code, as for a subscription without a
    // support plan): Azure's words passed on, a conflict.
    d.stand_ins.support(|s| s.refusals.insert("tenant-contoso".into(), (400, "SupportPlanNotFound".into(), "No support plan was found for the subscription.".into())));
    let (status, problem) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("SupportPlanNotFound"), "{problem}");
}

#[tokio::test]
async fn no_classification_for_reservations_is_refused_not_guessed() {
    let d = ready().await;
    d.stand_ins.support(|s| s.classifications.retain(|c| !c["properties"]["displayName"].as_str().unwrap_or_default().contains("Exchanges")));
    let (status, problem) = d.call("POST", "/api/supportRequests", Some(request("Refund one unit"))).await;
    assert_eq!((status, &problem["code"]), (StatusCode::CONFLICT, &json!("upstreamRefused")), "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("no problem classification"), "{problem}");
    assert!(d.stand_ins.support(|s| s.requests.iter().all(|r| r.method != "PUT")), "no ticket sent");
}

#[tokio::test]
async fn what_microsoft_requires_is_checked_before_azure_is_asked() {
    let d = ready().await;
    for (field, value, named) in [("country", json!(""), "contact.country"), ("name", json!("Ada"), "contact.name"), ("timeZone", json!("Mars/Olympus"), "contact.timeZone")] {
        let mut body = request("Refund one unit");
        body["contact"][field] = value;
        let (status, problem) = d.call("POST", "/api/supportRequests", Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
        assert_eq!(problem["field"], named, "{problem}");
    }
    assert!(d.stand_ins.support(|s| s.requests.is_empty()), "Azure not asked");
}
