//! The transcendental functions the element-wise kernels need, per element type ([`SimdExp`]):
//! f32 has SIMD `exp` (`simd_exp.rs`) and `tanh` (`simd_tanh.rs`); f64 uses the platform's.

use wide::{f32x8, f64x4};

/// Exponential on one element and on one SIMD vector.
pub trait SimdExp: Sized {
    /// The `wide` vector type.
    type V;
    /// True when an AVX-512 run kernel exists for this type (f32).
    const HAS_AVX512_RUN: bool = false;
    /// Lane-wise `e^x`.
    fn exp_v(v: Self::V) -> Self::V;
    /// Scalar `e^x`, bit-identical to one lane of [`SimdExp::exp_v`].
    fn exp_s(x: Self) -> Self;
    /// Lane-wise `tanh` (f32: `simd_tanh.rs`).
    fn tanh_v(v: Self::V) -> Self::V;
    /// Scalar `tanh`, bit-identical to one lane of [`SimdExp::tanh_v`].
    fn tanh_s(x: Self) -> Self;
}

impl SimdExp for f32 {
    type V = f32x8;
    const HAS_AVX512_RUN: bool = true;

    #[inline(always)]
    fn exp_v(x: f32x8) -> f32x8 {
        super::simd_exp::exp_f32x8(x)
    }

    #[inline(always)]
    fn exp_s(x: f32) -> f32 {
        super::simd_exp::exp_f32(x)
    }

    #[inline(always)]
    fn tanh_v(v: f32x8) -> f32x8 {
        super::simd_tanh::tanh_f32x8(v)
    }

    #[inline(always)]
    fn tanh_s(x: f32) -> f32 {
        super::simd_tanh::tanh_f32(x)
    }
}

impl SimdExp for f64 {
    type V = f64x4;

    fn exp_v(v: f64x4) -> f64x4 {
        f64x4::from(v.to_array().map(f64::exp))
    }

    fn exp_s(x: f64) -> f64 {
        x.exp()
    }

    fn tanh_v(v: f64x4) -> f64x4 {
        f64x4::from(v.to_array().map(f64::tanh))
    }

    fn tanh_s(x: f64) -> f64 {
        x.tanh()
    }
}
