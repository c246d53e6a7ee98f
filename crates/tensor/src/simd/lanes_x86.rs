//! [`Lanes`] and [`ExpLanes`] for the x86-64 vectors: AVX-512F, AVX2+FMA and SSE2, f32 and f64.
//! One table per vector type, written as intrinsics (or a short composite where the ISA has no
//! single instruction); `lanes_table!` (`lanes.rs`) turns a table into the trait impl.

use super::lanes::{ExpLanes, Lanes, lanes_table};
use std::arch::x86_64::*;

lanes_table!(vector: __m512, element: f32, add: _mm512_add_ps, sub: _mm512_sub_ps, div: _mm512_div_ps,
    sqrt: _mm512_sqrt_ps,
    gt: |a, b| _mm512_cmp_ps_mask::<_CMP_GT_OQ>(a, b), lt: |a, b| _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a, b),
    unord: |a, b| _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(a, b), either: |m: u16, k: u16| m | k,
    blend: |m, then, otherwise| _mm512_mask_blend_ps(m, otherwise, then),
    abs: |a| _mm512_castsi512_ps(_mm512_andnot_si512(_mm512_set1_epi32(i32::MIN), _mm512_castps_si512(a))),
    neg: |a| _mm512_castsi512_ps(_mm512_xor_si512(_mm512_set1_epi32(i32::MIN), _mm512_castps_si512(a))),
    or_sign: |a, s| _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(a),
        _mm512_and_si512(_mm512_castps_si512(s), _mm512_set1_epi32(i32::MIN)))),
    stream: _mm512_stream_ps);
lanes_table!(vector: __m512d, element: f64, add: _mm512_add_pd, sub: _mm512_sub_pd, div: _mm512_div_pd,
    sqrt: _mm512_sqrt_pd,
    gt: |a, b| _mm512_cmp_pd_mask::<_CMP_GT_OQ>(a, b), lt: |a, b| _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, b),
    unord: |a, b| _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(a, b), either: |m: u8, k: u8| m | k,
    blend: |m, then, otherwise| _mm512_mask_blend_pd(m, otherwise, then),
    abs: |a| _mm512_castsi512_pd(_mm512_andnot_si512(_mm512_set1_epi64(i64::MIN), _mm512_castpd_si512(a))),
    neg: |a| _mm512_castsi512_pd(_mm512_xor_si512(_mm512_set1_epi64(i64::MIN), _mm512_castpd_si512(a))),
    or_sign: |a, s| _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(a),
        _mm512_and_si512(_mm512_castpd_si512(s), _mm512_set1_epi64(i64::MIN)))),
    stream: _mm512_stream_pd);
lanes_table!(vector: __m256, element: f32, add: _mm256_add_ps, sub: _mm256_sub_ps, div: _mm256_div_ps,
    sqrt: _mm256_sqrt_ps,
    gt: |a, b| _mm256_cmp_ps::<_CMP_GT_OQ>(a, b), lt: |a, b| _mm256_cmp_ps::<_CMP_LT_OQ>(a, b),
    unord: |a, b| _mm256_cmp_ps::<_CMP_UNORD_Q>(a, b), either: |m, k| _mm256_or_ps(m, k),
    blend: |m, then, otherwise| _mm256_blendv_ps(otherwise, then, m),
    abs: |a| _mm256_andnot_ps(_mm256_set1_ps(-0.0), a), neg: |a| _mm256_xor_ps(_mm256_set1_ps(-0.0), a),
    or_sign: |a, s| _mm256_or_ps(a, _mm256_and_ps(s, _mm256_set1_ps(-0.0))),
    stream: _mm256_stream_ps);
lanes_table!(vector: __m256d, element: f64, add: _mm256_add_pd, sub: _mm256_sub_pd, div: _mm256_div_pd,
    sqrt: _mm256_sqrt_pd,
    gt: |a, b| _mm256_cmp_pd::<_CMP_GT_OQ>(a, b), lt: |a, b| _mm256_cmp_pd::<_CMP_LT_OQ>(a, b),
    unord: |a, b| _mm256_cmp_pd::<_CMP_UNORD_Q>(a, b), either: |m, k| _mm256_or_pd(m, k),
    blend: |m, then, otherwise| _mm256_blendv_pd(otherwise, then, m),
    abs: |a| _mm256_andnot_pd(_mm256_set1_pd(-0.0), a), neg: |a| _mm256_xor_pd(_mm256_set1_pd(-0.0), a),
    or_sign: |a, s| _mm256_or_pd(a, _mm256_and_pd(s, _mm256_set1_pd(-0.0))),
    stream: _mm256_stream_pd);
