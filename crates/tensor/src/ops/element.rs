//! Numeric element traits for the element-wise kernels (their SIMD implementations for each type
//! are in `element_impls.rs`).
//!
//! [`NumElement`] (u8, i32, i64, f32, f64) gives NumPy's arithmetic: integers wrap, `maximum` /
//! `minimum` propagate NaN. Its `arith_run` / `unary_run` hooks process one contiguous run: the
//! default is a plain loop (which LLVM auto-vectorises for integers); f32 and f64 override them
//! with `wide` SIMD vectors plus a scalar tail.

pub use super::arith::{Arith, Operand, Store};
pub use super::simd_math::SimdExp;
pub use super::unary_float::UnaryFloat;
use crate::dtype::Element;

/// Element types with arithmetic: `u8`, `i32`, `i64`, `f32`, `f64`.
pub trait NumElement: Element {
    /// One element of `a op b`.
    fn arith(op: Arith, a: Self, b: Self) -> Self;
    /// `|x|` (wrapping for the minimum integer, as NumPy).
    fn abs(self) -> Self;
    /// `-x` (wrapping for integers, as NumPy does for unsigned types).
    fn neg(self) -> Self;
    /// -1, 0 or 1 (NaN stays NaN).
    fn sign(self) -> Self;

    /// `out[i] = a[i] op b[i]` for `i < n`, written as `store` says (a hint: the integer
    /// default ignores it).
    ///
    /// # Safety
    /// `out` is valid for `n` writes; each `Run` operand for `n` reads. An operand may alias
    /// `out` exactly (same pointer, for in-place ops), never partially.
    unsafe fn arith_run(
        op: Arith,
        a: Operand<Self>,
        b: Operand<Self>,
        out: *mut Self,
        n: usize,
        store: Store,
    ) {
        let _ = store;
        for i in 0..n {
            // SAFETY: i < n; element i is read before it is written.
            unsafe { *out.add(i) = Self::arith(op, a.at(i), b.at(i)) };
        }
    }
}

/// `f32` and `f64`: float math with SIMD runs.
pub trait FloatElement: NumElement + SimdExp + num_traits::Float {
    /// `out[i] = op(x[i])` for `i < n`, written as `store` says.
    ///
    /// # Safety
    /// `x` valid for `n` reads, `out` for `n` writes; they may be the same pointer.
    unsafe fn unary_run(op: UnaryFloat, x: *const Self, out: *mut Self, n: usize, store: Store);
}

impl UnaryFloat {
    /// One element (libm for the transcendental functions; the SIMD formulas for `Exp`,
    /// `Sigmoid` and `Tanh`, so that every path gives the same bits).
    #[inline(always)]
    pub fn scalar<T: FloatElement>(self, x: T) -> T {
        match self {
            UnaryFloat::Neg => -x,
            UnaryFloat::Abs => num_traits::Float::abs(x),
            UnaryFloat::Exp => T::exp_s(x),
            UnaryFloat::Ln => x.ln(),
            UnaryFloat::Log1p => x.ln_1p(),
            UnaryFloat::Sqrt => x.sqrt(),
            UnaryFloat::Square => x * x,
            UnaryFloat::Recip => x.recip(),
            UnaryFloat::Relu => {
                if x > T::zero() || x.is_nan() {
                    x
                } else {
                    T::zero()
                }
            }
            UnaryFloat::Sigmoid => T::one() / (T::one() + T::exp_s(-x)),
            UnaryFloat::Tanh => T::tanh_s(x),
            UnaryFloat::Sin => x.sin(),
            UnaryFloat::Cos => x.cos(),
            UnaryFloat::Sign => NumElement::sign(x),
            UnaryFloat::Clip(lo, hi) => {
                let (lo, hi) = (T::from(lo).unwrap(), T::from(hi).unwrap());
                // NumPy: clip(x) = minimum(maximum(x, lo), hi), NaN propagates.
                T::arith(Arith::Min, T::arith(Arith::Max, x, lo), hi)
            }
        }
    }
}
