//! Stochastic gradient descent with optional momentum and Nesterov momentum (Keras `SGD`).

use super::{Optimizer, ensure_state, for_each_param};
use crate::error::Result;
use tessera_autograd::Var;

/// Keras `SGD(learning_rate=0.01, momentum=0.0, nesterov=False)`:
///
/// ```text
/// v = momentum·v - lr·g
/// p = p + v                      (plain momentum)
/// p = p + momentum·v - lr·g      (nesterov)
/// ```
/// With `momentum = 0` this is `p -= lr·g`.
#[derive(Debug, Clone)]
pub struct SGD {
    /// Step size.
    pub learning_rate: f32,
    /// Velocity decay (0 = plain SGD).
    pub momentum: f32,
    /// Nesterov's look-ahead variant.
    pub nesterov: bool,
    velocity: Vec<Vec<f32>>,
}

impl SGD {
    /// SGD with the given learning rate, no momentum.
    pub fn new(learning_rate: f32) -> SGD {
        SGD { learning_rate, momentum: 0.0, nesterov: false, velocity: Vec::new() }
    }
    /// Sets the momentum.
    pub fn momentum(mut self, m: f32) -> SGD {
        self.momentum = m;
        self
    }
    /// Uses Nesterov momentum.
    pub fn nesterov(mut self, on: bool) -> SGD {
        self.nesterov = on;
        self
    }
}

impl Default for SGD {
    /// Keras defaults: lr 0.01, momentum 0, no Nesterov.
    fn default() -> Self {
        SGD::new(0.01)
    }
}

impl Optimizer for SGD {
    fn name(&self) -> &'static str {
        "SGD"
    }
    fn config(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("learning_rate", self.learning_rate as f64),
            ("momentum", self.momentum as f64),
            ("nesterov", self.nesterov as u8 as f64),
        ]
    }

    fn step(&mut self, params: &[Var<f32>]) -> Result<()> {
        ensure_state(&mut self.velocity, params);
        let (lr, m, nesterov) = (self.learning_rate, self.momentum, self.nesterov);
        let vel = &mut self.velocity;
        for_each_param(params, |p, g, i| {
            if m == 0.0 {
                for (p, &g) in p.iter_mut().zip(g) {
                    *p -= lr * g;
                }
                return;
            }
            for ((p, &g), v) in p.iter_mut().zip(g).zip(vel[i].iter_mut()) {
                *v = m * *v - lr * g;
                *p += if nesterov { m * *v - lr * g } else { *v };
            }
        })
    }
}
