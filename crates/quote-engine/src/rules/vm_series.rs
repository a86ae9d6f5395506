//! A VM size's series from its SKU name: `Standard_D2s_v3` is Dsv3, `Standard_DS2_v2` is Dsv2.
//!
//! Azure's size names follow `[tier]_[family][vCPUs][-constrained][features][_accelerator][_version]`
//! (Microsoft Learn, "Azure virtual machine sizes naming conventions"). A series is named by its
//! family, the feature letters that make a separate series (`s` premium storage, `m` memory,
//! `a` AMD, `d` local disk, `l` low memory, `p` ARM, `b` block storage) and its version:
//! `D2s_v3` → Dsv3, `A2m_v2` → Amv2. The exceptions the retirement lists need:
//!
//! - the first generation's `DS` and `GS` prefixes are D and G with `s`: `DS2` → Ds, `GS2` → Gs;
//! - `i` (isolated) does not make a series: `E64is_v3` is an Esv3 size;
//! - B sizes without a version are the B-series v1, named Bv1 in the retirement lists; with one
//!   they are Bsv2, Basv2 or Bpsv2 (`B2ls_v2` is a Bsv2 size);
//! - the HPC and GPU families (H, HB, HC, HX, NC, ND, NG, NP, NV) are named by family and version
//!   alone: `HB120rs_v2` → HBv2, `NP10s` → NP, `NC24ads_A100_v4` → NCv4.
//!
//! The M-series' names are not normalized (`M128ms` reads as `Mms`): no retirement list names an
//! M series yet. Matching is case-insensitive (`standard_d2s_v3` is Dsv3 too); a name that does not follow the
//! pattern has no series, and no rule that needs one applies to it.

use std::fmt;

/// A VM series in Microsoft's spelling, e.g. `Dsv3`, `Bv1`, `HBv2`, `Gs`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VmSeries(String);

