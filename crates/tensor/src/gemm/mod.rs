//! GEMM, `C <- alpha·A·B + beta·C`, as a ladder of tiers that all take the same BLAS-style
//! operands ([`MatRef`] / [`MatMut`]: data + rows, cols, row stride, column stride, offset):
//!
//! The ladder, in the order docs/gemm.md walks it (each tier runs alone with [`gemm_with`]):
//!
//! | step | tier | file | idea |
//! |---|---|---|---|
//! | 0 | [`gemm_naive`] | `naive.rs` | the oracle: i, j, p loops |
//! | 1 | [`gemm_reordered`] | `reordered.rs` | i, p, j: unit-stride inner loop |
//! | 2 | [`gemm_blocked`] | `blocked.rs` | cache blocks around step 1 |
//! | 3 | [`gemm_register_tile`] | `register_tile.rs` | a 4×4 tile of C in scalar registers |
//! | 4 | [`gemm_simd_tile`] | `simd_tile.rs` | the tile's accumulators as SIMD vectors, operands unpacked |
//! | 5 | [`Tier::PackedWide`] | `pack.rs`, `packed.rs`, `kernel.rs`, `micro_tile.rs`, `vector.rs`, `kernel_wide.rs` | BLIS packing and five loops; the micro-kernel written once over a vector trait, on portable vectors |
//! | 6 | [`Tier::PackedAvx2`], [`Tier::PackedAvx512`], [`Tier::PackedNeon`], [`Tier::Packed`] | `simd/x86.rs`, `kernel_x86.rs`, `simd/neon.rs`, `kernel_neon.rs`, `scalar.rs` | the same micro-kernel on the vectors this CPU runs best, chosen at run time |
//! | 7 | [`Tier::Parallel`] | `parallel.rs`, `depth_split.rs`, `split.rs` | rayon over disjoint blocks of C; a short, wide C of two KC slices by depth |
//!
//! The micro-kernel contract is in `kernel.rs`; which code a product takes, in `dispatch.rs`.
//! The production GEMM ([`gemm`], [`Tier::Parallel`]) adds switchable layers ([`Layers`],
//! `layers.rs`) that change its speed, never its bits: skipping A's zero steps (`zero_steps.rs`),
//! the next-A prefetch, the fused epilogue ([`gemm_epilogue`], `epilogue.rs`), shared packed A,
//! the narrow and small paths (`narrow.rs`), lingering workers, the depth split
//! (`depth_split.rs`), B read in place (`b_in_place.rs`), row panels claimed from both ends
//! (`claimed_rows.rs`), each row of a sparse A panel on its own steps (`row_steps.rs`), and a
//! block of A far sparser than its panels as each row's own nonzeros, A not packed
//! (`sparse_rows.rs`, `nonzeros.rs`, the kernel in `sparse_tile.rs`).
//! [`Kernel::run_tile`] (`tile.rs`) runs one micro-kernel call by itself, for
//! `tessera bench kernel`.
//!
//! Block sizes live in [`params`]; which micro-kernels each element type has on this CPU, in
//! [`GemmScalar`] (`scalar.rs`). [`gemm`] picks the best tier for this CPU and the current rayon
//! pool. In every tier, `beta == 0` means C is only written, never read (it may hold NaN).
//!
//! ```
//! use tessera_tensor::gemm::{gemm, MatMut, MatRef};
//! let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]; // 2x3
//! let b = [1.0f32, 0.0, 0.0, 1.0, 1.0, 1.0]; // 3x2
//! let mut c = [0.0f32; 4];
//! gemm(1.0, MatRef::row_major(&a, 2, 3).unwrap(), MatRef::row_major(&b, 3, 2).unwrap(), 0.0,
//!      MatMut::row_major(&mut c, 2, 2).unwrap()).unwrap();
//! assert_eq!(c, [4.0, 5.0, 10.0, 11.0]);
//! ```

mod b_in_place;
mod blocked;
mod buffers;
mod claimed_rows;
mod depth_split;
mod dispatch;
mod epilogue;
mod kernel;
#[cfg(target_arch = "aarch64")]
mod kernel_neon;
mod kernel_wide;
#[cfg(target_arch = "x86_64")]
mod kernel_x86;
mod layers;
mod mat;
mod micro_tile;
mod naive;
mod narrow;
#[cfg(target_arch = "x86_64")]
mod narrow_tile;
mod nonzeros;
mod pack;
mod pack_transpose;
mod packed;
mod parallel;
pub mod params;
mod register_tile;
mod reordered;
mod row_steps;
mod scalar;
mod simd_tile;
mod sparse_rows;
mod sparse_tile;
mod split;
mod thin;
mod tier;
mod tile;
mod vector;
mod zero_steps;

pub use blocked::gemm_blocked;
pub use epilogue::Epilogue;
pub use kernel::Kernel;
pub use layers::{Layers, layers, set_layers};
pub use mat::{MatMut, MatRef};
pub use naive::gemm_naive;
pub use params::BlockSizes;
pub use register_tile::gemm_register_tile;
pub use reordered::gemm_reordered;
pub use scalar::GemmScalar;
pub use simd_tile::gemm_simd_tile;
pub use tier::Tier;

use crate::error::{Result, TensorError};

/// Runs one named tier. Errors on mismatched dimensions or a tier this CPU cannot run.
pub fn gemm_with<T: GemmScalar>(
    tier: Tier,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) -> Result<()> {
    dispatch::dispatch(tier, alpha, a, b, beta, c, None)
}

/// The fast path: the best micro-kernel on the current rayon pool's threads (run inside
/// `pool.install(..)` to choose the count; the result is bit-identical for any count).
pub fn gemm<T: GemmScalar>(alpha: T, a: MatRef<T>, b: MatRef<T>, beta: T, c: MatMut<T>) -> Result<()> {
    gemm_with(Tier::Parallel(rayon::current_num_threads()), alpha, a, b, beta, c)
}

/// [`gemm`] followed by an [`Epilogue`] (`C <- relu(C + bias)`), fused into the tiles where the
/// path allows it; the same bits as the product followed by the separate ops. Errors also when
/// the bias does not have one value per column of C.
pub fn gemm_epilogue<T: GemmScalar>(
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epi: Epilogue<T>,
) -> Result<()> {
    gemm_with_epilogue(Tier::Parallel(rayon::current_num_threads()), alpha, a, b, beta, c, epi)
}

/// [`gemm_epilogue`] on a named tier.
pub fn gemm_with_epilogue<T: GemmScalar>(
    tier: Tier,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epi: Epilogue<T>,
) -> Result<()> {
    if let Some(bias) = epi.bias.filter(|bias| bias.len() != c.cols()) {
        return Err(TensorError::Shape {
            op: "gemm",
            shapes: vec![vec![c.rows(), c.cols()], vec![bias.len()]],
            reason: "the bias needs one value per column of C".into(),
        });
    }
    dispatch::dispatch(tier, alpha, a, b, beta, c, Some(epi))
}
