//! Microsoft.Support (api-version 2024-04-01) as Azure mode uses it to open a support ticket with
//! Microsoft about a reservation, in the customer's tenant on behalf of the signed-in user:
//! the services and their problem classifications (`GET /providers/Microsoft.Support/services`,
//! `…/services/{serviceName}/problemClassifications`), a ticket name checked
//! (`POST /subscriptions/{sub}/providers/Microsoft.Support/checkNameAvailability`), the ticket
//! made (`PUT /subscriptions/{sub}/providers/Microsoft.Support/supportTickets/{name}`,
//! long-running) and read back (`GET` of the same).
//!
//! Read as the specification (`support.json`) types them: a service, a problem classification
//! and their lists require nothing; a ticket (`SupportTicketDetails`) requires `properties`, and
//! what the desk reads of it (`name`, `supportTicketId`, `status`, `createdDate`, the display
//! names) is read-only there, so each may be absent and is then unknown.
//!
//! **Which service and classification.** Microsoft's portal files a reservation's refund or
//! exchange under issue type *Billing*, problem type *Reservation Management*, subtype
//! *Exchanges and Refunds* (the Partner Center article's steps), and the specification's own
//! example lists exactly that classification ("Reservation Management / Exchanges and Refunds")
//! under the Billing service. So [`choose_service`] takes the service whose ARM resource types
//! name reservations (`MICROSOFT.CAPACITY/…`), else the one whose display name is `Billing`;
//! [`choose_classification`] takes the classification whose display name names reservation
//! management and exchanges or refunds. The lists are asked in English (`Accept-Language:
//! en-US`: the display names are localized). When none matches, the desk refuses and says so;
//! it never files the ticket under another service or classification.

use serde::{Deserialize, Serialize};

/// The api-version of Microsoft.Support the desk speaks.
pub const SUPPORT_API_VERSION: &str = "2024-04-01";

/// The resource type a ticket name is checked for.
pub const TICKET_TYPE: &str = "Microsoft.Support/supportTickets";

/// A service a ticket may be filed under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRead {
    /// Its resource ID, `/providers/Microsoft.Support/services/{name}` (the ticket's `serviceId`).
    pub id: String,
    /// Its name (the path segment its problem classifications are listed under).
    pub name: String,
    /// Its display name (English, as asked).
    pub display_name: String,
    /// The ARM resource types it covers, upper case as Azure writes them.
    pub resource_types: Vec<String>,
}

/// A problem classification of a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemClassificationRead {
    /// Its resource ID (the ticket's `problemClassificationId`).
    pub id: String,
    /// Its display name.
    pub display_name: String,
}

#[derive(Deserialize)]
struct ListPage {
    #[serde(default)]
    value: Option<Vec<serde_json::Value>>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Named {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    properties: Option<NamedProperties>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NamedProperties {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    resource_types: Option<Vec<String>>,
}

fn last_segment(id: &str) -> String {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned()
}

/// One item of a list page: its resource ID, its name and its properties.
type Item = (String, String, NamedProperties);

/// The items of a list page, each read, or why it was set aside (no ID nor name to file under).
fn read_list(body: &[u8]) -> Result<Vec<Result<Item, String>>, serde_json::Error> {
    let page: ListPage = serde_json::from_slice(body)?;
    Ok(page
        .value
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            let named: Named = serde_json::from_value(item).map_err(|e| e.to_string())?;
            let props = named.properties.unwrap_or_default();
            match (named.id, named.name) {
                (Some(id), name) => {
                    let name = name.unwrap_or_else(|| last_segment(&id));
                    Ok((id, name, props))
                }
                (None, _) => Err("an item without its resource ID".to_owned()),
            }
        })
        .collect())
}

