//! Ladder step 7, parallel: C is cut into `threads` disjoint blocks of whole micro-tiles (rows in
//! multiples of MR when m is the larger side, else columns in multiples of NR), and each block runs
//! the serial five loops on its own thread with its own packing buffers. One exception: in a
//! column split every block needs all of A, so when A is a single MC block the threads first pack
//! it together (a share of its panels each) and then all read that one copy.
//!
//! What changed: several cores. Why it is safe: the blocks of C are disjoint, and the KC loop
//! (which accumulates into C) is never split. Why results do not depend on the thread count:
//! every C element sees the same KC slices in the same order, and because block edges fall on tile
//! boundaries, the same tile shape (full or masked edge) — so the same instructions, bit for bit.
//! What to look for: near 2× on two cores for large sizes; below `PARALLEL_MIN_FLOPS` it runs on
//! one thread, because splitting costs more than it gains.

use super::epilogue::Epilogue;
use super::kernel::Kernel;
use super::mat::{MatMut, MatRef};
use super::pack::pack_a;
use super::packed::{packed_serial, packed_with, prepack_a_jobs, prepack_zero_steps, prepacked_a_len};
use super::params::PARALLEL_MIN_FLOPS;
use super::scalar::GemmScalar;

/// Whether a product of `m·n·k` multiply-adds is worth running on `threads` threads.
pub(crate) fn worth_splitting(threads: usize, m: usize, k: usize, n: usize) -> bool {
    threads > 1 && m.saturating_mul(n).saturating_mul(k) >= PARALLEL_MIN_FLOPS
}

/// Whether C is cut by rows (m is the larger side in tiles) rather than by columns.
fn by_rows<T>(kernel: &Kernel<T>, m: usize, n: usize) -> bool {
    m.div_ceil(kernel.blocks.mr) >= n.div_ceil(kernel.blocks.nr)
}

/// Splits `len` into at most `parts` chunks whose boundaries are multiples of `unit`.
pub(crate) fn cut(len: usize, parts: usize, unit: usize) -> Vec<usize> {
    let units = len.div_ceil(unit);
    let parts = parts.min(units).max(1);
    (1..parts).map(|p| (units * p / parts) * unit).collect()
}

/// Cuts C at `cuts` (rows or columns): the disjoint blocks, each with its first row or column.
pub(crate) fn split_c<'a, T: Copy>(
    c: MatMut<'a, T>,
    by_rows: bool,
    cuts: &[usize],
) -> Vec<(usize, MatMut<'a, T>)> {
    let mut blocks = Vec::with_capacity(cuts.len() + 1);
    let (mut rest, mut start) = (c, 0);
    for &at in cuts {
        let (head, tail) = if by_rows { rest.split_rows(at - start) } else { rest.split_cols(at - start) };
        blocks.push((start, head));
        rest = tail;
        start = at;
    }
    blocks.push((start, rest));
    blocks
}

/// Runs the packed GEMM (and the epilogue, per tile) on up to `threads` rayon tasks of the
/// current pool.
#[allow(clippy::too_many_arguments)]
pub(crate) fn packed_parallel<T: GemmScalar>(
    kernel: &Kernel<T>,
    threads: usize,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epi: Option<Epilogue<T>>,
) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    if !worth_splitting(threads, m, k, n) {
        return packed_serial(kernel, alpha, a, b, beta, c, epi);
    }
    // A column block of C carries its part of the bias.
    let epi_at = |start: usize| if by_rows(kernel, m, n) { epi } else { epi.map(|e| e.for_cols_from(start)) };
    let by_rows = by_rows(kernel, m, n);
    let cuts = if by_rows { cut(m, threads, kernel.blocks.mr) } else { cut(n, threads, kernel.blocks.nr) };
    let tasks = split_c(c, by_rows, &cuts);
    let mr = kernel.blocks.mr;
    let layers = super::layers::layers();
    if !by_rows && m <= kernel.blocks.mc && layers.shared_a {
        // Column split: every part needs all of A. Pack it once, each thread a share of its
        // panels, and share it (the MNIST forward 128×784·784×512 packed all of A twice).
        let mut apack = Box::<[T]>::new_uninit_slice(prepacked_a_len(mr, m, k));
        let mut zeros = prepack_zero_steps(kernel, m, k);
        let row_cuts = cut(m, tasks.len(), mr);
        let parts = row_cuts.len() + 1;
        let mut jobs: Vec<Vec<_>> = (0..parts).map(|_| Vec::new()).collect();
        for (j, job) in prepack_a_jobs(kernel, a, &row_cuts, &mut apack, &mut zeros).into_iter().enumerate() {
            jobs[j % parts].push(job);
        }
        rayon::scope(|s| {
            for mine in jobs {
                s.spawn(move |_| {
                    for (sub, out, mut zero_steps) in mine {
                        pack_a(&sub, mr, out);
                        if layers.zero_steps {
                            // Scanned right after packing, while the panels are in this core's
                            // cache: once, not once per thread. SAFETY: pack_a just wrote these panels.
                            unsafe { zero_steps.scan(out, mr) };
                        }
                    }
                })
            }
        });
        let prepacked = (&apack[..], &zeros[..]);
        rayon::scope(|s| {
            for (start, cpart) in tasks {
                let (bp, e) = (b.sub(0, start, k, cpart.cols()), epi_at(start));
                // SAFETY: the scope above ran every job of `prepack_a_jobs` for this kernel and
                // this A, so `apack` holds all of A, packed, and `zeros` its zero steps.
                s.spawn(move |_| unsafe {
                    packed_with(kernel, alpha, a, Some(prepacked), bp, beta, cpart, e)
                });
            }
        });
        if layers.linger {
            crate::runtime::warm::linger();
        }
        return;
    }
    rayon::scope(|s| {
        for (start, cpart) in tasks {
            let (ap, bp) = if by_rows {
                (a.sub(start, 0, cpart.rows(), k), b)
            } else {
                (a, b.sub(0, start, k, cpart.cols()))
            };
            let e = epi_at(start);
            s.spawn(move |_| packed_serial(kernel, alpha, ap, bp, beta, cpart, e));
        }
    });
    if layers.linger {
        // Keep the other workers awake for the next call (`runtime/warm.rs`).
        crate::runtime::warm::linger();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cuts_fall_on_units() {
        assert_eq!(super::cut(128, 2, 12), vec![60]);
        assert_eq!(super::cut(10, 4, 32), Vec::<usize>::new());
        assert_eq!(super::cut(784, 2, 32), vec![384]);
    }
}
