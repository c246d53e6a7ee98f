//! The aarch64 vectors for the micro-kernel: NEON's 128-bit `float32x4_t` and `float64x2_t`.
//! NEON is part of every aarch64 CPU, so these need no run-time detection. Each method is one
//! intrinsic; NEON has no stable prefetch intrinsic, so the hints are the trait's no-ops.

use super::vector::Vector;
use std::arch::aarch64::*;

// SAFETY: float32x4_t holds 4 f32 in lane order; vld1q/vst1q move exactly 4; vfmaq rounds once.
unsafe impl Vector<f32> for float32x4_t {
    const LANES: usize = 4;
    #[inline(always)]
    unsafe fn zero() -> Self {
        // SAFETY: NEON is part of aarch64.
        unsafe { vdupq_n_f32(0.0) }
    }
    #[inline(always)]
    unsafe fn splat(x: f32) -> Self {
        // SAFETY: as above.
        unsafe { vdupq_n_f32(x) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: as above, and p is readable for 4 values (caller).
        unsafe { vld1q_f32(p) }
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: as above, and p is writable for 4 values (caller).
        unsafe { vst1q_f32(p, self) }
    }
    #[inline(always)]
    unsafe fn mul(self, b: Self) -> Self {
        // SAFETY: NEON is part of aarch64.
        unsafe { vmulq_f32(self, b) }
    }
    #[inline(always)]
    unsafe fn mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: as above. vfmaq_f32(c, a, b) = c + a·b, one rounding.
        unsafe { vfmaq_f32(c, self, b) }
    }
}

// SAFETY: as for float32x4_t, with 2 f64.
unsafe impl Vector<f64> for float64x2_t {
    const LANES: usize = 2;
    #[inline(always)]
    unsafe fn zero() -> Self {
        // SAFETY: NEON is part of aarch64.
        unsafe { vdupq_n_f64(0.0) }
    }
    #[inline(always)]
    unsafe fn splat(x: f64) -> Self {
        // SAFETY: as above.
        unsafe { vdupq_n_f64(x) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> Self {
        // SAFETY: as above, and p is readable for 2 values (caller).
        unsafe { vld1q_f64(p) }
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f64) {
        // SAFETY: as above, and p is writable for 2 values (caller).
        unsafe { vst1q_f64(p, self) }
    }
    #[inline(always)]
    unsafe fn mul(self, b: Self) -> Self {
        // SAFETY: NEON is part of aarch64.
        unsafe { vmulq_f64(self, b) }
    }
    #[inline(always)]
    unsafe fn mul_add(self, b: Self, c: Self) -> Self {
        // SAFETY: as above. vfmaq_f64(c, a, b) = c + a·b, one rounding.
        unsafe { vfmaq_f64(c, self, b) }
    }
}
