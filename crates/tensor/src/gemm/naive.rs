//! Ladder step 0, the oracle: the textbook loops, readable and never optimised. Every faster tier
//! is tested against [`gemm_naive`]. (The book's `naive_*_dot` functions are in `ops::naive`.)

use super::mat::{MatMut, MatRef, check_dims};
use super::scalar::GemmScalar;
use crate::error::Result;

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
