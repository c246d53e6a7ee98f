//! Ladder steps 5-6, the BLIS-style packed GEMM: five loops around a register-blocked micro-kernel.
//!
//! ```text
//!  LOOP 5 (ic, MC)  for each MC-tall row block of A and C
//!   LOOP 4 (pc, KC)   for each KC-deep slice: pack A[ic.., pc..] -> Ap  (mc x kc, MR panels, L3)
//!    LOOP 3 (jc, NC)   for each NC-wide column block: pack B[pc.., jc..] -> Bp (kc x nc, in L2)
//!     LOOP 2 (ir, MR)   for each MR-tall micro-panel of Ap              (MR x kc, in L1)
//!      LOOP 1 (jr, NR)   for each NR-wide micro-panel of Bp: micro-kernel (streamed from L2)
//!                        C[ir.., jr..] (MR x NR, in registers) += Ap_panel · Bp_panel
//! ```
//!
//! What changed (vs. step 4): operands are copied into panels that the micro-kernel streams with
//! unit stride, and an MR×NR block of C stays in registers for the whole KC loop.
//! Why it should help: each loaded B vector feeds MR FMAs and each broadcast A value NR/LANES,
//! so the kernel is bound by FMA throughput, not by loads; packing makes every operand layout
//! (transposed, strided, broadcast) equally fast and costs O(mk + kn) against O(mnk) work.
//! Which panel stays in L1: the small broadcast side (A, 12·KC), while the wide vector side (B,
//! 32·KC) streams from L2. That leaves room for a deep KC (fewer passes over C); docs/gemm.md
//! has the opposite order measured.
//! What to look for: 80-95% of the FMA peak at large sizes; fringes (n = 10) pay for zero padding.

use super::b_in_place::{self, BBlock};
use super::epilogue::Epilogue;
use super::kernel::{Kernel, NextA, Steps};
use super::mat::{MatMut, MatRef, scale_c};
use super::pack::{assume_init, pack_a, pack_b};
use super::scalar::GemmScalar;
use super::sparse_rows::SparseBlocks;
use super::zero_steps::{ZeroSteps, ZeroStepsPart, all_finite};
use std::mem::MaybeUninit;

/// Runs the five loops on one thread, then `epi` on each finished tile. Dimensions were
/// checked by the caller.
pub(crate) fn packed_serial<T: GemmScalar>(
    kernel: &Kernel<T>,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epi: Option<Epilogue<T>>,
) {
    // SAFETY: no prepacked A: every block is packed here before the kernel reads it.
    unsafe { packed_with(kernel, alpha, a, None, b, beta, c, epi) }
}

