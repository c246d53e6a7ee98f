//! GEMM, `C <- alpha·A·B + beta·C`, as a ladder of tiers that all take the same BLAS-style
//! operands ([`MatRef`] / [`MatMut`]: data + rows, cols, row stride, column stride, offset):
//!
//! | tier | file | idea |
//! |---|---|---|
//! | [`gemm_naive`] | `naive.rs` | the oracle: i, j, p loops (plus the book's `naive_*_dot`) |
//! | [`gemm_reordered`] | `reordered.rs` | i, p, j: unit-stride inner loop |
//! | [`gemm_blocked`] | `blocked.rs` | cache blocks around tier 1 |
//! | [`Tier::PackedWide`] | `packed.rs`, `pack.rs`, `kernel_wide.rs` | BLIS packing + portable `wide` micro-kernel |
//! | [`Tier::PackedAvx2`] / [`Tier::PackedAvx512`] | `kernel_x86.rs` | the same loops, intrinsics micro-kernels chosen at run time |
//! | [`Tier::Parallel`] | `parallel.rs` | rayon over disjoint blocks of C, never over KC |
//! | [`gemm_epilogue`] | `epilogue.rs` | `relu(C + bias)` on each tile as it is finished (a Dense layer) |
//! | (narrow C, small products) | `narrow.rs` | A read in place, B packed per column block: no A packing |
//! | [`Kernel::run_tile`] | `tile.rs` | one micro-kernel call by itself (study, `tessera bench kernel`) |
//! | (every packed tier) | `zero_steps.rs` | skip k steps that are zero in a whole A micro-panel (same bits) |
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

mod blocked;
mod epilogue;
mod kernel_wide;
#[cfg(target_arch = "x86_64")]
mod kernel_x86;
mod mat;
mod naive;
mod narrow;
mod pack;
mod pack_transpose;
mod packed;
mod parallel;
pub mod params;
mod reordered;
mod scalar;
mod thin;
mod tile;
mod zero_steps;

pub use blocked::gemm_blocked;
pub use epilogue::Epilogue;
pub use mat::{MatMut, MatRef};
pub use naive::{gemm_naive, naive_matrix_dot, naive_matrix_vector_dot, naive_vector_dot};
pub use params::BlockSizes;
pub use reordered::gemm_reordered;
pub use scalar::GemmScalar;

use crate::error::{Result, TensorError};

/// Signature shared by every micro-kernel (see `kernel_x86.rs` for the contract).
pub(crate) type KernelFn<T> = unsafe fn(Steps, NextA, *const T, *const T, *mut T, isize, isize, T, T);

/// A stretch of the next A micro-panel that a micro-kernel call asks the hardware to bring into
/// L2 while it computes, one 64-byte line every few k steps (`packed.rs`: only for A blocks
/// larger than L2, whose panels would otherwise come from L3 at the first tile of each row).
/// A hint: the address is never dereferenced, so it may be anything.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NextA {
    /// First byte of the stretch.
    pub(crate) at: *const u8,
    /// How many 64-byte lines from `at`.
    pub(crate) lines: usize,
}

impl NextA {
    /// Nothing to prefetch.
    pub(crate) const NONE: NextA = NextA { at: std::ptr::null(), lines: 0 };
}

/// The k steps a micro-kernel sums over.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Steps<'a> {
    /// Every step `0..k` of the packed panels.
    All(usize),
    /// Only these steps, ascending: the others are all-zero in A's micro-panel (`zero_steps.rs`).
    Only(&'a [u16]),
}
/// Signature of the narrow-C kernels (`narrow.rs`): rows, k, A and its strides, packed B, C and
/// its strides, n, alpha, beta.
pub(crate) type NarrowFn<T> =
    unsafe fn(usize, usize, *const T, isize, isize, *const T, *mut T, isize, isize, usize, T, T);

/// A micro-kernel and the block sizes tuned for it.
#[derive(Clone, Copy)]
pub struct Kernel<T> {
    /// Human-readable name, e.g. `"avx512 12x32"`.
    pub name: &'static str,
    /// MR, NR and the cache blocks: private, because the packing and edge code trusts them
    /// (checked at compile time by [`BlockSizes::checked`]); read them with [`Kernel::blocks`].
    pub(crate) blocks: BlockSizes,
    pub(crate) run: KernelFn<T>,
    /// The MR×NR tile `run` computes: fixed with it, whatever a caller does to `blocks`.
    pub(crate) tile: (usize, usize),
    /// Exact-size kernels for edge tiles (`rows × cols` smaller than MR × NR), where they exist.
    pub(crate) edge: fn(usize, usize) -> Option<KernelFn<T>>,
}

impl<T> Kernel<T> {
    /// MR, NR and the cache blocks this kernel runs with.
    pub fn blocks(&self) -> BlockSizes {
        self.blocks
    }

    /// The kernel with its block sizes for a whole `m × n` product: KC deepens to `kc_large_c`
    /// when C is larger than L2. Chosen once per product, before any split between threads, so
    /// every part (and so every result bit) is the same for any thread count.
    pub(crate) fn sized_for(&self, m: usize, n: usize) -> Kernel<T> {
        let c_bytes = m.saturating_mul(n).saturating_mul(std::mem::size_of::<T>());
        let kc = if c_bytes > params::L2_BYTES { self.blocks.kc_large_c } else { self.blocks.kc };
        Kernel { blocks: BlockSizes { kc, ..self.blocks }, ..*self }
    }
}

