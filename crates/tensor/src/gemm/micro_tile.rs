//! The micro-kernel, written once for every instruction set: the MR×NR tile
//! `C <- alpha·(A_panel · B_panel) + beta·C` of the BLIS contract (`kernel.rs`), over a
//! [`Vector`] of the ISA. Each ISA's file instantiates it inside a `#[target_feature]` function,
//! where the vector operations become single instructions.
//!
//! Per k step: NV vector loads of B (a packed panel's row, or B's own row when it is read in
//! place: `rsb` apart), R broadcasts of A, R·NV fused multiply-adds into
//! accumulators that stay in registers for the whole k loop and start at +0. With `beta == 0`
//! C is **not read** (it may hold NaN).

use super::kernel::{NextA, Steps};
use crate::simd::vector::Vector;
use num_traits::Float;

/// B streams from L2 (`packed.rs`): the kernel asks for its lines this many k steps ahead.
const PF_STEPS: usize = 16;

/// `R` rows and `NV` vectors of a tile whose packed panels are `MR` and `NVF·LANES` wide (the
/// full tile is `R = MR`, `NV = NVF`; edge tiles compute fewer), over the k steps `steps` names,
/// prefetching `next_a` on the way. Row `p` of B is the `NVF·LANES` values from `b + p·rsb`.
///
/// # Safety
/// The CPU has `V`'s ISA; `a` holds `k·MR` readable values and `b + p·rsb` `NVF·LANES` for
/// every `p < k`, where `k` exceeds every step of `steps`; `c + i·rsc + j·csc` is writable (and
/// readable if `beta != 0`) for `i < R`, `j < NV·LANES`, and reached by no other thread.
/// `R <= MR`, `NV <= NVF`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn micro_tile<T, V, const MR: usize, const NVF: usize, const R: usize, const NV: usize>(
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
) where
    T: Float,
    V: Vector<T>,
{
    match steps {
        // SAFETY: the caller's contract, with all k steps.
        Steps::All(k) => unsafe {
            tile_over::<T, V, MR, NVF, R, NV, false>(
                k,
                std::ptr::null(),
                next_a,
                a,
                (b, rsb),
                c,
                (rsc, csc),
                alpha,
                beta,
            )
        },
        // SAFETY: the caller's contract, with the kept steps it names.
        Steps::Only(kept) => unsafe {
            tile_over::<T, V, MR, NVF, R, NV, true>(
                kept.len(),
                kept.as_ptr(),
                next_a,
                a,
                (b, rsb),
                c,
                (rsc, csc),
                alpha,
                beta,
            )
        },
        // SAFETY: the caller's contract, with each row's steps it names.
        Steps::Rows { steps, depth, counts } => unsafe {
            super::row_steps::tile_rows::<T, V, MR, R, NV>(
                (steps, depth, counts),
                a,
                (b, rsb),
                c,
                (rsc, csc),
                alpha,
                beta,
            )
        },
    }
}

/// The tile over `n` k steps: steps `0..n`, or with `SKIP` the steps `kept[0..n]`.
///
/// # Safety
/// As [`micro_tile`]; with `SKIP`, `kept` holds `n` steps, each below the panels' depth.
#[inline(always)]
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
unsafe fn tile_over<
    T,
    V,
    const MR: usize,
    const NVF: usize,
    const R: usize,
    const NV: usize,
    const SKIP: bool,
