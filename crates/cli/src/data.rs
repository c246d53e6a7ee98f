//! MNIST for the commands: one split, one image, and images as the model's input.

use std::path::Path;
use tessera_nn::datasets::mnist;
use tessera_tensor::{SliceArg, Tensor};

/// The training or the test split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// `train_images`, `train_labels`.
    Train,
    /// `test_images`, `test_labels`.
    Test,
}

impl Which {
    /// `train` or `test`, as the variables are named.
    pub fn name(self) -> &'static str {
        match self {
            Which::Train => "train",
            Which::Test => "test",
        }
    }
}

/// Images `u8 [n, 28, 28]` and labels `u8 [n]` of one split, from `dir` or the standard places.
pub fn load_split(dir: Option<&Path>, which: Which) -> crate::CliResult<(Tensor<u8>, Tensor<u8>)> {
    let ((xtr, ytr), (xte, yte)) = mnist::load_data(dir)?;
    Ok(if which == Which::Train { (xtr, ytr) } else { (xte, yte) })
}

/// Image `index` of `images` (a view), or an error naming the valid range.
pub fn image_at(images: &Tensor<u8>, index: usize, which: Which) -> crate::CliResult<Tensor<u8>> {
    let n = images.shape()[0];
    if index >= n {
        return Err(format!(
            "--index {index} is out of range: {}_images has {n} images (0 to {})",
            which.name(),
            n - 1
        )
        .into());
    }
    Ok(images.slice(&[SliceArg::Index(index as isize)])?)
}

/// A model's probabilities `[n, 10]` for MNIST images, or an error naming the model file when
/// it does not have MNIST's 10 outputs.
pub fn mnist_probabilities(
    model: &tessera_nn::Sequential,
    file: &Path,
    x: &Tensor<f32>,
    batch: usize,
) -> crate::CliResult<Tensor<f32>> {
    let probs = model.predict(x, batch)?;
    if probs.shape()[1] != 10 {
        return Err(format!(
            "{}: the model has {} outputs, not MNIST's 10",
            file.display(),
            probs.shape()[1]
        )
        .into());
    }
    Ok(probs)
}

/// `images.reshape((n, 784)).astype("float32") / 255`, as the chapter prepares them.
pub fn as_input(images: &Tensor<u8>) -> crate::CliResult<Tensor<f32>> {
    let n = images.shape()[0] as isize;
    let mut f = images.reshape(&[n, 28 * 28])?.astype::<f32>();
    f /= 255.0;
    Ok(f)
}
