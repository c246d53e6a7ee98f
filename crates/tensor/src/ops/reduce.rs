//! Reductions: sum, prod, max, min over all axes or a set of axes (with `keepdims`), argmax /
//! argmin (ties → first index, NaN wins like NumPy), mean / var / std for floats.
//!
//! Full reductions of a contiguous run use NumPy's pairwise scheme (`fold.rs`), so the rounding
//! error grows like O(log n), not O(n), and the result is the same for any thread count.
//!
//! Axis reductions walk the input with the output broadcast over it (stride 0 on the reduced
//! axes): an inner run with output stride 0 folds to one value; an inner run with output stride 1
//! accumulates row into row with the SIMD `arith_run` kernel.

use super::arith::{Arith, Operand, Store};
use super::fold::split_pairwise;
use crate::dtype::{FloatElement, NumElement};
use crate::error::{Result, TensorError};
use crate::layout::shape::{normalize_axes, normalize_axis, row_major_strides};
use crate::layout::strided_iter::Runs;
use crate::runtime::fork::min_work;
use crate::tensor::Tensor;

/// Which fold a reduction performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduce {
    /// Σ
    Sum,
    /// Π
    Prod,
    /// max (NaN propagates)
    Max,
    /// min (NaN propagates)
    Min,
}

impl Reduce {
    fn arith(self) -> Arith {
        match self {
            Reduce::Sum => Arith::Add,
            Reduce::Prod => Arith::Mul,
            Reduce::Max => Arith::Max,
            Reduce::Min => Arith::Min,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Reduce::Sum => "sum",
            Reduce::Prod => "prod",
            Reduce::Max => "max",
            Reduce::Min => "min",
        }
    }
}

const PARALLEL_MIN: usize = super::walk::PARALLEL_MIN_ELEMENTS;

/// Pairwise fold of a non-empty contiguous run (`fold.rs`); the top levels of the tree run in
/// parallel.
pub(crate) fn fold_pairwise<T: NumElement>(x: &[T], f: impl Fn(T, T) -> T + Copy + Send + Sync) -> T {
    match split_pairwise(x) {
        Some((l, r)) if x.len() >= min_work(PARALLEL_MIN, super::walk::PARALLEL_MIN_ELEMENTS_OUTSIDE) => {
            let (a, b) = rayon::join(|| fold_pairwise(l, f), || fold_pairwise(r, f));
            f(a, b)
        }
        // SAFETY: `simd::isa()` only returns tiers this CPU has.
        _ => unsafe { super::run_isa::fold_on(crate::simd::isa(), x, f) },
    }
}

/// [`fold_pairwise`] with the op fixed at compile time, so each inner loop is branch-free and
/// vectorises (a runtime `op` inside the loop would block that).
pub(crate) fn fold_op<T: NumElement>(op: Arith, x: &[T]) -> T {
    match op {
        Arith::Add => fold_pairwise(x, |a, b| T::arith(Arith::Add, a, b)),
        Arith::Sub => fold_pairwise(x, |a, b| T::arith(Arith::Sub, a, b)),
        Arith::Mul => fold_pairwise(x, |a, b| T::arith(Arith::Mul, a, b)),
        Arith::Div => fold_pairwise(x, |a, b| T::arith(Arith::Div, a, b)),
        Arith::Max => fold_pairwise(x, |a, b| T::arith(Arith::Max, a, b)),
        Arith::Min => fold_pairwise(x, |a, b| T::arith(Arith::Min, a, b)),
    }
}

fn identity<T: NumElement>(r: Reduce) -> Option<T> {
    match r {
        Reduce::Sum => Some(T::ZERO),
        Reduce::Prod => Some(T::ONE),
        Reduce::Max | Reduce::Min => None,
    }
}

