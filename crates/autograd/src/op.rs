//! The closed set of primitive ops and their backward rules, all in one place.
//!
//! Each rule receives the node's output value `y`, its parents' values and the upstream gradient
//! `g = ∂L/∂y`, and returns `∂L/∂parent` for every parent (the walk in `backward.rs` skips parents
//! that need none). Forward ops broadcast; [`sum_to_shape`] sums a gradient back over broadcast
//! axes, the one place that rule lives.

use crate::error::Result;
use crate::real::Real;
use tessera_tensor::ops::Arith;
use tessera_tensor::{SliceArg, Tensor};

/// A primitive operation recorded in the graph.
#[derive(Clone)]
pub(crate) enum Op<T: Real> {
    Leaf,
    Add,
    Sub,
    Mul,
    Div,
    Neg,
    /// `x^p` for a scalar exponent.
    PowScalar(T),
    Exp,
    Ln,
    Sqrt,
    /// `|x|`; the gradient is `sign(x)` (0 at 0, as TensorFlow's).
    Abs,
    Relu,
    Sigmoid,
    Tanh,
    /// `min(max(x, lo), hi)`; the gradient passes where x is inside [lo, hi].
    Clip(T, T),
    /// Batched matrix product of two operands of rank >= 2.
    MatMul,
    /// `x·w + b`, then ReLU if set: a Dense layer fused into one GEMM (parents x, w, b).
    Linear {
        relu: bool,
    },
    Sum {
        axes: Vec<isize>,
        keepdims: bool,
    },
    Mean {
        axes: Vec<isize>,
        keepdims: bool,
    },
    Max {
        axes: Vec<isize>,
        keepdims: bool,
    },
    Reshape,
    Permute(Vec<isize>),
    BroadcastTo,
    Slice(Vec<SliceArg>),
    Concat {
        axis: isize,
    },
    Softmax(isize),
    LogSoftmax(isize),
    /// Mean over the batch of `-Σ t·log softmax(z)` along the last axis; saves softmax(z).
    SoftmaxCrossEntropy {
        probs: Tensor<T>,
    },
}

