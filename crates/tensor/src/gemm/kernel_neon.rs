//! The aarch64 micro-kernels: the one generic tile (`micro_tile.rs`) on NEON vectors
//! (`simd/neon.rs`), 8 rows by 3 vectors (24 of the 32 q registers as accumulators). NEON is
//! part of every aarch64 build, so the kernel needs no run-time detection and shares the portable
//! kernel's entries (`kernel_wide.rs`); edge tiles go through scratch and a merge.

use super::kernel::Kernel;
use super::kernel_wide::kernel;
use super::params;
use std::arch::aarch64::{float32x4_t, float64x2_t};

/// f32: 8×12.
pub(crate) fn sgemm_neon() -> Kernel<f32> {
    kernel::<f32, float32x4_t, 8, 3>("neon 8x12", params::F32_NEON)
}

/// f64: 8×6.
pub(crate) fn dgemm_neon() -> Kernel<f64> {
    kernel::<f64, float64x2_t, 8, 3>("neon 8x6", params::F64_NEON)
}
