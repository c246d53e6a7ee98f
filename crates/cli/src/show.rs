//! `tessera show`: an MNIST digit drawn in the terminal (the book shows `train_images[4]` with
//! matplotlib), with its label and the tensor slice that holds it.

use clap::Args;
use std::path::PathBuf;
use tessera_nn::datasets::mnist;
use tessera_tensor::SliceArg;

/// Flags of `tessera show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Which image (the book shows 4).
    #[arg(long, default_value_t = 4)]
    index: usize,
    /// Take it from the test set instead of the training set.
    #[arg(long)]
    test: bool,
    /// Directory with the MNIST IDX files (default: $MNIST_DIR).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// Eight shades from blank to full ink, for pixel values 0..=255.
const SHADES: [char; 8] = [' ', '.', ':', '-', '=', '+', '#', '@'];

/// Prints the digit.
pub fn run(args: &ShowArgs) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let ((xtr, ytr), (xte, yte)) = mnist::load_data(args.data_dir.as_deref())?;
    let (images, labels, name) = if args.test { (xte, yte, "test") } else { (xtr, ytr, "train") };
    let idx = SliceArg::Index(args.index as isize);
    let digit = images.slice(&[idx])?; // a [28, 28] view, no copy
    let label = labels.slice(&[idx])?.item()?;
    println!(
        "{name}_images[{}]  (label {label}, shape {:?}, dtype {})",
        args.index,
        digit.shape(),
        digit.dtype()
    );
    for row in 0..28 {
        let line: String = (0..28)
            .map(|col| {
                let v = digit.get(&[row, col]).expect("28x28");
                let c = SHADES[v as usize * SHADES.len() / 256];
                [c, c].into_iter().collect::<String>()
            })
            .collect();
        println!("|{line}|");
    }
    Ok(())
}