/// The five loops, with A optionally packed beforehand (`a_packed`: every KC slice of all of A,
/// see [`prepacked_a_len`], and each slice's zero steps; then `m <= MC` and `a` only gives the
/// shape). The epilogue, if any, runs on each tile of C as the last KC slice completes it.
///
/// # Safety
/// A `Some((panels, zeros))` holds all of `a` packed by `pack_a`, slice after KC slice, as the
/// jobs of [`prepack_a_jobs`] (for this kernel and this `a`) lay it out, every job run to
/// completion (the kernel reads those elements as initialised), and `zeros[s]` scanned from slice
/// `s` of it.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn packed_with<T: GemmScalar>(
    kernel: &Kernel<T>,
    alpha: T,
    a: MatRef<T>,
    a_packed: Option<(&[MaybeUninit<T>], &[ZeroSteps])>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
    epi: Option<Epilogue<T>>,
) {
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let _span = crate::runtime::trace::span_with("gemm", [m, k, n]);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 || alpha == T::zero() {
        scale_c(&mut c, beta);
        if let Some(e) = epi {
            e.apply(&mut c);
        }
        return;
    }
    let bs = kernel.blocks;
    debug_assert!(a_packed.is_none() || m <= bs.mc, "a prepacked A is a single MC block");
    let kc_max = bs.kc.min(k);
    // One packing buffer of each kind for this call, this thread's spares (`buffers.rs`). Left
    // uninitialised: packing writes every element the kernel will read.
    let apack_len = if a_packed.is_some() { 0 } else { bs.mc.min(m.next_multiple_of(bs.mr)) * kc_max };
    let mut apack = super::buffers::Buffer::<T>::take(apack_len);
    let mut bpack = super::buffers::Buffer::<T>::take(bs.nc.min(n.next_multiple_of(bs.nr)) * kc_max);
    // A block of A as lists of each row's nonzeros, when it is sparse enough (`sparse_rows.rs`).
    let mut sparse = SparseBlocks::new(a_packed.is_some(), bs.mc.min(m), kc_max, n, false);
    let own_panels = if a_packed.is_some() { 0 } else { bs.mc.min(m).div_ceil(bs.mr) };
    let layers = super::layers::layers();
    let mut own_zeros = ZeroSteps::new(own_panels, kc_max);
    for ic in (0..m).step_by(bs.mc) {
        // LOOP 5
        let mc = bs.mc.min(m - ic);
        for pc in (0..k).step_by(bs.kc) {
            // LOOP 4
            let kc = bs.kc.min(k - pc);
            // The first KC slice applies the caller's beta; later ones accumulate onto it; the
            // last one completes each tile, which then gets the epilogue.
            let beta_k = if pc == 0 { beta } else { T::one() };
            let epi_k = if pc + kc == k { epi } else { None };
            let (a_block, b_slice) = (a.sub(ic, pc, mc, kc), b.sub(pc, 0, kc, n));
            if sparse.try_block(kernel, &a_block, &b_slice, &mut c, ic, (alpha, beta_k), epi_k) {
                continue;
            }
            let (apanels, zeros): (&[MaybeUninit<T>], &ZeroSteps) = match a_packed {
                // Slice pc of the prepacked A starts after pc columns of padded rows.
                Some((all, scanned)) => (&all[m.next_multiple_of(bs.mr) * pc..], &scanned[pc / bs.kc]),
                None => {
                    let _span = crate::runtime::trace::span("pack A");
                    pack_a(&a.sub(ic, pc, mc, kc), bs.mr, &mut apack);
                    if layers.zero_steps {
                        // SAFETY: the panels of this block were just packed.
                        unsafe { own_zeros.scan(&apack, bs.mr, mc.div_ceil(bs.mr), kc) };
                    }
                    (&apack, &own_zeros)
                }
            };
            let skips = layers.zero_steps && zeros.any();
            for jc in (0..n).step_by(bs.nc) {
                // LOOP 3
                let nc = bs.nc.min(n - jc);
                let b_block = b.sub(pc, jc, kc, nc);
                let (b_read, skips) = if b_in_place::applies(&b_block, bs.nr, mc.div_ceil(bs.mr), skips) {
                    (BBlock::InPlace(b_block), false)
                } else {
                    // Skipping A's zero steps needs a finite B block: tested by the packing copy
                    // when it can, else in one more pass over the packed block.
                    let packing = crate::runtime::trace::span("pack B");
                    let finite = pack_b(&b_block, bs.nr, &mut bpack, skips);
                    drop(packing);
                    // SAFETY: pack_b just wrote the block's panels.
                    let packed = unsafe { assume_init(&bpack[..nc.next_multiple_of(bs.nr) * kc]) };
                    (BBlock::Packed(&bpack), skips && finite.unwrap_or_else(|| all_finite(packed)))
                };
                // SAFETY: `apanels` holds exactly this (ic, pc, jc) block of A, packed (just now,
                // or beforehand by the caller's contract), and `zeros` was scanned from it; B's
                // block was just packed, or is read in place where `applies` allows it.
                unsafe {
                    macro_kernel(
                        kernel,
                        alpha,
                        beta_k,
                        (apanels, skips.then_some(zeros)),
                        b_read,
                        (mc, kc, nc),
                        (ic, jc),
                        &mut c,
                        epi_k,
                    )
                };
            }
        }
    }
}