impl<T: Real> Op<T> {
    /// Short name for errors and DOT graphs.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Op::Leaf => "leaf",
            Op::Add => "add",
            Op::Sub => "sub",
            Op::Mul => "mul",
            Op::Div => "div",
            Op::Neg => "neg",
            Op::PowScalar(_) => "pow",
            Op::Exp => "exp",
            Op::Ln => "ln",
            Op::Sqrt => "sqrt",
            Op::Abs => "abs",
            Op::Relu => "relu",
            Op::Sigmoid => "sigmoid",
            Op::Tanh => "tanh",
            Op::Clip(..) => "clip",
            Op::MatMul => "matmul",
            Op::Linear { relu: false } => "linear",
            Op::Linear { relu: true } => "linear_relu",
            Op::Sum { .. } => "sum",
            Op::Mean { .. } => "mean",
            Op::Max { .. } => "max",
            Op::Reshape => "reshape",
            Op::Permute(_) => "permute",
            Op::BroadcastTo => "broadcast_to",
            Op::Slice(_) => "slice",
            Op::Concat { .. } => "concatenate",
            Op::Softmax(_) => "softmax",
            Op::LogSoftmax(_) => "log_softmax",
            Op::SoftmaxCrossEntropy { .. } => "softmax_cross_entropy",
        }
    }

    /// `∂L/∂parent` for each parent, given the output `y`, parent values `x` and `g = ∂L/∂y`.
    ///
    /// `needs[i]` says whether parent i wants a gradient; rules skip expensive work for the
    /// others (a matmul against a constant input computes only the weight's gradient) and return
    /// an empty tensor in that slot, which the walk ignores.
    pub(crate) fn backward(
        &self,
        y: &Tensor<T>,
        x: &[Tensor<T>],
        g: &Tensor<T>,
        needs: &[bool],
    ) -> Result<Vec<Tensor<T>>> {
        let one = T::one();
        let skip = || Tensor::zeros(&[0]);
        Ok(match self {
            Op::Leaf => vec![],
            Op::Add => vec![sum_to_shape(g, x[0].shape())?, sum_to_shape(g, x[1].shape())?],
            Op::Sub => vec![sum_to_shape(g, x[0].shape())?, sum_to_shape(&g.neg(), x[1].shape())?],
            // d(ab) = b da + a db
            Op::Mul => vec![
                sum_to_shape(&g.try_mul(&x[1])?, x[0].shape())?,
                sum_to_shape(&g.try_mul(&x[0])?, x[1].shape())?,
            ],
            // d(a/b) = da/b - a db/b² = da/b - y db/b
            Op::Div => {
                let ga = g.try_div(&x[1])?;
                let gb = ga.try_mul(y)?.neg();
                vec![sum_to_shape(&ga, x[0].shape())?, sum_to_shape(&gb, x[1].shape())?]
            }
            Op::Neg => vec![g.neg()],
            // d(x^p) = p x^(p-1)
            Op::PowScalar(p) => vec![g.try_mul(&x[0].powf(*p - one).arith_scalar(*p, Arith::Mul))?],
            // d e^x = e^x = y
            Op::Exp => vec![g.try_mul(y)?],
            Op::Ln => vec![g.try_div(&x[0])?],
            // d sqrt(x) = 1 / (2 sqrt(x))
            Op::Sqrt => vec![g.try_div(&y.arith_scalar(T::from(2.0).unwrap(), Arith::Mul))?],
            // d|x| = sign(x)
            Op::Abs => vec![g.try_mul(&x[0].sign())?],
            Op::Relu => {
                vec![x[0].zip_with("relu_backward", g, |x, g| if x > T::zero() { g } else { T::zero() })?]
            }
            // dσ = σ(1 - σ)
            Op::Sigmoid => vec![y.zip_with("sigmoid_backward", g, |s, g| g * s * (T::one() - s))?],
            // d tanh = 1 - tanh²
            Op::Tanh => vec![y.zip_with("tanh_backward", g, |t, g| g * (T::one() - t * t))?],
            Op::Clip(lo, hi) => {
                let (lo, hi) = (*lo, *hi);
                vec![x[0].zip_with(
                    "clip_backward",
                    g,
                    move |v, g| if v >= lo && v <= hi { g } else { T::zero() },
                )?]
            }
            // C = A B: dA = G Bᵀ, dB = Aᵀ G (batch axes summed back if they were broadcast)
            Op::MatMul => {
                let (a, b) = (&x[0], &x[1]);
                let ga = if needs[0] { sum_to_shape(&g.matmul(&swap_last(b)?)?, a.shape())? } else { skip() };
                let gb = if needs[1] { sum_to_shape(&swap_last(a)?.matmul(g)?, b.shape())? } else { skip() };
                vec![ga, gb]
            }
            // y = relu(z), z = x·w + b: dz = g where y > 0 (exactly where z > 0), then the
            // matmul and broadcast-add rules; a 2-D layer with a bias per column (Dense) gets dz
            // and the bias's gradient from one pass over the rows.
            Op::Linear { relu } => {
                let per_column = y.ndim() == 2 && x[2].shape() == &y.shape()[1..];
                let (gz, gb) = match (*relu, needs[2] && per_column) {
                    (true, true) => {
                        let (gz, gb) = y.relu_grad_and_bias_grad(g)?;
                        (gz, Some(gb))
                    }
                    (true, false) => (
                        y.zip_with("relu_backward", g, |y, g| if y > T::zero() { g } else { T::zero() })?,
                        None,
                    ),
                    (false, _) => (g.clone(), None),
                };
                let gx = if needs[0] { gz.matmul(&swap_last(&x[1])?)? } else { skip() };
                let gw = if needs[1] { swap_last(&x[0])?.matmul(&gz)? } else { skip() };
                let gb = match gb {
                    Some(gb) => gb,
                    None if needs[2] => sum_to_shape(&gz, x[2].shape())?,
                    None => skip(),
                };
                vec![gx, gw, gb]
            }
            Op::Sum { axes, keepdims } => vec![spread(g, x[0].shape(), axes, *keepdims)?],
            Op::Mean { axes, keepdims } => {
                let n: usize = axes.iter().map(|&a| x[0].shape()[norm(a, x[0].ndim())]).product();
                let spread_g = spread(g, x[0].shape(), axes, *keepdims)?;
                vec![spread_g.arith_scalar(T::one() / T::from(n).unwrap(), Arith::Mul)]
            }
            // The gradient goes to the maxima, split evenly between ties.
            Op::Max { axes, keepdims } => {
                let yk = if *keepdims { y.clone() } else { restore_axes(y, x[0].shape(), axes)? };
                let mask =
                    x[0].zip_with("max_backward", &yk, |v, m| if v == m { T::one() } else { T::zero() })?;
                let count = mask.sum(axes, true)?;
                let gk = if *keepdims { g.clone() } else { restore_axes(g, x[0].shape(), axes)? };
                vec![mask.try_mul(&gk.try_div(&count)?)?]
            }
            Op::Reshape => vec![g.reshape(&signed(x[0].shape()))?],
            Op::Permute(axes) => {
                let mut inv = vec![0isize; axes.len()];
                for (i, &a) in axes.iter().enumerate() {
                    inv[norm(a, axes.len())] = i as isize;
                }
                vec![g.permute(&inv)?]
            }
            Op::BroadcastTo => vec![sum_to_shape(g, x[0].shape())?],
            // Scatter the gradient into zeros shaped like the input.
            Op::Slice(args) => {
                let mut z = Tensor::zeros(x[0].shape());
                z.slice_arith_assign(args, g, Arith::Add)?;
                vec![z]
            }
            Op::Concat { axis } => {
                let ax = norm(*axis, g.ndim());
                let mut cuts = Vec::with_capacity(x.len());
                let mut at = 0;
                for xi in &x[..x.len() - 1] {
                    at += xi.shape()[ax];
                    cuts.push(at);
                }
                g.split_at(&cuts, *axis)?
            }
            // dx = y ⊙ (g - Σ g⊙y)
            Op::Softmax(axis) => {
                let s = g.try_mul(y)?.sum(&[*axis], true)?;
                vec![y.try_mul(&g.try_sub(&s)?)?]
            }
            // dx = g - softmax(x) Σ g = g - e^y Σ g
            Op::LogSoftmax(axis) => {
                let s = g.sum(&[*axis], true)?;
                vec![g.try_sub(&y.exp().try_mul(&s)?)?]
            }
            // dz = (softmax(z) - t) / batch · g; targets get no gradient (constants).
            Op::SoftmaxCrossEntropy { probs } => {
                let batch = T::from(probs.shape()[0]).unwrap();
                let dz = probs.try_sub(&x[1])?.try_mul(&g.arith_scalar(T::one() / batch, Arith::Mul))?;
                vec![dz, skip()]
            }
        })
    }
}

