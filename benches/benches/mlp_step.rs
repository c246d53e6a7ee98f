//! The cost of the autograd graph: one 784-512-10 training step (forward, softmax-crossentropy,
//! backward, SGD update) through `Var`s, against the same kernels called by hand; and the step's
//! small fused pieces against the same arithmetic as separate ops; and RMSprop's update per
//! parameter, in L1 and at W1's size.

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_autograd::Var;
use tessera_benches::randn;
use tessera_tensor::Tensor;
use tessera_tensor::ops::Arith;

const LR: f32 = 0.01;

struct Weights {
    w1: Tensor<f32>,
    b1: Tensor<f32>,
    w2: Tensor<f32>,
    b2: Tensor<f32>,
}

fn onehot(batch: usize) -> Tensor<f32> {
    let mut t = vec![0.0f32; batch * 10];
    for i in 0..batch {
        t[i * 10 + i % 10] = 1.0;
    }
    Tensor::from_vec(t, &[batch, 10]).unwrap()
}

/// The step with every derivative written out.
fn step_by_hand(w: &mut Weights, x: &Tensor<f32>, t: &Tensor<f32>) {
    let h_pre = x.matmul(&w.w1).unwrap().try_add(&w.b1).unwrap();
    let h = h_pre.relu();
    let z = h.matmul(&w.w2).unwrap().try_add(&w.b2).unwrap();
    let p = z.softmax(-1).unwrap();
    let mut dz = p.try_sub(t).unwrap();
    dz *= 1.0 / x.shape()[0] as f32;
    let dw2 = h.transpose().matmul(&dz).unwrap();
    let db2 = dz.sum(&[0], false).unwrap();
    let dh = dz.matmul(&w.w2.transpose()).unwrap();
    let dh_pre = h_pre.zip_with("relu'", &dh, |a, g| if a > 0.0 { g } else { 0.0 }).unwrap();
    let dw1 = x.transpose().matmul(&dh_pre).unwrap();
    let db1 = dh_pre.sum(&[0], false).unwrap();
    for (p, g) in [(&mut w.w1, dw1), (&mut w.b1, db1), (&mut w.w2, dw2), (&mut w.b2, db2)] {
        p.arith_assign(&(g * LR), Arith::Sub).unwrap();
    }
}

/// The same step through the graph.
fn step_autograd(params: &[Var<f32>], x: &Tensor<f32>, t: &Tensor<f32>) {
    let (w1, b1, w2, b2) = (&params[0], &params[1], &params[2], &params[3]);
    let xv = Var::constant(x.clone());
    let h = xv.matmul(w1).unwrap().add(b1).unwrap().relu();
    let z = h.matmul(w2).unwrap().add(b2).unwrap();
    let loss = z.softmax_cross_entropy(&Var::constant(t.clone())).unwrap();
    for p in params {
        p.zero_grad();
    }
    loss.backward().unwrap();
    for p in params {
        let g = p.grad().unwrap();
        p.update(|v| v.arith_assign(&(g * LR), Arith::Sub).unwrap());
    }
}

fn mlp(c: &mut Criterion) {
    let batch = 128;
    let x = randn(&[batch, 784], 1);
    let t = onehot(batch);
    let init = || Weights {
        w1: randn(&[784, 512], 2) * 0.05,
        b1: Tensor::zeros(&[512]),
        w2: randn(&[512, 10], 3) * 0.05,
        b2: Tensor::zeros(&[10]),
    };
    let mut g = c.benchmark_group("mlp step 784-512-10, batch 128");
    let mut w = init();
    g.bench_function("by hand", |b| b.iter(|| step_by_hand(&mut w, &x, &t)));
    let w = init();
    let params: Vec<Var<f32>> = [w.w1, w.b1, w.w2, w.b2].into_iter().map(Var::param).collect();
    g.bench_function("autograd", |b| b.iter(|| step_autograd(&params, &x, &t)));
    g.finish();
}

/// The step's small element-wise pieces, fused against the same arithmetic as separate ops.
fn pieces(c: &mut Criterion) {
    let z = randn(&[128, 10], 4);
    let mut g = c.benchmark_group("step pieces");
    g.bench_function("log_softmax 128x10, row path", |b| b.iter(|| z.log_softmax(-1).unwrap()));
    g.bench_function("log_softmax 128x10, as five ops", |b| {
        b.iter(|| {
            let m = z.max(&[-1], true).unwrap();
            let s = z.try_sub(&m).unwrap();
            let lse = s.exp().sum(&[-1], true).unwrap().ln();
            s.try_sub(&lse).unwrap()
        })
    });
    let (y, dy) = (randn(&[128, 512], 5).relu(), randn(&[128, 512], 6));
    g.bench_function("relu and bias gradients 128x512, one pass", |b| {
        b.iter(|| y.relu_grad_and_bias_grad(&dy).unwrap())
    });
    g.bench_function("relu and bias gradients 128x512, mask then sum", |b| {
        b.iter(|| {
            let gz = y.zip_with("relu'", &dy, |y, g| if y > 0.0 { g } else { 0.0 }).unwrap();
            let gb = gz.sum(&[0], false).unwrap();
            (gz, gb)
        })
    });
    g.finish();
}

/// RMSprop's step on one parameter of 4,096 values (in L1) and one of W1's 401,408 (its value,
/// gradient and accumulator, 4.8 MB, stream through L2 and L3), on one thread: the same time per
/// value in both means the update is bound by its square root and division, not by memory. And
/// W1 with every third row's gradient `+0.0`, as on an MNIST batch (a third of the pixels lit by
/// no image of the batch): those runs only decay their accumulators.
fn rmsprop(c: &mut Criterion) {
    use tessera_nn::optimizers::{Optimizer, RMSprop};
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut g = c.benchmark_group("rmsprop step, one thread");
    let cases = [
        ("4096 values", [64usize, 64], false),
        ("784x512 values", [784, 512], false),
        ("784x512 values, a third of the rows' gradients zero", [784, 512], true),
    ];
    for (label, shape, zero_rows) in cases {
        let w = Var::param(randn(&shape, 7));
        let cols = shape[1];
        let k: Vec<f32> = randn(&shape, 8)
            .to_vec()
            .into_iter()
            .enumerate()
            .map(|(i, v)| if zero_rows && (i / cols).is_multiple_of(3) { 0.0 } else { v })
            .collect();
        let k = Var::constant(Tensor::from_vec(k, &shape).unwrap());
        // The gradient of sum(w ⊙ k) is k itself: +0.0 on the zero rows.
        w.mul(&k).unwrap().sum_all().unwrap().backward().unwrap();
        let mut opt = RMSprop::default();
        g.throughput(criterion::Throughput::Elements((shape[0] * shape[1]) as u64));
        g.bench_function(label, |b| pool.install(|| b.iter(|| opt.step(std::slice::from_ref(&w)).unwrap())));
    }
    g.finish();
}

criterion_group!(benches, mlp, pieces, rmsprop);
criterion_main!(benches);
