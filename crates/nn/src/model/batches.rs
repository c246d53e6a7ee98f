//! Mini-batches: row `i` of a `[n, ...]` tensor for each index of a batch, gathered into one
//! contiguous `[b, ...]` tensor (the rows of a shuffled epoch are not adjacent in memory).

use crate::error::Result;
use tessera_tensor::Tensor;

/// Rows `idx` of `x` (any rank ≥ 1), in that order.
pub(crate) fn gather_rows(x: &Tensor<f32>, idx: &[usize]) -> Result<Tensor<f32>> {
    let row: usize = x.shape()[1..].iter().product();
    let src =
        x.as_slice().map(std::borrow::Cow::Borrowed).unwrap_or_else(|| std::borrow::Cow::Owned(x.to_vec()));
    let mut out = Vec::with_capacity(idx.len() * row);
    for &i in idx {
        out.extend_from_slice(&src[i * row..(i + 1) * row]);
    }
    let mut shape = x.shape().to_vec();
    shape[0] = idx.len();
    Ok(Tensor::from_vec(out, &shape)?)
}
