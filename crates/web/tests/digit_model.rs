//! Draw-a-digit, natively: a small model trained here on MNIST (the repository's data), saved as
//! `tessera mnist --save` saves it, reads test digits drawn onto a canvas three times their
//! size, as the page hands them over (RGBA, white paper, black ink).

use std::sync::OnceLock;
use tessera_nn::datasets::mnist;
use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential};
use tessera_tensor::SliceArg;
use tessera_web::digit::{Digit, TOP_UNITS};

/// Trained once, shared by the tests.
fn trained_model_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(train)
}

fn train() -> Vec<u8> {
    let ((train_x, train_y), _) = mnist::load_data(None).expect("the repository ships data/mnist");
    let n = 6000;
    let x =
        train_x.slice(&[SliceArg::from(0..n)]).unwrap().astype::<f32>().reshape(&[n as isize, 784]).unwrap();
    let x = &x / 255.0;
    let y = train_y.slice(&[SliceArg::from(0..n)]).unwrap().astype::<f32>();
    let mut m = Sequential::new(0);
    m.add(Dense::new(64, Activation::Relu).input_dim(784));
    m.add(Dense::new(10, Activation::Softmax));
    m.compile(RMSprop::new(0.001), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    m.fit(&x, &y, &FitOptions { epochs: 3, batch_size: 64, verbose: false, ..FitOptions::default() })
        .unwrap();
    let path = std::env::temp_dir().join(format!("tessera-web-digit-{}.safetensors", std::process::id()));
    m.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    bytes
}

/// An MNIST image drawn 3× larger as dark ink on white, RGBA.
fn canvas(image: &[u8]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(84 * 84 * 4);
    for y in 0..84 {
        for x in 0..84 {
            let paper = 255 - image[(y / 3) * 28 + x / 3];
            rgba.extend_from_slice(&[paper, paper, paper, 255]);
        }
    }
    rgba
}

#[test]
fn drawn_test_digits_are_read() {
    let digit = Digit::new(trained_model_bytes()).unwrap();
    let (_, (test_x, test_y)) = mnist::load_data(None).unwrap();
    let (images, labels): (Vec<u8>, Vec<u8>) = (test_x.to_vec(), test_y.to_vec());
    let mut right = 0;
    for i in 0..100 {
        let p = digit.predict(&canvas(&images[i * 784..(i + 1) * 784]), 84, 84).unwrap().unwrap();
        assert_eq!(p.pixels.len(), 784);
        assert!((p.probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert_eq!(p.top_units.len(), TOP_UNITS);
        assert!(p.top_units.windows(2).all(|w| w[0].1 >= w[1].1));
        right += (p.digit == labels[i] as usize) as usize;
    }
    // Re-centred drawings of real digits: a 64-unit model trained on 6000 images reads most.
    assert!(right >= 85, "{right} of 100 read right");
}

#[test]
fn blank_canvases_bad_files_and_bad_units_are_answers_not_panics() {
    let digit = Digit::new(trained_model_bytes()).unwrap();
    assert_eq!(digit.predict(&[255; 84 * 84 * 4], 84, 84).unwrap(), None);
    assert_eq!(digit.predict(&[0; 10], 84, 84).unwrap(), None, "a buffer of the wrong length");
    assert!(digit.predict_json(&[255; 16], 2, 2).contains("blank"));
    assert_eq!(digit.unit_tile(0).unwrap().len(), 784 * 4);
    assert!(digit.unit_tile(64).unwrap_err().contains("no hidden unit 64"));
    assert!(Digit::new(b"not a model").is_err());
}
