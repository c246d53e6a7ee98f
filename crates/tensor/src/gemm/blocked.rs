//! Ladder step 2, cache blocking: the reordered loops run over blocks of C, A and B small enough to stay
//! in cache while they are reused.
//!
//! What changed: three outer loops step over `BLOCKED_NC` columns, `BLOCKED_KC` of the depth and
//! `BLOCKED_MC` rows; inside, the i, p, j loops of step 1 touch only one block of each operand.
//! Why it should help: a KC×NC block of B is re-read for every row of A; blocked, it stays in L2
//! instead of streaming from memory each time.
//! What to look for: gains over step 1 only once B outgrows the cache (n·k·4 B ≫ 2 MiB).

use super::mat::{MatMut, MatRef, check_dims, scale_c};
use super::params::{BLOCKED_KC, BLOCKED_MC, BLOCKED_NC};
use super::scalar::GemmScalar;
use crate::error::Result;

/// C <- alpha·A·B + beta·C with cache-blocked i, p, j loops (no packing).
pub fn gemm_blocked<T: GemmScalar>(
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    mut c: MatMut<T>,
) -> Result<()> {
    check_dims("gemm_blocked", &a, &b, &c)?;
    scale_c(&mut c, beta);
    let (m, k, n) = (a.rows(), a.cols(), b.cols());
    for jc in (0..n).step_by(BLOCKED_NC) {
        let jend = (jc + BLOCKED_NC).min(n);
        for pc in (0..k).step_by(BLOCKED_KC) {
            let pend = (pc + BLOCKED_KC).min(k);
            for ic in (0..m).step_by(BLOCKED_MC) {
                for i in ic..(ic + BLOCKED_MC).min(m) {
                    for p in pc..pend {
                        // SAFETY: i < m, p < k, j < n by the loop bounds.
                        let aip = alpha * unsafe { a.get_unchecked(i, p) };
                        for j in jc..jend {
                            // SAFETY: i < m, p < k, j < n by the loop bounds.
                            unsafe {
                                let cij = c.get_unchecked_mut(i, j);
                                *cij = *cij + aip * b.get_unchecked(p, j);
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
