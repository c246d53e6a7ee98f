//! Reshape in logical row-major order: resolve a `-1`, then try to express the new shape with
//! strides over the same storage (a view); when the strides do not allow it the tensor copies.
//!
//! ```text
//!  contiguous [2, 6] -> [3, 4]        view: strides [4, 1]
//!  transposed [6, 2] -> [12]          no view: the logical order is not a single stride, so copy
//!  [4, 6][:, ::2] (strides [6, 2]) -> [4, 3, 1]   view: strides [6, 2, 0]
//! ```

use crate::error::{Result, TensorError};
use crate::layout::Layout;
use crate::layout::shape::{checked_size, row_major_strides};

/// Resolves a requested shape with at most one `-1` against an element count.
///
/// ```
/// use tessera_tensor::layout::reshape::resolve_shape;
/// assert_eq!(resolve_shape("reshape", &[60000, 28, 28], &[60000, -1]).unwrap(), vec![60000, 784]);
/// let e = resolve_shape("reshape", &[60000, 28, 28], &[60000, 785]).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "reshape: cannot reshape [60000, 28, 28] into [60000, 785]: 47040000 elements cannot fill 47100000"
/// );
/// ```
pub fn resolve_shape(op: &'static str, from: &[usize], to: &[isize]) -> Result<Vec<usize>> {
    let err = |reason: String| TensorError::Reshape { op, from: from.to_vec(), to: to.to_vec(), reason };
    let size: usize = from.iter().product();
    let mut infer = None;
    let mut known = 1usize;
    for (i, &d) in to.iter().enumerate() {
        if d == -1 {
            if infer.replace(i).is_some() {
                return Err(err("only one dimension can be -1".into()));
            }
        } else if d < 0 {
            return Err(err(format!("negative dimension {d}")));
        } else {
            known = known.checked_mul(d as usize).ok_or_else(|| err("size overflows".into()))?;
        }
    }
    let mut out: Vec<usize> = to.iter().map(|&d| d.max(0) as usize).collect();
    match infer {
        Some(i) => {
            if known == 0 || !size.is_multiple_of(known) {
                return Err(err(format!("{size} elements are not a multiple of {known}")));
            }
            out[i] = size / known;
        }
        None if known != size => {
            return Err(err(format!("{size} elements cannot fill {known}")));
        }
        None => {}
    }
    checked_size(&out).ok_or_else(|| err("size overflows isize".into()))?;
    Ok(out)
}

impl Layout {
    /// The same elements, in the same row-major logical order, viewed with `shape`; `None` when no
    /// strides over this storage can express it (then a copy is needed). `shape` must have this
    /// layout's element count.
    pub fn reshape_view(&self, shape: &[usize]) -> Option<Layout> {
        debug_assert_eq!(shape.iter().product::<usize>(), self.size());
        if self.size() == 0 || self.is_contiguous() {
            return Some(Layout::from_parts(shape.to_vec(), row_major_strides(shape), self.offset()));
        }
        // Axes of length 1 carry no stride information; drop them from the old side.
        let (old_d, old_s): (Vec<usize>, Vec<isize>) =
            self.shape().iter().zip(self.strides()).filter(|&(&d, _)| d != 1).map(|(&d, &s)| (d, s)).unzip();
        let mut strides = vec![0isize; shape.len()];
        let (mut oi, mut ni) = (0, 0);
        // Match groups of old axes to groups of new axes with equal products.
        while ni < shape.len() && oi < old_d.len() {
            let (mut oj, mut nj) = (oi + 1, ni + 1);
            let (mut op, mut np) = (old_d[oi], shape[ni]);
            while op != np {
                if np < op {
                    np *= shape[nj];
                    nj += 1;
                } else {
                    op *= old_d[oj];
                    oj += 1;
                }
            }
            // Inside a group the old axes must nest exactly, or no single stride per new axis works.
            if (oi..oj - 1).any(|k| old_s[k] != old_s[k + 1] * old_d[k + 1] as isize) {
                return None;
            }
            strides[nj - 1] = old_s[oj - 1];
            for k in (ni + 1..nj).rev() {
                strides[k - 1] = strides[k] * shape[k] as isize;
            }
            oi = oj;
            ni = nj;
        }
        Some(Layout::from_parts(shape.to_vec(), strides, self.offset()))
    }
}
