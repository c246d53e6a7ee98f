//! The aarch64 micro-kernels: the one generic tile (`micro_tile.rs`) on NEON vectors
//! (`vector_neon.rs`), 8 rows by 3 vectors (24 of the 32 q registers as accumulators). NEON is
//! part of every aarch64 CPU, so the kernel is always available there; edge tiles go through
//! scratch and a merge.

use super::kernel::{Kernel, KernelFn, LayeredFn, NextA, Steps, TileFns, no_edge_kernels};
use super::micro_tile::micro_tile;
use super::params::{self, BlockSizes};
use super::vector::Vector;
use num_traits::Float;
use std::arch::aarch64::{float32x4_t, float64x2_t};

/// Rows of the tile.
const MR: usize = 8;
/// Vectors per row of the tile.
const NV: usize = 3;

/// # Safety
/// [`KernelFn`] (NEON is part of aarch64).
#[allow(clippy::too_many_arguments)]
unsafe fn plain<T: Float, V: Vector<T>>(
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
    unsafe { micro_tile::<T, V, MR, NV, MR, NV>(Steps::All(k), NextA::NONE, a, b, c, rsc, csc, alpha, beta) }
}

/// # Safety
/// [`LayeredFn`] (NEON is part of aarch64).
#[allow(clippy::too_many_arguments)]
unsafe fn layered<T: Float, V: Vector<T>>(
    steps: Steps,
    next_a: NextA,
    a: *const T,
    b: *const T,
    c: *mut T,
    rsc: isize,
    csc: isize,
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller's contract, forwarded.
    unsafe { micro_tile::<T, V, MR, NV, MR, NV>(steps, next_a, a, b, c, rsc, csc, alpha, beta) }
}

/// The [`Kernel`] for the 8 × 3-vector tile of `V`.
fn kernel<T: Float, V: Vector<T>>(name: &'static str, blocks: BlockSizes) -> Kernel<T> {
    assert!(blocks.mr == MR && blocks.nr == NV * V::LANES, "{name}: block sizes for another tile");
    let full = TileFns { plain: plain::<T, V> as KernelFn<T>, layered: layered::<T, V> as LayeredFn<T> };
    Kernel { name, blocks, full, tile: (MR, NV * V::LANES), edge: no_edge_kernels }
}

/// f32: 8×12.
pub(crate) fn sgemm_neon() -> Kernel<f32> {
    kernel::<f32, float32x4_t>("neon 8x12", params::F32_NEON)
}

/// f64: 8×6.
pub(crate) fn dgemm_neon() -> Kernel<f64> {
    kernel::<f64, float64x2_t>("neon 8x6", params::F64_NEON)
}
