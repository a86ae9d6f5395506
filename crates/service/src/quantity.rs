//! Quantities as a partner types them: one parser for every form (refund, exchange returns and
//! purchases), so the same text means the same number everywhere.

/// A whole number within `1..=max` (surrounding spaces allowed), or `None`.
pub fn parse_quantity(text: &str, max: u32) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|q| (1..=max).contains(q))
}

/// An optional quantity: blank or 0 means "none of it" (`Some(0)`); else as [`parse_quantity`].
pub fn parse_optional_quantity(text: &str, max: u32) -> Option<u32> {
    match text.trim() {
        "" | "0" => Some(0),
        other => parse_quantity(other, max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_is_a_whole_number_within_the_range() {
        assert_eq!(parse_quantity("2", 4), Some(2));
        assert_eq!(parse_quantity(" 4 ", 4), Some(4));
        for bad in ["0", "5", "-1", "1.5", "", "two", "1e2"] {
            assert_eq!(parse_quantity(bad, 4), None, "{bad:?}");
        }
    }

    #[test]
    fn an_optional_quantity_may_be_blank_or_zero() {
        assert_eq!(parse_optional_quantity("", 2), Some(0));
        assert_eq!(parse_optional_quantity(" 0 ", 2), Some(0));
        assert_eq!(parse_optional_quantity("2", 2), Some(2));
        assert_eq!(parse_optional_quantity("3", 2), None);
        assert_eq!(parse_optional_quantity("x", 2), None);
    }
}
