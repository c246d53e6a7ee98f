//! Gradient tests in three layers: hand-derived values on tiny inputs, f64 central differences
//! (gradcheck) on random shapes for every op, including broadcast and non-contiguous operands,
//! with a negative control the checker must reject; and fused == composed.

use proptest::prelude::*;
use tessera_autograd::{
    AutogradError, GradcheckOptions, Result, Var, concatenate, gradcheck, no_grad, to_dot,
};
use tessera_tensor::{Rng, SliceArg, Tensor, s, tensor};

fn rand(shape: &[usize], seed: u64) -> Tensor<f64> {
    Tensor::rand_uniform(shape, -1.0, 1.0, &mut Rng::seed(seed))
}

fn check(f: impl Fn(&[Var<f64>]) -> Result<Var<f64>>, inputs: &[Tensor<f64>]) {
    if let Err(e) = gradcheck(f, inputs, GradcheckOptions::default()) {
        panic!("{e}");
    }
}

// ---- layer 1: hand-derived values ------------------------------------------------------------

#[test]
fn hand_derived_elementwise() {
    // f = sum(a·b + a/b) at a = [1, 2], b = [4, 8]: ∂f/∂a = b + 1/b = [4.25, 8.125];
    // ∂f/∂b = a - a/b² = [1 - 1/16, 2 - 2/64] = [0.9375, 1.96875]
    let a = Var::param(tensor![1.0f64, 2.0]);
    let b = Var::param(tensor![4.0f64, 8.0]);
    a.mul(&b).unwrap().add(&a.div(&b).unwrap()).unwrap().sum_all().unwrap().backward().unwrap();
    assert_eq!(a.grad().unwrap().to_vec(), vec![4.25, 8.125]);
    assert_eq!(b.grad().unwrap().to_vec(), vec![0.9375, 1.96875]);
}

#[test]
fn hand_derived_matmul_and_broadcast_bias() {
    // y = x W + b, L = sum(y). ∂L/∂W = xᵀ·1 = column sums of x repeated; ∂L/∂b = batch size.
    // x = [[1, 2], [3, 4]] -> ∂L/∂W = [[1+3, 1+3], [2+4, 2+4]] = [[4, 4], [6, 6]]; ∂L/∂b = [2, 2]
    let x = Var::constant(tensor![[1.0f64, 2.0], [3.0, 4.0]]);
    let w = Var::param(tensor![[0.1f64, 0.2], [0.3, 0.4]]);
    let b = Var::param(tensor![0.0f64, 0.0]);
    x.matmul(&w).unwrap().add(&b).unwrap().sum_all().unwrap().backward().unwrap();
    assert_eq!(w.grad().unwrap().to_vec(), vec![4.0, 4.0, 6.0, 6.0]);
    assert_eq!(b.grad().unwrap().to_vec(), vec![2.0, 2.0]);
}

#[test]
fn hand_derived_relu_softmax_max() {
    // relu'(x) = [x > 0]: at [-1, 0, 2] -> [0, 0, 1]
    let x = Var::param(tensor![-1.0f64, 0.0, 2.0]);
    x.relu().sum_all().unwrap().backward().unwrap();
    assert_eq!(x.grad().unwrap().to_vec(), vec![0.0, 0.0, 1.0]);
    // Σ softmax = 1 for any x, so its gradient is 0.
    let z = Var::param(tensor![[0.3f64, -1.0, 2.0]]);
    z.softmax(-1).unwrap().sum_all().unwrap().backward().unwrap();
    assert!(z.grad().unwrap().iter().all(|g| g.abs() < 1e-15));
    // max with a tie: [3, 1, 3] -> gradient split evenly: [0.5, 0, 0.5]
    let m = Var::param(tensor![3.0f64, 1.0, 3.0]);
    m.max(&[0], false).unwrap().backward().unwrap();
    assert_eq!(m.grad().unwrap().to_vec(), vec![0.5, 0.0, 0.5]);
}

