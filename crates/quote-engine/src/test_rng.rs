//! The unit tests' generator of many inputs: xorshift64, seeded, so every run tries the same ones.

/// The numbers of xorshift64 from `seed` (non-zero), one per call.
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Numbers below `n` (given per call) from [`xorshift`].
pub(crate) fn below(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut next = xorshift(seed);
    move |n| next() % n
}
