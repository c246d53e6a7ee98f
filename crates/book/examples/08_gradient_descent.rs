//! Chapter 2.4, "The engine of neural networks: gradient-based optimization": derivatives and
//! gradients computed by `backward()` (the book's GradientTape examples), then stochastic gradient
//! descent, `W1 = W0 - step * gradient`, first on one number, then on a weight tensor.
//!
//! Run: `cargo run --release --example 08_gradient_descent`

use std::error::Error;
use tessera_autograd::Var;
use tessera_tensor::{Rng, Tensor};

pub fn main() -> Result<(), Box<dyn Error>> {
    println!("## The gradient of y = 2x + 3 (the book's GradientTape examples)");
    let x = Var::param(Tensor::scalar(0.0f32));
    let y = x.mul_scalar(2.0).add_scalar(3.0);
    y.backward()?;
    println!(">>> grad_of_y_wrt_x  # x = 0.\n{}", x.grad().expect("x is a parameter"));
    let mut rng = Rng::seed(0);
    let x = Var::param(Tensor::<f32>::rand_uniform(&[2, 2], 0.0, 1.0, &mut rng));
    x.mul_scalar(2.0).add_scalar(3.0).sum_all()?.backward()?;
    println!(">>> grad_of_y_wrt_x  # x of shape (2, 2)\n{}", x.grad().expect("x is a parameter"));
    let w = Var::param(Tensor::<f32>::rand_uniform(&[2, 2], 0.0, 1.0, &mut rng));
    let b = Var::param(Tensor::<f32>::zeros(&[2]));
    let x = Var::constant(Tensor::<f32>::rand_uniform(&[2, 2], 0.0, 1.0, &mut rng));
    x.matmul(&w)?.add(&b)?.sum_all()?.backward()?;
    let (gw, gb) = (w.grad().expect("param"), b.grad().expect("param"));
    println!(">>> grad_of_y_wrt_W_and_b = tape.gradient(y, [W, b])  # y = matmul(x, W) + b");
    println!("W: shape {} = {gw}\nb: shape {} = {gb}", gw.shape_tuple(), gb.shape_tuple());

    println!("\n## SGD on one number: f(x) = (x - 3)^2 + 1, from x = -2, three step sizes");
    for step in [0.01, 0.3, 1.05] {
        let x = Var::param(Tensor::scalar(-2.0f64));
        print!("step {step:<5}:");
        for i in 0..12 {
            x.zero_grad();
            let loss = x.add_scalar(-3.0).powf(2.0).add_scalar(1.0);
            loss.backward()?;
            let g = x.grad().expect("x is a parameter").item()?;
            if i % 3 == 0 {
                print!("  x={:>8.3} f={:>9.3}", x.value().item()?, loss.value().item()?);
            }
            x.update(|v| *v -= step * g);
        }
        println!();
    }
    println!("too small crawls, 0.3 converges to the minimum (x = 3, f = 1), too large diverges");

    println!("\n## SGD on a tensor: fit W so that x . W matches targets made by a hidden W_true");
    let w_true = Tensor::<f64>::from_vec(vec![2.0, -1.0, 0.5, 3.0, 1.0, -2.0], &[3, 2])?;
    let x = Tensor::<f64>::rand_uniform(&[64, 3], -1.0, 1.0, &mut rng);
    let targets = Var::constant(x.matmul(&w_true)?);
    let (x, w) = (Var::constant(x), Var::param(Tensor::<f64>::zeros(&[3, 2])));
    let step = 0.5;
    for i in 0..=60 {
        w.zero_grad();
        let loss = x.matmul(&w)?.sub(&targets)?.powf(2.0).mean_all()?; // mean squared error
        loss.backward()?;
        let gradient = w.grad().expect("W is a parameter");
        if i % 15 == 0 {
            println!("step {i:>2}: loss {:.6}", loss.value().item()?);
        }
        // W1 = W0 - step * gradient
        let w1 = w.value().try_sub(&(&gradient * step))?;
        w.set_value(w1);
    }
    println!("W after 60 steps =\n{:.3}\nW_true =\n{w_true}", w.value());
    Ok(())
}
