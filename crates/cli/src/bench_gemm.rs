//! `tessera bench gemm`: every GEMM tier at every size, as GFLOP/s, % of the measured FMA peak,
//! and the largest difference from the naive loop.

use crate::peak::{fma_peak_gflops, fma_peak_ymm_gflops};
use crate::pictures::{Ladder, LadderPoint, save_chart};
use crate::timing::median_secs;
use serde_json::json;
use std::path::PathBuf;
use tessera_tensor::Rng;
use tessera_tensor::gemm::{GemmScalar, MatMut, MatRef, Tier, gemm_naive, gemm_with};

/// One GEMM problem: C (m×n) = A (m×k) · B (k×n); `a_transposed` / `b_transposed` store the
/// operand column-major (read through a transposed view, as `xᵀ·dh` and `dz·W2ᵀ` are in training).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Label used in tables (the same labels as `benches/peers/numpy_gemm.py`).
    pub label: String,
    /// Rows of A and C.
    pub m: usize,
    /// Depth.
    pub k: usize,
    /// Columns of B and C.
    pub n: usize,
    /// A is read through a transposed (column-major) view.
    pub a_transposed: bool,
    /// B is read through a transposed (column-major) view.
    pub b_transposed: bool,
}

/// The square sizes and the MNIST training shapes (the last two are the small backward products
/// of the 512→10 layer: `dW2 = hᵀ·dz` and `dh = dz·W2ᵀ`).
pub fn default_shapes() -> Vec<Shape> {
    let mut v: Vec<Shape> = [64, 128, 256, 512, 1024, 2048]
        .iter()
        .map(|&s| Shape {
            label: format!("sq{s}"),
            m: s,
            k: s,
            n: s,
            a_transposed: false,
            b_transposed: false,
        })
        .collect();
    for (label, m, k, n, at, bt) in [
        ("fwd1 128x784.784x512", 128, 784, 512, false, false),
        ("fwd2 128x512.512x10", 128, 512, 10, false, false),
        ("bwdW 784x128.128x512", 784, 128, 512, false, false),
        ("bwdW_T (128x784)^T.128x512", 784, 128, 512, true, false),
        ("bwdX 128x512.512x784", 128, 512, 784, false, false),
        ("bwdW2 (128x512)^T.128x10", 512, 128, 10, true, false),
        ("bwdH 128x10.(512x10)^T", 128, 10, 512, false, true),
    ] {
        v.push(Shape { label: label.into(), m, k, n, a_transposed: at, b_transposed: bt });
    }
    v
}

/// Parses `MxKxN` (e.g. `300x128x512`) into a row-major shape labelled as given.
pub fn parse_shape(text: &str) -> Result<Shape, String> {
    let dims: Vec<usize> = text
        .split('x')
        .map(|d| d.trim().parse::<usize>().map_err(|e| format!("{text:?}: {d:?} is not a size ({e})")))
        .collect::<Result<_, _>>()?;
    match dims[..] {
        [m, k, n] if m > 0 && k > 0 && n > 0 && m.max(k).max(n) <= 16384 => {
            Ok(Shape { label: text.to_string(), m, k, n, a_transposed: false, b_transposed: false })
        }
        _ => Err(format!("{text:?}: expected MxKxN, three sizes from 1 to 16384")),
    }
}

/// Options of one bench run.
pub struct Options {
    /// Tiers to run (parallel tiers carry their thread count).
    pub tiers: Vec<Tier>,
    /// Problems to run.
    pub shapes: Vec<Shape>,
    /// Seconds to spend per (tier, shape).
    pub budget: f64,
    /// Print tab-separated rows for scripts instead of a table.
    pub tsv: bool,
    /// Run in f64 instead of f32.
    pub f64: bool,
    /// Draw GFLOP/s per tier and shape, with the FMA peak as the ceiling (`.svg` or `.png`).
    pub plot: Option<PathBuf>,
    /// Write every row, the peak and the CPU as JSON.
    pub json: Option<PathBuf>,
}

