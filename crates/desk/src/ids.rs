//! New IDs: the desk formats them, an adapter supplies the randomness.

use std::sync::atomic::{AtomicU64, Ordering};

/// A source of 128 random bits per new ID (the server: a v4 UUID; the page: the browser's
/// `crypto`; tests: [`Sequential`]).
pub trait Ids {
    /// 128 bits, fresh on each call.
    fn next_bits(&self) -> u128;
}

/// A GUID-shaped ID (version 4, variant 1) from 128 bits.
pub fn guid(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    // Version nibble 4 at hex digit 12, variant bits 10xx at hex digit 16 (bits 63..60).
    let variant = 8 + ((bits >> 60) & 0x3);
    format!("{}-{}-4{}-{variant:x}{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// IDs 1, 2, 3, … in GUID form: reproducible tests.
#[derive(Debug, Default)]
pub struct Sequential(AtomicU64);

impl Ids for Sequential {
    fn next_bits(&self) -> u128 {
        u128::from(self.0.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_have_the_v4_shape_and_differ_for_different_bits() {
        let a = guid(1);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(["8", "9", "a", "b"].contains(&&a[19..20]), "{a}");
        assert_ne!(guid(1), guid(2));
        assert_eq!(guid(u128::MAX), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }
}
