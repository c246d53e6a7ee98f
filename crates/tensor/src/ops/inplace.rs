//! In-place binary ops: `a += b` writes into `a`'s own storage (no allocation unless the storage
//! is shared with another tensor), with `b` broadcast to `a`'s shape.

use super::arith::{Arith, Store};
use super::walk::{Dst, Src, zip};
use crate::dtype::NumElement;
use crate::error::{Result, TensorError};
use crate::layout::broadcast::broadcast_shapes;
use crate::tensor::Tensor;

/// Integer true division returns floats in NumPy; Tessera refuses it and points at `astype`.
pub(crate) fn check_div<T: NumElement>(op: Arith, shape: &[usize]) -> Result<()> {
    if op == Arith::Div && !matches!(T::DTYPE, crate::dtype::DType::F32 | crate::dtype::DType::F64) {
        return Err(TensorError::Invalid {
            op: "div",
            shape: shape.to_vec(),
            reason: format!("true division of {} gives floats in NumPy: use astype::<f64>() first", T::DTYPE),
        });
    }
    Ok(())
}

/// An in-place result keeps the target's shape: `src` must broadcast *to* `target`, not past it.
/// Incompatible shapes get the broadcast error (naming the failing axis).
fn check_fits(op: Arith, target: &[usize], src: &[usize]) -> Result<()> {
    let shape = broadcast_shapes(op.name(), target, src)?;
    if shape != target {
        return Err(TensorError::Shape {
            op: op.name(),
            shapes: vec![target.to_vec(), src.to_vec()],
            reason: format!("in-place result would have shape {shape:?}, not the target's"),
        });
    }
    Ok(())
}

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
        // The whole tensor is the region: the sliced form below does the work.
        self.slice_arith_assign(&[], other, op)
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

impl<T: NumElement> Tensor<T> {
    /// NumPy's `op(self, other, out=out)`: writes the broadcast result into `out`'s storage
    /// (copying `out` first only if its storage is shared). `out` must have the broadcast shape.
    ///
    /// ```
    /// use tessera_tensor::{ops::Arith, tensor, Tensor};
    /// let mut z = Tensor::<f32>::zeros(&[2]);
    /// tensor![1.0f32, 2.0].arith_out(&tensor![10.0f32, 20.0], Arith::Add, &mut z).unwrap();
    /// assert_eq!(z.to_vec(), vec![11.0, 22.0]);
    /// ```
    pub fn arith_out(&self, other: &Tensor<T>, op: Arith, out: &mut Tensor<T>) -> Result<()> {
        let shape = broadcast_shapes(op.name(), self.shape(), other.shape())?;
        if shape != out.shape() {
            return Err(TensorError::Shape {
                op: op.name(),
                shapes: vec![self.shape().to_vec(), other.shape().to_vec(), out.shape().to_vec()],
                reason: format!("out must have the broadcast shape {shape:?}"),
            });
        }
        if op == Arith::Div && !matches!(T::DTYPE, crate::dtype::DType::F32 | crate::dtype::DType::F64) {
            return Err(TensorError::Invalid {
                op: "div",
                shape,
                reason: "true division needs a float tensor".into(),
            });
        }
        let la = self.layout().broadcast_to(&shape)?;
        let lb = other.layout().broadcast_to(&shape)?;
        // `out` may share storage with an input: writable_parts then copies `out` first, so the
        // inputs keep reading their own, untouched buffers.
        let (storage, layout) = out.writable_parts();
        // SAFETY: unique output storage with a non-overlapping checked layout of `shape`; the
        // inputs are checked broadcast layouts over other buffers.
        unsafe {
            zip(
                &shape,
                Dst { ptr: storage.as_mut_ptr(), strides: layout.strides(), offset: layout.offset() },
                Src { data: self.storage().as_ptr(), strides: la.strides(), offset: la.offset() },
                Src { data: other.storage().as_ptr(), strides: lb.strides(), offset: lb.offset() },
                arith_runs::<T>(op),
                move |a, b| T::arith(op, a, b),
            )
        };
        Ok(())
    }
}

