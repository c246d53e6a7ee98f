//! Differentiable operations on [`Var`]: each runs the tessera-tensor kernel and records one
//! primitive node. Composite operations (`mul_scalar`, `matmul` of vectors, `sum_all`, ...) are
//! built from the primitives, so their gradients follow without new rules.

use crate::error::Result;
use crate::op::Op;
use crate::real::Real;
use crate::var::Var;
use tessera_tensor::{SliceArg, Tensor};

impl<T: Real> Var<T> {
    fn unary(&self, value: Tensor<T>, op: Op<T>) -> Var<T> {
        Var::from_op(value, op, vec![self.clone()])
    }

    fn binary(&self, other: &Var<T>, value: Tensor<T>, op: Op<T>) -> Var<T> {
        Var::from_op(value, op, vec![self.clone(), other.clone()])
    }

    /// `self + other` with broadcasting.
    ///
    /// ```
    /// use tessera_autograd::Var;
    /// use tessera_tensor::tensor;
    /// let a = Var::param(tensor![[1.0f64, 2.0], [3.0, 4.0]]);
    /// let b = Var::param(tensor![10.0f64, 20.0]);
    /// a.add(&b).unwrap().sum_all().unwrap().backward().unwrap();
    /// assert_eq!(b.grad().unwrap().to_vec(), vec![2.0, 2.0]); // summed over the broadcast axis
    /// ```
    pub fn add(&self, other: &Var<T>) -> Result<Var<T>> {
        Ok(self.binary(other, self.value().try_add(&other.value())?, Op::Add))
    }
    /// `self - other` with broadcasting.
    pub fn sub(&self, other: &Var<T>) -> Result<Var<T>> {
        Ok(self.binary(other, self.value().try_sub(&other.value())?, Op::Sub))
    }
    /// `self * other` element-wise with broadcasting.
    pub fn mul(&self, other: &Var<T>) -> Result<Var<T>> {
        Ok(self.binary(other, self.value().try_mul(&other.value())?, Op::Mul))
    }
    /// `self / other` element-wise with broadcasting.
    pub fn div(&self, other: &Var<T>) -> Result<Var<T>> {
        Ok(self.binary(other, self.value().try_div(&other.value())?, Op::Div))
    }
    /// `-self`.
    pub fn neg(&self) -> Var<T> {
        self.unary(self.value().neg(), Op::Neg)
    }
    /// `self + s` (composite: add of a constant).
    pub fn add_scalar(&self, s: T) -> Var<T> {
        self.add(&Var::constant(Tensor::scalar(s))).expect("a scalar broadcasts")
    }
    /// `self · s` (composite: mul by a constant).
    pub fn mul_scalar(&self, s: T) -> Var<T> {
        self.mul(&Var::constant(Tensor::scalar(s))).expect("a scalar broadcasts")
    }
    /// `self^p` for a scalar exponent.
    pub fn powf(&self, p: T) -> Var<T> {
        self.unary(self.value().powf(p), Op::PowScalar(p))
    }
    /// `e^self`.
    pub fn exp(&self) -> Var<T> {
        self.unary(self.value().exp(), Op::Exp)
    }
    /// Natural log.
    pub fn ln(&self) -> Var<T> {
        self.unary(self.value().ln(), Op::Ln)
    }
    /// Square root.
    pub fn sqrt(&self) -> Var<T> {
        self.unary(self.value().sqrt(), Op::Sqrt)
    }
    /// Absolute value; its gradient is the sign (0 at 0).
    pub fn abs(&self) -> Var<T> {
        self.unary(self.value().abs(), Op::Abs)
    }
    /// `min(max(self, lo), hi)` (Keras clips probabilities this way before a log).
    pub fn clip(&self, lo: T, hi: T) -> Var<T> {
        let v = self.value().clip(lo.to_f64(), hi.to_f64());
        self.unary(v, Op::Clip(lo, hi))
    }
    /// `max(self, 0)`.
    pub fn relu(&self) -> Var<T> {
        self.unary(self.value().relu(), Op::Relu)
    }
    /// Logistic sigmoid.
    pub fn sigmoid(&self) -> Var<T> {
        self.unary(self.value().sigmoid(), Op::Sigmoid)
    }
    /// Hyperbolic tangent.
    pub fn tanh(&self) -> Var<T> {
        self.unary(self.value().tanh(), Op::Tanh)
    }

