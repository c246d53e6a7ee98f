//! The backward pass of a Dense layer with ReLU, the part before its products: the gradient
//! through the ReLU and the bias's gradient (the column sums of that gradient) in one pass over
//! the rows, instead of a masked copy and then a reduction that reads the copy again.

use super::arith::Arith;
use crate::dtype::FloatElement;
use crate::error::{Result, TensorError};
use crate::runtime::alloc;
use crate::tensor::Tensor;
use std::mem::MaybeUninit;

/// Above this many elements the composed (parallel) ops run instead of the one-thread pass.
const FUSED_MAX_ELEMENTS: usize = 1 << 20;

/// `∂L/∂z` at one element of `y = relu(z)`: `g` where `y > 0` (exactly where `z > 0`), else 0.
#[inline(always)]
fn through_relu<T: FloatElement>(y: T, g: T) -> T {
    if y > T::zero() { g } else { T::zero() }
}

/// `through_relu(y, g)` into `z`, row by row, each value also added to its column's sum in
/// `b` in the same loop (inlined into the caller's ISA entry, where the column loop vectorises:
/// per vector, loads of `y` and `g`, a select, a store and an add).
#[inline(always)]
fn rows_pass<T: FloatElement>(y: &[T], g: &[T], z: &mut [MaybeUninit<T>], b: &mut [T]) {
    let cols = b.len();
    let rows = y.chunks_exact(cols).zip(g.chunks_exact(cols)).zip(z.chunks_exact_mut(cols));
    for ((y, g), z) in rows {
        for (((&y, &g), z), b) in y.iter().zip(g).zip(z.iter_mut()).zip(b.iter_mut()) {
            let v = through_relu(y, g);
            z.write(v);
            *b = T::arith(Arith::Add, *b, v);
        }
    }
}

/// [`rows_pass`] compiled for the CPU's widest vectors (a closure handed to
/// `simd::vectorized` would not be inlined into the ISA's entry: the loop stayed scalar).
fn rows_on_isa<T: FloatElement>(y: &[T], g: &[T], z: &mut [MaybeUninit<T>], b: &mut [T]) {
    match crate::simd::isa() {
        // SAFETY: `isa()` only returns tiers this CPU has.
        #[cfg(target_arch = "x86_64")]
        crate::simd::Isa::Avx512 => unsafe { rows_avx512(y, g, z, b) },
        // SAFETY: as above.
        #[cfg(target_arch = "x86_64")]
        crate::simd::Isa::Avx2 => unsafe { rows_avx2(y, g, z, b) },
        _ => rows_pass(y, g, z, b),
    }
}

/// # Safety
/// The CPU has AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn rows_avx512<T: FloatElement>(y: &[T], g: &[T], z: &mut [MaybeUninit<T>], b: &mut [T]) {
    rows_pass(y, g, z, b)
}

/// # Safety
/// The CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn rows_avx2<T: FloatElement>(y: &[T], g: &[T], z: &mut [MaybeUninit<T>], b: &mut [T]) {
    rows_pass(y, g, z, b)
}

impl<T: FloatElement> Tensor<T> {
    /// For a layer output `y = relu(x·w + b)` of shape `[rows, cols]` (this tensor) and the
    /// gradient `g` arriving at it: `(gz, gb)`, where `gz = g` where `y > 0` and 0 elsewhere
    /// (the gradient at `z`) and `gb = gz.sum(&[0], false)` (the gradient of `b`). The bits are
    /// those of `y.zip_with(.., g, ..)` followed by that sum: rows are added in order, each
    /// column on its own, as the axis reduction adds them.
    ///
    /// ```
    /// use tessera_tensor::tensor;
    /// let y = tensor![[0.0f32, 2.0], [3.0, -1.0]];
    /// let g = tensor![[5.0f32, 6.0], [7.0, 8.0]];
    /// let (gz, gb) = y.relu_grad_and_bias_grad(&g).unwrap();
    /// assert_eq!(gz.to_vec(), vec![0.0, 6.0, 7.0, 0.0]);
    /// assert_eq!(gb.to_vec(), vec![7.0, 6.0]);
    /// ```
    pub fn relu_grad_and_bias_grad(&self, g: &Tensor<T>) -> Result<(Tensor<T>, Tensor<T>)> {
        let op = "relu_grad_and_bias_grad";
        let _span = crate::runtime::trace::span("relu grad");
        if self.ndim() != 2 || self.shape() != g.shape() {
            return Err(TensorError::Shape {
                op,
                shapes: vec![self.shape().to_vec(), g.shape().to_vec()],
                reason: "the layer output and its gradient must be the same [rows, cols]".into(),
            });
        }
        let cols = self.shape()[1];
        let fused = (self.as_slice(), g.as_slice());
        let (Some(y), Some(gv)) = fused else { return self.relu_grad_composed(g) };
        // One column is summed as one run (pairwise), not row by row: the composed ops do it.
        if cols < 2 || y.len() > FUSED_MAX_ELEMENTS {
            return self.relu_grad_composed(g);
        }
        let mut gz = alloc::for_overwrite::<T>(op, self.shape())?;
        let mut gb = alloc::zeroed::<T>(op, &[cols])?;
        let n = y.len();
        rows_on_isa(y, gv, &mut gz.spare_capacity_mut()[..n], &mut gb);
        // SAFETY: `for_overwrite` gave room for the shape's n elements and `rows_pass` wrote all
        // n: y, g and the n slots are the same whole rows of `cols` (equal shapes, checked above).
        unsafe { gz.set_len(n) };
        Ok((Tensor::from_vec(gz, self.shape())?, Tensor::from_vec(gb, &[cols])?))
    }

