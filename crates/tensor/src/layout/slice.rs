//! NumPy/Python slicing: `start:stop:step`, negative indices, negative steps, clamped bounds,
//! single indices that drop an axis, and `NewAxis`. Always a zero-copy view.
//!
//! ```text
//!  x = arange(10)          x[s![2..8;3]]         x[s![..;-1]]           x[s![-3..]]
//!  storage 0 1 2 ... 9     offset 2, stride 3    offset 9, stride -1    offset 7, stride 1
//!                          -> [2, 5]             -> [9, 8, ..., 0]      -> [7, 8, 9]
//! ```

use crate::error::{Result, TensorError};
use crate::layout::Layout;
use std::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo};

/// One entry of a slice expression: what `s![...]` builds per axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceArg {
    /// A single index (negative counts from the end); the axis is dropped.
    Index(isize),
    /// `start:stop:step` with Python's defaults and clamping; `None` is an omitted bound.
    Range {
        /// First index, or the default for the step's direction.
        start: Option<isize>,
        /// One past the last index (exclusive), or the default.
        stop: Option<isize>,
        /// Step, never zero; negative walks backwards.
        step: isize,
    },
    /// Inserts a new axis of length 1 (NumPy's `np.newaxis`).
    NewAxis,
}

/// The `np.newaxis` marker for `s![...]`.
pub const NEW_AXIS: SliceArg = SliceArg::NewAxis;

impl SliceArg {
    /// `self` with a step (used by `s![a..b;step]`). Only ranges take a step.
    pub fn step_by(self, step: isize) -> SliceArg {
        match self {
            SliceArg::Range { start, stop, .. } => SliceArg::Range { start, stop, step },
            other => other,
        }
    }
}

/// `v` as an `isize`, saturating: a `usize` past `isize::MAX` is past the end of every axis
/// (no axis is that long), so it stays past the end instead of wrapping to a negative index.
pub(crate) fn saturating_isize(v: i128) -> isize {
    v.clamp(isize::MIN as i128, isize::MAX as i128) as isize
}

macro_rules! impl_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for SliceArg {
            fn from(i: $t) -> SliceArg { SliceArg::Index(saturating_isize(i as i128)) }
        }
        impl From<Range<$t>> for SliceArg {
            fn from(r: Range<$t>) -> SliceArg {
                let (start, stop) = (saturating_isize(r.start as i128), saturating_isize(r.end as i128));
                SliceArg::Range { start: Some(start), stop: Some(stop), step: 1 }
            }
        }
        impl From<RangeInclusive<$t>> for SliceArg {
            fn from(r: RangeInclusive<$t>) -> SliceArg {
                let end = saturating_isize(*r.end() as i128);
                // a..=-1 means "through the last element": stop is omitted, not 0.
                let stop = if end == -1 { None } else { Some(end.saturating_add(1)) };
                SliceArg::Range { start: Some(saturating_isize(*r.start() as i128)), stop, step: 1 }
            }
        }
        impl From<RangeFrom<$t>> for SliceArg {
            fn from(r: RangeFrom<$t>) -> SliceArg {
                SliceArg::Range { start: Some(saturating_isize(r.start as i128)), stop: None, step: 1 }
            }
        }
        impl From<RangeTo<$t>> for SliceArg {
            fn from(r: RangeTo<$t>) -> SliceArg {
                SliceArg::Range { start: None, stop: Some(saturating_isize(r.end as i128)), step: 1 }
            }
        }
    )*};
}
impl_from_int!(isize, usize, i32, i64);

impl From<RangeFull> for SliceArg {
    fn from(_: RangeFull) -> SliceArg {
        SliceArg::Range { start: None, stop: None, step: 1 }
    }
}