impl<T: crate::dtype::FloatElement> Tensor<T> {
    /// NumPy's `ufunc(self, out=out)` for a float unary op; `out` must have `self`'s shape.
    pub fn unary_out(&self, op: super::unary_float::UnaryFloat, out: &mut Tensor<T>) -> Result<()> {
        if self.shape() != out.shape() {
            return Err(TensorError::Shape {
                op: op.name(),
                shapes: vec![self.shape().to_vec(), out.shape().to_vec()],
                reason: "out must have the input's shape".into(),
            });
        }
        let shape = self.shape().to_vec();
        let l = self.layout().clone();
        let (storage, layout) = out.writable_parts();
        let src = Src { data: self.storage().as_ptr(), strides: l.strides(), offset: l.offset() };
        let runs = super::walk::unary_runs(
            move |p, o, n| {
                // SAFETY: `zip` hands its run callback n valid elements at p and o.
                unsafe { T::unary_run(op, p, o, n, Store::StreamLong) }
            },
            move |x| op.scalar(x),
        );
        // SAFETY: unique output storage with a non-overlapping checked layout; the input is a
        // checked layout over another buffer (writable_parts copied `out` if they were shared).
        unsafe {
            zip(
                &shape,
                Dst { ptr: storage.as_mut_ptr(), strides: layout.strides(), offset: layout.offset() },
                src,
                src,
                runs,
                move |a, _| op.scalar(a),
            )
        };
        Ok(())
    }
}

impl<T: NumElement> Tensor<T> {
    /// NumPy's `x[args] op= src`: applies `op` into the sliced region of this tensor's own
    /// storage (copying first only if it is shared). `src` broadcasts to the slice's shape.
    ///
    /// ```
    /// use tessera_tensor::{ops::Arith, s, tensor, Tensor};
    /// let mut z = Tensor::<f32>::zeros(&[2, 4]);
    /// z.slice_arith_assign(&s![.., 1..;2], &tensor![5.0f32, 6.0], Arith::Add).unwrap();
    /// assert_eq!(z.to_vec(), vec![0.0, 5.0, 0.0, 6.0, 0.0, 5.0, 0.0, 6.0]);
    /// ```
    pub fn slice_arith_assign(
        &mut self,
        args: &[crate::layout::slice::SliceArg],
        src: &Tensor<T>,
        op: Arith,
    ) -> Result<()> {
        check_div::<T>(op, self.shape())?;
        // Validate before any copy; the region is recomputed after `make_writable`, which may
        // have moved the data into a fresh contiguous buffer.
        check_fits(op, self.layout().slice(args)?.shape(), src.shape())?;
        self.make_writable();
        let region = self.layout().slice(args)?;
        let shape = region.shape().to_vec();
        let ls = src.layout().broadcast_to(&shape)?;
        let (storage, _) = self.writable_parts();
        let ptr = storage.as_mut_ptr();
        // SAFETY: the storage is unique and the region is a slice of a non-overlapping checked
        // layout (so itself non-overlapping and in bounds); `src` is a checked broadcast layout
        // over another buffer (make_writable copied ours if they were shared).
        unsafe {
            zip(
                &shape,
                Dst { ptr, strides: region.strides(), offset: region.offset() },
                Src { data: ptr, strides: region.strides(), offset: region.offset() },
                Src { data: src.storage().as_ptr(), strides: ls.strides(), offset: ls.offset() },
                arith_runs::<T>(op),
                move |a, b| T::arith(op, a, b),
            )
        };
        Ok(())
    }
}

/// The walker's run callback for `op` with streaming stores (the in-place and `out=` forms).
fn arith_runs<T: NumElement>(
    op: Arith,
) -> impl Fn(super::arith::Operand<T>, super::arith::Operand<T>, *mut T, usize) + Sync {
    move |a, b, o, n| {
        // SAFETY: `zip` hands its run callback runs of n valid elements (output and operands).
        unsafe { T::arith_run(op, a, b, o, n, Store::StreamLong) }
    }
}
