//! Losses with Keras' formulas. Each returns the mean over the batch.
//!
//! | loss | per sample |
//! |---|---|
//! | categorical_crossentropy | `-Σ_c t_c · ln(clip(p_c, 1e-7, 1 - 1e-7))` |
//! | sparse_categorical_crossentropy | the same with `t` = one-hot of an integer label |
//! | mse | `mean_c (p_c - t_c)²` |
//! | binary_crossentropy | `-mean_c [t ln(clip p) + (1 - t) ln(1 - clip p)]` |
//!
//! When the model's last activation is softmax, (sparse) categorical crossentropy is computed from
//! the logits with the fused, stable softmax-cross-entropy, as Keras' TensorFlow backend does
//! (it reads the softmax's input): equal to the clipped formula whenever no probability is below
//! 1e-7, and with a gradient that never vanishes through the clip.

use crate::error::{NnError, Result};
use tessera_autograd::Var;
use tessera_tensor::Tensor;

/// Keras' `epsilon()`: the probability clip.
pub const EPSILON: f32 = 1e-7;

/// A loss function, by its Keras name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// `categorical_crossentropy` (one-hot or soft targets `[batch, classes]`).
    CategoricalCrossentropy,
    /// `sparse_categorical_crossentropy` (integer labels `[batch]`).
    SparseCategoricalCrossentropy,
    /// `mse`.
    MeanSquaredError,
    /// `binary_crossentropy`.
    BinaryCrossentropy,
}

/// One-hot encoding of integer labels: `[n]` -> `[n, classes]` (Keras' `to_categorical`).
///
/// ```
/// use tessera_nn::to_categorical;
/// let y = to_categorical(&tessera_tensor::tensor![5u8, 0, 4], 10).unwrap();
/// assert_eq!(y.shape(), &[3, 10]);
/// assert_eq!(y.get(&[0, 5]).unwrap(), 1.0);
/// assert!(to_categorical(&tessera_tensor::tensor![10u8], 10).is_err());
/// ```
pub fn to_categorical<L: Copy + Into<f64> + tessera_tensor::Element>(
    labels: &Tensor<L>,
    classes: usize,
) -> Result<Tensor<f32>> {
    if labels.ndim() != 1 {
        return Err(NnError::Model(format!("to_categorical: labels must be 1-D, got {:?}", labels.shape())));
    }
    let mut out = vec![0.0f32; labels.size() * classes];
    for (i, l) in labels.iter().enumerate() {
        let c: f64 = l.into();
        if c < 0.0 || c >= classes as f64 || c.fract() != 0.0 {
            return Err(NnError::Model(format!("to_categorical: label {c} at {i} is not in 0..{classes}")));
        }
        out[i * classes + c as usize] = 1.0;
    }
    Ok(Tensor::from_vec(out, &[labels.size(), classes])?)
}

impl Loss {
    /// The Keras name.
    pub fn name(self) -> &'static str {
        match self {
            Loss::CategoricalCrossentropy => "categorical_crossentropy",
            Loss::SparseCategoricalCrossentropy => "sparse_categorical_crossentropy",
            Loss::MeanSquaredError => "mse",
            Loss::BinaryCrossentropy => "binary_crossentropy",
        }
    }

    /// The loss with this Keras name.
    pub fn from_name(name: &str) -> Option<Loss> {
        [
            Loss::CategoricalCrossentropy,
            Loss::SparseCategoricalCrossentropy,
            Loss::MeanSquaredError,
            Loss::BinaryCrossentropy,
        ]
        .into_iter()
        .find(|l| l.name() == name)
    }

    /// Targets in the dense form the formulas use (one-hot for sparse labels).
    pub fn dense_targets(self, targets: &Tensor<f32>, classes: usize) -> Result<Tensor<f32>> {
        match self {
            Loss::SparseCategoricalCrossentropy => to_categorical(targets, classes),
            _ => Ok(targets.clone()),
        }
    }

    /// Whether the fused logits path applies for this loss after this activation.
    pub fn fuses_with_softmax(self) -> bool {
        matches!(self, Loss::CategoricalCrossentropy | Loss::SparseCategoricalCrossentropy)
    }

    /// The batch-mean loss of probabilities `p` against dense targets `t` (same shape).
    ///
    /// ```
    /// use tessera_autograd::Var;
    /// use tessera_nn::Loss;
    /// use tessera_tensor::tensor;
    /// let p = Var::constant(tensor![[0.5f32, 0.5], [0.0, 1.0]]);
    /// let t = Var::constant(tensor![[1.0f32, 0.0], [1.0, 0.0]]);
    /// // sample 1: -ln 0.5 = 0.6931; sample 2: -ln(1e-7) = 16.1181 (clipped); mean 8.4056
    /// let l = Loss::CategoricalCrossentropy.on_probabilities(&p, &t).unwrap().value().item().unwrap();
    /// assert!((l - 8.4056).abs() < 1e-3);
    /// ```
    pub fn on_probabilities(self, p: &Var<f32>, t: &Var<f32>) -> Result<Var<f32>> {
        if p.shape() != t.shape() {
            return Err(NnError::Model(format!(
                "{}: predictions {:?} vs targets {:?}",
                self.name(),
                p.shape(),
                t.shape()
            )));
        }
        let clipped = || p.clip(EPSILON, 1.0 - EPSILON);
        Ok(match self {
            Loss::CategoricalCrossentropy | Loss::SparseCategoricalCrossentropy => {
                clipped().ln().mul(t)?.sum(&[-1], false)?.mean_all()?.neg()
            }
            Loss::MeanSquaredError => p.sub(t)?.powf(2.0).mean_all()?,
            Loss::BinaryCrossentropy => {
                let c = clipped();
                let one_minus = |v: &Var<f32>| v.neg().add_scalar(1.0);
                let pos = t.mul(&c.ln())?;
                let neg = one_minus(t).mul(&one_minus(&c).ln())?;
                pos.add(&neg)?.mean_all()?.neg()
            }
        })
    }

    /// The batch-mean loss from logits `z` of a softmax output layer (fused and stable).
    pub fn on_softmax_logits(self, z: &Var<f32>, t: &Var<f32>) -> Result<Var<f32>> {
        if z.shape() != t.shape() {
            return Err(NnError::Model(format!(
                "{}: logits {:?} vs targets {:?}",
                self.name(),
                z.shape(),
                t.shape()
            )));
        }
        Ok(z.softmax_cross_entropy(t)?)
    }
}
