//! `GemmScalar`: the element types with GEMM kernels (`f32`, `f64`), and which micro-kernels
//! each has on this CPU (chosen at run time: AVX-512F, AVX2+FMA, NEON on aarch64, or the portable `wide` one).

use super::kernel::{Kernel, NarrowFn};
#[cfg(target_arch = "aarch64")]
use super::kernel_neon;
#[cfg(target_arch = "x86_64")]
use super::kernel_x86;
use super::{kernel_wide, nonzeros, pack_transpose};
use crate::dtype::Element;
use crate::simd::Isa;

/// The crate's own half of [`GemmScalar`]: a public trait in a private module, so that no type
/// outside the crate can implement `GemmScalar` and these raw kernels stay out of the public API.
mod sealed {
    /// Narrow-C kernel and packing transposes, which unsafe code trusts.
    pub trait Kernels: Sized {
        /// The kernel for narrow C (n ≤ one vector, see `narrow.rs`), if this CPU has AVX-512F.
        fn narrow_kernel() -> Option<crate::gemm::kernel::NarrowFn<Self>>;
        /// Packing's transpose (see `pack_transpose.rs`): copies `rows` runs of `kc` contiguous
        /// values, run `i` starting at `src + i·ld`, into the k-major panel `dst[p·w + i]`, and
        /// zero-pads it to width `w`. SIMD on x86-64, scalar elsewhere.
        ///
        /// # Safety
        /// `src + i·ld + p` is readable for `i < rows`, `p < kc`; `dst` is writable for `kc·w`
        /// elements; `rows <= w`.
        unsafe fn pack_runs(src: *const Self, ld: isize, rows: usize, kc: usize, w: usize, dst: *mut Self);
        /// The nonzeros of `run` (a row of A), their steps `first + l` and values written from
        /// slot 0 of `steps` and `values` (each `run.len() + nonzeros::SLACK` long, or it
        /// panics), bit `l % 64` of `words[l / 64]` set for each: how many (`nonzeros.rs`), on
        /// this CPU's widest vectors.
        fn nonzeros(
            run: &[Self],
            first: usize,
            steps: &mut [std::mem::MaybeUninit<u32>],
            values: &mut [std::mem::MaybeUninit<Self>],
            words: &mut [u64],
        ) -> usize;
    }
}

/// Element types with GEMM kernels: `f32` and `f64` (sealed).
pub trait GemmScalar:
    Element + num_traits::Float + Send + Sync + sealed::Kernels + super::vector::SimdLanes
{
    /// The portable `wide` micro-kernel.
    fn kernel_wide() -> Kernel<Self>;
    /// The AVX2+FMA micro-kernel, if this CPU has those features.
    fn kernel_avx2() -> Option<Kernel<Self>>;
    /// The AVX-512F micro-kernel, if this CPU has it.
    fn kernel_avx512() -> Option<Kernel<Self>>;
    /// The NEON micro-kernel, on aarch64.
    fn kernel_neon() -> Option<Kernel<Self>>;
    /// The micro-kernel of the tier this process runs ([`crate::simd::isa`]: the widest this
    /// CPU has unless `TESSERA_SIMD` asks for another); the portable one on SSE2 and below.
    fn kernel_best() -> Kernel<Self> {
        match crate::simd::isa() {
            Isa::Avx512 => Self::kernel_avx512(),
            Isa::Avx2 => Self::kernel_avx2(),
            Isa::Neon => Self::kernel_neon(),
            Isa::Sse2 | Isa::Portable => None,
        }
        .unwrap_or_else(Self::kernel_wide)
    }
}

