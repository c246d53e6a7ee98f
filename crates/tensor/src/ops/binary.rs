//! Binary element-wise ops with NumPy broadcasting: arithmetic (SIMD runs), `pow`, comparisons
//! into bool masks, and `where_`.

use super::arith::{Arith, Operand, Store};
use super::walk::{Dst, Src, zip};
use crate::dtype::Element;
use crate::dtype::{FloatElement, NumElement};
use crate::error::{Result, TensorError};
use crate::layout::broadcast::broadcast_shapes;
use crate::layout::shape::row_major_strides;
use crate::layout::strided_iter::OffsetIter;
use crate::tensor::Tensor;

/// Broadcasts two tensors and computes `f` element-wise into a new contiguous tensor, through the
/// shared walker: `run` takes contiguous/broadcast runs, `one` single elements.
pub(crate) fn zip_new<T, U>(
    op: &'static str,
    a: &Tensor<T>,
    b: &Tensor<T>,
    run: impl Fn(Operand<T>, Operand<T>, *mut U, usize, Store) + Sync,
    one: impl Fn(T, T) -> U + Sync,
) -> Result<Tensor<U>>
where
    T: Element,
    U: Element,
{
    let shape = broadcast_shapes(op, a.shape(), b.shape())?;
    let la = a.layout().broadcast_to(&shape)?;
    let lb = b.layout().broadcast_to(&shape)?;
    let ostr = row_major_strides(&shape);
    let fill = |ptr: *mut U, recycled: bool| {
        // A recycled buffer is not in cache: long runs stream into it (`stream.rs`).
        let store = if recycled { Store::StreamLong } else { Store::Cached };
        let run = |a, b, o, n| run(a, b, o, n, store);
        // SAFETY: `ptr` is the fresh buffer of the broadcast shape (`written_by` hands it over:
        // non-overlapping, in bounds); `la`/`lb` are broadcast views of checked layouts over
        // their own storage.
        unsafe {
            zip(
                &shape,
                Dst { ptr, strides: &ostr, offset: 0 },
                Src { data: a.storage().as_ptr(), strides: la.strides(), offset: la.offset() },
                Src { data: b.storage().as_ptr(), strides: lb.strides(), offset: lb.offset() },
                run,
                one,
            )
        }
    };
    // SAFETY: the walk writes every element of its contiguous output once, never reading it
    // (`written_by`'s contract).
    let out = unsafe { crate::runtime::alloc::written_by::<U>(op, &shape, fill) }?;
    Tensor::from_vec(out, &shape)
}

/// Scalar-only element loop for `zip_new` (ops without a SIMD run kernel).
pub(crate) fn scalar_run<T: Copy, U>(
    f: impl Fn(T, T) -> U + Sync,
) -> impl Fn(Operand<T>, Operand<T>, *mut U, usize, Store) + Sync {
    move |a, b, out, n, _| {
        for i in 0..n {
            // SAFETY: the walker hands runs of n valid elements.
            unsafe { *out.add(i) = f(a.at(i), b.at(i)) };
        }
    }
}

impl<T: NumElement> Tensor<T> {
    /// `self op other` with broadcasting (SIMD runs for f32/f64).
    pub fn try_arith(&self, other: &Tensor<T>, op: Arith) -> Result<Tensor<T>> {
        if op == Arith::Div && !matches!(T::DTYPE, crate::dtype::DType::F32 | crate::dtype::DType::F64) {
            return Err(TensorError::Invalid {
                op: "div",
                shape: self.shape().to_vec(),
                reason: format!(
                    "true division of {} gives floats in NumPy: use astype::<f64>() first",
                    T::DTYPE
                ),
            });
        }
        zip_new(
            op.name(),
            self,
            other,
            // SAFETY: the walker's runs satisfy arith_run's contract.
            move |a, b, o, n, store| unsafe { T::arith_run(op, a, b, o, n, store) },
            move |a, b| T::arith(op, a, b),
        )
    }

