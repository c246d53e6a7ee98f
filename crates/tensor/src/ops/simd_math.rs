//! The transcendental functions the element-wise kernels need, per element type: one element
//! ([`SimdExp`], the reference every vector path matches bit for bit) and one vector of any ISA
//! (`VectorMath`). f32 has its own `exp` (`simd_exp.rs`) and `tanh` (`simd_tanh.rs`); f64 uses
//! the platform's, lane by lane.

use crate::simd::lanes::{ExpLanes, Lanes};
use crate::simd::vector::Vector;

/// Exponential and `tanh` of one element.
pub trait SimdExp: Sized {
    /// Scalar `e^x`, bit-identical to one lane of the vector form.
    fn exp_s(x: Self) -> Self;
    /// Scalar `tanh`, bit-identical to one lane of the vector form.
    fn tanh_s(x: Self) -> Self;
}

impl SimdExp for f32 {
    #[inline(always)]
    fn exp_s(x: f32) -> f32 {
        super::simd_exp::exp_f32(x)
    }
    #[inline(always)]
    fn tanh_s(x: f32) -> f32 {
        super::simd_tanh::tanh_f32(x)
    }
}

impl SimdExp for f64 {
    fn exp_s(x: f64) -> f64 {
        x.exp()
    }
    fn tanh_s(x: f64) -> f64 {
        x.tanh()
    }
}

/// Exponential and `tanh` of one vector `V` of this element type.
pub(crate) trait VectorMath<V: Lanes<Self>>: SimdExp + Copy {
    /// Lane-wise [`SimdExp::exp_s`].
    ///
    /// # Safety
    /// The CPU has `V`'s ISA.
    unsafe fn exp_v(v: V) -> V;
    /// Lane-wise [`SimdExp::tanh_s`].
    ///
    /// # Safety
    /// The CPU has `V`'s ISA.
    unsafe fn tanh_v(v: V) -> V;
}

impl<V: ExpLanes> VectorMath<V> for f32 {
    #[inline(always)]
    unsafe fn exp_v(v: V) -> V {
        // SAFETY: the CPU has V's ISA (caller).
        unsafe { super::simd_exp::exp_v(v) }
    }
    #[inline(always)]
    unsafe fn tanh_v(v: V) -> V {
        // SAFETY: as above.
        unsafe { super::simd_tanh::tanh_v(v) }
    }
}

/// `f` on each lane of `v` (at most 8 f64 per vector on every ISA).
///
/// # Safety
/// The CPU has `V`'s ISA.
#[inline(always)]
unsafe fn per_lane<V: Vector<f64>>(v: V, f: fn(f64) -> f64) -> V {
    let mut lanes = [0f64; 8];
    const { assert!(V::LANES <= 8) };
    // SAFETY: `lanes` holds 8 >= LANES values; the CPU has V's ISA (caller).
    unsafe {
        v.store(lanes.as_mut_ptr());
        lanes[..V::LANES].iter_mut().for_each(|x| *x = f(*x));
        V::load(lanes.as_ptr())
    }
}

impl<V: Lanes<f64>> VectorMath<V> for f64 {
    #[inline(always)]
    unsafe fn exp_v(v: V) -> V {
        // SAFETY: the CPU has V's ISA (caller).
        unsafe { per_lane(v, f64::exp) }
    }
    #[inline(always)]
    unsafe fn tanh_v(v: V) -> V {
        // SAFETY: as above.
        unsafe { per_lane(v, f64::tanh) }
    }
}
