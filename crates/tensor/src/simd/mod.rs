//! The CPU's vector instructions, chosen once at run time.
//!
//! Tessera compiles for the plain target (x86-64 without AVX, any aarch64), so that one binary
//! or one dependency line runs on every CPU. The kernels that matter are compiled several
//! times, once per instruction set, inside `#[target_feature]` entry functions, and [`isa`] picks
//! the widest set this CPU has the first time a kernel runs:
//!
//! | [`Isa`] | vectors | where |
//! |---|---|---|
//! | `Avx512` | 512-bit, fused multiply-add, mask registers | x86-64 with AVX-512F |
//! | `Avx2` | 256-bit, fused multiply-add | x86-64 with AVX2 and FMA (every x86 CPU since 2013-2015) |
//! | `Sse2` | 128-bit; the fused multiply-adds of `exp`/`tanh` in software | any x86-64 |
//! | `Neon` | 128-bit, fused multiply-add | any aarch64 |
//! | `Portable` | the scalar reference loops | everything else, or when asked |
//!
//! The element-wise kernels give the same bits on every tier: each SIMD formula is the scalar
//! one, operation by operation (tested per tier in `ops::run_isa`). The GEMM's micro-kernels
//! differ in tile and block sizes per tier, so a product's last bits (and a trained model's
//! weights) can differ between tiers; on one tier they are the same for any thread count. The environment variable `TESSERA_SIMD` (`avx512`,
//! `avx2`, `sse2`, `neon`, `portable`) asks for a narrower tier, so the test suites can run every
//! tier this CPU has; a tier the CPU lacks is refused and the widest one kept ([`choice`] says
//! why). `tessera info` prints the choice per kernel family.
//!
//! `vector.rs` is what the GEMM micro-kernel needs of a vector type, `lanes.rs` what the
//! element-wise kernels need on top; the per-ISA implementations are in `x86.rs`,
//! `lanes_x86.rs`, `neon.rs` and `lanes_neon.rs`.

pub(crate) mod lanes;
#[cfg(target_arch = "aarch64")]
mod lanes_neon;
#[cfg(target_arch = "x86_64")]
mod lanes_x86;
#[cfg(target_arch = "aarch64")]
mod neon;
pub(crate) mod vector;
#[cfg(target_arch = "x86_64")]
mod x86;

use std::sync::OnceLock;

/// The environment variable that asks for a tier.
pub const ENV_VAR: &str = "TESSERA_SIMD";

/// An instruction-set tier of the element-wise and GEMM kernels, widest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    /// x86-64 AVX-512F: 16 f32 per vector.
    Avx512,
    /// x86-64 AVX2 + FMA: 8 f32 per vector.
    Avx2,
    /// x86-64 SSE2 (the x86-64 baseline): 4 f32 per vector.
    Sse2,
    /// aarch64 NEON: 4 f32 per vector.
    Neon,
    /// No SIMD: the scalar reference loops.
    Portable,
}

impl Isa {
    /// Every tier, widest first.
    pub const ALL: [Isa; 5] = [Isa::Avx512, Isa::Avx2, Isa::Sse2, Isa::Neon, Isa::Portable];

    /// The name `TESSERA_SIMD` takes.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Avx512 => "avx512",
            Isa::Avx2 => "avx2",
            Isa::Sse2 => "sse2",
            Isa::Neon => "neon",
            Isa::Portable => "portable",
        }
    }

    /// The tier called `name`, if any.
    pub fn from_name(name: &str) -> Option<Isa> {
        Isa::ALL.into_iter().find(|i| i.name() == name.trim().to_ascii_lowercase())
    }

    /// Whether this CPU can run the tier (under Miri, which interprets no vector intrinsics
    /// worth checking, only the portable one).
    pub fn supported(self) -> bool {
        if cfg!(miri) {
            return self == Isa::Portable;
        }
        match self {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => std::is_x86_feature_detected!("avx512f"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma"),
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => true,
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => true,
            Isa::Portable => true,
            #[allow(unreachable_patterns)] // every tier is listed on x86-64 and aarch64
            _ => false,
        }
    }

    /// The tiers this CPU runs, widest first.
    pub fn available() -> Vec<Isa> {
        Isa::ALL.into_iter().filter(|i| i.supported()).collect()
    }
}

