//! Ladder step 4: a SIMD micro-kernel, still on the operands where they are.
//!
//! What changed (vs. `register_tile.rs`): the tile is 4 rows by two vectors (16 f32 or 8 f64
//! columns), its accumulators are `wide` SIMD vectors, and one instruction does a whole vector of
//! multiply-adds: `acc[i] += broadcast(A[i, p]) · B[p, j0..j0 + LANES]`.
//! Why it should help: a vector multiply-add does 4 or 8 of the scalar step's work.
//! What to look for: a step over `register_tile` when B is row-major (a row of B is one load);
//! with other layouts the B values are gathered one by one into a vector, and the gain shrinks:
//! the reason the next step packs. Each lane sums p = 0, 1, ... from zero, one multiply then one
//! add, as the naive loop does, so the result has the naive loop's bits.

use super::mat::{MatMut, MatRef, check_dims};
use super::scalar::GemmScalar;
use crate::error::Result;

/// Rows of the tile.
const MR: usize = 4;
/// Vectors per row of the tile.
const NV: usize = 2;

/// C <- alpha·A·B + beta·C, one MR × (2 vectors) tile of SIMD accumulators at a time.
///
/// ```
/// use tessera_tensor::gemm::{gemm_naive, gemm_simd_tile, MatMut, MatRef};
/// let (m, k, n) = (5, 7, 19);
/// let a: Vec<f32> = (0..m * k).map(|i| (i % 5) as f32).collect();
/// let b: Vec<f32> = (0..k * n).map(|i| (i % 3) as f32 - 1.0).collect();
/// let (a, b) = (MatRef::row_major(&a, m, k).unwrap(), MatRef::row_major(&b, k, n).unwrap());
/// let (mut c, mut want) = (vec![0.0f32; m * n], vec![0.0f32; m * n]);
/// gemm_simd_tile(1.0, a, b, 0.0, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
/// gemm_naive(1.0, a, b, 0.0, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
/// assert_eq!(c, want);
/// ```
#[allow(clippy::needless_range_loop)]
pub fn gemm_simd_tile<T: GemmScalar>(
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
) -> Result<()> {
    check_dims("gemm_simd_tile", &a, &b, &c)?;
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    let lanes = T::LANES;
    let nr = NV * lanes;
    // One row of B's tile, gathered when B's row is not contiguous or the tile is an edge.
    let mut row = vec![T::zero(); nr];
    let mut out = vec![T::zero(); nr];
    for i0 in (0..m).step_by(MR) {
        let rows = MR.min(m - i0);
        for j0 in (0..n).step_by(nr) {
            let cols = nr.min(n - j0);
            let mut acc = [[T::splat(T::zero()); NV]; MR];
            for p in 0..k {
                // Index loops, not iterator adapters: the same loop whatever the build's
                // codegen units, with nothing left to inline.
                let mut bv = [T::splat(T::zero()); NV];
                if b.cs() == 1 && cols == nr {
                    // SAFETY: with unit column stride and a full tile, B's elements (p, j0) to
                    // (p, j0 + nr - 1) are valid (p < k, j0 + nr <= n) and contiguous.
                    let src = unsafe { std::slice::from_raw_parts(b.ptr(p, j0), nr) };
                    for v in 0..NV {
                        bv[v] = T::load(&src[v * lanes..]);
                    }
                } else {
                    for (j, v) in row.iter_mut().enumerate() {
                        *v = if j < cols { b.at(p, j0 + j) } else { T::zero() };
                    }
                    for v in 0..NV {
                        bv[v] = T::load(&row[v * lanes..]);
                    }
                }
                for i in 0..rows {
                    let av = T::splat(a.at(i0 + i, p));
                    for v in 0..NV {
                        acc[i][v] = acc[i][v] + av * bv[v];
                    }
                }
            }
            for (i, acc_row) in acc.iter().enumerate().take(rows) {
                for (v, &s) in acc_row.iter().enumerate() {
                    T::store(s, &mut out[v * lanes..]);
                }
                for (j, &s) in out.iter().enumerate().take(cols) {
                    // SAFETY: i0 + i < m and j0 + j < n by the tile bounds; C is read only if
                    // beta != 0.
                    unsafe { c.merge_unchecked(i0 + i, j0 + j, beta, alpha * s, false) };
                }
            }
        }
    }
    Ok(())
}
