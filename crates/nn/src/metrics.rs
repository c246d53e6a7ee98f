//! Metrics: accuracy, categorical (one-hot targets) or sparse (integer labels).

use crate::error::Result;
use tessera_tensor::Tensor;

/// A metric, by its Keras name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// `"accuracy"`: fraction of rows whose arg-max prediction is the target class (one-hot
    /// targets `[n, classes]` or integer labels `[n]`).
    Accuracy,
}

impl Metric {
    /// The Keras name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
        }
    }

    /// The metric with this Keras name.
    pub fn from_name(name: &str) -> Option<Metric> {
        (name == "accuracy").then_some(Metric::Accuracy)
    }
}

/// Number of correct arg-max predictions in a batch.
///
/// ```
/// use tessera_nn::metrics::correct;
/// use tessera_tensor::tensor;
/// let p = tensor![[0.1f32, 0.9], [0.8, 0.2], [0.3, 0.7]];
/// assert_eq!(correct(&p, &tensor![[0.0f32, 1.0], [0.0, 1.0], [0.0, 1.0]]).unwrap(), 2);
/// assert_eq!(correct(&p, &tensor![1.0f32, 0.0, 0.0]).unwrap(), 2);
/// ```
pub fn correct(pred: &Tensor<f32>, targets: &Tensor<f32>) -> Result<usize> {
    let guess = pred.argmax(Some(-1))?;
    let truth: Vec<i64> = if targets.ndim() == pred.ndim() {
        targets.argmax(Some(-1))?.to_vec()
    } else {
        targets.iter().map(|v| v as i64).collect()
    };
    Ok(guess.iter().zip(truth).filter(|&(g, t)| g == t).count())
}
