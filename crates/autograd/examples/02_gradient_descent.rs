//! Chapter 2.4: gradient descent on a 1-D loss, f(x) = (x - 3)² + 1, with three step sizes.
//! Too small crawls, a good one converges, too large diverges. The derivative comes from
//! `backward()`, not from a formula.
//!
//! Run: `cargo run --release --example 02_gradient_descent`

use tessera_autograd::Var;
use tessera_tensor::Tensor;

fn loss(x: &Var<f64>) -> Var<f64> {
    x.add_scalar(-3.0).powf(2.0).add_scalar(1.0)
}

fn main() -> tessera_autograd::Result<()> {
    for lr in [0.01, 0.3, 1.05] {
        let x = Var::param(Tensor::scalar(-2.0f64));
        print!("step size {lr:<5}:");
        for step in 0..12 {
            x.zero_grad();
            let l = loss(&x);
            l.backward()?;
            let g = x.grad().expect("x is a parameter").item()?;
            if step % 3 == 0 {
                print!("  x={:>8.3} f={:>9.3}", x.value().item()?, l.value().item()?);
            }
            x.update(|v| *v -= lr * g);
        }
        println!();
    }
    println!("minimum at x = 3, f = 1");
    Ok(())
}
