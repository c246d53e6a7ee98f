//! Chapter 2.5, "Looking back at our first example": the same network rebuilt from scratch on
//! `Var` alone, as the chapter does with TensorFlow: a naive Dense layer, a naive Sequential
//! container, a batch generator, one training step (forward, loss, gradients, update), fit and
//! evaluate. No `tessera_nn` layer, loss or optimizer is used; only the MNIST loader.
//!
//! As in the chapter: W uniform in [0, 0.1), b zero, plain SGD with learning rate 1e-3, batches of
//! 128 in file order, 10 epochs; the chapter reports `accuracy: 0.81`.
//!
//! Run: `cargo run --release --example 12_from_scratch`

use std::error::Error;
use tessera_autograd::Var;
use tessera_nn::datasets::mnist;
use tessera_tensor::{Rng, Tensor, s};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// `activation(dot(inputs, W) + b)`.
struct NaiveDense {
    w: Var<f32>,
    b: Var<f32>,
    activation: fn(&Var<f32>) -> Result<Var<f32>>,
}

impl NaiveDense {
    fn new(
        input_size: usize,
        output_size: usize,
        activation: fn(&Var<f32>) -> Result<Var<f32>>,
        rng: &mut Rng,
    ) -> Self {
        let w = Var::param(Tensor::rand_uniform(&[input_size, output_size], 0.0, 1e-1, rng));
        let b = Var::param(Tensor::zeros(&[output_size]));
        NaiveDense { w, b, activation }
    }
    fn call(&self, inputs: &Var<f32>) -> Result<Var<f32>> {
        (self.activation)(&inputs.matmul(&self.w)?.add(&self.b)?)
    }
    fn weights(&self) -> [&Var<f32>; 2] {
        [&self.w, &self.b]
    }
}

fn relu(x: &Var<f32>) -> Result<Var<f32>> {
    Ok(x.relu())
}

fn softmax(x: &Var<f32>) -> Result<Var<f32>> {
    Ok(x.softmax(-1)?)
}

/// Calls its layers in order.
struct NaiveSequential {
    layers: Vec<NaiveDense>,
}

impl NaiveSequential {
    fn call(&self, inputs: &Var<f32>) -> Result<Var<f32>> {
        self.layers.iter().try_fold(inputs.clone(), |x, layer| layer.call(&x))
    }
    fn weights(&self) -> Vec<&Var<f32>> {
        self.layers.iter().flat_map(NaiveDense::weights).collect()
    }
}

/// Hands out consecutive batches of `batch_size` images and their one-hot labels.
struct BatchGenerator<'a> {
    images: &'a Tensor<f32>,
    labels: &'a Tensor<f32>,
    index: usize,
    batch_size: usize,
    num_batches: usize,
}

impl<'a> BatchGenerator<'a> {
    fn new(images: &'a Tensor<f32>, labels: &'a Tensor<f32>, batch_size: usize) -> Self {
        assert_eq!(images.shape()[0], labels.shape()[0]);
        let num_batches = images.shape()[0].div_ceil(batch_size);
        BatchGenerator { images, labels, index: 0, batch_size, num_batches }
    }
    fn next(&mut self) -> Result<(Tensor<f32>, Tensor<f32>)> {
        let range = s![self.index as isize..(self.index + self.batch_size) as isize];
        self.index += self.batch_size;
        Ok((self.images.slice(&range)?, self.labels.slice(&range)?))
    }
}

const LEARNING_RATE: f32 = 1e-3;

/// Forward pass, the mean crossentropy, its gradients, and `w -= learning_rate * g` for each weight.
fn one_training_step(
    model: &NaiveSequential,
    images_batch: Tensor<f32>,
    labels_batch: Tensor<f32>,
) -> Result<f32> {
    let predictions = model.call(&Var::constant(images_batch))?;
    // Keras's crossentropy on probabilities: clip away from 0 and 1, then -sum(t * log(p)).
    let log_p = predictions.clip(1e-7, 1.0 - 1e-7).ln();
    let per_sample_losses = Var::constant(labels_batch).mul(&log_p)?.sum(&[-1], false)?.neg();
    let average_loss = per_sample_losses.mean_all()?;
    average_loss.backward()?;
    for w in model.weights() {
        let g = w.grad().expect("every weight is a parameter");
        w.update(|w| *w -= &(&g * LEARNING_RATE));
        w.zero_grad();
    }
    Ok(average_loss.value().item()?)
}

fn fit(
    model: &NaiveSequential,
    images: &Tensor<f32>,
    labels: &Tensor<f32>,
    epochs: usize,
    batch_size: usize,
) -> Result<()> {
    for epoch_counter in 0..epochs {
        println!("Epoch {epoch_counter}");
        let mut batch_generator = BatchGenerator::new(images, labels, batch_size);
        for batch_counter in 0..batch_generator.num_batches {
            let (images_batch, labels_batch) = batch_generator.next()?;
            let loss = one_training_step(model, images_batch, labels_batch)?;
            if batch_counter % 100 == 0 {
                println!("loss at batch {batch_counter}: {loss:.2}");
            }
        }
    }
    Ok(())
}

pub fn main() -> Result<()> {
    let ((train_images, train_labels), (test_images, test_labels)) = mnist::load_data(None)?;
    let train_images = train_images.reshape(&[60000, 28 * 28])?.astype::<f32>() / 255.0;
    let test_images = test_images.reshape(&[10000, 28 * 28])?.astype::<f32>() / 255.0;
    let one_hot = |labels: &Tensor<u8>| -> Result<Tensor<f32>> {
        let columns = Tensor::<u8>::arange(10);
        Ok(labels.expand_dims(-1)?.equal(&columns)?.astype::<f32>())
    };

    let mut rng = Rng::seed(0);
    let model = NaiveSequential {
        layers: vec![
            NaiveDense::new(28 * 28, 512, relu, &mut rng),
            NaiveDense::new(512, 10, softmax, &mut rng),
        ],
    };
    println!("{} weight tensors", model.weights().len());
    fit(&model, &train_images, &one_hot(&train_labels)?, 10, 128)?;

    let predictions = model.call(&Var::constant(test_images))?.value();
    let predicted_labels = predictions.argmax(Some(1))?;
    let matches = predicted_labels.equal(&test_labels.astype::<i64>())?;
    let accuracy = matches.iter().filter(|&m| m).count() as f64 / matches.size() as f64;
    println!("accuracy: {accuracy:.2}");
    Ok(())
}
