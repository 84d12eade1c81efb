//! The tests' pseudo-random numbers: one xorshift64 generator, so that randomised tests are
//! reproducible from their seed without a dependency.

/// A xorshift64 generator from `seed` (not 0): each call gives the next state.
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}
