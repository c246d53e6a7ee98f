//! The micro-kernel contract: what every micro-kernel is called with, and the [`Kernel`] value
//! that carries one with the block sizes tuned for it.
//!
//! A micro-kernel computes one MR×NR tile of C from an MR-wide packed panel of A and an NR-wide
//! packed panel of B: `C_tile <- alpha·(A_panel · B_panel) + beta·C_tile`, over the k steps it is
//! given ([`Steps`]), while hinting the hardware to fetch the next A panel ([`NextA`]). The
//! contract every implementation keeps is written at `kernel_x86.rs`.

use super::params::{self, BlockSizes};

/// Signature shared by every micro-kernel (see `kernel_x86.rs` for the contract).
pub(crate) type KernelFn<T> = unsafe fn(Steps, NextA, *const T, *const T, *mut T, isize, isize, T, T);

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
}
/// Signature of the narrow-C kernels (`narrow.rs`): rows, k, A and its strides, packed B, C and
/// its strides, n, alpha, beta.
pub(crate) type NarrowFn<T> =
    unsafe fn(usize, usize, *const T, isize, isize, *const T, *mut T, isize, isize, usize, T, T);

/// A micro-kernel and the block sizes tuned for it.
#[derive(Clone, Copy)]
pub struct Kernel<T> {
    /// Human-readable name, e.g. `"avx512 12x32"`.
    pub name: &'static str,
    /// MR, NR and the cache blocks: private, because the packing and edge code trusts them
    /// (checked at compile time by [`BlockSizes::checked`]); read them with [`Kernel::blocks`].
    pub(crate) blocks: BlockSizes,
    pub(crate) run: KernelFn<T>,
    /// The MR×NR tile `run` computes: fixed with it, whatever a caller does to `blocks`.
    pub(crate) tile: (usize, usize),
    /// Exact-size kernels for edge tiles (`rows × cols` smaller than MR × NR), where they exist.
    pub(crate) edge: fn(usize, usize) -> Option<KernelFn<T>>,
}

impl<T> Kernel<T> {
    /// MR, NR and the cache blocks this kernel runs with.
    pub fn blocks(&self) -> BlockSizes {
        self.blocks
    }

    /// The kernel with its block sizes for a whole `m × n` product: KC deepens to `kc_large_c`
    /// when C is larger than L2. Chosen once per product, before any split between threads, so
    /// every part (and so every result bit) is the same for any thread count.
    pub(crate) fn sized_for(&self, m: usize, n: usize) -> Kernel<T> {
        let c_bytes = m.saturating_mul(n).saturating_mul(std::mem::size_of::<T>());
        let kc = if c_bytes > params::l2_bytes() { self.blocks.kc_large_c } else { self.blocks.kc };
        Kernel { blocks: BlockSizes { kc, ..self.blocks }, ..*self }
    }
}

/// No exact-size edge kernels: every edge tile goes through scratch and a merge.
pub(crate) fn no_edge_kernels<T>(_rows: usize, _cols: usize) -> Option<KernelFn<T>> {
    None
}

impl<T> std::fmt::Debug for Kernel<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kernel({}, {:?})", self.name, self.blocks)
    }
}
