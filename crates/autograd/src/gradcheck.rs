//! A finite-difference gradient checker in f64: the test oracle for every backward rule.
//!
//! For each input element, the central difference `(f(x + ε) - f(x - ε)) / 2ε` (error O(ε²))
//! is compared with the gradient `backward` computed, and must satisfy
//! `|analytic - numeric| <= atol + rtol·|numeric|`. A non-scalar `f` is first contracted with a
//! fixed pseudo-random tensor, so every output element's gradient is exercised.

use crate::error::{AutogradError, Result};
use crate::var::{Var, no_grad};
use tessera_tensor::{Rng, Tensor};

/// Tolerances for [`gradcheck`].
#[derive(Debug, Clone, Copy)]
pub struct GradcheckOptions {
    /// Finite-difference step.
    pub eps: f64,
    /// Absolute tolerance.
    pub atol: f64,
    /// Relative tolerance.
    pub rtol: f64,
}

impl Default for GradcheckOptions {
    /// `eps = 1e-6`, `atol = 1e-6`, `rtol = 1e-4` (suitable for smooth f64 functions).
    fn default() -> Self {
        GradcheckOptions { eps: 1e-6, atol: 1e-6, rtol: 1e-4 }
    }
}

fn scalar_of(
    f: &impl Fn(&[Var<f64>]) -> Result<Var<f64>>,
    vars: &[Var<f64>],
    weights: &mut Option<Tensor<f64>>,
) -> Result<Var<f64>> {
    let y = f(vars)?;
    if y.value().size() == 1 {
        return y.reshape(&[]);
    }
    let w =
        weights.get_or_insert_with(|| Tensor::rand_uniform(&y.shape(), 0.5, 1.5, &mut Rng::seed(17))).clone();
    y.mul(&Var::constant(w))?.sum_all()
}

/// Checks `backward` against central differences for every element of every input. Returns the
/// first disagreement as [`AutogradError::GradcheckMismatch`] (which input, which element).
///
/// ```
/// use tessera_autograd::{gradcheck, GradcheckOptions, Var};
/// use tessera_tensor::tensor;
/// let ok = gradcheck(|v: &[Var<f64>]| Ok(v[0].mul(&v[0])?.tanh()), &[tensor![0.3f64, -1.2]], GradcheckOptions::default());
/// assert!(ok.is_ok());
/// ```
pub fn gradcheck(
    f: impl Fn(&[Var<f64>]) -> Result<Var<f64>>,
    inputs: &[Tensor<f64>],
    opts: GradcheckOptions,
) -> Result<()> {
    let mut weights = None;
    let vars: Vec<Var<f64>> = inputs.iter().map(|t| Var::param(t.to_contiguous())).collect();
    scalar_of(&f, &vars, &mut weights)?.backward()?;
    for (i, v) in vars.iter().enumerate() {
        let analytic = v.grad().unwrap_or_else(|| Tensor::zeros(&v.shape())).to_vec();
        let base = inputs[i].to_vec();
        for j in 0..base.len() {
            let eval = |delta: f64| -> Result<f64> {
                let mut x = base.clone();
                x[j] += delta;
                let mut probe: Vec<Var<f64>> = inputs.iter().map(|t| Var::constant(t.clone())).collect();
                probe[i] = Var::constant(Tensor::from_vec(x, inputs[i].shape())?);
                let y = no_grad(|| scalar_of(&f, &probe, &mut weights.clone()))?;
                Ok(y.value().item()?)
            };
            let numeric = (eval(opts.eps)? - eval(-opts.eps)?) / (2.0 * opts.eps);
            let a = analytic[j];
            if (a - numeric).abs() > opts.atol + opts.rtol * numeric.abs() || a.is_nan() != numeric.is_nan() {
                return Err(AutogradError::GradcheckMismatch { input: i, index: j, analytic: a, numeric });
            }
        }
    }
    Ok(())
}
