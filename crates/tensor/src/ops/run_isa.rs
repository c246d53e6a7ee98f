//! The element-wise kernels compiled once per instruction set. Each body is written once,
//! generic over the vector type ([`Lanes`]); `isa_entries!` instantiates it inside one
//! `#[target_feature]` function per ISA (the only place its features are written), and
//! [`IsaRuns`] picks the entry for the tier [`crate::simd::isa`] chose. The `Portable` tier is
//! the scalar reference loop itself.

use super::arith::{Arith, Operand, Store};
use super::fold::{fold_block, split_pairwise};
use super::lanes::{map_lanes, zip_lanes};
use super::simd_math::VectorMath;
use super::unary_float::UnaryFloat;
use crate::dtype::{FloatElement, NumElement};
use crate::simd::Isa;
use crate::simd::lanes::Lanes;
use crate::simd::vector::Vector;

/// `out = a op b` over a run with `$v`'s vectors (the arguments of [`NumElement::arith_run`]
/// named). A macro, not a generic function, so that its closures are written inside the entry
/// function and inherit its `#[target_feature]`s (a closure in a plain generic function would
/// not, and its intrinsics would stay calls).
macro_rules! arith_body {
    ($t:ty, $v:ty, $op:ident, $a:ident, $b:ident, $out:ident, $n:ident, $store:ident) => {{
        // One loop per op, so each inner loop is branch-free.
        macro_rules! go {
            ($f:expr) => {
                // SAFETY: the entry's contract, forwarded; the closures run on its ISA.
                unsafe { zip_lanes::<$t, $v>($a, $b, $out, $n, $store, $f, |x, y| <$t>::arith($op, x, y)) }
            };
        }
        match $op {
            Arith::Add => go!(|x: $v, y: $v| x.add(y)),
            Arith::Sub => go!(|x: $v, y: $v| x.sub(y)),
            Arith::Mul => go!(|x: $v, y: $v| x.mul(y)),
            Arith::Div => go!(|x: $v, y: $v| x.div(y)),
            Arith::Max => go!(|x: $v, y: $v| x.max_nan(y)),
            Arith::Min => go!(|x: $v, y: $v| x.min_nan(y)),
        }
    }};
}

/// `out = op(x)` over a run with `$v`'s vectors; the ops without a vector form run the scalar
/// loop. A macro for the reason [`arith_body!`] is.
macro_rules! unary_body {
    ($t:ty, $v:ty, $op:ident, $x:ident, $out:ident, $n:ident, $store:ident) => {{
        macro_rules! go {
            ($f:expr) => {
                // SAFETY: the entry's contract, forwarded; the closures run on its ISA.
                unsafe { map_lanes::<$t, $v>($x, $out, $n, $store, $f, |s| $op.scalar(s)) }
            };
        }
        // SAFETY: the entry runs on this ISA.
        let one = unsafe { <$v>::splat(1.0) };
        match $op {
            UnaryFloat::Relu => go!(|v: $v| v.max_nan(<$v>::zero())),
            UnaryFloat::Neg => go!(|v: $v| v.neg()),
            UnaryFloat::Abs => go!(|v: $v| v.abs()),
            UnaryFloat::Square => go!(|v: $v| v.mul(v)),
            UnaryFloat::Sqrt => go!(|v: $v| v.sqrt()),
            UnaryFloat::Recip => go!(|v: $v| one.div(v)),
            UnaryFloat::Exp => go!(|v: $v| <$t as VectorMath<$v>>::exp_v(v)),
            UnaryFloat::Tanh => go!(|v: $v| <$t as VectorMath<$v>>::tanh_v(v)),
            UnaryFloat::Sigmoid => go!(|v: $v| one.div(one.add(<$t as VectorMath<$v>>::exp_v(v.neg())))),
            _ => {
                // SAFETY: the entry's contract, forwarded.
                unsafe { unary_portable($op, $x, $out, $n) }
            }
        }
    }};
}

