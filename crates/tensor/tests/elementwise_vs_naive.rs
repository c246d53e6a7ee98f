//! Every element-wise op and reduction: fast path == naive oracle, on random shapes and on
//! non-contiguous operands (transposed, negative-step, step-sliced, broadcast), for f32, f64,
//! i32 and u8. Exact equality where the math is exact; stated bounds where it is not.

use proptest::prelude::*;
use tessera_tensor::ops::{Arith, NumElement, Reduce, UnaryFloat, naive_map, naive_zip, where_};
use tessera_tensor::{Element, Rng, SliceArg, Tensor};

/// Builds a tensor of `shape` whose layout is of the given kind, with values from `gen`.
fn realize<T: Element>(
    shape: &[usize],
    kind: usize,
    rng: &mut Rng,
    make: &impl Fn(&mut Rng) -> T,
) -> Tensor<T> {
    let fill = |s: &[usize], rng: &mut Rng| {
        let n = s.iter().product();
        Tensor::from_vec((0..n).map(|_| make(rng)).collect(), s).unwrap()
    };
    let nd = shape.len();
    match kind % 5 {
        1 if nd >= 2 => {
            let rev: Vec<usize> = shape.iter().rev().copied().collect();
            fill(&rev, rng).transpose()
        }
        2 if nd >= 1 => {
            fill(shape, rng).slice(&[SliceArg::Range { start: None, stop: None, step: -1 }]).unwrap()
        }
        3 if nd >= 1 => {
            let mut wide = shape.to_vec();
            wide[nd - 1] *= 2;
            let mut args = vec![SliceArg::from(..); nd - 1];
            args.push(SliceArg::Range { start: None, stop: None, step: 2 });
            fill(&wide, rng).slice(&args).unwrap()
        }
        4 if nd >= 1 && shape[0] > 0 => {
            let mut one = shape.to_vec();
            one[0] = 1;
            fill(&one, rng).broadcast_to(shape).unwrap()
        }
        _ => fill(shape, rng),
    }
}

/// A shape and a broadcast-compatible partner (some axes 1, maybe fewer leading axes).
fn shapes() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    proptest::collection::vec(0usize..7, 0..=4)
        .prop_flat_map(|s| {
            let n = s.len();
            (Just(s), proptest::collection::vec(any::<bool>(), n), 0..=n)
        })
        .prop_map(|(s, ones, drop)| {
            let partner: Vec<usize> =
                s.iter().zip(&ones).map(|(&d, &o)| if o { 1 } else { d }).skip(drop).collect();
            (s, partner)
        })
}

fn long_shapes() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(1usize..40, 1..=3)
}

/// Equal, or both NaN (NaN is the only value unequal to itself).
#[allow(clippy::eq_op)]
fn same<T: PartialEq>(g: T, w: T) -> bool {
    g == w || (g != g && w != w)
}

fn check_arith<T: NumElement>(a: &Tensor<T>, b: &Tensor<T>, ops: &[Arith]) {
    for &op in ops {
        let want = naive_zip(op.name(), a, b, |x, y| T::arith(op, x, y)).unwrap();
        let got = a.try_arith(b, op).unwrap();
        assert_eq!(got.shape(), want.shape());
        assert!(
            got.iter().zip(want.iter()).all(|(g, w)| same(g, w)),
            "{} {:?} {:?}: {got} vs {want}",
            op.name(),
            a.shape(),
            b.shape()
        );
        // In place (a op= b) must write the same values whenever the result has a's shape.
        if got.shape() == a.shape() {
            let mut inplace = a.clone();
            inplace.arith_assign(b, op).unwrap();
            assert!(inplace.iter().zip(want.iter()).all(|(g, w)| same(g, w)), "in-place {}", op.name());
        }
    }
}

