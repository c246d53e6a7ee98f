//! The x86-64 micro-kernels: the one generic tile (`micro_tile.rs`) on AVX-512F and AVX2+FMA
//! vectors (`simd/x86.rs`), chosen at run time (`crate::simd::isa`).
//!
//! Each ISA has two entry functions, the only places its `#[target_feature]` is written: the
//! plain BLIS call and the layered one (`kernel.rs`), generated for both ISAs by
//! `isa_entries!` from the feature string alone. [`Isa`] names the pair, so that the edge tiles
//! and the [`Kernel`] value are built the same way for both ISAs.

use super::kernel::{Kernel, NarrowFn, NextA, SparseBlock, SparseKernel, Steps, TileFns};
use super::micro_tile::micro_tile;
use super::narrow_tile::narrow_rows;
use super::params::{self, BlockSizes};
use crate::simd::vector::{MaskedVector, Vector};
use num_traits::Float;
use std::arch::x86_64::{__m256, __m256d, __m512, __m512d};

/// An instruction set's entries, for any tile (`R` of `MR` rows, `NV` of `NVF` vectors).
trait Isa {
    fn tile<T: Float, V: Vector<T>, const MR: usize, const NVF: usize, const R: usize, const NV: usize>()
    -> TileFns<T>;
    /// The sparse-rows kernel (`sparse_tile.rs`), `NV` vectors of columns at a time.
    fn sparse<T: Float, V: Vector<T>, const NV: usize>() -> SparseKernel<T>;
}

/// AVX-512F: 32 zmm registers of 512 bits.
struct Avx512;
/// AVX2 with FMA: 16 ymm registers of 256 bits.
struct Avx2;

/// An ISA's two entries, for any tile: the only place its `#[target_feature]` is written. Inside
/// them the generic body's vector operations compile to single instructions.
macro_rules! isa_entries {
    ($isa:ident, features: $features:literal) => {
        impl Isa for $isa {
            fn tile<
                T: Float,
                V: Vector<T>,
                const MR: usize,
                const NVF: usize,
                const R: usize,
                const NV: usize,
            >() -> TileFns<T> {
                /// # Safety
                /// [`KernelFn`](super::kernel::KernelFn), on a CPU with this ISA.
                #[target_feature(enable = $features)]
                #[allow(clippy::too_many_arguments)]
                unsafe fn plain<
                    T: Float,
                    V: Vector<T>,
                    const MR: usize,
                    const NVF: usize,
                    const R: usize,
                    const NV: usize,
                >(
                    k: usize,
                    a: *const T,
                    b: *const T,
                    c: *mut T,
                    rsc: isize,
                    csc: isize,
                    alpha: T,
                    beta: T,
                ) {
                    let (steps, rsb) = (Steps::All(k), (NVF * V::LANES) as isize);
                    // SAFETY: the caller's contract (a packed B panel: rows NR apart); this
                    // function's features are V's ISA.
                    unsafe {
                        micro_tile::<T, V, MR, NVF, R, NV>(
                            steps,
                            NextA::NONE,
                            a,
                            b,
                            rsb,
                            c,
                            rsc,
                            csc,
                            alpha,
                            beta,
                        )
                    }
                }
                /// # Safety
                /// [`LayeredFn`](super::kernel::LayeredFn), on a CPU with this ISA.
                #[target_feature(enable = $features)]
                #[allow(clippy::too_many_arguments)]
                unsafe fn layered<
                    T: Float,
                    V: Vector<T>,
                    const MR: usize,
                    const NVF: usize,
                    const R: usize,
                    const NV: usize,
                >(
                    steps: Steps,
                    next_a: NextA,
                    a: *const T,
                    b: *const T,
                    rsb: isize,
                    c: *mut T,
                    rsc: isize,
                    csc: isize,
                    alpha: T,
                    beta: T,
                ) {
                    // SAFETY: the caller's contract; this function's features are V's ISA.
                    unsafe {
                        micro_tile::<T, V, MR, NVF, R, NV>(steps, next_a, a, b, rsb, c, rsc, csc, alpha, beta)
                    }
                }
                TileFns {
                    plain: plain::<T, V, MR, NVF, R, NV>,
                    layered: layered::<T, V, MR, NVF, R, NV>,
                    nr: NVF * V::LANES,
                }
            }
            fn sparse<T: Float, V: Vector<T>, const NV: usize>() -> SparseKernel<T> {
                /// # Safety
                /// [`SparseFn`](super::kernel::SparseFn), on a CPU with this ISA.
                #[target_feature(enable = $features)]
                unsafe fn run<T: Float, V: Vector<T>, const NV: usize>(
                    block: SparseBlock<'_, T>,
                    b: (*const T, isize),
                    n: usize,
                    c: *mut T,
                    cs: (isize, isize),
                    alpha: T,
                    beta: T,
                ) {
                    // SAFETY: the caller's contract; this function's features are V's ISA.
                    unsafe { super::sparse_tile::rows_times_b::<T, V, NV>(block, b, n, c, cs, alpha, beta) }
                }
                SparseKernel { run: run::<T, V, NV>, width: NV * V::LANES }
            }
        }
    };
}

