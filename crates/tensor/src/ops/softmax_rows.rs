//! Softmax and log-softmax over the last axis of a contiguous tensor, one row at a time: the
//! case of a classifier's `[batch, classes]` logits.
//!
//! The composed path (`softmax.rs`) makes five passes and five tensors (max, subtract, exp, sum,
//! log or divide), each a strided walk with its own dispatch: for MNIST's 128×10 logits that is
//! ~10 µs of set-up around 1,280 exponentials. Here the rows go through the same steps in one
//! output buffer and one scratch buffer, with the same scalar operations and the same kernels (the
//! max and the sum fold each row inline as the axis reduction folds a run, `exp` and `ln` are one
//! call each of the SIMD runs over all the rows), so the results are bit for bit those of the
//! composed path; the tests compare the two.

use super::arith::Arith;
use super::arith::Store;
use super::fold::{BLOCK as FOLD_BLOCK, fold_block};
use super::reduce::fold_op;
use super::unary_float::UnaryFloat;
use crate::dtype::FloatElement;
use crate::error::Result;
use crate::runtime::alloc;
use crate::tensor::Tensor;

/// Which of the two functions a row computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowFn {
    /// `exp(x - max) / sum(exp(x - max))`
    Softmax,
    /// `(x - max) - ln(sum(exp(x - max)))`
    LogSoftmax,
}

/// Above this many elements in all, the rows are split among the threads (in tasks of about a
/// quarter of this many elements).
const PARALLEL_MIN_ELEMENTS: usize = 1 << 16;

/// `f` over the last axis of `x`, if `axis` names it and `x` is contiguous and not empty; `None`
/// sends the caller to the composed path (any other axis or layout, and every error).
pub(crate) fn last_axis<T: FloatElement>(x: &Tensor<T>, axis: isize, f: RowFn) -> Result<Option<Tensor<T>>> {
    let nd = x.ndim() as isize;
    let last = axis == -1 || (nd > 0 && axis == nd - 1);
    let Some(src) = x.as_slice().filter(|s| last && !s.is_empty()) else { return Ok(None) };
    let n = x.shape()[x.ndim() - 1];
    let op = if f == RowFn::Softmax { "softmax" } else { "log_softmax" };
    let mut out = alloc::zeroed::<T>(op, x.shape())?;
    let min =
        crate::runtime::fork::min_work(PARALLEL_MIN_ELEMENTS, super::walk::PARALLEL_MIN_ELEMENTS_OUTSIDE);
    if src.len() >= min && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        let rows_per_task = (PARALLEL_MIN_ELEMENTS / 4 / n).max(1);
        out.par_chunks_mut(rows_per_task * n)
            .zip(src.par_chunks(rows_per_task * n))
            .for_each(|(o, s)| rows(s, o, n, f));
    } else {
        rows(src, &mut out, n, f);
    }
    Tensor::from_vec(out, x.shape()).map(Some)
}

/// `f` over each `n`-long row of `src` into the same row of `out`: the per-row folds inline,
/// `exp` and `ln` each one kernel call over all the rows (a call per row costs more than a
/// row of ten).
fn rows<T: FloatElement>(src: &[T], out: &mut [T], n: usize, f: RowFn) {
    let count = src.len() / n;
    let mut sums = Vec::with_capacity(count);
    for (x, z) in src.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        // The axis max as `max(axis, keepdims)` computes it (first element, then the row's
        // fold), non-finite maxima shifted by 0 (`stable_shift`).
        let m = T::arith(Arith::Max, x[0], fold(Arith::Max, x));
        let m = if m.is_finite() { m } else { T::zero() };
        for (z, &x) in z.iter_mut().zip(x) {
            *z = T::arith(Arith::Sub, x, m);
        }
    }
    let mut e = vec![T::zero(); src.len()];
    unary(UnaryFloat::Exp, out, &mut e);
    // The axis sum: the identity, plus the row's fold.
    sums.extend(e.chunks_exact(n).map(|e| T::arith(Arith::Add, T::zero(), fold(Arith::Add, e))));
    match f {
        RowFn::Softmax => {
            for ((y, e), &s) in out.chunks_exact_mut(n).zip(e.chunks_exact(n)).zip(&sums) {
                for (y, &e) in y.iter_mut().zip(e) {
                    *y = T::arith(Arith::Div, e, s);
                }
            }
        }
        RowFn::LogSoftmax => {
            unary_in_place(UnaryFloat::Ln, &mut sums);
            for (z, &l) in out.chunks_exact_mut(n).zip(&sums) {
                for z in z.iter_mut() {
                    *z = T::arith(Arith::Sub, *z, l);
                }
            }
        }
    }
}

/// The fold the axis reductions apply to a contiguous run (`fold_op`): one block inline, longer
/// runs pairwise.
#[inline(always)]
fn fold<T: FloatElement>(op: Arith, x: &[T]) -> T {
    if x.len() <= FOLD_BLOCK { fold_block(x, |a, b| T::arith(op, a, b)) } else { fold_op(op, x) }
}