    /// A Dense layer's `x·w + b` (x `[m, k]`, w `[k, n]`, b `[n]`), then ReLU if `relu`: one node
    /// whose forward is a single GEMM with the bias and ReLU fused into it
    /// ([`Tensor::linear`]). Same values and gradients as `x.matmul(w)?.add(b)?.relu()`.
    ///
    /// ```
    /// use tessera_autograd::Var;
    /// use tessera_tensor::tensor;
    /// let x = Var::constant(tensor![[1.0f64, -2.0]]);
    /// let w = Var::param(tensor![[1.0f64, 1.0], [1.0, -1.0]]);
    /// let b = Var::param(tensor![0.5f64, 0.0]);
    /// let y = x.linear(&w, &b, true).unwrap(); // relu([-1 + 0.5, 3 + 0])
    /// assert_eq!(y.value().to_vec(), vec![0.0, 3.0]);
    /// y.sum_all().unwrap().backward().unwrap();
    /// assert_eq!(b.grad().unwrap().to_vec(), vec![0.0, 1.0]); // no gradient through the zeroed unit
    /// assert_eq!(w.grad().unwrap().to_vec(), vec![0.0, 1.0, 0.0, -2.0]);
    /// ```
    pub fn linear(&self, w: &Var<T>, b: &Var<T>, relu: bool) -> Result<Var<T>> {
        let value = self.value().linear(&w.value(), Some(&b.value()), relu)?;
        Ok(Var::from_op(value, Op::Linear { relu }, vec![self.clone(), w.clone(), b.clone()]))
    }

    /// Matrix product with np.matmul semantics; a 1-D operand is promoted by a reshape node.
    ///
    /// ```
    /// use tessera_autograd::Var;
    /// use tessera_tensor::tensor;
    /// let x = Var::constant(tensor![[1.0f64, 2.0]]);
    /// let w = Var::param(tensor![[3.0f64], [4.0]]);
    /// let y = x.matmul(&w).unwrap(); // [[11]]
    /// y.sum_all().unwrap().backward().unwrap();
    /// assert_eq!(w.grad().unwrap().to_vec(), vec![1.0, 2.0]); // dW = xᵀ · 1
    /// ```
    pub fn matmul(&self, other: &Var<T>) -> Result<Var<T>> {
        let (an, bn) = (self.shape().len(), other.shape().len());
        let a = if an == 1 { self.reshape(&[1, -1])? } else { self.clone() };
        let b = if bn == 1 { other.reshape(&[-1, 1])? } else { other.clone() };
        let y = a.binary(&b, a.value().matmul(&b.value())?, Op::MatMul);
        match (an, bn) {
            (1, 1) => y.reshape(&[]),
            (1, _) | (_, 1) => {
                let mut s: Vec<isize> = y.shape().iter().map(|&d| d as isize).collect();
                s.remove(if an == 1 { s.len() - 2 } else { s.len() - 1 });
                y.reshape(&s)
            }
            _ => Ok(y),
        }
    }

