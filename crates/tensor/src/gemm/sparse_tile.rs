//! The sparse-rows kernel, written once for every instruction set like the micro-kernel: every
//! row of a listed block of A (`sparse_rows.rs`) times one panel of B, over the [`Vector`] of
//! the ISA, instantiated inside each ISA's `#[target_feature]` entry (`kernel_x86.rs`,
//! `kernel_wide.rs`).
//!
//! ```text
//!  for each pass over B's next rows (equal passes of at most PASS_BYTES of the panel, read again
//!  by every row of A):
//!   for each row i of A:
//!    acc (NV vectors) <- row i's partial sums (or +0 on the first pass)
//!    for each step p of row i in this pass:  acc += a_ip · B[p, ..]   (NV loads, NV FMAs)
//!    -> row i's partial sums, or alpha·acc + beta·C on the last pass
//! ```
//!
//! A row's accumulators leave registers between passes (a store and a load of the same values:
//! the sums and their order do not change), so that a pass's rows of B are reused from near
//! caches by all the rows of A instead of streaming from L2 for each of them.

use super::kernel::SparseBlock;
use crate::simd::vector::Vector;
use num_traits::Float;

/// Bytes of B's panel per pass, at most. Fewer, longer passes (fewer partial sums stored and
/// loaded) measured faster than passes that fit L1, down to a third of the MNIST forward's 392
/// steps.
const PASS_BYTES: usize = 48 << 10;

/// `C <- alpha·(A·B) + beta·C` for every row of `block` and the panel's first `n` columns
/// (`n` at most `NV·LANES`): whole vectors, then single ones, then scalars.
///
/// # Safety
/// The contract of [`SparseFn`](super::kernel::SparseFn): the CPU has `V`'s ISA; `b + p·rsb + j`
/// is readable for `p < depth`, `j < n`; `c + i·rsc + j·csc` is writable (readable if
/// `beta != 0`) for each row `i` of the block and `j < n`, and reached by no other thread.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn rows_times_b<T: Float, V: Vector<T>, const NV: usize>(
    mut block: SparseBlock<'_, T>,
    (b, rsb): (*const T, isize),
    n: usize,
    c: *mut T,
    (rsc, csc): (isize, isize),
    alpha: T,
    beta: T,
) {
    let (lanes, rows) = (V::LANES, block.ends.len());
    assert!(n <= NV * lanes && block.scratch.len() >= rows * NV * lanes && block.cursor.len() >= rows);
    // SAFETY: each call reads B's rows below the depth at columns below n and writes C's rows of
    // the block at columns below n (the caller's contract); scratch and cursor hold the rows
    // (asserted).
    unsafe {
        if n == NV * lanes {
            return passes::<T, V, NV>(&mut block, (b, rsb), c, (rsc, csc), alpha, beta);
        }
        let mut j = 0;
        while j + lanes <= n {
            let cj = c.offset(j as isize * csc);
            passes::<T, V, 1>(&mut block, (b.add(j), rsb), cj, (rsc, csc), alpha, beta);
            j += lanes;
        }
        let start = |i: usize| if i == 0 { 0 } else { block.ends[i - 1] as usize };
        for j in j..n {
            for i in 0..rows {
                let entries = start(i)..block.ends[i] as usize;
                let mut acc = T::zero();
                for (&p, &v) in block.steps[entries.clone()].iter().zip(&block.values[entries]) {
                    acc = v.mul_add(*b.offset(p as isize * rsb + j as isize), acc);
                }
                let r = acc * alpha;
                let at = c.offset(i as isize * rsc + j as isize * csc);
                *at = if beta == T::zero() { r } else { beta.mul_add(*at, r) };
            }
        }
    }
}

/// `NV` vectors of columns for every row of the block, in equal passes of at most
/// [`PASS_BYTES`] of B.
///
/// # Safety
/// As [`rows_times_b`] for these `NV·LANES` columns; the block's scratch holds its rows at
/// `NV·LANES` values each, and its cursor one slot per row.
#[inline(always)]
#[allow(clippy::needless_range_loop)]
unsafe fn passes<T: Float, V: Vector<T>, const NV: usize>(
    block: &mut SparseBlock<'_, T>,
    (b, rsb): (*const T, isize),
    c: *mut T,
    (rsc, csc): (isize, isize),
    alpha: T,
    beta: T,
) {
    let (lanes, width, depth, rows) = (V::LANES, NV * V::LANES, block.depth, block.ends.len());
    let (steps, values) = (block.steps, block.values);
    let scratch = block.scratch.as_mut_ptr() as *mut T;
    let cursor = block.cursor.as_mut_ptr() as *mut u32;
    // Passes of equal depth, each at most PASS_BYTES of B's panel: a short last pass would load
    // and store every row's partial sums for a few steps each (MNIST's dW1, 128 deep: 96 + 32).
    let most = (PASS_BYTES / (width * std::mem::size_of::<T>())).max(1);
    let pass = depth.div_ceil(depth.div_ceil(most).max(1)).max(1);
    // SAFETY: rows i < rows have `width` scratch values from i·width and a cursor slot; every
    // entry index q is below row i's end (<= steps.len()); every step is below the depth, so
    // B's row p is readable (the caller's contract); C's row i is the caller's.
    unsafe {
        for i in 0..rows {
            *cursor.add(i) = if i == 0 { 0 } else { block.ends[i - 1] };
        }
        for from in (0..depth).step_by(pass) {
            let to = (from + pass).min(depth);
            let (first, last) = (from == 0, to == depth);
            for i in 0..rows {
                let (mut q, end) = (*cursor.add(i) as usize, block.ends[i] as usize);
                let row = scratch.add(i * width);
                let mut acc = [V::zero(); NV];
                if !first {
                    for v in 0..NV {
                        acc[v] = V::load(row.add(v * lanes));
                    }
                }
                while q < end && (*steps.get_unchecked(q) as usize) < to {
                    let p = *steps.get_unchecked(q) as usize;
                    let (av, bp) = (V::splat(*values.get_unchecked(q)), b.offset(p as isize * rsb));
                    for v in 0..NV {
                        acc[v] = av.mul_add(V::load(bp.add(v * lanes)), acc[v]);
                    }
                    q += 1;
                }
                *cursor.add(i) = q as u32;
                if last {
                    super::row_steps::store_row::<T, V, NV>(
                        acc,
                        c.offset(i as isize * rsc),
                        csc,
                        alpha,
                        beta,
                    );
                } else {
                    for v in 0..NV {
                        acc[v].store(row.add(v * lanes));
                    }
                }
            }
        }
    }
}
