//! MNIST, shaped like `keras.datasets.mnist.load_data()`, found or fetched on any machine.
//!
//! [`Sources::standard`] looks for the four files in this order and takes the first place that
//! has all four:
//!
//! 1. the directory given explicitly (`--data-dir`),
//! 2. `$MNIST_DIR`,
//! 3. the repository's `data/mnist` (present when Tessera is built from a clone),
//! 4. the per-user cache, `$XDG_CACHE_HOME/tessera/mnist`, else `~/.cache/tessera/mnist`,
//! 5. a download into that cache from the public mirrors in [`MIRRORS`], tried in turn.
//!
//! Every file is verified on load: the SHA-256 of its uncompressed contents must be MNIST's
//! (whatever the compression, so any mirror's `.gz` is accepted). An explicit directory or
//! `$MNIST_DIR` that lacks a file is an error, not a reason to look elsewhere.

#[cfg(feature = "download")]
use super::download;
use super::idx::{open_idx, read_idx_stream};
use crate::error::{NnError, Result};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use tessera_tensor::Tensor;

/// One split: images `u8 [n, 28, 28]` and labels `u8 [n]`.
pub type Split = (Tensor<u8>, Tensor<u8>);

/// One of the four MNIST files: its name, the SHA-256 and length of its uncompressed contents.
#[derive(Debug, Clone, Copy)]
pub struct MnistFile {
    /// File name without `.gz`.
    pub name: &'static str,
    /// SHA-256 of the uncompressed IDX bytes, lower-case hex.
    pub sha256: &'static str,
    /// Length of the uncompressed IDX bytes.
    pub bytes: usize,
}

/// The four files, training images first.
pub const FILES: [MnistFile; 4] = [
    MnistFile {
        name: "train-images-idx3-ubyte",
        sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        bytes: 47_040_016,
    },
    MnistFile {
        name: "train-labels-idx1-ubyte",
        sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        bytes: 60_008,
    },
    MnistFile {
        name: "t10k-images-idx3-ubyte",
        sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        bytes: 7_840_016,
    },
    MnistFile {
        name: "t10k-labels-idx1-ubyte",
        sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        bytes: 10_008,
    },
];

/// Public MNIST mirrors serving `<name>.gz`, tried in this order.
pub const MIRRORS: [&str; 3] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
];

/// Where to look for the data, in order; `None` skips a place.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// A directory named by the caller (`--data-dir`).
    pub explicit: Option<PathBuf>,
    /// `$MNIST_DIR`.
    pub env: Option<PathBuf>,
    /// The repository's `data/mnist`.
    pub repo: Option<PathBuf>,
    /// The per-user cache, also where downloads go.
    pub cache: Option<PathBuf>,
    /// Base URLs to download from (each followed by `<name>.gz`); empty: never download.
    pub mirrors: Vec<String>,
    /// Show a progress bar while downloading.
    pub progress: bool,
}

impl Sources {
    /// The standard order: `explicit`, `$MNIST_DIR`, the repository's `data/mnist`, the user
    /// cache, then a download from [`MIRRORS`] into the cache.
    pub fn standard(explicit: Option<&Path>) -> Sources {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|h| Path::new(&h).join(".cache"))
            })
            .map(|d| d.join("tessera/mnist"));
        Sources {
            explicit: explicit.map(Path::to_path_buf),
            env: std::env::var_os("MNIST_DIR").filter(|d| !d.is_empty()).map(PathBuf::from),
            repo: Some(repo),
            cache,
            mirrors: MIRRORS.iter().map(|m| m.to_string()).collect(),
            progress: true,
        }
    }

    /// The first directory that holds all four files, downloading them into the cache when no
    /// place has them.
    pub fn locate(&self) -> Result<PathBuf> {
        let mut tried = Vec::new();
        for (dir, what) in [(&self.explicit, "the data directory"), (&self.env, "MNIST_DIR")] {
            if let Some(dir) = dir {
                return match missing(dir) {
                    None => Ok(dir.clone()),
                    Some(f) => Err(NnError::Model(format!(
                        "{what} {} has no {f}[.gz] (it must hold the four MNIST files)",
                        dir.display()
                    ))),
                };
            }
        }
        for (dir, what) in [(&self.repo, "repository data"), (&self.cache, "user cache")] {
            if let Some(dir) = dir {
                match missing(dir) {
                    None => return Ok(dir.clone()),
                    Some(f) => tried.push(format!("{what} {}: no {f}", dir.display())),
                }
            }
        }
        #[cfg(not(feature = "download"))]
        if !self.mirrors.is_empty() {
            tried.push("download: tessera-nn was built without its `download` feature".into());
        }
        match &self.cache {
            #[cfg(feature = "download")]
            Some(cache) if !self.mirrors.is_empty() => {
                match download::fetch_mnist(cache, &self.mirrors, self.progress) {
                    Ok(()) => Ok(cache.clone()),
                    Err(e) => {
                        tried.push(format!("download into {}: {e}", cache.display()));
                        Err(not_found(&tried))
                    }
                }
            }
            _ => Err(not_found(&tried)),
        }
    }
}

fn not_found(tried: &[String]) -> NnError {
    NnError::Model(format!(
        "no MNIST data found. Tried:\n  {}\nPoint --data-dir (or MNIST_DIR) at a directory holding \
         train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and \
         t10k-labels-idx1-ubyte.gz (raw or gzipped)",
        tried.join("\n  ")
    ))
}

/// The first of the four files `dir` lacks (as `.gz` or raw), if any.
fn missing(dir: &Path) -> Option<&'static str> {
    FILES.iter().map(|f| f.name).find(|name| find(dir, name).is_none())
}

/// `dir/<name>.gz`, else `dir/<name>`, if it is a regular file.
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    [format!("{name}.gz"), name.to_string()].into_iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// Passes reads through and hashes what passes.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Reads one MNIST file and checks its uncompressed contents against [`FILES`].
pub fn read_verified(path: &Path, file: &MnistFile) -> Result<Tensor<u8>> {
    let mut r = Hashing { inner: open_idx(path)?, hasher: Sha256::new() };
    let t = read_idx_stream(&mut r, path, file.bytes)?;
    let got: String = r.hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if got != file.sha256 {
        return Err(NnError::Format {
            path: path.to_path_buf(),
            reason: format!(
                "SHA-256 of the uncompressed contents is {got}, MNIST's {} is {}: \
                 a different or corrupted file",
                file.name, file.sha256
            ),
        });
    }
    Ok(t)
}

fn split(dir: &Path, images: &MnistFile, labels: &MnistFile) -> Result<Split> {
    let path = |f: &MnistFile| {
        find(dir, f.name).ok_or_else(|| NnError::Io {
            path: dir.join(f.name),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "neither the file nor its .gz exists"),
        })
    };
    let x = read_verified(&path(images)?, images)?;
    let y = read_verified(&path(labels)?, labels)?;
    Ok((x, y))
}

/// The four verified files of `dir`, as [`load_data`] returns them.
pub fn load_dir(dir: &Path) -> Result<(Split, Split)> {
    Ok((split(dir, &FILES[0], &FILES[1])?, split(dir, &FILES[2], &FILES[3])?))
}

/// `((train_images, train_labels), (test_images, test_labels))` with shapes
/// `[60000, 28, 28]`, `[60000]`, `[10000, 28, 28]`, `[10000]`, all `uint8`, from `dir` or else
/// the places [`Sources::standard`] lists.
pub fn load_data(dir: Option<&Path>) -> Result<(Split, Split)> {
    load_dir(&Sources::standard(dir).locate()?)
}
