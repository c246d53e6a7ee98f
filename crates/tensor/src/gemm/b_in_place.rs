//! A production layer: B read where it lies, not packed, when A is short.
//!
//! ```text
//!   packed:    B[pc.., jc..] --copy--> Bp (kc × NR panels)   kernel row p at Bp + p·NR
//!   in place:                                                  kernel row p at &B[pc + p, jc + jr]
//! ```
//!
//! The kernel reads B one row of NR values per k step. A row-major B (unit column stride) whose
//! block is a whole number of NR-wide panels already holds those rows; only their stride differs
//! from a packed panel's, and the kernel takes the stride as a parameter (`kernel.rs`).
//!
//! Why: packing a KC×NC block of B reads and writes all of it once, and pays for itself by
//! making each later pass over the block (one per MR-row panel of A) read contiguous lines.
//! A short A (a Dense layer's batch: 128 rows, 11 panels) passes over each block few times, so
//! the copy is a large share of the product. A tall A passes over each block many times, where
//! strided rows cost more than one copy (with a row stride of a multiple of 4 KiB the rows also
//! fall into the same cache sets), so the layer stops at [`MAX_A_PANELS`].
//!
//! When it does not apply: B with a non-unit column stride (a transposed view), a block with a
//! partial NR panel (the kernel reads whole rows of NR), and a block whose A skips zero steps
//! (skipping needs B finite, which the packing copy tests for free, and reads B's rows out of
//! order, which a packed copy in L2 serves better).
//!
//! Why the bits do not change: the kernel runs the same steps on the same values in the same
//! order; only the addresses it loads B's rows from differ.

use super::mat::MatRef;
use std::mem::MaybeUninit;

/// The most MR-row panels of A (in one MC block) for which B is read in place: 24 is 288 rows
/// on the 12-row AVX-512 tile (`tessera bench gemm --layers` has the measured gains).
pub(crate) const MAX_A_PANELS: usize = 24;

/// Whether the kernel reads this KC×NC block of B in place: the layer is on, the block is a
/// whole number of `nr`-wide panels with unit column stride, A has at most [`MAX_A_PANELS`]
/// panels, and A's zero steps are not skipped.
pub(crate) fn applies<T: Copy>(b: &MatRef<T>, nr: usize, a_panels: usize, skips: bool) -> bool {
    super::layers::layers().b_in_place
        && !skips
        && b.cs() == 1
        && b.cols().is_multiple_of(nr)
        && a_panels <= MAX_A_PANELS
}

/// One KC×NC block of B as the micro-kernel reads it.
#[derive(Clone, Copy)]
pub(crate) enum BBlock<'a, T> {
    /// Packed by `pack_b`: `ceil(nc/NR)` panels of `kc` rows of NR values, one after another.
    Packed(&'a [MaybeUninit<T>]),
    /// The block itself: unit column stride, `nc` a multiple of NR ([`applies`]).
    InPlace(MatRef<'a, T>),
}

impl<T: Copy> BBlock<'_, T> {
    /// The micro-panel of columns `jr .. jr + nr` (`jr` a multiple of `nr`) of a block `kc`
    /// deep: its first element and its row stride (`None`: packed, `nr` apart).
    pub(crate) fn panel(&self, jr: usize, nr: usize, kc: usize) -> (*const T, Option<isize>) {
        match self {
            BBlock::Packed(p) => (p[(jr / nr) * nr * kc..].as_ptr() as *const T, None),
            BBlock::InPlace(b) => (b.ptr(0, jr), Some(b.rs())),
        }
    }
}
