//! The parallel tier's split by depth, for a short, wide product of two KC slices (a Dense
//! layer's forward product: x (128×784) · W (784×512) is two slices of 392).
//!
//! ```text
//!   C  =  A[:, ..kc]·B[..kc, :]   +   A[:, kc..]·B[kc.., :]
//!         first half of the threads   second half, into a scratch C
//!         (C itself)                  then one pass: C <- C + scratch (and the epilogue)
//! ```
//!
//! Why: split by columns, each thread packs a column block of B, a 1-2 KiB run of every row of
//! it. When B was just rewritten by rows (an optimizer updating W as two halves of rows, one per
//! core), half of every thread's runs sit modified in the other core's cache. Split by depth,
//! each thread reads whole rows of B, the half its own core wrote.
//!
//! Why the bits do not change: the serial loops compute each element of C as the first slice's
//! sum, then `C + second slice's sum` (the kernel adds with `beta = 1`): one rounding of the same
//! two values as the pass here. Each slice's tiles are the serial ones (same grid, same order of
//! k steps), and the epilogue runs after the sum, as it runs after the last slice.

use super::epilogue::Epilogue;
use super::kernel::Kernel;
use super::mat::{MatMut, MatRef};
use super::scalar::GemmScalar;
use super::split::{cut, split_c};
use crate::runtime::fork::run_parts;

/// The parallel tier itself (`parallel.rs`), run on each slice: a parameter, so that this file
/// and the one that calls it do not import each other.
pub(crate) type PartFn<T> =
    for<'a> fn(&Kernel<T>, usize, T, MatRef<'a, T>, MatRef<'a, T>, T, MatMut<'a, T>, Option<Epilogue<'a, T>>);

/// Whether `packed_parallel` should split this product by depth: a layer switch, at least two
/// threads, exactly two KC slices, a C that would otherwise split by columns (`by_columns`)
/// within one MC block, and `beta = 0` (C is written, not accumulated into; with `alpha = 0`
/// there is no product to split).
pub(crate) fn applies<T: GemmScalar>(
    kernel: &Kernel<T>,
    threads: usize,
    (m, k): (usize, usize),
    by_columns: bool,
    alpha: T,
    beta: T,
) -> bool {
    let kc = kernel.blocks.kc;
    super::layers::layers().depth_split
        && threads >= 2
        && by_columns
        && m <= kernel.blocks.mc
        && k > kc
        && k <= 2 * kc
        && alpha != T::zero()
        && beta == T::zero()
}

/// `C <- alpha·A·B` (then `epi`) as two products of one KC slice each (`part`, the parallel
/// tier), on the two halves of `threads`, and their sum. The caller checked [`applies`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn run<T: GemmScalar>(
    kernel: &Kernel<T>,
    threads: usize,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    mut c: MatMut<T>,
    epi: Option<Epilogue<T>>,
    part: PartFn<T>,
) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let kc = kernel.blocks.kc;
    let mut scratch = super::buffers::Buffer::<T>::take(m * n);
    // SAFETY: `scratch` holds m·n elements, borrowed by this view alone until the product below
    // returns; the product has beta = 0, so it writes every element and reads none.
    let second = unsafe { MatMut::uninit_row_major(scratch.as_mut_ptr() as *mut T, m, n) };
    let (first_threads, second_threads) = (threads / 2, threads - threads / 2);
    let zero = T::zero();
    // The calling thread takes the first slice: in a training loop, the rows of B that its own
    // core updated (the optimizer's first half, `tessera-nn`).
    let slice = |threads, from: usize, depth: usize, c| {
        part(kernel, threads, alpha, a.sub(0, from, m, depth), b.sub(from, 0, depth, n), zero, c, None)
    };
    let slices = [(first_threads, 0, kc, c.reborrow()), (second_threads, kc, k - kc, second)];
    run_parts(slices.map(|(threads, from, depth, c)| move || slice(threads, from, depth, c)));
    // SAFETY: the product above wrote all m·n elements (beta = 0, alpha != 0, k - kc > 0).
    let second = unsafe { super::pack::assume_init(&scratch) };
    let row_cuts = cut(m, threads, 1);
    run_parts(
        split_c(c, true, &row_cuts)
            .into_iter()
            .map(|(start, rows)| move || add_rows(rows, &second[start * n..], epi)),
    );
    if super::layers::layers().linger {
        crate::runtime::warm::linger();
    }
}

/// `C <- C + S` for the rows of `c` (S row-major, `c.cols()` wide, from the same first row),
/// then the epilogue on them.
fn add_rows<T: GemmScalar>(mut c: MatMut<T>, s: &[T], epi: Option<Epilogue<T>>) {
    let _span = crate::runtime::trace::span("depth sum");
    let n = c.cols();
    crate::simd::vectorized(|| {
        for (i, s_row) in s.chunks_exact(n).take(c.rows()).enumerate() {
            if c.cs() == 1 {
                // SAFETY: row i, columns 0 .. n of the checked view, unit stride, borrowed
                // exclusively through `c`.
                let row = unsafe { std::slice::from_raw_parts_mut(c.ptr_mut(i, 0), n) };
                row.iter_mut().zip(s_row).for_each(|(x, &y)| *x = *x + y);
            } else {
                for (j, &y) in s_row.iter().enumerate() {
                    // SAFETY: (i, j) is inside C: i < c.rows(), j < n.
                    let x = unsafe { c.get_unchecked_mut(i, j) };
                    *x = *x + y;
                }
            }
        }
    });
    if let Some(e) = epi {
        e.apply(&mut c);
    }
}
