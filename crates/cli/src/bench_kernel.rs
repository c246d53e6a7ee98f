//! `tessera bench kernel`: where a large GEMM loses the last tenth of the FMA peak. The best
//! micro-kernel runs first by itself (panels in L1), then with its operands where the packed GEMM
//! of an `s × s × s` product keeps them: each row adds one cost to the row above it.
//!
//! ```text
//!  row                     A micro-panels           B micro-panels          C tiles
//!  1 kernel alone          one, in L1               one, in L1              one
//!  2 B block from L2       one, in L1               a KC×NC block (L2)      one row of tiles
//!  3 A block from L3       all s/MR of a KC slice   the same block          one row of tiles
//!  4 C in memory           as 3                     as 3                    the whole s×s C, beta 1
//!  5 packed GEMM           + packing A and B, every KC slice and NC block (the real thing)
//! ```

use crate::peak::fma_peak_gflops;
use std::time::Instant;
use tessera_tensor::Rng;
use tessera_tensor::gemm::params::l2_bytes;
use tessera_tensor::gemm::{GemmScalar, MatMut, MatRef, Tier, gemm_with};

/// Options of one run.
pub struct Options {
    /// Side of the square product the rows emulate.
    pub size: usize,
    /// Rounds (each runs every row once); the table shows medians.
    pub rounds: usize,
    /// Run in f64 instead of f32.
    pub f64: bool,
}

/// One row of the table: its label, the flops one run does, and the run.
type Row<'a> = (String, f64, Box<dyn FnMut() + 'a>);

fn random<T: GemmScalar>(rng: &mut Rng, len: usize) -> Vec<T> {
    (0..len).map(|_| T::from(rng.uniform() * 2.0 - 1.0).unwrap()).collect()
}

