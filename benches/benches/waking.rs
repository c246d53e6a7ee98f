//! What a parallel region costs around the thresholds where Tessera splits work between threads,
//! as a downstream crate calls it: from its own thread, outside any rayon pool (each call enters
//! the global pool, whose workers sleep between calls, and waits to be woken when it is done);
//! against the same call on one thread, and from inside a two-thread pool (as `fit` runs).
//! Element-wise add and square products, back to back.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tessera_benches::randn;
use tessera_tensor::Tensor;

/// One call at one size: its label and the call.
type Case = (String, Box<dyn Fn() -> Tensor<f32> + Sync>);

fn three_ways(c: &mut Criterion, group: &str, cases: Vec<Case>) {
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut g = c.benchmark_group(group);
    for (size, call) in &cases {
        g.bench_function(BenchmarkId::new("from outside the pool", size), |b| b.iter(call));
        g.bench_function(BenchmarkId::new("one thread", size), |b| one.install(|| b.iter(call)));
        g.bench_function(BenchmarkId::new("inside a 2-thread pool", size), |b| two.install(|| b.iter(call)));
    }
    g.finish();
}

fn add(c: &mut Criterion) {
    let cases = [16, 17, 18, 19, 20]
        .into_iter()
        .map(|log2| {
            let (a, b) = (randn(&[1 << log2], 1), randn(&[1 << log2], 2));
            let call: Box<dyn Fn() -> Tensor<f32> + Sync> = Box::new(move || a.try_add(&b).unwrap());
            (format!("2^{log2}"), call)
        })
        .collect();
    three_ways(c, "add", cases);
}

fn matmul(c: &mut Criterion) {
    let cases = [96, 128, 192, 256, 384]
        .into_iter()
        .map(|n| {
            let (a, b) = (randn(&[n, n], 3), randn(&[n, n], 4));
            let call: Box<dyn Fn() -> Tensor<f32> + Sync> = Box::new(move || a.matmul(&b).unwrap());
            (format!("{n}^3"), call)
        })
        .collect();
    three_ways(c, "matmul", cases);
}

criterion_group!(benches, add, matmul);
criterion_main!(benches);
