//! `tessera bench elementwise`: the cases of the NumPy element-wise comparison (same names, same
//! sizes: 10^7 f32, or a 1000×1000 matrix plus a 1000 row), timed as the median of 15 calls after
//! 3 warm-ups, on the current pool's threads.

use std::time::Instant;
use tessera_tensor::ops::{Arith, UnaryFloat};
use tessera_tensor::{Rng, Tensor, s};

const N: usize = 10_000_000;

fn median_ms(mut f: impl FnMut()) -> f64 {
    for _ in 0..3 {
        f();
    }
    let mut v: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[7]
}

/// Runs every case and prints `case<TAB>ms<TAB>GB/s<TAB>ns/elem` rows (the peer script's format).
pub fn run(threads: usize) {
    let mut rng = Rng::seed(0);
    let x = Tensor::<f32>::rand_normal(&[N], 0.0, 1.0, &mut rng);
    let y = Tensor::<f32>::rand_normal(&[N], 0.0, 1.0, &mut rng);
    let mut z = Tensor::<f32>::zeros(&[N]);
    let m = x.slice(&s![..1_000_000]).unwrap().reshape(&[1000, 1000]).unwrap().to_contiguous();
    let r = y.slice(&s![..1000]).unwrap().to_contiguous();
    let mut mo = Tensor::<f32>::zeros(&[1000, 1000]);
    let zero = Tensor::scalar(0.0f32);
    println!("# tessera threads={threads}, N={N} f32");
    println!("case\tms\tGB/s\tns/elem");
    let report = |name: &str, n: usize, bytes: usize, ms: f64| {
        println!("{name}\t{ms:.3}\t{:.2}\t{:.3}", bytes as f64 / ms * 1e-6, ms * 1e6 / n as f64);
    };
    report("x + y (allocates result)", N, 12 * N, median_ms(|| drop(&x + &y)));
    report("np.add(x, y, out=z)", N, 12 * N, median_ms(|| x.arith_out(&y, Arith::Add, &mut z).unwrap()));
    report("np.maximum(x, 0) (allocates)", N, 8 * N, median_ms(|| drop(x.relu())));
    report(
        "np.maximum(x, 0, out=z)",
        N,
        8 * N,
        median_ms(|| x.arith_out(&zero, Arith::Max, &mut z).unwrap()),
    );
    report("(1000,1000) + (1000,) broadcast (allocates)", 1_000_000, 8_000_000, median_ms(|| drop(&m + &r)));
    report(
        "np.add(M, r, out=Mo) broadcast",
        1_000_000,
        8_000_000,
        median_ms(|| m.arith_out(&r, Arith::Add, &mut mo).unwrap()),
    );
    report("np.exp(x) (allocates)", N, 8 * N, median_ms(|| drop(x.exp())));
    report("np.exp(x, out=z)", N, 8 * N, median_ms(|| x.unary_out(UnaryFloat::Exp, &mut z).unwrap()));
    report("np.tanh(x) (allocates)", N, 8 * N, median_ms(|| drop(x.tanh())));
    report("np.tanh(x, out=z)", N, 8 * N, median_ms(|| x.unary_out(UnaryFloat::Tanh, &mut z).unwrap()));
    report(
        "x.sum()",
        N,
        4 * N,
        median_ms(|| {
            std::hint::black_box(x.sum_all());
        }),
    );
}