const ALL: [Arith; 5] = [Arith::Add, Arith::Sub, Arith::Mul, Arith::Max, Arith::Min];

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn binary_f32_matches_naive((s, p) in shapes(), ka in 0usize..5, kb in 0usize..5, seed in any::<u64>(), swap in any::<bool>()) {
        let mut rng = Rng::seed(seed);
        let g = |r: &mut Rng| if r.below(20) == 0 { f32::NAN } else { (r.uniform() * 8.0 - 4.0) as f32 };
        let a = realize(&s, ka, &mut rng, &g);
        let b = realize(&p, kb, &mut rng, &g);
        let (a, b) = if swap { (b, a) } else { (a, b) };
        check_arith(&a, &b, &[Arith::Add, Arith::Sub, Arith::Mul, Arith::Div, Arith::Max, Arith::Min]);
    }

    #[test]
    fn binary_f64_i32_u8_match_naive((s, p) in shapes(), ka in 0usize..5, kb in 0usize..5, seed in any::<u64>()) {
        let mut rng = Rng::seed(seed);
        let a = realize(&s, ka, &mut rng, &|r: &mut Rng| r.normal());
        let b = realize(&p, kb, &mut rng, &|r: &mut Rng| r.normal());
        check_arith(&a, &b, &[Arith::Add, Arith::Sub, Arith::Mul, Arith::Div, Arith::Max, Arith::Min]);
        let a = realize(&s, ka, &mut rng, &|r: &mut Rng| r.below(2000) as i32 - 1000);
        let b = realize(&p, kb, &mut rng, &|r: &mut Rng| r.below(2000) as i32 - 1000);
        check_arith(&a, &b, &ALL);
        let a = realize(&s, ka, &mut rng, &|r: &mut Rng| r.below(256) as u8);
        let b = realize(&p, kb, &mut rng, &|r: &mut Rng| r.below(256) as u8);
        check_arith(&a, &b, &ALL);
    }

    #[test]
    fn long_runs_hit_simd_bodies(s in long_shapes(), k in 0usize..5, seed in any::<u64>()) {
        let mut rng = Rng::seed(seed);
        let g = |r: &mut Rng| (r.uniform() * 8.0 - 4.0) as f32;
        let a = realize(&s, k, &mut rng, &g);
        let b = realize(&s, 0, &mut rng, &g);
        let row = realize(&s[s.len() - 1..], 0, &mut rng, &g);
        check_arith(&a, &b, &[Arith::Add, Arith::Div, Arith::Max]);
        check_arith(&a, &row, &[Arith::Sub, Arith::Mul, Arith::Min]);
        check_arith(&a, &Tensor::scalar(0.5f32), &[Arith::Add, Arith::Max]);
        check_arith(&Tensor::scalar(0.5f32), &a, &[Arith::Sub, Arith::Div]);
    }

    #[test]
    fn unary_matches_naive(s in long_shapes(), k in 0usize..5, seed in any::<u64>()) {
        let mut rng = Rng::seed(seed);
        let x = realize(&s, k, &mut rng, &|r: &mut Rng| (r.uniform() * 20.0 - 10.0) as f32);
        for op in [UnaryFloat::Relu, UnaryFloat::Neg, UnaryFloat::Abs, UnaryFloat::Square, UnaryFloat::Sqrt,
                   UnaryFloat::Recip, UnaryFloat::Exp, UnaryFloat::Sigmoid, UnaryFloat::Tanh, UnaryFloat::Ln,
                   UnaryFloat::Log1p, UnaryFloat::Sin, UnaryFloat::Cos, UnaryFloat::Sign, UnaryFloat::Clip(-1.0, 2.0)] {
            let got = x.unary(op);
            let want = naive_map(&x, |v| op.scalar(v));
            // SIMD lanes and the scalar path share one formula, so results are bit-identical.
            let same = got.iter().zip(want.iter()).all(|(g, w)| g.to_bits() == w.to_bits());
            prop_assert!(same, "{}: {} vs {}", op.name(), got, want);
            let mut inplace = x.clone();
            inplace.unary_inplace(op);
            prop_assert!(inplace.iter().zip(want.iter()).all(|(g, w)| g.to_bits() == w.to_bits()));
        }
        // Against libm within the stated bounds.
        for (op, f, ulps) in [(UnaryFloat::Exp, f64::exp as fn(f64) -> f64, 2.0f64), (UnaryFloat::Sigmoid, |v: f64| 1.0 / (1.0 + (-v).exp()), 4.0), (UnaryFloat::Tanh, f64::tanh, 2.0)] {
            for (g, v) in x.unary(op).iter().zip(x.iter()) {
                let w = f(v as f64);
                prop_assert!(((g as f64) - w).abs() <= ulps * f32::EPSILON as f64 * w.abs().max(f32::MIN_POSITIVE as f64), "{} at {v}", op.name());
            }
        }
    }

    #[test]
    fn reductions_match_naive(s in proptest::collection::vec(1usize..9, 1..=4), k in 0usize..5, seed in any::<u64>(), ax in 0usize..4, keep in any::<bool>()) {
        let mut rng = Rng::seed(seed);
        let x = realize(&s, k, &mut rng, &|r: &mut Rng| r.below(19) as i64 - 9);
        let ax = (ax % s.len()) as isize;
        // Integers: exact. Reference: explicit loops over the moved axis.
        let moved = x.swap_axes(ax, -1).unwrap().to_contiguous();
        let len = s[ax as usize];
        let rows: Vec<Vec<i64>> = moved.to_vec().chunks(len).map(|c| c.to_vec()).collect();
        let want_sum: Vec<i64> = rows.iter().map(|r| r.iter().sum()).collect();
        let want_max: Vec<i64> = rows.iter().map(|r| *r.iter().max().unwrap()).collect();
        let want_arg: Vec<i64> = rows.iter().map(|r| { let m = r.iter().max().unwrap(); r.iter().position(|v| v == m).unwrap() as i64 }).collect();
        // The fast reductions keep the other axes in order; compare through the same move.
        let got_sum = x.sum(&[ax], true).unwrap().swap_axes(ax, -1).unwrap().to_vec();
        let got_max = x.max(&[ax], true).unwrap().swap_axes(ax, -1).unwrap().to_vec();
        let got_arg = x.argmax(Some(ax)).unwrap().expand_dims(ax).unwrap().swap_axes(ax, -1).unwrap().to_vec();
        prop_assert_eq!(got_sum, want_sum);
        prop_assert_eq!(got_max, want_max);
        prop_assert_eq!(got_arg, want_arg);
        let r = x.sum(&[ax], keep).unwrap();
        prop_assert_eq!(r.ndim(), if keep { s.len() } else { s.len() - 1 });
        prop_assert_eq!(x.sum_all(), x.iter().sum::<i64>());
        prop_assert_eq!(x.reduce_all(Reduce::Min).unwrap(), x.iter().min().unwrap());
    }
}

