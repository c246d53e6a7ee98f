//! Constructors: filled, ranges, identity, and seeded random tensors.

use crate::dtype::Element;
use crate::error::{Result, TensorError};
use crate::tensor::Tensor;
use crate::tensor::random::Rng;

fn filled<T: Element>(op: &'static str, shape: &[usize], value: T) -> Result<Tensor<T>> {
    Tensor::from_vec(crate::runtime::alloc::filled(op, shape, value)?, shape)
}

/// The length of a 1-D range, refused when it is not a finite count a buffer can hold.
fn range_len(op: &'static str, count: f64) -> Result<usize> {
    if count < isize::MAX as f64 {
        return Ok(count as usize);
    }
    Err(TensorError::Invalid { op, shape: vec![], reason: format!("{count} elements is too many") })
}

impl<T: Element> Tensor<T> {
    /// A tensor of `value` everywhere (NumPy's `full`). Panics only if the shape's element count
    /// overflows; see [`Tensor::try_full`].
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::full(&[2, 2], 7i64);
    /// assert_eq!(t.to_vec(), vec![7, 7, 7, 7]);
    /// ```
    pub fn full(shape: &[usize], value: T) -> Tensor<T> {
        crate::error::or_panic(Self::try_full(shape, value))
    }

    /// Fallible [`Tensor::full`].
    pub fn try_full(shape: &[usize], value: T) -> Result<Tensor<T>> {
        filled("full", shape, value)
    }

    /// Zeros (`false` for bool).
    ///
    /// ```
    /// assert_eq!(tessera_tensor::Tensor::<f32>::zeros(&[3]).to_vec(), vec![0.0; 3]);
    /// ```
    pub fn zeros(shape: &[usize]) -> Tensor<T> {
        Self::full(shape, T::ZERO)
    }

    /// Ones (`true` for bool).
    pub fn ones(shape: &[usize]) -> Tensor<T> {
        Self::full(shape, T::ONE)
    }

    /// `0, 1, ..., n-1` (NumPy's `arange(n)`).
    ///
    /// ```
    /// assert_eq!(tessera_tensor::Tensor::<i32>::arange(4).to_vec(), vec![0, 1, 2, 3]);
    /// ```
    pub fn arange(n: usize) -> Tensor<T> {
        let data = (0..n).map(|i| T::from_f64(i as f64)).collect();
        Tensor::from_vec(data, &[n]).expect("length matches by construction")
    }

    /// `start, start+step, ...` while below `stop` (above, for a negative step), NumPy's
    /// `arange(start, stop, step)`: `ceil((stop - start) / step)` elements.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f64>::arange_step(1.0, 2.0, 0.25).unwrap();
    /// assert_eq!(t.to_vec(), vec![1.0, 1.25, 1.5, 1.75]);
    /// ```
    pub fn arange_step(start: f64, stop: f64, step: f64) -> Result<Tensor<T>> {
        if step == 0.0 || !step.is_finite() || !start.is_finite() || !stop.is_finite() {
            return Err(TensorError::Invalid {
                op: "arange",
                shape: vec![],
                reason: format!("start {start}, stop {stop}, step {step} do not make a finite range"),
            });
        }
        let n = range_len("arange", ((stop - start) / step).ceil().max(0.0))?;
        let mut data = crate::runtime::alloc::with_capacity("arange", &[n])?;
        data.extend((0..n).map(|i| T::from_f64(start + i as f64 * step)));
        Tensor::from_vec(data, &[n])
    }

    /// `n` evenly spaced values from `start` to `stop` inclusive (NumPy's `linspace`).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::linspace(0.0, 1.0, 5);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// ```
    ///
    /// Panics when `n` elements cannot be had; see [`Tensor::try_linspace`].
    pub fn linspace(start: f64, stop: f64, n: usize) -> Tensor<T> {
        crate::error::or_panic(Self::try_linspace(start, stop, n))
    }

    /// Fallible [`Tensor::linspace`]: an error when `n` elements cannot be had.
    pub fn try_linspace(start: f64, stop: f64, n: usize) -> Result<Tensor<T>> {
        let step = if n > 1 { (stop - start) / (n - 1) as f64 } else { 0.0 };
        let mut data = crate::runtime::alloc::filled("linspace", &[n], T::ZERO)?;
        for (i, v) in data.iter_mut().enumerate() {
            *v = T::from_f64(if i + 1 == n && n > 1 { stop } else { start + i as f64 * step });
        }
        Tensor::from_vec(data, &[n])
    }

    /// The `n x n` identity matrix (NumPy's `eye`).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<u8>::eye(2);
    /// assert_eq!(t.to_vec(), vec![1, 0, 0, 1]);
    /// ```
    ///
    /// Panics when `n·n` elements cannot be had; see [`Tensor::try_eye`].
    pub fn eye(n: usize) -> Tensor<T> {
        crate::error::or_panic(Self::try_eye(n))
    }

    /// Fallible [`Tensor::eye`]: an error when `n·n` overflows or cannot be had.
    pub fn try_eye(n: usize) -> Result<Tensor<T>> {
        let mut data = crate::runtime::alloc::zeroed("eye", &[n, n])?;
        for i in 0..n {
            data[i * n + i] = T::ONE;
        }
        Tensor::from_vec(data, &[n, n])
    }
}

impl<T: Element + num_traits::Float> Tensor<T> {
    /// Uniform samples in `[low, high)` from a seeded [`Rng`]; the same seed gives the same tensor
    /// on every platform and version of Tessera.
    ///
    /// ```
    /// use tessera_tensor::{Rng, Tensor};
    /// let a = Tensor::<f32>::rand_uniform(&[3], -1.0, 1.0, &mut Rng::seed(7));
    /// let b = Tensor::<f32>::rand_uniform(&[3], -1.0, 1.0, &mut Rng::seed(7));
    /// assert_eq!(a, b);
    /// assert!(a.iter().all(|x| (-1.0..1.0).contains(&x)));
    /// ```
    pub fn rand_uniform(shape: &[usize], low: f64, high: f64, rng: &mut Rng) -> Tensor<T> {
        let mut data = crate::error::or_panic(crate::runtime::alloc::zeroed("rand_uniform", shape));
        data.iter_mut().for_each(|v| *v = T::from_f64(low + (high - low) * rng.uniform()));
        crate::error::or_panic(Tensor::from_vec(data, shape))
    }

    /// Normal samples with the given mean and standard deviation (Box-Muller, see [`Rng::normal`]).
    pub fn rand_normal(shape: &[usize], mean: f64, std: f64, rng: &mut Rng) -> Tensor<T> {
        let mut data = crate::error::or_panic(crate::runtime::alloc::zeroed("rand_normal", shape));
        data.iter_mut().for_each(|v| *v = T::from_f64(mean + std * rng.normal()));
        crate::error::or_panic(Tensor::from_vec(data, shape))
    }
}
