//! The portable `wide` vectors as [`Vector`]s (the portable micro-kernel, `kernel_wide.rs`), and
//! the `wide` vector of each element type for the ladder's SIMD step ([`SimdLanes`]).

use crate::simd::vector::Vector;
use wide::{f32x8, f64x4};

// SAFETY: f32x8 holds 8 f32 in lane order; load and store move exactly 8 values. `wide` compiles
// for whatever the crate is built for, so these run on every CPU.
unsafe impl Vector<f32> for f32x8 {
    const LANES: usize = 8;
    #[inline(always)]
    unsafe fn zero() -> Self {
        f32x8::ZERO
    }
    #[inline(always)]
    unsafe fn splat(x: f32) -> Self {
        f32x8::splat(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self {
        // SAFETY: the caller's contract: 8 readable values at p.
        f32x8::from(unsafe { (p as *const [f32; 8]).read_unaligned() })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f32) {
        // SAFETY: the caller's contract: 8 writable values at p.
        unsafe { (p as *mut [f32; 8]).write_unaligned(self.to_array()) }
    }
    #[inline(always)]
    unsafe fn mul(self, b: Self) -> Self {
        self * b
    }
    #[inline(always)]
    unsafe fn mul_add(self, b: Self, c: Self) -> Self {
        wide::f32x8::mul_add(self, b, c)
    }
}

// SAFETY: as for f32x8, with 4 f64.
unsafe impl Vector<f64> for f64x4 {
    const LANES: usize = 4;
    #[inline(always)]
    unsafe fn zero() -> Self {
        f64x4::ZERO
    }
    #[inline(always)]
    unsafe fn splat(x: f64) -> Self {
        f64x4::splat(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> Self {
        // SAFETY: the caller's contract: 4 readable values at p.
        f64x4::from(unsafe { (p as *const [f64; 4]).read_unaligned() })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut f64) {
        // SAFETY: the caller's contract: 4 writable values at p.
        unsafe { (p as *mut [f64; 4]).write_unaligned(self.to_array()) }
    }
    #[inline(always)]
    unsafe fn mul(self, b: Self) -> Self {
        self * b
    }
    #[inline(always)]
    unsafe fn mul_add(self, b: Self, c: Self) -> Self {
        wide::f64x4::mul_add(self, b, c)
    }
}

/// A `wide` vector type for each GEMM element type, for the ladder's SIMD step on unpacked
/// operands (`simd_tile.rs`): a public trait in a private module, sealed like `GemmScalar`.
pub trait SimdLanes: Sized + Copy {
    /// The vector of this element type.
    type V: Copy + std::ops::Add<Output = Self::V> + std::ops::Mul<Output = Self::V>;
    /// Lanes per vector.
    const LANES: usize;
    /// Every lane `x`.
    fn splat(x: Self) -> Self::V;
    /// The first `LANES` values of `xs`.
    fn load(xs: &[Self]) -> Self::V;
    /// The lanes, written to the first `LANES` values of `out`.
    fn store(v: Self::V, out: &mut [Self]);
}

impl SimdLanes for f32 {
    type V = f32x8;
    const LANES: usize = 8;
    #[inline]
    fn splat(x: f32) -> f32x8 {
        f32x8::splat(x)
    }
    #[inline]
    fn load(xs: &[f32]) -> f32x8 {
        f32x8::new(xs[..8].try_into().expect("8 values"))
    }
    #[inline]
    fn store(v: f32x8, out: &mut [f32]) {
        out[..8].copy_from_slice(&v.to_array());
    }
}

impl SimdLanes for f64 {
    type V = f64x4;
    const LANES: usize = 4;
    #[inline]
    fn splat(x: f64) -> f64x4 {
        f64x4::splat(x)
    }
    #[inline]
    fn load(xs: &[f64]) -> f64x4 {
        f64x4::new(xs[..4].try_into().expect("4 values"))
    }
    #[inline]
    fn store(v: f64x4, out: &mut [f64]) {
        out[..4].copy_from_slice(&v.to_array());
    }
}
