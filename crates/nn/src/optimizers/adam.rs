//! Adam (Keras `Adam`).

use super::{Optimizer, ensure_state, for_each_param};
use crate::error::Result;
use tessera_autograd::Var;

/// Keras `Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`:
///
/// ```text
/// t = t + 1
/// m = m + (1 - b1)(g - m);   v = v + (1 - b2)(g² - v)
/// p = p - lr·sqrt(1 - b2^t)/(1 - b1^t) · m / (sqrt(v) + epsilon)
/// ```
#[derive(Debug, Clone)]
pub struct Adam {
    /// Step size.
    pub learning_rate: f32,
    /// First-moment decay.
    pub beta_1: f32,
    /// Second-moment decay.
    pub beta_2: f32,
    /// Added to `sqrt(v)`.
    pub epsilon: f32,
    t: i32,
    m: Vec<Vec<f32>>,
    v: Vec<Vec<f32>>,
}

impl Adam {
    /// Adam with a learning rate and Keras' other defaults.
    pub fn new(learning_rate: f32) -> Adam {
        Adam { learning_rate, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, t: 0, m: Vec::new(), v: Vec::new() }
    }
}

impl Default for Adam {
    /// Keras defaults: lr 0.001, betas 0.9 / 0.999, epsilon 1e-7.
    fn default() -> Self {
        Adam::new(0.001)
    }
}

impl Optimizer for Adam {
    fn name(&self) -> &'static str {
        "adam"
    }
    fn config(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("learning_rate", self.learning_rate as f64),
            ("beta_1", self.beta_1 as f64),
            ("beta_2", self.beta_2 as f64),
            ("epsilon", self.epsilon as f64),
        ]
    }

    fn step(&mut self, params: &[Var<f32>]) -> Result<()> {
        ensure_state(&mut self.m, params);
        ensure_state(&mut self.v, params);
        self.t += 1;
        let (b1, b2, eps) = (self.beta_1, self.beta_2, self.epsilon);
        let alpha = self.learning_rate * (1.0 - b2.powi(self.t)).sqrt() / (1.0 - b1.powi(self.t));
        let (ms, vs) = (&mut self.m, &mut self.v);
        for_each_param(params, |p, g, i| {
            for (((p, &g), m), v) in p.iter_mut().zip(g).zip(ms[i].iter_mut()).zip(vs[i].iter_mut()) {
                *m += (1.0 - b1) * (g - *m);
                *v += (1.0 - b2) * (g * g - *v);
                *p -= alpha * *m / (v.sqrt() + eps);
            }
        })
    }
}
