//! Chapter 2.4.4, "Chaining derivatives: the Backpropagation algorithm": the chapter's
//! computation graph (x1 = w * x, x2 = x1 + b, loss_val = abs(y_true - x2)), the chain rule
//! applied by hand, the same gradients from `backward()`, and the graph drawn as a picture
//! (`backprop_graph.svg`, written to the current directory). Then the same on a two-layer network.
//!
//! Run: `cargo run --release --example 10_backprop`

use std::error::Error;
use tessera_autograd::{Var, to_svg};
use tessera_tensor::{Rng, Tensor, ops::Arith, tensor};

fn max_abs_diff(a: &Tensor<f64>, b: &Tensor<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max)
}

fn chapter_graph() -> Result<(), Box<dyn Error>> {
    println!("## The chapter's graph: x = 2, w = 3, b = 1, y_true = 4");
    let x = Var::constant(Tensor::scalar(2.0f64));
    let w = Var::param(Tensor::scalar(3.0f64));
    let b = Var::param(Tensor::scalar(1.0f64));
    let y_true = Var::constant(Tensor::scalar(4.0f64));
    let x1 = w.mul(&x)?;
    let x2 = x1.add(&b)?;
    let diff = y_true.sub(&x2)?;
    let loss_val = diff.abs();
    let value = |v: &Var<f64>| v.value().item().expect("scalar");
    println!(
        "forward:  x1 = w * x = {}   x2 = x1 + b = {}   loss_val = abs(y_true - x2) = {}",
        value(&x1),
        value(&x2),
        value(&loss_val)
    );

    let names = [
        ("x", &x),
        ("w", &w),
        ("b", &b),
        ("y_true", &y_true),
        ("x1", &x1),
        ("x2", &x2),
        ("diff", &diff),
        ("loss_val", &loss_val),
    ];
    std::fs::write("backprop_graph.svg", to_svg(&loss_val, &names))?;
    println!("the graph: backprop_graph.svg");

    println!("\nbackward, by hand (the chain rule, read from loss_val back to w and b):");
    let d_loss_d_x2 = (value(&x2) - value(&y_true)).signum(); // d abs(y_true - x2) / d x2
    println!("  grad(loss_val, x2) = sign(x2 - y_true) = {d_loss_d_x2}");
    println!("  grad(x2, x1) = 1        grad(x2, b) = 1        grad(x1, w) = x = {}", value(&x));
    println!("  grad(loss_val, w) = 1 * 1 * {} = {}", value(&x), d_loss_d_x2 * value(&x));
    println!("  grad(loss_val, b) = 1 * 1 = {d_loss_d_x2}");
    loss_val.backward()?;
    let grad = |v: &Var<f64>| v.grad().expect("a parameter").item().expect("scalar");
    println!(
        "backward(), by the graph:\n  grad(loss_val, w) = {}\n  grad(loss_val, b) = {}",
        grad(&w),
        grad(&b)
    );
    Ok(())
}

fn two_layers() -> Result<(), Box<dyn Error>> {
    println!("\n## Two Dense layers: loss = crossentropy(softmax(relu(x W1) W2), t)");
    let mut rng = Rng::seed(1);
    let x = Var::constant(tensor![[0.5f64, -1.0, 2.0], [1.5, 0.0, -0.5]]); // batch 2, 3 features
    let t = Var::constant(tensor![[0.0f64, 1.0], [1.0, 0.0]]); // one-hot targets
    let w1 = Var::param(Tensor::rand_uniform(&[3, 4], -1.0, 1.0, &mut rng));
    let w2 = Var::param(Tensor::rand_uniform(&[4, 2], -1.0, 1.0, &mut rng));
    let h_pre = x.matmul(&w1)?;
    let h = h_pre.relu();
    let z = h.matmul(&w2)?; // logits
    let loss = z.softmax_cross_entropy(&t)?;
    println!(
        "forward:\n  h = relu(x W1) = {}\n  z = h W2 = {}\n  loss = {}",
        h.value(),
        z.value(),
        loss.value()
    );
    loss.backward()?;

    // The chain rule, layer by layer, from the loss back to W1.
    let dz = z.value().softmax(-1)?.try_sub(&t.value())?.arith_scalar(0.5, Arith::Mul); // (p - t) / batch
    let dw2 = h.value().transpose().matmul(&dz)?;
    let dh = dz.matmul(&w2.value().transpose())?;
    let dh_pre = h_pre.value().zip_with("relu'", &dh, |a, g| if a > 0.0 { g } else { 0.0 })?;
    let dw1 = x.value().transpose().matmul(&dh_pre)?;
    println!("backward, by hand:\n  dL/dz  = (softmax(z) - t) / 2 = {dz}\n  dL/dW2 = h^T dz = {dw2}");
    println!("  dL/dh  = dz W2^T, through relu = {dh_pre}\n  dL/dW1 = x^T dh = {dw1}");
    let (g1, g2) = (w1.grad().expect("param"), w2.grad().expect("param"));
    println!(
        "max |hand - backward()|: W2 {:.1e}, W1 {:.1e}",
        max_abs_diff(&dw2, &g2),
        max_abs_diff(&dw1, &g1)
    );
    Ok(())
}

pub fn main() -> Result<(), Box<dyn Error>> {
    chapter_graph()?;
    two_layers()
}
