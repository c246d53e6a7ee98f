//! RMSprop (Keras `RMSprop`), the optimizer of the chapter-2 listing.

use super::{Optimizer, ensure_state, for_each_param, par_update};
use crate::error::Result;
use tessera_autograd::Var;

/// Keras `RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-7)`, accumulators starting at zero:
///
/// ```text
/// a = rho·a + (1 - rho)·g²
/// p = p - lr·g / (sqrt(a) + epsilon)      epsilon is added *after* the square root (Keras)
/// ```
#[derive(Debug, Clone)]
pub struct RMSprop {
    /// Step size.
    pub learning_rate: f32,
    /// Decay of the squared-gradient average.
    pub rho: f32,
    /// Added to `sqrt(a)` to avoid dividing by zero.
    pub epsilon: f32,
    accumulators: Vec<Vec<f32>>,
}

impl RMSprop {
    /// RMSprop with a learning rate and Keras' other defaults.
    pub fn new(learning_rate: f32) -> RMSprop {
        RMSprop { learning_rate, rho: 0.9, epsilon: 1e-7, accumulators: Vec::new() }
    }
}

impl Default for RMSprop {
    /// Keras defaults: lr 0.001, rho 0.9, epsilon 1e-7.
    fn default() -> Self {
        RMSprop::new(0.001)
    }
}

impl Optimizer for RMSprop {
    fn name(&self) -> &'static str {
        "rmsprop"
    }
    fn config(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("learning_rate", self.learning_rate as f64),
            ("rho", self.rho as f64),
            ("epsilon", self.epsilon as f64),
        ]
    }

    fn step(&mut self, params: &[Var<f32>]) -> Result<()> {
        ensure_state(&mut self.accumulators, params);
        let (lr, rho, eps) = (self.learning_rate, self.rho, self.epsilon);
        let acc = &mut self.accumulators;
        // Flush subnormal accumulators to zero (as TF's flush-to-zero mode does): on x86 each
        // subnormal operation costs ~100 cycles and late epochs produce many.
        let flush = |a: &mut f32| {
            if *a < f32::MIN_POSITIVE {
                *a = 0.0;
            }
        };
        for_each_param(params, |p, g, i| {
            par_update(
                p,
                g,
                &mut acc[i],
                |p, g, a| {
                    *a = rho * *a + (1.0 - rho) * g * g;
                    flush(a);
                    *p -= lr * g / (a.sqrt() + eps);
                },
                // g = +0: `a + 0` and `p - 0/(sqrt(a) + eps)` are `a` and `p` exactly (also for
                // an infinite `a`; a NaN `a` implies a NaN `p` already).
                |a| {
                    *a *= rho;
                    flush(a);
                },
            )
        })
    }
}
