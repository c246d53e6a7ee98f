//! A SIMD `exp` for f32 (`wide::f32x8`), NumPy-compatible at the edges.
//!
//! Method (Cody-Waite range reduction + a minimax polynomial, as in Cephes `expf`, evaluated with
//! fused multiply-adds, which round once and so give the same bits in every path):
//! `x = n·ln2 + r` with `n = round(x·log2 e)` and `|r| <= ln2/2` (ln2 split in a high part exact in
//! f32 and a low correction); `e^r ≈ 1 + r + r²·P(r)` with a degree-5 polynomial; then
//! `e^x = e^r · 2^n1 · 2^n2` with `n1 = n >> 1`, `n2 = n - n1`, so that the scale factors stay
//! normal floats all the way into the subnormal results (x down to -103.97).
//!
//! Edge behaviour (tested): `exp(+inf) = inf`, overflow (x > 88.7228) gives `inf`, `exp(-inf) = 0`,
//! underflow gives 0 or a subnormal, NaN stays NaN. Measured max error over 4 million points
//! evenly spread over [-103.9, 88.72]: 1 ulp against the correctly rounded value (test
//! `exp_f32_error_bound` prints it and asserts ≤ 2).
//!
//! f64 uses the platform's `exp` (and `tanh`) per lane: correctly rounded in practice, not
//! vectorised.

use wide::{f32x8, f64x4, i32x8};

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

const LOG2E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_359_4; // ln 2 rounded so n·LN2_HI is exact for |n| < 2^9
const LN2_LO: f32 = -2.121_944_4e-4; // ln 2 - LN2_HI
const MAX_X: f32 = 89.0; // e^89 > f32::MAX: saturates to inf
const MIN_X: f32 = -104.0; // e^-104 < smallest subnormal / 2: rounds to 0
const P: [f32; 6] = [1.987_569_1e-4, 1.398_199_9e-3, 8.333_452e-3, 4.166_579_6e-2, 1.666_666_5e-1, 0.5];

impl SimdExp for f32 {
    type V = f32x8;
    const HAS_AVX512_RUN: bool = true;

    #[inline(always)]
    fn exp_v(x: f32x8) -> f32x8 {
        let xc = x.max(f32x8::splat(MIN_X)).min(f32x8::splat(MAX_X));
        let n = (xc * f32x8::splat(LOG2E)).round_int();
        let nf = f32x8::from_i32x8(n);
        let r = (-nf).mul_add(f32x8::splat(LN2_LO), (-nf).mul_add(f32x8::splat(LN2_HI), xc));
        let mut p = f32x8::splat(P[0]);
        for &c in &P[1..] {
            p = p.mul_add(r, f32x8::splat(c));
        }
        let er = p.mul_add(r * r, r) + f32x8::ONE;
        let n1 = n >> 1;
        let n2 = n - n1;
        let pow2 = |k: i32x8| f32x8::from_bits(bytemuck::cast((k + i32x8::splat(127)) << 23));
        let y = er * pow2(n1) * pow2(n2);
        x.is_nan().select(x, y)
    }

    #[inline(always)]
    fn exp_s(x: f32) -> f32 {
        if x.is_nan() {
            return x;
        }
        let xc = x.clamp(MIN_X, MAX_X);
        let n = (xc * LOG2E).round_ties_even() as i32;
        let nf = n as f32;
        let r = (-nf).mul_add(LN2_LO, (-nf).mul_add(LN2_HI, xc));
        let mut p = P[0];
        for &c in &P[1..] {
            p = p.mul_add(r, c);
        }
        let er = p.mul_add(r * r, r) + 1.0;
        let n1 = n >> 1;
        let pow2 = |k: i32| f32::from_bits(((k + 127) << 23) as u32);
        er * pow2(n1) * pow2(n - n1)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Distance in units in the last place between two finite f32 (or equal infinities).
    pub(crate) fn ulps(a: f32, b: f32) -> u32 {
        if a == b {
            return 0;
        }
        let key = |x: f32| {
            let i = x.to_bits() as i32;
            if i < 0 { i32::MIN - i } else { i }
        };
        key(a).abs_diff(key(b))
    }

    #[test]
    fn exp_f32_error_bound() {
        let mut worst = (0u32, 0.0f32);
        let (lo, hi) = (-103.9f32, 88.72f32);
        let steps = 4_000_000;
        let mut xs = Vec::with_capacity(8);
        for i in 0..steps {
            let x = lo + (hi - lo) * (i as f32 / steps as f32);
            xs.push(x);
            if xs.len() == 8 {
                let v = f32::exp_v(f32x8::from([xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]]))
                    .to_array();
                for (k, &x) in xs.iter().enumerate() {
                    let want = (x as f64).exp() as f32;
                    assert_eq!(v[k].to_bits(), f32::exp_s(x).to_bits(), "lane and scalar differ at {x}");
                    let e = ulps(v[k], want);
                    if e > worst.0 {
                        worst = (e, x);
                    }
                }
                xs.clear();
            }
        }
        println!("exp f32 max error {} ulp at x = {}", worst.0, worst.1);
        assert!(worst.0 <= 2, "exp f32 error {} ulp at {}", worst.0, worst.1);
    }

    #[test]
    fn exp_f32_edges_match_numpy() {
        let x = f32x8::from([f32::INFINITY, f32::NEG_INFINITY, f32::NAN, 89.0, 88.8, -104.0, -88.0, 0.0]);
        let y = f32::exp_v(x).to_array();
        assert_eq!(y[0], f32::INFINITY);
        assert_eq!(y[1], 0.0);
        assert!(y[2].is_nan());
        assert_eq!(y[3], f32::INFINITY);
        assert_eq!(y[4], f32::INFINITY);
        assert_eq!(y[5], 0.0);
        assert!(y[6] > 0.0 && y[6] < f32::MIN_POSITIVE, "subnormal result");
        assert_eq!(y[7], 1.0);
    }
}

/// The same f32 `exp` (and the sigmoid and tanh built on it) with AVX-512 intrinsics, chosen at run
/// time. Every operation mirrors [`SimdExp::exp_s`] (and `simd_tanh.rs`) in the same order, fused multiply-adds where it
/// has them (an FMA rounds once on every platform), so results are bit-identical to the scalar and
/// `wide` paths (tested).
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512 {
    use super::{LN2_HI, LN2_LO, LOG2E, MAX_X, MIN_X, P};
    use crate::ops::element::Store;
    use crate::ops::simd_tanh;
    use crate::ops::unary_float::UnaryFloat;
    use std::arch::x86_64::*;

    /// `e^x` of 16 lanes.
    #[target_feature(enable = "avx512f,fma")]
    fn exp16(x: __m512) -> __m512 {
        let xc = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(MIN_X)), _mm512_set1_ps(MAX_X));
        let nf = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(_mm512_mul_ps(
            xc,
            _mm512_set1_ps(LOG2E),
        ));
        let r =
            _mm512_fnmadd_ps(nf, _mm512_set1_ps(LN2_LO), _mm512_fnmadd_ps(nf, _mm512_set1_ps(LN2_HI), xc));
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
}