/// `ServicesListResult`: each service read, or why one was set aside.
pub fn read_services(body: &[u8]) -> Result<Vec<Result<ServiceRead, String>>, serde_json::Error> {
    Ok(read_list(body)?
        .into_iter()
        .map(|item| {
            item.map(|(id, name, props)| ServiceRead {
                id,
                name,
                display_name: props.display_name.unwrap_or_default(),
                resource_types: props.resource_types.unwrap_or_default(),
            })
        })
        .collect())
}

/// `ProblemClassificationsListResult`: each classification read, or why one was set aside.
pub fn read_classifications(body: &[u8]) -> Result<Vec<Result<ProblemClassificationRead, String>>, serde_json::Error> {
    Ok(read_list(body)?
        .into_iter()
        .map(|item| item.map(|(id, _, props)| ProblemClassificationRead { id, display_name: props.display_name.unwrap_or_default() }))
        .collect())
}

/// The service a reservation's ticket is filed under: one covering reservations' own ARM
/// resource types (`MICROSOFT.CAPACITY/…`), else the one Azure names `Billing`; `None` when
/// Azure lists neither (the desk then refuses rather than guess).
pub fn choose_service(services: &[ServiceRead]) -> Option<&ServiceRead> {
    services
        .iter()
        .find(|s| s.resource_types.iter().any(|t| t.to_ascii_uppercase().starts_with("MICROSOFT.CAPACITY/")))
        .or_else(|| services.iter().find(|s| s.display_name.trim().eq_ignore_ascii_case("Billing")))
}

/// The classification for a reservation's exchange or refund: the one whose display name names
/// reservation management and both exchanges and refunds (the portal's "Reservation Management /
/// Exchanges and Refunds"), else one naming reservations and either; `None` when none does.
pub fn choose_classification(classifications: &[ProblemClassificationRead]) -> Option<&ProblemClassificationRead> {
    let words = |c: &ProblemClassificationRead| {
        let name = c.display_name.to_lowercase();
        (name.contains("reservation"), name.contains("exchange"), name.contains("refund"))
    };
    classifications
        .iter()
        .find(|c| words(c) == (true, true, true))
        .or_else(|| classifications.iter().find(|c| matches!(words(c), (true, true, _) | (true, _, true))))
}

/// `CheckNameAvailabilityInput`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckNameAvailabilityInput {
    /// The ticket name.
    pub name: String,
    /// Always [`TICKET_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
}

impl CheckNameAvailabilityInput {
    /// The check of ticket name `name`.
    pub fn ticket(name: &str) -> Self {
        Self { name: name.to_owned(), kind: TICKET_TYPE.to_owned() }
    }
}

/// `CheckNameAvailabilityOutput`: nothing required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckNameAvailabilityOutput {
    /// Whether the name is free (absent: unknown).
    #[serde(default)]
    pub name_available: Option<bool>,
    /// Why not.
    #[serde(default)]
    pub reason: Option<String>,
    /// Azure's message.
    #[serde(default)]
    pub message: Option<String>,
}

/// `ContactProfile`, every property the specification requires, and the phone when the
/// preferred method is phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactProfile {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// `email` or `phone`.
    pub preferred_contact_method: String,
    /// The e-mail address.
    pub primary_email_address: String,
    /// The phone number (required with `phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// A name of Microsoft's Time Zone Index (`W. Europe Standard Time`).
    pub preferred_time_zone: String,
    /// ISO 3166-1 alpha-3.
    pub country: String,
    /// One of Azure's support languages (`en-us`, `de-de`, `zh-hans`, …).
    pub preferred_support_language: String,
}

/// The properties a new ticket is sent with: those the specification requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketCreateProperties {
    /// The service's resource ID.
    pub service_id: String,
    /// The title (the request's summary).
    pub title: String,
    /// The description (the request's details, with the reservation's and order's IDs).
    pub description: String,
    /// The problem classification's resource ID.
    pub problem_classification_id: String,
    /// `minimal`, `moderate`, `critical` or `highestcriticalimpact`.
    pub severity: String,
    /// Always `No`: the desk grants Microsoft no access to the customer's resources.
    pub advanced_diagnostic_consent: String,
    /// Who support talks to.
    pub contact_details: ContactProfile,
}