fn norm(axis: isize, ndim: usize) -> usize {
    if axis < 0 { (axis + ndim as isize) as usize } else { axis as usize }
}

fn signed(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&d| d as isize).collect()
}

fn swap_last<T: Real>(t: &Tensor<T>) -> Result<Tensor<T>> {
    Ok(t.swap_axes(-1, -2)?)
}

/// Re-inserts reduced axes (as length 1) into a gradient computed without `keepdims`.
fn restore_axes<T: Real>(g: &Tensor<T>, shape: &[usize], axes: &[isize]) -> Result<Tensor<T>> {
    let mut kept: Vec<usize> = shape.to_vec();
    for &a in axes {
        kept[norm(a, shape.len())] = 1;
    }
    Ok(g.reshape(&signed(&kept))?)
}

/// The gradient of a sum: `g` (reduced over `axes`) repeated over the reduced axes.
fn spread<T: Real>(g: &Tensor<T>, shape: &[usize], axes: &[isize], keepdims: bool) -> Result<Tensor<T>> {
    let gk = if keepdims { g.clone() } else { restore_axes(g, shape, axes)? };
    Ok(gk.broadcast_to(shape)?)
}

/// Sums `g` over the axes that broadcasting expanded, so it takes `shape` again: leading axes
/// that `shape` lacks, and axes where `shape` has 1 but `g` does not.
///
/// ```text
/// x: [3] + y: [2, 3] -> out [2, 3];  g [2, 3] -> dx = g.sum(axis 0) [3], dy = g
/// x: [2, 1] * y: [1, 4] -> out [2, 4];  dx = (g·y).sum(axis 1, keepdims) [2, 1]
/// ```
pub fn sum_to_shape<T: Real>(g: &Tensor<T>, shape: &[usize]) -> Result<Tensor<T>> {
    if g.shape() == shape {
        return Ok(g.clone());
    }
    let lead = g.ndim() - shape.len();
    let mut axes: Vec<isize> = (0..lead as isize).collect();
    for (i, &d) in shape.iter().enumerate() {
        if d == 1 && g.shape()[lead + i] != 1 {
            axes.push((lead + i) as isize);
        }
    }
    let s = g.sum(&axes, true)?;
    Ok(s.reshape(&signed(shape))?)
}
