//! A small deterministic hash for the seed: the same inputs give the same IDs and figures on
//! every machine and in the browser (no `rand`, no platform hasher).

/// SplitMix64 finalizer.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// FNV-1a over `text`, then mixed.
pub fn of_str(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

/// A GUID-shaped ID derived from `key`.
pub fn guid(key: &str) -> String {
    let a = of_str(key);
    let b = mix(a ^ 0x5151);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_shaped_like_version_4_guids() {
        let g = guid("reservation/1");
        assert_eq!(g.len(), 36);
        assert_eq!(g.as_bytes()[14], b'4');
        assert!(matches!(g.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{g}");
        assert_ne!(guid("a"), guid("b"));
    }

    #[test]
    fn hashes_equal_the_pinned_golden_values() {
        // The same table is checked in a browser by tests/browser/golden.rs.
        crate::golden::check_hash();
    }
}