isa_entries!(Avx512, features: "avx512f");
isa_entries!(Avx2, features: "avx2,fma");

/// The exact-size edge tiles an ISA's kernel has: 8 or 4 rows of a 12-row tile, and one vector
/// of columns of a two-vector tile (e.g. the last 8 rows of m = 128 = 10·12 + 8).
fn edges<I: Isa, T: Float, V: Vector<T>, const MR: usize, const NVF: usize>(
    rows: usize,
    cols: usize,
) -> Option<TileFns<T>> {
    let (lanes, nr) = (V::LANES, NVF * V::LANES);
    Some(match (rows, cols) {
        (8, c) if c == nr && MR > 8 => I::tile::<T, V, MR, NVF, 8, NVF>(),
        (4, c) if c == nr && MR > 4 => I::tile::<T, V, MR, NVF, 4, NVF>(),
        (r, c) if r == MR && NVF == 2 && c == lanes => I::tile::<T, V, MR, NVF, MR, 1>(),
        (8, c) if MR > 8 && NVF == 2 && c == lanes => I::tile::<T, V, MR, NVF, 8, 1>(),
        (4, c) if MR > 4 && NVF == 2 && c == lanes => I::tile::<T, V, MR, NVF, 4, 1>(),
        _ => return None,
    })
}

/// The [`Kernel`] for an MR × NVF-vector tile of `I` on `V`, with its block sizes.
fn kernel<I: Isa, T: Float, V: Vector<T>, const MR: usize, const NVF: usize>(
    name: &'static str,
    blocks: BlockSizes,
) -> Kernel<T> {
    // The packing and edge code trust the block sizes to describe this tile.
    assert!(blocks.mr == MR && blocks.nr == NVF * V::LANES, "{name}: block sizes for another tile");
    Kernel {
        name,
        blocks,
        full: I::tile::<T, V, MR, NVF, MR, NVF>(),
        tile: (MR, NVF * V::LANES),
        edge: edges::<I, T, V, MR, NVF>,
        sparse: I::sparse::<T, V, SPARSE_NV>(),
    }
}

/// Vectors of columns per pass of the sparse-rows kernel: accumulators that leave registers
/// for B's loads and the broadcast value on both ISAs (16 ymm, 32 zmm).
const SPARSE_NV: usize = 8;

fn has_avx2() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

fn has_avx512() -> bool {
    is_x86_feature_detected!("avx512f")
}

/// f32 on AVX-512F: 12×32 (24 zmm accumulators), if this CPU has it.
pub(crate) fn sgemm_avx512() -> Option<Kernel<f32>> {
    has_avx512().then(|| kernel::<Avx512, f32, __m512, 12, 2>("avx512f 12x32", params::F32_AVX512))
}

/// f32 on AVX2+FMA: 6×16 (12 ymm accumulators), if this CPU has them.
pub(crate) fn sgemm_avx2() -> Option<Kernel<f32>> {
    has_avx2().then(|| kernel::<Avx2, f32, __m256, 6, 2>("avx2+fma 6x16", params::F32_AVX2))
}

/// f64 on AVX-512F: 12×16, if this CPU has it.
pub(crate) fn dgemm_avx512() -> Option<Kernel<f64>> {
    has_avx512().then(|| kernel::<Avx512, f64, __m512d, 12, 2>("avx512f 12x16", params::F64_AVX512))
}

/// f64 on AVX2+FMA: 6×8, if this CPU has them.
pub(crate) fn dgemm_avx2() -> Option<Kernel<f64>> {
    has_avx2().then(|| kernel::<Avx2, f64, __m256d, 6, 2>("avx2+fma 6x8", params::F64_AVX2))
}

/// The narrow-product kernel (`narrow.rs`) on AVX-512F's masked vectors.
///
/// # Safety
/// [`NarrowFn`], on a CPU with AVX-512F.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn narrow_avx512<T: Float, V: MaskedVector<T>>(
    rows: usize,
    k: usize,
    a: *const T,
    rsa: isize,
    csa: isize,
    b: *const T,
    c: *mut T,
    rsc: isize,
    csc: isize,
    n: usize,
    alpha: T,
    beta: T,
) {
    // SAFETY: the caller's contract; this function's feature is V's ISA.
    unsafe { narrow_rows::<T, V>(rows, k, a, rsa, csa, b, c, rsc, csc, n, alpha, beta) }
}

/// The f32 narrow kernel, if this process runs the AVX-512 tier (it needs the masks).
pub(crate) fn sgemm_narrow() -> Option<NarrowFn<f32>> {
    (crate::simd::isa() == crate::simd::Isa::Avx512).then_some(narrow_avx512::<f32, __m512> as NarrowFn<f32>)
}

/// The f64 narrow kernel, if this process runs the AVX-512 tier.
pub(crate) fn dgemm_narrow() -> Option<NarrowFn<f64>> {
    (crate::simd::isa() == crate::simd::Isa::Avx512).then_some(narrow_avx512::<f64, __m512d> as NarrowFn<f64>)
}
