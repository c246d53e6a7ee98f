//! Layers, losses, metrics and optimizers against values computed by hand, and a convergence
//! test per optimizer on a quadratic.

use tessera_autograd::Var;
use tessera_nn::metrics::correct;
use tessera_nn::{Activation, Adam, Dense, FitOptions, Loss, Metric, Optimizer, RMSprop, SGD, Sequential};
use tessera_tensor::{Rng, Tensor, tensor};

/// One parameter p = [1, -2] with gradient g = [0.5, 0.5] set by L = 0.5 · (p0 + p1).
fn param_with_grad() -> Var<f32> {
    let p = Var::param(tensor![1.0f32, -2.0]);
    p.sum_all().unwrap().mul_scalar(0.5).backward().unwrap();
    p
}

fn step_twice(mut opt: impl Optimizer) -> Vec<f32> {
    let p = param_with_grad();
    opt.step(std::slice::from_ref(&p)).unwrap();
    opt.step(std::slice::from_ref(&p)).unwrap();
    p.value().to_vec()
}

#[test]
fn sgd_steps_by_hand() {
    // plain: p -= 0.1·0.5 twice -> 1 - 0.1 = 0.9
    assert_eq!(step_twice(SGD::new(0.1)), vec![0.9, -2.1]);
    // momentum 0.9: v1 = -0.05, p = 0.95; v2 = 0.9·(-0.05) - 0.05 = -0.095, p = 0.855
    let got = step_twice(SGD::new(0.1).momentum(0.9));
    assert!((got[0] - 0.855).abs() < 1e-6, "{got:?}");
    // nesterov: step1 p += 0.9·(-0.05) - 0.05 = -0.095 -> 0.905; step2 v = -0.095,
    // p += 0.9·(-0.095) - 0.05 = -0.1355 -> 0.7695
    let got = step_twice(SGD::new(0.1).momentum(0.9).nesterov(true));
    assert!((got[0] - 0.7695).abs() < 1e-6, "{got:?}");
}

#[test]
fn rmsprop_steps_by_hand() {
    // a1 = 0.1·0.25 = 0.025, step = 0.001·0.5/(sqrt(0.025) + 1e-7) = 0.0031622757
    // a2 = 0.9·0.025 + 0.025 = 0.0475, step = 0.0005/sqrt(0.0475) = 0.0022941573
    let got = step_twice(RMSprop::default());
    assert!((got[0] - (1.0 - 0.0031622757 - 0.0022941573)).abs() < 1e-6, "{got:?}");
}

/// RMSprop skips the square root and division of a run of `+0.0` gradients: the result must
/// still be the Keras update of every element, bit for bit. Gradients with zero rows of 512, a
/// zero row cut by one value, lone zeros, `-0.0`, a tail shorter than a run, accumulators
/// decaying into the subnormal flush (and the steps after), and a parameter long enough to be split between threads.
#[test]
fn rmsprop_zero_gradient_runs_equal_the_update_of_each_element() {
    let n = 70_001;
    let grad_at = |step: usize, i: usize| -> f32 {
        let row = i / 512;
        match (step, row % 5, i % 7) {
            (0, _, _) => 1e-18 * (1.0 + (i % 13) as f32),
            // zero for two steps of three: the accumulator's decay shows in the third
            (_, 0, _) if !step.is_multiple_of(3) => 0.0,
            (_, 1, _) if i % 512 == 17 => 0.25,
            (_, 1, _) => 0.0,
            (_, 2, 0) => -0.0,
            (_, 2, 1) => 0.0,
            _ => ((i % 11) as f32 - 5.0) * 1e-3 * (step as f32),
        }
    };
    let p =
        Var::param(Tensor::from_vec((0..n).map(|i| (i % 17) as f32 * 0.1 - 0.8).collect(), &[n]).unwrap());
    let mut opt = RMSprop::default();
    let (lr, rho, eps) = (opt.learning_rate, opt.rho, opt.epsilon);
    let mut want_p: Vec<f32> = p.value().to_vec();
    let mut want_a = vec![0.0f32; n];
    for step in 0..40 {
        let g: Vec<f32> = (0..n).map(|i| grad_at(step, i)).collect();
        p.zero_grad();
        let c = Var::constant(Tensor::from_vec(g.clone(), &[n]).unwrap());
        p.mul(&c).unwrap().sum_all().unwrap().backward().unwrap();
        opt.step(std::slice::from_ref(&p)).unwrap();
        for ((p, a), g) in want_p.iter_mut().zip(&mut want_a).zip(&g) {
            *a = rho * *a + (1.0 - rho) * g * g;
            if *a < f32::MIN_POSITIVE {
                *a = 0.0;
            }
            *p -= lr * g / (a.sqrt() + eps);
        }
    }
    let got = p.value().to_vec();
    let same = got.iter().zip(&want_p).all(|(x, y)| x.to_bits() == y.to_bits());
    assert!(
        same,
        "first difference at {:?}",
        got.iter().zip(&want_p).position(|(x, y)| x.to_bits() != y.to_bits())
    );
}

