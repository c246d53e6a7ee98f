//! A fused epilogue: `C <- relu(C + bias)`, applied to each MR×NR tile of C right after the
//! packed GEMM finishes it (the tile is still in L1), instead of two more passes over all of C.
//!
//! A Dense layer is `x·W + b` and then an activation. Unfused, the bias add and the ReLU each
//! read and write the whole `[batch, units]` output again (128×512 in the MNIST MLP: 256 KiB);
//! fused, they cost a few vector operations per tile, done by
//! whichever thread computed the tile. The arithmetic is the unfused one (`c + b`, then
//! `max(c, 0)` with NaN kept, as [`Tensor::relu`](crate::tensor::Tensor::relu)), so the results are the
//! same bits.
//!
//! Paths that do not end in whole tiles of C (gemv, the narrow kernels, a transposed product, the
//! unpacked tiers) apply the same epilogue in one pass over C after the product.

use super::mat::MatMut;
use super::scalar::GemmScalar;

/// What to apply to every element `C[i, j]` once its product is complete.
///
/// ```
/// use tessera_tensor::gemm::{gemm_epilogue, Epilogue, MatMut, MatRef};
/// let a = [1.0f32, -2.0]; // 1x2
/// let b = [1.0f32, 1.0, 1.0, 1.0]; // 2x2
/// let bias = [0.5f32, 2.0];
/// let mut c = [0.0f32; 2];
/// let epi = Epilogue { bias: Some(&bias[..]), relu: true };
/// gemm_epilogue(1.0, MatRef::row_major(&a, 1, 2).unwrap(), MatRef::row_major(&b, 2, 2).unwrap(),
///               0.0, MatMut::row_major(&mut c, 1, 2).unwrap(), epi).unwrap();
/// assert_eq!(c, [0.0, 1.0]); // relu(-1 + 0.5), relu(-1 + 2)
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Epilogue<'a, T> {
    /// Added to every row of C (one value per column of C), if given.
    pub bias: Option<&'a [T]>,
    /// Then `max(c, 0)`, NaN kept.
    pub relu: bool,
}

impl<'a, T: GemmScalar> Epilogue<'a, T> {
    /// The epilogue of the column block of C that starts at column `start` (the bias moves along).
    pub(crate) fn for_cols_from(&self, start: usize) -> Epilogue<'a, T> {
        Epilogue { bias: self.bias.map(|b| &b[start..]), relu: self.relu }
    }

    /// Applies to all of `c`.
    pub(crate) fn apply(&self, c: &mut MatMut<T>) {
        self.apply_block(c, (0, 0), (c.rows(), c.cols()));
    }

    /// Applies to the `rows × cols` block of `c` at `(i0, j0)` (which lies inside `c`).
    pub(crate) fn apply_block(
        &self,
        c: &mut MatMut<T>,
        (i0, j0): (usize, usize),
        (rows, cols): (usize, usize),
    ) {
        assert!(i0 + rows <= c.rows() && j0 + cols <= c.cols(), "epilogue block inside C");
        let bias = self.bias.map(|b| &b[j0..j0 + cols]);
        for i in i0..i0 + rows {
            if c.cs() == 1 && cols > 0 {
                // SAFETY: row i, columns j0 .. j0 + cols are inside the checked view (asserted
                // above) with unit stride, and this MatMut borrows them exclusively.
                let row = unsafe { std::slice::from_raw_parts_mut(c.ptr_mut(i, j0), cols) };
                finish_row(row, bias, self.relu);
            } else {
                for j in 0..cols {
                    // SAFETY: (i, j0 + j) is inside C (asserted above).
                    let cij = unsafe { c.get_unchecked_mut(i, j0 + j) };
                    let v = bias.map_or(*cij, |b| *cij + b[j]);
                    *cij = if self.relu { relu_of(v) } else { v };
                }
            }
        }
    }
}

/// One contiguous row, with the branches hoisted so each loop vectorises.
#[inline(always)]
fn finish_row<T: GemmScalar>(row: &mut [T], bias: Option<&[T]>, relu: bool) {
    match (bias, relu) {
        (Some(b), true) => row.iter_mut().zip(b).for_each(|(c, &b)| *c = relu_of(*c + b)),
        (Some(b), false) => row.iter_mut().zip(b).for_each(|(c, &b)| *c = *c + b),
        (None, true) => row.iter_mut().for_each(|c| *c = relu_of(*c)),
        (None, false) => {}
    }
}

/// `Tensor::relu`'s rule: positive values and NaN pass, everything else becomes +0.
#[inline(always)]
fn relu_of<T: GemmScalar>(v: T) -> T {
    if v > T::zero() || v.is_nan() { v } else { T::zero() }
}
