//! The teaching ladder: each tier is one step of docs/gemm.md, runnable on its own with
//! [`gemm_with`](super::gemm_with) and in `tessera bench gemm`. The production route (which code a
//! product takes in [`gemm`](super::gemm)) is chosen in `dispatch.rs`.

/// The tiers, by name, for study and benchmarking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// [`gemm_naive`](super::gemm_naive).
    Naive,
    /// [`gemm_reordered`](super::gemm_reordered).
    Reordered,
    /// [`gemm_blocked`](super::gemm_blocked).
    Blocked,
    /// [`gemm_register_tile`](super::gemm_register_tile).
    RegisterTile,
    /// [`gemm_simd_tile`](super::gemm_simd_tile).
    SimdTile,
    /// Packed, portable `wide` micro-kernel, one thread.
    PackedWide,
    /// Packed, AVX2+FMA micro-kernel, one thread (error if the CPU lacks it).
    PackedAvx2,
    /// Packed, AVX-512F micro-kernel, one thread (error if the CPU lacks it).
    PackedAvx512,
    /// Packed, NEON micro-kernel, one thread (error on CPUs other than aarch64).
    PackedNeon,
    /// Packed with the best micro-kernel, one thread.
    Packed,
    /// Packed with the best micro-kernel on up to this many threads of the current rayon pool.
    Parallel(usize),
}

impl Tier {
    /// Short name for tables.
    pub fn name(&self) -> String {
        match self {
            Tier::Naive => "naive".into(),
            Tier::Reordered => "reordered".into(),
            Tier::Blocked => "blocked".into(),
            Tier::RegisterTile => "register-tile".into(),
            Tier::SimdTile => "simd-tile".into(),
            Tier::PackedWide => "packed-wide".into(),
            Tier::PackedAvx2 => "packed-avx2".into(),
            Tier::PackedAvx512 => "packed-avx512".into(),
            Tier::PackedNeon => "packed-neon".into(),
            Tier::Packed => "packed".into(),
            Tier::Parallel(t) => format!("parallel-{t}t"),
        }
    }
}
