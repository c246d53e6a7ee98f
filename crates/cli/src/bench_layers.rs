//! `tessera bench gemm --layers`: the production GEMM (`Tier::Parallel`) with all its layers, and
//! with each one switched off in turn (`tessera_tensor::gemm::Layers`), in interleaved rounds.
//! The MNIST shapes run as training runs them: `fwd1` and `bwdW_T` take a batch of real pixels as
//! A (81% zeros), `fwd1` adds the Dense layer's bias and ReLU. A layer's gain is the median over
//! rounds of (time with it off) / (time with all on): above 1, the layer helps. Every variant's C
//! is compared with the all-on result, bit for bit.

use crate::bench_gemm::Shape;
use crate::timing::median_secs;
use tessera_nn::datasets::mnist;
use tessera_tensor::gemm::{Epilogue, Layers, MatMut, MatRef, Tier, gemm_with_epilogue, set_layers};
use tessera_tensor::{Rng, Tensor};

/// The A operand of a shape: real pixels for the two products that read the batch, else random.
fn operand_a(s: &Shape, pixels: &Tensor<f32>, rng: &mut Rng) -> Vec<f32> {
    let real = (s.label.starts_with("fwd1") || s.label.starts_with("bwdW_T")) && s.m * s.k == 128 * 784;
    if real {
        // Stored as the batch [128, 784], row-major: fwd1 reads it as is, bwdW_T through a
        // transposed view, as `xᵀ·dh` does.
        pixels.to_vec()
    } else {
        (0..s.m * s.k).map(|_| rng.uniform() as f32 * 2.0 - 1.0).collect()
    }
}

/// Runs the layer table for `shapes` on each of `threads`.
pub fn run(shapes: &[Shape], threads: &[usize], rounds: usize, budget: f64) -> crate::CliResult {
    let ((train, _), _) = mnist::load_data(None)?;
    let pixels = train.slice(&tessera_tensor::s![0..128])?.reshape(&[128, 784])?.astype::<f32>() / 255.0;
    let variants: Vec<(&str, Layers)> =
        [("all", Layers::ALL)].into_iter().chain(Layers::ALL.each_off()).collect();
    out!(
        "production GEMM (f32), each layer switched off in turn; gain = time without it / time with all layers"
    );
    out!(
        "medians of {rounds} interleaved rounds; fwd1 and bwdW_T read a real MNIST batch (81% zeros), fwd1 with bias + relu"
    );
    let names: Vec<&str> = variants[1..].iter().map(|(n, _)| *n).collect();
    out!(
        "{:<28} {:>3} {:>9} {}",
        "shape",
        "thr",
        "GFLOP/s",
        names.iter().map(|n| format!("{n:>16}")).collect::<String>()
    );
    let mut rng = Rng::seed(0);
    for s in shapes {
        let a = operand_a(s, &pixels, &mut rng);
        let b: Vec<f32> = (0..s.k * s.n).map(|_| rng.uniform() as f32 * 2.0 - 1.0).collect();
        let bias: Vec<f32> = (0..s.n).map(|j| (j % 7) as f32 * 0.01 - 0.03).collect();
        let am = if s.a_transposed {
            MatRef::new(&a, s.m, s.k, 1, s.m as isize, 0)?
        } else {
            MatRef::row_major(&a, s.m, s.k)?
        };
        let bm = if s.b_transposed {
            MatRef::new(&b, s.k, s.n, 1, s.k as isize, 0)?
        } else {
            MatRef::row_major(&b, s.k, s.n)?
        };
        let dense_layer = s.label.starts_with("fwd1");
        let epi = Epilogue { bias: dense_layer.then_some(&bias[..]), relu: dense_layer };
        for &t in threads {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(t.max(1)).build()?;
            let mut times = vec![Vec::new(); variants.len()];
            let mut results: Vec<Vec<f32>> = vec![Vec::new(); variants.len()];
            for _ in 0..rounds {
                for (v, (_, layers)) in variants.iter().enumerate() {
                    set_layers(*layers);
                    let mut c = vec![0.0f32; s.m * s.n];
                    let secs = pool.install(|| {
                        median_secs(
                            || {
                                let cm = MatMut::row_major(&mut c, s.m, s.n).expect("C fits");
                                gemm_with_epilogue(Tier::Parallel(t), 1.0, am, bm, 0.0, cm, epi)
                                    .expect("shapes fit");
                            },
                            3,
                            budget,
                        )
                    });
                    times[v].push(secs);
                    results[v] = c;
                }
            }
            set_layers(Layers::ALL);
            if let Some((v, _)) = results.iter().enumerate().find(|(_, r)| **r != results[0]) {
                return Err(format!("{}: switching off {} changed the result", s.label, variants[v].0).into());
            }
            let median = |xs: &mut Vec<f64>| {
                xs.sort_by(f64::total_cmp);
                xs[xs.len() / 2]
            };
            let base = median(&mut times[0].clone());
            let gains: String = (1..variants.len())
                .map(|v| {
                    let mut ratios: Vec<f64> =
                        times[v].iter().zip(&times[0]).map(|(off, on)| off / on).collect();
                    format!("{:>15.2}x", median(&mut ratios))
                })
                .collect();
            let gflops = 2.0 * (s.m * s.n * s.k) as f64 / base * 1e-9;
            out!("{:<28} {:>3} {:>9.1} {gains}", s.label, t, gflops);
        }
    }
    Ok(())
}
