//! Sparse rows: a block of A so sparse that each row's own nonzeros, listed once, beat packing A.
//!
//! ```text
//!  A block (rows × kc), read in place         each row's list          C row i (all n columns)
//!  step:  0  1  2  3  4  5  6                  row 0: (2, .3)           = .3·B[2, ..]
//!         0  0  .3 0  0  0  0                  row 1: (3, .8) (5, .1)   = .8·B[3, ..] + .1·B[5, ..]
//!         0  0  0  .8 0  .1 0                  row 2: (2, .5) (3, .2)   = .5·B[2, ..] + .2·B[3, ..]
//!         0  0  .5 .2 0  0  0
//! ```
//!
//! Zero-skipping (`zero_steps.rs`) keeps a step for all MR rows of a packed panel when any of them
//! is nonzero there. On MNIST a panel of 12 images keeps ~50% of the 784 pixel steps while each
//! image lights ~19%, and a panel of 12 pixels keeps ~50% of the batch while each pixel is lit in
//! ~19% of it; row steps (`row_steps.rs`) help only where B's micro-panel fits L1. Here A is not
//! packed at all: [`SparseRows::scan`] lists each row's nonzero steps and values straight from A
//! (`nonzeros.rs`), B is packed in panels a few vectors wide, and each row of C is computed from
//! its own list (`sparse_tile.rs`): ~2.6× fewer multiply-adds than the kept steps, each with its
//! own load of B (the packed kernel loads a B vector once for MR of them). So a block runs here
//! only when its rows' nonzeros are few enough against what the packed kernel would multiply
//! ([`sparse_enough`]).
//!
//! Why the result keeps every bit: each element of C sums the same products in ascending step
//! order from +0 with the same fused multiply-adds as the packed kernel, over the same KC slices,
//! then takes alpha and beta as it does; the steps it leaves out add `0·b = ±0`, as in
//! zero-skipping, so B must be finite ([`pack_panels`] checks; else the block runs packed).

use super::buffers::Buffer;
use super::epilogue::Epilogue;
use super::kernel::{Kernel, SparseBlock};
use super::mat::{MatMut, MatRef};
use super::nonzeros::SLACK;
use super::scalar::GemmScalar;
use std::mem::MaybeUninit;

/// Whether a block whose rows hold `nnz` nonzeros runs here rather than packed, where the packed
/// kernel would run `packed_rows` multiply-add rows (each panel's kept steps times its rows, in
/// panels of `mr`): at most half as many with 12-row panels, three quarters with 8 or fewer.
/// The packed kernel loads each vector of B once for its `mr` rows, so the shorter its panels,
/// the less it gains on the lists' one load per multiply-add (MNIST's `dW1 = xᵀ·dh`, 6-row
/// panels on AVX2: 0.56 of the packed rows, 2.2× faster as sparse rows).
fn sparse_enough(nnz: usize, packed_rows: usize, mr: usize) -> bool {
    4 * nnz <= 3 * packed_rows && mr * nnz <= 6 * packed_rows
}

/// Blocks of A at most this many 64-step words deep (4,096 steps; deeper KC slices pack).
const MAX_WORDS: usize = 64;

/// Whether the layer may take this product's blocks: on, and A not packed beforehand.
pub(crate) fn applies(a_packed: bool) -> bool {
    super::layers::layers().sparse_rows && !a_packed
}

/// Whether the first `mr` rows of `a` (one KC slice deep at most) would run as sparse rows: a
/// cheap look at a block (or a row split's A, `parallel.rs`) before taking the lists' buffers.
pub(crate) fn first_panel_runs_sparse<T: GemmScalar>(a: &MatRef<T>, mr: usize) -> bool {
    let (rows, depth) = (mr.min(a.rows()), a.cols());
    applies(false)
        && depth <= 64 * MAX_WORDS
        && SparseRows::new(rows, depth, 0).scan(&a.sub(0, 0, rows, depth), mr)
}

/// The layer over one product's blocks of A: the lists and B's wide panels, taken from the
/// thread's buffers only when a block's first panel runs as sparse rows (a dense product never
/// holds them).
pub(crate) struct SparseBlocks<T> {
    on: bool,
    /// Rows and depth of the largest block, and B's columns.
    rows: usize,
    kc_max: usize,
    n: usize,
    /// The lists, and B's panels with whether they hold all of B packed and finite already
    /// (`same_b`: every block multiplies all of the same B).
    held: Option<(SparseRows<T>, Buffer<T>, Option<bool>)>,
    same_b: bool,
}

