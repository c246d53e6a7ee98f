//! Zero-copy view operations on `Tensor`: each builds a new [`Layout`](crate::layout::Layout) over the same storage.
//! Only `reshape` may copy, and only when no strides can express the result (see `reshape.rs`).

use crate::dtype::Element;
use crate::error::{Result, TensorError};
use crate::layout::reshape::resolve_shape;
use crate::layout::slice::SliceArg;
use crate::tensor::Tensor;
use std::sync::Arc;

impl<T: Element> Tensor<T> {
    /// NumPy basic slicing with [`s!`](crate::s): always a view.
    ///
    /// ```
    /// use tessera_tensor::{s, Tensor};
    /// let images = Tensor::<u8>::zeros(&[1000, 28, 28]);
    /// assert_eq!(images.slice(&s![10..100]).unwrap().shape(), &[90, 28, 28]);
    /// assert_eq!(images.slice(&s![.., 7..-7, 7..-7]).unwrap().shape(), &[1000, 14, 14]);
    /// assert_eq!(images.slice(&s![4, .., 14]).unwrap().shape(), &[28]);
    /// ```
    pub fn slice(&self, args: &[SliceArg]) -> Result<Tensor<T>> {
        Ok(self.with_layout(self.layout().slice(args)?))
    }

    /// Reverses the axes (NumPy's `x.T` / `transpose()`): a view.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::zeros(&[300, 20]);
    /// assert_eq!(t.transpose().shape(), &[20, 300]);
    /// ```
    pub fn transpose(&self) -> Tensor<T> {
        self.with_layout(self.layout().transpose())
    }

    /// Reorders axes (NumPy's `transpose(axes)`): output axis `i` is input axis `axes[i]`.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::zeros(&[2, 3, 4]);
    /// assert_eq!(t.permute(&[2, 0, 1]).unwrap().shape(), &[4, 2, 3]);
    /// assert!(t.permute(&[0, 0, 1]).is_err());
    /// ```
    pub fn permute(&self, axes: &[isize]) -> Result<Tensor<T>> {
        Ok(self.with_layout(self.layout().permute(axes)?))
    }

    /// Exchanges two axes (NumPy's `swapaxes`).
    pub fn swap_axes(&self, a: isize, b: isize) -> Result<Tensor<T>> {
        Ok(self.with_layout(self.layout().swap_axes(a, b)?))
    }

    /// Inserts a length-1 axis (NumPy's `expand_dims`).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::zeros(&[3]);
    /// assert_eq!(t.expand_dims(0).unwrap().shape(), &[1, 3]);
    /// assert_eq!(t.expand_dims(-1).unwrap().shape(), &[3, 1]);
    /// ```
    pub fn expand_dims(&self, axis: isize) -> Result<Tensor<T>> {
        Ok(self.with_layout(self.layout().expand_dims(axis)?))
    }

    /// Removes one length-1 axis, or all of them with `None` (NumPy's `squeeze`).
    pub fn squeeze(&self, axis: Option<isize>) -> Result<Tensor<T>> {
        Ok(self.with_layout(self.layout().squeeze(axis)?))
    }

    /// A read-only view with a broadcast shape (stride 0 on repeated axes).
    ///
    /// ```
    /// let b = tessera_tensor::Tensor::<f32>::zeros(&[10]);
    /// let v = b.broadcast_to(&[32, 10]).unwrap();
    /// assert_eq!(v.strides(), &[0, 1]);
    /// ```
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Tensor<T>> {
        Ok(self.with_layout(self.layout().broadcast_to(shape)?))
    }

    /// Reshapes in row-major logical order, with at most one `-1` inferred. A view when the
    /// strides allow it, otherwise a contiguous copy; [`Tensor::shares_storage`] tells which.
    ///
    /// ```
    /// use tessera_tensor::Tensor;
    /// let x = Tensor::<u8>::zeros(&[60000, 28, 28]);
    /// let flat = x.reshape(&[60000, -1]).unwrap();
    /// assert_eq!(flat.shape(), &[60000, 784]);
    /// assert!(flat.shares_storage(&x));
    /// let e = x.reshape(&[60000, 785]).unwrap_err();
    /// assert!(e.to_string().contains("[60000, 28, 28] into [60000, 785]"));
    /// ```
    pub fn reshape(&self, shape: &[isize]) -> Result<Tensor<T>> {
        let shape = resolve_shape("reshape", self.shape(), shape)?;
        Ok(match self.layout().reshape_view(&shape) {
            Some(layout) => self.with_layout(layout),
            None => Tensor::from_vec(self.to_vec(), &shape)?,
        })
    }

    /// Like [`Tensor::reshape`] but never copies: an error when strides cannot express the shape.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::zeros(&[3, 2]).transpose();
    /// assert!(t.reshape_view(&[6]).is_err());
    /// ```
    pub fn reshape_view(&self, shape: &[isize]) -> Result<Tensor<T>> {
        let resolved = resolve_shape("reshape_view", self.shape(), shape)?;
        match self.layout().reshape_view(&resolved) {
            Some(layout) => Ok(self.with_layout(layout)),
            None => Err(TensorError::Reshape {
                op: "reshape_view",
                from: self.shape().to_vec(),
                to: shape.to_vec(),
                reason: format!("strides {:?} need a copy", self.strides()),
            }),
        }
    }

    /// A 1-D tensor of all elements in row-major order (a view when possible).
    pub fn flatten(&self) -> Tensor<T> {
        let n = self.size() as isize;
        self.reshape(&[n]).expect("a tensor always reshapes to its own size")
    }

    /// True when both tensors read the same storage buffer (NumPy's `shares_memory`, by buffer).
    pub fn shares_storage(&self, other: &Tensor<T>) -> bool {
        Arc::ptr_eq(self.storage_arc(), other.storage_arc())
    }
}