#[test]
fn adam_steps_by_hand() {
    // Adam's first steps move each weight by ~lr·sign(g): m̂/sqrt(v̂) = 1 for a constant g.
    // t=1: alpha = 0.001·sqrt(0.001)/0.1, m = 0.05, v = 0.00025 -> step = alpha·0.05/sqrt(0.00025) = 0.001
    // t=2: m = 0.095, v = 0.00049975, alpha = 0.001·sqrt(1-0.999²)/(1-0.9²) -> step 0.001 again
    let got = step_twice(Adam::default());
    assert!((got[0] - 0.998).abs() < 1e-6, "{got:?}");
}

#[test]
fn every_optimizer_converges_on_a_quadratic() {
    // minimise |p - c|² from p = 0: each should land near c.
    let c = tensor![3.0f32, -1.0, 0.5];
    let opts: Vec<(Box<dyn Optimizer>, usize)> = vec![
        (Box::new(SGD::new(0.1)), 200),
        (Box::new(SGD::new(0.05).momentum(0.9)), 300),
        (Box::new(SGD::new(0.05).momentum(0.9).nesterov(true)), 300),
        (Box::new(RMSprop::new(0.01)), 1000),
        (Box::new(Adam::new(0.05)), 1000),
    ];
    for (mut opt, steps) in opts {
        let p = Var::param(Tensor::<f32>::zeros(&[3]));
        for _ in 0..steps {
            p.zero_grad();
            p.sub(&Var::constant(c.clone())).unwrap().powf(2.0).sum_all().unwrap().backward().unwrap();
            opt.step(std::slice::from_ref(&p)).unwrap();
        }
        for (a, b) in p.value().iter().zip(c.iter()) {
            assert!((a - b).abs() < 0.02, "{}: {:?}", opt.name(), p.value());
        }
    }
}

#[test]
fn dense_layer_by_hand() {
    let mut d = Dense::new(2, Activation::Relu);
    d.build(3, &mut Rng::seed(0)).unwrap();
    let k = d.kernel.clone().unwrap().value();
    let limit = (6.0f32 / 5.0).sqrt();
    assert!(k.iter().all(|w| w.abs() <= limit), "glorot-uniform bound");
    assert_eq!(d.bias.clone().unwrap().value().to_vec(), vec![0.0, 0.0]);
    d.kernel.as_ref().unwrap().set_value(tensor![[1.0f32, -1.0], [0.0, 2.0], [1.0, 0.0]]);
    // x = [1, 1, 1]: x·K = [2, 1]; relu keeps both
    let y = d.forward(&Var::constant(tensor![[1.0f32, 1.0, 1.0]])).unwrap();
    assert_eq!(y.value().to_vec(), vec![2.0, 1.0]);
    assert_eq!(d.count_params(), 8);
}