/// LOOPS 2 and 1: for each MR-row micro-panel of A (held in L1), every NR-column micro-panel of
/// B (streamed): every MR×NR tile of one packed `mc × kc` block of A times one `kc × nc` block
/// of B (packed, or read in place), into C at `(ic, jc)`; then `epi` on each tile (last KC slice
/// only). With `skips`, each A panel's tiles run only the steps it keeps.
///
/// # Safety
/// `apack` holds `ceil(mc/MR)` packed panels of depth `kc`, written by `pack_a`; `b` is either
/// `ceil(nc/NR)` panels of depth `kc` written by `pack_b`, or a `kc × nc` view with unit column
/// stride and `nc` a multiple of NR; `skips` was scanned from this `apack`, and is given only
/// when B's block is finite; the block `(ic.., jc..)` of size `mc × nc` lies in C.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn macro_kernel<T: GemmScalar>(
    kernel: &Kernel<T>,
    alpha: T,
    beta_k: T,
    (apack, skips): (&[MaybeUninit<T>], Option<&ZeroSteps>),
    b: BBlock<'_, T>,
    (mc, kc, nc): (usize, usize, usize),
    (ic, jc): (usize, usize),
    c: &mut MatMut<T>,
    epi: Option<Epilogue<T>>,
) {
    let (mr, nr) = (kernel.blocks.mr, kernel.blocks.nr);
    let mut edge = [T::zero(); super::params::MAX_TILE];
    // An A block larger than half of L2 lives in L3, and each row's first tile would wait for its
    // panel: the tiles of the row before fetch it into L2, a stretch each (`NextA`).
    let panel_bytes = mr * kc * std::mem::size_of::<T>();
    let fetch_ahead = super::layers::layers().next_a_prefetch
        && mc.div_ceil(mr) * panel_bytes > super::params::l2_bytes() / 2;
    let stretch = (panel_bytes / 64).div_ceil(nc.div_ceil(nr));
    // Each panel's rows' own steps, when its kept steps are listed and the layer is on.
    let mut row_lists = (skips.is_some() && super::row_steps::applies::<T>(kc, nr))
        .then(|| super::row_steps::RowSteps::new(mr, kc));
    for ir in (0..mc).step_by(mr) {
        // LOOP 2
        let rows = mr.min(mc - ir);
        let ap = apack[(ir / mr) * mr * kc..].as_ptr() as *const T;
        let mut steps = skips.and_then(|z| z.panel(ir / mr)).map_or(Steps::All(kc), Steps::Only);
        if let (Steps::Only(kept), Some(lists)) = (steps, row_lists.as_mut()) {
            // SAFETY: the panel's `mr · kc` elements were written by packing.
            let panel = unsafe { super::pack::assume_init(&apack[(ir / mr) * mr * kc..][..mr * kc]) };
            if lists.build(panel, mr, kept) {
                steps = lists.steps();
            }
        }
        // The kernels trust this (they read A's and B's rows at the kept steps).
        debug_assert!(
            matches!(steps, Steps::All(_))
                || matches!(steps, Steps::Only(s) if s.last().is_none_or(|&p| usize::from(p) < kc))
                || matches!(steps, Steps::Rows { depth, .. } if depth == kc)
        );
        for jr in (0..nc).step_by(nr) {
            // LOOP 1
            let cols = nr.min(nc - jr);
            let bp = b.panel(jr, nr, kc);
            let (ci, cj) = (ic + ir, jc + jr);
            let next_a = if fetch_ahead && ir + mr < mc {
                let at = (ap as *const u8).wrapping_add(panel_bytes + (jr / nr) * stretch * 64);
                NextA { at, lines: stretch }
            } else {
                NextA::NONE
            };
            if rows == mr && cols == nr {
                // SAFETY: A's packed panel holds kc·MR written elements and B's micro-panel kc
                // rows of NR, packed or in the view (caller); the MR×NR tile at (ci, cj) lies
                // inside C (checked view, full tile), and this thread owns C exclusively.
                unsafe {
                    kernel.full.call(steps, next_a, ap, bp, c.ptr_mut(ci, cj), c.rs(), c.cs(), alpha, beta_k)
                };
            } else if let Some(run) = (kernel.edge)(rows, cols) {
                // An exact-size edge kernel (e.g. the last 8 rows of m = 128 = 10·12 + 8).
                // SAFETY: as for the full tile, with the rows × cols tile inside C.
                unsafe { run.call(steps, next_a, ap, bp, c.ptr_mut(ci, cj), c.rs(), c.cs(), alpha, beta_k) };
            } else {
                // Masked edge: compute the full tile into a scratch buffer (beta = 0, so it is
                // not read), then merge only the valid part into C.
                // SAFETY: `edge` holds MAX_TILE >= MR·NR elements (`BlockSizes::checked`), row stride NR.
                unsafe {
                    kernel.full.call(
                        steps,
                        next_a,
                        ap,
                        bp,
                        edge.as_mut_ptr(),
                        nr as isize,
                        1,
                        alpha,
                        T::zero(),
                    )
                };
                for i in 0..rows {
                    for j in 0..cols {
                        let v = edge[i * nr + j];
                        // SAFETY: (ci + i, cj + j) < (m, n) by the edge bounds; C is read only if
                        // beta_k != 0 (then it holds values).
                        unsafe { c.merge_unchecked(ci + i, cj + j, beta_k, v, true) };
                    }
                }
            }
            if let Some(e) = epi {
                // The tile is complete and still in L1.
                e.apply_block(c, (ci, cj), (rows, cols));
            }
        }
    }
}

