//! GEMM tiers at square sizes and the MNIST shapes; throughput counts 2·m·n·k flops, so criterion
//! reports FLOP/s ("elem/s").

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tessera_benches::randn;
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

criterion_group!(benches, gemm, dense_layer);
criterion_main!(benches);
