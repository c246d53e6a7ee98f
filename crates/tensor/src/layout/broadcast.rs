//! NumPy broadcasting: align trailing axes; sizes must be equal or one of them 1; missing leading
//! axes count as 1. A broadcast axis is read with stride 0, so nothing is copied.
//!
//! ```text
//!  accepted                              rejected
//!  [64, 3, 32, 10]                       [64, 3, 32, 10]
//!          [32, 10]                              [31, 10]
//!  -> [64, 3, 32, 10]                    axis -2: 32 vs 31
//!  the [32, 10] operand is viewed as
//!  shape [64, 3, 32, 10], strides [0, 0, 10, 1]
//! ```

use crate::error::{Result, TensorError};
use crate::layout::Layout;
use crate::layout::shape::checked_size;

/// The shape two shapes broadcast to, or an error naming both shapes and the failing axis.
///
/// ```
/// use tessera_tensor::broadcast_shapes;
/// assert_eq!(broadcast_shapes("add", &[64, 3, 32, 10], &[32, 10]).unwrap(), vec![64, 3, 32, 10]);
/// let e = broadcast_shapes("add", &[64, 3, 32, 10], &[31, 10]).unwrap_err();
/// assert_eq!(e.to_string(), "add: cannot broadcast [64, 3, 32, 10] with [31, 10]: axis -2 is 32 vs 31");
/// ```
pub fn broadcast_shapes(op: &'static str, a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        let da = if i < a.len() { a[a.len() - 1 - i] } else { 1 };
        let db = if i < b.len() { b[b.len() - 1 - i] } else { 1 };
        out[n - 1 - i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => {
                return Err(TensorError::Broadcast {
                    op,
                    lhs: a.to_vec(),
                    rhs: b.to_vec(),
                    axis: -(i as isize) - 1,
                });
            }
        };
    }
    check_count(op, &out)?;
    Ok(out)
}

/// Layout invariant 4 for a broadcast result: its element count must fit in `isize`, or every
/// buffer sized from it would be too small.
fn check_count(op: &'static str, shape: &[usize]) -> Result<()> {
    match checked_size(shape) {
        Some(_) => Ok(()),
        None => Err(TensorError::Invalid {
            op,
            shape: shape.to_vec(),
            reason: "the broadcast shape's element count overflows isize".into(),
        }),
    }
}

impl Layout {
    /// Views this layout as `shape` by broadcasting (stride 0 on new and stretched axes).
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Layout> {
        let op = "broadcast_to";
        let err = |i: usize| TensorError::Broadcast {
            op,
            lhs: self.shape().to_vec(),
            rhs: shape.to_vec(),
            axis: -(i as isize) - 1,
        };
        if shape.len() < self.ndim() {
            return Err(err(shape.len()));
        }
        check_count(op, shape)?;
        let lead = shape.len() - self.ndim();
        let mut strides = vec![0isize; shape.len()];
        for (i, (&d, &s)) in self.shape().iter().zip(self.strides()).enumerate() {
            let target = shape[lead + i];
            strides[lead + i] = if d == target {
                s
            } else if d == 1 {
                0
            } else {
                return Err(err(self.ndim() - 1 - i));
            };
        }
        Ok(Layout::from_parts(shape.to_vec(), strides, self.offset()))
    }
}
