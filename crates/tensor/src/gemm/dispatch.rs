//! Which code computes a product. A named [`Tier`] runs as named (the packed tiers always pack);
//! the production tier, [`Tier::Parallel`], also takes the special routes of the switchable
//! layers (`layers.rs`): gemv, narrow C and small products without packing A, and the fused
//! epilogue in the tiles.

use super::blocked::gemm_blocked;
use super::epilogue::Epilogue;
use super::layers::layers;
use super::mat::{MatMut, MatRef, check_dims};
use super::naive::gemm_naive;
use super::params::BlockSizes;
use super::register_tile::gemm_register_tile;
use super::reordered::gemm_reordered;
use super::scalar::GemmScalar;
use super::simd_tile::gemm_simd_tile;
use super::tier::Tier;
use super::{narrow, packed, parallel, params, thin};
use crate::error::{Result, TensorError};

/// True when computing C^T = B^T·A^T wastes clearly less of the MR×NR tiles on zero padding:
/// a narrow C (n = 10 against NR = 32) fills only a third of each tile, its transpose nearly all.
fn prefers_transposed(bs: &BlockSizes, m: usize, n: usize) -> bool {
    let padded = |rows: usize, cols: usize| rows.next_multiple_of(bs.mr) * cols.next_multiple_of(bs.nr);
    4 * padded(n, m) < 3 * padded(m, n)
}

/// Which code computes a product: the thin and narrow special cases, the transposed product
/// (`Cᵀ = Bᵀ·Aᵀ`), or the tier itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// n = 1: a matrix-vector product.
    Gemv,
    /// m = 1: the same gemv through transposed views.
    RowAsColumn,
    /// n at most one vector (`narrow.rs`).
    Narrow,
    /// m at most one vector: narrow, transposed.
    NarrowTransposed,
    /// A small product: narrow products on column blocks, nothing packed but B.
    Small,
    /// Less zero padding the other way round (see [`prefers_transposed`]).
    Transposed,
    /// The tier as named.
    Tier,
}

/// Whether the tier packs its operands (and so computes C in whole tiles).
fn packs(tier: Tier) -> bool {
    !matches!(tier, Tier::Naive | Tier::Reordered | Tier::Blocked | Tier::RegisterTile | Tier::SimdTile)
}

fn route<T: GemmScalar>(tier: Tier, m: usize, k: usize, n: usize) -> Route {
    let packed_tier = packs(tier);
    // The production tier takes the routes that do not pack A; the ladder's tiers run as named.
    // A matrix-vector product always takes gemv there: it sums in its own order (so it is not a
    // switchable layer, whose results must keep their bits).
    let production = matches!(tier, Tier::Parallel(_));
    let special = production && layers().small_paths;
    if production && n == 1 {
        Route::Gemv
    } else if production && m == 1 {
        Route::RowAsColumn
    } else if special && narrow::applies::<T>(m, k, n) {
        Route::Narrow
    } else if special && narrow::applies::<T>(n, k, m) {
        Route::NarrowTransposed
    } else if special && narrow::small_applies::<T>(m, k, n) {
        Route::Small
    } else if packed_tier && prefers_transposed(&T::kernel_best().blocks, m, n) {
        Route::Transposed
    } else {
        Route::Tier
    }
}

pub(super) fn dispatch<T: GemmScalar>(
    tier: Tier,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
    epi: Option<Epilogue<T>>,
) -> Result<()> {
    check_dims("gemm", &a, &b, &c)?;
    let unsupported = |what: &str| TensorError::Invalid {
        op: "gemm",
        shape: vec![a.rows(), a.cols(), b.cols()],
        reason: format!("this CPU has no {what}"),
    };
    let (m, n) = (a.rows(), b.cols());
    let route = route::<T>(tier, m, a.cols(), n);
    let in_tiles = route == Route::Tier && packs(tier) && layers().fused_epilogue;
    if let Some(e) = epi.filter(|_| !in_tiles) {
        // No tiles to finish one by one here: the product, then one pass over C.
        dispatch(tier, alpha, a, b, beta, c.reborrow(), None)?;
        e.apply(&mut c);
        return Ok(());
    }
    match route {
        Route::Gemv => thin::gemv_column(alpha, a, b, beta, c),
        Route::Small | Route::Narrow => {
            // Both read A in place; rows of C split between threads cannot change a bit.
            let (serial, min_flops): (narrow::RowsFn<T>, usize) = match route {
                Route::Small => (narrow::small_serial, params::PARALLEL_MIN_FLOPS),
                _ => (narrow::narrow_serial, params::NARROW_PARALLEL_MIN_FLOPS),
            };
            match tier {
                Tier::Parallel(threads) => {
                    narrow::rows_parallel(serial, min_flops, threads, alpha, a, b, beta, c)
                }
                _ => serial(alpha, a, b, beta, c),
            }
        }
        // A single row of C is a single column of Cᵀ; a narrow or padding-heavy C is better
        // computed as Cᵀ = Bᵀ·Aᵀ: the same numbers, through transposed views.
        Route::RowAsColumn | Route::NarrowTransposed | Route::Transposed => {
            return dispatch(tier, alpha, b.t(), a.t(), beta, c.t(), None);
        }
        Route::Tier => {
            let kernel = match tier {
                Tier::Naive => return gemm_naive(alpha, a, b, beta, c),
                Tier::Reordered => return gemm_reordered(alpha, a, b, beta, c),
                Tier::Blocked => return gemm_blocked(alpha, a, b, beta, c),
                Tier::RegisterTile => return gemm_register_tile(alpha, a, b, beta, c),
                Tier::SimdTile => return gemm_simd_tile(alpha, a, b, beta, c),
                Tier::PackedWide => T::kernel_wide(),
                Tier::PackedAvx2 => T::kernel_avx2().ok_or_else(|| unsupported("AVX2+FMA"))?,
                Tier::PackedAvx512 => T::kernel_avx512().ok_or_else(|| unsupported("AVX-512F"))?,
                Tier::PackedNeon => T::kernel_neon().ok_or_else(|| unsupported("NEON (aarch64)"))?,
                Tier::Packed | Tier::Parallel(_) => T::kernel_best(),
            }
            .sized_for(m, a.cols(), n);
            match tier {
                Tier::Parallel(threads) => {
                    parallel::packed_parallel(&kernel, threads, alpha, a, b, beta, c, epi)
                }
                _ => packed::packed_serial(&kernel, alpha, a, b, beta, c, epi),
            }
        }
    }
    Ok(())
}