/// `out[i] = op(x[i])` with the kernel `Tensor::unary` runs.
fn unary<T: FloatElement>(op: UnaryFloat, x: &[T], out: &mut [T]) {
    assert_eq!(x.len(), out.len(), "unary: input and output rows differ in length");
    // SAFETY: `x` holds x.len() readable values and `out` as many writable ones (asserted).
    unsafe { T::unary_run(op, x.as_ptr(), out.as_mut_ptr(), x.len(), Store::Cached) }
}

/// `x[i] = op(x[i])` with the kernel `Tensor::unary_inplace` runs.
fn unary_in_place<T: FloatElement>(op: UnaryFloat, x: &mut [T]) {
    let p = x.as_mut_ptr();
    // SAFETY: `p` holds x.len() values, read and written; the kernel allows input == output.
    unsafe { T::unary_run(op, p, p, x.len(), Store::Cached) }
}

#[cfg(test)]
mod tests {
    use crate::tensor::Tensor;
    use proptest::prelude::*;

    /// Same bits, NaN for NaN (a NaN's payload is not compared).
    fn assert_same<T: crate::dtype::FloatElement + std::fmt::Debug>(
        got: &Tensor<T>,
        want: &Tensor<T>,
        what: &str,
    ) {
        assert_eq!(got.shape(), want.shape(), "{what}");
        for (i, (g, w)) in got.iter().zip(want.iter()).enumerate() {
            let same =
                if w.is_nan() { g.is_nan() } else { g == w && g.is_sign_negative() == w.is_sign_negative() };
            assert!(same, "{what}: element {i}: {g:?} against {w:?}");
        }
    }

    /// Logits with the edges mixed in: infinities (whole rows of -inf too), NaN, zeros, and
    /// magnitudes where `exp` overflows or underflows.
    fn logits() -> impl Strategy<Value = (Vec<usize>, Vec<f32>)> {
        let value = prop_oneof![
            8 => -30.0f32..30.0,
            1 => prop::sample::select(vec![
                f32::INFINITY, f32::NEG_INFINITY, f32::NAN, 0.0, -0.0, 1e30, -1e30, 88.0, -104.0,
            ]),
        ];
        (1usize..4, 1usize..40, 1usize..6).prop_flat_map(move |(rows, cols, lead)| {
            let shape = if lead > 3 { vec![lead - 3, rows, cols] } else { vec![rows * lead, cols] };
            let n: usize = shape.iter().product();
            (Just(shape), prop::collection::vec(value.clone(), n))
        })
    }

    proptest! {
        #[test]
        fn rows_equal_the_composed_ops((shape, data) in logits(), neg_inf_row in any::<bool>()) {
            let mut data = data;
            if neg_inf_row {
                let cols = shape[shape.len() - 1];
                data[..cols].fill(f32::NEG_INFINITY);
            }
            let x = Tensor::from_vec(data, &shape).unwrap();
            for axis in [-1, shape.len() as isize - 1] {
                assert_same(&x.softmax(axis).unwrap(), &x.softmax_composed(axis).unwrap(), "softmax");
                assert_same(&x.log_softmax(axis).unwrap(), &x.log_softmax_composed(axis).unwrap(), "log_softmax");
            }
            // f64 takes the same path with its own kernels.
            let x64 = x.astype::<f64>();
            assert_same(&x64.log_softmax(-1).unwrap(), &x64.log_softmax_composed(-1).unwrap(), "f64 log_softmax");
            assert_same(&x64.softmax(-1).unwrap(), &x64.softmax_composed(-1).unwrap(), "f64 softmax");
        }
    }

    /// Large inputs split their rows among the threads: the same bits as the composed ops on
    /// 1 and 2 threads, and other axes and layouts still take (and equal) the composed path.
    #[test]
    fn many_rows_another_axis_and_a_transpose() {
        let n = 9_000 * 10;
        let x = Tensor::from_vec(
            (0..n).map(|i| ((i * 7919) % 1000) as f32 / 37.0 - 13.0).collect(),
            &[9_000, 10],
        )
        .unwrap();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                assert_same(&x.log_softmax(-1).unwrap(), &x.log_softmax_composed(-1).unwrap(), "log_softmax");
                assert_same(&x.softmax(1).unwrap(), &x.softmax_composed(1).unwrap(), "softmax");
            });
        }
        let t = x.transpose();
        assert_same(&t.softmax(-1).unwrap(), &t.to_contiguous().softmax(-1).unwrap(), "transposed view");
        assert_same(&x.softmax(0).unwrap(), &x.softmax_composed(0).unwrap(), "axis 0");
        assert!(x.softmax(2).is_err() && x.log_softmax(-3).is_err());
        let empty = Tensor::<f32>::zeros(&[0, 10]);
        assert_eq!(empty.log_softmax(-1).unwrap().shape(), &[0, 10]);
    }
}
