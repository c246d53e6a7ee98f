//! `matmul` and `dot` against explicit loops, on random batch shapes, 1-D promotion and
//! non-contiguous operands (transposed, broadcast batch axes).

use proptest::prelude::*;
use tessera_tensor::{Rng, Tensor};

fn ints(shape: &[usize], rng: &mut Rng) -> Tensor<f64> {
    let n = shape.iter().product();
    Tensor::from_vec((0..n).map(|_| rng.below(7) as f64 - 3.0).collect(), shape).unwrap()
}

/// Reference np.matmul for operands of rank >= 2, batch axes broadcast by index arithmetic.
fn naive_matmul(a: &Tensor<f64>, b: &Tensor<f64>) -> Tensor<f64> {
    let (ad, bd) = (a.ndim(), b.ndim());
    let (m, k, n) = (a.shape()[ad - 2], a.shape()[ad - 1], b.shape()[bd - 1]);
    let batch = tessera_tensor::broadcast_shapes("t", &a.shape()[..ad - 2], &b.shape()[..bd - 2]).unwrap();
    let nb: usize = batch.iter().product();
    let mut out = Vec::new();
    for f in 0..nb {
        let mut idx = vec![0isize; batch.len()];
        let mut r = f;
        for ax in (0..batch.len()).rev() {
            idx[ax] = (r % batch[ax]) as isize;
            r /= batch[ax];
        }
        let pick = |t: &Tensor<f64>, i: usize, j: usize| {
            let nd = t.ndim();
            let lead = batch.len() - (nd - 2);
            let mut full: Vec<isize> = idx[lead..]
                .iter()
                .zip(&t.shape()[..nd - 2])
                .map(|(&x, &d)| if d == 1 { 0 } else { x })
                .collect();
            full.push(i as isize);
            full.push(j as isize);
            t.get(&full).unwrap()
        };
        for i in 0..m {
            for j in 0..n {
                out.push((0..k).map(|p| pick(a, i, p) * pick(b, p, j)).sum());
            }
        }
    }
    let mut shape = batch;
    shape.extend([m, n]);
    Tensor::from_vec(out, &shape).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn matmul_matches_loops(
        batch_a in proptest::collection::vec(1usize..4, 0..3),
        ones in proptest::collection::vec(any::<bool>(), 3),
        m in 1usize..20, k in 0usize..20, n in 1usize..20, transpose_b in any::<bool>(), seed in any::<u64>(),
    ) {
        let mut rng = Rng::seed(seed);
        let batch_b: Vec<usize> = batch_a.iter().zip(&ones).map(|(&d, &o)| if o { 1 } else { d }).collect();
        let mut sa = batch_a.clone();
        sa.extend([m, k]);
        let a = ints(&sa, &mut rng);
        let b = if transpose_b {
            let mut sb = batch_b.clone();
            sb.extend([n, k]);
            let t = ints(&sb, &mut rng);
            let nd = t.ndim() as isize;
            t.swap_axes(nd - 1, nd - 2).unwrap()
        } else {
            let mut sb = batch_b.clone();
            sb.extend([k, n]);
            ints(&sb, &mut rng)
        };
        let want = naive_matmul(&a, &b);
        prop_assert_eq!(a.matmul(&b).unwrap(), want.clone());
        // The out= form writes the same values into a buffer that held anything, including into
        // a contiguous view that starts inside a larger buffer, and leaves the rest alone.
        let mut out = Tensor::<f64>::full(want.shape(), f64::NAN);
        a.matmul_into(&b, &mut out).unwrap();
        prop_assert_eq!(&out, &want);
        let shape: Vec<isize> = want.shape().iter().map(|&d| d as isize).collect();
        let big = Tensor::<f64>::full(&[want.size() + 3], -7.0);
        let mut view = big.slice(&tessera_tensor::s![3..]).unwrap().reshape(&shape).unwrap();
        drop(big); // the view now owns the buffer alone: written in place, from offset 3
        a.matmul_into(&b, &mut view).unwrap();
        prop_assert_eq!(&view, &want);
        prop_assert!(view.storage()[..3].iter().all(|&v| v == -7.0));
    }

    #[test]
    fn vector_promotion_and_nd_dot(k in 1usize..30, m in 1usize..6, seed in any::<u64>()) {
        let mut rng = Rng::seed(seed);
        let v = ints(&[k], &mut rng);
        let w = ints(&[k], &mut rng);
        let a = ints(&[m, k], &mut rng);
        let inner: f64 = v.iter().zip(w.iter()).map(|(x, y)| x * y).sum();
        prop_assert_eq!(v.dot(&w).unwrap().item().unwrap(), inner);
        prop_assert_eq!(v.matmul(&w).unwrap().ndim(), 0);
        let av = a.matmul(&v).unwrap();
        prop_assert_eq!(av.shape(), &[m]);
        prop_assert_eq!(av, naive_matmul(&a, &v.expand_dims(-1).unwrap()).squeeze(Some(-1)).unwrap());
        let va = v.matmul(&a.transpose()).unwrap();
        prop_assert_eq!(va.shape(), &[m]);
        // N-D . M-D: dot(x, y)[i, j, l, q] = sum_p x[i, j, p] * y[l, p, q]
        let x = ints(&[2, m, k], &mut rng);
        let y = ints(&[3, k, 2], &mut rng);
        let d = x.dot(&y).unwrap();
        prop_assert_eq!(d.shape(), &[2, m, 3, 2]);
        for (i, j, l, q) in [(0isize, 0isize, 0isize, 0isize), (1, m as isize - 1, 2, 1), (1, 0, 1, 0)] {
            let want: f64 = (0..k).map(|p| x.get(&[i, j, p as isize]).unwrap() * y.get(&[l, p as isize, q]).unwrap()).sum();
            prop_assert_eq!(d.get(&[i, j, l, q]).unwrap(), want);
        }
    }
}