/// No exact-size edge kernels: every edge tile goes through scratch and a merge.
fn no_edge_kernels<T>(_rows: usize, _cols: usize) -> Option<KernelFn<T>> {
    None
}

impl<T> std::fmt::Debug for Kernel<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kernel({}, {:?})", self.name, self.blocks)
    }
}

/// The tiers, by name, for study and benchmarking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// [`gemm_naive`].
    Naive,
    /// [`gemm_reordered`].
    Reordered,
    /// [`gemm_blocked`].
    Blocked,
    /// Packed, portable `wide` micro-kernel, one thread.
    PackedWide,
    /// Packed, AVX2+FMA micro-kernel, one thread (error if the CPU lacks it).
    PackedAvx2,
    /// Packed, AVX-512F micro-kernel, one thread (error if the CPU lacks it).
    PackedAvx512,
    /// Packed with the best micro-kernel, one thread.
    Packed,
    /// Packed with the best micro-kernel on up to this many threads of the current rayon pool.
    Parallel(usize),
}

impl Tier {
    /// Short name for tables.
    pub fn name(&self) -> String {
        match self {
            Tier::Naive => "naive".into(),
            Tier::Reordered => "reordered".into(),
            Tier::Blocked => "blocked".into(),
            Tier::PackedWide => "packed-wide".into(),
            Tier::PackedAvx2 => "packed-avx2".into(),
            Tier::PackedAvx512 => "packed-avx512".into(),
            Tier::Packed => "packed".into(),
            Tier::Parallel(t) => format!("parallel-{t}t"),
        }
    }
}

/// Checks `A: m×k`, `B: k×n`, `C: m×n`, naming all three shapes on failure.
pub(crate) fn check_dims<T: Copy>(
    op: &'static str,
    a: &MatRef<T>,
    b: &MatRef<T>,
    c: &MatMut<T>,
) -> Result<()> {
    if a.cols() != b.rows() || c.rows() != a.rows() || c.cols() != b.cols() {
        return Err(TensorError::Shape {
            op,
            shapes: vec![vec![a.rows(), a.cols()], vec![b.rows(), b.cols()], vec![c.rows(), c.cols()]],
            reason: "need A (m, k), B (k, n), C (m, n)".into(),
        });
    }
    Ok(())
}

/// C <- beta·C, writing zeros (not reading C) when `beta == 0`.
pub(crate) fn scale_c<T: GemmScalar>(c: &mut MatMut<T>, beta: T) {
    if beta == T::one() {
        return;
    }
    for i in 0..c.rows() {
        for j in 0..c.cols() {
            let p = c.ptr_mut(i, j);
            // SAFETY: i < rows, j < cols, so p is an element of C; written through the pointer
            // (C may be uninitialised when beta = 0), read only when beta != 0.
            unsafe { p.write(if beta == T::zero() { T::zero() } else { beta * p.read() }) };
        }
    }
}

/// True when computing C^T = B^T·A^T wastes clearly less of the MR×NR tiles on zero padding:
/// a narrow C (n = 10 against NR = 32) fills only a third of each tile, its transpose nearly all.
fn prefers_transposed(bs: &BlockSizes, m: usize, n: usize) -> bool {
    let padded = |rows: usize, cols: usize| rows.next_multiple_of(bs.mr) * cols.next_multiple_of(bs.nr);
    4 * padded(n, m) < 3 * padded(m, n)
}

/// Runs one named tier. Errors on mismatched dimensions or a tier this CPU cannot run.
pub fn gemm_with<T: GemmScalar>(
    tier: Tier,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) -> Result<()> {
    dispatch(tier, alpha, a, b, beta, c, None)
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
    dispatch(tier, alpha, a, b, beta, c, Some(epi))
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

/// Whether the tier packs its operands (and so has the thin/narrow paths and whole tiles).
fn packs(tier: Tier) -> bool {
    !matches!(tier, Tier::Naive | Tier::Reordered | Tier::Blocked)
}

fn route<T: GemmScalar>(tier: Tier, m: usize, k: usize, n: usize) -> Route {
    let packed_tier = packs(tier);
    let best = matches!(tier, Tier::Packed | Tier::Parallel(_));
    if packed_tier && n == 1 {
        Route::Gemv
    } else if packed_tier && m == 1 {
        Route::RowAsColumn
    } else if best && narrow::applies::<T>(m, k, n) {
        Route::Narrow
    } else if best && narrow::applies::<T>(n, k, m) {
        Route::NarrowTransposed
    } else if best && narrow::small_applies::<T>(m, k, n) {
        Route::Small
    } else if packed_tier && prefers_transposed(&T::kernel_best().blocks, m, n) {
        Route::Transposed
    } else {
        Route::Tier
    }
}

fn dispatch<T: GemmScalar>(
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
    let in_tiles = route == Route::Tier && packs(tier);
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
                Tier::PackedWide => T::kernel_wide(),
                Tier::PackedAvx2 => T::kernel_avx2().ok_or_else(|| unsupported("AVX2+FMA"))?,
                Tier::PackedAvx512 => T::kernel_avx512().ok_or_else(|| unsupported("AVX-512F"))?,
                Tier::Packed | Tier::Parallel(_) => T::kernel_best(),
            }
            .sized_for(m, n);
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
