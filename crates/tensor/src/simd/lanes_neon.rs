//! [`Lanes`] and [`ExpLanes`] for NEON's `float32x4_t` and `float64x2_t`. NEON compares into
//! all-ones lanes and selects bitwise (`vbsl`); it has no non-temporal store, so
//! `store_stream` is an ordinary store.

use super::lanes::{ExpLanes, Lanes};
use std::arch::aarch64::*;

/// A NEON vector type's [`Lanes`] from a table of its intrinsics (`u` is the unsigned vector of
/// the same lane width, `s` the sign bit in it).
macro_rules! lanes_neon {
    (vector: $v:ty, element: $t:ty, add: $add:path, sub: $sub:path, div: $div:path, sqrt: $sqrt:path,
     gt: $gt:path, lt: $lt:path, eq: $eq:path, or: $or:path, not: $not:expr, bsl: $bsl:path,
     abs: $abs:path, neg: $neg:path, sign_bits: $sign_bits:expr, store: $store:path) => {
        // SAFETY: every method is lane-wise on this vector type; `store_stream` writes exactly
        // its lanes.
        unsafe impl Lanes<$t> for $v {
            #[inline(always)]
            unsafe fn add(self, b: Self) -> Self {
                // SAFETY: NEON is part of aarch64 (so for every method).
                unsafe { $add(self, b) }
            }
            #[inline(always)]
            unsafe fn sub(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { $sub(self, b) }
            }
            #[inline(always)]
            unsafe fn div(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { $div(self, b) }
            }
            #[inline(always)]
            unsafe fn max_nan(self, b: Self) -> Self {
                // SAFETY: as above. NaN is the lane that is not equal to itself.
                unsafe { $bsl($or($gt(self, b), ($not)($eq(self, self))), self, b) }
            }
            #[inline(always)]
            unsafe fn min_nan(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { $bsl($or($lt(self, b), ($not)($eq(self, self))), self, b) }
            }
            #[inline(always)]
            unsafe fn sqrt(self) -> Self {
                // SAFETY: as above.
                unsafe { $sqrt(self) }
            }
            #[inline(always)]
            unsafe fn abs(self) -> Self {
                // SAFETY: as above.
                unsafe { $abs(self) }
            }
            #[inline(always)]
            unsafe fn neg(self) -> Self {
                // SAFETY: as above.
                unsafe { $neg(self) }
            }
            #[inline(always)]
            unsafe fn or_sign_of(self, sign: Self) -> Self {
                // SAFETY: as above. Bits from `sign` where the sign bit is, from `self` elsewhere.
                unsafe { $bsl(($sign_bits)(), sign, self) }
            }
            #[inline(always)]
            unsafe fn select_lt(self, b: Self, then: Self, otherwise: Self) -> Self {
                // SAFETY: as above.
                unsafe { $bsl($lt(self, b), then, otherwise) }
            }
            #[inline(always)]
            unsafe fn nan_or(self, y: Self) -> Self {
                // SAFETY: as above.
                unsafe { $bsl($eq(self, self), y, self) }
            }
            #[inline(always)]
            unsafe fn store_stream(self, p: *mut $t) {
                // SAFETY: as above, and p is writable for the lanes (caller).
                unsafe { $store(p, self) }
            }
        }
    };
}

lanes_neon!(vector: float32x4_t, element: f32, add: vaddq_f32, sub: vsubq_f32, div: vdivq_f32, sqrt: vsqrtq_f32,
    gt: vcgtq_f32, lt: vcltq_f32, eq: vceqq_f32, or: vorrq_u32, not: |m| vmvnq_u32(m), bsl: vbslq_f32,
    abs: vabsq_f32, neg: vnegq_f32, sign_bits: || vdupq_n_u32(0x8000_0000), store: vst1q_f32);
lanes_neon!(vector: float64x2_t, element: f64, add: vaddq_f64, sub: vsubq_f64, div: vdivq_f64, sqrt: vsqrtq_f64,
    gt: vcgtq_f64, lt: vcltq_f64, eq: vceqq_f64, or: vorrq_u64,
    not: |m| vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(m))), bsl: vbslq_f64,
    abs: vabsq_f64, neg: vnegq_f64, sign_bits: || vdupq_n_u64(0x8000_0000_0000_0000), store: vst1q_f64);

// SAFETY: lane-wise on float32x4_t.
unsafe impl ExpLanes for float32x4_t {
    #[inline(always)]
    unsafe fn round(self) -> Self {
        // SAFETY: NEON is part of aarch64; vrndn rounds to nearest, ties to even.
        unsafe { vrndnq_f32(self) }
    }
    #[inline(always)]
    unsafe fn scale_pow2(self, n: Self) -> Self {
        // SAFETY: as above; n is integer-valued, so the conversion is exact.
        unsafe {
            let n = vcvtq_s32_f32(n);
            let h = vshrq_n_s32::<1>(n);
            let pow2 =
                |k: int32x4_t| vreinterpretq_f32_s32(vshlq_n_s32::<23>(vaddq_s32(k, vdupq_n_s32(127))));
            vmulq_f32(vmulq_f32(self, pow2(h)), pow2(vsubq_s32(n, h)))
        }
    }
}