/// Builds an array of [`SliceArg`] with Python's slice syntax spelled in Rust.
///
/// | Python        | `s!`               |
/// |---------------|--------------------|
/// | `x[10:100]`   | `s![10..100]`      |
/// | `x[:, 14:]`   | `s![.., 14..]`     |
/// | `x[::-1]`     | `s![..;-1]`        |
/// | `x[1:7:2, 3]` | `s![1..7;2, 3]`    |
/// | `x[None, :]`  | `s![NEW_AXIS, ..]` |
///
/// ```
/// use tessera_tensor::{s, Tensor};
/// let x = Tensor::<i32>::arange(10);
/// assert_eq!(x.slice(&s![..;-3]).unwrap().to_vec(), vec![9, 6, 3, 0]);
/// ```
#[macro_export]
macro_rules! s {
    (@arg $r:expr) => {
        $crate::layout::slice::SliceArg::from({
            #[allow(clippy::reversed_empty_ranges)] // `7..-7` is a Python slice, not a Rust range
            let r = $r;
            r
        })
    };
    (@acc [$($done:expr),*]) => { [$($done),*] };
    (@acc [$($done:expr),*] $r:expr ; $step:expr $(, $($rest:tt)*)?) => {
        $crate::s!(@acc [$($done,)* $crate::s!(@arg $r).step_by($step as isize)] $($($rest)*)?)
    };
    (@acc [$($done:expr),*] $r:expr $(, $($rest:tt)*)?) => {
        $crate::s!(@acc [$($done,)* $crate::s!(@arg $r)] $($($rest)*)?)
    };
    ($($t:tt)*) => { $crate::s!(@acc [] $($t)*) };
}

/// Python's `slice.indices(len)`: resolved (start, step, count) of a range on an axis of `len`.
pub fn resolve_range(start: Option<isize>, stop: Option<isize>, step: isize, len: usize) -> (isize, usize) {
    // Only an empty view can have an axis longer than isize::MAX; clamped, it slices the same.
    let len = isize::try_from(len).unwrap_or(isize::MAX);
    let (lower, upper) = if step > 0 { (0, len) } else { (-1, len - 1) };
    let clamp = |v: Option<isize>, default: isize| match v {
        None => default,
        Some(v) => {
            let v = if v < 0 { v + len } else { v };
            v.clamp(lower, upper)
        }
    };
    let begin = clamp(start, if step > 0 { lower } else { upper });
    let end = clamp(stop, if step > 0 { upper } else { lower });
    // In unsigned arithmetic, so that a step of isize::MIN cannot overflow when negated.
    let count = if step > 0 {
        if begin < end { (end - begin - 1) as usize / step as usize + 1 } else { 0 }
    } else if end < begin {
        (begin - end - 1) as usize / step.unsigned_abs() + 1
    } else {
        0
    };
    (begin, count)
}

