//! Block sizes of the BLIS loops, per micro-kernel, and the caches they target.
//!
//! This machine (Sapphire Rapids class): L1d 48 KiB and L2 2 MiB per core, L3 shared.
//!
//! | constant | loop it controls | what must fit | where |
//! |---|---|---|---|
//! | `MR` | LOOP 1 (ir) | MR×NR accumulators in registers | 32 zmm / 16 ymm |
//! | `NR` | LOOP 2 (jr) | one KC×NR micro-panel of B | L1 |
//! | `KC` | LOOP 4 (pc) | KC×NR (B) + KC×MR (A) micro-panels | L1 (~3/4 of it) |
//! | `MC` | LOOP 3 (ic) | the MC×KC packed block of A | L2 (~1/4 of it) |
//! | `NC` | LOOP 5 (jc) | the KC×NC packed block of B | L3 (shared) |

/// Block sizes for one micro-kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSizes {
    /// Rows of C per micro-tile (register block, LOOP 1 step).
    pub mr: usize,
    /// Columns of C per micro-tile (register block, LOOP 2 step).
    pub nr: usize,
    /// Depth of one packed panel (LOOP 4 step).
    pub kc: usize,
    /// Rows of A packed at once (LOOP 3 step); a multiple of `mr`.
    pub mc: usize,
    /// Columns of B packed at once (LOOP 5 step); a multiple of `nr`.
    pub nc: usize,
}

impl BlockSizes {
    /// The block sizes for a product of depth `k`: for deep products (k ≥ 1024) KC doubles, which
    /// halves the read-modify-write passes over C (measured: ~+8% at 2048³, neutral below; the
    /// B micro-panel then streams from L2 instead of sitting in L1, which the FMA rate tolerates).
    /// Depends on the shape only, so results stay independent of the thread count.
    pub fn for_depth(self, k: usize) -> BlockSizes {
        if k >= 1024 { BlockSizes { kc: self.kc * 2, ..self } } else { self }
    }
}

/// f32 AVX-512: 12×32 tile = 24 zmm accumulators; B micro-panel 32·256·4 B = 32 KiB (L1);
/// A block 192·256·4 B = 192 KiB (L2); B block 256·4096·4 B = 4 MiB (L3).
pub const F32_AVX512: BlockSizes = BlockSizes { mr: 12, nr: 32, kc: 256, mc: 192, nc: 4096 };
/// f32 AVX2+FMA: 6×16 tile = 12 ymm accumulators; B micro-panel 16·256·4 B = 16 KiB.
pub const F32_AVX2: BlockSizes = BlockSizes { mr: 6, nr: 16, kc: 256, mc: 144, nc: 4096 };
/// f32 portable (`wide::f32x8`): 4×8 tile, fits 16 SSE registers when AVX is not compiled in.
pub const F32_WIDE: BlockSizes = BlockSizes { mr: 4, nr: 8, kc: 256, mc: 128, nc: 4096 };
/// f64 AVX-512: 12×16 tile = 24 zmm accumulators; B micro-panel 16·256·8 B = 32 KiB.
pub const F64_AVX512: BlockSizes = BlockSizes { mr: 12, nr: 16, kc: 256, mc: 96, nc: 2048 };
/// f64 AVX2+FMA: 6×8 tile = 12 ymm accumulators.
pub const F64_AVX2: BlockSizes = BlockSizes { mr: 6, nr: 8, kc: 256, mc: 72, nc: 2048 };
/// f64 portable (`wide::f64x4`): 4×4 tile.
pub const F64_WIDE: BlockSizes = BlockSizes { mr: 4, nr: 4, kc: 256, mc: 64, nc: 2048 };

/// Cache blocks for the unpacked `blocked` tier (rows, depth, columns of one block).
pub const BLOCKED_MC: usize = 64;
/// See [`BLOCKED_MC`].
pub const BLOCKED_KC: usize = 256;
/// See [`BLOCKED_MC`].
pub const BLOCKED_NC: usize = 512;

/// Below this many multiply-adds (m·n·k) the parallel tier runs on one thread: splitting costs
/// more than it saves (measured with `tessera bench gemm`: 2 threads start to win near 128³).
pub const PARALLEL_MIN_FLOPS: usize = 96 * 96 * 96;
