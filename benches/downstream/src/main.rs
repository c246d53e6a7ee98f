//! Tessera used as a downstream crate uses it: one dependency line (`tessera-nn`, whose prelude
//! re-exports the tensor types), the public API as a user calls it (allocating ops, `matmul`),
//! the default release profile, and no compiler flags. `benches/compare_downstream.sh` builds it
//! outside the repository (so the repository's own `.cargo/config.toml` does not apply), with
//! and without `-C target-cpu=native`, and compares it with NumPy in one run.
//!
//! Prints two kinds of tab-separated rows, under the case names the NumPy scripts use:
//! `ew  case  ms` (element-wise on 10^7 f32, one thread, as NumPy's ufuncs) and
//! `gemm  threads  label  m  k  n  ms  GFLOP/s` (`a.matmul(&b)` in a pool of that many threads).

use std::hint::black_box;
use std::time::Instant;
use tessera_nn::prelude::*;

/// Median milliseconds of `f`: warm-ups, then samples of enough calls to last >= 20 ms.
fn median_ms(mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64();
    for _ in 0..if once < 0.2 { 3 } else { 0 } {
        f();
    }
    let repeats = (0.02 / once.max(1e-9)).ceil().max(1.0) as usize;
    let samples = if once > 0.5 {
        3
    } else if once > 0.1 {
        5
    } else {
        15
    };
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..repeats {
                f();
            }
            t.elapsed().as_secs_f64() * 1e3 / repeats as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[samples / 2]
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a rayon pool")
}

fn elementwise() -> Result<(), TensorError> {
    const N: usize = 10_000_000;
    let mut rng = Rng::seed(0);
    let x = Tensor::<f32>::rand_normal(&[N], 0.0, 1.0, &mut rng);
    let y = Tensor::<f32>::rand_normal(&[N], 0.0, 1.0, &mut rng);
    let m = Tensor::<f32>::rand_normal(&[1000, 1000], 0.0, 1.0, &mut rng);
    let row = Tensor::<f32>::rand_normal(&[1000], 0.0, 1.0, &mut rng);
    type Case<'a> = (&'a str, Box<dyn Fn() + Sync + 'a>);
    let cases: Vec<Case> = vec![
        ("x + y (allocates result)", Box::new(|| drop(black_box(&x + &y)))),
        ("np.maximum(x, 0) (allocates)", Box::new(|| drop(black_box(x.relu())))),
        ("(1000,1000) + (1000,) broadcast (allocates)", Box::new(|| drop(black_box(&m + &row)))),
        ("np.exp(x) (allocates)", Box::new(|| drop(black_box(x.exp())))),
        ("np.tanh(x) (allocates)", Box::new(|| drop(black_box(x.tanh())))),
        (
            "x.sum()",
            Box::new(|| {
                black_box(x.sum_all());
            }),
        ),
    ];
    let one = pool(1);
    for (name, f) in &cases {
        println!("ew\t{name}\t{:.4}", one.install(|| median_ms(f)));
    }
    Ok(())
}

fn gemm(threads: &[usize]) -> Result<(), TensorError> {
    let shapes = [
        ("sq1024", 1024, 1024, 1024, false),
        ("sq2048", 2048, 2048, 2048, false),
        ("fwd1 128x784.784x512", 128, 784, 512, false),
        ("fwd2 128x512.512x10", 128, 512, 10, false),
        ("bwdW 784x128.128x512", 784, 128, 512, false),
        ("bwdW_T (128x784)^T.128x512", 784, 128, 512, true),
        ("bwdX 128x512.512x784", 128, 512, 784, false),
    ];
    let mut rng = Rng::seed(1);
    for (label, m, k, n, a_transposed) in shapes {
        // A transposed view, as `x.T @ dh` hands it to the product.
        let a = if a_transposed {
            Tensor::<f32>::rand_uniform(&[k, m], -1.0, 1.0, &mut rng).transpose()
        } else {
            Tensor::<f32>::rand_uniform(&[m, k], -1.0, 1.0, &mut rng)
        };
        let b = Tensor::<f32>::rand_uniform(&[k, n], -1.0, 1.0, &mut rng);
        for &t in threads {
            let ms = pool(t).install(|| median_ms(|| drop(black_box(a.matmul(&b).expect("shapes agree")))));
            let gflops = 2.0 * (m * k * n) as f64 / (ms * 1e6);
            println!("gemm\t{t}\t{label}\t{m}\t{k}\t{n}\t{ms:.4}\t{gflops:.2}");
        }
    }
    Ok(())
}

fn main() -> Result<(), TensorError> {
    let what = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    if what == "all" || what == "elementwise" {
        elementwise()?;
    }
    if what == "all" || what == "gemm" {
        gemm(&[1, 2])?;
    }
    Ok(())
}
