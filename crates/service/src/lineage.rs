//! Split, merge and archive: how a reservation's units move between reservations of one order
//! without touching money. The parts of a split and the result of a merge keep the order's
//! purchase date, term, billing plan and unit price, so a later refund of any of their units is
//! quoted exactly as the same units of the original would have been; the refund ledger is not
//! touched. Both backends call these through the desk.

use contract::{MergeProperties, ProblemCode, ProvisioningState, Reservation, SplitProperties};

use crate::error::ServiceError;

/// The most reservations one merge takes.
pub const MAX_MERGE_SOURCES: usize = 20;

fn not_active(r: &Reservation, what: &str) -> ServiceError {
    ServiceError::new(
        ProblemCode::NotActive,
        format!("Reservation {} is {:?}; only an active reservation can be {what}.", r.id, r.provisioning_state),
    )
}

/// `source` split into two parts with `quantities` (each at least 1, together its quantity)
/// and the IDs `part_ids`: the source as it is afterwards (state `Split`, linked to its parts)
/// and the two parts (active, linked to the source, named after it).
pub fn split(
    source: &Reservation,
    quantities: &[u32],
    part_ids: [String; 2],
) -> Result<(Reservation, [Reservation; 2]), ServiceError> {
    if source.provisioning_state != ProvisioningState::Succeeded {
        return Err(not_active(source, "split"));
    }
    if let Some(error) = split_quantities_error(source.quantity, quantities) {
        return Err(error);
    }
    let (first, second) = (quantities[0], quantities[1]);
    let part = |id: &str, quantity: u32, n: u32| {
        let mut part = source.clone();
        part.id = id.to_owned();
        part.quantity = quantity;
        part.display_name = numbered(&source.display_name, n);
        part.archived = false;
        part.merge_properties = None;
        part.split_properties = Some(SplitProperties { split_destinations: Vec::new(), split_source: Some(source.id.clone()) });
        part
    };
    let parts = [part(&part_ids[0], first, 1), part(&part_ids[1], second, 2)];
    let mut after = source.clone();
    after.provisioning_state = ProvisioningState::Split;
    let came_from = source.split_properties.as_ref().and_then(|p| p.split_source.clone());
    after.split_properties = Some(SplitProperties { split_destinations: part_ids.to_vec(), split_source: came_from });
    Ok((after, parts))
}

/// `name_n`, within the display name's length limit.
fn numbered(name: &str, n: u32) -> String {
    let suffix = format!("_{n}");
    let keep = crate::configuration::MAX_DISPLAY_NAME - suffix.len();
    let base: String = name.chars().take(keep).collect();
    format!("{base}{suffix}")
}

/// The reservations named by `sources` (all of `order`, the order's reservations) merged into
/// one with the ID `merged_id`: the sources as they are afterwards (state `Merged`, linked to
/// the result) and the result (their units together, the first source's name and scope).
///
/// As in Azure: two or more distinct active reservations of one order, of the same SKU, region,
/// term, billing plan, price and scope.
pub fn merge(
    order: &[Reservation],
    sources: &[String],
    merged_id: String,
) -> Result<(Vec<Reservation>, Reservation), ServiceError> {
    if sources.len() < 2 || sources.len() > MAX_MERGE_SOURCES {
        return Err(ServiceError::invalid(
            ProblemCode::QuantityOutOfRange,
            "sources",
            format!("Merge takes 2 to {MAX_MERGE_SOURCES} reservations (got {}).", sources.len()),
        ));
    }
    let mut found: Vec<&Reservation> = Vec::with_capacity(sources.len());
    for (i, id) in sources.iter().enumerate() {
        if sources[..i].contains(id) {
            return Err(ServiceError::invalid(
                ProblemCode::ListedTwice,
                &format!("sources[{i}]"),
                format!("Reservation {id} is listed twice."),
            ));
        }
        let r = order.iter().find(|r| &r.id == id).ok_or_else(|| {
            ServiceError::invalid(ProblemCode::UnknownReservation, &format!("sources[{i}]"), format!("This order has no reservation {id}."))
        })?;
        if r.provisioning_state != ProvisioningState::Succeeded {
            return Err(not_active(r, "merged"));
        }
        found.push(r);
    }
    let first = found[0];
    for (i, r) in found.iter().enumerate().skip(1) {
        if let Some(what) = unlike(first, r) {
            return Err(ServiceError::invalid(
                ProblemCode::NotAlike,
                &format!("sources[{i}]"),
                format!("Reservation {} has another {what} than {}; only alike reservations can be merged.", r.id, first.id),
            ));
        }
    }
    let quantity = found.iter().try_fold(0u32, |sum, r| sum.checked_add(r.quantity)).ok_or_else(|| {
        ServiceError::invalid(ProblemCode::QuantityOutOfRange, "sources", "The merged quantity is too large.")
    })?;
    let mut merged = first.clone();
    merged.id = merged_id.clone();
    merged.quantity = quantity;
    // Parts of one split put back together take their source's name again (not "name_1").
    let came_from = |r: &Reservation| r.split_properties.as_ref().and_then(|p| p.split_source.clone());
    let source = came_from(first).filter(|id| found.iter().all(|r| came_from(r).as_ref() == Some(id)));
    if let Some(original) = source.and_then(|id| order.iter().find(|r| r.id == id)) {
        merged.display_name = original.display_name.clone();
    }
    merged.renew = found.iter().all(|r| r.renew);
    merged.archived = false;
    merged.split_properties = None;
    merged.merge_properties = Some(MergeProperties { merge_destination: None, merge_sources: sources.to_vec() });
    let after = found
        .into_iter()
        .map(|r| {
            let mut r = r.clone();
            r.provisioning_state = ProvisioningState::Merged;
            let sources = r.merge_properties.take().map(|p| p.merge_sources).unwrap_or_default();
            r.merge_properties = Some(MergeProperties { merge_destination: Some(merged_id.clone()), merge_sources: sources });
            r
        })
        .collect();
    Ok((after, merged))
}

