//! The chapter-2 listing of "Deep Learning with Python", line for line (see `tessera mnist` for
//! the same run with flags and timing).
//!
//! Run: `cargo run --release -p tessera-nn --example 05_mnist`

use tessera_nn::datasets::mnist;
use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential, to_categorical};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ((train_images, train_labels), (test_images, test_labels)) = mnist::load_data(None)?;

    let mut model = Sequential::new(0);
    model.add(Dense::new(512, Activation::Relu).input_dim(28 * 28));
    model.add(Dense::new(10, Activation::Softmax));
    model.compile(RMSprop::default(), Loss::CategoricalCrossentropy, &[Metric::Accuracy])?;

    let mut train_images = train_images.reshape(&[60000, 28 * 28])?.astype::<f32>();
    train_images /= 255.0;
    let mut test_images = test_images.reshape(&[10000, 28 * 28])?.astype::<f32>();
    test_images /= 255.0;
    let train_labels = to_categorical(&train_labels, 10)?;
    let test_labels = to_categorical(&test_labels, 10)?;

    model.fit(
        &train_images,
        &train_labels,
        &FitOptions { epochs: 5, batch_size: 128, ..FitOptions::default() },
    )?;
    let (_test_loss, test_acc) = model.evaluate(&test_images, &test_labels, 128)?;
    println!("test_acc: {test_acc}");
    Ok(())
}
