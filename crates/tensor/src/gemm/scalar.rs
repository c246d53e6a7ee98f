//! `GemmScalar`: the element types with GEMM kernels (`f32`, `f64`), and which micro-kernels
//! each has on this CPU (chosen at run time: AVX-512F, AVX2+FMA, or the portable `wide` one).

#[cfg(target_arch = "x86_64")]
use super::kernel_x86;
use super::{Kernel, NarrowFn, kernel_wide, no_edge_kernels, pack_transpose, params};
use crate::dtype::Element;

/// The crate's own half of [`GemmScalar`]: a public trait in a private module, so that no type
/// outside the crate can implement `GemmScalar` and these raw kernels stay out of the public API.
mod sealed {
    /// Narrow-C kernel and packing transposes, which unsafe code trusts.
    pub trait Kernels: Sized {
        /// The kernel for narrow C (n ≤ one vector, see `narrow.rs`), if this CPU has AVX-512F.
        fn narrow_kernel() -> Option<super::NarrowFn<Self>>;
        /// Packing's transpose (see `pack_transpose.rs`): copies `rows` runs of `kc` contiguous
        /// values, run `i` starting at `src + i·ld`, into the k-major panel `dst[p·w + i]`, and
        /// zero-pads it to width `w`. SIMD on x86-64, scalar elsewhere.
        ///
        /// # Safety
        /// `src + i·ld + p` is readable for `i < rows`, `p < kc`; `dst` is writable for `kc·w`
        /// elements; `rows <= w`.
        unsafe fn pack_runs(src: *const Self, ld: isize, rows: usize, kc: usize, w: usize, dst: *mut Self);
    }
}

/// Element types with GEMM kernels: `f32` and `f64` (sealed).
pub trait GemmScalar:
    Element + num_traits::Float + Send + Sync + sealed::Kernels + super::simd_tile::sealed::SimdLanes
{
    /// The portable `wide` micro-kernel.
    fn kernel_wide() -> Kernel<Self>;
    /// The AVX2+FMA micro-kernel, if this CPU has those features.
    fn kernel_avx2() -> Option<Kernel<Self>>;
    /// The AVX-512F micro-kernel, if this CPU has it.
    fn kernel_avx512() -> Option<Kernel<Self>>;
    /// The fastest micro-kernel this CPU runs.
    fn kernel_best() -> Kernel<Self> {
        Self::kernel_avx512().or_else(Self::kernel_avx2).unwrap_or_else(Self::kernel_wide)
    }
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}
#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    is_x86_feature_detected!("avx512f")
}

macro_rules! impl_gemm_scalar {
    ($t:ty, $runs:ident, $narrow:ident, $wide:ident, $wb:ident, $avx2:ident, $e2:ident, $ab:ident, $avx512:ident, $e5:ident, $xb:ident, $n2:literal, $n5:literal, $nw:literal) => {
        impl sealed::Kernels for $t {
            fn narrow_kernel() -> Option<NarrowFn<$t>> {
                #[cfg(target_arch = "x86_64")]
                if has_avx512() {
                    return Some(kernel_x86::$narrow);
                }
                None
            }
            unsafe fn pack_runs(src: *const $t, ld: isize, rows: usize, kc: usize, w: usize, dst: *mut $t) {
                // SAFETY: the same contract, forwarded.
                #[cfg(target_arch = "x86_64")]
                unsafe {
                    pack_transpose::$runs(src, ld, rows, kc, w, dst)
                }
                // SAFETY: the same contract, forwarded.
                #[cfg(not(target_arch = "x86_64"))]
                unsafe {
                    pack_transpose::pack_runs_scalar(src, ld, rows, kc, w, dst)
                }
            }
        }
        impl GemmScalar for $t {
            fn kernel_wide() -> Kernel<$t> {
                Kernel {
                    name: $nw,
                    blocks: params::$wb,
                    run: kernel_wide::$wide,
                    tile: (params::$wb.mr, params::$wb.nr),
                    edge: no_edge_kernels,
                }
            }
            fn kernel_avx2() -> Option<Kernel<$t>> {
                #[cfg(target_arch = "x86_64")]
                if has_avx2() {
                    return Some(Kernel {
                        name: $n2,
                        blocks: params::$ab,
                        run: kernel_x86::$avx2(),
                        tile: (params::$ab.mr, params::$ab.nr),
                        edge: kernel_x86::$e2,
                    });
                }
                None
            }
            fn kernel_avx512() -> Option<Kernel<$t>> {
                #[cfg(target_arch = "x86_64")]
                if has_avx512() {
                    return Some(Kernel {
                        name: $n5,
                        blocks: params::$xb,
                        run: kernel_x86::$avx512(),
                        tile: (params::$xb.mr, params::$xb.nr),
                        edge: kernel_x86::$e5,
                    });
                }
                None
            }
        }
    };
}
impl_gemm_scalar!(
    f32,
    pack_runs_f32,
    sgemm_avx512_narrow,
    sgemm_wide_4x8,
    F32_WIDE,
    sgemm_avx2_6x16,
    sgemm_avx2_edge,
    F32_AVX2,
    sgemm_avx512_12x32,
    sgemm_avx512_edge,
    F32_AVX512,
    "avx2+fma 6x16",
    "avx512f 12x32",
    "wide 4x8"
);
impl_gemm_scalar!(
    f64,
    pack_runs_f64,
    dgemm_avx512_narrow,
    dgemm_wide_4x4,
    F64_WIDE,
    dgemm_avx2_6x8,
    dgemm_avx2_edge,
    F64_AVX2,
    dgemm_avx512_12x16,
    dgemm_avx512_edge,
    F64_AVX512,
    "avx2+fma 6x8",
    "avx512f 12x16",
    "wide 4x4"
);
