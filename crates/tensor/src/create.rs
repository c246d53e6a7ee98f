//! Constructors: filled, ranges, identity, and seeded random tensors.

use crate::dtype::Element;
use crate::error::{Result, TensorError};
use crate::random::Rng;
use crate::shape::checked_size;
use crate::tensor::Tensor;

fn filled<T: Element>(op: &'static str, shape: &[usize], value: T) -> Result<Tensor<T>> {
    let n = checked_size(shape).ok_or_else(|| TensorError::Invalid {
        op,
        shape: shape.to_vec(),
        reason: "element count overflows isize".into(),
    })?;
    Tensor::from_vec(vec![value; n], shape)
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
        let n = ((stop - start) / step).ceil().max(0.0) as usize;
        let data = (0..n).map(|i| T::from_f64(start + i as f64 * step)).collect();
        Tensor::from_vec(data, &[n])
    }

    /// `n` evenly spaced values from `start` to `stop` inclusive (NumPy's `linspace`).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::linspace(0.0, 1.0, 5);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// ```
    pub fn linspace(start: f64, stop: f64, n: usize) -> Tensor<T> {
        let step = if n > 1 { (stop - start) / (n - 1) as f64 } else { 0.0 };
        let data = (0..n)
            .map(|i| T::from_f64(if i + 1 == n && n > 1 { stop } else { start + i as f64 * step }))
            .collect();
        Tensor::from_vec(data, &[n]).expect("length matches by construction")
    }

    /// The `n x n` identity matrix (NumPy's `eye`).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<u8>::eye(2);
    /// assert_eq!(t.to_vec(), vec![1, 0, 0, 1]);
    /// ```
    pub fn eye(n: usize) -> Tensor<T> {
        let mut data = vec![T::ZERO; n * n];
        for i in 0..n {
            data[i * n + i] = T::ONE;
        }
        Tensor::from_vec(data, &[n, n]).expect("length matches by construction")
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
        let n = shape.iter().product();
        let data = (0..n).map(|_| T::from_f64(low + (high - low) * rng.uniform())).collect();
        Tensor::from_vec(data, shape).expect("length matches by construction")
    }

    /// Normal samples with the given mean and standard deviation (Box-Muller, see [`Rng::normal`]).
    pub fn rand_normal(shape: &[usize], mean: f64, std: f64, rng: &mut Rng) -> Tensor<T> {
        let n = shape.iter().product();
        let data = (0..n).map(|_| T::from_f64(mean + std * rng.normal())).collect();
        Tensor::from_vec(data, shape).expect("length matches by construction")
    }
}
