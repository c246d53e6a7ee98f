//! `linear`: a Dense layer's forward pass, `relu(x·W + b)`, as one GEMM whose epilogue adds the
//! bias and applies the ReLU tile by tile (see `gemm/epilogue.rs`), instead of a product and two
//! more passes over its output. The same bits as `x.matmul(w)?.try_add(b)?.relu()`.

use crate::error::{Result, TensorError};
use crate::gemm::{Epilogue, GemmScalar, MatMut, gemm_epilogue};
use crate::linalg::mat;
use crate::ops::NumElement;
use crate::tensor::Tensor;

impl<T: GemmScalar + NumElement> Tensor<T> {
    /// `x·w + bias` for `x: [m, k]`, `w: [k, n]`, `bias: [n]` (optional), then `max(·, 0)` when
    /// `relu` is set — fused into the matrix product. Any layouts (transposed, strided).
    ///
    /// ```
    /// use tessera_tensor::tensor;
    /// let x = tensor![[1.0f32, 2.0], [-3.0, 1.0]];
    /// let w = tensor![[1.0f32, 0.0, 1.0], [0.0, 1.0, 1.0]];
    /// let b = tensor![0.5f32, -1.0, 0.0];
    /// let y = x.linear(&w, Some(&b), true).unwrap();
    /// assert_eq!(y.to_vec(), vec![1.5, 1.0, 3.0, 0.0, 0.0, 0.0]);
    /// assert_eq!(y.to_vec(), x.matmul(&w).unwrap().try_add(&b).unwrap().relu().to_vec());
    /// let e = x.linear(&w, Some(&tensor![1.0f32, 2.0]), false).unwrap_err();
    /// assert_eq!(e.to_string(), "linear: shapes [2, 2], [2, 3], [2] do not fit: need x [m, k], w [k, n], bias [n]");
    /// ```
    pub fn linear(&self, w: &Tensor<T>, bias: Option<&Tensor<T>>, relu: bool) -> Result<Tensor<T>> {
        let fits = self.ndim() == 2
            && w.ndim() == 2
            && self.shape()[1] == w.shape()[0]
            && bias.is_none_or(|b| b.shape() == [w.shape()[1]]);
        if !fits {
            let mut shapes = vec![self.shape().to_vec(), w.shape().to_vec()];
            shapes.extend(bias.map(|b| b.shape().to_vec()));
            return Err(TensorError::Shape {
                op: "linear",
                shapes,
                reason: "need x [m, k], w [k, n], bias [n]".into(),
            });
        }
        let (m, n) = (self.shape()[0], w.shape()[1]);
        let (a, b) = (
            mat(self.storage(), self.layout(), self.layout().offset())?,
            mat(w.storage(), w.layout(), w.layout().offset())?,
        );
        let bias = bias.map(Tensor::to_contiguous);
        let epi = Epilogue { bias: bias.as_ref().map(|b| b.as_slice().expect("contiguous")), relu };
        // Not zero-filled: the GEMM runs with beta = 0, which writes every element of C and reads
        // none, and the epilogue only touches elements already written.
        let mut out: Vec<T> = Vec::with_capacity(m * n);
        // SAFETY: the buffer has capacity m·n, is written only by this beta = 0 GEMM (see
        // `uninit_row_major`).
        let c = unsafe { MatMut::uninit_row_major(out.as_mut_ptr(), m, n) };
        gemm_epilogue(T::one(), a, b, T::zero(), c, epi)?;
        // SAFETY: the beta = 0 GEMM wrote all m·n elements (an error returned above, length 0).
        unsafe { out.set_len(m * n) };
        Tensor::from_vec(out, &[m, n])
    }
}