impl<T: GemmScalar> SparseBlocks<T> {
    /// For blocks of up to `rows × kc_max` of A against `n` columns of B; with `same_b`, every
    /// block's B is the same (packed once).
    pub(crate) fn new(a_packed: bool, rows: usize, kc_max: usize, n: usize, same_b: bool) -> Self {
        SparseBlocks { on: applies(a_packed), rows, kc_max, n, held: None, same_b }
    }

    /// Runs `C[i0.., ..] <- alpha·(a·b) + beta·C[i0.., ..]` (then `epi` on those rows) as sparse
    /// rows if the block `a` is sparse enough and `b` (its depth of B, all `n` columns) finite;
    /// false when it did nothing.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn try_block(
        &mut self,
        kernel: &Kernel<T>,
        a: &MatRef<T>,
        b: &MatRef<T>,
        c: &mut MatMut<T>,
        i0: usize,
        (alpha, beta): (T, T),
        epi: Option<Epilogue<T>>,
    ) -> bool {
        let (width, mr) = (kernel.sparse.width, kernel.blocks.mr);
        if !self.on || (self.held.is_none() && !first_panel_runs_sparse(a, mr)) {
            return false;
        }
        let (rows, kc_max, n) = (self.rows, self.kc_max, self.n);
        let (lists, panels, packed) = self.held.get_or_insert_with(|| {
            (SparseRows::new(rows, kc_max, width), Buffer::take(n.next_multiple_of(width) * kc_max), None)
        });
        if !lists.scan(a, mr) {
            return false;
        }
        let len = n.next_multiple_of(width) * b.rows();
        let finite = match packed {
            Some(finite) if self.same_b => *finite,
            _ => *packed.insert(pack_panels(b, width, &mut panels[..len])),
        };
        if finite {
            // SAFETY: pack_panels wrote all `len` values, for this block's B (or, with `same_b`,
            // for the B every block shares).
            lists.run(kernel, unsafe { assume(&panels[..len]) }, n, c, i0, (alpha, beta), epi);
        }
        finite
    }
}

/// The nonzero steps and values of each row of one block of A, and the kernel's scratch.
pub(crate) struct SparseRows<T> {
    /// Row `i`'s entries end at `ends[i]` (and start where row `i - 1`'s end, or at 0).
    ends: Buffer<u32>,
    steps: Buffer<u32>,
    values: Buffer<T>,
    /// Each row's partial sums between the kernel's passes, one panel of B wide.
    scratch: Buffer<T>,
    /// Each row's next entry, between the kernel's passes.
    cursor: Buffer<u32>,
    /// A row or a panel of A when its values are not contiguous (`copy_row`,
    /// `transpose_panel`), taken when needed.
    copy: Option<Buffer<T>>,
    /// Rows and depth of the block the last successful scan listed (0 rows: none).
    rows: usize,
    depth: usize,
}

impl<T: GemmScalar> SparseRows<T> {
    /// Room for blocks of up to `rows × kc`, for a kernel whose panels of B are `width` wide.
    pub(crate) fn new(rows: usize, kc: usize, width: usize) -> Self {
        let len = rows * kc + SLACK;
        SparseRows {
            ends: Buffer::take(rows),
            steps: Buffer::take(len),
            values: Buffer::take(len),
            scratch: Buffer::take(rows * width),
            cursor: Buffer::take(rows),
            copy: None,
            rows: 0,
            depth: 0,
        }
    }

