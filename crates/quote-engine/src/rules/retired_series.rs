//! Retired VM series: the series × term combinations Microsoft no longer sells or renews as
//! reservations, each from its own date. Sources and the exact sentences: docs/policy-sources.md.
//!
//! Only what was confirmed on Microsoft Learn is here. Earlier cut-offs reported elsewhere (3-year
//! terms of D, Ds, Dv2, Dsv2, Ls from 1 May 2025; of Av2, Amv2, Bv1, F, Fs, Fsv2, G, Gs, Lsv2
//! from 15 November 2025; HBv2 and NP from 2 April 2026) could not be confirmed and are left out
//! (docs/policy-sources.md, "Not confirmed").

use chrono::NaiveDate;

use crate::term::Term;

/// One series × term that can no longer be bought or renewed as a reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetiredSeries {
    /// The VM series, as [`crate::vm_series`] names it, e.g. `Dsv3`.
    pub series: &'static str,
    /// The reservation term that is retired.
    pub term: Term,
    /// The first day on which neither a purchase nor a renewal is possible.
    pub from: NaiveDate,
    /// Where Microsoft says so.
    pub source: &'static str,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the retired series list"),
    }
}

/// Microsoft Learn, "Transition guide for retired Azure Reserved VM Instances"
/// (cost-management-billing/reservations/manage-legacy-vm-reservations-after-july-1-2026, ms.date
/// 2026-05-01): "Starting **July 1, 2026**, purchases and renewals are no longer available for the
/// following Azure Reserved VM Instances (RIs): **One-year RIs** for the VM series: Av2, Amv2, Bv1,
/// D, Ds, Dv2, Dsv2, F, Fs, Fsv2, G, Gs, Ls, and Lsv2. **One-year and three-year RIs** for the VM
/// series: Dv3, Dsv3, Ev3, and Esv3."
const LEGACY_VM_RIS_2026: &str =
    "Microsoft Learn, Transition guide for retired Azure Reserved VM Instances (2026-05-01)";
const JULY_1_2026: NaiveDate = date(2026, 7, 1);

macro_rules! retired {
    ($($series:literal $term:ident $from:ident $source:ident),* $(,)?) => {
        &[$(RetiredSeries { series: $series, term: Term::$term, from: $from, source: $source }),*]
    };
}

/// Every retired series × term, with the day from which it is retired.
pub const RETIRED_SERIES: &[RetiredSeries] = retired![
    // One-year reservations only (source: LEGACY_VM_RIS_2026).
    "Av2" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Amv2" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Bv1" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "D" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Ds" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Dv2" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Dsv2" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "F" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Fs" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Fsv2" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "G" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Gs" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Ls" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Lsv2" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    // One- and three-year reservations (source: LEGACY_VM_RIS_2026).
    "Dv3" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Dv3" P3Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Dsv3" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Dsv3" P3Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Ev3" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Ev3" P3Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Esv3" P1Y JULY_1_2026 LEGACY_VM_RIS_2026,
    "Esv3" P3Y JULY_1_2026 LEGACY_VM_RIS_2026,
];

/// The retirement that keeps `series` × `term` from being bought or renewed on `on`, if any.
pub fn retirement(series: &str, term: Term, on: NaiveDate) -> Option<&'static RetiredSeries> {
    RETIRED_SERIES
        .iter()
        .filter(|r| r.series == series && r.term == term && r.from <= on)
        .min_by_key(|r| r.from)
}
