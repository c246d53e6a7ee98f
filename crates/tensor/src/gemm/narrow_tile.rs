//! The narrow product's kernel (`narrow.rs`), written once over a [`MaskedVector`]: R rows of C
//! by NV vectors of columns, A broadcast straight from memory (any strides), B packed in whole
//! vectors per k step, C's last vector written through a mask.

use crate::simd::vector::MaskedVector;
use num_traits::Float;

/// `rows` ∈ {12, 4, 1} rows of C and `n <= 2·LANES` columns.
///
/// # Safety
/// The CPU has `V`'s ISA; `a + i·rsa + p·csa` is readable for `i < rows`, `p < k`; `b` holds
/// `k · ceil(n / LANES)` packed vectors; `c + i·rsc + j·csc` is writable (and readable if
/// `beta != 0`) for `i < rows`, `j < n`, and reached by no other thread.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn narrow_rows<T: Float, V: MaskedVector<T>>(
    rows: usize,
    k: usize,
    a: *const T,
    rsa: isize,
    csa: isize,
    b: *const T,
    c: *mut T,
    rsc: isize,
    csc: isize,
    n: usize,
    alpha: T,
    beta: T,
) {
    let (sa, sc) = ((rsa, csa), (rsc, csc));
    // SAFETY: forwarded contract, with R == rows and NV == ceil(n / LANES).
    unsafe {
        match (rows, n.div_ceil(V::LANES)) {
            (12, 1) => narrow_tile::<T, V, 12, 1>(k, a, sa, b, c, sc, n, alpha, beta),
            (4, 1) => narrow_tile::<T, V, 4, 1>(k, a, sa, b, c, sc, n, alpha, beta),
            (1, 1) => narrow_tile::<T, V, 1, 1>(k, a, sa, b, c, sc, n, alpha, beta),
            (12, 2) => narrow_tile::<T, V, 12, 2>(k, a, sa, b, c, sc, n, alpha, beta),
            (4, 2) => narrow_tile::<T, V, 4, 2>(k, a, sa, b, c, sc, n, alpha, beta),
            (1, 2) => narrow_tile::<T, V, 1, 2>(k, a, sa, b, c, sc, n, alpha, beta),
            _ => unreachable!("narrow kernel: tiles have 12, 4 or 1 rows and 1 or 2 vectors"),
        }
    }
}

/// R rows × NV vectors of the narrow product.
///
/// # Safety
/// As [`narrow_rows`], with `rows == R` and `n` columns in `NV` vectors.
#[inline(always)]
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
unsafe fn narrow_tile<T: Float, V: MaskedVector<T>, const R: usize, const NV: usize>(
    k: usize,
    a: *const T,
    (rsa, csa): (isize, isize),
    b: *const T,
    c: *mut T,
    (rsc, csc): (isize, isize),
    n: usize,
    alpha: T,
    beta: T,
) {
    const { assert!(V::LANES <= 16, "the strided-C buffer holds 16 lanes") };
    let lanes = V::LANES;
    // SAFETY: the whole body: the CPU has V's ISA (caller); b holds k packed rows of NV
    // vectors; A's element (i, p) is in range for i < R, p < k; C's (i, j) for i < R, j < n.
    unsafe {
        let mut acc = [[V::zero(); NV]; R];
        for p in 0..k {
            let mut bv = [V::zero(); NV];
            for j in 0..NV {
                bv[j] = V::load(b.add((p * NV + j) * lanes));
            }
            let ap = a.offset(p as isize * csa);
            for i in 0..R {
                let ai = V::splat(*ap.offset(i as isize * rsa));
                for j in 0..NV {
                    acc[i][j] = ai.mul_add(bv[j], acc[i][j]);
                }
            }
        }
        let va = V::splat(alpha);
        for j in 0..NV {
            // Columns of vector j inside C: all lanes but in the last vector.
            let cols = (n - j * lanes).min(lanes);
            if csc == 1 {
                let vb = V::splat(beta);
                for i in 0..R {
                    let p = c.offset(i as isize * rsc).add(j * lanes);
                    let r = acc[i][j].mul(va);
                    let r = if beta == T::zero() { r } else { vb.mul_add(V::load_first(p, cols), r) };
                    r.store_first(p, cols);
                }
            } else {
                let mut row = [T::zero(); 16];
                for i in 0..R {
                    acc[i][j].mul(va).store(row.as_mut_ptr());
                    for (l, &v) in row[..cols].iter().enumerate() {
                        let p = c.offset(i as isize * rsc + (j * lanes + l) as isize * csc);
                        *p = if beta == T::zero() { v } else { beta.mul_add(*p, v) };
                    }
                }
            }
        }
    }
}
