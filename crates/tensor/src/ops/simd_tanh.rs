//! A SIMD `tanh` for f32, built on the SIMD `exp` (`simd_exp.rs`).
//!
//! Method (as Cephes `tanhf`), on a = |x| with x's sign bit put back at the end: for a >= 0.625,
//! `tanh a = 1 - 2 / (e^{2a} + 1)`; below, where that difference would cancel, an odd polynomial
//! `a + a·z·P(z)`, `z = a²`, of degree 4 in z, evaluated with fused multiply-adds. Both branches
//! are computed for a whole vector and one is selected per lane; the scalar function runs the same
//! operations in the same order, so every path gives the same bits (tested). Edges: `tanh(±inf) =
//! ±1`, large |x| saturates to ±1, NaN stays NaN, `tanh(-0) = -0`. Error against the correctly
//! rounded value: 1 ulp at most over 2 million points in [-12, 12] (`tanh_f32_error_bound` prints it
//! and asserts ≤ 2).

use super::simd_exp::{exp_f32, exp_v};
use crate::simd::lanes::ExpLanes;

/// Below this |x| the polynomial, above it the exponential form.
pub(crate) const SMALL: f32 = 0.625;
/// Cephes `tanhf`'s minimax coefficients of P(z), highest degree first.
pub(crate) const P: [f32; 5] =
    [-5.704_988_7e-3, 2.063_909e-2, -5.373_971_6e-2, 1.333_144_2e-1, -3.333_328e-1];

/// Lane-wise `tanh`: the magnitude from |x|, then x's sign bit (so `tanh(-0) = -0`).
///
/// # Safety
/// The CPU has `V`'s ISA.
#[inline(always)]
pub(crate) unsafe fn tanh_v<V: ExpLanes>(x: V) -> V {
    // SAFETY: the CPU has V's ISA (caller).
    unsafe {
        let one = V::splat(1.0);
        let a = x.abs();
        let big = one.sub(V::splat(2.0).div(exp_v(a.add(a)).add(one)));
        let z = a.mul(a);
        let mut p = V::splat(P[0]);
        for &c in &P[1..] {
            p = p.mul_add(z, V::splat(c));
        }
        let small = p.mul(z).mul_add(a, a);
        a.select_lt(V::splat(SMALL), small, big).or_sign_of(x)
    }
}

/// Scalar `tanh`, bit-identical to one lane of [`tanh_v`].
#[inline(always)]
pub(crate) fn tanh_f32(x: f32) -> f32 {
    let a = x.abs();
    let magnitude = if a < SMALL {
        let z = a * a;
        let mut p = P[0];
        for &c in &P[1..] {
            p = p.mul_add(z, c);
        }
        (p * z).mul_add(a, a)
    } else {
        1.0 - 2.0 / (exp_f32(a + a) + 1.0)
    };
    f32::from_bits(magnitude.to_bits() | (x.to_bits() & 0x8000_0000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::run_isa::tests::on_every_isa;
    use crate::ops::simd_exp::tests::ulps;
    use crate::ops::unary_float::UnaryFloat;

    #[test]
    fn tanh_f32_error_bound() {
        let mut worst = (0u32, 0.0f32);
        // Dense around 0 (where the branches meet and the polynomial works) and out to saturation.
        let xs: Vec<f32> = (0..2_000_000)
            .map(|i| {
                let t = i as f32 / 2_000_000.0 * 2.0 - 1.0;
                t * t * t * 12.0
            })
            .collect();
        for &x in &xs {
            let e = ulps(tanh_f32(x), (x as f64).tanh() as f32);
            if e > worst.0 {
                worst = (e, x);
            }
        }
        println!("tanh f32 max error {} ulp at x = {}", worst.0, worst.1);
        assert!(worst.0 <= 2, "tanh f32 error {} ulp at {}", worst.0, worst.1);
        on_every_isa(UnaryFloat::Tanh, &xs[..100_000], tanh_f32);
    }

    #[test]
    fn tanh_f32_edges() {
        let x = [
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            20.0,
            -20.0,
            0.0,
            -0.0,
            1e-30,
            0.625,
            -0.625,
            0.6249,
        ];
        let y = x.map(tanh_f32);
        assert_eq!(y[0], 1.0);
        assert_eq!(y[1], -1.0);
        assert!(y[2].is_nan());
        assert_eq!(y[3], 1.0);
        assert_eq!(y[4], -1.0);
        assert_eq!(y[5].to_bits(), 0.0f32.to_bits());
        assert_eq!(y[6].to_bits(), (-0.0f32).to_bits());
        assert_eq!(y[7], 1e-30);
        // Each tier's vectors give the scalar bits, edges included, in every lane position.
        let xs: Vec<f32> =
            (0..1000).map(|i| if i % 3 == 0 { x[i % x.len()] } else { i as f32 * 0.013 - 6.5 }).collect();
        on_every_isa(UnaryFloat::Tanh, &xs, tanh_f32);
    }

    /// Through the public API (whichever tier this process chose), the scalar function's bits.
    #[test]
    fn tensor_tanh_has_the_scalar_bits() {
        let xs: Vec<f32> = (0..1000).map(|i| i as f32 * 0.013 - 6.5).collect();
        let t = crate::tensor::Tensor::from_vec(xs.clone(), &[1000]).unwrap().tanh();
        for (y, &x) in t.iter().zip(&xs) {
            assert_eq!(y.to_bits(), tanh_f32(x).to_bits(), "tanh({x})");
        }
    }
}
