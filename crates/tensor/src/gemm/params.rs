//! Block sizes of the BLIS loops, per micro-kernel, and the caches they target.
//!
//! Tuned on an AVX-512 Xeon with L1d 48 KiB and L2 2 MiB per core, L3 shared; the measurements
//! behind each choice are in docs/gemm.md.
//!
//! | constant | loop it controls | what must fit | where |
//! |---|---|---|---|
//! | `MR` | LOOP 2 (ir) | MR×NR accumulators in registers | 32 zmm / 16 ymm |
//! | `NR` | LOOP 1 (jr) | MR×NR accumulators in registers | (vector side) |
//! | `KC` | LOOP 4 (pc) | one MR×KC micro-panel of A, reused by every jr | L1 (~half of it) |
//! | `kc_large_c` | LOOP 4, when C > L2 | fewer passes over a C that lives in L3 | |
//! | `NC` | LOOP 3 (jc) | the KC×NC packed block of B, streamed once per ir | L2 (~half of it) |
//! | `MC` | LOOP 5 (ic) | the MC×KC packed block of A | L3 (shared) |
//!
//! The micro-panel that stays in L1 is the broadcast side's (A, MR wide): Goto's rule, transposed
//! for row-major C. The vector side (B, NR wide) streams from L2 with a software prefetch.

/// Block sizes for one micro-kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSizes {
    /// Rows of C per micro-tile (register block, LOOP 2 step).
    pub mr: usize,
    /// Columns of C per micro-tile (register block, LOOP 1 step).
    pub nr: usize,
    /// Depth of one packed panel (LOOP 4 step).
    pub kc: usize,
    /// KC for a product whose C is larger than L2 (see [`l2_bytes`]): such a C lives in L3, and
    /// each KC slice after the first reads and rewrites all of it, so fewer, deeper slices pay.
    pub kc_large_c: usize,
    /// Rows of A packed at once (LOOP 5 step); a multiple of `mr`.
    pub mc: usize,
    /// Columns of B packed at once (LOOP 3 step); a multiple of `nr`.
    pub nc: usize,
}

/// f32 AVX-512: 12×32 tile = 24 zmm accumulators; A micro-panel 12·512·4 B = 24 KiB (L1);
/// B block 512·256·4 B = 512 KiB (L2: a quarter, which leaves room for the source rows being
/// packed); A block up to 4080·512·4 B = 8 MiB (L3). With a C larger than L2, KC 1024 (B block
/// 1 MiB): fewer passes over a C that lives in L3.
pub const F32_AVX512: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 12, nr: 32, kc: 512, kc_large_c: 1024, mc: 4080, nc: 256 });
/// f32 AVX2+FMA: 6×16 tile = 12 ymm accumulators; A micro-panel 6·256·4 B = 6 KiB, B block
/// 512 KiB (AVX2 parts have 32 KiB L1 and 256 KiB-1 MiB L2).
pub const F32_AVX2: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 6, nr: 16, kc: 256, kc_large_c: 256, mc: 4080, nc: 512 });
/// f32 portable (`wide::f32x8`): 4×8 tile, fits 16 SSE registers when AVX is not compiled in.
pub const F32_WIDE: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 4, nr: 8, kc: 256, kc_large_c: 256, mc: 4080, nc: 512 });
/// f64 AVX-512: 12×16 tile = 24 zmm accumulators; A micro-panel 12·256·8 B = 24 KiB (L1);
/// B block 256·512·8 B = 1 MiB (L2, so a deeper KC for a large C would not fit).
pub const F64_AVX512: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 12, nr: 16, kc: 256, kc_large_c: 256, mc: 4080, nc: 512 });
/// f64 AVX2+FMA: 6×8 tile = 12 ymm accumulators; B block 512 KiB.
pub const F64_AVX2: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 6, nr: 8, kc: 256, kc_large_c: 256, mc: 4080, nc: 256 });
/// f64 portable (`wide::f64x4`): 4×4 tile.
pub const F64_WIDE: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 4, nr: 4, kc: 256, kc_large_c: 256, mc: 4080, nc: 256 });

/// f32 NEON (aarch64): 8×12 tile = 24 of the 32 q registers as accumulators, 3 for B, 1 for
/// the broadcast; A micro-panel 8·256·4 B = 8 KiB, B block 256·516·4 B ≈ 516 KiB. Not tuned on
/// an ARM core (none was at hand): the register budget sets MR×NR, the caches the usual fractions.
pub const F32_NEON: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 8, nr: 12, kc: 256, kc_large_c: 256, mc: 4080, nc: 516 });
/// f64 NEON (aarch64): 8×6 tile = 24 q-register accumulators.
pub const F64_NEON: BlockSizes =
    BlockSizes::checked(BlockSizes { mr: 8, nr: 6, kc: 256, kc_large_c: 256, mc: 4080, nc: 258 });

/// The largest MR×NR tile a kernel may have: the masked-edge scratch buffer's length.
pub const MAX_TILE: usize = 512;

