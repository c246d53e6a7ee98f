//! Ladder step 1, loop order: i, p, j instead of i, j, p.
//!
//! What changed: the innermost loop now walks a row of B and a row of C with unit stride
//! (`C[i, :] += A[i, p] · B[p, :]`) instead of a column of B.
//! Why it should help: consecutive memory, so every cache line fetched is used whole and the
//! compiler can vectorise the inner loop.
//! What to look for: a large jump over naive for row-major B, none for column-major B.

use super::mat::{MatMut, MatRef, check_dims, scale_c};
use super::scalar::GemmScalar;
use crate::error::Result;

/// C <- alpha·A·B + beta·C, loops i, p, j (an axpy per (i, p)).
pub fn gemm_reordered<T: GemmScalar>(
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
) -> Result<()> {
    check_dims("gemm_reordered", &a, &b, &c)?;
    scale_c(&mut c, beta);
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    for i in 0..m {
        for p in 0..k {
            // SAFETY: (all three accesses) i < m, p < k, j < n by the loop bounds.
            let aip = alpha * unsafe { a.get_unchecked(i, p) };
            for j in 0..n {
                // SAFETY: i < m, p < k, j < n by the loop bounds.
                unsafe {
                    let bpj = b.get_unchecked(p, j);
                    let cij = c.get_unchecked_mut(i, j);
                    *cij = *cij + aip * bpj;
                }
            }
        }
    }
    Ok(())
}
