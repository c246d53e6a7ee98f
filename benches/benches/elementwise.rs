//! Element-wise kernels and reductions, in bytes per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tessera_benches::randn;
use tessera_tensor::Tensor;
use tessera_tensor::ops::Arith;

fn elementwise(c: &mut Criterion) {
    for n in [1_000_000usize, 10_000_000] {
        let x = randn(&[n], 1);
        let y = randn(&[n], 2);
        let mut z = Tensor::<f32>::zeros(&[n]);
        let mut g = c.benchmark_group(format!("elementwise/{n}"));
        g.throughput(Throughput::Bytes(12 * n as u64));
        g.bench_function("add (allocates)", |b| b.iter(|| black_box(&x + &y)));
        g.bench_function("add (out=)", |b| b.iter(|| x.arith_out(&y, Arith::Add, &mut z).unwrap()));
        g.throughput(Throughput::Bytes(8 * n as u64));
        g.bench_function("relu (allocates)", |b| b.iter(|| black_box(x.relu())));
        g.bench_function("relu (in place)", |b| b.iter(|| z.relu_inplace()));
        g.bench_function("exp (allocates)", |b| b.iter(|| black_box(x.exp())));
        g.throughput(Throughput::Bytes(4 * n as u64));
        g.bench_function("sum", |b| b.iter(|| black_box(x.sum_all())));
        g.finish();
    }
    let m = randn(&[1000, 1000], 3);
    let r = randn(&[1000], 4);
    let mut g = c.benchmark_group("broadcast");
    g.throughput(Throughput::Bytes(8_000_000));
    g.bench_function("[1000,1000] + [1000]", |b| b.iter(|| black_box(&m + &r)));
    g.bench_function("sum axis 0 of [1000,1000]", |b| b.iter(|| black_box(m.sum(&[0], false).unwrap())));
    g.finish();
}

criterion_group!(benches, elementwise);
criterion_main!(benches);