/// Length of a buffer holding every KC slice of an `m × k` A, packed (for [`packed_with`]).
pub(crate) fn prepacked_a_len(mr: usize, m: usize, k: usize) -> usize {
    m.next_multiple_of(mr) * k
}

/// One job of packing A beforehand: rows of one KC slice of A, where they go, and the part of
/// that slice's [`ZeroSteps`] that scans them.
pub(crate) type PrepackJob<'a, T> = (MatRef<'a, T>, &'a mut [MaybeUninit<T>], ZeroStepsPart<'a>);

/// One [`ZeroSteps`] per KC slice of an `m × k` A packed beforehand (for [`prepack_a_jobs`]).
pub(crate) fn prepack_zero_steps<T>(kernel: &Kernel<T>, m: usize, k: usize) -> Vec<ZeroSteps> {
    let (mr, kc) = (kernel.blocks.mr, kernel.blocks.kc);
    (0..k).step_by(kc).map(|pc| ZeroSteps::new(m.div_ceil(mr), kc.min(k - pc))).collect()
}

/// Packing all of A (`m <= MC`) into `out`, slice after KC slice, as [`packed_with`] reads it,
/// and scanning each slice's zero steps into `zeros` (from [`prepack_zero_steps`]), cut into jobs
/// that may run in any order or in parallel: for each slice, one job per part of the rows
/// (`row_cuts`, multiples of MR), so job `j` belongs to part `j % (row_cuts.len() + 1)`.
pub(crate) fn prepack_a_jobs<'a, T: GemmScalar>(
    kernel: &Kernel<T>,
    a: MatRef<'a, T>,
    row_cuts: &[usize],
    mut out: &'a mut [MaybeUninit<T>],
    zeros: &'a mut [ZeroSteps],
) -> Vec<PrepackJob<'a, T>> {
    let (m, k) = (a.rows(), a.cols());
    let (mr, kc_step) = (kernel.blocks.mr, kernel.blocks.kc);
    let panel_cuts: Vec<usize> = row_cuts.iter().map(|r| r / mr).collect();
    let mut jobs = Vec::new();
    for (pc, slice_zeros) in (0..k).step_by(kc_step).zip(zeros) {
        let kc = kc_step.min(k - pc);
        let (mut slice, rest) = out.split_at_mut(m.next_multiple_of(mr) * kc);
        out = rest;
        let mut parts = slice_zeros.parts(kc, m.div_ceil(mr), &panel_cuts).into_iter();
        let mut start = 0;
        for end in row_cuts.iter().copied().chain([m]) {
            // Cuts are multiples of MR; the last part ends with the zero-padded edge panel.
            let (mine, tail) = slice.split_at_mut((end.next_multiple_of(mr) - start) * kc);
            slice = tail;
            let part = parts.next().expect("one part per row part");
            jobs.push((a.sub(start, pc, end - start, kc), mine, part));
            start = end;
        }
    }
    jobs
}
