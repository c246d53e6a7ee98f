//! A production layer: on two threads, a product split by rows hands out its row panels from the
//! two ends of C, so that the halves meet where the work divides, not where the rows do.
//!
//! ```text
//!   C rows:  [ claimed by the calling thread ->  | unclaimed |  <- claimed by the other ]
//!            each claim: a quarter of the unclaimed panels (at least one), packed and run at once
//! ```
//!
//! Why: a static split gives each thread half of the rows, but not always half of the work. In
//! training, `dW1 = xᵀ·dh` is split by the rows of `xᵀ`, the pixels, and the lower half of an
//! MNIST image holds more ink, so more k steps that zero-skipping keeps; and one core may simply
//! run slower for a while on a shared machine. The thread that finishes first then waits for the
//! other. Claiming from both ends, the faster thread takes more panels and the two finish within
//! about one panel of each other. Each thread still works on one contiguous run of rows that
//! starts at its end of C: the calling thread on the first rows, which in a training step are the
//! rows of the weights its core updates (the optimizer's split, `tessera-nn`).
//!
//! Each thread packs all of B once (the product has one KC slice and B fits in half of L2), then
//! packs and runs one claim of A's panels at a time. Why the bits do not change: every tile lies
//! on the same MR-row grid as in the static split (claims start at multiples of MR from the first
//! row; the partial last panel is the bottom end's first claim), and a tile's k steps, zero steps
//! and instructions do not depend on which thread runs it.

use super::b_in_place::BBlock;
use super::epilogue::Epilogue;
use super::kernel::Kernel;
use super::mat::{MatMut, MatRef};
use super::pack::{assume_init, pack_a, pack_b};
use super::packed::macro_kernel;
use super::scalar::GemmScalar;
use super::sparse_rows::SparseBlocks;
use super::zero_steps::{ZeroSteps, all_finite};
use crate::runtime::fork::run_parts;
use crate::runtime::trace;
use std::sync::Mutex;

/// Whether this row split claims its panels from both ends: the layer is on, there are exactly
/// two threads, a product to compute (`alpha != 0`, no empty dimension), one KC slice, all of B
/// packed fits in half of L2, and there are at least 8 panels of rows to hand out.
pub(crate) fn applies<T: GemmScalar>(
    kernel: &Kernel<T>,
    threads: usize,
    (m, k, n): (usize, usize, usize),
    alpha: T,
) -> bool {
    let bs = kernel.blocks;
    let b_bytes = n.next_multiple_of(bs.nr).saturating_mul(k).saturating_mul(std::mem::size_of::<T>());
    super::layers::layers().claimed_rows
        && threads == 2
        && alpha != T::zero()
        && n > 0
        && k > 0
        && k <= bs.kc
        && b_bytes <= super::params::l2_bytes() / 2
        && m.div_ceil(bs.mr) >= 8
}

/// The rows of C no thread has claimed yet, and the index of the first.
struct Unclaimed<'a, T> {
    first: usize,
    rows: Option<MatMut<'a, T>>,
}

/// Which end of the unclaimed rows a thread takes from.
#[derive(Clone, Copy)]
enum End {
    Top,
    Bottom,
}

/// Takes a quarter of the unclaimed panels (at least one) from `end`: the claim's first row and
/// its rows of C; `None` when none are left.
fn claim<'a, T: Copy>(left: &Mutex<Unclaimed<'a, T>>, end: End, mr: usize) -> Option<(usize, MatMut<'a, T>)> {
    let mut left = left.lock().ok()?;
    let view = left.rows.take()?;
    let rows = view.rows();
    if rows == 0 {
        return None;
    }
    let panels = rows.div_ceil(mr);
    let take = (panels / 4).max(1);
    // The unclaimed rows start on the panel grid, and both cuts below stay on it.
    let (start, mine) = match end {
        End::Top => {
            let (mine, rest) = view.split_rows((take * mr).min(rows));
            let start = left.first;
            left.first += mine.rows();
            left.rows = Some(rest);
            (start, mine)
        }
        End::Bottom => {
            let keep = (panels - take) * mr;
            let (rest, mine) = view.split_rows(keep);
            left.rows = Some(rest);
            (left.first + keep, mine)
        }
    };
    Some((start, mine))
}

/// `C <- alpha·A·B + beta·C` (then `epi` per tile) on two threads claiming row panels from the two
/// ends of C. The caller checked [`applies`].
pub(crate) fn run<T: GemmScalar>(
    kernel: &Kernel<T>,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epi: Option<Epilogue<T>>,
) {
    let left = Mutex::new(Unclaimed { first: 0, rows: Some(c) });
    let left = &left;
    run_parts(
        [End::Top, End::Bottom].map(|end| move || claim_and_run(kernel, alpha, a, b, beta, left, end, epi)),
    );
    if super::layers::layers().linger {
        crate::runtime::warm::linger();
    }
}

