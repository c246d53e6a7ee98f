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

/// C (m × 1) <- alpha·A·b + beta·C, one dot product per row; by columns when A is
/// column-major (see [`gemv_by_columns`]).
pub(crate) fn gemv_column<T: GemmScalar>(alpha: T, a: MatRef<T>, b: MatRef<T>, beta: T, mut c: MatMut<T>) {
    if a.rs() == 1 && a.cs() != 1 && a.rows() > 1 {
        return gemv_by_columns(alpha, a, b, beta, c);
    }
    let k = a.cols();
    for i in 0..a.rows() {
        // SAFETY: row i of A and column 0 of B each have k in-range elements.
        let s = unsafe { dot(k, a.ptr(i, 0), a.cs(), b.ptr(0, 0), b.rs()) };
        // SAFETY: i < m, 0 < n = 1; C is read only if beta != 0.
        unsafe { c.merge_unchecked(i, 0, beta, alpha * s, false) };
    }
}

/// C (m × 1) <- alpha·A·b + beta·C for a column-major A: each column of A, scaled by its value
/// of b, added in turn to m running sums. This is `x·W` for a single row `x` and a row-major `W`
/// (it arrives here as `Wᵀ·xᵀ`): W is read once, row after row, where dot products would read it
/// down its columns (the loop order of ladder step 1, `reordered.rs`, for one row). Each sum adds the k terms in order, whatever the thread count.
fn gemv_by_columns<T: GemmScalar>(alpha: T, a: MatRef<T>, b: MatRef<T>, beta: T, mut c: MatMut<T>) {
    let (m, k) = (a.rows(), a.cols());
    let mut sums = vec![T::zero(); m];
    for p in 0..k {
        // SAFETY: p < k and 0 < n = 1.
        let bp = unsafe { *b.ptr(p, 0) };
        // SAFETY: column p of A holds m elements at unit stride (a.rs() == 1, m >= 1).
        let column = unsafe { std::slice::from_raw_parts(a.ptr(0, p), m) };
        for (s, &x) in sums.iter_mut().zip(column) {
            *s = *s + x * bp;
        }
    }
    for (i, &s) in sums.iter().enumerate() {
        // SAFETY: i < m, 0 < n = 1; C is read only if beta != 0.
        unsafe { c.merge_unchecked(i, 0, beta, alpha * s, false) };
    }
}

#[cfg(test)]
mod tests {
    use crate::gemm::{MatMut, MatRef, gemm, gemm_naive};

    /// `x·W` for one row `x` (the gemv-by-columns route) against the naive loop, on integers
    /// (exact in any order), with alpha, beta and a transposed, step-sliced W.
    #[test]
    fn one_row_times_a_matrix_matches_the_naive_loop() {
        for (k, n) in [(1, 2), (7, 3), (784, 512), (33, 100)] {
            let x: Vec<f32> = (0..k).map(|i| (i % 7) as f32 - 3.0).collect();
            let w: Vec<f32> = (0..2 * k * n).map(|i| (i % 5) as f32 - 2.0).collect();
            // W is every other row of a (2k × n) row-major matrix: row stride 2n.
            let wv = MatRef::new(&w, k, n, 2 * n as isize, 1, 0).unwrap();
            let xv = MatRef::row_major(&x, 1, k).unwrap();
            let (mut got, mut want) = (vec![1.0f32; n], vec![1.0f32; n]);
            gemm(2.0, xv, wv, 0.5, MatMut::new(&mut got, 1, n, n as isize, 1, 0).unwrap()).unwrap();
            gemm_naive(2.0, xv, wv, 0.5, MatMut::new(&mut want, 1, n, n as isize, 1, 0).unwrap()).unwrap();
            assert_eq!(got, want, "k {k}, n {n}");
        }
    }
}
