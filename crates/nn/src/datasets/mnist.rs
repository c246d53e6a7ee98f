//! MNIST, shaped like `keras.datasets.mnist.load_data()`.
//!
//! The directory comes from an explicit argument, else `$MNIST_DIR`. It must hold the four IDX
//! files, raw or gzipped (`train-images-idx3-ubyte[.gz]`, ...). Nothing is downloaded.

use super::idx::read_idx;
use crate::error::{NnError, Result};
use std::path::{Path, PathBuf};
use tessera_tensor::Tensor;

/// One split: images `u8 [n, 28, 28]` and labels `u8 [n]`.
pub type Split = (Tensor<u8>, Tensor<u8>);

/// Where to look: `dir` if given, else `$MNIST_DIR`.
pub fn data_dir(dir: Option<&Path>) -> Result<PathBuf> {
    if let Some(d) = dir {
        return Ok(d.to_path_buf());
    }
    match std::env::var_os("MNIST_DIR") {
        Some(d) => Ok(PathBuf::from(d)),
        None => Err(NnError::Model(
            "no MNIST directory: pass one explicitly or set MNIST_DIR (e.g. MNIST_DIR=../shared/mnist)"
                .into(),
        )),
    }
}

fn find(dir: &Path, stem: &str) -> Result<PathBuf> {
    for name in [format!("{stem}.gz"), stem.to_string()] {
        let p = dir.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(NnError::Io {
        path: dir.join(stem),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "neither the file nor its .gz exists"),
    })
}

fn split(dir: &Path, images: &str, labels: &str) -> Result<Split> {
    let (ip, lp) = (find(dir, images)?, find(dir, labels)?);
    let x = read_idx(&ip)?;
    let y = read_idx(&lp)?;
    if x.ndim() != 3 || x.shape()[1..] != [28, 28] {
        return Err(NnError::Format {
            path: ip,
            reason: format!("images must be [n, 28, 28], found {:?}", x.shape()),
        });
    }
    if y.ndim() != 1 || y.shape()[0] != x.shape()[0] {
        return Err(NnError::Format {
            path: lp,
            reason: format!("labels {:?} do not match {} images", y.shape(), x.shape()[0]),
        });
    }
    if let Some(bad) = y.iter().find(|&l| l > 9) {
        return Err(NnError::Format { path: lp, reason: format!("label {bad} is not a digit 0-9") });
    }
    Ok((x, y))
}

/// `((train_images, train_labels), (test_images, test_labels))` with shapes
/// `[60000, 28, 28]`, `[60000]`, `[10000, 28, 28]`, `[10000]`, all `uint8`.
pub fn load_data(dir: Option<&Path>) -> Result<(Split, Split)> {
    let dir = data_dir(dir)?;
    let train = split(&dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")?;
    let test = split(&dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")?;
    Ok((train, test))
}