/// `Dense` computes 2-D batches with the fused `linear` node (bias and ReLU in the GEMM's
/// epilogue); values and gradients must be those of matmul → add → activation, bit for bit, and
/// a 3-D input (the unfused path) must agree with its rows done as a 2-D batch.
#[test]
fn dense_fused_forward_equals_separate_ops() {
    let mut rng = Rng::seed(3);
    let x = Tensor::<f32>::rand_normal(&[37, 20], 0.0, 1.0, &mut rng);
    for act in [Activation::Relu, Activation::Linear, Activation::Tanh] {
        let mut d = Dense::new(70, act);
        d.build(20, &mut Rng::seed(4)).unwrap();
        d.bias.as_ref().unwrap().set_value(Tensor::rand_normal(&[70], 0.0, 0.1, &mut rng));
        let (k, b) = (d.kernel.clone().unwrap(), d.bias.clone().unwrap());
        let run = |fused: bool| {
            for p in [&k, &b] {
                p.zero_grad();
            }
            let xv = Var::constant(x.clone());
            let y = if fused {
                d.forward(&xv).unwrap()
            } else {
                act.apply(&xv.matmul(&k).unwrap().add(&b).unwrap()).unwrap()
            };
            y.mul(&y).unwrap().sum_all().unwrap().backward().unwrap();
            [y.value(), k.grad().unwrap(), b.grad().unwrap()].map(|t| t.to_vec())
        };
        assert_eq!(run(true), run(false), "{act:?}");
        let x3 = Var::constant(x.reshape(&[1, 37, 20]).unwrap());
        let y3 = d.forward(&x3).unwrap().value().reshape(&[37, 70]).unwrap();
        assert_eq!(y3.to_vec(), d.forward(&Var::constant(x.clone())).unwrap().value().to_vec(), "{act:?}");
    }
}

#[test]
fn losses_by_hand() {
    let p = Var::constant(tensor![[0.25f32, 0.75]]);
    let t = Var::constant(tensor![[0.0f32, 1.0]]);
    let cce = Loss::CategoricalCrossentropy.on_probabilities(&p, &t).unwrap().value().item().unwrap();
    assert!((cce - 0.287_682).abs() < 1e-6); // -ln 0.75
    let mse = Loss::MeanSquaredError.on_probabilities(&p, &t).unwrap().value().item().unwrap();
    assert!((mse - 0.0625).abs() < 1e-7); // (0.25² + 0.25²) / 2
    let bce = Loss::BinaryCrossentropy.on_probabilities(&p, &t).unwrap().value().item().unwrap();
    assert!((bce - 0.287_682).abs() < 1e-6); // -(ln 0.75 + ln 0.75) / 2
    // The fused softmax path equals the clipped formula on the same probabilities.
    let z = Var::constant(tensor![[0.0f32, 3.0_f32.ln()]]); // softmax = [0.25, 0.75]
    let fused = Loss::CategoricalCrossentropy.on_softmax_logits(&z, &t).unwrap().value().item().unwrap();
    assert!((fused - cce).abs() < 1e-6);
}

#[test]
fn accuracy_categorical_and_sparse() {
    let p = tensor![[0.9f32, 0.1], [0.4, 0.6]];
    assert_eq!(correct(&p, &tensor![[1.0f32, 0.0], [1.0, 0.0]]).unwrap(), 1);
    assert_eq!(correct(&p, &tensor![0.0f32, 1.0]).unwrap(), 2);
}

