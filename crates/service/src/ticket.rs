//! The partner's own change or ticket reference on a money move: free text under the display
//! name's rules (one line, 1 to 64 characters), required where the deployment says so.

use contract::ProblemCode;

use crate::configuration::{is_control_character, MAX_DISPLAY_NAME};
use crate::error::ServiceError;

/// The request field it is read from, on a refund, an exchange and so an approval request.
pub const FIELD: &str = "ticketReference";

/// A move's ticket reference as the desk keeps it: trimmed, `None` when absent or blank, or why
/// not: a 400 `ticketReferenceRequired` when the deployment requires one (`required`) and there
/// is none, `tooLong` past [`MAX_DISPLAY_NAME`] characters, `controlCharacter` for anything that
/// is not one line of plain text.
pub fn ticket_reference(value: Option<&str>, required: bool) -> Result<Option<String>, ServiceError> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    let Some(value) = value else {
        return match required {
            true => Err(ServiceError::invalid(
                ProblemCode::TicketReferenceRequired,
                FIELD,
                "This deployment requires your change or ticket reference on every refund and exchange.",
            )),
            false => Ok(None),
        };
    };
    if value.chars().count() > MAX_DISPLAY_NAME {
        return Err(ServiceError::invalid(
            ProblemCode::TooLong,
            FIELD,
            format!("The ticket reference must be 1 to {MAX_DISPLAY_NAME} characters."),
        ));
    }
    if let Some(c) = value.chars().find(|&c| is_control_character(c)) {
        return Err(ServiceError::invalid(
            ProblemCode::ControlCharacter,
            FIELD,
            format!("The ticket reference must be one line of plain text; it holds the control character U+{:04X}.", u32::from(c)),
        ));
    }
    Ok(Some(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<Option<String>, ServiceError>) -> Option<(ProblemCode, String)> {
        result.err().map(|e| (e.code(), e.field().unwrap_or_default().to_owned()))
    }

    #[test]
    fn a_reference_is_kept_trimmed_and_a_blank_one_is_none_unless_the_deployment_requires_one() {
        assert_eq!(ticket_reference(Some("  CHG-4711 "), false).unwrap().as_deref(), Some("CHG-4711"));
        assert_eq!(ticket_reference(Some("  CHG-4711 "), true).unwrap().as_deref(), Some("CHG-4711"));
        assert_eq!(ticket_reference(Some("   "), false).unwrap(), None);
        assert_eq!(ticket_reference(None, false).unwrap(), None);
        for missing in [None, Some(""), Some(" \u{a0}")] {
            assert_eq!(code(ticket_reference(missing, true)), Some((ProblemCode::TicketReferenceRequired, FIELD.to_owned())), "{missing:?}");
        }
    }

    #[test]
    fn a_reference_follows_the_display_names_rules() {
        let longest = "é".repeat(MAX_DISPLAY_NAME);
        assert_eq!(ticket_reference(Some(&longest), true).unwrap(), Some(longest.clone()));
        assert_eq!(code(ticket_reference(Some(&format!("{longest}x")), false)), Some((ProblemCode::TooLong, FIELD.to_owned())));
        for bad in ["CHG\n4711", "CHG\t1", "INC\u{202e}1"] {
            assert_eq!(code(ticket_reference(Some(bad), false)), Some((ProblemCode::ControlCharacter, FIELD.to_owned())), "{bad:?}");
        }
    }
}