impl Layout {
    /// Applies a slice expression. Axes not mentioned are kept whole, as in NumPy.
    pub fn slice(&self, args: &[SliceArg]) -> Result<Layout> {
        let op = "slice";
        let consumed = args.iter().filter(|a| !matches!(a, SliceArg::NewAxis)).count();
        if consumed > self.ndim() {
            return Err(TensorError::Invalid {
                op,
                shape: self.shape().to_vec(),
                reason: format!("{consumed} indices given for {} axes", self.ndim()),
            });
        }
        let mut shape = Vec::with_capacity(self.ndim() + args.len());
        let mut strides = Vec::with_capacity(shape.capacity());
        let mut offset = self.offset() as isize;
        let mut axis = 0;
        for arg in args {
            match *arg {
                SliceArg::NewAxis => {
                    shape.push(1);
                    strides.push(0);
                }
                SliceArg::Index(i) => {
                    let (d, s) = (self.shape()[axis], self.strides()[axis]);
                    let d = isize::try_from(d).unwrap_or(isize::MAX);
                    let j = if i < 0 { i + d } else { i };
                    if j < 0 || j >= d {
                        return Err(TensorError::Index { op, shape: self.shape().to_vec(), axis, index: i });
                    }
                    offset += j * s;
                    axis += 1;
                }
                SliceArg::Range { start, stop, step } => {
                    if step == 0 {
                        return Err(TensorError::Invalid {
                            op,
                            shape: self.shape().to_vec(),
                            reason: format!("slice step cannot be zero (axis {axis})"),
                        });
                    }
                    let (d, s) = (self.shape()[axis], self.strides()[axis]);
                    let (begin, count) = resolve_range(start, stop, step, d);
                    if count > 0 {
                        offset += begin * s;
                    }
                    // NumPy's stride is `stride · step` for any non-empty result (one element
                    // too); an empty axis keeps the old stride. With at most one element the
                    // stride is never used, so a product that overflows keeps the old one.
                    let stride = match s.checked_mul(step) {
                        Some(stride) if count > 0 => stride,
                        None if count > 1 => isize::MAX,
                        _ => s,
                    };
                    shape.push(count);
                    strides.push(stride);
                    axis += 1;
                }
            }
        }
        shape.extend_from_slice(&self.shape()[axis..]);
        strides.extend_from_slice(&self.strides()[axis..]);
        // An empty result reaches no element (invariant 2); keep the source offset, which is valid.
        let empty = shape.contains(&0) || self.size() == 0;
        let offset = if empty { self.offset() } else { offset as usize };
        Ok(Layout::from_parts(shape, strides, offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_are_numpys_for_short_results_too() {
        // numpy: np.arange(60).reshape(4, 15)[:, 7:-7:2].strides == (120, 16) (int64): [15, 2].
        let l = Layout::contiguous(&[4, 15]);
        let r = SliceArg::Range { start: Some(7), stop: Some(-7), step: 2 };
        let full = SliceArg::Range { start: None, stop: None, step: 1 };
        let v = l.slice(&[full, r]).unwrap();
        assert_eq!((v.shape(), v.strides(), v.offset()), (&[4, 1][..], &[15, 2][..], 7));
        // np.arange(10)[5:6:3].strides == (24,): one element, stride 3; [5:5:3] is empty and
        // keeps (8,).
        let one = |stop| SliceArg::Range { start: Some(5), stop: Some(stop), step: 3 };
        assert_eq!(Layout::contiguous(&[10]).slice(&[one(6)]).unwrap().strides(), &[3]);
        assert_eq!(Layout::contiguous(&[10]).slice(&[one(5)]).unwrap().strides(), &[1]);
        // A step whose product overflows is kept harmlessly for one element.
        let big = SliceArg::Range { start: None, stop: None, step: isize::MAX };
        assert_eq!(l.slice(&[big]).unwrap().strides(), &[15, 1]);
    }

    #[test]
    fn python_slice_indices() {
        // Each case checked against Python's range(len)[slice].
        assert_eq!(resolve_range(Some(2), Some(8), 3, 10), (2, 2));
        assert_eq!(resolve_range(None, None, -1, 10), (9, 10));
        assert_eq!(resolve_range(Some(-3), None, 1, 10), (7, 3));
        assert_eq!(resolve_range(Some(7), Some(-7), 1, 28), (7, 14));
        assert_eq!(resolve_range(Some(100), Some(200), 1, 10), (10, 0));
        assert_eq!(resolve_range(Some(8), Some(2), -2, 10), (8, 3));
        assert_eq!(resolve_range(None, Some(-20), -1, 10), (9, 10));
        assert_eq!(resolve_range(Some(5), Some(5), 1, 10), (5, 0));
    }

    #[test]
    fn macro_builds_args() {
        let v = s![1..3, ..;-1, 5, NEW_AXIS, -2..];
        assert_eq!(v.len(), 5);
        assert_eq!(v[1], SliceArg::Range { start: None, stop: None, step: -1 });
        assert_eq!(v[2], SliceArg::Index(5));
        assert_eq!(v[4], SliceArg::Range { start: Some(-2), stop: None, step: 1 });
    }
}
