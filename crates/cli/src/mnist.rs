//! `tessera mnist`: the chapter-2 listing, line for line, with the book's defaults.

use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Instant;
use tessera_nn::datasets::mnist;
use tessera_nn::{
    Activation, Adam, Dense, FitOptions, Loss, Metric, Optimizer, RMSprop, SGD, Sequential, to_categorical,
};
use tessera_tensor::{Tensor, s};

/// Flags of `tessera mnist` (defaults are the book's).
#[derive(Args, Debug)]
pub struct MnistArgs {
    /// Passes over the training set.
    #[arg(long, default_value_t = 5)]
    epochs: usize,
    /// Samples per gradient update.
    #[arg(long, default_value_t = 128)]
    batch_size: usize,
    /// Units of the hidden Dense layer.
    #[arg(long, default_value_t = 512)]
    hidden: usize,
    /// Optimizer.
    #[arg(long, value_enum, default_value_t = Opt::Rmsprop)]
    optimizer: Opt,
    /// Learning rate (default: the optimizer's Keras default).
    #[arg(long)]
    lr: Option<f32>,
    /// Seed for initialisation and shuffling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Directory with the MNIST IDX files (default: $MNIST_DIR).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Fail (exit 2) if the test accuracy ends below this (for CI smoke runs).
    #[arg(long)]
    min_accuracy: Option<f64>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Opt {
    Rmsprop,
    Sgd,
    Adam,
}

fn labels_preview(y: &Tensor<u8>) -> String {
    let v = y.to_vec();
    let n = v.len();
    format!(
        "array([{}, {}, {}, ..., {}, {}, {}], dtype=uint8)",
        v[0],
        v[1],
        v[2],
        v[n - 3],
        v[n - 2],
        v[n - 1]
    )
}

/// Runs the chapter.
pub fn run(args: &MnistArgs) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    pool.install(|| chapter(args, threads))
}

fn chapter(args: &MnistArgs, threads: usize) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let start = Instant::now();
    let ((train_images, train_labels), (test_images, test_labels)) =
        mnist::load_data(args.data_dir.as_deref())?;
    println!(">>> train_images.shape\n{:?}", train_images.shape());
    println!(">>> len(train_labels)\n{}", train_labels.len());
    println!(">>> train_labels\n{}", labels_preview(&train_labels));
    println!(">>> test_images.shape\n{:?}", test_images.shape());
    println!(">>> len(test_labels)\n{}", test_labels.len());
    println!(">>> test_labels\n{}", labels_preview(&test_labels));

    // train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
    // In place (`/=`) and dropping the uint8 copies keeps the peak at one f32 copy of the data.
    let prepare = |x: Tensor<u8>| -> Result<Tensor<f32>, tessera_tensor::TensorError> {
        let mut f = x.reshape(&[x.shape()[0] as isize, 28 * 28])?.astype::<f32>();
        f /= 255.0;
        Ok(f)
    };
    let (x_train, x_test) = (prepare(train_images)?, prepare(test_images)?);
    let (y_train, y_test) = (to_categorical(&train_labels, 10)?, to_categorical(&test_labels, 10)?);

    let mut model = Sequential::new(args.seed);
    model.add(Dense::new(args.hidden, Activation::Relu).input_dim(28 * 28));
    model.add(Dense::new(10, Activation::Softmax));
    let optimizer: Box<dyn Optimizer> = match args.optimizer {
        Opt::Rmsprop => Box::new(RMSprop::new(args.lr.unwrap_or(0.001))),
        Opt::Sgd => Box::new(SGD::new(args.lr.unwrap_or(0.01))),
        Opt::Adam => Box::new(Adam::new(args.lr.unwrap_or(0.001))),
    };
    model.compile(optimizer, Loss::CategoricalCrossentropy, &[Metric::Accuracy])?;
    println!("{}", model.summary());
    println!("threads: {threads}, seed: {}", args.seed);

    let opts = FitOptions {
        epochs: args.epochs,
        batch_size: args.batch_size,
        verbose: true,
        ..FitOptions::default()
    };
    let fit_start = Instant::now();
    let history = model.fit(&x_train, &y_train, &opts)?;
    let fit_secs = fit_start.elapsed().as_secs_f64();
    let (test_loss, test_acc) = model.evaluate(&x_test, &y_test, 128)?;
    println!(">>> test_acc\n{test_acc:.4}   (test_loss {test_loss:.4})");
    let first = model.predict(&x_test.slice(&s![0..10])?, 10)?;
    println!(
        ">>> predictions[0].argmax(), test_labels[0]\n{} {}",
        first.argmax(Some(-1))?.to_vec()[0],
        test_labels.to_vec()[0]
    );
    let mut epochs = history.epoch_seconds.clone();
    epochs.sort_by(f64::total_cmp);
    let median = epochs.get(epochs.len() / 2).copied().unwrap_or(0.0);
    println!(
        "fit {fit_secs:.2}s, median epoch {median:.3}s, total {:.2}s ({threads} threads)",
        start.elapsed().as_secs_f64()
    );
    let checksum: f64 = model.params().iter().map(|p| p.value().iter().map(|v| v as f64).sum::<f64>()).sum();
    println!("weights checksum {checksum:.9e}");
    if let Some(min) = args.min_accuracy.filter(|&m| test_acc < m) {
        eprintln!("test accuracy {test_acc:.4} is below the required {min}");
        std::process::exit(2);
    }
    Ok(())
}