    /// Lists the nonzeros of each row of `a` (at most the rows and depth given to
    /// [`SparseRows::new`]), panel of `mr` rows after panel, and says whether the block should
    /// run here: false as soon as the rows so far are not [`sparse_enough`] against the panels'
    /// kept steps times their rows (a dense A stops after its first panel).
    pub(crate) fn scan(&mut self, a: &MatRef<T>, mr: usize) -> bool {
        let _span = crate::runtime::trace::span("scan A");
        let (m, kc) = (a.rows(), a.cols());
        self.rows = 0;
        let words = kc.div_ceil(64);
        if words > MAX_WORDS || m > self.ends.len() || m * kc + SLACK > self.steps.len() {
            return false;
        }
        // A row of A not laid out value after value is first copied to `copy`: a column-major
        // A (each step's values of a panel side by side) a panel at a time, through packing's
        // transposes; any other layout a row at a time.
        let (copied, by_panel) = (a.cs() != 1, a.cs() != 1 && a.rs() == 1 && kc > 0);
        let copy_len = if by_panel { mr.max(1) * kc } else { kc };
        if copied && self.copy.as_ref().is_none_or(|s| s.len() < copy_len) {
            self.copy = Some(Buffer::take(copy_len));
        }
        let mut union = [0u64; MAX_WORDS];
        let (mut nnz, mut packed_rows) = (0usize, 0usize);
        for panel in (0..m).step_by(mr.max(1)) {
            let rows = mr.max(1).min(m - panel);
            union[..words].fill(0);
            // The lists hold m·kc + SLACK slots and nnz <= i·kc entries precede row i.
            let (steps, values, ends) = (&mut self.steps, &mut self.values, &mut self.ends);
            let mut list = |i: usize, row: &[T]| {
                nnz += T::nonzeros(row, 0, &mut steps[nnz..], &mut values[nnz..], &mut union[..words]);
                ends[i].write(nnz as u32);
            };
            match &mut self.copy {
                Some(copy) if by_panel => {
                    let strip = transpose_panel(a, panel, rows, &mut copy[..rows * kc]);
                    for (i, row) in (panel..).zip(strip.chunks_exact(kc)) {
                        list(i, row);
                    }
                }
                Some(copy) if copied => {
                    for i in panel..panel + rows {
                        list(i, copy_row(a, i, &mut copy[..kc]));
                    }
                }
                _ => {
                    for i in panel..panel + rows {
                        // SAFETY: row i < m, columns 0 .. kc of the checked view, unit stride.
                        list(i, unsafe { std::slice::from_raw_parts(a.ptr(i, 0), kc) });
                    }
                }
            }
            let kept: u32 = union[..words].iter().map(|w| w.count_ones()).sum();
            packed_rows += kept as usize * rows;
            if !sparse_enough(nnz, packed_rows, mr) {
                return false;
            }
        }
        (self.rows, self.depth) = (m, kc);
        true
    }

    /// `C <- alpha·(A·B) + beta·C` for the block the last [`SparseRows::scan`] listed (it
    /// returned true), whose rows are C's from `i0`, with B's `n` columns packed by
    /// [`pack_panels`] for `kernel`; then the epilogue on those rows.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run(
        &mut self,
        kernel: &Kernel<T>,
        panels: &[T],
        n: usize,
        c: &mut MatMut<T>,
        i0: usize,
        (alpha, beta): (T, T),
        epi: Option<Epilogue<T>>,
    ) {
        let _span = crate::runtime::trace::span("sparse rows");
        let (width, depth, rows) = (kernel.sparse.width, self.depth, self.rows);
        assert!(rows > 0 && i0 + rows <= c.rows() && n == c.cols(), "the listed block lies in C");
        assert!(panels.len() >= n.div_ceil(width) * width * depth, "B's panels cover the block");
        assert!(self.scratch.len() >= rows * width && self.cursor.len() >= rows);
        let (c_rs, c_cs) = (c.rs(), c.cs());
        for (q, j0) in (0..n).step_by(width).enumerate() {
            let cols = width.min(n - j0);
            let block = self.block();
            // SAFETY: the listed steps are below `depth` (scan) and panel q holds `depth` rows
            // of `width` values from its start (asserted), of which the kernel reads the first
            // `cols`; rows i0 .. i0 + rows, columns j0 .. j0 + cols lie in C (asserted), which
            // `c` lends us alone; the kernel's ISA is this CPU's (it was chosen for it).
            unsafe {
                (kernel.sparse.run)(
                    block,
                    (panels[q * width * depth..].as_ptr(), width as isize),
                    cols,
                    c.ptr_mut(i0, j0),
                    (c_rs, c_cs),
                    alpha,
                    beta,
                )
            };
        }
        if let Some(e) = epi {
            e.apply_block(c, (i0, 0), (rows, n));
        }
    }

    /// The listed block as the kernel takes it.
    fn block(&mut self) -> SparseBlock<'_, T> {
        let rows = self.rows;
        // SAFETY: the last successful scan wrote ends[..rows] and every entry before the last
        // row's end; MaybeUninit<U> has U's layout.
        unsafe {
            let ends = assume(&self.ends[..rows]);
            let len = ends.last().map_or(0, |&e| e as usize);
            SparseBlock {
                ends,
                steps: assume(&self.steps[..len]),
                values: assume(&self.values[..len]),
                depth: self.depth,
                scratch: &mut self.scratch[..],
                cursor: &mut self.cursor[..],
            }
        }
    }
}

