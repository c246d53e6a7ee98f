//! The portable micro-kernel: the generic tile (`micro_tile.rs`) on `wide` vectors, the fallback
//! on CPUs without AVX2 and on other architectures; its entries also serve NEON (`kernel_neon.rs`).
//! `wide` picks its instructions when the crate is compiled (SSE2 on a default x86-64 build), so
//! this kernel is slower than the run-time dispatched ones, but it runs everywhere. It has no edge
//! kernels and ignores prefetch hints.

use super::kernel::{Kernel, KernelFn, LayeredFn, NextA, SparseKernel, Steps, TileFns, no_edge_kernels};
use super::micro_tile::micro_tile;
use super::params::{self, BlockSizes};
use crate::simd::vector::Vector;
use num_traits::Float;
use wide::{f32x8, f64x4};

/// # Safety
/// [`KernelFn`], with `V`'s ISA part of the build (`wide`; NEON on aarch64).
#[allow(clippy::too_many_arguments)]
unsafe fn plain<T: Float, V: Vector<T>, const MR: usize, const NV: usize>(
    k: usize,
    a: *const T,
    b: *const T,
    c: *mut T,
    rsc: isize,
    csc: isize,
    alpha: T,
    beta: T,
) {
    let rsb = (NV * V::LANES) as isize;
    // SAFETY: the caller's contract, forwarded (a packed B panel: rows NR apart).
    unsafe {
        micro_tile::<T, V, MR, NV, MR, NV>(Steps::All(k), NextA::NONE, a, b, rsb, c, rsc, csc, alpha, beta)
    }
}

/// # Safety
/// [`LayeredFn`], with `V`'s ISA part of the build.
#[allow(clippy::too_many_arguments)]
unsafe fn layered<T: Float, V: Vector<T>, const MR: usize, const NV: usize>(
    steps: Steps,
    _next_a: NextA,
    a: *const T,
    b: *const T,
    rsb: isize,
    c: *mut T,
    rsc: isize,
    csc: isize,
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller's contract, forwarded.
    unsafe { micro_tile::<T, V, MR, NV, MR, NV>(steps, NextA::NONE, a, b, rsb, c, rsc, csc, alpha, beta) }
}

/// The [`Kernel`] for an MR × NV-vector tile of `V`, with entries that need no CPU feature
/// beyond the build's: `wide`'s vectors here, NEON's on aarch64 (`kernel_neon.rs`).
/// The sparse-rows kernel (`sparse_tile.rs`) on portable vectors, four at a time.
#[allow(clippy::too_many_arguments)]
unsafe fn sparse<T: Float, V: Vector<T>>(
    block: super::kernel::SparseBlock<'_, T>,
    b: (*const T, isize),
    n: usize,
    c: *mut T,
    cs: (isize, isize),
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller's contract, forwarded.
    unsafe { super::sparse_tile::rows_times_b::<T, V, 4>(block, b, n, c, cs, alpha, beta) }
}

pub(crate) fn kernel<T: Float, V: Vector<T>, const MR: usize, const NV: usize>(
    name: &'static str,
    blocks: BlockSizes,
) -> Kernel<T> {
    assert!(blocks.mr == MR && blocks.nr == NV * V::LANES, "{name}: block sizes for another tile");
    let full = TileFns {
        plain: plain::<T, V, MR, NV> as KernelFn<T>,
        layered: layered::<T, V, MR, NV> as LayeredFn<T>,
        nr: NV * V::LANES,
    };
    Kernel {
        name,
        blocks,
        full,
        tile: (MR, NV * V::LANES),
        edge: no_edge_kernels,
        sparse: SparseKernel { run: sparse::<T, V>, width: 4 * V::LANES },
    }
}

/// f32: a 4×8 tile, which fits 16 SSE registers when AVX is not compiled in.
pub(crate) fn sgemm_wide() -> Kernel<f32> {
    kernel::<f32, f32x8, 4, 1>("wide 4x8", params::F32_WIDE)
}

/// f64: a 4×4 tile.
pub(crate) fn dgemm_wide() -> Kernel<f64> {
    kernel::<f64, f64x4, 4, 1>("wide 4x4", params::F64_WIDE)
}
