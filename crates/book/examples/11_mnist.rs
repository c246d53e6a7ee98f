//! Chapter 2.1, "A first look at a neural network": the chapter's Keras listing, line for line.
//! Load MNIST, build Dense(512, relu) + Dense(10, softmax), compile with rmsprop, scale the pixels
//! to [0, 1], fit 5 epochs of batch 128, predict the first test digits, evaluate.
//! `tessera mnist` is the same run with flags, timing and model files.
//!
//! Run: `cargo run --release --example 11_mnist`

use std::error::Error;
use tessera_nn::datasets::mnist;
use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential, to_categorical};
use tessera_tensor::s;

pub fn main() -> Result<(), Box<dyn Error>> {
    let ((train_images, train_labels), (test_images, test_labels)) = mnist::load_data(None)?;

    let mut model = Sequential::new(0);
    model.add(Dense::new(512, Activation::Relu).input_dim(28 * 28));
    model.add(Dense::new(10, Activation::Softmax));
    model.compile(RMSprop::default(), Loss::CategoricalCrossentropy, &[Metric::Accuracy])?;

    let mut train_images = train_images.reshape(&[60000, 28 * 28])?.astype::<f32>();
    train_images /= 255.0;
    let mut test_images = test_images.reshape(&[10000, 28 * 28])?.astype::<f32>();
    test_images /= 255.0;
    // One-hot labels with categorical crossentropy, as `tessera mnist` and the Python peers run it;
    // `Loss::SparseCategoricalCrossentropy` takes the labels as they are, as the second edition's
    // listing does (the same loss).
    let train_targets = to_categorical(&train_labels, 10)?;
    let test_targets = to_categorical(&test_labels, 10)?;

    model.fit(
        &train_images,
        &train_targets,
        &FitOptions { epochs: 5, batch_size: 128, ..FitOptions::default() },
    )?;

    let test_digits = test_images.slice(&s![0..10])?;
    let predictions = model.predict(&test_digits, 128)?;
    let first = predictions.slice(&s![0])?;
    println!(">>> predictions[0]\n{first}");
    let argmax = first.argmax(None)?.item()?;
    println!(">>> predictions[0].argmax()\n{argmax}");
    println!(">>> predictions[0][{argmax}]\n{}", first.get(&[argmax as isize])?);
    println!(">>> test_labels[0]\n{}", test_labels.get(&[0])?);

    let (_test_loss, test_acc) = model.evaluate(&test_images, &test_targets, 128)?;
    println!("test_acc: {test_acc}");
    Ok(())
}
