//! The same f32 `exp` (and the sigmoid and tanh built on it) with AVX-512 intrinsics, chosen at run
//! time. Every operation mirrors [`SimdExp::exp_s`] (and `simd_tanh.rs`) in the same order, fused multiply-adds where it
//! has them (an FMA rounds once on every platform), so results are bit-identical to the scalar and
//! `wide` paths (tested).

use super::arith::Store;
use super::simd_exp::{LN2_HI, LN2_LO, LOG2E, MAX_X, MIN_X, P};
use super::simd_tanh;
use super::unary_float::UnaryFloat;
use std::arch::x86_64::*;

/// `e^x` of 16 lanes.
#[target_feature(enable = "avx512f,fma")]
fn exp16(x: __m512) -> __m512 {
    let xc = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(MIN_X)), _mm512_set1_ps(MAX_X));
    let nf = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm512_mul_ps(
        xc,
        _mm512_set1_ps(LOG2E),
    ));
    let r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(LN2_LO), _mm512_fnmadd_ps(nf, _mm512_set1_ps(LN2_HI), xc));
    let mut p = _mm512_set1_ps(P[0]);
    for &c in &P[1..] {
        p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
    }
    let er = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0));
    let n = _mm512_cvtps_epi32(nf);
    let n1 = _mm512_srai_epi32::<1>(n);
    let n2 = _mm512_sub_epi32(n, n1);
    let pow2 = |k: __m512i| {
        _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_add_epi32(k, _mm512_set1_epi32(127))))
    };
    let y = _mm512_mul_ps(_mm512_mul_ps(er, pow2(n1)), pow2(n2));
    let nan = _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(x, x);
    _mm512_mask_blend_ps(nan, y, x)
}

/// `tanh` of 16 lanes: the magnitude from |x|, then x's sign bit, as `simd_tanh::tanh_f32`.
#[target_feature(enable = "avx512f,fma")]
fn tanh16(x: __m512) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let sign_bit = _mm512_set1_epi32(i32::MIN);
    let xi = _mm512_castps_si512(x);
    let a = _mm512_castsi512_ps(_mm512_andnot_si512(sign_bit, xi));
    let big = _mm512_sub_ps(
        one,
        _mm512_div_ps(_mm512_set1_ps(2.0), _mm512_add_ps(exp16(_mm512_add_ps(a, a)), one)),
    );
    let z = _mm512_mul_ps(a, a);
    let mut p = _mm512_set1_ps(simd_tanh::P[0]);
    for &c in &simd_tanh::P[1..] {
        p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(c));
    }
    let small = _mm512_fmadd_ps(_mm512_mul_ps(p, z), a, a);
    let is_small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, _mm512_set1_ps(simd_tanh::SMALL));
    let magnitude = _mm512_mask_blend_ps(is_small, big, small);
    _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(magnitude), _mm512_and_si512(xi, sign_bit)))
}

/// `out[i] = op(x[i])` for `i < n`, where `op` is `Exp`, `Sigmoid` (`1 / (1 + e^-x)`) or
/// `Tanh`.
///
/// # Safety
/// The CPU has AVX-512F; `x` is valid for `n` reads and `out` for `n` writes (they may be the
/// same pointer); `op` is one of the three.
#[target_feature(enable = "avx512f")]
pub(crate) unsafe fn exp_run(x: *const f32, out: *mut f32, n: usize, op: UnaryFloat, store: Store) {
    debug_assert!(matches!(op, UnaryFloat::Exp | UnaryFloat::Sigmoid | UnaryFloat::Tanh));
    let stream = if store == Store::StreamLong { crate::ops::stream::stream_head(out, n) } else { None };
    let start = stream.unwrap_or(0);
    let body = start + (n - start) / 64 * 64;
    let one = _mm512_set1_ps(1.0);
    let f = |v: __m512| match op {
        UnaryFloat::Sigmoid => {
            _mm512_div_ps(one, _mm512_add_ps(one, exp16(_mm512_sub_ps(_mm512_setzero_ps(), v))))
        }
        UnaryFloat::Tanh => tanh16(v),
        _ => exp16(v),
    };
    let scalar = |j: usize| {
        // SAFETY: j < n.
        unsafe { *out.add(j) = op.scalar(*x.add(j)) };
    };
    (0..start).for_each(scalar);
    let mut i = start;
    // Four independent vectors per iteration: the polynomial is a long dependency chain, and
    // interleaving four of them keeps both FMA ports busy.
    while i < body {
        // SAFETY: i + 64 <= n, inside both runs; all loads happen before the stores. When
        // streaming, out + start is 64-byte aligned and i - start a multiple of 64 elements,
        // so each 16-lane store is 64-byte aligned as `_mm512_stream_ps` needs.
        unsafe {
            let v = [0, 16, 32, 48].map(|o| _mm512_loadu_ps(x.add(i + o)));
            let y = v.map(f);
            for (k, y) in y.into_iter().enumerate() {
                if stream.is_some() {
                    _mm512_stream_ps(out.add(i + 16 * k), y);
                } else {
                    _mm512_storeu_ps(out.add(i + 16 * k), y);
                }
            }
        }
        i += 64;
    }
    if stream.is_some() {
        crate::ops::stream::fence();
    }
    (body..n).for_each(scalar);
}
