//! The one error type of tessera-nn.

use std::fmt;
use std::path::PathBuf;
use tessera_autograd::AutogradError;
use tessera_tensor::TensorError;

/// Result alias for tessera-nn.
pub type Result<T> = std::result::Result<T, NnError>;

/// What went wrong while loading data, building or training a model.
#[derive(Debug)]
pub enum NnError {
    /// A tensor operation failed; the message names the op and the shapes.
    Tensor(TensorError),
    /// Differentiation failed.
    Autograd(AutogradError),
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file was read but is not valid (IDX, model, npy) or not the one expected.
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file could not be downloaded from any of the places tried.
    Download {
        /// Where it was to be saved.
        path: PathBuf,
        /// Each URL tried, with why it failed.
        tried: Vec<String>,
    },
    /// The model was used wrongly (no layers, not compiled, bad shapes, ...).
    Model(String),
    /// Training produced a non-finite loss.
    NonFiniteLoss {
        /// Epoch (1-based).
        epoch: usize,
        /// Step within the epoch (1-based).
        step: usize,
        /// The loss value.
        loss: f64,
    },
}

impl fmt::Display for NnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NnError::Tensor(e) => write!(f, "{e}"),
            NnError::Autograd(e) => write!(f, "{e}"),
            NnError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            NnError::Format { path, reason } => write!(f, "{}: {reason}", path.display()),
            NnError::Download { path, tried } => {
                write!(f, "{}: could not be downloaded; tried:", path.display())?;
                tried.iter().try_for_each(|t| write!(f, "\n    {t}"))
            }
            NnError::Model(m) => write!(f, "model: {m}"),
            NnError::NonFiniteLoss { epoch, step, loss } => {
                write!(f, "fit: loss became {loss} at epoch {epoch}, step {step}; training stopped")
            }
        }
    }
}

impl std::error::Error for NnError {}

impl From<TensorError> for NnError {
    fn from(e: TensorError) -> Self {
        NnError::Tensor(e)
    }
}

impl From<AutogradError> for NnError {
    fn from(e: AutogradError) -> Self {
        NnError::Autograd(e)
    }
}
