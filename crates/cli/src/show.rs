//! `tessera show`: an MNIST digit drawn in the terminal (the book shows `train_images[4]` with
//! matplotlib), with its label and the tensor slice that holds it; `--png` writes the picture
//! `plt.imshow(digit, cmap=plt.cm.binary)` shows.

use crate::data::{Which, load_split};
use crate::pictures::digit_png;
use clap::Args;
use std::path::PathBuf;

/// Flags of `tessera show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Which image (the book shows 4).
    #[arg(long, default_value_t = 4)]
    index: usize,
    /// Take it from the test set instead of the training set.
    #[arg(long)]
    test: bool,
    /// Also write the digit as a PNG (black ink on white, 10 pixels per MNIST pixel).
    #[arg(long)]
    png: Option<PathBuf>,
    /// Directory with the MNIST files (default: $MNIST_DIR, the repository's data/mnist, the
    /// user cache, else a download).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// Eight shades from blank to full ink, for pixel values 0..=255.
const SHADES: [char; 8] = [' ', '.', ':', '-', '=', '+', '#', '@'];

/// A 28×28 digit (row-major `u8`) as 28 lines of text, two characters per pixel.
pub fn digit_text(pixels: &[u8]) -> String {
    let mut s = String::new();
    for row in pixels.chunks(28) {
        let line: String = row.iter().flat_map(|&v| [SHADES[v as usize * SHADES.len() / 256]; 2]).collect();
        s += &format!("|{line}|\n");
    }
    s
}

/// Prints the digit (and writes the PNG when asked).
pub fn run(args: &ShowArgs) -> crate::CliResult {
    let which = if args.test { Which::Test } else { Which::Train };
    let (images, labels) = load_split(args.data_dir.as_deref(), which)?;
    let digit = crate::data::image_at(&images, args.index, which)?; // a [28, 28] view, no copy
    let label = labels.get(&[args.index as isize])?;
    crate::out!(
        "{}_images[{}]  (label {label}, shape {:?}, dtype {})",
        which.name(),
        args.index,
        digit.shape(),
        digit.dtype()
    );
    crate::out!("{}", digit_text(&digit.to_vec()).trim_end());
    if let Some(path) = &args.png {
        digit_png(&digit.to_vec(), 28, 10, path)?;
        crate::out!("wrote {}", path.display());
    }
    Ok(())
}