impl<T: NumElement> Tensor<T> {
    /// Integer sums and products wrap in a fixed-width type, where NumPy would widen the
    /// accumulator: refuse one whose result does not fit, rather than return a wrapped number.
    /// Cheap when `count · max|x|` (or `max|x|^count`) fits; otherwise the reduction is redone
    /// in f64 to see whether the true results fit (exact for uint8 and int32).
    fn check_integer_range(&self, r: Reduce, axes: Option<&[usize]>, count: usize) -> Result<()> {
        let is_float = matches!(T::DTYPE, crate::dtype::DType::F32 | crate::dtype::DType::F64);
        if is_float || !matches!(r, Reduce::Sum | Reduce::Prod) || self.is_empty() || count <= 1 {
            return Ok(());
        }
        let limit = match T::DTYPE {
            crate::dtype::DType::U8 => u8::MAX as f64,
            crate::dtype::DType::I32 => i32::MAX as f64,
            // The largest f64 below 2^63 (i64::MAX itself rounds up to 2^63).
            _ => 9_223_372_036_854_774_784.0,
        };
        let (lo, hi) = (self.reduce_all(Reduce::Min)?.to_f64(), self.reduce_all(Reduce::Max)?.to_f64());
        let big = lo.abs().max(hi.abs());
        let bound = if r == Reduce::Sum { big * count as f64 } else { big.powf(count as f64) };
        if bound <= limit {
            return Ok(());
        }
        let wide = self.map(|v| v.to_f64());
        let worst = match axes {
            None => wide.reduce_all(r)?.abs(),
            Some(a) => {
                let a: Vec<isize> = a.iter().map(|&x| x as isize).collect();
                wide.reduce_axes(r, &a, false)?.iter().fold(0.0, |m, v| f64::max(m, v.abs()))
            }
        };
        if worst <= limit {
            return Ok(());
        }
        Err(TensorError::Invalid {
            op: r.name(),
            shape: self.shape().to_vec(),
            reason: format!(
                "the {} reaches {worst}, which does not fit {} (NumPy widens the accumulator): \
                 convert first, e.g. astype::<i64>() or astype::<f64>()",
                r.name(),
                T::DTYPE
            ),
        })
    }

    /// Reduces over every element. Errors for max/min of an empty tensor (no identity), and for an
    /// integer sum or product that may not fit its type.
    pub fn reduce_all(&self, r: Reduce) -> Result<T> {
        self.check_integer_range(r, None, self.size())?;
        let op = r.arith();
        if self.is_empty() {
            return identity(r).ok_or_else(|| TensorError::Invalid {
                op: r.name(),
                shape: self.shape().to_vec(),
                reason: "zero-size tensor has no identity for this reduction".into(),
            });
        }
        Ok(match self.as_slice() {
            Some(s) => fold_op(op, s),
            None => fold_op(op, &self.to_vec()),
        })
    }