fn run_typed<T: GemmScalar>(opts: &Options, peak: f64) {
    let kernel = T::kernel_best();
    let bs = kernel.blocks();
    let (mr, nr, s) = (bs.mr, bs.nr, opts.size);
    // The blocks the packed GEMM takes for this product (a C larger than L2 deepens KC).
    let c_bytes = s * s * std::mem::size_of::<T>();
    let kc = if c_bytes > l2_bytes() { bs.kc_large_c } else { bs.kc }.min(s);
    let nc = bs.nc.min(s / nr * nr);
    // Full tiles only: MR×NR tiles of one NC block, every NC block of C.
    let (panels, jrs, jcs) = (s / mr, nc / nr, s / nc);
    let mut rng = Rng::seed(0);
    let a: Vec<T> = random(&mut rng, panels * mr * kc);
    let b: Vec<T> = random(&mut rng, jrs * nr * kc);
    let tile = |ap: &[T], bp: &[T], c: &mut [T], ldc: usize| {
        kernel.run_tile(kc, ap, bp, T::one(), T::one(), c, ldc).expect("panels sized for the kernel");
    };
    let a_panel = |i: usize| &a[i * mr * kc..(i + 1) * mr * kc];
    let b_panel = |j: usize| &b[j * nr * kc..(j + 1) * nr * kc];
    let block_flops = 2.0 * (mr * nr * kc * panels * jrs * jcs) as f64;
    // Row 1: panels short enough that both fit in 32 KiB of L1 together.
    let kc_l1 = (32768 / ((mr + nr) * std::mem::size_of::<T>()) / 8 * 8).min(kc);
    let calls = 20_000;
    // Each row writes its own C, so that the rows can take turns.
    let (mut c1, mut c2, mut c3) =
        (vec![T::zero(); mr * nc], vec![T::zero(); mr * nc], vec![T::zero(); mr * nc]);
    let (mut c4, mut c5) = (vec![T::zero(); s * s], vec![T::zero(); s * s]);
    let (am, bm): (Vec<T>, Vec<T>) = (random(&mut rng, s * s), random(&mut rng, s * s));

    let mut rows: Vec<Row<'_>> = vec![
        (
            format!("1 kernel alone: panels in L1 (kc {kc_l1})"),
            2.0 * (mr * nr * kc_l1 * calls) as f64,
            Box::new(|| {
                for _ in 0..calls {
                    kernel
                        .run_tile(kc_l1, &a[..mr * kc_l1], &b[..nr * kc_l1], T::one(), T::one(), &mut c1, nc)
                        .expect("panels sized for the kernel");
                }
            }),
        ),
        (
            "2 + B micro-panels streamed from L2".into(),
            block_flops,
            Box::new(|| {
                for _ in 0..jcs * panels {
                    for j in 0..jrs {
                        tile(a_panel(0), b_panel(j), &mut c2[j * nr..], nc);
                    }
                }
            }),
        ),
        (
            "3 + A micro-panels from L3 (a new one per row)".into(),
            block_flops,
            Box::new(|| {
                for _ in 0..jcs {
                    for i in 0..panels {
                        for j in 0..jrs {
                            tile(a_panel(i), b_panel(j), &mut c3[j * nr..], nc);
                        }
                    }
                }
            }),
        ),
        (
            "4 + C tiles read and written in all of C".into(),
            block_flops,
            Box::new(|| {
                for jc in 0..jcs {
                    for i in 0..panels {
                        for j in 0..jrs {
                            tile(a_panel(i), b_panel(j), &mut c4[i * mr * s + jc * nc + j * nr..], s);
                        }
                    }
                }
            }),
        ),
        (
            "5 packed GEMM, packing included".into(),
            2.0 * (s * s * s) as f64,
            Box::new(|| {
                let (a, b) = (MatRef::row_major(&am, s, s).unwrap(), MatRef::row_major(&bm, s, s).unwrap());
                let c = MatMut::row_major(&mut c5, s, s).unwrap();
                gemm_with(Tier::Packed, T::one(), a, b, T::zero(), c)
                    .expect("the packed tier runs everywhere");
            }),
        ),
    ];
    // Rounds take every row in turn (after one warm-up round), so that all rows see the same
    // clock speeds and neighbours on this shared machine; the table shows per-row medians.
    let mut secs = vec![Vec::new(); rows.len()];
    for round in 0..=opts.rounds {
        for (r, (_, _, run)) in rows.iter_mut().enumerate() {
            let t = Instant::now();
            run();
            if round > 0 {
                secs[r].push(t.elapsed().as_secs_f64());
            }
        }
    }
    let kib = |elems: usize| (elems * std::mem::size_of::<T>()) >> 10;
    println!(
        "{} micro-kernel {}; the packed GEMM of {s}³ takes KC {kc}, NC {nc}: A block {} KiB, B block {} KiB, \
         C {} KiB; medians of {} rounds",
        if opts.f64 { "f64" } else { "f32" },
        kernel.name,
        kib(panels * mr * kc),
        kib(nc * kc),
        kib(s * s),
        opts.rounds
    );
    println!("{:<48} {:>9} {:>8} {:>9}", "row (one thread)", "GFLOP/s", "%peak", "vs row 1");
    let mut first = None;
    for ((label, flops, _), mut s) in rows.iter().zip(secs) {
        s.sort_by(f64::total_cmp);
        let gflops = flops / s[s.len() / 2] * 1e-9;
        let base = *first.get_or_insert(gflops);
        println!("{label:<48} {gflops:>9.2} {:>7.1}% {:>8.1}%", 100.0 * gflops / peak, 100.0 * gflops / base);
    }
}

/// Runs the five rows and prints the table.
pub fn run(opts: &Options) {
    let (peak, width) = fma_peak_gflops();
    // f64 vectors hold half as many lanes: halve the f32 peak.
    let peak = if opts.f64 { peak / 2.0 } else { peak };
    println!("measured FMA peak per core: {peak:.1} GFLOP/s ({width})");
    if opts.f64 { run_typed::<f64>(opts, peak) } else { run_typed::<f32>(opts, peak) }
}
