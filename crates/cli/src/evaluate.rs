//! `tessera evaluate`: a saved model on the MNIST test set (or the training set): loss and
//! accuracy, per-class accuracy in the terminal, and the confusion matrix as a picture.

use crate::data::{Which, as_input, load_split, mnist_probabilities};
use crate::pictures::{Confusion, save_chart};
use clap::Args;
use std::path::PathBuf;
use tessera_nn::{Sequential, to_categorical};

/// Flags of `tessera evaluate`.
#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// The model file (`tessera mnist --save`).
    #[arg(long)]
    model: PathBuf,
    /// Evaluate on the training set instead of the test set.
    #[arg(long)]
    train: bool,
    /// Write the confusion matrix as a picture (`.png` or `.svg`).
    #[arg(long)]
    png: Option<PathBuf>,
    /// Samples per forward pass.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..=65536))]
    batch_size: u32,
    /// Directory with the MNIST files.
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// Evaluates and prints.
pub fn run(args: &EvaluateArgs) -> crate::CliResult {
    let model = Sequential::load(&args.model)?;
    let which = if args.train { Which::Train } else { Which::Test };
    let (images, labels) = load_split(args.data_dir.as_deref(), which)?;
    let x = as_input(&images)?;
    let batch = args.batch_size as usize;
    let probs = mnist_probabilities(&model, &args.model, &x, batch)?;
    let guesses = probs.argmax(Some(-1))?.to_vec();
    let truth = labels.to_vec();
    let mut counts = [[0usize; 10]; 10];
    for (&g, &t) in guesses.iter().zip(&truth) {
        counts[t as usize][g as usize] += 1;
    }
    let right: usize = (0..10).map(|d| counts[d][d]).sum();
    let n = truth.len();
    let acc = right as f64 / n as f64;
    match model.evaluate(&x, &to_categorical(&labels, 10)?, batch) {
        Ok((loss, _)) => crate::out!("{} set: {n} images, accuracy {acc:.4}, loss {loss:.4}", which.name()),
        Err(_) => crate::out!("{} set: {n} images, accuracy {acc:.4}", which.name()),
    }
    crate::out!("{:>5} {:>7} {:>8} {:>9}  most confused with", "digit", "images", "correct", "accuracy");
    for (d, row) in counts.iter().enumerate() {
        let total: usize = row.iter().sum();
        let (other, times) =
            (0..10).filter(|&p| p != d).map(|p| (p, row[p])).max_by_key(|&(_, c)| c).unwrap_or((d, 0));
        let share = row[d] as f64 / total.max(1) as f64;
        crate::out!("{d:>5} {total:>7} {:>8} {share:>9.4}  {other} ({times})", row[d]);
    }
    if let Some(path) = &args.png {
        let title = format!("MNIST {} set: accuracy {acc:.4} ({right} of {n})", which.name());
        save_chart(&Confusion { counts, title }, path)?;
        crate::out!("wrote {}", path.display());
    }
    Ok(())
}