impl VmSeries {
    /// The series name, e.g. `Dsv3`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VmSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for VmSeries {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for VmSeries {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Families named by family and version alone (their feature letters do not make a series).
const HPC_GPU_FAMILIES: &[&str] = &["H", "HB", "HC", "HX", "NC", "ND", "NG", "NP", "NV"];

/// Feature letters that do not make a series of their own (isolated, RDMA, tiny memory).
const NOT_SERIES_FEATURES: &[char] = &['i', 'r', 't'];

/// The series of a VM size name such as `Standard_D2s_v3`; `None` when the name does not follow
/// Azure's size naming.
pub fn vm_series(sku_name: &str) -> Option<VmSeries> {
    let name = sku_name.trim();
    let (tier, size) = name.split_once('_')?;
    if !tier.eq_ignore_ascii_case("Standard") && !tier.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let mut parts = size.split('_');
    let head = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    // The version is the last part when it is `v` and digits (`_A100_v4`: accelerator, version).
    let version = match rest.last() {
        Some(last) if last.len() >= 2 && last[..1].eq_ignore_ascii_case("v") && last[1..].bytes().all(|b| b.is_ascii_digit()) => {
            Some(last[1..].parse::<u32>().ok()?)
        }
        _ => None,
    };
    // Every part between the head and the version must be an accelerator name: a letter, then
    // letters and digits with at least one digit (A100, T4, MI300X).
    let middle = &rest[..rest.len() - usize::from(version.is_some())];
    let accelerator = |p: &&str| {
        p.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && p.bytes().all(|b| b.is_ascii_alphanumeric())
            && p.bytes().any(|b| b.is_ascii_digit())
    };
    if !middle.iter().all(accelerator) {
        return None;
    }

    // head = family letters, vCPU digits (optionally `-constrained`), feature letters.
    let family_len = head.bytes().take_while(u8::is_ascii_alphabetic).count();
    let after_family = &head[family_len..];
    let digits_len = after_family.bytes().take_while(|b| b.is_ascii_digit() || *b == b'-').count();
    let features = &after_family[digits_len..];
    if family_len == 0
        || digits_len == 0
        || !after_family.as_bytes()[0].is_ascii_digit()
        || !features.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let mut family = head[..family_len].to_ascii_uppercase();
    let mut features: String = features.to_ascii_lowercase();
    if family == "DS" || family == "GS" {
        family.truncate(1);
        features.insert(0, 's');
    }
    let is_hpc_gpu = HPC_GPU_FAMILIES.contains(&family.as_str());

    let mut series = family.clone();
    if !is_hpc_gpu {
        series.extend(features.chars().filter(|c| !NOT_SERIES_FEATURES.contains(c)));
    }
    match version {
        // The B-series v2 are Bsv2, Basv2 (AMD) and Bpsv2 (ARM), whatever else the size adds
        // (`B2ts_v2`, `B2ls_v2` are Bsv2 sizes).
        Some(v) if family == "B" => {
            series = format!("B{}sv{v}", features.chars().filter(|c| matches!(c, 'a' | 'p')).collect::<String>());
        }
        Some(v) if v >= 2 => series.push_str(&format!("v{v}")),
        // B sizes without a version are the B-series v1 (named Bv1 in the retirement lists).
        None if family == "B" => series = "Bv1".to_owned(),
        _ => {}
    }
    Some(VmSeries(series))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_of_each_retired_family_and_its_neighbours() {
        for (sku, series) in [
            ("Standard_D2s_v3", "Dsv3"),
            ("Standard_D2_v3", "Dv3"),
            ("Standard_E4s_v3", "Esv3"),
            ("Standard_E4_v3", "Ev3"),
            ("Standard_E64is_v3", "Esv3"),
            ("Standard_E64i_v3", "Ev3"),
            ("Standard_E64-32s_v3", "Esv3"),
            ("Standard_DS2_v2", "Dsv2"),
            ("Standard_DS15_v2", "Dsv2"),
            ("Standard_D2_v2", "Dv2"),
            ("Standard_D11_v2", "Dv2"),
            ("Standard_D2", "D"),
            ("Standard_DS2", "Ds"),
            ("Standard_F4", "F"),
            ("Standard_F4s", "Fs"),
            ("Standard_F4s_v2", "Fsv2"),
            ("Standard_A2_v2", "Av2"),
            ("Standard_A2m_v2", "Amv2"),
            ("Standard_B2ms", "Bv1"),
            ("Standard_B1ls", "Bv1"),
            ("Standard_B1s", "Bv1"),
            ("Standard_G2", "G"),
            ("Standard_GS2", "Gs"),
            ("Standard_L8s", "Ls"),
            ("Standard_L8s_v2", "Lsv2"),
            ("Standard_HB120rs_v2", "HBv2"),
            ("Standard_HB120-16rs_v2", "HBv2"),
            ("Standard_NP10s", "NP"),
            ("Standard_NP40s", "NP"),
            // Neighbours that are not retired.
            ("Standard_D2s_v4", "Dsv4"),
            ("Standard_D2_v5", "Dv5"),
            ("Standard_D2ds_v5", "Ddsv5"),
            ("Standard_D2as_v5", "Dasv5"),
            ("Standard_E4_v4", "Ev4"),
            ("Standard_E4s_v5", "Esv5"),
            ("Standard_L8s_v3", "Lsv3"),
            ("Standard_L8as_v3", "Lasv3"),
            ("Standard_HB120rs_v3", "HBv3"),
            ("Standard_HB60rs", "HB"),
            ("Standard_B2s_v2", "Bsv2"),
            ("Standard_B2as_v2", "Basv2"),
            ("Standard_B2ps_v2", "Bpsv2"),
            ("Standard_B2ls_v2", "Bsv2"),
            ("Standard_B2ts_v2", "Bsv2"),
            ("Standard_D2lds_v5", "Dldsv5"),
            ("Standard_DS11-1_v2", "Dsv2"),
            ("Standard_F2als_v6", "Falsv6"),
            ("Standard_DC2s_v2", "DCsv2"),
            ("Standard_NC24ads_A100_v4", "NCv4"),
            ("Basic_A1", "A"),
            ("Standard_A2", "A"),
            // Case does not matter.
            ("standard_d2s_v3", "Dsv3"),
            ("STANDARD_DS2_V2", "Dsv2"),
        ] {
            assert_eq!(vm_series(sku).as_ref().map(VmSeries::as_str), Some(series), "{sku}");
        }
    }

    #[test]
    fn names_that_are_not_vm_sizes_have_no_series() {
        for sku in ["", "D2s_v3", "Premium_D2s_v3", "Standard_", "Standard_D", "Standard_Ds_v3", "Standard_2s_v3",
            "Standard_D2s_v", "Standard_D2s__v3", "Standard_D2s-v3", "Standard_D2s_v3 extra", "Standard_D2s3x_v3"] {
            assert_eq!(vm_series(sku), None, "{sku}");
        }
    }
}