/// One measured row of the table.
struct Row {
    shape: String,
    tier: String,
    threads: usize,
    ms: f64,
    gflops: f64,
    max_err: f64,
}

fn flops(s: &Shape) -> f64 {
    2.0 * (s.m * s.n * s.k) as f64
}

/// Slow tiers stop at this many flops so a full table takes minutes, not hours.
fn too_slow(tier: Tier, s: &Shape) -> bool {
    let limit = match tier {
        Tier::Naive => 2.0 * 512f64.powi(3),
        Tier::Reordered | Tier::Blocked | Tier::RegisterTile | Tier::SimdTile | Tier::PackedWide => {
            2.0 * 1024f64.powi(3)
        }
        _ => f64::INFINITY,
    };
    flops(s) > limit
}

fn run_typed<T: GemmScalar>(opts: &Options, peak: f64) -> Vec<Row> {
    let mut out = Vec::new();
    for s in &opts.shapes {
        let mut rng = Rng::seed(0);
        let a: Vec<T> = (0..s.m * s.k).map(|_| T::from(rng.uniform() * 2.0 - 1.0).unwrap()).collect();
        let b: Vec<T> = (0..s.k * s.n).map(|_| T::from(rng.uniform() * 2.0 - 1.0).unwrap()).collect();
        let am = if s.a_transposed {
            MatRef::new(&a, s.m, s.k, 1, s.m as isize, 0).unwrap()
        } else {
            MatRef::row_major(&a, s.m, s.k).unwrap()
        };
        let bm = if s.b_transposed {
            MatRef::new(&b, s.k, s.n, 1, s.k as isize, 0).unwrap()
        } else {
            MatRef::row_major(&b, s.k, s.n).unwrap()
        };
        // Naive reference on every `step`-th row only, so the check stays cheap at 2048.
        let step = (s.m / 64).max(1);
        let rows = s.m.div_ceil(step);
        let a_rows = MatRef::new(&a, rows, s.k, am.rs() * step as isize, am.cs(), 0).unwrap();
        let mut want = vec![T::zero(); rows * s.n];
        gemm_naive(T::one(), a_rows, bm, T::zero(), MatMut::row_major(&mut want, rows, s.n).unwrap())
            .unwrap();
        for &tier in &opts.tiers {
            if too_slow(tier, s) {
                continue;
            }
            let mut c = vec![T::zero(); s.m * s.n];
            let secs = median_secs(
                || {
                    gemm_with(tier, T::one(), am, bm, T::zero(), MatMut::row_major(&mut c, s.m, s.n).unwrap())
                        .expect("tier runs on this CPU")
                },
                3,
                opts.budget,
            );
            let err = (0..rows)
                .flat_map(|r| (0..s.n).map(move |j| (r, j)))
                .map(|(r, j)| (c[r * step * s.n + j] - want[r * s.n + j]).abs().to_f64())
                .fold(0.0, f64::max);
            let gflops = flops(s) / secs * 1e-9;
            let threads = match tier {
                Tier::Parallel(t) => t,
                _ => 1,
            };
            let pct = 100.0 * gflops / (peak * threads as f64);
            out.push(Row {
                shape: s.label.clone(),
                tier: tier.name(),
                threads,
                ms: secs * 1e3,
                gflops,
                max_err: err,
            });
            if opts.tsv {
                println!(
                    "tessera\t{threads}\t{}\t{}\t{}\t{}\t{}\t{:.4}\t{gflops:.2}\t{pct:.1}\t{err:.2e}",
                    s.label,
                    tier.name(),
                    s.m,
                    s.k,
                    s.n,
                    secs * 1e3
                );
            } else {
                println!(
                    "{:<28} {:<14} {:>3} {:>10.3} {:>9.2} {:>7.1}% {:>10.2e}",
                    s.label,
                    tier.name(),
                    threads,
                    secs * 1e3,
                    gflops,
                    pct,
                    err
                );
            }
        }
    }
    out
}

