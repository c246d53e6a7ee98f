//! The micro-kernel contract, plain BLIS: one call computes one MR×NR tile of C,
//!
//! ```text
//! kernel(k, a, b, c, rsc, csc, alpha, beta):   C_tile <- alpha·(a · b) + beta·C_tile
//!   a: packed A micro-panel, k × MR   (a[p·MR + i] = A[i, p])
//!   b: packed B micro-panel, k × NR   (b[p·NR + j] = B[p, j])
//!   c: the tile's first element; element (i, j) at c + i·rsc + j·csc
//! ```
//!
//! With `beta == 0` C is only written, never read (it may hold NaN). Every ISA implements it
//! through one generic body (`micro_tile.rs`) over its [`Vector`](crate::simd::vector::Vector) type:
//! `kernel_x86.rs` (AVX-512F, AVX2+FMA) and `kernel_wide.rs` (portable). [`Kernel`] carries one
//! ISA's kernel with the block sizes tuned for it.
//!
//! Three production layers (`layers.rs`) need a word with the kernel, so each kernel also has a
//! layered entry ([`LayeredFn`]) taking [`Steps`] (skip A's all-zero k steps, `zero_steps.rs`),
//! [`NextA`] (prefetch the next A panel) and B's row stride (B read in place, `b_in_place.rs`);
//! [`TileFns::call`] takes the plain entry whenever no layer has anything to say.

use super::params::{self, BlockSizes};

/// The plain BLIS micro-kernel: `(k, a, b, c, rsc, csc, alpha, beta)` (module docs).
///
/// # Safety
/// The CPU has the kernel's ISA; `a` holds `k·MR` and `b` `k·NR` readable values; every
/// `c + i·rsc + j·csc` of the tile is writable (readable if `beta != 0`) and reached by no other
/// thread.
pub(crate) type KernelFn<T> = unsafe fn(usize, *const T, *const T, *mut T, isize, isize, T, T);

/// The same kernel with the layers' inputs: which k steps to sum, what to prefetch, and B's row
/// stride `rsb` (NR for a packed panel; B's own row stride when it is read in place):
/// `(steps, next_a, a, b, rsb, c, rsc, csc, alpha, beta)`, where row `p` of B's micro-panel is
/// the NR values from `b + p·rsb`.
///
/// # Safety
/// As [`KernelFn`], where `k` is the panels' depth and every step of [`Steps`] is below it, and
/// `b + p·rsb .. + NR` is readable for every such step `p`.
pub(crate) type LayeredFn<T> = unsafe fn(Steps, NextA, *const T, *const T, isize, *mut T, isize, isize, T, T);

/// A stretch of the next A micro-panel that a micro-kernel call asks the hardware to bring into
/// L2 while it computes, one 64-byte line every few k steps (`packed.rs`: only for A blocks
/// larger than L2, whose panels would otherwise come from L3 at the first tile of each row).
/// A hint: the address is never dereferenced, so it may be anything.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NextA {
    /// First byte of the stretch.
    pub(crate) at: *const u8,
    /// How many 64-byte lines from `at`.
    pub(crate) lines: usize,
}

impl NextA {
    /// Nothing to prefetch.
    pub(crate) const NONE: NextA = NextA { at: std::ptr::null(), lines: 0 };
}

/// The k steps a micro-kernel sums over.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Steps<'a> {
    /// Every step `0..k` of the packed panels.
    All(usize),
    /// Only these steps, ascending: the others are all-zero in A's micro-panel (`zero_steps.rs`).
    Only(&'a [u16]),
    /// Each row of A's micro-panel its own steps, ascending (`row_steps.rs`): row `i`'s are
    /// `steps[i·depth..][..counts[i]]`.
    Rows { steps: &'a [u16], depth: usize, counts: &'a [u32] },
}

/// The two entries of one tile size of one kernel.
pub(crate) struct TileFns<T> {
    /// The plain BLIS call.
    pub(crate) plain: KernelFn<T>,
    /// With zero-step skipping, the next-A prefetch and B read in place.
    pub(crate) layered: LayeredFn<T>,
    /// NR: the row stride of a packed B panel.
    pub(crate) nr: usize,
}

impl<T> Clone for TileFns<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for TileFns<T> {}

impl<T> TileFns<T> {
    /// Runs the tile: the plain kernel over all `k` steps when no layer has a word to say. B is
    /// a packed panel (`rsb` = `None`) or read in place, its rows `rsb` apart.
    ///
    /// # Safety
    /// As [`LayeredFn`], with `rsb` NR when `None`.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) unsafe fn call(
        &self,
        steps: Steps,
        next_a: NextA,
        a: *const T,
        (b, rsb): (*const T, Option<isize>),
        c: *mut T,
        rsc: isize,
        csc: isize,
        alpha: T,
        beta: T,
    ) {
        // SAFETY: the caller's contract, forwarded (Steps::All(k) is the panels' depth; a packed
        // panel's rows are NR apart).
        unsafe {
            match (steps, rsb) {
                (Steps::All(k), None) if next_a.lines == 0 => (self.plain)(k, a, b, c, rsc, csc, alpha, beta),
                _ => {
                    let rsb = rsb.unwrap_or(self.nr as isize);
                    (self.layered)(steps, next_a, a, b, rsb, c, rsc, csc, alpha, beta)
                }
            }
        }
    }
}

