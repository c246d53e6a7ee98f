//! The naive tier: the book's loops (`naive_relu`, `naive_add`, `naive_add_matrix_and_vector`,
//! `naive_vector_dot`, `naive_matrix_vector_dot`, `naive_matrix_dot`), readable and never optimised, and the generic index-by-index
//! oracles every fast element-wise kernel is tested against.

use crate::dtype::Element;
use crate::error::{Result, TensorError};
use crate::layout::broadcast::broadcast_shapes;
use crate::tensor::Tensor;

fn two_d<T: Element>(op: &'static str, x: &Tensor<T>) -> Result<()> {
    if x.ndim() != 2 {
        return Err(TensorError::Invalid {
            op,
            shape: x.shape().to_vec(),
            reason: "expects a 2-D tensor".into(),
        });
    }
    Ok(())
}

/// The book's `naive_relu`: copy, then `x[i, j] = max(x[i, j], 0)` in two loops.
///
/// ```
/// use tessera_tensor::{ops::naive_relu, tensor};
/// assert_eq!(naive_relu(&tensor![[-1.0f32, 2.0]]).unwrap().to_vec(), vec![0.0, 2.0]);
/// ```
pub fn naive_relu(x: &Tensor<f32>) -> Result<Tensor<f32>> {
    two_d("naive_relu", x)?;
    let mut x = x.to_contiguous();
    for i in 0..x.shape()[0] {
        for j in 0..x.shape()[1] {
            let v = x[[i, j]];
            x.set(&[i as isize, j as isize], if v > 0.0 { v } else { 0.0 })?;
        }
    }
    Ok(x)
}

/// The book's `naive_add`: two same-shaped 2-D tensors, `x[i, j] += y[i, j]`.
pub fn naive_add(x: &Tensor<f32>, y: &Tensor<f32>) -> Result<Tensor<f32>> {
    two_d("naive_add", x)?;
    if x.shape() != y.shape() {
        return Err(TensorError::Shape {
            op: "naive_add",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "shapes must be equal".into(),
        });
    }
    let mut x = x.to_contiguous();
    for i in 0..x.shape()[0] {
        for j in 0..x.shape()[1] {
            let v = x[[i, j]] + y[[i, j]];
            x.set(&[i as isize, j as isize], v)?;
        }
    }
    Ok(x)
}

/// The book's `naive_add_matrix_and_vector`: `x[i, j] += y[j]`.
///
/// ```
/// use tessera_tensor::{ops::naive_add_matrix_and_vector, tensor};
/// let z = naive_add_matrix_and_vector(&tensor![[1.0f32, 2.0], [3.0, 4.0]], &tensor![10.0f32, 20.0]).unwrap();
/// assert_eq!(z.to_vec(), vec![11.0, 22.0, 13.0, 24.0]);
/// ```
pub fn naive_add_matrix_and_vector(x: &Tensor<f32>, y: &Tensor<f32>) -> Result<Tensor<f32>> {
    two_d("naive_add_matrix_and_vector", x)?;
    if y.ndim() != 1 || y.shape()[0] != x.shape()[1] {
        return Err(TensorError::Shape {
            op: "naive_add_matrix_and_vector",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "y must be 1-D with x.shape[1] elements".into(),
        });
    }
    let mut x = x.to_contiguous();
    for i in 0..x.shape()[0] {
        for j in 0..x.shape()[1] {
            let v = x[[i, j]] + y[[j]];
            x.set(&[i as isize, j as isize], v)?;
        }
    }
    Ok(x)
}

/// Oracle: `f` applied element by element through explicit multi-indices.
pub fn naive_map<T: Element, U: Element>(x: &Tensor<T>, f: impl Fn(T) -> U) -> Tensor<U> {
    let data = (0..x.size()).map(|flat| f(x.get(&unravel(flat, x.shape())).expect("in range"))).collect();
    Tensor::from_vec(data, x.shape()).expect("same size")
}

/// Oracle: broadcasting written out by hand (index `i` of a size-1 axis reads index 0).
pub fn naive_zip<T: Element, U: Element>(
    op: &'static str,
    a: &Tensor<T>,
    b: &Tensor<T>,
    f: impl Fn(T, T) -> U,
) -> Result<Tensor<U>> {
    let shape = broadcast_shapes(op, a.shape(), b.shape())?;
    let pick = |t: &Tensor<T>, idx: &[isize]| {
        let lead = idx.len() - t.ndim();
        let own: Vec<isize> =
            idx[lead..].iter().zip(t.shape()).map(|(&i, &d)| if d == 1 { 0 } else { i }).collect();
        t.get(&own).expect("in range")
    };
    let n: usize = shape.iter().product();
    let data = (0..n)
        .map(|flat| {
            let idx = unravel(flat, &shape);
            f(pick(a, &idx), pick(b, &idx))
        })
        .collect();
    Tensor::from_vec(data, &shape)
}

