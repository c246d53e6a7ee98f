//! Ladder step 7, parallel: C is cut into `threads` disjoint blocks of whole micro-tiles (rows in
//! multiples of MR when m is the larger side, else columns in multiples of NR), and each block runs
//! the serial five loops on its own thread with its own packing buffers; the calling thread always
//! runs the first block (`runtime/fork.rs`). Three exceptions: in a column split every block needs
//! all of A, so when A is a single MC block the threads first pack it together (a share of its
//! panels each) and then all read that one copy; a short, wide C of exactly two KC slices is
//! split by depth instead, one slice per half of the threads and then one sum (`depth_split.rs`);
//! and on two threads a row split of one KC slice hands out its row panels from the two ends of C
//! as the threads ask for them (`claimed_rows.rs`).
//!
//! What changed: several cores. Why it is safe: the blocks of C are disjoint, and the KC loop
//! (which accumulates into C) is split only where the serial loops would add two slices anyway.
//! Why results do not depend on the thread count: every C element sees the same KC slices in the
//! same order, and because block edges fall on tile boundaries, the same tile shape (full or
//! masked edge) — so the same instructions, bit for bit. What to look for: near 2× on two cores
//! for large sizes; below `PARALLEL_MIN_FLOPS` (from outside a rayon pool,
//! `PARALLEL_MIN_FLOPS_OUTSIDE`) it runs on one thread, because splitting costs more than it gains.

use super::epilogue::Epilogue;
use super::kernel::Kernel;
use super::mat::{MatMut, MatRef};
use super::pack::pack_a;
use super::packed::{packed_serial, packed_with, prepack_a_jobs, prepack_zero_steps, prepacked_a_len};
use super::params::{PARALLEL_MIN_FLOPS, PARALLEL_MIN_FLOPS_OUTSIDE};
use super::scalar::GemmScalar;
use super::split::{cut, split_c};
use crate::runtime::fork::{min_work, run_parts};

/// Whether a product of `m·n·k` multiply-adds is worth running on `threads` threads (from
/// outside a rayon pool only a larger one: `runtime::fork::min_work`).
pub(crate) fn worth_splitting(threads: usize, m: usize, k: usize, n: usize) -> bool {
    let min = min_work(PARALLEL_MIN_FLOPS, PARALLEL_MIN_FLOPS_OUTSIDE);
    threads > 1 && m.saturating_mul(n).saturating_mul(k) >= min
}

/// Whether C is cut by rows (m is the larger side in tiles) rather than by columns.
fn by_rows<T>(kernel: &Kernel<T>, m: usize, n: usize) -> bool {
    m.div_ceil(kernel.blocks.mr) >= n.div_ceil(kernel.blocks.nr)
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
    let by_rows = by_rows(kernel, m, n);
    // Claims of a few panels each would read all of B again for each claim run as sparse rows:
    // an A whose first panel is that sparse is split in halves instead (each one block).
    if by_rows
        && super::claimed_rows::applies(kernel, threads, (m, k, n), alpha)
        && !super::sparse_rows::first_panel_runs_sparse(&a, kernel.blocks.mr)
    {
        return super::claimed_rows::run(kernel, alpha, a, b, beta, c, epi);
    }
    if super::depth_split::applies(kernel, threads, (m, k), !by_rows, alpha, beta) {
        return super::depth_split::run(kernel, threads, alpha, a, b, c, epi, packed_parallel::<T>);
    }
    // A column block of C carries its part of the bias.
    let epi_at = |start: usize| if by_rows { epi } else { epi.map(|e| e.for_cols_from(start)) };
    let cuts = if by_rows { cut(m, threads, kernel.blocks.mr) } else { cut(n, threads, kernel.blocks.nr) };
    let tasks = split_c(c, by_rows, &cuts);
    let mr = kernel.blocks.mr;
    let layers = super::layers::layers();
    // Column split: every part needs all of A. Pack it once, each thread a share of its panels,
    // and share it (the MNIST forward 128×784·784×512 packed all of A twice); unless A is so
    // sparse that each part lists its rows instead, packing none of it (`sparse_rows.rs`).
    if !by_rows
        && m <= kernel.blocks.mc
        && layers.shared_a
        && !super::sparse_rows::first_panel_runs_sparse(&a.sub(0, 0, m, k.min(kernel.blocks.kc)), mr)
    {
        let mut apack = super::buffers::Buffer::<T>::take(prepacked_a_len(mr, m, k));
        let mut zeros = prepack_zero_steps(kernel, m, k);
        let row_cuts = cut(m, tasks.len(), mr);
        let parts = row_cuts.len() + 1;
        let mut jobs: Vec<Vec<_>> = (0..parts).map(|_| Vec::new()).collect();
        for (j, job) in prepack_a_jobs(kernel, a, &row_cuts, &mut apack, &mut zeros).into_iter().enumerate() {
            jobs[j % parts].push(job);
        }
        run_parts(jobs.into_iter().map(|mine| {
            move || {
                let _span = crate::runtime::trace::span("pack A");
                for (sub, out, mut zero_steps) in mine {
                    pack_a(&sub, mr, out);
                    if layers.zero_steps {
                        // Scanned right after packing, while the panels are in this core's
                        // cache: once, not once per thread. SAFETY: pack_a just wrote these panels.
                        unsafe { zero_steps.scan(out, mr) };
                    }
                }
            }
        }));
        let prepacked = (&apack[..], &zeros[..]);
        let part = |(start, cpart): (usize, MatMut<'_, T>)| {
            let (bp, e) = (b.sub(0, start, k, cpart.cols()), epi_at(start));
            // SAFETY: the region above ran every job of `prepack_a_jobs` for this kernel and
            // this A, so `apack` holds all of A, packed, and `zeros` its zero steps.
            unsafe { packed_with(kernel, alpha, a, Some(prepacked), bp, beta, cpart, e) }
        };
        first_here(tasks, &part);
        if layers.linger {
            crate::runtime::warm::linger();
        }
        return;
    }
    let part = |(start, cpart): (usize, MatMut<'_, T>)| {
        let (ap, bp) = if by_rows {
            (a.sub(start, 0, cpart.rows(), k), b)
        } else {
            (a, b.sub(0, start, k, cpart.cols()))
        };
        packed_serial(kernel, alpha, ap, bp, beta, cpart, epi_at(start))
    };
    first_here(tasks, &part);
    if layers.linger {
        // Keep the other workers awake for the next call (`runtime/warm.rs`).
        crate::runtime::warm::linger();
    }
}

/// Runs `part` on every block, the first on this thread (the others as jobs of the current
/// pool; `run_parts`), and returns when all are done. The calling thread always takes the first
/// block: in a training loop each core then keeps working on the same rows of the same matrices
/// (the optimizer's split follows the same rule, `tessera-nn`), whose lines are in its own cache.
fn first_here<'a, T: Copy + Send, F>(blocks: Vec<(usize, MatMut<'a, T>)>, part: &F)
where
    F: Fn((usize, MatMut<'a, T>)) + Sync,
{
    run_parts(blocks.into_iter().map(|block| move || part(block)));
}
