//! [`NumElement`] and [`FloatElement`] for each type: a plain loop for the integers (which LLVM
//! auto-vectorises), `wide` SIMD vectors plus a scalar tail for f32 and f64, and the AVX-512
//! `exp`/`sigmoid`/`tanh` run when the CPU has it.

use super::arith::{Arith, Operand, Store};
use super::lanes::{Lanes, map_lanes, zip_lanes};
use super::simd_math::SimdExp;
use super::unary_float::UnaryFloat;
use crate::dtype::{FloatElement, NumElement};
use wide::{f32x8, f64x4};

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
    ($t:ty, $v:ty, $n:expr) => {
        impl Lanes<$t> for $v {
            const N: usize = $n;
            #[inline(always)]
            fn splat(x: $t) -> Self {
                <$v>::splat(x)
            }
            #[inline(always)]
            unsafe fn load(p: *const $t) -> Self {
                // SAFETY: p is valid for N reads (caller's contract); unaligned read.
                <$v>::from(unsafe { (p as *const [$t; $n]).read_unaligned() })
            }
            #[inline(always)]
            unsafe fn store(self, p: *mut $t) {
                // SAFETY: p is valid for N writes (caller's contract); unaligned write.
                unsafe { (p as *mut [$t; $n]).write_unaligned(self.to_array()) }
            }
            #[inline(always)]
            unsafe fn store_stream(self, p: *mut $t) {
                // SAFETY: p is valid for N writes and aligned (caller's contract).
                unsafe { super::stream::store_stream::<$t, $n>(self.to_array(), p) }
            }
            #[inline(always)]
            fn arith(op: Arith, a: Self, b: Self) -> Self {
                match op {
                    Arith::Add => a + b,
                    Arith::Sub => a - b,
                    Arith::Mul => a * b,
                    Arith::Div => a / b,
                    // Pick a where a > b or a is NaN; else b (which is NaN if b is).
                    Arith::Max => (a.simd_gt(b) | a.is_nan()).select(a, b),
                    Arith::Min => (a.simd_lt(b) | a.is_nan()).select(a, b),
                }
            }
        }

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
                // Monomorphise the loop per (op, operand kinds) so each inner loop is branch-free.
                macro_rules! go {
                    ($f:expr) => {{
                        // SAFETY: forwarded contract of arith_run.
                        unsafe {
                            zip_lanes::<$t, $v>(a, b, out, n, store, $f, |x, y| {
                                <$t as NumElement>::arith(op, x, y)
                            })
                        }
                    }};
                }
                match op {
                    Arith::Add => go!(|x: $v, y: $v| x + y),
                    Arith::Sub => go!(|x: $v, y: $v| x - y),
                    Arith::Mul => go!(|x: $v, y: $v| x * y),
                    Arith::Div => go!(|x: $v, y: $v| x / y),
                    Arith::Max => go!(|x: $v, y: $v| <$v as Lanes<$t>>::arith(Arith::Max, x, y)),
                    Arith::Min => go!(|x: $v, y: $v| <$v as Lanes<$t>>::arith(Arith::Min, x, y)),
                }
            }
        }

        impl FloatElement for $t {
            unsafe fn unary_run(op: UnaryFloat, x: *const $t, out: *mut $t, n: usize, store: Store) {
                // exp, sigmoid and tanh are compute-bound: take the AVX-512 kernel when the CPU has it.
                #[cfg(target_arch = "x86_64")]
                if <$t as SimdExp>::HAS_AVX512_RUN
                    && matches!(op, UnaryFloat::Exp | UnaryFloat::Sigmoid | UnaryFloat::Tanh)
                    && std::is_x86_feature_detected!("avx512f")
                {
                    // SAFETY: the feature was just detected; the pointers satisfy unary_run's
                    // contract, which is exp_run's; the cast is the identity (HAS_AVX512_RUN is
                    // only true for f32).
                    unsafe { super::simd_avx512::exp_run(x as *const f32, out as *mut f32, n, op, store) };
                    return;
                }
                macro_rules! go {
                    ($fv:expr, $fs:expr) => {{
                        // SAFETY: forwarded contract of unary_run.
                        unsafe { map_lanes::<$t, $v>(x, out, n, store, $fv, $fs) }
                    }};
                }
                match op {
                    UnaryFloat::Relu => {
                        go!(|v: $v| (v.simd_gt(<$v>::ZERO) | v.is_nan()).select(v, <$v>::ZERO), |s: $t| if s
                            > 0.0
                            || s.is_nan()
                        {
                            s
                        } else {
                            0.0
                        })
                    }
                    UnaryFloat::Neg => go!(|v: $v| -v, |s: $t| -s),
                    UnaryFloat::Abs => go!(|v: $v| v.abs(), |s: $t| s.abs()),
                    UnaryFloat::Square => go!(|v: $v| v * v, |s: $t| s * s),
                    UnaryFloat::Sqrt => go!(|v: $v| v.sqrt(), |s: $t| s.sqrt()),
                    UnaryFloat::Recip => go!(|v: $v| <$v>::ONE / v, |s: $t| 1.0 / s),
                    UnaryFloat::Exp => {
                        go!(|v: $v| <$t as SimdExp>::exp_v(v), |s: $t| <$t as SimdExp>::exp_s(s))
                    }
                    UnaryFloat::Tanh => {
                        go!(|v: $v| <$t as SimdExp>::tanh_v(v), |s: $t| <$t as SimdExp>::tanh_s(s))
                    }
                    UnaryFloat::Sigmoid => {
                        go!(|v: $v| <$v>::ONE / (<$v>::ONE + <$t as SimdExp>::exp_v(-v)), |s: $t| 1.0
                            / (1.0 + <$t as SimdExp>::exp_s(-s)))
                    }
                    _ => {
                        for i in 0..n {
                            // SAFETY: i < n; element i is read before it is written.
                            unsafe { *out.add(i) = op.scalar(*x.add(i)) };
                        }
                    }
                }
            }
        }
    };
}

float_element!(f32, f32x8, 8);
float_element!(f64, f64x4, 4);

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