/// What differs between `a` and `b` that a merge needs alike (SKU, region, term, billing plan,
/// term dates, price, scope), or `None` when they may be merged.
fn unlike(a: &Reservation, b: &Reservation) -> Option<&'static str> {
    let differs = [
        (a.sku_name != b.sku_name, "SKU"),
        (a.location != b.location, "region"),
        (a.term != b.term, "term"),
        (a.billing_plan != b.billing_plan, "billing plan"),
        (a.purchase_date != b.purchase_date || a.expiry_date != b.expiry_date, "term dates"),
        (a.unit_price != b.unit_price || a.pricing_unit_price != b.pricing_unit_price, "price"),
        (a.applied_scope_type != b.applied_scope_type || a.applied_scope_properties != b.applied_scope_properties, "scope"),
    ];
    differs.into_iter().find(|(differs, _)| *differs).map(|(_, what)| what)
}

/// The reservations of `order` that may be merged with `with`: active, of the same order and
/// alike (what [`merge`] accepts), `with` itself left out.
pub fn merge_candidates<'a>(order: &'a [Reservation], with: &Reservation) -> Vec<&'a Reservation> {
    order
        .iter()
        .filter(|r| {
            r.id != with.id
                && r.reservation_order_id == with.reservation_order_id
                && r.provisioning_state == ProvisioningState::Succeeded
                && with.provisioning_state == ProvisioningState::Succeeded
                && unlike(with, r).is_none()
        })
        .collect()
}

/// Why two split quantities of a reservation of `quantity` units cannot be taken (the 400 of
/// [`split`]), or `None`.
pub fn split_quantities_error(quantity: u32, quantities: &[u32]) -> Option<ServiceError> {
    let error = |detail: String| Some(ServiceError::invalid(ProblemCode::QuantityOutOfRange, "quantities", detail));
    let &[first, second] = quantities else {
        return error(format!("Give exactly two quantities (got {}).", quantities.len()));
    };
    if first == 0 || second == 0 || first.checked_add(second) != Some(quantity) {
        return error(format!(
            "The two quantities must each be at least 1 and add up to the reservation's {quantity} (got {first} and {second})."
        ));
    }
    None
}

