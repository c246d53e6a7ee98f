//! In-place binary ops: `a += b` writes into `a`'s own storage (no allocation unless the storage
//! is shared with another tensor), with `b` broadcast to `a`'s shape.

use super::element::{Arith, NumElement};
use super::walk::{Dst, Src, zip};
use crate::broadcast::broadcast_shapes;
use crate::error::{Result, TensorError};
use crate::tensor::Tensor;

impl<T: NumElement> Tensor<T> {
    /// `self = self op other`, in place. `other` must broadcast to `self`'s shape (the result
    /// cannot grow `self`, as with NumPy's `out=`).
    ///
    /// ```
    /// use tessera_tensor::{ops::Arith, tensor};
    /// let mut x = tensor![[1.0f32, 2.0], [3.0, 4.0]];
    /// x.arith_assign(&tensor![10.0f32, 20.0], Arith::Add).unwrap();
    /// assert_eq!(x.to_vec(), vec![11.0, 22.0, 13.0, 24.0]);
    /// assert!(x.arith_assign(&tensor![1.0f32, 2.0, 3.0], Arith::Add).is_err());
    /// ```
    pub fn arith_assign(&mut self, other: &Tensor<T>, op: Arith) -> Result<()> {
        let shape = broadcast_shapes(op.name(), self.shape(), other.shape())?;
        if shape != self.shape() {
            return Err(TensorError::Shape {
                op: op.name(),
                shapes: vec![self.shape().to_vec(), other.shape().to_vec()],
                reason: format!("in-place result would have shape {shape:?}, not the target's"),
            });
        }
        if op == Arith::Div && !matches!(T::DTYPE, crate::DType::F32 | crate::DType::F64) {
            return Err(TensorError::Invalid {
                op: "div",
                shape,
                reason: "in-place true division needs a float tensor".into(),
            });
        }
        let lb = other.layout().broadcast_to(&shape)?;
        // `other` may share storage with `self` (e.g. a view of it): writable_parts then copies
        // `self` first, so `other` keeps reading the old, untouched buffer.
        let (storage, layout) = self.writable_parts();
        let ptr = storage.as_mut_ptr();
        // SAFETY: unique storage with a non-overlapping checked layout; the `a` input is the
        // output itself (same layout, each element read before written); `other` is a checked
        // broadcast layout over a different buffer.
        unsafe {
            zip(
                &shape,
                Dst { ptr, strides: layout.strides(), offset: layout.offset() },
                Src { data: ptr, strides: layout.strides(), offset: layout.offset() },
                Src { data: other.storage().as_ptr(), strides: lb.strides(), offset: lb.offset() },
                move |a, b, o, n| T::arith_run(op, a, b, o, n),
                move |a, b| T::arith(op, a, b),
            )
        };
        Ok(())
    }

    /// `self += other` in place (broadcasting `other`).
    pub fn add_assign_t(&mut self, other: &Tensor<T>) -> Result<()> {
        self.arith_assign(other, Arith::Add)
    }
    /// `self -= other` in place.
    pub fn sub_assign_t(&mut self, other: &Tensor<T>) -> Result<()> {
        self.arith_assign(other, Arith::Sub)
    }
    /// `self *= other` in place.
    pub fn mul_assign_t(&mut self, other: &Tensor<T>) -> Result<()> {
        self.arith_assign(other, Arith::Mul)
    }
    /// `self /= other` in place (floats).
    pub fn div_assign_t(&mut self, other: &Tensor<T>) -> Result<()> {
        self.arith_assign(other, Arith::Div)
    }
}
