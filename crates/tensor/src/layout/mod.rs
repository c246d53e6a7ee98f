//! `Layout`: how a logical N-D index maps to a position in flat storage. Pure metadata.
//!
//! ```text
//!  a = arange(6).reshape([2, 3])        a.transpose()          a.broadcast_to([4, 2, 3])
//!  shape [2, 3]  strides [3, 1]         shape [3, 2]            shape [4, 2, 3]
//!  offset 0                             strides [1, 3]          strides [0, 3, 1]
//!
//!  storage: [0 1 2 3 4 5]               same storage            same storage, axis 0 re-reads it
//!  a[i, j] = storage[offset + 3*i + 1*j]
//! ```
//!
//! # Invariants
//!
//! Every `Layout` held by a `Tensor` satisfies these; they are checked once, when the layout is
//! built ([`Layout::new`] returns an error, view operations preserve them by construction and
//! `debug_assert!` it), so kernels may index storage without bounds checks.
//!
//! 1. **Every reachable offset is inside the storage**: for a non-empty layout,
//!    `offset + Σ min(0, s_i·(d_i-1)) >= 0` and `offset + Σ max(0, s_i·(d_i-1)) < storage_len`.
//!    Why: kernels compute offsets and read `storage[off]` with `get_unchecked`.
//! 2. **A zero-length axis reaches nothing**: if any `d_i == 0` the layout addresses no element and
//!    only `offset <= storage_len` is required. Why: NumPy allows `a[5:5]` on any array.
//! 3. **Overlapping layouts are read-only**: stride-0 axes (broadcasts) make several indices alias
//!    one element; in-place writers check [`Layout::is_non_overlapping`] and copy first otherwise.
//!    Why: `x += 1` on a broadcast view would add several times to one cell.
//! 4. **The element count fits in `isize`**: so every offset computed as `isize` cannot overflow.

pub mod broadcast;
pub mod reshape;
pub mod shape;
pub mod slice;
pub mod strided_iter;

use crate::error::{Result, TensorError};
use crate::layout::shape::{checked_size, normalize_axis, normalize_axis_for, row_major_strides};

/// Shape, signed strides (in elements) and offset of a view into flat storage.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Layout {
    shape: Vec<usize>,
    strides: Vec<isize>,
    offset: usize,
}

impl Layout {
    /// The row-major contiguous layout of `shape`, starting at offset 0.
    ///
    /// ```
    /// let l = tessera_tensor::Layout::contiguous(&[2, 3]);
    /// assert_eq!(l.strides(), &[3, 1]);
    /// ```
    pub fn contiguous(shape: &[usize]) -> Layout {
        Layout { shape: shape.to_vec(), strides: row_major_strides(shape), offset: 0 }
    }

    /// Builds a layout from raw parts, checking the invariants against a storage length.
    ///
    /// ```
    /// use tessera_tensor::Layout;
    /// assert!(Layout::new(&[2, 3], &[1, 2], 0, 6).is_ok()); // column-major 2x3
    /// assert!(Layout::new(&[2, 3], &[3, 1], 1, 6).is_err()); // last element at 6: outside
    /// ```
    pub fn new(shape: &[usize], strides: &[isize], offset: usize, storage_len: usize) -> Result<Layout> {
        let bad = |reason: String| TensorError::Invalid { op: "Layout::new", shape: shape.to_vec(), reason };
        if shape.len() != strides.len() {
            return Err(bad(format!("{} strides given for {} axes", strides.len(), shape.len())));
        }
        let size = checked_size(shape).ok_or_else(|| bad("element count overflows isize".into()))?;
        let l = Layout { shape: shape.to_vec(), strides: strides.to_vec(), offset };
        if size == 0 {
            if offset > storage_len {
                return Err(bad(format!("offset {offset} is past storage of {storage_len}")));
            }
            return Ok(l);
        }
        let (lo, hi) = l.offset_range().ok_or_else(|| bad("offsets overflow isize".into()))?;
        if lo < 0 || hi >= storage_len as isize {
            return Err(bad(format!(
                "reachable offsets {lo}..={hi} leave storage of {storage_len} elements"
            )));
        }
        Ok(l)
    }

    /// Builds a layout that a view op derived from a valid one. Callers guarantee the invariants.
    pub(crate) fn from_parts(shape: Vec<usize>, strides: Vec<isize>, offset: usize) -> Layout {
        debug_assert_eq!(shape.len(), strides.len());
        Layout { shape, strides, offset }
    }

