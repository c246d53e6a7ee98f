//! A picture file of a digit, decoded and made to look like MNIST's
//! (`tessera_nn::datasets::picture` says how): what `tessera predict --image` feeds the model.

use std::path::Path;
use tessera_nn::datasets::picture::mnist_like_rgba;

/// The 784 pixels (`u8`, row-major, ink bright) of the digit in the picture at `path`.
pub fn load_digit(path: &Path) -> crate::CliResult<Vec<u8>> {
    let img = image::open(path).map_err(|e| format!("{}: {e}", path.display()))?.to_rgba8();
    let (w, h) = img.dimensions();
    mnist_like_rgba(img.as_raw(), w, h)
        .ok_or_else(|| format!("{}: no ink found: the picture is blank", path.display()).into())
}