    /// [`Tensor::relu_grad_and_bias_grad`] from the element-wise op and the axis reduction.
    pub(crate) fn relu_grad_composed(&self, g: &Tensor<T>) -> Result<(Tensor<T>, Tensor<T>)> {
        let gz = self.zip_with("relu_grad_and_bias_grad", g, through_relu)?;
        let gb = gz.sum(&[0], false)?;
        Ok((gz, gb))
    }
}

#[cfg(test)]
mod tests {
    use crate::tensor::Tensor;
    use proptest::prelude::*;

    fn same<T: crate::dtype::FloatElement>(a: &Tensor<T>, b: &Tensor<T>) -> bool {
        a.shape() == b.shape()
            && a.iter().zip(b.iter()).all(|(x, y)| {
                if y.is_nan() { x.is_nan() } else { x == y && x.is_sign_negative() == y.is_sign_negative() }
            })
    }

    proptest! {
        /// The one pass equals the composed ops bit for bit: NaN and signed zeros in both
        /// inputs, any shape (empty included), f32 and f64.
        #[test]
        fn one_pass_equals_the_composed_ops(
            rows in 0usize..40,
            cols in 0usize..70,
            seed in any::<u64>(),
        ) {
            let mut rng = crate::Rng::seed(seed);
            let value = |r: &mut crate::Rng| match r.below(12) {
                0 => f32::NAN,
                1 => -0.0,
                2 => 0.0,
                3 => f32::INFINITY,
                _ => (r.uniform() * 2e3 - 1e3) as f32,
            };
            let y = Tensor::from_vec((0..rows * cols).map(|_| value(&mut rng)).collect(), &[rows, cols]).unwrap();
            let g = Tensor::from_vec((0..rows * cols).map(|_| value(&mut rng)).collect(), &[rows, cols]).unwrap();
            let (gz, gb) = y.relu_grad_and_bias_grad(&g).unwrap();
            let (wz, wb) = y.relu_grad_composed(&g).unwrap();
            prop_assert!(same(&gz, &wz) && same(&gb, &wb));
            let (y64, g64) = (y.astype::<f64>(), g.astype::<f64>());
            let (gz, gb) = y64.relu_grad_and_bias_grad(&g64).unwrap();
            let (wz, wb) = y64.relu_grad_composed(&g64).unwrap();
            prop_assert!(same(&gz, &wz) && same(&gb, &wb));
        }
    }

    #[test]
    fn views_and_bad_shapes() {
        let y = Tensor::from_vec((0..600).map(|i| (i % 7) as f32 - 3.0).collect(), &[20, 30]).unwrap();
        let g = Tensor::from_vec((0..600).map(|i| i as f32 * 0.25).collect(), &[20, 30]).unwrap();
        let (gz, gb) = y.transpose().relu_grad_and_bias_grad(&g.transpose()).unwrap();
        let (wz, wb) =
            y.transpose().to_contiguous().relu_grad_and_bias_grad(&g.transpose().to_contiguous()).unwrap();
        assert!(same(&gz, &wz) && same(&gb, &wb));
        let err = y.relu_grad_and_bias_grad(&g.transpose()).unwrap_err().to_string();
        assert!(
            err.contains("relu_grad_and_bias_grad") && err.contains("[20, 30]") && err.contains("[30, 20]"),
            "{err}"
        );
        assert!(Tensor::<f32>::zeros(&[3]).relu_grad_and_bias_grad(&Tensor::zeros(&[3])).is_err());
    }
}
