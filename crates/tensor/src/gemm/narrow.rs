//! Narrow C: at most 16 columns (one zmm vector of f32, two of f64), like the 512 → 10 layer's
//! `h·W2` and `hᵀ·dz`. The packed path would copy the whole large operand A into panels
//! (for 128×512·512×10, 65,536 values copied for 655,360 multiply-adds: packing cost more than
//! the arithmetic) and fill each 12×32 tile a third. Here A is not packed: each tile of rows
//! broadcasts its elements straight from A (row-major or column-major alike), and only B
//! (k × n, tiny) is packed once, zero-padded to whole vectors per k step, where it stays in L1.
//!
//! ```text
//!  per k step p, for a tile of R rows:   b = B[p, 0..16]            (one vector load; f64: two)
//!                                        acc[i] += A[i, p] * b      (R broadcasts, R FMAs; f64: 2R)
//! ```
//!
//! R = 12 rows per tile (12 accumulators, enough independent FMAs to cover their latency), then
//! tiles of 4 and 1 for the leftover rows.
//!
//! Small products (up to 2²³ multiply-adds in one KC slice: 64³ to ~200³) run the same way on
//! column blocks of two vectors ([`small_serial`]): at that size packing A, and the buffers and
//! zero-step scan that come with it, cost more than reading A in place. Each row of C is one accumulator summed over the whole
//! of k in order, so the result depends only on the shape, never on the row split between threads.

use super::mat::{MatMut, MatRef, scale_c};
use super::params::{SMALL_MAX_FLOPS, SMALL_MIN_DEPTH};
use super::scalar::GemmScalar;

/// Columns of C this path handles at most: one f32 vector, two f64 ones (so that f64 at n = 10
/// does not take the packed path, whose 12×16 tiles would all be edges).
pub(crate) const MAX_COLS: usize = 16;

/// Lanes of one zmm vector of `T`: B is packed in whole vectors per k step.
fn lanes<T>() -> usize {
    64 / std::mem::size_of::<T>()
}

/// True when `C (m × n) = A (m × k) · B (k × n)` should take this path on this CPU.
pub(crate) fn applies<T: GemmScalar>(m: usize, k: usize, n: usize) -> bool {
    T::narrow_kernel().is_some() && (2..=MAX_COLS).contains(&n) && m >= 2 * n && k >= 16
}

/// Runs the narrow product on one thread (rows of C may be split between threads by the caller:
/// each row's result is the same either way).
pub(crate) fn narrow_serial<T: GemmScalar>(alpha: T, a: MatRef<T>, b: MatRef<T>, beta: T, mut c: MatMut<T>) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let _span = crate::runtime::trace::span_with("gemm narrow", [m, k, n]);
    if m == 0 || alpha == T::zero() {
        scale_c(&mut c, beta);
        return;
    }
    let kernel = T::narrow_kernel().expect("narrow path chosen only when the CPU has a kernel");
    let w = n.next_multiple_of(lanes::<T>());
    let mut bpack = super::buffers::Buffer::<T>::take(k * w);
    super::pack::pack_b_panel(&b, w, 0, &mut bpack);
    // SAFETY: pack_b_panel wrote all k·w slots (values, then zero padding).
    let bpack = unsafe { super::pack::assume_init(&bpack) };
    let mut i = 0;
    for r in [12, 4, 1] {
        while m - i >= r {
            // SAFETY: rows i..i+r of A (k columns) and of C (n columns) are in range; bpack holds
            // k·w packed values; C's tile is written by this call alone.
            unsafe {
                kernel(
                    r,
                    k,
                    a.ptr(i, 0),
                    a.rs(),
                    a.cs(),
                    bpack.as_ptr(),
                    c.ptr_mut(i, 0),
                    c.rs(),
                    c.cs(),
                    n,
                    alpha,
                    beta,
                )
            };
            i += r;
        }
    }
}

/// A one-thread product over rows of C that reads A in place: [`narrow_serial`], [`small_serial`].
pub(crate) type RowsFn<T> = fn(T, MatRef<T>, MatRef<T>, T, MatMut<T>);

/// `serial` (the narrow or the small product) with C's rows cut into `threads` blocks of whole
/// 12-row tiles, from `min_flops` multiply-adds.
#[allow(clippy::too_many_arguments)]
pub(crate) fn rows_parallel<T: GemmScalar>(
    serial: RowsFn<T>,
    min_flops: usize,
    threads: usize,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let min =
        crate::runtime::fork::min_work(min_flops, min_flops.max(super::params::PARALLEL_MIN_FLOPS_OUTSIDE));
    if threads < 2 || m.saturating_mul(k).saturating_mul(n) < min {
        return serial(alpha, a, b, beta, c);
    }
    let parts = super::split::split_c(c, true, &super::split::cut(m, threads, 12));
    crate::runtime::fork::run_parts(parts.into_iter().map(|(start, cpart)| {
        let ap = a.sub(start, 0, cpart.rows(), k);
        move || serial(alpha, ap, b, beta, cpart)
    }));
}

/// True when `C (m × n) = A (m × k) · B (k × n)` is small enough to skip packing altogether
/// ([`small_serial`]): at most [`SMALL_MAX_FLOPS`] multiply-adds in one KC slice (so that the sums
/// run as in the packed kernel, and the bits are the same), at least [`SMALL_MIN_DEPTH`] deep.
pub(crate) fn small_applies<T: GemmScalar>(m: usize, k: usize, n: usize) -> bool {
    T::narrow_kernel().is_some()
        && m >= 2
        && n >= 2
        && (SMALL_MIN_DEPTH..=T::kernel_best().blocks.kc).contains(&k)
        && m.saturating_mul(k).saturating_mul(n) <= SMALL_MAX_FLOPS
}

/// A small product as narrow products on column blocks of two vectors (32 f32 or 16 f64
/// columns: 12×2 accumulators per tile, as in the packed kernel): no A packing, B packed a block
/// at a time. At 64³ the packing, its buffers and the zero-step scan were a quarter of the time.
pub(crate) fn small_serial<T: GemmScalar>(alpha: T, a: MatRef<T>, b: MatRef<T>, beta: T, c: MatMut<T>) {
    let (k, n, w) = (a.cols(), b.cols(), 2 * lanes::<T>());
    let (mut rest, mut j0) = (c, 0);
    while j0 < n {
        let cols = w.min(n - j0);
        let (block, tail) = rest.split_cols(cols);
        narrow_serial(alpha, a, b.sub(0, j0, k, cols), beta, block);
        (rest, j0) = (tail, j0 + cols);
    }
}