    /// Sum over `axes`.
    pub fn sum(&self, axes: &[isize], keepdims: bool) -> Result<Var<T>> {
        let v = self.value().sum(axes, keepdims)?;
        Ok(self.unary(v, Op::Sum { axes: axes.to_vec(), keepdims }))
    }
    /// Sum of every element, as a 0-D value.
    pub fn sum_all(&self) -> Result<Var<T>> {
        let axes: Vec<isize> = (0..self.shape().len() as isize).collect();
        self.sum(&axes, false)
    }
    /// Mean over `axes`.
    pub fn mean(&self, axes: &[isize], keepdims: bool) -> Result<Var<T>> {
        let v = self.value().mean(axes, keepdims)?;
        Ok(self.unary(v, Op::Mean { axes: axes.to_vec(), keepdims }))
    }
    /// Mean of every element, as a 0-D value.
    pub fn mean_all(&self) -> Result<Var<T>> {
        let axes: Vec<isize> = (0..self.shape().len() as isize).collect();
        self.mean(&axes, false)
    }
    /// Max over `axes` (the gradient goes to the maxima, ties split evenly).
    pub fn max(&self, axes: &[isize], keepdims: bool) -> Result<Var<T>> {
        let v = self.value().max(axes, keepdims)?;
        Ok(self.unary(v, Op::Max { axes: axes.to_vec(), keepdims }))
    }

    /// Reshape (one `-1` inferred).
    pub fn reshape(&self, shape: &[isize]) -> Result<Var<T>> {
        Ok(self.unary(self.value().reshape(shape)?, Op::Reshape))
    }
    /// Reverse the axes.
    pub fn transpose(&self) -> Var<T> {
        let axes: Vec<isize> = (0..self.shape().len() as isize).rev().collect();
        self.permute(&axes).expect("a reversal is a permutation")
    }
    /// Reorder the axes.
    pub fn permute(&self, axes: &[isize]) -> Result<Var<T>> {
        Ok(self.unary(self.value().permute(axes)?, Op::Permute(axes.to_vec())))
    }
    /// Broadcast to a larger shape.
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Var<T>> {
        Ok(self.unary(self.value().broadcast_to(shape)?, Op::BroadcastTo))
    }
    /// NumPy slicing (`s![...]`).
    pub fn slice(&self, args: &[SliceArg]) -> Result<Var<T>> {
        Ok(self.unary(self.value().slice(args)?, Op::Slice(args.to_vec())))
    }

    /// Softmax along `axis`.
    pub fn softmax(&self, axis: isize) -> Result<Var<T>> {
        Ok(self.unary(self.value().softmax(axis)?, Op::Softmax(axis)))
    }
    /// Log-softmax along `axis`.
    pub fn log_softmax(&self, axis: isize) -> Result<Var<T>> {
        Ok(self.unary(self.value().log_softmax(axis)?, Op::LogSoftmax(axis)))
    }

    /// Fused `mean_batch(-Σ_classes targets · log_softmax(self))` for logits `[batch, classes]`
    /// and target probabilities of the same shape (one-hot or soft). Equal to the composed ops
    /// (tested), with the cheaper gradient `(softmax - targets) / batch`.
    pub fn softmax_cross_entropy(&self, targets: &Var<T>) -> Result<Var<T>> {
        let z = self.value();
        let t = targets.value();
        if z.ndim() != 2 || z.shape() != t.shape() || z.shape()[0] == 0 {
            return Err(tessera_tensor::TensorError::Shape {
                op: "softmax_cross_entropy",
                shapes: vec![z.shape().to_vec(), t.shape().to_vec()],
                reason: "logits and targets must both be [batch, classes], batch > 0".into(),
            }
            .into());
        }
        let logp = z.log_softmax(-1)?;
        let per_row = logp.try_mul(&t)?.sum(&[-1], false)?;
        let batch = T::from(z.shape()[0]).unwrap();
        let loss = Tensor::scalar(-per_row.sum_all() / batch);
        let probs = logp.exp();
        Ok(self.binary(targets, loss, Op::SoftmaxCrossEntropy { probs }))
    }
}

/// Joins values along an existing axis.
pub fn concatenate<T: Real>(vars: &[&Var<T>], axis: isize) -> Result<Var<T>> {
    let values: Vec<Tensor<T>> = vars.iter().map(|v| v.value()).collect();
    let refs: Vec<&Tensor<T>> = values.iter().collect();
    let out = tessera_tensor::concatenate(&refs, axis)?;
    Ok(Var::from_op(out, Op::Concat { axis }, vars.iter().map(|v| (*v).clone()).collect()))
}