#[test]
fn fit_stops_on_nan_with_the_step() {
    let mut m = Sequential::new(0);
    m.add(Dense::new(2, Activation::Softmax).input_dim(1));
    m.compile(SGD::new(1.0), Loss::CategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    let x = Tensor::from_vec(vec![1.0f32, f32::NAN, 1.0, 1.0], &[4, 1]).unwrap();
    let y = Tensor::from_vec(vec![1.0f32, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0], &[4, 2]).unwrap();
    let opts =
        FitOptions { epochs: 1, batch_size: 1, shuffle: false, verbose: false, ..FitOptions::default() };
    let e = m.fit(&x, &y, &opts).unwrap_err();
    assert_eq!(e.to_string(), "fit: loss became NaN at epoch 1, step 2; training stopped");
}

#[test]
fn seeded_fit_is_reproducible_and_thread_independent() {
    let mut rng = Rng::seed(5);
    let x = Tensor::<f32>::rand_normal(&[300, 20], 0.0, 1.0, &mut rng);
    let y: Vec<f32> = x.to_vec().chunks(20).map(|r| (r[0] + r[1] > 0.0) as u8 as f32).collect();
    let y = Tensor::from_vec(y, &[300]).unwrap();
    let train = |threads| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
            let mut m = Sequential::new(11);
            m.add(Dense::new(64, Activation::Relu).input_dim(20));
            m.add(Dense::new(2, Activation::Softmax));
            m.compile(RMSprop::default(), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
            let opts = FitOptions { epochs: 3, batch_size: 32, verbose: false, ..FitOptions::default() };
            m.fit(&x, &y, &opts).unwrap();
            m.params().iter().flat_map(|p| p.value().to_vec()).map(f32::to_bits).collect::<Vec<_>>()
        })
    };
    assert_eq!(train(1), train(2));
    assert_eq!(train(1), train(1));

    // `FitOptions::threads`, called from this test's own thread (outside any pool): a pool of
    // that size, or the global pool when `None`; the same weights every way.
    let train_with = |threads: Option<usize>| {
        let mut m = Sequential::new(11);
        m.add(Dense::new(64, Activation::Relu).input_dim(20));
        m.add(Dense::new(2, Activation::Softmax));
        m.compile(RMSprop::default(), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
        let opts = FitOptions { epochs: 3, batch_size: 32, verbose: false, threads, ..FitOptions::default() };
        m.fit(&x, &y, &opts).unwrap();
        m.params().iter().flat_map(|p| p.value().to_vec()).map(f32::to_bits).collect::<Vec<_>>()
    };
    for threads in [Some(1), Some(3), None] {
        assert_eq!(train_with(threads), train(1), "threads {threads:?}");
    }
    let mut m = Sequential::new(1);
    m.add(Dense::new(2, Activation::Softmax).input_dim(20));
    m.compile(RMSprop::default(), Loss::SparseCategoricalCrossentropy, &[]).unwrap();
    let err =
        m.fit(&x, &y, &FitOptions { threads: Some(0), verbose: false, ..FitOptions::default() }).unwrap_err();
    assert!(err.to_string().contains("threads must be at least 1"), "{err}");
}

/// A model moves between threads (`fit` trains it on a pool's thread).
#[test]
fn models_are_send() {
    fn send<T: Send>() {}
    send::<Sequential>();
    send::<tessera_autograd::Var<f32>>();
}

