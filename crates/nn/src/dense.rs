//! `Dense`: `y = activation(x · kernel + bias)`, Keras' fully connected layer.

use crate::activation::Activation;
use crate::error::{NnError, Result};
use tessera_autograd::Var;
use tessera_tensor::{Rng, Tensor};

/// A fully connected layer.
#[derive(Debug, Clone)]
pub struct Dense {
    /// Output features.
    pub units: usize,
    /// Applied to `x · kernel + bias`.
    pub activation: Activation,
    /// Input features, if given (`input_shape=(784,)` in Keras); otherwise taken from the
    /// previous layer when the model is built.
    pub input_dim: Option<usize>,
    /// `kernel: [in, out]`, glorot-uniform initialised: U(-l, l), `l = sqrt(6 / (in + out))`.
    pub kernel: Option<Var<f32>>,
    /// `bias: [out]`, initialised to zeros.
    pub bias: Option<Var<f32>>,
}

impl Dense {
    /// `Dense(units, activation=...)`.
    ///
    /// ```
    /// use tessera_nn::{Activation, Dense};
    /// let d = Dense::new(512, Activation::Relu).input_dim(784);
    /// assert_eq!((d.units, d.input_dim), (512, Some(784)));
    /// ```
    pub fn new(units: usize, activation: Activation) -> Dense {
        Dense { units, activation, input_dim: None, kernel: None, bias: None }
    }

    /// Declares the input width (Keras' `input_shape=(n,)`).
    pub fn input_dim(mut self, n: usize) -> Dense {
        self.input_dim = Some(n);
        self
    }

    /// Creates the weights for `input_dim` inputs (glorot-uniform kernel, zero bias).
    pub fn build(&mut self, input_dim: usize, rng: &mut Rng) -> Result<()> {
        if let Some(d) = self.input_dim.filter(|&d| d != input_dim) {
            return Err(NnError::Model(format!(
                "Dense({}) declared {d} inputs but receives {input_dim}",
                self.units
            )));
        }
        self.input_dim = Some(input_dim);
        let limit = (6.0 / (input_dim + self.units) as f64).sqrt();
        self.kernel = Some(Var::param(Tensor::rand_uniform(&[input_dim, self.units], -limit, limit, rng)));
        self.bias = Some(Var::param(Tensor::zeros(&[self.units])));
        Ok(())
    }

    fn weights(&self) -> Result<(&Var<f32>, &Var<f32>)> {
        match (&self.kernel, &self.bias) {
            (Some(k), Some(b)) => Ok((k, b)),
            _ => Err(NnError::Model(format!("Dense({}) is not built: compile the model first", self.units))),
        }
    }

    /// `x · kernel + bias`, before the activation.
    pub fn pre_activation(&self, x: &Var<f32>) -> Result<Var<f32>> {
        let (k, b) = self.weights()?;
        if x.shape().len() == 2 {
            // One GEMM with the bias added to each tile as it is finished (`Var::linear`).
            return Ok(x.linear(k, b, false)?);
        }
        Ok(x.matmul(k)?.add(b)?)
    }

    /// The layer's output. For a batch of vectors with ReLU (or no activation) the bias and the
    /// ReLU are fused into the matrix product: the same values as the three ops in turn.
    pub fn forward(&self, x: &Var<f32>) -> Result<Var<f32>> {
        if self.activation == Activation::Relu && x.shape().len() == 2 {
            let (k, b) = self.weights()?;
            return Ok(x.linear(k, b, true)?);
        }
        self.activation.apply(&self.pre_activation(x)?)
    }

    /// Trainable parameters: `[kernel, bias]` (empty before `build`).
    pub fn params(&self) -> Vec<Var<f32>> {
        self.kernel.iter().chain(self.bias.iter()).cloned().collect()
    }

    /// Number of trainable scalars: `in·out + out`.
    pub fn count_params(&self) -> usize {
        self.input_dim.map_or(0, |i| i * self.units + self.units)
    }
}