/// The body of `PUT …/supportTickets/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketCreate {
    /// The properties.
    pub properties: TicketCreateProperties,
}

/// A ticket as the desk reads it back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketRead {
    /// Its name (the last segment of its ID when `name` is absent).
    pub name: Option<String>,
    /// Microsoft's ticket number (`supportTicketId`).
    pub support_ticket_id: Option<String>,
    /// Its status (`Open`, `Closed`, …).
    pub status: Option<String>,
    /// When Azure created it.
    pub created_date: Option<String>,
    /// Its severity.
    pub severity: Option<String>,
    /// The service's display name.
    pub service_display_name: Option<String>,
    /// The problem classification's display name.
    pub problem_classification_display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TicketWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    properties: Option<TicketWireProperties>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TicketWireProperties {
    #[serde(default)]
    support_ticket_id: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    created_date: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    service_display_name: Option<String>,
    #[serde(default)]
    problem_classification_display_name: Option<String>,
}

/// `SupportTicketDetails`: `properties` is required; the rest is read when present.
pub fn read_ticket(value: serde_json::Value) -> Result<TicketRead, String> {
    let wire: TicketWire = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let props = wire.properties.ok_or_else(|| "the ticket has no properties".to_owned())?;
    Ok(TicketRead {
        name: wire.name.or_else(|| wire.id.as_deref().map(last_segment)),
        support_ticket_id: props.support_ticket_id,
        status: props.status,
        created_date: props.created_date,
        severity: props.severity,
        service_display_name: props.service_display_name,
        problem_classification_display_name: props.problem_classification_display_name,
    })
}

/// Azure's support language for the desk's language code (`en`, `de`, `zh-CN`, or one of
/// Azure's own): the specification's list is `en-us`, `zh-hans`, `es-es`, `fr-fr`, `ja-jp`,
/// `ko-kr`, `ru-ru`, `pt-br`, `it-it`, `zh-tw`, `de-de`; Swedish and Dutch are not on it.
pub fn support_language(code: &str) -> Option<&'static str> {
    const AZURE: [&str; 11] = ["en-us", "zh-hans", "es-es", "fr-fr", "ja-jp", "ko-kr", "ru-ru", "pt-br", "it-it", "zh-tw", "de-de"];
    let code = code.trim().to_ascii_lowercase();
    if let Some(own) = AZURE.iter().find(|a| **a == code) {
        return Some(own);
    }
    match code.as_str() {
        "en" | "en-gb" => Some("en-us"),
        "de" | "de-at" | "de-ch" => Some("de-de"),
        "zh-cn" | "zh" => Some("zh-hans"),
        "es" => Some("es-es"),
        "fr" => Some("fr-fr"),
        "ja" => Some("ja-jp"),
        "ko" => Some("ko-kr"),
        "ru" => Some("ru-ru"),
        "pt" => Some("pt-br"),
        "it" => Some("it-it"),
        _ => None,
    }
}