impl sealed::Kernels for f32 {
    fn narrow_kernel() -> Option<NarrowFn<f32>> {
        #[cfg(target_arch = "x86_64")]
        return kernel_x86::sgemm_narrow();
        #[cfg(not(target_arch = "x86_64"))]
        None
    }
    unsafe fn pack_runs(src: *const f32, ld: isize, rows: usize, kc: usize, w: usize, dst: *mut f32) {
        // SAFETY: the same contract, forwarded.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            pack_transpose::pack_runs_f32(src, ld, rows, kc, w, dst)
        }
        // SAFETY: the same contract, forwarded.
        #[cfg(not(target_arch = "x86_64"))]
        unsafe {
            pack_transpose::pack_runs_scalar(src, ld, rows, kc, w, dst)
        }
    }
    fn nonzeros(
        run: &[f32],
        first: usize,
        steps: &mut [std::mem::MaybeUninit<u32>],
        values: &mut [std::mem::MaybeUninit<f32>],
        words: &mut [u64],
    ) -> usize {
        #[cfg(target_arch = "x86_64")]
        if matches!(crate::simd::isa(), Isa::Avx512 | Isa::Avx2)
            && is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("popcnt")
        {
            // SAFETY: the CPU has AVX2 and POPCNT (the function checks the slices' sizes itself).
            return unsafe { nonzeros::nonzeros_f32_avx2(run, first, steps, values, words) };
        }
        nonzeros::nonzeros_scalar(run, first, steps, values, words)
    }
}

impl sealed::Kernels for f64 {
    fn narrow_kernel() -> Option<NarrowFn<f64>> {
        #[cfg(target_arch = "x86_64")]
        return kernel_x86::dgemm_narrow();
        #[cfg(not(target_arch = "x86_64"))]
        None
    }
    unsafe fn pack_runs(src: *const f64, ld: isize, rows: usize, kc: usize, w: usize, dst: *mut f64) {
        // SAFETY: the same contract, forwarded.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            pack_transpose::pack_runs_f64(src, ld, rows, kc, w, dst)
        }
        // SAFETY: the same contract, forwarded.
        #[cfg(not(target_arch = "x86_64"))]
        unsafe {
            pack_transpose::pack_runs_scalar(src, ld, rows, kc, w, dst)
        }
    }
    fn nonzeros(
        run: &[f64],
        first: usize,
        steps: &mut [std::mem::MaybeUninit<u32>],
        values: &mut [std::mem::MaybeUninit<f64>],
        words: &mut [u64],
    ) -> usize {
        nonzeros::nonzeros_scalar(run, first, steps, values, words)
    }
}

impl GemmScalar for f32 {
    fn kernel_wide() -> Kernel<f32> {
        kernel_wide::sgemm_wide()
    }
    fn kernel_avx2() -> Option<Kernel<f32>> {
        #[cfg(target_arch = "x86_64")]
        return kernel_x86::sgemm_avx2();
        #[cfg(not(target_arch = "x86_64"))]
        None
    }
    fn kernel_avx512() -> Option<Kernel<f32>> {
        #[cfg(target_arch = "x86_64")]
        return kernel_x86::sgemm_avx512();
        #[cfg(not(target_arch = "x86_64"))]
        None
    }
    fn kernel_neon() -> Option<Kernel<f32>> {
        #[cfg(target_arch = "aarch64")]
        return Some(kernel_neon::sgemm_neon());
        #[cfg(not(target_arch = "aarch64"))]
        None
    }
}

impl GemmScalar for f64 {
    fn kernel_wide() -> Kernel<f64> {
        kernel_wide::dgemm_wide()
    }
    fn kernel_avx2() -> Option<Kernel<f64>> {
        #[cfg(target_arch = "x86_64")]
        return kernel_x86::dgemm_avx2();
        #[cfg(not(target_arch = "x86_64"))]
        None
    }
    fn kernel_avx512() -> Option<Kernel<f64>> {
        #[cfg(target_arch = "x86_64")]
        return kernel_x86::dgemm_avx512();
        #[cfg(not(target_arch = "x86_64"))]
        None
    }
    fn kernel_neon() -> Option<Kernel<f64>> {
        #[cfg(target_arch = "aarch64")]
        return Some(kernel_neon::dgemm_neon());
        #[cfg(not(target_arch = "aarch64"))]
        None
    }
}