    /// Size of each axis.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// Step, in elements, between neighbours along each axis (0 for broadcast axes, negative for
    /// reversed ones).
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    /// Storage position of the element at index `[0, 0, ...]`.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        // Invariant 4: the count fits (and a zero-length axis makes it 0 whatever the others).
        checked_size(&self.shape).expect("Layout invariant 4: the element count fits in isize")
    }

    /// Lowest and highest reachable storage offsets, or `None` on overflow. Meaningless for an
    /// empty layout.
    pub fn offset_range(&self) -> Option<(isize, isize)> {
        let mut lo = self.offset as isize;
        let mut hi = lo;
        for (&d, &s) in self.shape.iter().zip(&self.strides) {
            if d == 0 {
                continue;
            }
            let span = s.checked_mul(d as isize - 1)?;
            if span < 0 { lo = lo.checked_add(span)? } else { hi = hi.checked_add(span)? }
        }
        Some((lo, hi))
    }

    /// True when the elements sit in storage in row-major order with no gaps (axes of length 1
    /// may have any stride, as in NumPy).
    ///
    /// ```
    /// let l = tessera_tensor::Layout::contiguous(&[2, 3]);
    /// assert!(l.is_contiguous());
    /// assert!(!l.transpose().is_contiguous());
    /// ```
    pub fn is_contiguous(&self) -> bool {
        let mut expected = 1isize;
        for (&d, &s) in self.shape.iter().zip(&self.strides).rev() {
            if d == 1 {
                continue;
            }
            if d == 0 {
                return true;
            }
            if s != expected {
                return false;
            }
            // Saturating, as in `row_major_strides`: a size-0 shape may have huge axes.
            expected = expected.saturating_mul(d as isize);
        }
        true
    }

    /// True when no two indices reach the same storage element (invariant 3). A sufficient test:
    /// sorted by |stride|, each stride clears the whole extent of the smaller ones.
    pub fn is_non_overlapping(&self) -> bool {
        let mut axes: Vec<(usize, usize)> = self
            .shape
            .iter()
            .zip(&self.strides)
            .filter(|&(&d, _)| d > 1)
            .map(|(&d, &s)| (s.unsigned_abs(), d))
            .collect();
        if self.size() == 0 {
            return true;
        }
        axes.sort_unstable();
        let mut extent = 0usize; // max offset reachable by the smaller axes
        for (s, d) in axes {
            if s <= extent {
                return false;
            }
            extent += s * (d - 1);
        }
        true
    }

    /// Length and stride of the innermost run that can be walked with one stride: trailing axes
    /// merged while they nest exactly (`stride[i] == stride[i+1] * shape[i+1]`). Kernels pick their
    /// fast path from this.
    ///
    /// ```
    /// let l = tessera_tensor::Layout::contiguous(&[4, 2, 3]);
    /// assert_eq!(l.inner_run(), (24, 1));
    /// ```
    pub fn inner_run(&self) -> (usize, isize) {
        let mut len = 1usize;
        let mut stride = 1isize;
        let mut started = false;
        for (&d, &s) in self.shape.iter().zip(&self.strides).rev() {
            if d == 1 {
                continue;
            }
            if !started {
                len = d;
                stride = s;
                started = true;
            } else if s == stride * len as isize {
                len *= d;
            } else {
                break;
            }
        }
        (len, stride)
    }

    /// Storage offset of a full index, or an error naming the axis that is out of range.
    /// Negative indices count from the end, as in NumPy.
    pub fn index_offset(&self, op: &'static str, index: &[isize]) -> Result<usize> {
        if index.len() != self.ndim() {
            return Err(TensorError::Invalid {
                op,
                shape: self.shape.clone(),
                reason: format!("{} indices given for {} axes", index.len(), self.ndim()),
            });
        }
        let mut off = self.offset as isize;
        for (axis, ((&i, &d), &s)) in index.iter().zip(&self.shape).zip(&self.strides).enumerate() {
            let j = if i < 0 { i + d as isize } else { i };
            if j < 0 || j >= d as isize {
                return Err(TensorError::Index { op, shape: self.shape.clone(), axis, index: i });
            }
            off += j * s;
        }
        Ok(off as usize)
    }

    /// Reverses the axes (NumPy's `transpose()` with no argument).
    pub fn transpose(&self) -> Layout {
        let mut shape = self.shape.clone();
        let mut strides = self.strides.clone();
        shape.reverse();
        strides.reverse();
        Layout::from_parts(shape, strides, self.offset)
    }

    /// Reorders axes: output axis `i` is input axis `axes[i]`; `axes` must be a permutation.
    pub fn permute(&self, axes: &[isize]) -> Result<Layout> {
        let op = "permute";
        if axes.len() != self.ndim() {
            return Err(TensorError::Invalid {
                op,
                shape: self.shape.clone(),
                reason: format!("permutation {axes:?} has {} axes, tensor has {}", axes.len(), self.ndim()),
            });
        }
        let axes = crate::layout::shape::normalize_axes(op, &self.shape, axes)?;
        Ok(Layout::from_parts(
            axes.iter().map(|&a| self.shape[a]).collect(),
            axes.iter().map(|&a| self.strides[a]).collect(),
            self.offset,
        ))
    }

    /// Exchanges two axes.
    pub fn swap_axes(&self, a: isize, b: isize) -> Result<Layout> {
        let a = normalize_axis("swap_axes", &self.shape, a)?;
        let b = normalize_axis("swap_axes", &self.shape, b)?;
        let mut l = self.clone();
        l.shape.swap(a, b);
        l.strides.swap(a, b);
        Ok(l)
    }

    /// Inserts an axis of length 1 at `axis` (which may be `ndim`, or negative as in NumPy).
    pub fn expand_dims(&self, axis: isize) -> Result<Layout> {
        let ax = normalize_axis_for("expand_dims", &self.shape, axis, self.ndim() + 1)?;
        let mut l = self.clone();
        l.shape.insert(ax, 1);
        l.strides.insert(ax, 0);
        Ok(l)
    }

    /// Removes length-1 axes: the one given, or all of them with `None`.
    pub fn squeeze(&self, axis: Option<isize>) -> Result<Layout> {
        let mut l = self.clone();
        match axis {
            Some(a) => {
                let ax = normalize_axis("squeeze", &self.shape, a)?;
                if self.shape[ax] != 1 {
                    return Err(TensorError::Axis {
                        op: "squeeze",
                        shape: self.shape.clone(),
                        axis: a,
                        reason: format!("has size {}, only size-1 axes can be squeezed", self.shape[ax]),
                    });
                }
                l.shape.remove(ax);
                l.strides.remove(ax);
            }
            None => {
                let keep: Vec<usize> = (0..self.ndim()).filter(|&i| self.shape[i] != 1).collect();
                l.shape = keep.iter().map(|&i| self.shape[i]).collect();
                l.strides = keep.iter().map(|&i| self.strides[i]).collect();
            }
        }
        Ok(l)
    }
}