/// The scalar reference loop of a binary op (the `Portable` tier).
///
/// # Safety
/// As [`NumElement::arith_run`].
unsafe fn arith_portable<T: NumElement>(op: Arith, a: Operand<T>, b: Operand<T>, out: *mut T, n: usize) {
    for i in 0..n {
        // SAFETY: i < n; element i is read before it is written.
        unsafe { *out.add(i) = T::arith(op, a.at(i), b.at(i)) };
    }
}

/// The scalar reference loop of a unary op (the `Portable` tier).
///
/// # Safety
/// As [`FloatElement::unary_run`].
unsafe fn unary_portable<T: FloatElement>(op: UnaryFloat, x: *const T, out: *mut T, n: usize) {
    for i in 0..n {
        // SAFETY: i < n; element i is read before it is written.
        unsafe { *out.add(i) = op.scalar(*x.add(i)) };
    }
}

/// The pairwise fold below the parallel threshold (`fold.rs`), without target features.
fn fold_portable<T: NumElement, F: Fn(T, T) -> T + Copy>(x: &[T], f: F) -> T {
    match split_pairwise(x) {
        Some((l, r)) => f(fold_portable(l, f), fold_portable(r, f)),
        None => fold_block(x, f),
    }
}

/// One ISA's entries: the bodies above instantiated inside its `#[target_feature]` functions.
macro_rules! isa_entries {
    ($isa:ident, features: $features:literal, f32: $v32:ty, f64: $v64:ty) => {
        /// This ISA's entries.
        struct $isa;

        impl $isa {
            /// # Safety
            /// The CPU has this ISA; as [`NumElement::arith_run`].
            #[target_feature(enable = $features)]
            unsafe fn arith_f32(
                op: Arith,
                a: Operand<f32>,
                b: Operand<f32>,
                out: *mut f32,
                n: usize,
                store: Store,
            ) {
                // SAFETY: forwarded contract.
                arith_body!(f32, $v32, op, a, b, out, n, store)
            }
            /// # Safety
            /// As `arith_f32`.
            #[target_feature(enable = $features)]
            unsafe fn arith_f64(
                op: Arith,
                a: Operand<f64>,
                b: Operand<f64>,
                out: *mut f64,
                n: usize,
                store: Store,
            ) {
                // SAFETY: forwarded contract.
                arith_body!(f64, $v64, op, a, b, out, n, store)
            }
            /// # Safety
            /// The CPU has this ISA; as [`FloatElement::unary_run`].
            #[target_feature(enable = $features)]
            unsafe fn unary_f32(op: UnaryFloat, x: *const f32, out: *mut f32, n: usize, store: Store) {
                // SAFETY: forwarded contract.
                unary_body!(f32, $v32, op, x, out, n, store)
            }
            /// # Safety
            /// As `unary_f32`.
            #[target_feature(enable = $features)]
            unsafe fn unary_f64(op: UnaryFloat, x: *const f64, out: *mut f64, n: usize, store: Store) {
                // SAFETY: forwarded contract.
                unary_body!(f64, $v64, op, x, out, n, store)
            }
            /// The pairwise fold of any element type, its blocks vectorised for this ISA.
            ///
            /// # Safety
            /// The CPU has this ISA.
            #[target_feature(enable = $features)]
            unsafe fn fold<T: NumElement, F: Fn(T, T) -> T + Copy>(x: &[T], f: F) -> T {
                match split_pairwise(x) {
                    // SAFETY: the same ISA as this call.
                    Some((l, r)) => f(unsafe { Self::fold(l, f) }, unsafe { Self::fold(r, f) }),
                    None => fold_block(x, f),
                }
            }
        }
    };
}

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{__m128, __m128d, __m256, __m256d, __m512, __m512d};
#[cfg(target_arch = "x86_64")]
isa_entries!(Avx512, features: "avx512f,fma", f32: __m512, f64: __m512d);
#[cfg(target_arch = "x86_64")]
isa_entries!(Avx2, features: "avx2,fma", f32: __m256, f64: __m256d);
#[cfg(target_arch = "x86_64")]
isa_entries!(Sse2, features: "sse2", f32: __m128, f64: __m128d);
#[cfg(target_arch = "aarch64")]
use std::arch::aarch64::{float32x4_t, float64x2_t};
#[cfg(target_arch = "aarch64")]
isa_entries!(Neon, features: "neon", f32: float32x4_t, f64: float64x2_t);