impl BlockSizes {
    /// The sizes, or a compile error when used in a `const`: the packing and edge code index
    /// with them unchecked, so MC must be a multiple of MR, NC of NR, and the tile must fit the
    /// edge scratch buffer.
    pub const fn checked(b: BlockSizes) -> BlockSizes {
        assert!(b.mr > 0 && b.nr > 0 && b.kc > 0 && b.kc_large_c > 0, "block sizes must be positive");
        assert!(b.mc.is_multiple_of(b.mr), "MC must be a multiple of MR");
        assert!(b.nc.is_multiple_of(b.nr), "NC must be a multiple of NR");
        assert!(b.mr * b.nr <= MAX_TILE, "the MR x NR tile must fit the edge scratch buffer");
        b
    }
}

/// L2 per core of the CPU the block sizes were tuned on (an AVX-512 Xeon); [`l2_bytes`] uses it
/// when the running CPU's own size cannot be read.
pub const TUNED_L2_BYTES: usize = 2 << 20;

/// L2 per core of the running CPU, read once (Linux: `/sys/devices/system/cpu/cpu0/cache`), else
/// [`TUNED_L2_BYTES`]. A C larger than this is read from L3 by every KC slice, and an A block
/// larger than half of it comes from L3.
pub fn l2_bytes() -> usize {
    static L2: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *L2.get_or_init(|| read_l2_bytes().unwrap_or(TUNED_L2_BYTES))
}

/// The level-2 data or unified cache of CPU 0, from sysfs (`size` reads like `2048K`).
fn read_l2_bytes() -> Option<usize> {
    if cfg!(miri) {
        return None; // Miri runs isolated from the file system
    }
    let dir = std::path::Path::new("/sys/devices/system/cpu/cpu0/cache");
    for entry in std::fs::read_dir(dir).ok()? {
        let path = entry.ok()?.path();
        let read = |name: &str| std::fs::read_to_string(path.join(name)).ok().map(|s| s.trim().to_string());
        if read("level").as_deref() != Some("2") || read("type").as_deref() == Some("Instruction") {
            continue;
        }
        return parse_cache_size(&read("size")?);
    }
    None
}

/// `2048K` -> 2 MiB, `1M` -> 1 MiB, `512` -> 512 bytes; `None` for anything else or zero.
fn parse_cache_size(s: &str) -> Option<usize> {
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let scale = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        _ => return None,
    };
    digits.parse::<usize>().ok()?.checked_mul(scale).filter(|&b| b > 0)
}

/// Cache blocks for the unpacked `blocked` tier (rows, depth, columns of one block).
pub const BLOCKED_MC: usize = 64;
/// See [`BLOCKED_MC`].
pub const BLOCKED_KC: usize = 256;
/// See [`BLOCKED_MC`].
pub const BLOCKED_NC: usize = 512;

/// Below this many multiply-adds (m·n·k) the parallel tier runs on one thread: splitting costs
/// more than it saves (`tessera bench gemm --shapes` shows where two threads start to win).
pub const PARALLEL_MIN_FLOPS: usize = 96 * 96 * 96;

/// [`PARALLEL_MIN_FLOPS`] for a call from outside any rayon pool, which pays 25-35 µs to enter
/// the pool and be woken at the end (`runtime::fork::min_work`): a 128³ product takes 30 µs on
/// one thread and 51 µs split from there, 192³ 96 µs and 88 (`cargo bench --bench waking`).
pub const PARALLEL_MIN_FLOPS_OUTSIDE: usize = 192 * 192 * 192;

/// The narrow path's threshold (it packs no A, so a split costs less; the MNIST products
/// 128×512·512×10 and 512×128·128×10 are above it).
pub const NARROW_PARALLEL_MIN_FLOPS: usize = 1 << 18;

/// Products of at most this many multiply-adds (in one KC slice) skip packing (`narrow.rs`,
/// `small_serial`): up to 2²³ (128×512·512×128, 203³), where packing A and scanning it for zero
/// steps cost more than they save (docs/gemm.md, "Small products").
pub const SMALL_MAX_FLOPS: usize = 1 << 23;

/// The small path needs this much depth: below it each tile's few k steps do not pay for its
/// setup (shallow products run faster packed; docs/gemm.md, "Small products").
pub const SMALL_MIN_DEPTH: usize = 32;

#[cfg(test)]
mod tests {
    #[test]
    fn cache_sizes_parse() {
        assert_eq!(super::parse_cache_size("2048K"), Some(2 << 20));
        assert_eq!(super::parse_cache_size("1M"), Some(1 << 20));
        assert_eq!(super::parse_cache_size("512"), Some(512));
        for bad in ["", "K", "0K", "12X", "99999999999999999999K"] {
            assert_eq!(super::parse_cache_size(bad), None, "{bad}");
        }
        assert!(super::l2_bytes() >= 64 << 10);
    }
}