    /// Reduces over `axes` (negative allowed, no repeats); `keepdims` keeps them as length 1.
    /// An empty `axes` list reduces nothing (NumPy's `axis=()`); use [`Tensor::reduce_all`] or the
    /// `*_all` methods for NumPy's `axis=None`.
    pub fn reduce_axes(&self, r: Reduce, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        let axes = normalize_axes(r.name(), self.shape(), axes)?;
        let mut reduced = vec![false; self.ndim()];
        for &a in &axes {
            reduced[a] = true;
        }
        let kept: Vec<usize> =
            self.shape().iter().zip(&reduced).map(|(&d, &r)| if r { 1 } else { d }).collect();
        let n_out = crate::layout::shape::checked_size(&kept).unwrap_or(usize::MAX);
        let reduced_dims: Vec<usize> = axes.iter().map(|&a| self.shape()[a]).collect();
        let per_output = crate::layout::shape::checked_size(&reduced_dims).unwrap_or(usize::MAX);
        self.check_integer_range(r, Some(&axes), per_output)?;
        let init = match identity(r) {
            Some(v) => v,
            None if self.is_empty() && n_out > 0 => {
                return Err(TensorError::Axis {
                    op: r.name(),
                    shape: self.shape().to_vec(),
                    axis: axes.first().map(|&a| a as isize).unwrap_or(0),
                    reason: "zero-size reduction has no identity".into(),
                });
            }
            None => T::ZERO,
        };
        let mut out = crate::runtime::alloc::filled(r.name(), &kept, init)?;
        let mut ostr = row_major_strides(&kept);
        for (s, &r) in ostr.iter_mut().zip(&reduced) {
            if r {
                *s = 0;
            }
        }
        // max/min have no identity: seed each output with the first element it will see.
        if identity::<T>(r).is_none() && !self.is_empty() {
            let idx: Vec<crate::layout::slice::SliceArg> = reduced
                .iter()
                .map(|&r| {
                    if r {
                        crate::layout::slice::SliceArg::Index(0)
                    } else {
                        crate::layout::slice::SliceArg::from(..)
                    }
                })
                .collect();
            out = self.slice(&idx)?.to_vec();
        }
        let op = r.arith();
        let l = self.layout();
        let runs = Runs::new(self.shape(), [&ostr, l.strides()], [0, l.offset()]);
        let n = runs.inner_len();
        let [so, sx] = runs.inner_strides();
        let x = self.storage();
        runs.for_each(|[o, xo]| {
            if so == 0 && sx == 1 {
                let v = fold_op(op, &x[xo..xo + n]);
                out[o] = T::arith(op, out[o], v);
            } else if so == 1 && sx == 1 {
                let dst = out[o..o + n].as_mut_ptr();
                // SAFETY: both runs hold n elements; the output run is read then written in place.
                unsafe {
                    T::arith_run(op, Operand::Run(dst), Operand::Run(x[xo..].as_ptr()), dst, n, Store::Cached)
                };
            } else {
                for i in 0..n {
                    let oi = (o as isize + i as isize * so) as usize;
                    out[oi] = T::arith(op, out[oi], x[(xo as isize + i as isize * sx) as usize]);
                }
            }
        });
        let shape: Vec<usize> = if keepdims {
            kept
        } else {
            self.shape().iter().zip(&reduced).filter(|&(_, &r)| !r).map(|(&d, _)| d).collect()
        };
        Tensor::from_vec(out, &shape)
    }

    /// Sum of all elements (pairwise). Panics, with the message [`Tensor::reduce_all`] returns,
    /// for an integer sum that may not fit its type.
    ///
    /// ```
    /// assert_eq!(tessera_tensor::Tensor::<f32>::arange(5).sum_all(), 10.0);
    /// ```
    pub fn sum_all(&self) -> T {
        crate::error::or_panic(self.reduce_all(Reduce::Sum))
    }
    /// Sum over axes.
    ///
    /// ```
    /// let x = tessera_tensor::tensor![[1.0f32, 2.0], [3.0, 4.0]];
    /// assert_eq!(x.sum(&[0], false).unwrap().to_vec(), vec![4.0, 6.0]);
    /// assert_eq!(x.sum(&[-1], true).unwrap().shape(), &[2, 1]);
    /// ```
    pub fn sum(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        self.reduce_axes(Reduce::Sum, axes, keepdims)
    }
    /// Product of all elements.
    pub fn prod_all(&self) -> T {
        crate::error::or_panic(self.reduce_all(Reduce::Prod))
    }
    /// Product over axes.
    pub fn prod(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        self.reduce_axes(Reduce::Prod, axes, keepdims)
    }
    /// Largest element (NaN if any is NaN); an error for an empty tensor.
    pub fn max_all(&self) -> Result<T> {
        self.reduce_all(Reduce::Max)
    }
    /// Max over axes.
    pub fn max(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        self.reduce_axes(Reduce::Max, axes, keepdims)
    }
    /// Smallest element (NaN if any is NaN); an error for an empty tensor.
    pub fn min_all(&self) -> Result<T> {
        self.reduce_all(Reduce::Min)
    }
    /// Min over axes.
    pub fn min(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        self.reduce_axes(Reduce::Min, axes, keepdims)
    }