#[test]
fn validation_split_holds_out_the_last_samples() {
    let mut rng = Rng::seed(2);
    let x = Tensor::<f32>::rand_normal(&[200, 4], 0.0, 1.0, &mut rng);
    let y: Vec<f32> = x.to_vec().chunks(4).map(|r| (r[0] > 0.0) as u8 as f32).collect();
    let y = Tensor::from_vec(y, &[200]).unwrap();
    let mut m = Sequential::new(3);
    m.add(Dense::new(8, Activation::Tanh).input_dim(4));
    m.add(Dense::new(2, Activation::Softmax));
    m.compile(Adam::new(0.01), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    let opts = FitOptions {
        epochs: 5,
        batch_size: 16,
        validation_split: 0.25,
        verbose: false,
        ..FitOptions::default()
    };
    let h = m.fit(&x, &y, &opts).unwrap();
    assert_eq!((h.val_loss.len(), h.val_accuracy.len()), (5, 5));
    // The held-out quarter is exactly what evaluate sees on the last 50 rows.
    let tail: Vec<usize> = (150..200).collect();
    let (vx, vy) = (
        Tensor::from_vec(
            tail.iter().flat_map(|&i| x.to_vec()[i * 4..i * 4 + 4].to_vec()).collect(),
            &[50, 4],
        )
        .unwrap(),
        Tensor::from_vec(tail.iter().map(|&i| y.to_vec()[i]).collect(), &[50]).unwrap(),
    );
    let (l, a) = m.evaluate(&vx, &vy, 16).unwrap();
    assert!((l - h.val_loss[4]).abs() < 1e-6 && (a - h.val_accuracy[4]).abs() < 1e-12);
    assert!(h.val_accuracy[4] > 0.8, "{:?}", h.val_accuracy);
}

/// Options a careless caller passes are refused with the option named, never a panic, a NaN or
/// a silent default.
#[test]
fn bad_options_are_refused() {
    let mut m = Sequential::new(0);
    m.add(Dense::new(4, Activation::Relu).input_dim(3));
    m.add(Dense::new(2, Activation::Softmax));
    m.compile(tessera_nn::SGD::default(), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    let x = Tensor::<f32>::zeros(&[10, 3]);
    let y = Tensor::<f32>::zeros(&[10]);
    let fit = |m: &mut Sequential, split: f64, batch: usize| {
        let o = FitOptions {
            epochs: 1,
            batch_size: batch,
            validation_split: split,
            verbose: false,
            ..FitOptions::default()
        };
        m.fit(&x, &y, &o).map(|_| ()).unwrap_err().to_string()
    };
    assert!(fit(&mut m, 1.5, 4).contains("validation_split must be at least 0 and below 1"));
    assert!(fit(&mut m, 1.0, 4).contains("validation_split"));
    assert!(fit(&mut m, -0.1, 4).contains("validation_split"));
    assert!(fit(&mut m, f64::NAN, 4).contains("validation_split"));
    assert!(fit(&mut m, 0.0, 0).contains("batch_size must be at least 1"));
    assert!(m.predict(&x, 0).unwrap_err().to_string().contains("predict: batch_size"));
    assert!(m.evaluate(&x, &y, 0).unwrap_err().to_string().contains("evaluate: batch_size"));
    let e = m.evaluate(&x, &Tensor::zeros(&[12]), 4).unwrap_err().to_string();
    assert!(e.contains("x [10, 3] and y [12] must have the same number of rows"), "{e}");
    let none = Tensor::<f32>::zeros(&[0, 3]);
    assert!(m.evaluate(&none, &Tensor::zeros(&[0]), 4).unwrap_err().to_string().contains("no samples"));
    assert_eq!(m.predict(&none, 4).unwrap().shape(), &[0, 2]);
}

/// `History::phases`: one entry per epoch, whose phases add up to at most the epoch's time and
/// cover most of it (the rest is the epoch's set-up: shuffling, the first batch's list).
#[test]
fn phases_account_for_each_epoch() {
    let mut rng = Rng::seed(3);
    let x = Tensor::<f32>::rand_normal(&[2000, 50], 0.0, 1.0, &mut rng);
    let y: Vec<f32> = x.to_vec().chunks(50).map(|r| (r[0] > 0.0) as u8 as f32).collect();
    let y = Tensor::from_vec(y, &[2000]).unwrap();
    let mut m = Sequential::new(2);
    m.add(Dense::new(128, Activation::Relu).input_dim(50));
    m.add(Dense::new(2, Activation::Softmax));
    m.compile(RMSprop::default(), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    let opts = FitOptions { epochs: 2, batch_size: 64, verbose: false, ..FitOptions::default() };
    let h = m.fit(&x, &y, &opts).unwrap();
    assert_eq!(h.phases.len(), 2);
    assert!(h.phases.iter().all(|p| p.steps == 32), "{:?}", h.phases);
    for (p, &secs) in h.phases.iter().zip(&h.epoch_seconds) {
        assert!(p.total() <= secs && p.total() >= 0.5 * secs, "{p:?} against {secs} s");
        assert!(p.forward > 0.0 && p.backward > 0.0 && p.optimizer > 0.0, "{p:?}");
        // 32 batches of 64 rows: the first gathered in the step, the other 31 ahead.
        assert!(p.gather > 0.0 && p.gather_ahead > 0.0, "{p:?}");
    }
}