/// Microsoft's Time Zone Index name for an IANA zone (CLDR's `windowsZones` mapping of the
/// zones partners' users are in), or the Index name itself; `None` for a zone not on it.
pub fn windows_time_zone(zone: &str) -> Option<&'static str> {
    const ZONES: [(&str, &str); 48] = [
        ("UTC", "UTC"), ("Etc/UTC", "UTC"), ("Europe/London", "GMT Standard Time"), ("Europe/Dublin", "GMT Standard Time"),
        ("Europe/Lisbon", "GMT Standard Time"), ("Europe/Berlin", "W. Europe Standard Time"), ("Europe/Amsterdam", "W. Europe Standard Time"),
        ("Europe/Stockholm", "W. Europe Standard Time"), ("Europe/Vienna", "W. Europe Standard Time"), ("Europe/Zurich", "W. Europe Standard Time"),
        ("Europe/Rome", "W. Europe Standard Time"), ("Europe/Oslo", "W. Europe Standard Time"), ("Europe/Luxembourg", "W. Europe Standard Time"),
        ("Europe/Brussels", "Romance Standard Time"), ("Europe/Paris", "Romance Standard Time"), ("Europe/Madrid", "Romance Standard Time"),
        ("Europe/Copenhagen", "Romance Standard Time"), ("Europe/Warsaw", "Central European Standard Time"), ("Europe/Prague", "Central Europe Standard Time"),
        ("Europe/Budapest", "Central Europe Standard Time"), ("Europe/Helsinki", "FLE Standard Time"), ("Europe/Athens", "GTB Standard Time"),
        ("Europe/Bucharest", "GTB Standard Time"), ("Europe/Istanbul", "Turkey Standard Time"), ("Europe/Moscow", "Russian Standard Time"),
        ("America/New_York", "Eastern Standard Time"), ("America/Toronto", "Eastern Standard Time"), ("America/Chicago", "Central Standard Time"),
        ("America/Denver", "Mountain Standard Time"), ("America/Phoenix", "US Mountain Standard Time"), ("America/Los_Angeles", "Pacific Standard Time"),
        ("America/Vancouver", "Pacific Standard Time"), ("America/Anchorage", "Alaskan Standard Time"), ("Pacific/Honolulu", "Hawaiian Standard Time"),
        ("America/Sao_Paulo", "E. South America Standard Time"), ("America/Mexico_City", "Central Standard Time (Mexico)"), ("Asia/Shanghai", "China Standard Time"),
        ("Asia/Hong_Kong", "China Standard Time"), ("Asia/Taipei", "Taipei Standard Time"), ("Asia/Tokyo", "Tokyo Standard Time"), ("Asia/Seoul", "Korea Standard Time"),
        ("Asia/Singapore", "Singapore Standard Time"), ("Asia/Kolkata", "India Standard Time"), ("Asia/Dubai", "Arabian Standard Time"),
        ("Australia/Sydney", "AUS Eastern Standard Time"), ("Australia/Melbourne", "AUS Eastern Standard Time"), ("Australia/Perth", "W. Australia Standard Time"),
        ("Pacific/Auckland", "New Zealand Standard Time"),
    ];
    let zone = zone.trim();
    ZONES.iter().find(|(iana, windows)| iana.eq_ignore_ascii_case(zone) || windows.eq_ignore_ascii_case(zone)).map(|(_, windows)| *windows)
}

/// Whether `country` is written as the specification asks: three ASCII letters (ISO 3166-1
/// alpha-3, e.g. `DEU`, `USA`, `SWE`).
pub fn is_alpha3(country: &str) -> bool {
    country.len() == 3 && country.bytes().all(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_zones_and_countries_are_azures() {
        assert_eq!(support_language("de"), Some("de-de"));
        assert_eq!(support_language("zh-CN"), Some("zh-hans"));
        assert_eq!(support_language("en-US"), Some("en-us"));
        assert_eq!(support_language("sv"), None);
        assert_eq!(windows_time_zone("Europe/Berlin"), Some("W. Europe Standard Time"));
        assert_eq!(windows_time_zone("Pacific Standard Time"), Some("Pacific Standard Time"));
        assert_eq!(windows_time_zone("Mars/Olympus"), None);
        assert!(is_alpha3("DEU") && !is_alpha3("DE") && !is_alpha3("D3U"));
    }

    #[test]
    fn no_service_or_classification_is_guessed() {
        let quotas = ServiceRead { id: "/s/q".into(), name: "q".into(), display_name: "Service and subscription limits (quotas)".into(), resource_types: vec![] };
        assert_eq!(choose_service(std::slice::from_ref(&quotas)), None);
        let invoices = ProblemClassificationRead { id: "/p/1".into(), display_name: "Reservation Management / Request Invoices".into() };
        assert_eq!(choose_classification(std::slice::from_ref(&invoices)), None);
    }
}