fn unravel(mut flat: usize, shape: &[usize]) -> Vec<isize> {
    let mut idx = vec![0isize; shape.len()];
    for ax in (0..shape.len()).rev() {
        idx[ax] = (flat % shape[ax]) as isize;
        flat /= shape[ax];
    }
    idx
}

fn vector<T: Element + num_traits::Float>(op: &'static str, t: &Tensor<T>) -> Result<()> {
    if t.ndim() != 1 {
        return Err(TensorError::Invalid {
            op,
            shape: t.shape().to_vec(),
            reason: "expects a 1-D tensor".into(),
        });
    }
    Ok(())
}

/// The book's `naive_vector_dot(x, y)`: `z = Σ x[i]·y[i]`.
///
/// ```
/// use tessera_tensor::{ops::naive_vector_dot, tensor};
/// assert_eq!(naive_vector_dot(&tensor![1.0f32, 2.0, 3.0], &tensor![4.0f32, 5.0, 6.0]).unwrap(), 32.0);
/// ```
pub fn naive_vector_dot<T: Element + num_traits::Float>(x: &Tensor<T>, y: &Tensor<T>) -> Result<T> {
    vector("naive_vector_dot", x)?;
    vector("naive_vector_dot", y)?;
    if x.shape() != y.shape() {
        return Err(TensorError::Shape {
            op: "naive_vector_dot",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "vectors must have the same length".into(),
        });
    }
    let mut z = T::zero();
    for i in 0..x.shape()[0] {
        z = z + x[[i]] * y[[i]];
    }
    Ok(z)
}

/// The book's `naive_matrix_vector_dot(x, y)`: `z[i] = Σ_j x[i, j]·y[j]`.
///
/// ```
/// use tessera_tensor::{ops::naive_matrix_vector_dot, tensor};
/// let z = naive_matrix_vector_dot(&tensor![[1.0f32, 2.0], [3.0, 4.0]], &tensor![1.0f32, 1.0]).unwrap();
/// assert_eq!(z.to_vec(), vec![3.0, 7.0]);
/// ```
pub fn naive_matrix_vector_dot<T: Element + num_traits::Float>(
    x: &Tensor<T>,
    y: &Tensor<T>,
) -> Result<Tensor<T>> {
    vector("naive_matrix_vector_dot", y)?;
    if x.ndim() != 2 || x.shape()[1] != y.shape()[0] {
        return Err(TensorError::Shape {
            op: "naive_matrix_vector_dot",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "x must be 2-D with x.shape[1] == y.shape[0]".into(),
        });
    }
    let mut z = vec![T::zero(); x.shape()[0]];
    for (i, zi) in z.iter_mut().enumerate() {
        for j in 0..x.shape()[1] {
            *zi = *zi + x[[i, j]] * y[[j]];
        }
    }
    Tensor::from_vec(z, &[x.shape()[0]])
}

/// The book's `naive_matrix_dot(x, y)`: each `z[i, j]` is the dot of row i of x and column j of y.
///
/// ```
/// use tessera_tensor::{ops::naive_matrix_dot, tensor};
/// let z = naive_matrix_dot(&tensor![[1.0f64, 2.0], [3.0, 4.0]], &tensor![[5.0, 6.0], [7.0, 8.0]]).unwrap();
/// assert_eq!(z.to_vec(), vec![19.0, 22.0, 43.0, 50.0]);
/// ```
pub fn naive_matrix_dot<T: Element + num_traits::Float>(x: &Tensor<T>, y: &Tensor<T>) -> Result<Tensor<T>> {
    if x.ndim() != 2 || y.ndim() != 2 || x.shape()[1] != y.shape()[0] {
        return Err(TensorError::Shape {
            op: "naive_matrix_dot",
            shapes: vec![x.shape().to_vec(), y.shape().to_vec()],
            reason: "needs 2-D x and y with x.shape[1] == y.shape[0]".into(),
        });
    }
    let (m, n) = (x.shape()[0], y.shape()[1]);
    let mut z = Vec::with_capacity(m * n);
    for i in 0..m {
        for j in 0..n {
            let row_x = x.slice(&[crate::layout::slice::SliceArg::Index(i as isize)])?;
            let column_y = y.slice(&crate::s![.., j as isize])?;
            z.push(naive_vector_dot(&row_x, &column_y)?);
        }
    }
    Tensor::from_vec(z, &[m, n])
}
