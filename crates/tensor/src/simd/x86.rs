//! The x86-64 vectors: AVX-512F (`__m512`, `__m512d`, also masked), AVX2+FMA (`__m256`,
//! `__m256d`) and SSE2 (`__m128`, `__m128d`). Each method is one intrinsic, except SSE2's fused
//! multiply-add, which SSE2 lacks: it runs per lane in software, so that it rounds once as on the
//! other tiers. The `#[target_feature]` entry functions (`gemm/kernel_x86.rs`,
//! `ops/run_isa.rs`) are where the CPU features are known to be present.

use super::vector::{MaskedVector, Vector};
use std::arch::x86_64::*;
use std::array::from_fn;

/// One x86 vector type: its element, lanes, and the intrinsic for each operation.
macro_rules! x86_vector {
    (vector: $v:ty, element: $t:ty, lanes: $lanes:literal, zero: $zero:ident, splat: $splat:ident,
     load: $load:ident, store: $store:ident, mul: $mul:ident, mul_add: $fma:ident) => {
        // SAFETY: the vector holds `lanes` values of the element in lane order; load and store
        // move exactly that many; the fused multiply-add rounds once.
        unsafe impl Vector<$t> for $v {
            const LANES: usize = $lanes;
            #[inline(always)]
            unsafe fn zero() -> Self {
                // SAFETY: the caller runs on a CPU with this ISA.
                unsafe { $zero() }
            }
            #[inline(always)]
            unsafe fn splat(x: $t) -> Self {
                // SAFETY: as above.
                unsafe { $splat(x) }
            }
            #[inline(always)]
            unsafe fn load(p: *const $t) -> Self {
                // SAFETY: as above, and p is readable for LANES values (caller).
                unsafe { $load(p) }
            }
            #[inline(always)]
            unsafe fn store(self, p: *mut $t) {
                // SAFETY: as above, and p is writable for LANES values (caller).
                unsafe { $store(p, self) }
            }
            #[inline(always)]
            unsafe fn mul(self, b: Self) -> Self {
                // SAFETY: the caller runs on a CPU with this ISA.
                unsafe { $mul(self, b) }
            }
            #[inline(always)]
            unsafe fn mul_add(self, b: Self, c: Self) -> Self {
                // SAFETY: as above.
                unsafe { $fma(self, b, c) }
            }
            #[inline(always)]
            fn prefetch_l1(p: *const $t) {
                // SAFETY: SSE is part of x86-64; a hint, never dereferenced, never faults.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(p as *const i8) }
            }
            #[inline(always)]
            fn prefetch_l2(p: *const $t) {
                // SAFETY: as above.
                unsafe { _mm_prefetch::<_MM_HINT_T1>(p as *const i8) }
            }
        }
    };
}

x86_vector!(vector: __m512, element: f32, lanes: 16, zero: _mm512_setzero_ps, splat: _mm512_set1_ps,
    load: _mm512_loadu_ps, store: _mm512_storeu_ps, mul: _mm512_mul_ps, mul_add: _mm512_fmadd_ps);
x86_vector!(vector: __m512d, element: f64, lanes: 8, zero: _mm512_setzero_pd, splat: _mm512_set1_pd,
    load: _mm512_loadu_pd, store: _mm512_storeu_pd, mul: _mm512_mul_pd, mul_add: _mm512_fmadd_pd);
x86_vector!(vector: __m256, element: f32, lanes: 8, zero: _mm256_setzero_ps, splat: _mm256_set1_ps,
    load: _mm256_loadu_ps, store: _mm256_storeu_ps, mul: _mm256_mul_ps, mul_add: _mm256_fmadd_ps);
x86_vector!(vector: __m256d, element: f64, lanes: 4, zero: _mm256_setzero_pd, splat: _mm256_set1_pd,
    load: _mm256_loadu_pd, store: _mm256_storeu_pd, mul: _mm256_mul_pd, mul_add: _mm256_fmadd_pd);

x86_vector!(vector: __m128, element: f32, lanes: 4, zero: _mm_setzero_ps, splat: _mm_set1_ps,
    load: _mm_loadu_ps, store: _mm_storeu_ps, mul: _mm_mul_ps, mul_add: fma_ps_sse2);
x86_vector!(vector: __m128d, element: f64, lanes: 2, zero: _mm_setzero_pd, splat: _mm_set1_pd,
    load: _mm_loadu_pd, store: _mm_storeu_pd, mul: _mm_mul_pd, mul_add: fma_pd_sse2);

/// `a·b + c` per lane with one rounding (`f32::mul_add`: libm's exact `fmaf` without FMA).
///
/// # Safety
/// None beyond SSE2, which every x86-64 CPU has; `unsafe` to match the intrinsics.
#[inline(always)]
unsafe fn fma_ps_sse2(a: __m128, b: __m128, c: __m128) -> __m128 {
    let [a, b, c]: [[f32; 4]; 3] = [a, b, c].map(bytemuck::cast);
    bytemuck::cast::<[f32; 4], __m128>(from_fn(|i| a[i].mul_add(b[i], c[i])))
}

/// As [`fma_ps_sse2`], for two f64.
///
/// # Safety
/// As [`fma_ps_sse2`].
#[inline(always)]
unsafe fn fma_pd_sse2(a: __m128d, b: __m128d, c: __m128d) -> __m128d {
    let [a, b, c]: [[f64; 2]; 3] = [a, b, c].map(bytemuck::cast);
    bytemuck::cast::<[f64; 2], __m128d>(from_fn(|i| a[i].mul_add(b[i], c[i])))
}

// SAFETY: the masked forms touch only the lanes whose mask bit is set: the first n.
unsafe impl MaskedVector<f32> for __m512 {
    #[inline(always)]
    unsafe fn load_first(p: *const f32, n: usize) -> Self {
        // SAFETY: AVX-512F (caller); lanes past n are neither read nor faulted on.
        unsafe { _mm512_maskz_loadu_ps(((1u32 << n) - 1) as u16, p) }
    }
    #[inline(always)]
    unsafe fn store_first(self, p: *mut f32, n: usize) {
        // SAFETY: as above, for the writes.
        unsafe { _mm512_mask_storeu_ps(p, ((1u32 << n) - 1) as u16, self) }
    }
}

// SAFETY: as for __m512.
unsafe impl MaskedVector<f64> for __m512d {
    #[inline(always)]
    unsafe fn load_first(p: *const f64, n: usize) -> Self {
        // SAFETY: AVX-512F (caller); lanes past n are neither read nor faulted on.
        unsafe { _mm512_maskz_loadu_pd(((1u32 << n) - 1) as u8, p) }
    }
    #[inline(always)]
    unsafe fn store_first(self, p: *mut f64, n: usize) {
        // SAFETY: as above, for the writes.
        unsafe { _mm512_mask_storeu_pd(p, ((1u32 << n) - 1) as u8, self) }
    }
}
