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
    if let (2, Some(p)) = (pred.ndim(), pred.as_slice()) {
        // The training-step case (a contiguous batch of rows): one pass, no index tensors.
        let (n, k) = (pred.shape()[0], pred.shape()[1]);
        let labels: Option<Vec<i64>> = match (targets.ndim(), targets.as_slice()) {
            (2, Some(t)) if targets.shape() == pred.shape() && k > 0 => {
                Some(t.chunks_exact(k).map(|row| arg_max(row) as i64).collect())
            }
            (1, Some(t)) if t.len() == n => Some(t.iter().map(|&v| v as i64).collect()),
            _ => None,
        };
        if let Some(labels) = labels.filter(|_| k > 0) {
            return Ok(p.chunks_exact(k).zip(labels).filter(|&(row, l)| arg_max(row) as i64 == l).count());
        }
    }
    let guess = pred.argmax(Some(-1))?;
    let truth: Vec<i64> = if targets.ndim() == pred.ndim() {
        targets.argmax(Some(-1))?.to_vec()
    } else {
        targets.iter().map(|v| v as i64).collect()
    };
    Ok(guess.iter().zip(truth).filter(|&(g, t)| g == t).count())
}

/// `Tensor::argmax`'s rule for one row: the first maximum, or the first NaN.
fn arg_max(row: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate().skip(1) {
        if !row[best].is_nan() && (v.is_nan() || v > row[best]) {
            best = i;
        }
    }
    best
}
