//! Activation functions, by their Keras names.

use crate::error::Result;
use tessera_autograd::Var;

/// An element-wise (or, for softmax, last-axis) activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Identity (Keras' `None` / `"linear"`).
    Linear,
    /// `max(x, 0)`.
    Relu,
    /// `exp(x) / Σ exp(x)` along the last axis, stable.
    Softmax,
    /// `1 / (1 + e^-x)`.
    Sigmoid,
    /// `tanh(x)`.
    Tanh,
}

impl Activation {
    /// Applies the activation.
    pub fn apply(self, x: &Var<f32>) -> Result<Var<f32>> {
        Ok(match self {
            Activation::Linear => x.clone(),
            Activation::Relu => x.relu(),
            Activation::Softmax => x.softmax(-1)?,
            Activation::Sigmoid => x.sigmoid(),
            Activation::Tanh => x.tanh(),
        })
    }

    /// The Keras name.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Relu => "relu",
            Activation::Softmax => "softmax",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
        }
    }

    /// The activation with this Keras name.
    pub fn from_name(name: &str) -> Option<Activation> {
        [Activation::Linear, Activation::Relu, Activation::Softmax, Activation::Sigmoid, Activation::Tanh]
            .into_iter()
            .find(|a| a.name() == name)
    }
}
