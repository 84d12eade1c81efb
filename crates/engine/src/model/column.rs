//! Optional numeric columns that cost nothing while a file has no value for them, and little
//! while values are rare (surveys, QA, handoffs): both are [`Sparse`] underneath.

use super::sparse::Sparse;

/// An optional `f32` per row (`NaN` pushed is "absent").
#[derive(Debug, Clone, Default)]
pub struct OptF32(Sparse<f32>);

/// An optional small integer per row (scores 0..=254; 255 pushed is "absent").
#[derive(Debug, Clone, Default)]
pub struct OptU8(Sparse<u8>);

macro_rules! opt_column {
    ($t:ident, $v:ty, $absent:expr) => {
        impl $t {
            /// Appends one row's value.
            #[inline(always)]
            pub fn push(&mut self, x: Option<$v>) {
                let absent: fn($v) -> bool = $absent;
                self.0.push(x.filter(|v| !absent(*v)));
            }

            /// The value at row `i`.
            #[inline(always)]
            pub fn get(&self, i: usize) -> Option<$v> {
                self.0.get(i)
            }

            /// Sets the value at row `i` (ignored when out of range).
            pub fn set(&mut self, i: usize, x: Option<$v>) {
                let absent: fn($v) -> bool = $absent;
                self.0.set(i, x.filter(|v| !absent(*v)));
            }

            /// True when no row has a value (the column is absent from the data).
            pub fn is_absent(&self) -> bool {
                self.0.is_absent()
            }

            /// Number of rows with a value.
            pub fn count(&self) -> usize {
                self.0.count()
            }

            /// `(row, value)` of every present value, in row order (fast: skips absent rows).
            pub fn present(&self) -> impl Iterator<Item = (usize, $v)> + '_ {
                self.0.present()
            }

            /// Every row's value.
            pub fn iter(&self) -> impl Iterator<Item = Option<$v>> + '_ {
                (0..self.0.len()).map(|i| self.0.get(i))
            }

            /// Number of rows.
            pub fn len(&self) -> usize {
                self.0.len()
            }

            /// True when there are no rows.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            /// Reorders rows: row `i` of the result is row `order[i]` of `self`.
            pub fn permute(&mut self, order: &[u32]) {
                self.0.permute(order)
            }

            /// [`Self::permute`] with the inverse of `order` (see [`Sparse::permute_inverse`]).
            pub fn permute_inverse(&mut self, order: &[u32], inverse: &[u32]) {
                self.0.permute_inverse(order, inverse)
            }

            /// Releases spare capacity.
            pub fn shrink(&mut self) {
                self.0.shrink()
            }

            /// Heap bytes held.
            pub fn heap_bytes(&self) -> usize {
                self.0.heap_bytes()
            }
        }
    };
}

opt_column!(OptF32, f32, |v| v.is_nan());
opt_column!(OptU8, u8, |v| v == u8::MAX);

impl OptU8 {
    /// The marker for "absent" in dense copies.
    pub const NONE: u8 = u8::MAX;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_until_first_value_then_padded() {
        let mut c = OptF32::default();
        c.push(None);
        c.push(None);
        assert!(c.is_absent());
        c.push(Some(2.5));
        c.push(None);
        assert_eq!(
            (c.get(0), c.get(2), c.get(3), c.len()),
            (None, Some(2.5), None, 4)
        );
        c.permute(&[2, 0, 1, 3]);
        assert_eq!((c.get(0), c.get(1)), (Some(2.5), None));

        let mut u = OptU8::default();
        u.push(None);
        u.push(Some(5));
        assert_eq!((u.get(0), u.get(1), u.get(7)), (None, Some(5), None));
    }
}