    /// Element-wise sum with broadcasting.
    ///
    /// ```
    /// use tessera_tensor::tensor;
    /// let x = tensor![[1.0f32, 2.0], [3.0, 4.0]];
    /// assert_eq!(x.try_add(&tensor![10.0f32, 20.0]).unwrap().to_vec(), vec![11.0, 22.0, 13.0, 24.0]);
    /// assert!(x.try_add(&tensor![1.0f32, 2.0, 3.0]).is_err());
    /// ```
    pub fn try_add(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_arith(other, Arith::Add)
    }
    /// Element-wise difference with broadcasting.
    pub fn try_sub(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_arith(other, Arith::Sub)
    }
    /// Element-wise product with broadcasting.
    pub fn try_mul(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_arith(other, Arith::Mul)
    }
    /// Element-wise quotient with broadcasting (float tensors only).
    pub fn try_div(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_arith(other, Arith::Div)
    }

    /// NumPy's `maximum`: element-wise max with broadcasting, NaN-propagating.
    ///
    /// ```
    /// use tessera_tensor::Tensor;
    /// let x = Tensor::<f32>::zeros(&[64, 3, 32, 10]);
    /// let y = Tensor::<f32>::ones(&[32, 10]);
    /// assert_eq!(x.maximum(&y).unwrap().shape(), &[64, 3, 32, 10]);
    /// ```
    pub fn maximum(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_arith(other, Arith::Max)
    }
    /// NumPy's `minimum`: element-wise min with broadcasting, NaN-propagating.
    pub fn minimum(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_arith(other, Arith::Min)
    }

    /// `self op scalar` (the scalar broadcasts as a 0-D tensor); panics with the error's message
    /// where [`Tensor::try_arith_scalar`] returns it (integer division).
    pub fn arith_scalar(&self, s: T, op: Arith) -> Tensor<T> {
        crate::error::or_panic(self.try_arith_scalar(s, op))
    }
    /// Fallible [`Tensor::arith_scalar`].
    ///
    /// ```
    /// use tessera_tensor::{ops::Arith, tensor};
    /// let e = tensor![1i32, 2].try_arith_scalar(2, Arith::Div).unwrap_err();
    /// assert!(e.to_string().starts_with("div: true division of int32 gives floats"));
    /// ```
    pub fn try_arith_scalar(&self, s: T, op: Arith) -> Result<Tensor<T>> {
        self.try_arith(&Tensor::scalar(s), op)
    }
    /// `scalar op self`; panics where [`Tensor::try_arith_scalar`] would return an error.
    pub fn scalar_arith(s: T, t: &Tensor<T>, op: Arith) -> Tensor<T> {
        crate::error::or_panic(Tensor::scalar(s).try_arith(t, op))
    }

    fn compare(&self, other: &Tensor<T>, op: &'static str, f: fn(T, T) -> bool) -> Result<Tensor<bool>> {
        zip_new(op, self, other, scalar_run(f), f)
    }
    /// `self == other` element-wise, as a bool mask (NumPy's `equal`, Python's `==`).
    ///
    /// ```
    /// use tessera_tensor::tensor;
    /// assert_eq!(tensor![1, 2, 3].equal(&tensor![3, 2, 1]).unwrap().to_vec(), vec![false, true, false]);
    /// ```
    pub fn equal(&self, other: &Tensor<T>) -> Result<Tensor<bool>> {
        self.compare(other, "equal", |a, b| a == b)
    }
    /// `self != other`.
    pub fn not_equal(&self, other: &Tensor<T>) -> Result<Tensor<bool>> {
        self.compare(other, "not_equal", |a, b| a != b)
    }
    /// `self < other`.
    pub fn less(&self, other: &Tensor<T>) -> Result<Tensor<bool>> {
        self.compare(other, "less", |a, b| a < b)
    }
    /// `self <= other`.
    pub fn less_equal(&self, other: &Tensor<T>) -> Result<Tensor<bool>> {
        self.compare(other, "less_equal", |a, b| a <= b)
    }
    /// `self > other`.
    pub fn greater(&self, other: &Tensor<T>) -> Result<Tensor<bool>> {
        self.compare(other, "greater", |a, b| a > b)
    }
    /// `self >= other`.
    pub fn greater_equal(&self, other: &Tensor<T>) -> Result<Tensor<bool>> {
        self.compare(other, "greater_equal", |a, b| a >= b)
    }
}

