//! `tessera info`: the CPU, what this build can use of it, and which kernel each family runs.

use tessera_tensor::gemm::{GemmScalar, layers, params::l2_bytes};

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
    out!("compiled for   {} (what every kernel without run-time dispatch may use)", compiled.join(" "));
    let (k32, k64) = (f32::kernel_best(), f64::kernel_best());
    out!(
        "GEMM           f32 {}, f64 {} (the widest micro-kernel this CPU runs, chosen at run time)",
        k32.name,
        k64.name
    );
    let wide = if compiled.contains(&"avx2") { "256-bit" } else { "128-bit" };
    out!("element-wise   `wide` vectors, {wide} as compiled (add, mul, relu, maximum, sums, ...)");
    let exp = if detected.contains(&"avx512f") {
        "AVX-512 for f32 (chosen at run time)"
    } else {
        "`wide` vectors, as compiled"
    };
    out!("exp, sigmoid   {exp}");
    let l = layers();
    let on: Vec<&str> = [
        ("zero_steps", l.zero_steps),
        ("next_a_prefetch", l.next_a_prefetch),
        ("fused_epilogue", l.fused_epilogue),
        ("shared_a", l.shared_a),
        ("small_paths", l.small_paths),
        ("linger", l.linger),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    out!("GEMM layers    {} (docs/gemm.md, \"The production layers\")", on.join(" "));
    Ok(())
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
