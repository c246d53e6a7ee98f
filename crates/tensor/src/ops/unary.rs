//! Unary element-wise ops: SIMD runs for the common float ones (relu, exp, sigmoid, ...), libm
//! for the rest; `neg`/`abs`/`sign` for every numeric type; in-place forms that reuse storage.

use super::arith::Store;
use super::unary_float::UnaryFloat;
use super::walk::{Dst, Src, unary_runs, zip};
use crate::dtype::{FloatElement, NumElement};
use crate::layout::shape::row_major_strides;
use crate::tensor::Tensor;

/// Applies `run`/`one` to every element of `x` into a new contiguous tensor.
fn map_new<T: NumElement>(
    x: &Tensor<T>,
    run: impl Fn(*const T, *mut T, usize, Store) + Sync,
    one: impl Fn(T) -> T + Sync,
) -> Tensor<T> {
    let ostr = row_major_strides(x.shape());
    let l = x.layout();
    let src = Src { data: x.storage().as_ptr(), strides: l.strides(), offset: l.offset() };
    let fill = |ptr: *mut T, recycled: bool| {
        // A recycled buffer is not in cache: long runs stream into it (`stream.rs`).
        let store = if recycled { Store::StreamLong } else { Store::Cached };
        let run = |p, o, n| run(p, o, n, store);
        // SAFETY: `ptr` is the fresh buffer of x's shape (`written_by` hands it over); `src` is
        // x's checked layout.
        unsafe {
            zip(
                x.shape(),
                Dst { ptr, strides: &ostr, offset: 0 },
                src,
                src,
                unary_runs(&run, &one),
                |a, _| one(a),
            )
        }
    };
    // SAFETY: the walk writes every element of its contiguous output once, never reading it
    // (`written_by`'s contract).
    let out = unsafe { crate::runtime::alloc::written_by::<T>("map", x.shape(), fill) };
    // A valid tensor's shape fits in isize; only its bytes may not be had (a huge broadcast view).
    crate::error::or_panic(out.and_then(|o| Tensor::from_vec(o, x.shape())))
}

/// Applies `run`/`one` to every element of `x` in its own storage (copying first only if shared).
fn map_inplace<T: NumElement>(
    x: &mut Tensor<T>,
    run: impl Fn(*const T, *mut T, usize) + Sync,
    one: impl Fn(T) -> T + Sync,
) {
    let shape = x.shape().to_vec();
    let (storage, layout) = x.writable_parts();
    let ptr = storage.as_mut_ptr();
    // SAFETY: writable_parts gives unique storage with a non-overlapping checked layout; input
    // and output are the same elements, each read before it is written.
    unsafe {
        zip(
            &shape,
            Dst { ptr, strides: layout.strides(), offset: layout.offset() },
            Src { data: ptr, strides: layout.strides(), offset: layout.offset() },
            Src { data: ptr, strides: layout.strides(), offset: layout.offset() },
            unary_runs(&run, &one),
            |a, _| one(a),
        )
    };
}

impl<T: NumElement> Tensor<T> {
    fn map_num(&self, f: fn(T) -> T) -> Tensor<T> {
        map_new(
            self,
            // SAFETY: (closure) the walker hands n valid elements at p and o.
            move |p, o, n, _| (0..n).for_each(|i| unsafe { *o.add(i) = f(*p.add(i)) }),
            f,
        )
    }
    /// `-x` (NumPy's `negative`; wraps for unsigned integers like NumPy).
    pub fn neg(&self) -> Tensor<T> {
        self.map_num(NumElement::neg)
    }
    /// `|x|`.
    ///
    /// ```
    /// assert_eq!(tessera_tensor::tensor![-2i32, 3].abs().to_vec(), vec![2, 3]);
    /// ```
    pub fn abs(&self) -> Tensor<T> {
        self.map_num(NumElement::abs)
    }
    /// -1, 0 or 1 per element (NaN stays NaN).
    pub fn sign(&self) -> Tensor<T> {
        self.map_num(NumElement::sign)
    }
}

macro_rules! float_unary {
    ($($name:ident, $inplace:ident, $op:expr, $doc:literal;)*) => {
        impl<T: FloatElement> Tensor<T> {
            /// Applies a float unary op into a new tensor.
            pub fn unary(&self, op: UnaryFloat) -> Tensor<T> {
                // SAFETY: (closure) the walker hands n valid elements at p and o.
                map_new(self, move |p, o, n, store| unsafe { T::unary_run(op, p, o, n, store) }, move |x| op.scalar(x))
            }
            /// Applies a float unary op in place (no allocation unless the storage is shared).
            pub fn unary_inplace(&mut self, op: UnaryFloat) {
                // SAFETY: (closure) the walker hands n valid elements at p and o (p may equal o).
                map_inplace(self, move |p, o, n| unsafe { T::unary_run(op, p, o, n, Store::StreamLong) }, move |x| op.scalar(x))
            }
            $(
                #[doc = $doc]
                pub fn $name(&self) -> Tensor<T> {
                    self.unary($op)
                }
                #[doc = concat!("In-place `", stringify!($name), "`.")]
                pub fn $inplace(&mut self) {
                    self.unary_inplace($op)
                }
            )*
        }
    };
}

float_unary! {
    exp, exp_inplace, UnaryFloat::Exp, "`e^x` (f32: SIMD, ≤ 2 ulp; see `simd_exp.rs`).";
    ln, ln_inplace, UnaryFloat::Ln, "Natural logarithm (NumPy's `log`).";
    log1p, log1p_inplace, UnaryFloat::Log1p, "`ln(1 + x)`, accurate for small x.";
    sqrt, sqrt_inplace, UnaryFloat::Sqrt, "Square root.";
    square, square_inplace, UnaryFloat::Square, "`x²`.";
    recip, recip_inplace, UnaryFloat::Recip, "`1/x`.";
    relu, relu_inplace, UnaryFloat::Relu, "`max(x, 0)` (NaN kept, like `np.maximum(x, 0)`).\n\n```\nassert_eq!(tessera_tensor::tensor![-1.0f32, 2.0].relu().to_vec(), vec![0.0, 2.0]);\n```";
    sigmoid, sigmoid_inplace, UnaryFloat::Sigmoid, "`1 / (1 + e^-x)`.";
    tanh, tanh_inplace, UnaryFloat::Tanh, "Hyperbolic tangent.";
    sin, sin_inplace, UnaryFloat::Sin, "Sine.";
    cos, cos_inplace, UnaryFloat::Cos, "Cosine.";
}

impl<T: FloatElement> Tensor<T> {
    /// NumPy's `clip(x, lo, hi)` = `minimum(maximum(x, lo), hi)`.
    ///
    /// ```
    /// let t = tessera_tensor::tensor![-1.0f64, 0.5, 2.0].clip(0.0, 1.0);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.5, 1.0]);
    /// ```
    pub fn clip(&self, lo: f64, hi: f64) -> Tensor<T> {
        self.unary(UnaryFloat::Clip(lo, hi))
    }
}
