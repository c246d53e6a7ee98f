//! Shape arithmetic shared by every module: element counts, row-major strides, axis normalisation.

use crate::error::{Result, TensorError};

/// Number of elements of a shape (1 for the scalar shape `[]`), or `None` on overflow or when the
/// count exceeds `isize::MAX` (Layout invariant 4).
///
/// ```
/// assert_eq!(tessera_tensor::layout::shape::checked_size(&[60000, 28, 28]), Some(47_040_000));
/// assert_eq!(tessera_tensor::layout::shape::checked_size(&[]), Some(1));
/// assert_eq!(tessera_tensor::layout::shape::checked_size(&[usize::MAX, 2, 0]), Some(0));
/// assert_eq!(tessera_tensor::layout::shape::checked_size(&[1 << 32, 1 << 32]), None);
/// ```
pub fn checked_size(shape: &[usize]) -> Option<usize> {
    // A zero-length axis makes the count 0 whatever the others (found by fuzz/broadcast_programs:
    // [usize::MAX, 2^45, 3, 0] is an empty view, not an overflow).
    if shape.contains(&0) {
        return Some(0);
    }
    let n = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d))?;
    (n <= isize::MAX as usize).then_some(n)
}

/// Row-major ("C order") strides, in elements, for a shape.
///
/// ```
/// assert_eq!(tessera_tensor::layout::shape::row_major_strides(&[2, 3, 4]), vec![12, 4, 1]);
/// ```
pub fn row_major_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = 1isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = acc;
        acc = acc.saturating_mul(d.max(1) as isize);
    }
    strides
}

/// Turns a possibly negative axis (`-1` = last) into an index below `ndim`.
///
/// ```
/// assert_eq!(tessera_tensor::layout::shape::normalize_axis("sum", &[2, 3], -1).unwrap(), 1);
/// assert!(tessera_tensor::layout::shape::normalize_axis("sum", &[2, 3], 2).is_err());
/// ```
pub fn normalize_axis(op: &'static str, shape: &[usize], axis: isize) -> Result<usize> {
    normalize_axis_for(op, shape, axis, shape.len())
}

/// Like [`normalize_axis`] but against an explicit rank (e.g. `ndim + 1` for `expand_dims`).
pub fn normalize_axis_for(op: &'static str, shape: &[usize], axis: isize, ndim: usize) -> Result<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(TensorError::Axis {
            op,
            shape: shape.to_vec(),
            axis,
            reason: format!("must be in {}..{}", -n, n),
        });
    }
    Ok(if axis < 0 { (axis + n) as usize } else { axis as usize })
}

/// Normalises a list of axes, rejecting repeats; returns them in the order given.
pub fn normalize_axes(op: &'static str, shape: &[usize], axes: &[isize]) -> Result<Vec<usize>> {
    let mut seen = vec![false; shape.len()];
    let mut out = Vec::with_capacity(axes.len());
    for &a in axes {
        let ax = normalize_axis(op, shape, a)?;
        if seen[ax] {
            return Err(TensorError::Axis {
                op,
                shape: shape.to_vec(),
                axis: a,
                reason: "repeated axis".into(),
            });
        }
        seen[ax] = true;
        out.push(ax);
    }
    Ok(out)
}
