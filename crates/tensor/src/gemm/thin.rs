//! Thin shapes: when C is a single column (n = 1, a matrix-vector product; a single row, m = 1,
//! arrives here transposed), packing would pad an NR-wide panel for one useful column, so each
//! row of A is dotted with the column of B instead,
//! with several independent accumulators so the loop vectorises (plain multiply-add, not
//! `mul_add`, which is a libm call on a baseline x86-64 build). Used by every fast tier; the
//! order of additions depends only on the shape, never on the thread count.

use super::mat::{MatMut, MatRef};
use super::scalar::GemmScalar;

const LANES: usize = 16;

/// Dot product of `len` elements at strides `sx`, `sy` with 16 interleaved partial sums.
///
/// # Safety
/// `x + i·sx` and `y + i·sy` are readable for every `i < len`.
unsafe fn dot<T: GemmScalar>(len: usize, x: *const T, sx: isize, y: *const T, sy: isize) -> T {
    let mut acc = [T::zero(); LANES];
    let full = len / LANES * LANES;
    if len == 0 {
        // An empty view's pointers may be anything (even null: the constructor checks no element,
        // as there is none), so no slice is made from them.
        return T::zero();
    }
    if sx == 1 && sy == 1 {
        // SAFETY: both runs are contiguous and `len` long (caller's contract).
        let (xs, ys) = unsafe { (std::slice::from_raw_parts(x, len), std::slice::from_raw_parts(y, len)) };
        for (cx, cy) in xs[..full].chunks_exact(LANES).zip(ys[..full].chunks_exact(LANES)) {
            for l in 0..LANES {
                acc[l] = acc[l] + cx[l] * cy[l];
            }
        }
        for i in full..len {
            acc[i % LANES] = acc[i % LANES] + xs[i] * ys[i];
        }
    } else {
        for i in 0..len {
            // SAFETY: i < len (caller's contract).
            let (xi, yi) = unsafe { (*x.offset(i as isize * sx), *y.offset(i as isize * sy)) };
            acc[i % LANES] = acc[i % LANES] + xi * yi;
        }
    }
    // Fixed pairwise reduction of the partial sums.
    let mut w = LANES;
    while w > 1 {
        w /= 2;
        for l in 0..w {
            acc[l] = acc[l] + acc[l + w];
        }
    }
    acc[0]
}

/// C (m × 1) <- alpha·A·b + beta·C, one dot product per row.
pub(crate) fn gemv_column<T: GemmScalar>(alpha: T, a: MatRef<T>, b: MatRef<T>, beta: T, mut c: MatMut<T>) {
    let k = a.cols();
    for i in 0..a.rows() {
        // SAFETY: row i of A and column 0 of B each have k in-range elements.
        let s = unsafe { dot(k, a.ptr(i, 0), a.cs(), b.ptr(0, 0), b.rs()) };
        // SAFETY: i < m, 0 < n = 1; C is read only if beta != 0.
        unsafe { c.merge_unchecked(i, 0, beta, alpha * s, false) };
    }
}
