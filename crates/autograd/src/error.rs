//! The one error type of tessera-autograd.

use std::fmt;
use tessera_tensor::TensorError;

/// Result alias for autograd operations.
pub type Result<T> = std::result::Result<T, AutogradError>;

/// What went wrong while building or differentiating a graph.
#[derive(Debug, Clone, PartialEq)]
pub enum AutogradError {
    /// A tensor operation failed (shapes, axes, ...); the message names op and shapes.
    Tensor(TensorError),
    /// `backward()` without an explicit gradient on a non-scalar output.
    NonScalarBackward {
        /// The output's shape.
        shape: Vec<usize>,
    },
    /// An explicit upstream gradient whose shape differs from the output's.
    GradShape {
        /// The output's shape.
        expected: Vec<usize>,
        /// The gradient's shape.
        got: Vec<usize>,
    },
    /// `backward` reached a node whose graph an earlier `backward` already freed.
    GraphFreed {
        /// The node's op.
        op: &'static str,
    },
    /// `gradcheck` found an analytic gradient that disagrees with central differences.
    GradcheckMismatch {
        /// Which input.
        input: usize,
        /// Flat (row-major) index of the element.
        index: usize,
        /// Gradient from `backward`.
        analytic: f64,
        /// Central-difference estimate.
        numeric: f64,
    },
}

impl fmt::Display for AutogradError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutogradError::Tensor(e) => write!(f, "{e}"),
            AutogradError::NonScalarBackward { shape } => write!(
                f,
                "backward: output has shape {shape:?}; call backward_with(grad) for non-scalar outputs"
            ),
            AutogradError::GradShape { expected, got } => {
                write!(f, "backward_with: gradient shape {got:?} differs from output shape {expected:?}")
            }
            AutogradError::GraphFreed { op } => write!(
                f,
                "backward: the graph through this {op} node was freed by an earlier backward; recompute the forward pass"
            ),
            AutogradError::GradcheckMismatch { input, index, analytic, numeric } => write!(
                f,
                "gradcheck: input {input}, element {index}: analytic {analytic:e} vs numeric {numeric:e}"
            ),
        }
    }
}

impl std::error::Error for AutogradError {}

impl From<TensorError> for AutogradError {
    fn from(e: TensorError) -> Self {
        AutogradError::Tensor(e)
    }
}
