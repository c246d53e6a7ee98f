//! Ladder step 3: a register-blocked micro-tile, on the operands where they are.
//!
//! What changed (vs. `blocked.rs`): C is computed one 4×4 tile at a time, its 16 sums held in
//! local variables for the whole k loop, and written once at the end. Each A value loaded serves
//! 4 multiply-adds and each B value 4.
//! Why it should help: step 1 reads and writes a row of C at every step p; here C leaves the
//! registers once per tile, and the loads per multiply-add fall from 3 to 0.5.
//! What to look for: a gain over `blocked` for every layout; the sums are still scalar (one
//! multiply-add per instruction), which the next step changes. The sums run p = 0, 1, ... from
//! zero, as in the naive loop, so the result has the naive loop's bits.

use super::mat::{MatMut, MatRef, check_dims};
use super::scalar::GemmScalar;
use crate::error::Result;

/// Rows of the tile.
const MR: usize = 4;
/// Columns of the tile.
const NR: usize = 4;

/// C <- alpha·A·B + beta·C, one MR×NR tile of scalar accumulators at a time.
///
/// ```
/// use tessera_tensor::gemm::{gemm_register_tile, MatMut, MatRef};
/// let a = [1.0f32, 2.0, 3.0, 4.0];
/// let b = [5.0f32, 6.0, 7.0, 8.0];
/// let mut c = [0.0f32; 4];
/// gemm_register_tile(1.0, MatRef::row_major(&a, 2, 2).unwrap(), MatRef::row_major(&b, 2, 2).unwrap(),
///                    0.0, MatMut::row_major(&mut c, 2, 2).unwrap()).unwrap();
/// assert_eq!(c, [19.0, 22.0, 43.0, 50.0]);
/// ```
#[allow(clippy::needless_range_loop)]
pub fn gemm_register_tile<T: GemmScalar>(
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
) -> Result<()> {
    check_dims("gemm_register_tile", &a, &b, &c)?;
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    for i0 in (0..m).step_by(MR) {
        let rows = MR.min(m - i0);
        for j0 in (0..n).step_by(NR) {
            let cols = NR.min(n - j0);
            let mut acc = [[T::zero(); NR]; MR];
            if rows == MR && cols == NR {
                // A full tile: fixed trip counts, so the 16 sums stay in registers. (Index
                // loops, not iterator adapters: they compile to the same loop whatever the
                // build's codegen units, with nothing left to inline.)
                for p in 0..k {
                    let (mut av, mut bv) = ([T::zero(); MR], [T::zero(); NR]);
                    for i in 0..MR {
                        // SAFETY: i0 + MR <= m and p < k: the index is in range.
                        av[i] = unsafe { a.get_unchecked(i0 + i, p) };
                    }
                    for j in 0..NR {
                        // SAFETY: j0 + NR <= n and p < k: the index is in range.
                        bv[j] = unsafe { b.get_unchecked(p, j0 + j) };
                    }
                    for i in 0..MR {
                        for j in 0..NR {
                            acc[i][j] = acc[i][j] + av[i] * bv[j];
                        }
                    }
                }
            } else {
                // An edge tile: the same sums over the rows and columns that exist.
                for p in 0..k {
                    for (i, row) in acc.iter_mut().enumerate().take(rows) {
                        let ai = a.at(i0 + i, p);
                        for (j, s) in row.iter_mut().enumerate().take(cols) {
                            *s = *s + ai * b.at(p, j0 + j);
                        }
                    }
                }
            }
            for (i, row) in acc.iter().enumerate().take(rows) {
                for (j, &s) in row.iter().enumerate().take(cols) {
                    // SAFETY: i0 + i < m and j0 + j < n by the tile bounds; C is read only if
                    // beta != 0.
                    unsafe { c.merge_unchecked(i0 + i, j0 + j, beta, alpha * s, false) };
                }
            }
        }
    }
    Ok(())
}