// ---- layer 2: gradcheck on random shapes ------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn elementwise_and_broadcast(r in 1usize..4, c in 1usize..5, seed in 0u64..1000, bcast in 0usize..3) {
        let a = rand(&[r, c], seed);
        let b = match bcast { 0 => rand(&[r, c], seed + 1), 1 => rand(&[c], seed + 1), _ => rand(&[r, 1], seed + 1) };
        let bpos = b.map(|v| v.abs() + 0.5); // away from 0 for div
        check(|v| v[0].add(&v[1]), &[a.clone(), b.clone()]);
        check(|v| v[0].sub(&v[1]), &[a.clone(), b.clone()]);
        check(|v| v[0].mul(&v[1]), &[a.clone(), b.clone()]);
        check(|v| v[0].div(&v[1]), &[a.clone(), bpos.clone()]);
        check(|v| Ok(v[0].neg().exp().tanh().sigmoid()), std::slice::from_ref(&a));
        let off_edges = a.map(|v| if (v.abs() - 0.5).abs() < 0.05 { 0.1 } else { v });
        check(|v| Ok(v[0].clip(-0.5, 0.5)), &[off_edges]);
        check(|v| Ok(v[0].ln().sqrt().powf(3.0)), &[bpos.map(|v| v + 1.0)]); // ln > 0 for sqrt
        // relu away from its kink at 0
        let away = a.map(|v| if v.abs() < 0.05 { 0.3 } else { v });
        check(|v| Ok(v[0].relu()), std::slice::from_ref(&away));
        // abs away from its kink at 0
        check(|v| Ok(v[0].abs()), &[away]);
    }

    #[test]
    fn reductions_and_views(d0 in 1usize..4, d1 in 1usize..4, d2 in 1usize..4, seed in 0u64..1000, axis in 0isize..3, keep in any::<bool>()) {
        let x = rand(&[d0, d1, d2], seed);
        check(|v| v[0].sum(&[axis], keep), std::slice::from_ref(&x));
        check(|v| v[0].mean(&[axis, (axis + 1) % 3], keep), std::slice::from_ref(&x));
        check(|v| v[0].max(&[axis], keep), std::slice::from_ref(&x));
        check(|v| v[0].reshape(&[-1]), std::slice::from_ref(&x));
        check(|v| v[0].permute(&[2, 0, 1]), std::slice::from_ref(&x));
        check(|v| Ok(v[0].transpose()), std::slice::from_ref(&x));
        check(|v| v[0].broadcast_to(&[2, d0, d1, d2]), std::slice::from_ref(&x));
        check(|v| v[0].slice(&s![.., ..;-1, 1..]), std::slice::from_ref(&x));
        check(|v| v[0].slice(&[SliceArg::Index(-1)]), std::slice::from_ref(&x));
        check(|v| v[0].softmax(axis), std::slice::from_ref(&x));
        check(|v| v[0].log_softmax(axis), std::slice::from_ref(&x));
        check(|v| concatenate(&[&v[0], &v[1]], axis), &[x.clone(), x.map(|t| t * 2.0)]);
    }

    #[test]
    fn matmul_batched_broadcast_and_transposed(m in 1usize..5, k in 1usize..5, n in 1usize..5, seed in 0u64..1000) {
        check(|v| v[0].matmul(&v[1]), &[rand(&[m, k], seed), rand(&[k, n], seed + 1)]);
        check(|v| v[0].matmul(&v[1]), &[rand(&[3, m, k], seed), rand(&[k, n], seed + 1)]);
        check(|v| v[0].matmul(&v[1]), &[rand(&[2, 1, m, k], seed), rand(&[3, k, n], seed + 1)]);
        check(|v| v[0].matmul(&v[1]), &[rand(&[k], seed), rand(&[k, n], seed + 1)]);
        check(|v| v[0].matmul(&v[1]), &[rand(&[m, k], seed), rand(&[k], seed + 1)]);
        // Non-contiguous operands: a transposed view feeds the forward GEMM directly.
        check(|v| v[0].transpose().matmul(&v[1]), &[rand(&[k, m], seed), rand(&[k, n], seed + 1)]);
    }

    // The fused Dense node: gradcheck for x, w and b (ReLU kinks are measure-zero for random
    // inputs), and the same values and gradients as the composed matmul → add → relu.
    #[test]
    fn linear_gradcheck_and_equals_composed(m in 1usize..5, k in 1usize..5, n in 1usize..5, relu in any::<bool>(), seed in 0u64..1000) {
        let inputs = [rand(&[m, k], seed), rand(&[k, n], seed + 1), rand(&[n], seed + 2)];
        check(|v| v[0].linear(&v[1], &v[2], relu), &inputs);
        check(|v| v[0].transpose().linear(&v[1], &v[2], relu), &[rand(&[k, m], seed), inputs[1].clone(), inputs[2].clone()]);
        let run = |fused: bool| {
            let vs: Vec<Var<f64>> = inputs.iter().map(|t| Var::param(t.clone())).collect();
            let y = if fused {
                vs[0].linear(&vs[1], &vs[2], relu).unwrap()
            } else {
                let z = vs[0].matmul(&vs[1]).unwrap().add(&vs[2]).unwrap();
                if relu { z.relu() } else { z }
            };
            y.mul(&y).unwrap().sum_all().unwrap().backward().unwrap();
            let mut out = vec![y.value().to_vec()];
            out.extend(vs.iter().map(|v| v.grad().unwrap().to_vec()));
            out
        };
        prop_assert_eq!(run(true), run(false));
    }
}

// ---- the checker itself must catch a wrong gradient ------------------------------------------

