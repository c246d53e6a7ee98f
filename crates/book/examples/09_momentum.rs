//! Chapter 2.4.3, momentum: the chapter's update rule written out, next to Keras's `SGD` with
//! `momentum` (classic) and with `nesterov=True`, on a loss with a shallow local minimum.
//!
//! The loss is a tilted double well, f(x) = 0.25x^4 - 2x^2 + 0.8x: a local minimum near x = 1.89,
//! the global one near x = -2.09. Every run starts at x = 3 and takes 200 steps of size 0.05.
//!
//! The chapter's rule
//!     velocity = past_velocity * momentum - learning_rate * gradient
//!     w = w + momentum * velocity - learning_rate * gradient
//! is Keras's Nesterov momentum. Keras's default, classic momentum, moves by the velocity alone:
//!     velocity = momentum * velocity - learning_rate * gradient;  w = w + velocity
//!
//! Run: `cargo run --release --example 09_momentum`

use std::error::Error;
use tessera_autograd::Var;
use tessera_nn::{Optimizer, SGD};
use tessera_tensor::Tensor;

const STEPS: usize = 200;
const LEARNING_RATE: f32 = 0.05;

fn loss(x: &Var<f32>) -> Result<Var<f32>, Box<dyn Error>> {
    let quartic = x.powf(4.0).mul_scalar(0.25);
    let quadratic = x.powf(2.0).mul_scalar(-2.0);
    Ok(quartic.add(&quadratic)?.add(&x.mul_scalar(0.8))?)
}

fn gradient_at(x: &Var<f32>) -> Result<f32, Box<dyn Error>> {
    x.zero_grad();
    loss(x)?.backward()?;
    Ok(x.grad().expect("x is a parameter").item()?)
}

/// The chapter's loop, line for line.
fn chapter_rule(momentum: f32) -> Result<Vec<f32>, Box<dyn Error>> {
    let w = Var::param(Tensor::scalar(3.0f32));
    let mut past_velocity = 0.0;
    let mut path = Vec::with_capacity(STEPS);
    for _ in 0..STEPS {
        let gradient = gradient_at(&w)?;
        let velocity = past_velocity * momentum - LEARNING_RATE * gradient;
        w.update(|w| *w += momentum * velocity - LEARNING_RATE * gradient);
        past_velocity = velocity;
        path.push(w.value().item()?);
    }
    Ok(path)
}

/// The same descent through an optimizer, as `model.fit` runs it.
fn with_optimizer(mut opt: SGD) -> Result<Vec<f32>, Box<dyn Error>> {
    let w = Var::param(Tensor::scalar(3.0f32));
    let mut path = Vec::with_capacity(STEPS);
    for _ in 0..STEPS {
        gradient_at(&w)?;
        opt.step(std::slice::from_ref(&w))?;
        path.push(w.value().item()?);
    }
    Ok(path)
}

fn describe(name: &str, path: &[f32]) {
    let x = path[path.len() - 1];
    let which = if x < 0.0 { "the global minimum" } else { "stuck in the local minimum" };
    println!("  {name:<34} ends at x = {x:>7.4} ({which})");
}

pub fn main() -> Result<(), Box<dyn Error>> {
    describe("plain SGD", &with_optimizer(SGD::new(LEARNING_RATE))?);
    for momentum in [0.5f32, 0.9] {
        println!("\n## momentum = {momentum}");
        let chapter = chapter_rule(momentum)?;
        let classic = with_optimizer(SGD::new(LEARNING_RATE).momentum(momentum))?;
        let nesterov = with_optimizer(SGD::new(LEARNING_RATE).momentum(momentum).nesterov(true))?;
        describe("the chapter's rule", &chapter);
        describe("Keras SGD(momentum)", &classic);
        describe("Keras SGD(momentum, nesterov=True)", &nesterov);
        let gap = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(p, q)| (p - q).abs()).fold(0.0f32, f32::max);
        println!(
            "  largest gap along the 200 steps: chapter vs nesterov {:.1e}, chapter vs classic {:.1e}",
            gap(&chapter, &nesterov),
            gap(&chapter, &classic)
        );
    }
    Ok(())
}
