//! Ladder step 0, the oracle: the book's loops, readable and never optimised. Every faster tier is
//! tested against [`gemm_naive`].

use super::{GemmScalar, MatMut, MatRef, check_dims};
use crate::error::{Result, TensorError};
use crate::tensor::Tensor;

/// C <- alpha·A·B + beta·C with the textbook i, j, p loops. With `beta == 0`, C is not read.
///
/// ```
/// use tessera_tensor::gemm::{gemm_naive, MatMut, MatRef};
/// let a = [1.0f32, 2.0, 3.0, 4.0];
/// let b = [5.0f32, 6.0, 7.0, 8.0];
/// let mut c = [f32::NAN; 4];
/// gemm_naive(1.0, MatRef::row_major(&a, 2, 2).unwrap(), MatRef::row_major(&b, 2, 2).unwrap(), 0.0,
///            MatMut::row_major(&mut c, 2, 2).unwrap()).unwrap();
/// assert_eq!(c, [19.0, 22.0, 43.0, 50.0]);
/// ```
pub fn gemm_naive<T: GemmScalar>(
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
) -> Result<()> {
    check_dims("gemm_naive", &a, &b, &c)?;
    for i in 0..c.rows() {
        for j in 0..c.cols() {
            let mut sum = T::zero();
            for p in 0..a.cols() {
                sum = sum + a.at(i, p) * b.at(p, j);
            }
            // SAFETY: i < c.rows(), j < c.cols() by the loop bounds; C is read only if beta != 0.
            unsafe { c.merge_unchecked(i, j, beta, alpha * sum, false) };
        }
    }
    Ok(())
}

fn vector<T: GemmScalar>(op: &'static str, t: &Tensor<T>) -> Result<()> {
    if t.ndim() != 1 {
        return Err(TensorError::Invalid {
            op,
            shape: t.shape().to_vec(),
            reason: "expects a 1-D tensor".into(),
        });
    }
    Ok(())
}

/// The book's `naive_vector_dot(x, y)`: `z = Σ x[i]·y[i]`.
///
/// ```
/// use tessera_tensor::{gemm::naive_vector_dot, tensor};
/// assert_eq!(naive_vector_dot(&tensor![1.0f32, 2.0, 3.0], &tensor![4.0f32, 5.0, 6.0]).unwrap(), 32.0);
/// ```
pub fn naive_vector_dot<T: GemmScalar>(x: &Tensor<T>, y: &Tensor<T>) -> Result<T> {
    vector("naive_vector_dot", x)?;
    vector("naive_vector_dot", y)?;
    if x.shape() != y.shape() {
        return Err(TensorError::Shape {
            op: "naive_vector_dot",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "vectors must have the same length".into(),
        });
    }
    let mut z = T::zero();
    for i in 0..x.shape()[0] {
        z = z + x[[i]] * y[[i]];
    }
    Ok(z)
}

/// The book's `naive_matrix_vector_dot(x, y)`: `z[i] = Σ_j x[i, j]·y[j]`.
///
/// ```
/// use tessera_tensor::{gemm::naive_matrix_vector_dot, tensor};
/// let z = naive_matrix_vector_dot(&tensor![[1.0f32, 2.0], [3.0, 4.0]], &tensor![1.0f32, 1.0]).unwrap();
/// assert_eq!(z.to_vec(), vec![3.0, 7.0]);
/// ```
pub fn naive_matrix_vector_dot<T: GemmScalar>(x: &Tensor<T>, y: &Tensor<T>) -> Result<Tensor<T>> {
    vector("naive_matrix_vector_dot", y)?;
    if x.ndim() != 2 || x.shape()[1] != y.shape()[0] {
        return Err(TensorError::Shape {
            op: "naive_matrix_vector_dot",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "x must be 2-D with x.shape[1] == y.shape[0]".into(),
        });
    }
    let mut z = vec![T::zero(); x.shape()[0]];
    for (i, zi) in z.iter_mut().enumerate() {
        for j in 0..x.shape()[1] {
            *zi = *zi + x[[i, j]] * y[[j]];
        }
    }
    Tensor::from_vec(z, &[x.shape()[0]])
}

/// The book's `naive_matrix_dot(x, y)`: each `z[i, j]` is the dot of row i of x and column j of y.
///
/// ```
/// use tessera_tensor::{gemm::naive_matrix_dot, tensor};
/// let z = naive_matrix_dot(&tensor![[1.0f64, 2.0], [3.0, 4.0]], &tensor![[5.0, 6.0], [7.0, 8.0]]).unwrap();
/// assert_eq!(z.to_vec(), vec![19.0, 22.0, 43.0, 50.0]);
/// ```
pub fn naive_matrix_dot<T: GemmScalar>(x: &Tensor<T>, y: &Tensor<T>) -> Result<Tensor<T>> {
    if x.ndim() != 2 || y.ndim() != 2 || x.shape()[1] != y.shape()[0] {
        return Err(TensorError::Shape {
            op: "naive_matrix_dot",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "needs 2-D x and y with x.shape[1] == y.shape[0]".into(),
        });
    }
    let (m, n) = (x.shape()[0], y.shape()[1]);
    let mut z = Vec::with_capacity(m * n);
    for i in 0..m {
        for j in 0..n {
            let row_x = x.slice(&[crate::SliceArg::Index(i as isize)])?;
            let column_y = y.slice(&crate::s![.., j as isize])?;
            z.push(naive_vector_dot(&row_x, &column_y)?);
        }
    }
    Tensor::from_vec(z, &[m, n])
}
