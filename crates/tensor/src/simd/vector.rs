//! What a kernel needs from an instruction set: one SIMD vector of `T` and six operations on it
//! ([`Vector`]). The GEMM micro-kernel is written once against this trait (`gemm/micro_tile.rs`);
//! each ISA only says how to multiply, add and move its vectors (`x86.rs` for AVX-512, AVX2+FMA
//! and SSE2, `neon.rs`, and `gemm/vector.rs` for the portable `wide` vectors).

/// One SIMD vector of `LANES` values of `T`, lanes in memory order.
///
/// # Safety
/// Implementors guarantee that `load` and `store` touch exactly `LANES` consecutive values and
/// that `mul_add` rounds once when the ISA has a fused multiply-add (the x86 kernels do; `wide`
/// does when the crate is compiled with FMA). Callers of the `unsafe` methods guarantee that the
/// CPU has the vector's ISA: they run inside that ISA's `#[target_feature]` entry function.
pub(crate) unsafe trait Vector<T: Copy>: Copy {
    /// Values per vector.
    const LANES: usize;
    /// All lanes +0.
    ///
    /// # Safety
    /// The CPU has this ISA.
    unsafe fn zero() -> Self;
    /// All lanes `x`.
    ///
    /// # Safety
    /// The CPU has this ISA.
    unsafe fn splat(x: T) -> Self;
    /// `LANES` values from `p`, unaligned.
    ///
    /// # Safety
    /// The CPU has this ISA; `p` is readable for `LANES` values.
    unsafe fn load(p: *const T) -> Self;
    /// The lanes to `p`, unaligned.
    ///
    /// # Safety
    /// The CPU has this ISA; `p` is writable for `LANES` values.
    unsafe fn store(self, p: *mut T);
    /// Lane-wise `self · b`.
    ///
    /// # Safety
    /// The CPU has this ISA.
    unsafe fn mul(self, b: Self) -> Self;
    /// Lane-wise `self · b + c`.
    ///
    /// # Safety
    /// The CPU has this ISA.
    unsafe fn mul_add(self, b: Self, c: Self) -> Self;
    /// Asks for the line at `p` in L1. A hint: `p` is never dereferenced and may be anything.
    #[inline(always)]
    fn prefetch_l1(_p: *const T) {}
    /// Asks for the line at `p` in L2. A hint, as [`Vector::prefetch_l1`].
    #[inline(always)]
    fn prefetch_l2(_p: *const T) {}
}

/// A [`Vector`] that can load and store its first `n < LANES` lanes alone (AVX-512's masks):
/// the narrow kernels' last columns.
///
/// # Safety
/// As [`Vector`]; `load_first` and `store_first` touch only the first `n` values at `p`.
#[cfg(target_arch = "x86_64")]
pub(crate) unsafe trait MaskedVector<T: Copy>: Vector<T> {
    /// The first `n` lanes from `p`, the others +0.
    ///
    /// # Safety
    /// The CPU has this ISA; `p` is readable for `n <= LANES` values.
    unsafe fn load_first(p: *const T, n: usize) -> Self;
    /// The first `n` lanes to `p`; memory past them untouched.
    ///
    /// # Safety
    /// The CPU has this ISA; `p` is writable for `n <= LANES` values.
    unsafe fn store_first(self, p: *mut T, n: usize);
}
