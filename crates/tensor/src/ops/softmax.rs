//! Numerically stable softmax, log-softmax and logsumexp along an axis, composed from the
//! reduction and element-wise kernels: subtracting the max first keeps `exp` from overflowing.
//! Over the last axis of a contiguous tensor, softmax and log-softmax take the fused row path
//! (`softmax_rows.rs`), which gives the same bits.

use super::arith::Arith;
use super::softmax_rows::{RowFn, last_axis};
use crate::dtype::FloatElement;
use crate::error::Result;
use crate::tensor::Tensor;

impl<T: FloatElement> Tensor<T> {
    /// The per-axis max, with non-finite maxima (an all `-inf` slice) replaced by 0 so that
    /// `x - max` stays well defined (SciPy's convention).
    fn stable_shift(&self, axis: isize) -> Result<Tensor<T>> {
        let mut m = self.max(&[axis], true)?;
        let (storage, _) = m.writable_parts();
        for v in storage.iter_mut() {
            if !v.is_finite() {
                *v = T::zero();
            }
        }
        Ok(m)
    }

    /// `exp(x) / sum(exp(x))` along `axis`.
    ///
    /// ```
    /// let p = tessera_tensor::tensor![[1.0f32, 2.0, 3.0], [1000.0, 1000.0, 1000.0]].softmax(-1).unwrap();
    /// let v = p.to_vec();
    /// assert!((v[2] - 0.66524096).abs() < 1e-6);
    /// assert!((v[3] - 1.0 / 3.0).abs() < 1e-6); // no overflow at 1000
    /// ```
    pub fn softmax(&self, axis: isize) -> Result<Tensor<T>> {
        match last_axis(self, axis, RowFn::Softmax)? {
            Some(rows) => Ok(rows),
            None => self.softmax_composed(axis),
        }
    }

    /// [`Tensor::softmax`] from the reduction and element-wise ops: any axis, any layout.
    pub(crate) fn softmax_composed(&self, axis: isize) -> Result<Tensor<T>> {
        let m = self.stable_shift(axis).map_err(|e| e.with_op("softmax"))?;
        let mut e = self.try_sub(&m)?;
        e.exp_inplace();
        let s = e.sum(&[axis], true)?;
        e.arith_assign(&s, Arith::Div)?;
        Ok(e)
    }

    /// `x - logsumexp(x)` along `axis`, without forming `exp(x)` of large values.
    pub fn log_softmax(&self, axis: isize) -> Result<Tensor<T>> {
        match last_axis(self, axis, RowFn::LogSoftmax)? {
            Some(rows) => Ok(rows),
            None => self.log_softmax_composed(axis),
        }
    }

    /// [`Tensor::log_softmax`] from the reduction and element-wise ops: any axis, any layout.
    pub(crate) fn log_softmax_composed(&self, axis: isize) -> Result<Tensor<T>> {
        let m = self.stable_shift(axis).map_err(|e| e.with_op("log_softmax"))?;
        let mut z = self.try_sub(&m)?;
        let e = z.exp();
        let mut lse = e.sum(&[axis], true)?;
        lse.ln_inplace();
        z.arith_assign(&lse, Arith::Sub)?;
        Ok(z)
    }

    /// `log(sum(exp(x)))` along `axis`, stable for large inputs.
    ///
    /// ```
    /// let t = tessera_tensor::tensor![1000.0f64, 1000.0].logsumexp(0, false).unwrap();
    /// assert!((t.item().unwrap() - (1000.0 + 2f64.ln())).abs() < 1e-9);
    /// ```
    pub fn logsumexp(&self, axis: isize, keepdims: bool) -> Result<Tensor<T>> {
        let m = self.stable_shift(axis).map_err(|e| e.with_op("logsumexp"))?;
        let mut e = self.try_sub(&m)?;
        e.exp_inplace();
        let mut s = e.sum(&[axis], true)?;
        s.ln_inplace();
        s.arith_assign(&m, Arith::Add)?;
        if keepdims { Ok(s) } else { s.squeeze(Some(axis)) }
    }
}
