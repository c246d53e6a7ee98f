//! [`NumElement`] and [`FloatElement`] for each type: a plain loop for the integers (which LLVM
//! auto-vectorises); for f32 and f64 the run kernels of the tier this CPU runs (`run_isa.rs`).

use super::arith::{Arith, Operand, Store};
use super::run_isa::IsaRuns;
use super::unary_float::UnaryFloat;
use crate::dtype::{FloatElement, NumElement};

macro_rules! int_element {
    ($($t:ty),*) => {$(
        impl NumElement for $t {
            #[inline(always)]
            fn arith(op: Arith, a: $t, b: $t) -> $t {
                match op {
                    Arith::Add => a.wrapping_add(b),
                    Arith::Sub => a.wrapping_sub(b),
                    Arith::Mul => a.wrapping_mul(b),
                    // Integer true division is refused before any kernel runs (see `Tensor::div`).
                    Arith::Div => if b == 0 { 0 } else { a.wrapping_div(b) },
                    Arith::Max => if a >= b { a } else { b },
                    Arith::Min => if a <= b { a } else { b },
                }
            }
            #[allow(unused_comparisons)] // u8 is never negative; the same code serves i32/i64
            fn abs(self) -> $t { if self < 0 { (0 as $t).wrapping_sub(self) } else { self } }
            fn neg(self) -> $t { (0 as $t).wrapping_sub(self) }
            fn sign(self) -> $t { if self > 0 { 1 } else if self == 0 { 0 } else { (0 as $t).wrapping_sub(1) } }
        }
    )*};
}
int_element!(u8, i32, i64);

macro_rules! float_element {
    ($t:ty) => {
        impl NumElement for $t {
            #[inline(always)]
            fn arith(op: Arith, a: $t, b: $t) -> $t {
                match op {
                    Arith::Add => a + b,
                    Arith::Sub => a - b,
                    Arith::Mul => a * b,
                    Arith::Div => a / b,
                    Arith::Max => {
                        if a > b || a.is_nan() {
                            a
                        } else {
                            b
                        }
                    }
                    Arith::Min => {
                        if a < b || a.is_nan() {
                            a
                        } else {
                            b
                        }
                    }
                }
            }
            fn abs(self) -> $t {
                <$t>::abs(self)
            }
            fn neg(self) -> $t {
                -self
            }
            fn sign(self) -> $t {
                if self > 0.0 {
                    1.0
                } else if self < 0.0 {
                    -1.0
                } else {
                    self
                }
            }

            unsafe fn arith_run(
                op: Arith,
                a: Operand<$t>,
                b: Operand<$t>,
                out: *mut $t,
                n: usize,
                store: Store,
            ) {
                // SAFETY: forwarded contract; `simd::isa()` only returns tiers this CPU has.
                unsafe { <$t as IsaRuns>::arith_on(crate::simd::isa(), op, a, b, out, n, store) }
            }
        }

        impl FloatElement for $t {
            unsafe fn unary_run(op: UnaryFloat, x: *const $t, out: *mut $t, n: usize, store: Store) {
                // SAFETY: forwarded contract; `simd::isa()` only returns tiers this CPU has.
                unsafe { <$t as IsaRuns>::unary_on(crate::simd::isa(), op, x, out, n, store) }
            }
        }
    };
}

float_element!(f32);
float_element!(f64);

/// The scalar definition every SIMD path of a float unary op is tested against.
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
