//! The one error type of tessera-tensor.
//!
//! Every variant names the operation and carries the full shapes involved, so a message reads like
//! `add: cannot broadcast [64, 3, 32, 10] with [31, 10]: axis -2 is 32 vs 31`. Fallible functions
//! (`try_*`, constructors, `get`) return [`Result`]; operators and `Index` panic with the same text.

use std::fmt;

/// Shorthand for results whose error is a [`TensorError`].
pub type Result<T> = std::result::Result<T, TensorError>;

/// What went wrong, with the operation and the shapes that made it go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TensorError {
    /// Two shapes cannot be broadcast together; `axis` is counted from the end (-1 = last).
    Broadcast {
        /// The operation that broadcast.
        op: &'static str,
        /// Left operand's shape.
        lhs: Vec<usize>,
        /// Right operand's shape.
        rhs: Vec<usize>,
        /// The failing axis, negative, counted from the end.
        axis: isize,
    },
    /// A data length does not match the element count of a shape.
    Length {
        /// The operation.
        op: &'static str,
        /// The requested shape.
        shape: Vec<usize>,
        /// How many elements the shape needs.
        expected: usize,
        /// How many were given.
        got: usize,
    },
    /// A reshape whose element counts differ, or with more than one `-1`.
    Reshape {
        /// The operation.
        op: &'static str,
        /// The tensor's shape.
        from: Vec<usize>,
        /// The requested shape (`-1` kept as given).
        to: Vec<isize>,
        /// Why it failed.
        reason: String,
    },
    /// An axis argument outside `-ndim..ndim`, or repeated.
    Axis {
        /// The operation.
        op: &'static str,
        /// The tensor's shape.
        shape: Vec<usize>,
        /// The axis given.
        axis: isize,
        /// Why it is wrong.
        reason: String,
    },
    /// An integer index outside an axis.
    Index {
        /// The operation.
        op: &'static str,
        /// The tensor's shape.
        shape: Vec<usize>,
        /// The axis indexed.
        axis: usize,
        /// The index given.
        index: isize,
    },
    /// Shapes that are incompatible for a reason other than broadcasting (matmul, concatenate, ...).
    Shape {
        /// The operation.
        op: &'static str,
        /// Every shape involved, in argument order.
        shapes: Vec<Vec<usize>>,
        /// Why they do not fit.
        reason: String,
    },
    /// An argument that is invalid whatever the shapes (a zero step, an empty list, ...).
    Invalid {
        /// The operation.
        op: &'static str,
        /// The shape of the tensor involved, if any.
        shape: Vec<usize>,
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for TensorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TensorError::Broadcast { op, lhs, rhs, axis } => {
                let pick = |s: &[usize]| {
                    let i = s.len() as isize + axis;
                    if i >= 0 { s[i as usize] } else { 1 }
                };
                write!(
                    f,
                    "{op}: cannot broadcast {lhs:?} with {rhs:?}: axis {axis} is {} vs {}",
                    pick(lhs),
                    pick(rhs)
                )
            }
            TensorError::Length { op, shape, expected, got } => {
                write!(f, "{op}: shape {shape:?} needs {expected} elements but {got} were given")
            }
            TensorError::Reshape { op, from, to, reason } => {
                write!(f, "{op}: cannot reshape {from:?} into {to:?}: {reason}")
            }
            TensorError::Axis { op, shape, axis, reason } => {
                write!(f, "{op}: axis {axis} is invalid for shape {shape:?}: {reason}")
            }
            TensorError::Index { op, shape, axis, index } => write!(
                f,
                "{op}: index {index} is out of bounds for axis {axis} with size {} (shape {shape:?})",
                shape.get(*axis).copied().unwrap_or(0)
            ),
            TensorError::Shape { op, shapes, reason } => {
                let list: Vec<String> = shapes.iter().map(|s| format!("{s:?}")).collect();
                write!(f, "{op}: shapes {} do not fit: {reason}", list.join(", "))
            }
            TensorError::Invalid { op, shape, reason } => {
                write!(f, "{op}: {reason} (shape {shape:?})")
            }
        }
    }
}

impl std::error::Error for TensorError {}

impl TensorError {
    /// The same error reported as `op`: a composite operation (softmax from max, sum and exp)
    /// names itself, not the step that failed.
    pub fn with_op(mut self, name: &'static str) -> TensorError {
        match &mut self {
            TensorError::Broadcast { op, .. }
            | TensorError::Length { op, .. }
            | TensorError::Reshape { op, .. }
            | TensorError::Axis { op, .. }
            | TensorError::Index { op, .. }
            | TensorError::Shape { op, .. }
            | TensorError::Invalid { op, .. } => *op = name,
        }
        self
    }
}

/// Unwraps a result, panicking with the error's own message (used by operators and `Index`).
#[track_caller]
pub(crate) fn or_panic<T>(r: Result<T>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_message_names_shapes_and_axis() {
        let e = TensorError::Broadcast { op: "add", lhs: vec![64, 3, 32, 10], rhs: vec![31, 10], axis: -2 };
        assert_eq!(e.to_string(), "add: cannot broadcast [64, 3, 32, 10] with [31, 10]: axis -2 is 32 vs 31");
    }
}