/// Runs the benchmark and prints the table (and writes the chart and JSON when asked).
pub fn run(opts: &Options) -> crate::CliResult {
    let (peak, width) = fma_peak_gflops();
    let ymm = fma_peak_ymm_gflops();
    let kernel = if opts.f64 { f64::kernel_best().name } else { f32::kernel_best().name };
    let dtype = if opts.f64 { "f64" } else { "f32" };
    // f64 vectors hold half as many lanes: halve the f32 peak.
    let peak_t = if opts.f64 { peak / 2.0 } else { peak };
    let prefix = if opts.tsv { "# " } else { "" };
    println!(
        "{prefix}{dtype} GEMM; micro-kernel {kernel}; measured FMA peak per core: {peak:.1} GFLOP/s f32 ({width}), {:.1} with ymm",
        ymm.unwrap_or(0.0)
    );
    if !opts.tsv {
        println!(
            "{:<28} {:<14} {:>3} {:>10} {:>9} {:>8} {:>10}",
            "shape", "tier", "thr", "ms", "GFLOP/s", "%peak", "max|C-Cn|"
        );
    }
    let rows = if opts.f64 { run_typed::<f64>(opts, peak_t) } else { run_typed::<f32>(opts, peak_t) };
    // A peak measured while another process held the core reads low; measure again now, and say
    // so when a row still went above it rather than report more than 100% in silence.
    let (again, _) = fma_peak_gflops();
    let peak_t = if opts.f64 { peak.max(again) / 2.0 } else { peak.max(again) };
    let over: Vec<&Row> = rows.iter().filter(|r| r.gflops > peak_t * r.threads as f64 * 1.001).collect();
    if !over.is_empty() {
        println!(
            "{prefix}note: {} row(s) ran above the FMA peak measured before and after the run ({peak_t:.1} GFLOP/s per core): \
             the peak was measured while the core was shared or clocked down; re-run on an idle machine",
            over.len()
        );
    }
    let cpu = crate::info::cpu_name();
    if let Some(path) = &opts.json {
        let doc = json!({
            "dtype": dtype,
            "cpu": cpu,
            "kernel": kernel,
            "fma_peak_gflops_per_core": peak_t,
            "rows": rows.iter().map(|r| json!({
                "shape": r.shape, "tier": r.tier, "threads": r.threads, "ms": r.ms,
                "gflops": r.gflops, "percent_of_peak": 100.0 * r.gflops / (peak_t * r.threads as f64),
                "max_abs_diff_from_naive": r.max_err,
            })).collect::<Vec<_>>(),
        });
        std::fs::write(path, serde_json::to_string_pretty(&doc)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        println!("{prefix}wrote {}", path.display());
    }
    if let Some(path) = &opts.plot {
        let mut shapes: Vec<String> = Vec::new();
        let mut tiers: Vec<String> = Vec::new();
        for r in &rows {
            if !shapes.contains(&r.shape) {
                shapes.push(r.shape.clone());
            }
            if !tiers.contains(&r.tier) {
                tiers.push(r.tier.clone());
            }
        }
        let ladder = Ladder {
            shapes,
            tiers,
            points: rows
                .iter()
                .map(|r| LadderPoint { tier: r.tier.clone(), shape: r.shape.clone(), gflops: r.gflops })
                .collect(),
            peak: peak_t,
            max_threads: rows.iter().map(|r| r.threads).max().unwrap_or(1),
            title: format!("{dtype} GEMM ladder on {cpu} (micro-kernel {kernel})"),
        };
        save_chart(&ladder, path)?;
        println!("{prefix}wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_shape;

    #[test]
    fn shapes_parse_as_m_k_n() {
        let s = parse_shape("300x128x512").unwrap();
        assert_eq!((s.m, s.k, s.n, s.label.as_str()), (300, 128, 512, "300x128x512"));
        assert!(parse_shape("300x128").unwrap_err().contains("expected MxKxN"));
        assert!(parse_shape("3x0x5").is_err());
        assert!(parse_shape("3xax5").unwrap_err().contains("\"a\" is not a size"));
        assert!(parse_shape("99999x1x1").is_err());
    }
}