>(
    n: usize,
    kept: *const u16,
    next_a: NextA,
    a: *const T,
    (b, rsb): (*const T, isize),
    c: *mut T,
    (rsc, csc): (isize, isize),
    alpha: T,
    beta: T,
) where
    T: Float,
    V: Vector<T>,
{
    const { assert!(V::LANES <= 16, "the strided-C buffer holds 16 lanes") };
    // SAFETY: the whole body: the CPU has V's ISA; every A and B read is at a step below the
    // panels' depth (with SKIP, a step from `kept`, which holds n of them), row i < R <= MR of
    // the A panel and NV·LANES <= NR values of B's row at `b + p·rsb`; every C address is inside
    // the tile the caller handed us (row i < R, column below NV·LANES). The caller's contract,
    // all of it.
    unsafe {
        let lanes = V::LANES;
        let mut acc = [[V::zero(); NV]; R];
        if beta != T::zero() && csc == 1 {
            // C is read after the k loop; a large C lives in L3 and each tile's loads would stall the
            // next tile's FMAs. Ask for its lines in L2 now (L1 would lose them to the B stream).
            for i in 0..R {
                for j in 0..NV {
                    V::prefetch_l2(c.wrapping_offset(i as isize * rsc).wrapping_add(j * lanes));
                }
            }
        }
        // The next A panel's stretch, one line every `every` steps from step 0 (`NextA`).
        let every = n.checked_div(next_a.lines).map_or(0, |e| e.max(1));
        let (mut pf_at, mut pf_line) = (if every == 0 { usize::MAX } else { 0 }, 0);
        for q in 0..n {
            if q == pf_at {
                V::prefetch_l2(next_a.at.wrapping_add(pf_line * 64) as *const T);
                pf_line += 1;
                pf_at = if pf_line < next_a.lines { q + every } else { usize::MAX };
            }
            // Skipping, the step comes from the list (A's all-zero steps are left out).
            // Skipping, `kept` holds n steps (caller).
            let p = if SKIP { usize::from(*kept.add(q)) } else { q };
            // p is below the depth of A's packed panel and of B's micro-panel.
            let (ap, bp) = (a.add(p * MR), b.offset(p as isize * rsb));
            if lanes * std::mem::size_of::<T>() == 64 {
                // One prefetch per 64-byte line (512-bit vectors), of the step PF_STEPS ahead in the
                // order the loop runs them; past the panel's end it is a harmless hint.
                let ahead = if SKIP {
                    let far = *kept.add((q + PF_STEPS).min(n - 1));
                    b.wrapping_offset(usize::from(far) as isize * rsb)
                } else {
                    bp.wrapping_offset(PF_STEPS as isize * rsb)
                };
                for j in 0..NV {
                    V::prefetch_l1(ahead.wrapping_add(j * lanes));
                }
            }
            let mut bv = [V::zero(); NV];
            for j in 0..NV {
                // Row p of B's micro-panel: NV·LANES <= NR values.
                bv[j] = V::load(bp.add(j * lanes));
            }
            for i in 0..R {
                // Row p of the packed A panel: R <= MR values.
                let ai = V::splat(*ap.add(i));
                for j in 0..NV {
                    acc[i][j] = ai.mul_add(bv[j], acc[i][j]);
                }
            }
        }
        let va = V::splat(alpha);
        if csc == 1 {
            let vb = V::splat(beta);
            for i in 0..R {
                for j in 0..NV {
                    let p = c.offset(i as isize * rsc).add(j * lanes);
                    let r = acc[i][j].mul(va);
                    let r = if beta == T::zero() { r } else { vb.mul_add(V::load(p), r) };
                    r.store(p);
                }
            }
        } else {
            // Strided C: every vector to a buffer first (a loop the compiler unrolls, so the
            // accumulators stay in registers), then element by element into C.
            let mut tile = [[[T::zero(); 16]; NV]; R];
            for i in 0..R {
                for j in 0..NV {
                    acc[i][j].mul(va).store(tile[i][j].as_mut_ptr());
                }
            }
            for (i, row) in tile.iter().enumerate() {
                for (j, lanes_j) in row.iter().enumerate() {
                    for (l, &r) in lanes_j[..lanes].iter().enumerate() {
                        let p = c.offset(i as isize * rsc + (j * lanes + l) as isize * csc);
                        *p = if beta == T::zero() { r } else { beta.mul_add(*p, r) };
                    }
                }
            }
        }
    }
}