#[test]
fn negative_control_is_rejected() {
    // f(x) = x · stop_gradient(x): the true derivative is 2x, but backward only sees one path
    // and reports x. The checker must flag it (both values carry the same contraction weight w,
    // so numeric = 2 · analytic).
    let e = gradcheck(|v| v[0].mul(&v[0].detach()), &[tensor![0.5f64, -2.0]], GradcheckOptions::default())
        .unwrap_err();
    match e {
        AutogradError::GradcheckMismatch { input: 0, index: 0, analytic, numeric } => {
            assert!((numeric - 2.0 * analytic).abs() < 1e-6, "{analytic} {numeric}");
        }
        other => panic!("wrong error {other}"),
    }
}

// ---- layer 3: fused == composed ---------------------------------------------------------------

#[test]
fn fused_softmax_cross_entropy_equals_composed() {
    let z = rand(&[5, 4], 3);
    let mut t = vec![0.0f64; 20];
    for (i, c) in [1usize, 3, 0, 2, 3].iter().enumerate() {
        t[i * 4 + c] = 1.0;
    }
    let t = Tensor::from_vec(t, &[5, 4]).unwrap();
    let zf = Var::param(z.clone());
    let fused = zf.softmax_cross_entropy(&Var::constant(t.clone())).unwrap();
    fused.backward().unwrap();
    let zc = Var::param(z.clone());
    let composed = zc
        .log_softmax(-1)
        .unwrap()
        .mul(&Var::constant(t.clone()))
        .unwrap()
        .sum(&[-1], false)
        .unwrap()
        .mean_all()
        .unwrap()
        .neg();
    composed.backward().unwrap();
    assert!((fused.value().item().unwrap() - composed.value().item().unwrap()).abs() < 1e-14);
    for (a, b) in zf.grad().unwrap().iter().zip(zc.grad().unwrap().iter()) {
        assert!((a - b).abs() < 1e-14);
    }
    check(|v| v[0].softmax_cross_entropy(&Var::constant(t.clone())), &[z]);
}

// ---- graph mechanics --------------------------------------------------------------------------

#[test]
fn micrograd_style_expression_reusing_nodes() {
    // micrograd's README example, value for value (a = -4, b = 2):
    // c = a + b; d = a*b + b³; c += c + 1; c += 1 + c + (-a); d += d*2 + relu(b + a);
    // d += 3*d + relu(b - a); e = c - d; f = e²; g = f/2 + 10/f  -> g = 24.7041, dg/da = 138.8338,
    // dg/db = 645.5773
    let a = Var::param(Tensor::scalar(-4.0f64));
    let b = Var::param(Tensor::scalar(2.0f64));
    let c = a.add(&b).unwrap();
    let d = a.mul(&b).unwrap().add(&b.powf(3.0)).unwrap();
    let c = c.add(&c.add_scalar(1.0)).unwrap();
    let c = c.add(&c.add_scalar(1.0).add(&a.neg()).unwrap()).unwrap();
    let d = d.add(&d.mul_scalar(2.0).add(&b.add(&a).unwrap().relu()).unwrap()).unwrap();
    let d = d.add(&d.mul_scalar(3.0).add(&b.sub(&a).unwrap().relu()).unwrap()).unwrap();
    let e = c.sub(&d).unwrap();
    let f = e.powf(2.0);
    let g = f.mul_scalar(0.5).add(&Var::constant(Tensor::scalar(10.0)).div(&f).unwrap()).unwrap();
    g.backward().unwrap();
    assert!((g.value().item().unwrap() - 24.7041).abs() < 1e-4);
    assert!((a.grad().unwrap().item().unwrap() - 138.8338).abs() < 1e-4);
    assert!((b.grad().unwrap().item().unwrap() - 645.5773).abs() < 1e-4);
}

#[test]
fn accumulation_zero_grad_no_grad_and_freed_graph() {
    let w = Var::param(tensor![1.0f64, 2.0]);
    for _ in 0..2 {
        w.mul_scalar(3.0).sum_all().unwrap().backward().unwrap();
    }
    assert_eq!(w.grad().unwrap().to_vec(), vec![6.0, 6.0], "two backward calls accumulate");
    w.zero_grad();
    assert!(w.grad().is_none());
    let y = no_grad(|| w.mul_scalar(3.0));
    assert!(!y.requires_grad() && y.parents().is_empty());
    let loss = w.mul(&w).unwrap().sum_all().unwrap();
    loss.backward().unwrap();
    assert!(matches!(loss.backward(), Err(AutogradError::GraphFreed { .. })));
    assert!(matches!(w.mul_scalar(1.0).backward(), Err(AutogradError::NonScalarBackward { .. })));
}

#[test]
fn dot_export_names_ops_and_shapes() {
    let x = Var::constant(Tensor::<f32>::ones(&[4, 3]));
    let w = Var::param(Tensor::<f32>::ones(&[3, 2]));
    let y = x.matmul(&w).unwrap().relu().sum_all().unwrap();
    let dot = to_dot(&y);
    assert!(dot.contains("matmul\\n[4, 2]"));
    assert!(dot.contains("param [3, 2]"));
    assert!(dot.contains("[label=\"[4, 2]\"]"));
}