lanes_table!(vector: __m128, element: f32, add: _mm_add_ps, sub: _mm_sub_ps, div: _mm_div_ps, sqrt: _mm_sqrt_ps,
    gt: |a, b| _mm_cmpgt_ps(a, b), lt: |a, b| _mm_cmplt_ps(a, b), unord: |a, b| _mm_cmpunord_ps(a, b),
    either: |m, k| _mm_or_ps(m, k),
    blend: |m, then, otherwise| _mm_or_ps(_mm_and_ps(m, then), _mm_andnot_ps(m, otherwise)),
    abs: |a| _mm_andnot_ps(_mm_set1_ps(-0.0), a), neg: |a| _mm_xor_ps(_mm_set1_ps(-0.0), a),
    or_sign: |a, s| _mm_or_ps(a, _mm_and_ps(s, _mm_set1_ps(-0.0))),
    stream: _mm_stream_ps);
lanes_table!(vector: __m128d, element: f64, add: _mm_add_pd, sub: _mm_sub_pd, div: _mm_div_pd, sqrt: _mm_sqrt_pd,
    gt: |a, b| _mm_cmpgt_pd(a, b), lt: |a, b| _mm_cmplt_pd(a, b), unord: |a, b| _mm_cmpunord_pd(a, b),
    either: |m, k| _mm_or_pd(m, k),
    blend: |m, then, otherwise| _mm_or_pd(_mm_and_pd(m, then), _mm_andnot_pd(m, otherwise)),
    abs: |a| _mm_andnot_pd(_mm_set1_pd(-0.0), a), neg: |a| _mm_xor_pd(_mm_set1_pd(-0.0), a),
    or_sign: |a, s| _mm_or_pd(a, _mm_and_pd(s, _mm_set1_pd(-0.0))),
    stream: _mm_stream_pd);

/// [`ExpLanes`] from a round-to-nearest and the 32-bit integer conversion, shifts and adds.
macro_rules! exp_lanes_x86 {
    (vector: $v:ty, round: $round:expr, to_int: $to_int:path, srai1: $srai1:expr, sub_int: $sub:path,
     pow2: $pow2:expr, mul: $mul:path) => {
        // SAFETY: lane-wise on this vector type.
        unsafe impl ExpLanes for $v {
            #[inline(always)]
            unsafe fn round(self) -> Self {
                // SAFETY: the caller runs on a CPU with this ISA.
                unsafe { ($round)(self) }
            }
            #[inline(always)]
            unsafe fn scale_pow2(self, n: Self) -> Self {
                // SAFETY: as above; n is integer-valued, so the conversion is exact.
                unsafe {
                    let n = $to_int(n);
                    let h = ($srai1)(n);
                    $mul($mul(self, ($pow2)(h)), ($pow2)($sub(n, h)))
                }
            }
        }
    };
}

exp_lanes_x86!(vector: __m512,
    round: |x| _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(x),
    to_int: _mm512_cvtps_epi32, srai1: |n| _mm512_srai_epi32::<1>(n), sub_int: _mm512_sub_epi32,
    pow2: |k| _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_add_epi32(k, _mm512_set1_epi32(127)))),
    mul: _mm512_mul_ps);
exp_lanes_x86!(vector: __m256,
    round: |x| _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(x),
    to_int: _mm256_cvtps_epi32, srai1: |n| _mm256_srai_epi32::<1>(n), sub_int: _mm256_sub_epi32,
    pow2: |k| _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_add_epi32(k, _mm256_set1_epi32(127)))),
    mul: _mm256_mul_ps);
// SSE2 has no rounding instruction: converting to int32 rounds to nearest-even (the default
// MXCSR mode) and is exact for |x| < 2^22, as in `exp`.
exp_lanes_x86!(vector: __m128, round: |x| _mm_cvtepi32_ps(_mm_cvtps_epi32(x)),
    to_int: _mm_cvtps_epi32, srai1: |n| _mm_srai_epi32::<1>(n), sub_int: _mm_sub_epi32,
    pow2: |k| _mm_castsi128_ps(_mm_slli_epi32::<23>(_mm_add_epi32(k, _mm_set1_epi32(127)))),
    mul: _mm_mul_ps);
