//! GEMM tiers at square sizes and the MNIST shapes; throughput counts 2·m·n·k flops, so criterion
//! reports FLOP/s ("elem/s").

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tessera_benches::randn;
use tessera_nn::datasets::mnist;
use tessera_tensor::gemm::{MatMut, MatRef, Tier, gemm_with};

fn gemm(c: &mut Criterion) {
    let shapes = [
        (128, 128, 128),
        (512, 512, 512),
        (1024, 1024, 1024),
        (128, 784, 512),
        (128, 512, 10),
        (784, 128, 512),
    ];
    for (m, k, n) in shapes {
        let a = randn(&[m, k], 1).to_vec();
        let b = randn(&[k, n], 2).to_vec();
        let mut out = vec![0.0f32; m * n];
        let mut g = c.benchmark_group(format!("sgemm {m}x{k}x{n}"));
        g.throughput(Throughput::Elements(2 * (m * n * k) as u64));
        g.sample_size(10);
        let mut tiers = vec![Tier::Packed, Tier::Parallel(2)];
        if m * n * k <= 512 * 512 * 512 {
            tiers.extend([Tier::Blocked, Tier::PackedWide]);
        }
        for tier in tiers {
            g.bench_with_input(BenchmarkId::from_parameter(tier.name()), &tier, |bch, &t| {
                bch.iter(|| {
                    gemm_with(
                        t,
                        1.0,
                        MatRef::row_major(&a, m, k).unwrap(),
                        MatRef::row_major(&b, k, n).unwrap(),
                        0.0,
                        MatMut::row_major(&mut out, m, n).unwrap(),
                    )
                    .unwrap()
                })
            });
        }
        g.finish();
    }
}

/// A Dense layer's forward pass, `relu(x·W + b)`: three tensor ops against the fused
/// `Tensor::linear` (bias and ReLU applied to each GEMM tile as it is finished), on the global
/// rayon pool. Same bits; the difference is the two passes over the output.
fn dense_layer(c: &mut Criterion) {
    for (m, k, n) in [(128, 784, 512), (128, 512, 10)] {
        let (x, w, b) = (randn(&[m, k], 1), randn(&[k, n], 2), randn(&[n], 3));
        let mut g = c.benchmark_group(format!("dense relu {m}x{k}x{n}"));
        g.throughput(Throughput::Elements(2 * (m * n * k) as u64));
        g.sample_size(20);
        g.bench_function("matmul, add, relu", |bch| {
            bch.iter(|| x.matmul(&w).unwrap().try_add(&b).unwrap().relu())
        });
        g.bench_function("linear (fused)", |bch| bch.iter(|| x.linear(&w, Some(&b), true).unwrap()));
        g.finish();
    }
}

/// Zero-skipping (`gemm/zero_steps.rs`) on the two large products of an MNIST training step, with
/// a real batch of pixels (81% zeros) against the same batch made dense (+1e-3 everywhere, so no
/// step is all-zero): `x·W1` (128×784·784×512) and `xᵀ·dh` (784×128·128×512). Throughput counts
/// the nominal 2·m·n·k flops, so skipped work shows as a higher rate. Reads the shipped MNIST files.
fn zero_skipping(c: &mut Criterion) {
    let train = match mnist::load_data(None) {
        Ok(((images, _), _)) => images,
        Err(e) => {
            eprintln!("zero skipping benches skipped: they need the MNIST pixels ({e})");
            return;
        }
    };
    let pixels: Vec<f32> = train.to_vec()[..128 * 784].iter().map(|&v| f32::from(v) / 255.0).collect();
    let dense: Vec<f32> = pixels.iter().map(|v| v + 1e-3).collect();
    let (w1, dh) = (randn(&[784, 512], 2).to_vec(), randn(&[128, 512], 3).to_vec());
    let mut out = vec![0.0f32; 784 * 512];
    for (label, transposed) in [("x·W1 128x784x512", false), ("xT·dh 784x128x512", true)] {
        let mut g = c.benchmark_group(format!("zero skipping {label}"));
        g.throughput(Throughput::Elements(2 * 128 * 784 * 512));
        g.sample_size(20);
        for (data, x) in [("mnist pixels", &pixels), ("dense", &dense)] {
            for tier in [Tier::Packed, Tier::Parallel(2)] {
                let id = BenchmarkId::new(data, tier.name());
                g.bench_function(id, |bch| {
                    bch.iter(|| {
                        let x = MatRef::row_major(x, 128, 784).unwrap();
                        let (a, b, m) = if transposed {
                            (x.t(), MatRef::row_major(&dh, 128, 512).unwrap(), 784)
                        } else {
                            (x, MatRef::row_major(&w1, 784, 512).unwrap(), 128)
                        };
                        let c = MatMut::row_major(&mut out[..m * 512], m, 512).unwrap();
                        gemm_with(tier, 1.0, a, b, 0.0, c).unwrap()
                    })
                });
            }
        }
        g.finish();
    }
}

/// `a.matmul(&b)` as a user calls it (a fresh output every call, whose pages the kernel faults in)
/// against `a.matmul_into(&b, &mut c)` (one output reused), on one thread.
fn matmul_api(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool");
    for s in [512usize, 1024] {
        let (a, b) = (randn(&[s, s], 1), randn(&[s, s], 2));
        let mut out = tessera_tensor::Tensor::<f32>::zeros(&[s, s]);
        let mut g = c.benchmark_group(format!("matmul api {s}^3, 1 thread"));
        g.throughput(Throughput::Elements(2 * (s * s * s) as u64));
        g.sample_size(20);
        g.bench_function("a.matmul(&b)", |bch| bch.iter(|| pool.install(|| a.matmul(&b).unwrap())));
        g.bench_function("a.matmul_into(&b, &mut c)", |bch| {
            bch.iter(|| pool.install(|| a.matmul_into(&b, &mut out).unwrap()))
        });
        g.finish();
    }
}

criterion_group!(benches, gemm, dense_layer, zero_skipping, matmul_api);
criterion_main!(benches);
