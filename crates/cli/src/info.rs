//! `tessera info`: the CPU, what this build can use of it, and which kernel each family runs.

use tessera_tensor::gemm::{GemmScalar, layers, params::l2_bytes};
use tessera_tensor::simd::{self, Isa};

/// The CPU's model name, as the OS reports it.
pub fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown model".to_string())
}

/// The SIMD features this CPU has (run-time detection) and those this binary was compiled for.
fn features() -> (Vec<&'static str>, Vec<&'static str>) {
    let mut detected = Vec::new();
    let mut compiled = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        for (name, on) in [
            ("sse2", std::is_x86_feature_detected!("sse2")),
            ("avx", std::is_x86_feature_detected!("avx")),
            ("avx2", std::is_x86_feature_detected!("avx2")),
            ("fma", std::is_x86_feature_detected!("fma")),
            ("avx512f", std::is_x86_feature_detected!("avx512f")),
        ] {
            if on {
                detected.push(name);
            }
        }
        for (name, on) in [
            ("sse2", cfg!(target_feature = "sse2")),
            ("avx2", cfg!(target_feature = "avx2")),
            ("fma", cfg!(target_feature = "fma")),
            ("avx512f", cfg!(target_feature = "avx512f")),
        ] {
            if on {
                compiled.push(name);
            }
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        detected.push("neon");
        compiled.push("neon");
    }
    (detected, compiled)
}

/// Prints the machine and the kernel each family runs, with the reason.
pub fn run() -> crate::CliResult {
    let (detected, compiled) = features();
    out!("CPU            {} ({}), {} logical CPUs", cpu_name(), std::env::consts::ARCH, num_cpus());
    out!(
        "rayon threads  {} (RAYON_NUM_THREADS or the CPU count; --threads where a command has it)",
        rayon::current_num_threads()
    );
    out!(
        "L2 per core    {} KiB (sets when a GEMM takes its deeper KC and the next-A prefetch)",
        l2_bytes() >> 10
    );
    out!("SIMD on CPU    {}", detected.join(" "));
    out!("compiled for   {} (code outside the dispatched kernels)", compiled.join(" "));
    let choice = simd::choice();
    let tier = choice.isa.name();
    out!("SIMD tier      {tier} ({})", choice.reason);
    let (k32, k64) = (f32::kernel_best(), f64::kernel_best());
    out!("GEMM           f32 {}, f64 {} (the tier's micro-kernel; `wide` below AVX2)", k32.name, k64.name);
    let lanes = match choice.isa {
        Isa::Avx512 => "16 f32 / 8 f64",
        Isa::Avx2 => "8 f32 / 4 f64",
        Isa::Sse2 | Isa::Neon => "4 f32 / 2 f64",
        Isa::Portable => "1 (scalar loops)",
    };
    out!(
        "element-wise   {tier}, {lanes} per vector (add, sub, mul, div, maximum, minimum, relu, abs, sqrt, ...)"
    );
    out!(
        "exp, tanh      {tier} for f32, sigmoid from exp (Tessera's polynomials, the same bits on every tier); f64: libm per lane"
    );
    out!("reductions     {tier} (sum, prod, max, min: 256-element blocks vectorised for the tier)");
    // Each layer's name, from the list that switches them off one at a time.
    let l = layers();
    let on: Vec<&str> =
        l.each_off().into_iter().filter(|(_, without)| *without != l).map(|(name, _)| name).collect();
    out!("GEMM layers    {} (docs/gemm.md, \"The production layers\")", on.join(" "));
    Ok(())
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