#[test]
fn float_sum_is_pairwise_accurate_and_thread_independent() {
    let n = 10_000_000;
    let x = Tensor::<f32>::full(&[n], 0.1);
    let exact = 0.1f32 as f64 * n as f64;
    let s1 = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| x.sum_all());
    let s2 = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap().install(|| x.sum_all());
    assert_eq!(s1.to_bits(), s2.to_bits(), "1 vs 2 threads");
    let rel = ((s1 as f64) - exact).abs() / exact;
    // A sequential f32 loop is off by ~1e-1 here; pairwise stays near f32 epsilon.
    assert!(rel < 1e-6, "relative error {rel}");
}

#[test]
fn elementwise_is_thread_independent() {
    let mut rng = Rng::seed(9);
    let x = Tensor::<f32>::rand_normal(&[300, 1000], 0.0, 3.0, &mut rng);
    let b = Tensor::<f32>::rand_normal(&[1000], 0.0, 1.0, &mut rng);
    let run = |t| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
            .install(|| (x.exp().try_add(&b).unwrap(), x.sum(&[0], false).unwrap()))
    };
    let (a1, s1) = run(1);
    let (a2, s2) = run(2);
    assert!(a1.iter().zip(a2.iter()).all(|(p, q)| p.to_bits() == q.to_bits()));
    assert!(s1.iter().zip(s2.iter()).all(|(p, q)| p.to_bits() == q.to_bits()));
}