/// One thread's share: B packed once, then claim after claim from `end` until none is left.
#[allow(clippy::too_many_arguments)]
fn claim_and_run<T: GemmScalar>(
    kernel: &Kernel<T>,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    left: &Mutex<Unclaimed<'_, T>>,
    end: End,
    epi: Option<Epilogue<T>>,
) {
    let (mr, nr) = (kernel.blocks.mr, kernel.blocks.nr);
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let skipping = super::layers::layers().zero_steps;
    // B is packed once, when a claim first needs it: in NR panels for the packed kernel, or in
    // the sparse kernel's panels for a claim whose rows are sparse (`sparse_rows.rs`).
    let mut packed_b: Option<(super::buffers::Buffer<T>, Option<bool>)> = None;
    // The first claim is the largest: a quarter of all panels, or one.
    let most = (m.div_ceil(mr) / 4).max(1);
    let mut sparse = SparseBlocks::new(false, most * mr, k, n, true);
    let mut apack = super::buffers::Buffer::<T>::take(most * mr * k);
    let mut zeros = ZeroSteps::new(most, k);
    while let Some((start, mut rows_of_c)) = claim(left, end, mr) {
        let rows = rows_of_c.rows();
        let _span = trace::span_with("gemm", [rows, k, n]);
        if sparse.try_block(kernel, &a.sub(start, 0, rows, k), &b, &mut rows_of_c, 0, (alpha, beta), epi) {
            continue;
        }
        let (bpack, finite) = packed_b.get_or_insert_with(|| {
            let _packing = trace::span("pack B");
            let mut bpack = super::buffers::Buffer::<T>::take(n.next_multiple_of(nr) * k);
            // The packing copy tests B for finite values when it can (skipping A's zero steps
            // needs it).
            let finite = pack_b(&b, nr, &mut bpack, skipping);
            (bpack, finite)
        });
        // SAFETY: pack_b wrote all ceil(n/NR) panels of depth k.
        let packed = unsafe { assume_init(bpack) };
        let packing = trace::span("pack A");
        pack_a(&a.sub(start, 0, rows, k), mr, &mut apack);
        // SAFETY: the claim's panels were just packed.
        let skips = skipping
            && unsafe { zeros.scan(&apack, mr, rows.div_ceil(mr), k) }
            && *finite.get_or_insert_with(|| all_finite(packed));
        drop(packing);
        // SAFETY: `apack` holds this claim's ceil(rows/MR) panels of depth k, just packed, and
        // `zeros` was scanned from them, given only for a finite B; `bpack` holds all of B's
        // panels of depth k; the rows × n block at (0, 0) is the claimed view itself.
        unsafe {
            macro_kernel(
                kernel,
                alpha,
                beta,
                (&apack, skips.then_some(&zeros)),
                BBlock::Packed(bpack),
                (rows, k, n),
                (0, 0),
                &mut rows_of_c,
                epi,
            )
        };
    }
}

#[cfg(test)]
mod tests {
    use super::{End, Unclaimed, claim};
    use crate::gemm::MatMut;
    use std::sync::Mutex;

    /// Claims from both ends, in any interleaving, cover every row exactly once, each starting
    /// on the MR grid, the top ones from row 0 down and the bottom ones from the last row up.
    #[test]
    fn claims_cover_every_row_once_on_the_panel_grid() {
        let mr = 12;
        for m in [1, 11, 12, 13, 100, 96, 784, 12 * 13 + 5] {
            for pattern in [0b0u32, 0b1, 0b0101, 0b0011, 0b1110] {
                let mut data = vec![0.0f32; m * 3];
                let left = Mutex::new(Unclaimed {
                    first: 0,
                    rows: Some(MatMut::row_major(&mut data, m, 3).unwrap()),
                });
                let (mut covered, mut top_next, mut bottom_next) = (vec![0u8; m], 0, m);
                for turn in 0.. {
                    let end = if pattern >> (turn % 4) & 1 == 0 { End::Top } else { End::Bottom };
                    let Some((start, rows)) = claim(&left, end, mr) else { break };
                    assert!(start.is_multiple_of(mr) && rows.rows() > 0, "m {m}: claim at {start}");
                    match end {
                        End::Top => assert_eq!(start, top_next),
                        End::Bottom => assert_eq!(start + rows.rows(), bottom_next),
                    }
                    match end {
                        End::Top => top_next += rows.rows(),
                        End::Bottom => bottom_next = start,
                    }
                    covered[start..start + rows.rows()].iter_mut().for_each(|c| *c += 1);
                }
                assert!(covered.iter().all(|&c| c == 1), "m {m}, pattern {pattern:b}");
                assert_eq!(top_next, bottom_next);
            }
        }
    }
}
