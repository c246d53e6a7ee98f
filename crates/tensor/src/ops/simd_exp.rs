//! A SIMD `exp` for f32 on any ISA's vectors (`simd::lanes::ExpLanes`), NumPy-compatible at the edges.
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

use crate::simd::lanes::ExpLanes;

pub(crate) const LOG2E: f32 = std::f32::consts::LOG2_E;
pub(crate) const LN2_HI: f32 = 0.693_359_4; // ln 2 rounded so n·LN2_HI is exact for |n| < 2^9
pub(crate) const LN2_LO: f32 = -2.121_944_4e-4; // ln 2 - LN2_HI
pub(crate) const MAX_X: f32 = 89.0; // e^89 > f32::MAX: saturates to inf
pub(crate) const MIN_X: f32 = -104.0; // e^-104 < smallest subnormal / 2: rounds to 0
pub(crate) const P: [f32; 6] =
    [1.987_569_1e-4, 1.398_199_9e-3, 8.333_452e-3, 4.166_579_6e-2, 1.666_666_5e-1, 0.5];

/// Lane-wise `e^x` (module docs), on any ISA's vectors.
///
/// # Safety
/// The CPU has `V`'s ISA.
#[inline(always)]
pub(crate) unsafe fn exp_v<V: ExpLanes>(x: V) -> V {
    // SAFETY: the CPU has V's ISA (caller).
    unsafe {
        let xc = x.max_nan(V::splat(MIN_X)).min_nan(V::splat(MAX_X));
        let nf = xc.mul(V::splat(LOG2E)).round();
        let r = nf.neg().mul_add(V::splat(LN2_LO), nf.neg().mul_add(V::splat(LN2_HI), xc));
        let mut p = V::splat(P[0]);
        for &c in &P[1..] {
            p = p.mul_add(r, V::splat(c));
        }
        let er = p.mul_add(r.mul(r), r).add(V::splat(1.0));
        x.nan_or(er.scale_pow2(nf))
    }
}

/// Scalar `e^x`, bit-identical to one lane of [`exp_v`].
#[inline(always)]
pub(crate) fn exp_f32(x: f32) -> f32 {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ops::run_isa::tests::on_every_isa;
    use crate::ops::unary_float::UnaryFloat;

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
        let xs: Vec<f32> = (0..steps).map(|i| lo + (hi - lo) * (i as f32 / steps as f32)).collect();
        for &x in &xs {
            let e = ulps(exp_f32(x), (x as f64).exp() as f32);
            if e > worst.0 {
                worst = (e, x);
            }
        }
        println!("exp f32 max error {} ulp at x = {}", worst.0, worst.1);
        assert!(worst.0 <= 2, "exp f32 error {} ulp at {}", worst.0, worst.1);
        on_every_isa(UnaryFloat::Exp, &xs[..200_000], exp_f32);
    }

    #[test]
    fn exp_f32_edges_match_numpy() {
        let x = [f32::INFINITY, f32::NEG_INFINITY, f32::NAN, 89.0, 88.8, -104.0, -88.0, 0.0];
        let y = x.map(exp_f32);
        assert_eq!(y[0], f32::INFINITY);
        assert_eq!(y[1], 0.0);
        assert!(y[2].is_nan());
        assert_eq!(y[3], f32::INFINITY);
        assert_eq!(y[4], f32::INFINITY);
        assert_eq!(y[5], 0.0);
        assert!(y[6] > 0.0 && y[6] < f32::MIN_POSITIVE, "subnormal result");
        assert_eq!(y[7], 1.0);
        let xs: Vec<f32> =
            (0..1000).map(|i| if i % 3 == 0 { x[i % x.len()] } else { i as f32 * 0.2 - 100.0 }).collect();
        on_every_isa(UnaryFloat::Exp, &xs, exp_f32);
        on_every_isa(UnaryFloat::Sigmoid, &xs, |x| 1.0 / (1.0 + exp_f32(-x)));
    }
}