#[test]
fn chapter_examples() {
    // maximum of [64, 3, 32, 10] with [32, 10]: broadcast without materialising y.
    let mut rng = Rng::seed(0);
    let x = Tensor::<f32>::rand_uniform(&[64, 3, 32, 10], 0.0, 1.0, &mut rng);
    let y = Tensor::<f32>::rand_uniform(&[32, 10], 0.0, 1.0, &mut rng);
    let z = x.maximum(&y).unwrap();
    assert_eq!(z.shape(), &[64, 3, 32, 10]);
    assert_eq!(z.get(&[5, 1, 7, 3]).unwrap(), x.get(&[5, 1, 7, 3]).unwrap().max(y.get(&[7, 3]).unwrap()));
    let e = x.maximum(&Tensor::zeros(&[31, 10])).unwrap_err();
    assert_eq!(e.to_string(), "maximum: cannot broadcast [64, 3, 32, 10] with [31, 10]: axis -2 is 32 vs 31");
    let m = Tensor::<f32>::rand_uniform(&[20, 100], -1.0, 1.0, &mut rng);
    let v = Tensor::<f32>::rand_uniform(&[100], -1.0, 1.0, &mut rng);
    assert_eq!(tessera_tensor::ops::naive_add_matrix_and_vector(&m, &v).unwrap(), m.try_add(&v).unwrap());
    assert_eq!(tessera_tensor::ops::naive_relu(&m).unwrap(), m.relu());
    assert_eq!(tessera_tensor::ops::naive_add(&m, &m).unwrap(), &m + &m);
}

#[test]
fn comparisons_where_and_stats() {
    let a = Tensor::from(vec_to([1.0f64, 5.0, 3.0]));
    let b = Tensor::scalar(3.0f64);
    assert_eq!(a.greater(&b).unwrap().to_vec(), vec![false, true, false]);
    assert_eq!(a.less_equal(&b).unwrap().to_vec(), vec![true, false, true]);
    assert_eq!(a.equal(&b).unwrap().to_vec(), vec![false, false, true]);
    let w = where_(&a.greater(&b).unwrap(), &a, &b).unwrap();
    assert_eq!(w.to_vec(), vec![3.0, 5.0, 3.0]);
    assert_eq!(a.mean_all(), 3.0);
    assert!((a.var(&[0], false).unwrap().item().unwrap() - 8.0 / 3.0).abs() < 1e-12);
    assert!((a.std(&[0], false).unwrap().item().unwrap() - (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
    let nan = Tensor::from(vec_to([1.0f32, f32::NAN, 3.0]));
    assert!(nan.max_all().unwrap().is_nan());
    assert_eq!(nan.argmax(None).unwrap().item().unwrap(), 1);
    assert!(Tensor::<f32>::zeros(&[0]).max_all().is_err());
    let sm = Tensor::from([[1.0f64, 2.0, 3.0], [0.0, 0.0, f64::NEG_INFINITY]]);
    let p = sm.softmax(-1).unwrap();
    let lp = sm.log_softmax(-1).unwrap();
    for (x, y) in p.iter().zip(lp.iter()) {
        assert!((x.ln() - y).abs() < 1e-12 || (x == 0.0 && y == f64::NEG_INFINITY));
    }
    assert!((p.sum(&[-1], false).unwrap().to_vec()[1] - 1.0).abs() < 1e-12);
}

fn vec_to<const N: usize, T>(a: [T; N]) -> [T; N] {
    a
}

#[test]
fn in_place_errors_name_the_failing_axis() {
    let mut x = Tensor::<f32>::zeros(&[2, 3]);
    let e = x.slice_arith_assign(&[SliceArg::from(..)], &Tensor::zeros(&[4]), Arith::Add).unwrap_err();
    assert_eq!(e.to_string(), "add: cannot broadcast [2, 3] with [4]: axis -1 is 3 vs 4");
    let e = x.arith_assign(&Tensor::zeros(&[5, 2, 3]), Arith::Add).unwrap_err();
    assert_eq!(
        e.to_string(),
        "add: shapes [2, 3], [5, 2, 3] do not fit: in-place result would have shape [5, 2, 3], not the target's"
    );
}

/// Outputs of 4 MiB and more that already exist (`out=`, in place) are written with streaming
/// stores after a scalar head that aligns them: the values must be those of the allocating path,
/// bit for bit, for every head length (0-15 elements) and on 1 and 2 threads.
#[test]
fn streamed_outputs_equal_cached_ones() {
    let n = (4 << 20) / 4 + 77;
    let mut rng = Rng::seed(21);
    let x = Tensor::<f32>::rand_normal(&[n], 0.0, 3.0, &mut rng);
    let y = Tensor::<f32>::rand_normal(&[n], 0.0, 3.0, &mut rng);
    let x64 = x.astype::<f64>();
    let bits = |t: &Tensor<f32>| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            for shift in 0usize..16 {
                // The only view of a larger buffer, starting `shift` elements in (so it is written
                // in place, not copied): the aligning head's length varies.
                let mut out =
                    Tensor::<f32>::zeros(&[n + shift]).slice(&tessera_tensor::s![shift as isize..]).unwrap();
                x.arith_out(&y, Arith::Add, &mut out).unwrap();
                assert_eq!(bits(&out), bits(&x.try_add(&y).unwrap()), "add out= shift {shift}");
                for op in [
                    UnaryFloat::Relu,
                    UnaryFloat::Exp,
                    UnaryFloat::Sigmoid,
                    UnaryFloat::Tanh,
                    UnaryFloat::Sqrt,
                ] {
                    x.unary_out(op, &mut out).unwrap();
                    assert_eq!(bits(&out), bits(&x.unary(op)), "{op:?} out= shift {shift}");
                }
                let mut big = x.clone();
                big.unary_inplace(UnaryFloat::Relu);
                assert_eq!(bits(&big), bits(&x.unary(UnaryFloat::Relu)), "relu in place");
                let mut acc = x.clone();
                acc.arith_assign(&y, Arith::Mul).unwrap();
                assert_eq!(bits(&acc), bits(&(&x * &y)), "mul in place");
            }
            let mut out64 = Tensor::<f64>::zeros(&[n]);
            x64.unary_out(UnaryFloat::Exp, &mut out64).unwrap();
            let want = x64.unary(UnaryFloat::Exp);
            assert!(out64.iter().zip(want.iter()).all(|(p, q)| p.to_bits() == q.to_bits()), "f64 exp out=");
        });
    }
}