impl<T: FloatElement> Tensor<T> {
    /// `self ** other` element-wise with broadcasting.
    ///
    /// ```
    /// use tessera_tensor::tensor;
    /// assert_eq!(tensor![2.0f64, 3.0].pow(&tensor![3.0, 2.0]).unwrap().to_vec(), vec![8.0, 9.0]);
    /// ```
    pub fn pow(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        zip_new("power", self, other, scalar_run(|a: T, b: T| a.powf(b)), |a: T, b: T| a.powf(b))
    }
    /// `self ** e` for a scalar exponent.
    pub fn powf(&self, e: T) -> Tensor<T> {
        self.pow(&Tensor::scalar(e)).expect("a scalar broadcasts with any shape")
    }
}

/// NumPy's `where(mask, a, b)`: `a` where the mask is true, else `b`, all three broadcast.
///
/// ```
/// use tessera_tensor::{ops::where_, tensor, Tensor};
/// let m = tensor![true, false, true];
/// let r = where_(&m, &tensor![1.0f32, 2.0, 3.0], &Tensor::scalar(0.0)).unwrap();
/// assert_eq!(r.to_vec(), vec![1.0, 0.0, 3.0]);
/// ```
pub fn where_<T: Element>(mask: &Tensor<bool>, a: &Tensor<T>, b: &Tensor<T>) -> Result<Tensor<T>> {
    let ab = broadcast_shapes("where", a.shape(), b.shape())?;
    let shape = broadcast_shapes("where", mask.shape(), &ab)?;
    let lm = mask.layout().broadcast_to(&shape)?;
    let la = a.layout().broadcast_to(&shape)?;
    let lb = b.layout().broadcast_to(&shape)?;
    let (sm, sa, sb) = (mask.storage(), a.storage(), b.storage());
    let data = OffsetIter::new(&lm)
        .zip(OffsetIter::new(&la).zip(OffsetIter::new(&lb)))
        .map(|(m, (i, j))| if sm[m] { sa[i] } else { sb[j] })
        .collect();
    Tensor::from_vec(data, &shape)
}

impl<T: Element> Tensor<T> {
    /// A custom element-wise function of two broadcast tensors, through the same strided walker
    /// (fast contiguous/broadcast runs, rayon above the threshold) as the built-in ops. `op` names
    /// the operation in errors.
    ///
    /// ```
    /// use tessera_tensor::tensor;
    /// let x = tensor![-1.0f32, 2.0, 3.0];
    /// let g = tensor![10.0f32, 10.0, 10.0];
    /// let dx = x.zip_with("relu_backward", &g, |x, g| if x > 0.0 { g } else { 0.0 }).unwrap();
    /// assert_eq!(dx.to_vec(), vec![0.0, 10.0, 10.0]);
    /// ```
    pub fn zip_with<U: Element>(
        &self,
        op: &'static str,
        other: &Tensor<T>,
        f: impl Fn(T, T) -> U + Sync + Copy,
    ) -> Result<Tensor<U>> {
        zip_new(op, self, other, scalar_run(f), f)
    }

    /// A custom element-wise function of one tensor (contiguous output).
    ///
    /// ```
    /// let t = tessera_tensor::tensor![1u8, 2, 3].map(|v| v as f32 / 2.0);
    /// assert_eq!(t.to_vec(), vec![0.5, 1.0, 1.5]);
    /// ```
    pub fn map<U: Element>(&self, f: impl Fn(T) -> U + Sync + Copy) -> Tensor<U> {
        zip_new("map", self, self, scalar_run(move |a, _| f(a)), move |a, _| f(a))
            .expect("a tensor broadcasts with itself")
    }
}