#[test]
fn matmul_into_refuses_a_wrong_or_strided_out() {
    let a = Tensor::<f64>::ones(&[2, 3]);
    let b = Tensor::<f64>::ones(&[3, 4]);
    let e = a.matmul_into(&b, &mut Tensor::zeros(&[4, 2])).unwrap_err().to_string();
    assert!(
        e.starts_with("matmul_into: shapes [2, 4], [4, 2]") && e.contains("result's shape [2, 4]"),
        "{e}"
    );
    let mut strided = Tensor::<f64>::zeros(&[4, 2]).transpose();
    assert!(a.matmul_into(&b, &mut strided).unwrap_err().to_string().contains("contiguous"));
    let e = a.matmul_into(&a, &mut Tensor::zeros(&[2, 3])).unwrap_err().to_string();
    assert!(e.starts_with("matmul_into: shapes [2, 3], [2, 3] do not fit: contracted axes"), "{e}");
}

#[test]
fn scalar_dot_multiplies_and_matmul_rejects_scalars() {
    let a = Tensor::from([1.0f32, 2.0]);
    assert_eq!(a.dot(&Tensor::scalar(3.0)).unwrap().to_vec(), vec![3.0, 6.0]);
    assert!(a.matmul(&Tensor::scalar(3.0)).is_err());
    let e = Tensor::<f32>::zeros(&[2, 3]).dot(&Tensor::zeros(&[4, 5])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dot: shapes [2, 3], [4, 5] do not fit: contracted axes a[-1] = 3 vs b[-2] = 4"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    // `linear` (bias and ReLU fused into the GEMM) equals matmul → add → relu exactly, for
    // transposed and step-sliced operands, a bias that is a strided view, and empty dimensions.
    #[test]
    fn linear_equals_matmul_add_relu(
        m in 0usize..40, k in 0usize..40, n in 0usize..40, transpose_x in any::<bool>(),
        step_w in any::<bool>(), relu in any::<bool>(), seed in any::<u64>(),
    ) {
        use tessera_tensor::s;
        let mut rng = Rng::seed(seed);
        let x = if transpose_x { ints(&[k, m], &mut rng).transpose() } else { ints(&[m, k], &mut rng) };
        let w = if step_w { ints(&[k, 2 * n], &mut rng).slice(&s![.., ..;2]).unwrap() } else { ints(&[k, n], &mut rng) };
        let b = ints(&[2 * n], &mut rng).slice(&s![1..;2]).unwrap();
        let z = x.matmul(&w).unwrap().try_add(&b).unwrap();
        let want = if relu { z.relu() } else { z };
        prop_assert_eq!(x.linear(&w, Some(&b), relu).unwrap(), want);
        prop_assert_eq!(x.linear(&w, None, false).unwrap(), x.matmul(&w).unwrap());
    }
}