/// Calls `$entry` of the module of `$isa`'s tier, or `$portable` for the portable tier.
macro_rules! on_isa {
    ($isa:expr, $entry:ident($($arg:expr),*), $portable:expr) => {
        match $isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the caller guarantees the CPU has the tier.
            Isa::Avx512 => unsafe { Avx512::$entry($($arg),*) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the caller guarantees the CPU has the tier.
            Isa::Avx2 => unsafe { Avx2::$entry($($arg),*) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the caller guarantees the CPU has the tier.
            Isa::Sse2 => unsafe { Sse2::$entry($($arg),*) },
            #[cfg(target_arch = "aarch64")]
            // SAFETY: the caller guarantees the CPU has the tier.
            Isa::Neon => unsafe { Neon::$entry($($arg),*) },
            _ => $portable,
        }
    };
}

/// The run kernels of f32 and f64 on a given tier.
pub(crate) trait IsaRuns: FloatElement {
    /// [`NumElement::arith_run`] on `isa`'s vectors.
    ///
    /// # Safety
    /// `isa.supported()`; as [`NumElement::arith_run`].
    unsafe fn arith_on(
        isa: Isa,
        op: Arith,
        a: Operand<Self>,
        b: Operand<Self>,
        out: *mut Self,
        n: usize,
        store: Store,
    );
    /// [`FloatElement::unary_run`] on `isa`'s vectors.
    ///
    /// # Safety
    /// `isa.supported()`; as [`FloatElement::unary_run`].
    unsafe fn unary_on(isa: Isa, op: UnaryFloat, x: *const Self, out: *mut Self, n: usize, store: Store);
}

macro_rules! isa_runs {
    ($t:ty, $arith:ident, $unary:ident) => {
        impl IsaRuns for $t {
            unsafe fn arith_on(
                isa: Isa,
                op: Arith,
                a: Operand<$t>,
                b: Operand<$t>,
                out: *mut $t,
                n: usize,
                store: Store,
            ) {
                // SAFETY: forwarded contract.
                on_isa!(isa, $arith(op, a, b, out, n, store), unsafe { arith_portable(op, a, b, out, n) })
            }
            unsafe fn unary_on(isa: Isa, op: UnaryFloat, x: *const $t, out: *mut $t, n: usize, store: Store) {
                // SAFETY: forwarded contract.
                on_isa!(isa, $unary(op, x, out, n, store), unsafe { unary_portable(op, x, out, n) })
            }
        }
    };
}
isa_runs!(f32, arith_f32, unary_f32);
isa_runs!(f64, arith_f64, unary_f64);

/// The pairwise fold of a run below the parallel threshold, on `isa`'s vectors.
///
/// # Safety
/// `isa.supported()`.
pub(crate) unsafe fn fold_on<T: NumElement, F: Fn(T, T) -> T + Copy>(isa: Isa, x: &[T], f: F) -> T {
    on_isa!(isa, fold(x, f), fold_portable(x, f))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dtype::Element;

    /// Runs `op` over `xs` on every tier this CPU has, at several run lengths and offsets (so
    /// every lane position and the scalar tails are hit), and checks each result's bits
    /// against `scalar`.
    pub(crate) fn on_every_isa(op: UnaryFloat, xs: &[f32], scalar: fn(f32) -> f32) {
        let want: Vec<u32> = xs.iter().map(|&x| scalar(x).to_bits()).collect();
        for isa in Isa::available() {
            for skip in [0, 1, 5] {
                let x = &xs[skip.min(xs.len())..];
                let mut out = vec![0f32; x.len()];
                // SAFETY: the tier is available; x and out hold x.len() values.
                unsafe { f32::unary_on(isa, op, x.as_ptr(), out.as_mut_ptr(), x.len(), Store::Cached) };
                for (i, y) in out.iter().enumerate() {
                    let got = y.to_bits();
                    assert_eq!(got, want[skip + i], "{} on {:?} at x = {}", op.name(), isa, x[i]);
                }
            }
        }
    }

    /// Values that hit every branch: signs, zeros, NaN, infinities, ties.
    fn values<T: FloatElement>(n: usize) -> Vec<T> {
        let edges = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1.0, -1.0, 0.5, 2.5];
        (0..n)
            .map(|i| if i % 7 == 3 { edges[i % edges.len()] } else { (i as f64 * 0.37).sin() * 10.0 })
            .map(|v| T::from(v).unwrap())
            .collect()
    }

    fn same_bits<T: FloatElement>(a: &[T], b: &[T]) -> bool {
        a.iter().zip(b).all(|(&x, &y)| {
            Element::to_f64(x).to_bits() == Element::to_f64(y).to_bits() || (x.is_nan() && y.is_nan())
        })
    }

    /// Every tier's binary, unary and fold kernels give the portable loop's bits, on both
    /// operand kinds and at lengths that leave every tail.
    fn tiers_agree<T: IsaRuns>() {
        let streamed = super::super::stream::STREAM_MIN_BYTES / std::mem::size_of::<T>() + 3;
        for n in [0, 1, 7, 33, 300, 1000, streamed] {
            let (a, b) = (values::<T>(n + 5), values::<T>(n + 11));
            let b = &b[11..];
            for isa in Isa::available() {
                for op in [Arith::Add, Arith::Sub, Arith::Mul, Arith::Div, Arith::Max, Arith::Min] {
                    for rhs in [Operand::Run(b.as_ptr()), Operand::Scalar(a[n + 3])] {
                        let (mut got, mut want) = (vec![T::zero(); n], vec![T::zero(); n]);
                        // SAFETY: the tier is available; every run holds n values.
                        unsafe {
                            T::arith_on(
                                isa,
                                op,
                                Operand::Run(a.as_ptr()),
                                rhs,
                                got.as_mut_ptr(),
                                n,
                                Store::StreamLong,
                            );
                            arith_portable(op, Operand::Run(a.as_ptr()), rhs, want.as_mut_ptr(), n);
                        }
                        assert!(same_bits(&got, &want), "{} on {isa:?}, n = {n}", op.name());
                    }
                }
                let unary = [
                    UnaryFloat::Relu,
                    UnaryFloat::Neg,
                    UnaryFloat::Abs,
                    UnaryFloat::Square,
                    UnaryFloat::Sqrt,
                ];
                for op in unary.into_iter().chain([
                    UnaryFloat::Recip,
                    UnaryFloat::Exp,
                    UnaryFloat::Tanh,
                    UnaryFloat::Sigmoid,
                ]) {
                    let (mut got, mut want) = (vec![T::zero(); n], vec![T::zero(); n]);
                    // SAFETY: as above.
                    unsafe {
                        T::unary_on(isa, op, a.as_ptr(), got.as_mut_ptr(), n, Store::StreamLong);
                        unary_portable(op, a.as_ptr(), want.as_mut_ptr(), n);
                    }
                    assert!(same_bits(&got, &want), "{} on {isa:?}, n = {n}", op.name());
                }
                if n > 0 {
                    let finite: Vec<T> =
                        a.iter().map(|&v| if v.is_finite() { v } else { T::one() }).collect();
                    for op in [Arith::Add, Arith::Max, Arith::Min] {
                        let f = move |x, y| T::arith(op, x, y);
                        for xs in [&a[..n], &finite[..n]] {
                            // SAFETY: as above.
                            let got = unsafe { fold_on(isa, xs, f) };
                            assert!(
                                same_bits(&[got], &[fold_portable(xs, f)]),
                                "fold {} on {isa:?}",
                                op.name()
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_tier_gives_the_portable_bits() {
        tiers_agree::<f32>();
        tiers_agree::<f64>();
    }
}