/// The tier in use and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The tier every dispatched kernel runs.
    pub isa: Isa,
    /// Why: the widest this CPU has, or what `TESSERA_SIMD` asked for (or why it was refused).
    pub reason: String,
}

/// Picks the tier from the CPU and the `TESSERA_SIMD` value, if set.
pub fn choose(requested: Option<&str>) -> Choice {
    let best = Isa::available()[0];
    let widest = format!(
        "the widest this CPU has ({})",
        Isa::available().iter().map(|i| i.name()).collect::<Vec<_>>().join(", ")
    );
    match requested {
        None => Choice { isa: best, reason: widest },
        Some(name) => match Isa::from_name(name) {
            Some(isa) if isa.supported() => Choice { isa, reason: format!("{ENV_VAR}={name}") },
            Some(_) => {
                Choice { isa: best, reason: format!("{ENV_VAR}={name} refused: this CPU lacks it; {widest}") }
            }
            None => Choice {
                isa: best,
                reason: format!(
                    "{ENV_VAR}={name} is not a tier (one of {}); {widest}",
                    Isa::ALL.map(|i| i.name()).join(", ")
                ),
            },
        },
    }
}

/// The tier this process runs, chosen on first use ([`choose`] with the environment's value).
pub fn choice() -> &'static Choice {
    static CHOICE: OnceLock<Choice> = OnceLock::new();
    CHOICE.get_or_init(|| choose(std::env::var(ENV_VAR).ok().as_deref()))
}

/// The tier this process runs.
#[inline]
pub fn isa() -> Isa {
    choice().isa
}

/// Runs `f` compiled for this process's tier: a plain loop inside `f` (no intrinsics) is
/// auto-vectorised for the CPU's widest vectors instead of the build's baseline (SSE2 on a
/// default x86-64 build). Results do not change: the compiler never reorders or fuses float
/// operations, so only the width of each instruction does. For the hot loops of crates built
/// on Tessera (the optimizers' update pass, for one). `f` is compiled once and called from one
/// entry per tier; the compiler copies it into each only when it is small (a loop over slices
/// is; a body that calls large functions may stay on the baseline: check the profile).
///
/// ```
/// let mut x = vec![1.5f32; 1000];
/// tessera_tensor::simd::vectorized(|| x.iter_mut().for_each(|v| *v = v.sqrt() * 2.0));
/// assert_eq!(x[999], 1.5f32.sqrt() * 2.0);
/// ```
#[inline(always)]
pub fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    match isa() {
        // SAFETY: `isa()` only returns tiers this CPU has.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { on_avx512(f) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { on_avx2(f) },
        _ => f(),
    }
}

/// `f()` with AVX-512F enabled (inlined into this function, `f` is compiled for it).
///
/// # Safety
/// The CPU has AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn on_avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// `f()` with AVX2 and FMA enabled.
///
/// # Safety
/// The CPU has AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn on_avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_tier_unless_asked() {
        let best = Isa::available()[0];
        assert_eq!(choose(None).isa, best);
        assert_eq!(choose(Some("portable")).isa, Isa::Portable);
        assert_eq!(choose(Some(" Portable ")).isa, Isa::Portable);
        let refused = choose(Some("nonsense"));
        assert_eq!(refused.isa, best);
        assert!(refused.reason.contains("not a tier"), "{}", refused.reason);
        for isa in Isa::ALL {
            let c = choose(Some(isa.name()));
            assert_eq!(c.isa, if isa.supported() { isa } else { best }, "{}", c.reason);
        }
    }
}
