//! The one strided walker every kernel reuses.
//!
//! Given operands that share a logical shape (each with its own strides and offset), the walker
//! first *coalesces* axes: size-1 axes are dropped, and neighbouring axes merge when, for every
//! operand, the outer stride equals inner stride × inner length. A contiguous tensor of any rank
//! becomes a single run; a transposed one stays 2-D. Kernels then loop over *runs*: the outer
//! axes are walked with an odometer, and each run of `inner_len` elements is handed to the kernel
//! with one stride per operand, so it can choose its fast path (stride 1 → slices/SIMD,
//! stride 0 → a broadcast scalar, anything else → a strided loop).
//!
//! ```text
//!  shape [2, 3, 4], strides A [12, 4, 1], B [0, 4, 1]    (B broadcast along axis 0)
//!  coalesced: shape [2, 12], A [12, 1], B [0, 1]  ->  2 runs of 12, inner strides (1, 1)
//! ```

use std::ops::Range;

/// Coalesced iteration space for `N` operands.
#[derive(Debug, Clone)]
pub struct Runs<const N: usize> {
    /// Outer axes (all but the innermost), after coalescing.
    outer_shape: Vec<usize>,
    /// Strides of the outer axes, per operand.
    outer_strides: [Vec<isize>; N],
    inner_len: usize,
    inner_strides: [isize; N],
    offsets: [usize; N],
}

impl<const N: usize> Runs<N> {
    /// Builds the iteration space. Every `strides[k]` must have `shape.len()` entries.
    pub fn new(shape: &[usize], strides: [&[isize]; N], offsets: [usize; N]) -> Runs<N> {
        // An empty space has no runs. Its other axes may be too long for the stride products
        // below (a [0, 2^40, 2^40] broadcast is a valid empty view; found by fuzz/broadcast_programs).
        if shape.contains(&0) {
            let outer_strides = std::array::from_fn(|_| Vec::new());
            return Runs {
                outer_shape: Vec::new(),
                outer_strides,
                inner_len: 0,
                inner_strides: [1; N],
                offsets,
            };
        }
        // Keep the axes of length != 1.
        let keep: Vec<usize> = (0..shape.len()).filter(|&i| shape[i] != 1).collect();
        let mut dims: Vec<usize> = Vec::with_capacity(keep.len());
        let mut strd: [Vec<isize>; N] = std::array::from_fn(|_| Vec::with_capacity(keep.len()));
        for &i in &keep {
            let mergeable = !dims.is_empty()
                && (0..N).all(|k| *strd[k].last().unwrap() == strides[k][i] * shape[i] as isize);
            if mergeable {
                *dims.last_mut().unwrap() *= shape[i];
                for k in 0..N {
                    *strd[k].last_mut().unwrap() = strides[k][i];
                }
            } else {
                dims.push(shape[i]);
                for k in 0..N {
                    strd[k].push(strides[k][i]);
                }
            }
        }
        let inner_len = dims.pop().unwrap_or(1);
        let inner_strides = std::array::from_fn(|k| strd[k].pop().unwrap_or(1));
        Runs { outer_shape: dims, outer_strides: strd, inner_len, inner_strides, offsets }
    }

    /// Length of each run.
    pub fn inner_len(&self) -> usize {
        self.inner_len
    }

    /// Stride of each operand inside a run.
    pub fn inner_strides(&self) -> [isize; N] {
        self.inner_strides
    }

    /// Number of runs (0 if any axis has length 0).
    pub fn outer_count(&self) -> usize {
        if self.inner_len == 0 { 0 } else { self.outer_shape.iter().product() }
    }

    /// Calls `f(start_offsets)` for every run, in row-major order.
    pub fn for_each(&self, f: impl FnMut([usize; N])) {
        self.for_each_in(0..self.outer_count(), f);
    }

    /// Calls `f(start_offsets)` for the runs whose row-major number lies in `range` (lets a
    /// parallel kernel hand disjoint ranges to threads).
    pub fn for_each_in(&self, range: Range<usize>, mut f: impl FnMut([usize; N])) {
        if range.is_empty() {
            return;
        }
        let nd = self.outer_shape.len();
        // Odometer start: decompose range.start into an outer index.
        let mut idx = vec![0usize; nd];
        let mut rem = range.start;
        let mut off: [isize; N] = std::array::from_fn(|k| self.offsets[k] as isize);
        for ax in (0..nd).rev() {
            idx[ax] = rem % self.outer_shape[ax];
            rem /= self.outer_shape[ax];
            for (k, o) in off.iter_mut().enumerate() {
                *o += idx[ax] as isize * self.outer_strides[k][ax];
            }
        }
        for _ in range {
            f(std::array::from_fn(|k| off[k] as usize));
            // Advance the odometer, carrying into outer axes.
            for ax in (0..nd).rev() {
                idx[ax] += 1;
                for (k, o) in off.iter_mut().enumerate() {
                    *o += self.outer_strides[k][ax];
                }
                if idx[ax] < self.outer_shape[ax] {
                    break;
                }
                for (k, o) in off.iter_mut().enumerate() {
                    *o -= self.outer_strides[k][ax] * self.outer_shape[ax] as isize;
                }
                idx[ax] = 0;
            }
        }
    }
}

/// Storage offsets of every element of a layout, in logical row-major order.
#[derive(Debug, Clone)]
pub struct OffsetIter {
    runs: Runs<1>,
    run: usize,
    starts: Vec<usize>,
    pos: usize,
    remaining: usize,
}

impl OffsetIter {
    /// Iterates the offsets of `layout`.
    pub fn new(layout: &crate::layout::Layout) -> OffsetIter {
        let runs = Runs::new(layout.shape(), [layout.strides()], [layout.offset()]);
        let mut starts = Vec::with_capacity(runs.outer_count());
        runs.for_each(|[o]| starts.push(o));
        let remaining = layout.size();
        OffsetIter { runs, run: 0, starts, pos: 0, remaining }
    }
}

impl Iterator for OffsetIter {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.remaining == 0 {
            return None;
        }
        if self.pos == self.runs.inner_len {
            self.pos = 0;
            self.run += 1;
        }
        let off = self.starts[self.run] as isize + self.pos as isize * self.runs.inner_strides[0];
        self.pos += 1;
        self.remaining -= 1;
        Some(off as usize)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for OffsetIter {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_coalesces_to_one_run() {
        let r = Runs::new(&[2, 3, 4], [&[12, 4, 1]], [0]);
        assert_eq!((r.outer_count(), r.inner_len()), (1, 24));
    }

    #[test]
    fn broadcast_operand_keeps_outer_axis() {
        let r = Runs::new(&[2, 3, 4], [&[12, 4, 1], &[0, 4, 1]], [0, 0]);
        assert_eq!((r.outer_count(), r.inner_len(), r.inner_strides()), (2, 12, [1, 1]));
        let mut starts = vec![];
        r.for_each(|o| starts.push(o));
        assert_eq!(starts, vec![[0, 0], [12, 0]]);
    }

    #[test]
    fn range_start_mid_odometer() {
        let r = Runs::new(&[3, 2, 5], [&[1, 3, 6]], [0]);
        let mut all = vec![];
        r.for_each(|o| all.push(o[0]));
        let mut tail = vec![];
        r.for_each_in(3..r.outer_count(), |o| tail.push(o[0]));
        assert_eq!(&all[3..], &tail[..]);
    }
}