/// Rows `panel .. panel + rows` of a column-major `a` (unit row stride) copied to `out` row after
/// row: packing's transpose (`pack_transpose.rs`), each step's run of the panel's rows in, each
/// row's run of steps out.
fn transpose_panel<'s, T: GemmScalar>(
    a: &MatRef<T>,
    panel: usize,
    rows: usize,
    out: &'s mut [MaybeUninit<T>],
) -> &'s [T] {
    let kc = a.cols();
    assert!(a.rs() == 1 && panel + rows <= a.rows() && rows > 0 && out.len() == rows * kc);
    // SAFETY: run p (step p < kc) starts at (panel, p) and holds the panel's `rows` values, one
    // apart: inside the checked view; `out` holds rows·kc values, row r's steps at r·kc (the
    // runs' count kc is the width, so nothing is padded), all of them written.
    unsafe {
        T::pack_runs(a.ptr(panel, 0), a.cs(), kc, rows, kc, out.as_mut_ptr() as *mut T);
        assume(out)
    }
}

/// Row `i` of `a` (any strides) copied to `out`, which holds its `a.cols()` values.
fn copy_row<'s, T: GemmScalar>(a: &MatRef<T>, i: usize, out: &'s mut [MaybeUninit<T>]) -> &'s [T] {
    assert!(i < a.rows() && out.len() == a.cols());
    let mut at = a.ptr(i, 0);
    for v in out.iter_mut() {
        // SAFETY: (i, p) for p < cols lies inside the checked view; `at` is (i, p) here.
        v.write(unsafe { *at });
        at = at.wrapping_offset(a.cs());
    }
    // SAFETY: the loop wrote every value.
    unsafe { assume(out) }
}

/// Packs `b` in panels `width` wide for the sparse kernel (zero past its last column) and says
/// whether all of it is finite (else the block runs packed: a left-out `0·∞` would hide a NaN).
pub(crate) fn pack_panels<T: GemmScalar>(b: &MatRef<T>, width: usize, out: &mut [MaybeUninit<T>]) -> bool {
    let _span = crate::runtime::trace::span("pack B");
    let finite = super::pack::pack_b(b, width, out, true);
    let len = b.cols().next_multiple_of(width) * b.rows();
    // SAFETY: pack_b just wrote the panels' `len` values.
    finite.unwrap_or_else(|| super::zero_steps::all_finite(unsafe { assume(&out[..len]) }))
}

/// # Safety
/// Every element of `s` is initialised.
#[inline(always)]
unsafe fn assume<U>(s: &[MaybeUninit<U>]) -> &[U] {
    // SAFETY: the caller's contract; MaybeUninit<U> has U's layout.
    unsafe { &*(s as *const [MaybeUninit<U>] as *const [U]) }
}

#[cfg(test)]
mod tests {
    use super::sparse_enough;

    /// Half of the packed rows with 12-row panels, three quarters with 8 or fewer: MNIST's
    /// `dW1` (0.56 of them in 6-row panels, 0.39 in 12-row ones) runs as sparse rows on both.
    #[test]
    fn the_share_follows_the_panels_height() {
        assert!(sparse_enough(39, 100, 12) && sparse_enough(50, 100, 12) && !sparse_enough(51, 100, 12));
        assert!(sparse_enough(56, 100, 6) && sparse_enough(75, 100, 8) && !sparse_enough(76, 100, 4));
        assert!(sparse_enough(0, 0, 12) && !sparse_enough(1, 0, 6));
    }
}
