//! Chapter 2.4: SGD with momentum rolling through a local minimum that stops plain SGD.
//! The loss is a tilted double well, f(x) = 0.25x⁴ - 2x² + 0.8x, with a shallow local minimum
//! near x = 1.89 and the global one near x = -2.09. Every run starts at x = 3.
//!
//! Run: `cargo run --release --example 03_momentum`

use tessera_autograd::Var;
use tessera_tensor::Tensor;

fn f(x: &Var<f64>) -> Var<f64> {
    x.powf(4.0)
        .mul_scalar(0.25)
        .add(&x.powf(2.0).mul_scalar(-2.0))
        .expect("scalars")
        .add(&x.mul_scalar(0.8))
        .expect("scalars")
}

fn run(momentum: f64) -> tessera_autograd::Result<f64> {
    let x = Var::param(Tensor::scalar(3.0f64));
    let (lr, mut velocity) = (0.05, 0.0);
    for _ in 0..200 {
        x.zero_grad();
        f(&x).backward()?;
        let g = x.grad().expect("parameter").item()?;
        // Keras SGD: v = momentum·v - lr·g; x += v
        velocity = momentum * velocity - lr * g;
        x.update(|v| *v += velocity);
    }
    x.value().item().map_err(Into::into)
}

fn main() -> tessera_autograd::Result<()> {
    for m in [0.0, 0.5, 0.9] {
        let x = run(m)?;
        let which = if x < 0.0 { "global minimum" } else { "stuck in the local minimum" };
        println!("momentum {m:.1}: ends at x = {x:>7.4} ({which})");
    }
    Ok(())
}