/// `r` archived (`archive`) or back in the lists: only a finished reservation (cancelled,
/// expired, failed, split or merged) can be archived; archiving twice or unarchiving one that is
/// not archived changes nothing.
pub fn archive(r: &Reservation, archive: bool) -> Result<Reservation, ServiceError> {
    if archive && !r.provisioning_state.is_finished() {
        return Err(ServiceError::invalid(
            ProblemCode::IsActive,
            "reservationId",
            format!(
                "Reservation {} is {:?}; only a cancelled, expired, failed, split or merged reservation can be archived.",
                r.id, r.provisioning_state
            ),
        ));
    }
    let mut after = r.clone();
    after.archived = archive;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::demo_data;
    use chrono::NaiveDate;

    fn active() -> Reservation {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let data = demo_data(today);
        let r = data.reservations.into_iter().map(|s| s.reservation);
        r.into_iter().find(|r| r.provisioning_state == ProvisioningState::Succeeded && r.quantity >= 3).unwrap()
    }

    #[test]
    fn a_split_keeps_every_unit_and_the_price_and_links_both_ways() {
        let source = active();
        let q = source.quantity;
        let (after, [a, b]) = split(&source, &[1, q - 1], ["a".into(), "b".into()]).unwrap();
        assert_eq!(after.provisioning_state, ProvisioningState::Split);
        assert_eq!(after.quantity, q, "the source keeps its history");
        assert_eq!(after.split_properties.unwrap().split_destinations, vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!((a.quantity, b.quantity), (1, q - 1));
        for part in [&a, &b] {
            assert_eq!(part.provisioning_state, ProvisioningState::Succeeded);
            assert_eq!((part.unit_price, part.purchase_date, part.term), (source.unit_price, source.purchase_date, source.term));
            assert_eq!(part.reservation_order_id, source.reservation_order_id);
            assert_eq!(part.split_properties.as_ref().unwrap().split_source.as_deref(), Some(source.id.as_str()));
        }
        assert!(a.display_name.ends_with("_1") && b.display_name.ends_with("_2"));
    }

    #[test]
    fn a_split_refuses_quantities_that_do_not_add_up_or_a_finished_reservation() {
        let source = active();
        let q = source.quantity;
        for bad in [vec![q], vec![0, q], vec![1, q], vec![1, 1, q - 2], vec![u32::MAX, 2]] {
            let err = split(&source, &bad, ["a".into(), "b".into()]).unwrap_err();
            assert_eq!((err.status(), err.field()), (400, Some("quantities")), "{bad:?}");
        }
        let mut done = source.clone();
        done.provisioning_state = ProvisioningState::Cancelled;
        let finished = split(&done, &[1, q - 1], ["a".into(), "b".into()]).unwrap_err();
        assert_eq!((finished.code(), finished.status()), (ProblemCode::NotActive, 409));
    }

    #[test]
    fn a_merge_adds_alike_reservations_and_refuses_unlike_ones() {
        let source = active();
        let (_, [a, b]) = split(&source, &[1, source.quantity - 1], ["a".into(), "b".into()]).unwrap();
        let order = vec![a.clone(), b.clone()];
        let (after, merged) = merge(&order, &["a".into(), "b".into()], "m".into()).unwrap();
        assert_eq!(merged.quantity, source.quantity);
        assert_eq!(merged.display_name, a.display_name, "without the source in the order, the first part's name");
        let (_, whole) = merge(&[source.clone(), a.clone(), b.clone()], &["a".into(), "b".into()], "m".into()).unwrap();
        assert_eq!(whole.display_name, source.display_name, "the parts of one split take their source's name again");
        assert_eq!(merged.merge_properties.as_ref().unwrap().merge_sources, vec!["a".to_owned(), "b".to_owned()]);
        assert!(after.iter().all(|r| r.provisioning_state == ProvisioningState::Merged
            && r.merge_properties.as_ref().unwrap().merge_destination.as_deref() == Some("m")));

        assert_eq!(merge(&order, &["a".into()], "m".into()).unwrap_err().field(), Some("sources"));
        assert_eq!(merge(&order, &["a".into(), "a".into()], "m".into()).unwrap_err().field(), Some("sources[1]"));
        let unknown = merge(&order, &["a".into(), "x".into()], "m".into()).unwrap_err();
        assert_eq!((unknown.field(), unknown.code(), unknown.status()), (Some("sources[1]"), ProblemCode::UnknownReservation, 400));
        let mut other_scope = b.clone();
        other_scope.applied_scope_type = if a.applied_scope_type == contract::AppliedScopeType::Shared {
            contract::AppliedScopeType::Single
        } else {
            contract::AppliedScopeType::Shared
        };
        let err = merge(&[a.clone(), other_scope], &["a".into(), "b".into()], "m".into()).unwrap_err();
        assert!(err.to_string().contains("scope"), "{err}");
        let mut finished = b;
        finished.provisioning_state = ProvisioningState::Merged;
        assert_eq!(merge(&[a, finished], &["a".into(), "b".into()], "m".into()).unwrap_err().status(), 409);
    }

    #[test]
    fn only_finished_reservations_can_be_archived() {
        let r = active();
        let active = archive(&r, true).unwrap_err();
        assert_eq!((active.code(), active.status(), active.field()), (ProblemCode::IsActive, 400, Some("reservationId")));
        assert!(!archive(&r, false).unwrap().archived, "unarchiving an active one changes nothing");
        for state in [ProvisioningState::Cancelled, ProvisioningState::Expired, ProvisioningState::Split, ProvisioningState::Merged] {
            let mut done = r.clone();
            done.provisioning_state = state;
            assert!(archive(&done, true).unwrap().archived);
            assert!(!archive(&archive(&done, true).unwrap(), false).unwrap().archived);
        }
    }

    #[test]
    fn merge_candidates_are_what_merge_accepts() {
        let source = active();
        let (_, [a, b]) = split(&source, &[1, source.quantity - 1], ["a".into(), "b".into()]).unwrap();
        let mut other_sku = b.clone();
        other_sku.id = "c".into();
        other_sku.sku_name = "Standard_Other".into();
        let order = vec![a.clone(), b.clone(), other_sku];
        let ids: Vec<&str> = merge_candidates(&order, &a).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b"]);
        for candidate in merge_candidates(&order, &a) {
            assert!(merge(&order, &[a.id.clone(), candidate.id.clone()], "m".into()).is_ok());
        }
        assert!(merge(&order, &["a".into(), "c".into()], "m".into()).is_err());
    }

    #[test]
    fn part_names_stay_within_the_limit() {
        let long = "x".repeat(crate::configuration::MAX_DISPLAY_NAME);
        assert_eq!(numbered(&long, 2).chars().count(), crate::configuration::MAX_DISPLAY_NAME);
    }
}
