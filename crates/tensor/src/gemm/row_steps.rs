//! Row steps: each row of a sparse A micro-panel runs only its own nonzero steps.
//!
//! ```text
//!  A micro-panel (MR = 3 rows × kc steps)       panel's kept steps: [2, 3, 5] (3 × 3 = 9 FMA rows)
//!  step:  0  1  2  3  4  5  6                   row steps: row 0 [2], row 1 [3, 5], row 2 [2, 3]
//!         0  0  .3 0  0  0  0                   (5 FMA rows)
//!         0  0  0  .8 0  .1 0
//!         0  0  .5 .2 0  0  0
//! ```
//!
//! Zero-skipping (`zero_steps.rs`) leaves out a step only when all MR rows of the panel are zero
//! there. On MNIST a panel of 12 images keeps ~50% of the 784 pixel steps while each image lights
//! only ~19% of them, and a panel of 12 pixels keeps ~50% of the batch while each pixel is lit in
//! ~19% of the images. Here each row of the tile sums over its own list of steps instead: ~2.6×
//! fewer multiply-adds, each with its own load of B's row (one load per FMA instead of one per MR
//! FMAs), so it pays only when the rows are much sparser than the panel ([`RowSteps::build`]) and
//! B's micro-panel stays in L1 ([`applies`]): in training, the weight gradient `xᵀ·dh` (128 deep).
//!
//! Why the result keeps every bit: each element of C still sums its products in ascending step
//! order from +0 with the same fused multiply-adds; the steps it leaves out add `0·b = ±0`, as in
//! zero-skipping (which also requires B finite, so this runs only where zero-skipping does).

use super::kernel::Steps;
use super::scalar::GemmScalar;
use crate::simd::vector::Vector;
use num_traits::Float;

/// B's micro-panel must stay in L1 (half of a 32 KiB L1d): every row of the tile sweeps it again,
/// one load per FMA, where the panel's shared steps sweep it once. Read from L2 instead (the
/// 392-deep slices of the MNIST forward product: 50 KiB), the rows ran 5% slower than the panel.
const MAX_B_PANEL_BYTES: usize = 16 << 10;

/// Whether a block whose B micro-panels are `kc` deep and `nr` wide may run row steps.
pub(crate) fn applies<T>(kc: usize, nr: usize) -> bool {
    super::layers::layers().row_steps && kc * nr * std::mem::size_of::<T>() <= MAX_B_PANEL_BYTES
}

/// Widest micro-panel the lists are kept for (every kernel's MR is at most this).
const MAX_MR: usize = 16;

/// The per-row step lists of one A micro-panel, rebuilt for each panel of a block.
pub(crate) struct RowSteps {
    /// `kc` slots per row: row `i`'s steps, ascending, in `steps[i·kc..][..counts[i]]`.
    steps: Vec<u16>,
    counts: [u32; MAX_MR],
    kc: usize,
}

impl RowSteps {
    /// Room for panels `mr` wide and `kc` deep.
    pub(crate) fn new(mr: usize, kc: usize) -> Self {
        assert!(mr <= MAX_MR, "micro-panels at most {MAX_MR} wide");
        RowSteps { steps: vec![0; mr * kc], counts: [0; MAX_MR], kc }
    }

    /// Lists each row's nonzero steps among the panel's `kept` steps (`panel`: `mr` values per
    /// step, `kc` steps). True when the rows' steps together are at most half of `kept · mr`,
    /// where one load per FMA still beats the panel's shared steps; the lists are then ready
    /// for [`RowSteps::steps`].
    pub(crate) fn build<T: GemmScalar>(&mut self, panel: &[T], mr: usize, kept: &[u16]) -> bool {
        let kc = self.kc;
        debug_assert!(panel.len() >= mr * kc && mr <= MAX_MR);
        let mut counts = [0u32; MAX_MR];
        for &p in kept {
            let step = &panel[usize::from(p) * mr..][..mr];
            for (r, &v) in step.iter().enumerate() {
                // Written at every step, counted only when nonzero: no branch to mispredict.
                self.steps[r * kc + counts[r] as usize] = p;
                counts[r] += u32::from(v != T::zero());
            }
        }
        self.counts = counts;
        let total: u32 = counts[..mr].iter().sum();
        2 * total as usize <= kept.len() * mr
    }

    /// The lists as the micro-kernel takes them.
    pub(crate) fn steps(&self) -> Steps<'_> {
        Steps::Rows { steps: &self.steps, depth: self.kc, counts: &self.counts }
    }
}

