//! The machine's FMA peak, measured at start-up: independent chains of vector FMAs (enough to
//! cover FMA latency × ports), so the loop is bound only by FMA throughput. GEMM tables report
//! their GFLOP/s as a percentage of this.

use std::time::Instant;

/// Peak f32 GFLOP/s of one core for the widest FMA this CPU runs, and that width's name.
pub fn fma_peak_gflops() -> (f64, &'static str) {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512f") {
            // SAFETY: the feature was detected just above.
            return (measure(|n| unsafe { x86::chains_avx512(n) }, 16), "avx512 zmm");
        }
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            // SAFETY: the features were detected just above.
            return (measure(|n| unsafe { x86::chains_avx2(n) }, 8), "avx2 ymm");
        }
    }
    (0.0, "unknown")
}

/// Peak f32 GFLOP/s with 256-bit FMAs (what a C loop of AVX2 FMAs reaches), if available.
pub fn fma_peak_ymm_gflops() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: the features were detected just above.
        return Some(measure(|n| unsafe { x86::chains_avx2(n) }, 8));
    }
    None
}

/// Runs `iters` steps of 12 chains of `lanes`-wide FMAs (2 flops each); best of 5 runs.
fn measure(run: impl Fn(usize) -> f32, lanes: usize) -> f64 {
    let iters = 20_000_000;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        std::hint::black_box(run(std::hint::black_box(iters)));
        best = best.min(t.elapsed().as_secs_f64());
    }
    (iters * 12 * lanes * 2) as f64 / best * 1e-9
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    macro_rules! chains {
        ($name:ident, $feat:literal, $set1:ident, $fmadd:ident, $add:ident, $cvt:ident) => {
            /// 12 independent FMA chains; returns a value so the work cannot be optimised away.
            #[target_feature(enable = $feat)]
            pub unsafe fn $name(iters: usize) -> f32 {
                let (m, a) = ($set1(0.999_999), $set1(1e-7));
                let mut v = [$set1(1.0); 12];
                for (i, x) in v.iter_mut().enumerate() {
                    *x = $set1(1.0 + i as f32);
                }
                for _ in 0..iters {
                    for x in v.iter_mut() {
                        *x = $fmadd(*x, m, a);
                    }
                }
                let mut s = v[0];
                for x in &v[1..] {
                    s = $add(s, *x);
                }
                $cvt(s, &mut [0.0f32; 16])
            }
        };
    }
    chains!(chains_avx512, "avx512f", _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, sum512);
    chains!(chains_avx2, "avx2,fma", _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, sum256);

    /// Sum of all lanes (through memory, so every lane's chain is live).
    #[target_feature(enable = "avx512f")]
    fn sum512(v: __m512, buf: &mut [f32; 16]) -> f32 {
        // SAFETY: buf holds 16 f32, one zmm.
        unsafe { _mm512_storeu_ps(buf.as_mut_ptr(), v) };
        buf.iter().sum()
    }

    /// Sum of all lanes (through memory, so every lane's chain is live).
    #[target_feature(enable = "avx2,fma")]
    fn sum256(v: __m256, buf: &mut [f32; 16]) -> f32 {
        // SAFETY: buf holds 16 >= 8 f32, one ymm.
        unsafe { _mm256_storeu_ps(buf.as_mut_ptr(), v) };
        buf[..8].iter().sum()
    }
}
