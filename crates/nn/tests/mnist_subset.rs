//! Real MNIST (the repository's `data/mnist`, or `$MNIST_DIR`): the loader's shapes and the
//! labels Keras shows, the checksum check, and a short training run on a subset whose loss must
//! fall and whose accuracy must pass a bound.

use tessera_nn::datasets::mnist::{FILES, load_data, read_verified};
use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential, to_categorical};
use tessera_tensor::{Tensor, s};

#[test]
fn load_data_matches_keras() {
    let ((xtr, ytr), (xte, yte)) = load_data(None).unwrap();
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
    let ((xtr, ytr), (xte, yte)) = load_data(None).unwrap();
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

#[test]
fn a_changed_file_fails_its_checksum() {
    let dir = std::env::temp_dir().join(format!("tessera-sum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // t10k labels with the last label changed from 6 to 5: still a valid IDX file.
    let mut bytes = Vec::new();
    let ((_, _), (_, yte)) = load_data(None).unwrap();
    bytes.extend_from_slice(&[0, 0, 8, 1, 0, 0, 0x27, 0x10]);
    bytes.extend(yte.to_vec());
    *bytes.last_mut().unwrap() = 5;
    let p = dir.join("t10k-labels-idx1-ubyte");
    std::fs::write(&p, &bytes).unwrap();
    let e = read_verified(&p, &FILES[3]).unwrap_err().to_string();
    assert!(e.contains("t10k-labels-idx1-ubyte: SHA-256 of the uncompressed contents is"), "{e}");
    *bytes.last_mut().unwrap() = 6;
    std::fs::write(&p, &bytes).unwrap();
    assert_eq!(read_verified(&p, &FILES[3]).unwrap(), yte);
}