/// Signature of the narrow-C kernels (`narrow.rs`): rows, k, A and its strides, packed B, C and
/// its strides, n, alpha, beta.
pub(crate) type NarrowFn<T> =
    unsafe fn(usize, usize, *const T, isize, isize, *const T, *mut T, isize, isize, usize, T, T);

/// One block of A as each row's nonzero steps and values (`sparse_rows.rs`), with room for the
/// sparse kernel's partial sums (`sparse_tile.rs`).
pub(crate) struct SparseBlock<'a, T> {
    /// Row `i`'s entries end at `ends[i]` (and start where row `i - 1`'s end, or at 0).
    pub(crate) ends: &'a [u32],
    /// Each entry's step, ascending within a row, below `depth`.
    pub(crate) steps: &'a [u32],
    pub(crate) values: &'a [T],
    pub(crate) depth: usize,
    /// At least `ends.len()` rows of a panel's width.
    pub(crate) scratch: &'a mut [std::mem::MaybeUninit<T>],
    /// At least `ends.len()` slots.
    pub(crate) cursor: &'a mut [std::mem::MaybeUninit<u32>],
}

/// The sparse-rows kernel: `(block, (b, rsb), n, c, (rsc, csc), alpha, beta)`, every row of the
/// block times B's `n` columns: `C <- alpha·(A·B) + beta·C`.
///
/// # Safety
/// The CPU has the kernel's ISA; `b + p·rsb + j` is readable for `p < depth`, `j < n`;
/// `c + i·rsc + j·csc` is writable (readable if `beta != 0`) for each row `i` of the block and
/// `j < n`, and reached by no other thread; `n` is at most the kernel's width.
pub(crate) type SparseFn<T> =
    unsafe fn(SparseBlock<'_, T>, (*const T, isize), usize, *mut T, (isize, isize), T, T);

/// An ISA's sparse-rows kernel and the width of B's panels it reads.
pub(crate) struct SparseKernel<T> {
    pub(crate) run: SparseFn<T>,
    /// Columns per panel of B (a whole number of the kernel's vectors).
    pub(crate) width: usize,
}

impl<T> Clone for SparseKernel<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for SparseKernel<T> {}

/// A micro-kernel and the block sizes tuned for it.
#[derive(Clone, Copy)]
pub struct Kernel<T> {
    /// Human-readable name, e.g. `"avx512 12x32"`.
    pub name: &'static str,
    /// MR, NR and the cache blocks: private, because the packing and edge code trusts them
    /// (checked at compile time by [`BlockSizes::checked`]); read them with [`Kernel::blocks`].
    pub(crate) blocks: BlockSizes,
    /// The full MR×NR tile.
    pub(crate) full: TileFns<T>,
    /// The MR×NR tile `full` computes: fixed with it, whatever a caller does to `blocks`.
    pub(crate) tile: (usize, usize),
    /// Exact-size kernels for edge tiles (`rows × cols` smaller than MR × NR), where they exist:
    /// they write C directly instead of a full tile into scratch plus a merge, with the same
    /// operations per element, so the same bits.
    pub(crate) edge: fn(usize, usize) -> Option<TileFns<T>>,
    /// The same ISA's kernel for blocks of A taken as sparse rows (`sparse_rows.rs`).
    pub(crate) sparse: SparseKernel<T>,
}

impl<T> Kernel<T> {
    /// MR, NR and the cache blocks this kernel runs with.
    pub fn blocks(&self) -> BlockSizes {
        self.blocks
    }

    /// The kernel with its block sizes for a whole `m × k × n` product: KC deepens to
    /// `kc_large_c` when C is larger than L2, then shrinks to cut k into slices of equal depth
    /// (k = 784 with KC 512: two slices of 392, not 512 and 272), so that a product of two
    /// slices can give each of two threads one (`parallel.rs`, the depth split). Chosen once
    /// per product, before any split between threads, so every part (and so every result bit)
    /// is the same for any thread count.
    pub(crate) fn sized_for(&self, m: usize, k: usize, n: usize) -> Kernel<T> {
        let c_bytes = m.saturating_mul(n).saturating_mul(std::mem::size_of::<T>());
        let kc = if c_bytes > params::l2_bytes() { self.blocks.kc_large_c } else { self.blocks.kc };
        let kc = k.div_ceil(k.div_ceil(kc).max(1)).clamp(1, kc);
        Kernel { blocks: BlockSizes { kc, ..self.blocks }, ..*self }
    }
}

/// No exact-size edge kernels: every edge tile goes through scratch and a merge.
pub(crate) fn no_edge_kernels<T>(_rows: usize, _cols: usize) -> Option<TileFns<T>> {
    None
}

impl<T> std::fmt::Debug for Kernel<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kernel({}, {:?})", self.name, self.blocks)
    }
}