    fn arg_best(
        &self,
        axis: Option<isize>,
        op: &'static str,
        better: impl Fn(T, T) -> bool + Copy,
    ) -> Result<Tensor<i64>> {
        // The rows to search, each `len` long: the storage itself when contiguous and the axis
        // is the last one (a classifier's `[batch, classes]`), else a copy in that order.
        let (rows, len, shape): (std::borrow::Cow<[T]>, _, _) = match axis {
            None => (self.as_slice().map_or_else(|| self.to_vec().into(), Into::into), self.size(), vec![]),
            Some(a) => {
                let ax = normalize_axis(op, self.shape(), a)?;
                let mut shape = self.shape().to_vec();
                let len = shape.remove(ax);
                let rows = match self.as_slice() {
                    Some(s) if ax + 1 == self.ndim() => s.into(),
                    _ => {
                        let mut perm: Vec<isize> =
                            (0..self.ndim() as isize).filter(|&i| i != ax as isize).collect();
                        perm.push(ax as isize);
                        self.permute(&perm)?.to_vec().into()
                    }
                };
                (rows, len, shape)
            }
        };
        if len == 0 {
            return Err(TensorError::Invalid {
                op,
                shape: self.shape().to_vec(),
                reason: "attempt to get the arg of an empty sequence".into(),
            });
        }
        let out: Vec<i64> = rows
            .chunks_exact(len)
            .map(|row| {
                // The first NaN, else the first element equal to the best value: the index a
                // scan that moves only on a strictly better element or a first NaN ends on, in
                // passes without a data-dependent branch per element.
                #[allow(clippy::eq_op)] // v != v is the NaN test for any element type
                if let Some(i) = row.iter().position(|&v| v != v) {
                    return i as i64;
                }
                let best = row[1..].iter().fold(row[0], |b, &v| if better(v, b) { v } else { b });
                row.iter().position(|&v| v == best).unwrap_or(0) as i64
            })
            .collect();
        Tensor::from_vec(out, &shape)
    }

    /// Index of the largest element along `axis` (flat index for `None`); ties go to the first,
    /// and the first NaN wins, as in NumPy.
    ///
    /// ```
    /// let x = tessera_tensor::tensor![[1.0f32, 5.0, 5.0], [7.0, 0.0, 7.0]];
    /// assert_eq!(x.argmax(Some(1)).unwrap().to_vec(), vec![1, 0]);
    /// assert_eq!(x.argmax(None).unwrap().item().unwrap(), 3);
    /// ```
    pub fn argmax(&self, axis: Option<isize>) -> Result<Tensor<i64>> {
        self.arg_best(axis, "argmax", |a, b| a > b)
    }
    /// Index of the smallest element along `axis`; ties to the first, NaN wins.
    pub fn argmin(&self, axis: Option<isize>) -> Result<Tensor<i64>> {
        self.arg_best(axis, "argmin", |a, b| a < b)
    }
}

impl<T: FloatElement> Tensor<T> {
    fn count(&self, axes: &[isize]) -> Result<T> {
        let axes = normalize_axes("mean", self.shape(), axes)?;
        Ok(T::from(axes.iter().map(|&a| self.shape()[a]).product::<usize>())
            .expect("count fits the float type"))
    }
    /// Arithmetic mean of all elements (NaN for an empty tensor, like NumPy).
    pub fn mean_all(&self) -> T {
        self.sum_all() / T::from(self.size()).expect("size fits the float type")
    }
    /// Mean over axes.
    ///
    /// ```
    /// let x = tessera_tensor::tensor![[1.0f64, 2.0], [3.0, 4.0]];
    /// assert_eq!(x.mean(&[0], false).unwrap().to_vec(), vec![2.0, 3.0]);
    /// ```
    pub fn mean(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        let n = self.count(axes)?;
        let mut s = self.sum(axes, keepdims)?;
        s.arith_assign(&Tensor::scalar(n), Arith::Div)?;
        Ok(s)
    }
    /// Population variance (`ddof = 0`) over axes: `mean(|x - mean(x)|²)`.
    pub fn var(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        let m = self.mean(axes, true)?;
        let mut d = self.try_sub(&m)?;
        d.square_inplace();
        d.mean(axes, keepdims)
    }
    /// Standard deviation (`ddof = 0`) over axes.
    pub fn std(&self, axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
        let mut v = self.var(axes, keepdims)?;
        v.sqrt_inplace();
        Ok(v)
    }
}
