//! Real MNIST (from `$MNIST_DIR`; CI sets it to ../shared/mnist): the loader's shapes and the
//! labels Keras shows, and a short training run on a subset whose loss must fall and whose
//! accuracy must pass a bound. Without `MNIST_DIR` these tests print why and return.

use std::path::PathBuf;
use tessera_nn::datasets::mnist::load_data;
use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential, to_categorical};
use tessera_tensor::{Tensor, s};

/// `$MNIST_DIR`, with a relative path read from the workspace root (where the README's command
/// runs), since cargo runs each test binary from its own crate directory.
fn mnist_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("MNIST_DIR")?);
    if dir.is_relative() && !dir.exists() {
        return Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(dir));
    }
    Some(dir)
}

fn skip() -> Option<PathBuf> {
    let dir = mnist_dir();
    if dir.is_none() {
        eprintln!("SKIPPED: MNIST_DIR is not set (e.g. MNIST_DIR=../shared/mnist); MNIST tests did not run");
    }
    dir
}

#[test]
fn load_data_matches_keras() {
    let Some(dir) = skip() else { return };
    let ((xtr, ytr), (xte, yte)) = load_data(Some(&dir)).unwrap();
    assert_eq!((xtr.shape(), ytr.shape()), (&[60000usize, 28, 28][..], &[60000usize][..]));
    assert_eq!((xte.shape(), yte.shape()), (&[10000usize, 28, 28][..], &[10000usize][..]));
    assert_eq!(ytr.slice(&s![..5]).unwrap().to_vec(), vec![5, 0, 4, 1, 9]);
    assert_eq!(ytr.slice(&s![-3..]).unwrap().to_vec(), vec![5, 6, 8]);
    assert_eq!(yte.slice(&s![..5]).unwrap().to_vec(), vec![7, 2, 1, 0, 4]);
    assert_eq!(yte.slice(&s![-3..]).unwrap().to_vec(), vec![4, 5, 6]);
    assert_eq!(xtr.dtype().name(), "uint8");
}

#[test]
fn subset_training_learns() {
    let Some(dir) = skip() else { return };
    let ((xtr, ytr), (xte, yte)) = load_data(Some(&dir)).unwrap();
    let prep = |x: &Tensor<u8>, n: usize| {
        let mut f = x.slice(&s![..n as isize]).unwrap().reshape(&[n as isize, 784]).unwrap().astype::<f32>();
        f /= 255.0;
        f
    };
    let (x, xt) = (prep(&xtr, 6000), prep(&xte, 2000));
    let y = to_categorical(&ytr.slice(&s![..6000]).unwrap(), 10).unwrap();
    let yt = to_categorical(&yte.slice(&s![..2000]).unwrap(), 10).unwrap();
    let mut m = Sequential::new(0);
    m.add(Dense::new(512, Activation::Relu).input_dim(784));
    m.add(Dense::new(10, Activation::Softmax));
    m.compile(RMSprop::default(), Loss::CategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    let h = m
        .fit(&x, &y, &FitOptions { epochs: 3, batch_size: 128, verbose: false, ..FitOptions::default() })
        .unwrap();
    assert!(h.loss[2] < h.loss[0], "loss falls: {:?}", h.loss);
    let (_, acc) = m.evaluate(&xt, &yt, 128).unwrap();
    assert!(acc > 0.90, "test accuracy on the subset {acc}");
}
