//! `concatenate`, `stack` and `split` with NumPy's names and rules.

use crate::dtype::Element;
use crate::error::{Result, TensorError};
use crate::layout::shape::{normalize_axis, normalize_axis_for};
use crate::layout::slice::SliceArg;
use crate::tensor::Tensor;

fn shapes_of<T: Element>(ts: &[&Tensor<T>]) -> Vec<Vec<usize>> {
    ts.iter().map(|t| t.shape().to_vec()).collect()
}

/// Joins tensors along an existing axis; all other axes must match.
///
/// ```
/// use tessera_tensor::{concatenate, Tensor};
/// let a = Tensor::from_vec(vec![1, 2, 3, 4], &[2, 2]).unwrap();
/// let b = Tensor::from_vec(vec![5, 6], &[1, 2]).unwrap();
/// assert_eq!(concatenate(&[&a, &b], 0).unwrap().to_vec(), vec![1, 2, 3, 4, 5, 6]);
/// assert!(concatenate(&[&a, &b], 1).is_err());
/// ```
pub fn concatenate<T: Element>(tensors: &[&Tensor<T>], axis: isize) -> Result<Tensor<T>> {
    let op = "concatenate";
    let first = tensors.first().ok_or_else(|| TensorError::Invalid {
        op,
        shape: vec![],
        reason: "need at least one tensor".into(),
    })?;
    if first.ndim() == 0 {
        return Err(TensorError::Invalid {
            op,
            shape: vec![],
            reason: "zero-dimensional tensors cannot be concatenated".into(),
        });
    }
    let ax = normalize_axis(op, first.shape(), axis)?;
    for t in tensors {
        let same = t.ndim() == first.ndim()
            && t.shape().iter().zip(first.shape()).enumerate().all(|(i, (a, b))| i == ax || a == b);
        if !same {
            return Err(TensorError::Shape {
                op,
                shapes: shapes_of(tensors),
                reason: format!("all axes but axis {ax} must match"),
            });
        }
    }
    let mut shape = first.shape().to_vec();
    shape[ax] = tensors.iter().try_fold(0usize, |a, t| a.checked_add(t.shape()[ax])).unwrap_or(usize::MAX);
    let mut out = crate::runtime::alloc::with_capacity(op, &shape)?;
    let outer: usize = shape[..ax].iter().product();
    let inner: usize = shape[ax + 1..].iter().product();
    let parts: Vec<Vec<T>> = tensors.iter().map(|t| t.to_vec()).collect();
    for o in 0..outer {
        for (t, data) in tensors.iter().zip(&parts) {
            let block = t.shape()[ax] * inner;
            out.extend_from_slice(&data[o * block..(o + 1) * block]);
        }
    }
    Tensor::from_vec(out, &shape)
}

/// Joins same-shaped tensors along a new axis.
///
/// ```
/// use tessera_tensor::{stack, Tensor};
/// let a = Tensor::from_vec(vec![1, 2], &[2]).unwrap();
/// let b = Tensor::from_vec(vec![3, 4], &[2]).unwrap();
/// let s = stack(&[&a, &b], 1).unwrap();
/// assert_eq!((s.shape(), s.to_vec()), (&[2usize, 2][..], vec![1, 3, 2, 4]));
/// ```
pub fn stack<T: Element>(tensors: &[&Tensor<T>], axis: isize) -> Result<Tensor<T>> {
    let op = "stack";
    let first = tensors.first().ok_or_else(|| TensorError::Invalid {
        op,
        shape: vec![],
        reason: "need at least one tensor".into(),
    })?;
    if tensors.iter().any(|t| t.shape() != first.shape()) {
        return Err(TensorError::Shape {
            op,
            shapes: shapes_of(tensors),
            reason: "all shapes must be equal".into(),
        });
    }
    let ax = normalize_axis_for(op, first.shape(), axis, first.ndim() + 1)? as isize;
    let expanded: Vec<Tensor<T>> = tensors.iter().map(|t| t.expand_dims(ax)).collect::<Result<_>>()?;
    let refs: Vec<&Tensor<T>> = expanded.iter().collect();
    concatenate(&refs, ax)
}

impl<T: Element> Tensor<T> {
    /// Splits into `sections` equal views along `axis` (NumPy's `split` with an int); an error if
    /// the axis does not divide evenly.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<i32>::arange(6);
    /// let parts = t.split(3, 0).unwrap();
    /// assert_eq!(parts[2].to_vec(), vec![4, 5]);
    /// assert!(t.split(4, 0).is_err());
    /// ```
    pub fn split(&self, sections: usize, axis: isize) -> Result<Vec<Tensor<T>>> {
        let ax = normalize_axis("split", self.shape(), axis)?;
        let d = self.shape()[ax];
        if sections == 0 || !d.is_multiple_of(sections) {
            return Err(TensorError::Invalid {
                op: "split",
                shape: self.shape().to_vec(),
                reason: format!("axis {ax} of size {d} does not split into {sections} equal sections"),
            });
        }
        let step = d / sections;
        let cuts: Vec<usize> = (1..sections).map(|i| i * step).collect();
        self.split_at(&cuts, axis)
    }

    /// Splits at the given indices along `axis` (NumPy's `split` with a list): views
    /// `[..i0], [i0..i1], ..., [ik..]`, clamped like slices.
    pub fn split_at(&self, indices: &[usize], axis: isize) -> Result<Vec<Tensor<T>>> {
        let ax = normalize_axis("split", self.shape(), axis)?;
        let mut bounds = vec![0isize];
        bounds.extend(indices.iter().map(|&i| i as isize));
        bounds.push(self.shape()[ax] as isize);
        bounds
            .windows(2)
            .map(|w| {
                let mut args = vec![SliceArg::from(..); ax];
                args.push(SliceArg::Range { start: Some(w[0]), stop: Some(w[1].max(w[0])), step: 1 });
                self.slice(&args)
            })
            .collect()
    }
}
