//! The portable micro-kernel: the generic tile (`micro_tile.rs`) on `wide` vectors, the fallback
//! on CPUs without AVX2 and on other architectures. `wide` picks its instructions when the crate
//! is compiled (SSE2 on a default x86-64 build), so this kernel is slower than the run-time
//! dispatched ones, but it runs everywhere. It has no edge kernels and ignores prefetch hints.

use super::kernel::{Kernel, KernelFn, LayeredFn, NextA, Steps, TileFns, no_edge_kernels};
use super::micro_tile::micro_tile;
use super::params::{self, BlockSizes};
use super::vector::Vector;
use num_traits::Float;
use wide::{f32x8, f64x4};

/// # Safety
/// [`KernelFn`]: `wide` runs on every CPU.
#[allow(clippy::too_many_arguments)]
unsafe fn plain<T: Float, V: Vector<T>, const MR: usize>(
    k: usize,
    a: *const T,
    b: *const T,
    c: *mut T,
    rsc: isize,
    csc: isize,
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller's contract, forwarded.
    unsafe { micro_tile::<T, V, MR, 1, MR, 1>(Steps::All(k), NextA::NONE, a, b, c, rsc, csc, alpha, beta) }
}

/// # Safety
/// [`LayeredFn`]: `wide` runs on every CPU.
#[allow(clippy::too_many_arguments)]
unsafe fn layered<T: Float, V: Vector<T>, const MR: usize>(
    steps: Steps,
    _next_a: NextA,
    a: *const T,
    b: *const T,
    c: *mut T,
    rsc: isize,
    csc: isize,
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller's contract, forwarded.
    unsafe { micro_tile::<T, V, MR, 1, MR, 1>(steps, NextA::NONE, a, b, c, rsc, csc, alpha, beta) }
}

/// The [`Kernel`] for an MR × one-vector tile of `V`.
fn kernel<T: Float, V: Vector<T>, const MR: usize>(name: &'static str, blocks: BlockSizes) -> Kernel<T> {
    assert!(blocks.mr == MR && blocks.nr == V::LANES, "{name}: block sizes for another tile");
    let full =
        TileFns { plain: plain::<T, V, MR> as KernelFn<T>, layered: layered::<T, V, MR> as LayeredFn<T> };
    Kernel { name, blocks, full, tile: (MR, V::LANES), edge: no_edge_kernels }
}

/// f32: a 4×8 tile, which fits 16 SSE registers when AVX is not compiled in.
pub(crate) fn sgemm_wide() -> Kernel<f32> {
    kernel::<f32, f32x8, 4>("wide 4x8", params::F32_WIDE)
}

/// f64: a 4×4 tile.
pub(crate) fn dgemm_wide() -> Kernel<f64> {
    kernel::<f64, f64x4, 4>("wide 4x4", params::F64_WIDE)
}