/// NumPy's arg-max by its definition: scan, move on a strictly larger element or the first NaN.
fn scan_argmax(row: &[f32]) -> i64 {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate().skip(1) {
        if !row[best].is_nan() && (v.is_nan() || v > row[best]) {
            best = i;
        }
    }
    best as i64
}

proptest! {
    /// argmax and argmin of float rows with ties, signed zeros, infinities and NaN, over the last
    /// axis (read in place) and the first (a permuted copy), against the scan.
    #[test]
    fn float_argmax_matches_the_scan(rows in 1usize..9, cols in 1usize..21, seed in any::<u64>()) {
        let mut rng = Rng::seed(seed);
        let pool = [0.0f32, -0.0, 1.0, -1.0, 2.5, f32::INFINITY, f32::NEG_INFINITY, f32::NAN];
        let data: Vec<f32> = (0..rows * cols).map(|_| pool[rng.below(pool.len() as u64) as usize]).collect();
        let x = Tensor::from_vec(data.clone(), &[rows, cols]).unwrap();
        let want: Vec<i64> = data.chunks(cols).map(scan_argmax).collect();
        prop_assert_eq!(x.argmax(Some(-1)).unwrap().to_vec(), want);
        let t = x.transpose();
        prop_assert_eq!(t.argmax(Some(0)).unwrap().to_vec(), x.argmax(Some(1)).unwrap().to_vec());
        let negated: Vec<f32> = data.chunks(cols).flat_map(|r| r.iter().map(|v| -v)).collect();
        let want_min: Vec<i64> = negated.chunks(cols).map(scan_argmax).collect();
        prop_assert_eq!(x.argmin(Some(-1)).unwrap().to_vec(), want_min);
        prop_assert_eq!(x.argmax(None).unwrap().item().unwrap(), scan_argmax(&data));
    }
}
