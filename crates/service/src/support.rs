//! Support requests: validation of the wizard's answers, and the created request.

use contract::{ContactMethod, NewSupportRequest, Reservation, SupportRequest};

use crate::error::ServiceError;
use contract::ProblemCode;

/// The longest summary accepted.
pub const MAX_SUMMARY: usize = 140;

fn required(value: &str, field: &str, what: &str) -> Result<(), ServiceError> {
    if value.trim().is_empty() {
        return Err(ServiceError::invalid(ProblemCode::Required, field, format!("Enter {what}.")));
    }
    Ok(())
}

/// Checks a new request (every required field, a plausible email, a phone when phone is the
/// preferred method) about `reservation`, whose order must match.
pub fn validate(request: &NewSupportRequest, reservation: &Reservation) -> Result<(), ServiceError> {
    if request.reservation_order_id != reservation.reservation_order_id {
        return Err(ServiceError::not_found(format!(
            "Reservation order '{}' has no reservation '{}'.",
            request.reservation_order_id, request.reservation_id
        )));
    }
    required(&request.summary, "summary", "a summary")?;
    if request.summary.trim().chars().count() > MAX_SUMMARY {
        return Err(ServiceError::invalid(ProblemCode::TooLong, "summary", format!("Keep the summary to {MAX_SUMMARY} characters.")));
    }
    required(&request.details, "details", "the details of the problem")?;
    let c = &request.contact;
    required(&c.name, "contact.name", "a contact name")?;
    required(&c.email, "contact.email", "an email address")?;
    let email = c.email.trim();
    let plausible = email.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !email.contains(' ')
    });
    if !plausible {
        return Err(ServiceError::invalid(ProblemCode::InvalidEmail, "contact.email", "Enter an email address such as name@example.com."));
    }
    if c.preferred_contact_method == ContactMethod::Phone {
        required(&c.phone, "contact.phone", "a phone number (phone is the preferred contact method)")?;
    }
    if !c.phone.trim().is_empty() && !c.phone.chars().all(|ch| ch.is_ascii_digit() || " +-()".contains(ch)) {
        return Err(ServiceError::invalid(ProblemCode::InvalidPhone, "contact.phone", "A phone number has digits, spaces, +, - and parentheses only."));
    }
    required(&c.language, "contact.language", "a support language")?;
    required(&c.time_zone, "contact.timeZone", "a time zone")?;
    let country = c.country.trim();
    let alpha3 = country.len() == 3 && country.bytes().all(|b| b.is_ascii_alphabetic());
    if !country.is_empty() && !alpha3 {
        return Err(ServiceError::invalid(ProblemCode::Required, "contact.country", "Enter the country as its three-letter code (ISO 3166-1 alpha-3), such as DEU or USA."));
    }
    Ok(())
}

/// The created request: `id` and `created_time` come from the backend.
pub fn create(request: NewSupportRequest, reservation: &Reservation, id: String, created_time: String) -> SupportRequest {
    let mut request = request;
    request.summary = request.summary.trim().to_owned();
    SupportRequest {
        id,
        customer_id: reservation.customer_id.clone(),
        issue_type: "Billing".into(),
        problem_type: "Reservation management".into(),
        category: "Exchanges and refunds".into(),
        request,
        status: "Open".into(),
        created_time,
        azure_ticket: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use chrono::NaiveDate;
    use contract::ContactInformation;

    fn setup() -> (NewSupportRequest, Reservation) {
        let r = demo_data(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).reservations[0].reservation.clone();
        let request = NewSupportRequest {
            summary: "Refund two units".into(),
            details: "The workload moved.".into(),
            reservation_id: r.id.clone(),
            reservation_order_id: r.reservation_order_id.clone(),
            severity: Default::default(),
            attached_quote: None,
            contact: ContactInformation {
                preferred_contact_method: ContactMethod::Email,
                name: "Ada".into(),
                email: "ada@contoso.com".into(),
                phone: String::new(),
                language: "en".into(),
                time_zone: "Europe/Berlin".into(),
                country: String::new(),
            },
        };
        (request, r)
    }

    #[test]
    fn a_complete_request_is_accepted_and_gets_the_fixed_classification() {
        let (request, r) = setup();
        validate(&request, &r).unwrap();
        let created = create(request, &r, "1".into(), "2026-11-22T10:00:00Z".into());
        assert_eq!(created.issue_type, "Billing");
        assert_eq!(created.category, "Exchanges and refunds");
        assert_eq!(created.status, "Open");
    }

    #[test]
    fn each_missing_or_bad_answer_names_its_field() {
        let (base, r) = setup();
        type Change = fn(&mut NewSupportRequest);
        let cases: Vec<(Change, &str)> = vec![
            (|q| q.summary = " ".into(), "summary"),
            (|q| q.summary = "x".repeat(141), "summary"),
            (|q| q.details = String::new(), "details"),
            (|q| q.contact.name = String::new(), "contact.name"),
            (|q| q.contact.email = "ada.contoso.com".into(), "contact.email"),
            (|q| q.contact.preferred_contact_method = ContactMethod::Phone, "contact.phone"),
            (|q| q.contact.phone = "call me".into(), "contact.phone"),
        ];
        for (change, field) in cases {
            let mut q = base.clone();
            change(&mut q);
            assert_eq!(validate(&q, &r).unwrap_err().field(), Some(field));
        }
        let mut wrong_order = base.clone();
        wrong_order.reservation_order_id = "other".into();
        assert_eq!(validate(&wrong_order, &r).unwrap_err().status(), 404);
    }
}