/// The tile over each row's own steps: row `i` of C sums `a[p·MR + i] · B[p, ..]` over its `p`
/// in `steps[i·depth..][..counts[i]]`, then takes alpha and beta as [`micro_tile`] does. Two
/// rows run together (four accumulator chains in flight), each loading its own rows of B.
///
/// [`micro_tile`]: super::micro_tile::micro_tile
///
/// # Safety
/// As `micro_tile`, with every listed step below the panels' depth; `counts` holds `R` counts
/// and `steps` `R·depth` slots.
#[inline(always)]
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
pub(crate) unsafe fn tile_rows<T, V, const MR: usize, const R: usize, const NV: usize>(
    (steps, depth, counts): (&[u16], usize, &[u32]),
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
    let list = |i: usize| &steps[i * depth..][..counts[i] as usize];
    // SAFETY: the whole body: every step read from a list is below the panels' depth (the
    // caller's contract), which is what `fma_step` needs; C's rows are the tile's (i < R).
    unsafe {
        let mut i = 0;
        while i < R {
            let mut x = [V::zero(); NV];
            if i + 1 < R {
                let (lx, ly) = (list(i), list(i + 1));
                let mut y = [V::zero(); NV];
                let both = lx.len().min(ly.len());
                for q in 0..both {
                    fma_step::<T, V, MR, NV>(&mut x, i, *lx.get_unchecked(q), a, (b, rsb));
                    fma_step::<T, V, MR, NV>(&mut y, i + 1, *ly.get_unchecked(q), a, (b, rsb));
                }
                for &p in &lx[both..] {
                    fma_step::<T, V, MR, NV>(&mut x, i, p, a, (b, rsb));
                }
                for &p in &ly[both..] {
                    fma_step::<T, V, MR, NV>(&mut y, i + 1, p, a, (b, rsb));
                }
                store_row::<T, V, NV>(y, c.offset((i + 1) as isize * rsc), csc, alpha, beta);
            } else {
                for &p in list(i) {
                    fma_step::<T, V, MR, NV>(&mut x, i, p, a, (b, rsb));
                }
            }
            store_row::<T, V, NV>(x, c.offset(i as isize * rsc), csc, alpha, beta);
            i += 2;
        }
    }
}

/// Row `i`'s sums over its step `p`: `acc += a[p·MR + i] · B[p, ..NV·LANES]`.
///
/// # Safety
/// `p` is below the panels' depth and `i < MR`: `a + p·MR + i` is in the packed A panel and
/// `b + p·rsb .. + NV·LANES` in B's row p.
#[inline(always)]
#[allow(clippy::needless_range_loop)]
unsafe fn fma_step<T: Float, V: Vector<T>, const MR: usize, const NV: usize>(
    acc: &mut [V; NV],
    i: usize,
    p: u16,
    a: *const T,
    (b, rsb): (*const T, isize),
) {
    let p = usize::from(p);
    // SAFETY: the caller's contract.
    unsafe {
        let (ai, bp) = (V::splat(*a.add(p * MR + i)), b.offset(p as isize * rsb));
        for j in 0..NV {
            acc[j] = ai.mul_add(V::load(bp.add(j * V::LANES)), acc[j]);
        }
    }
}

/// One row of the tile, `alpha·acc + beta·C`, in the order `micro_tile` uses.
///
/// # Safety
/// `c + j·csc` is writable (readable if `beta != 0`) for `j < NV·LANES`.
#[inline(always)]
#[allow(clippy::needless_range_loop)]
pub(crate) unsafe fn store_row<T: Float, V: Vector<T>, const NV: usize>(
    acc: [V; NV],
    c: *mut T,
    csc: isize,
    alpha: T,
    beta: T,
) {
    const { assert!(V::LANES <= 16, "the strided-C buffer holds 16 lanes") };
    let lanes = V::LANES;
    // SAFETY: the caller's contract.
    unsafe {
        let va = V::splat(alpha);
        if csc == 1 {
            let vb = V::splat(beta);
            for j in 0..NV {
                let p = c.add(j * lanes);
                let r = acc[j].mul(va);
                let r = if beta == T::zero() { r } else { vb.mul_add(V::load(p), r) };
                r.store(p);
            }
        } else {
            let mut row = [[T::zero(); 16]; NV];
            for j in 0..NV {
                acc[j].mul(va).store(row[j].as_mut_ptr());
            }
            for j in 0..NV {
                for l in 0..lanes {
                    let p = c.offset((j * lanes + l) as isize * csc);
                    let r = row[j][l];
                    *p = if beta == T::zero() { r } else { beta.mul_add(*p, r) };
                }
            }
        }
    }
}
