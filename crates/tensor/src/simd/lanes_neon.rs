//! [`Lanes`] and [`ExpLanes`] for NEON's `float32x4_t` and `float64x2_t`, as tables for
//! `lanes_table!` (`lanes.rs`). NEON compares into all-ones lanes (NaN: the lanes not equal to
//! themselves) and selects bitwise (`vbsl`); it has no non-temporal store, so `store_stream` is
//! an ordinary store.

use super::lanes::{ExpLanes, Lanes, lanes_table};
use std::arch::aarch64::*;

lanes_table!(vector: float32x4_t, element: f32, add: vaddq_f32, sub: vsubq_f32, div: vdivq_f32, sqrt: vsqrtq_f32,
    gt: vcgtq_f32, lt: vcltq_f32, unord: |a, b| vmvnq_u32(vceqq_f32(a, b)), either: vorrq_u32,
    blend: |m, then, otherwise| vbslq_f32(m, then, otherwise), abs: vabsq_f32, neg: vnegq_f32,
    or_sign: |a, s| vbslq_f32(vdupq_n_u32(0x8000_0000), s, a), stream: vst1q_f32);
lanes_table!(vector: float64x2_t, element: f64, add: vaddq_f64, sub: vsubq_f64, div: vdivq_f64, sqrt: vsqrtq_f64,
    gt: vcgtq_f64, lt: vcltq_f64,
    unord: |a, b| vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(vceqq_f64(a, b)))), either: vorrq_u64,
    blend: |m, then, otherwise| vbslq_f64(m, then, otherwise), abs: vabsq_f64, neg: vnegq_f64,
    or_sign: |a, s| vbslq_f64(vdupq_n_u64(0x8000_0000_0000_0000), s, a), stream: vst1q_f64);

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
