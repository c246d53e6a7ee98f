//! Chapter 2.4: the backward pass of a two-layer network, printed step by step, with each
//! gradient computed twice: by `backward()` and by the chain rule written out by hand.
//!
//! Run: `cargo run --release --example 04_backprop_two_layer`

use tessera_autograd::{Var, to_dot};
use tessera_tensor::{Rng, Tensor, tensor};

fn main() -> tessera_autograd::Result<()> {
    let mut rng = Rng::seed(1);
    let x = Var::constant(tensor![[0.5f64, -1.0, 2.0], [1.5, 0.0, -0.5]]); // batch 2, 3 features
    let t = Var::constant(tensor![[0.0f64, 1.0], [1.0, 0.0]]); // one-hot targets
    let w1 = Var::param(Tensor::rand_uniform(&[3, 4], -1.0, 1.0, &mut rng));
    let w2 = Var::param(Tensor::rand_uniform(&[4, 2], -1.0, 1.0, &mut rng));

    let h_pre = x.matmul(&w1)?; // [2, 4]
    let h = h_pre.relu();
    let z = h.matmul(&w2)?; // [2, 2] logits
    let loss = z.softmax_cross_entropy(&t)?;
    println!(
        "forward:\n  h = relu(x W1) = {}\n  z = h W2 = {}\n  loss = {}",
        h.value(),
        z.value(),
        loss.value()
    );
    println!("\ngraph (Graphviz):\n{}", to_dot(&loss));
    loss.backward()?;

    // The same gradients by hand, layer by layer (the chain rule, read backwards):
    let p = z.value().softmax(-1)?;
    let dz = p.try_sub(&t.value())?.arith_scalar(0.5, tessera_tensor::ops::Arith::Mul); // (p - t)/batch
    println!("\nbackward, by hand:\n  dL/dz  = (softmax(z) - t) / 2 = {dz}");
    let dw2 = h.value().transpose().matmul(&dz)?;
    println!("  dL/dW2 = hᵀ dz = {dw2}");
    let dh = dz.matmul(&w2.value().transpose())?;
    let dh_pre = h_pre.value().zip_with("relu'", &dh, |a, g| if a > 0.0 { g } else { 0.0 })?;
    println!("  dL/dh  = dz W2ᵀ, then through relu: {dh_pre}");
    let dw1 = x.value().transpose().matmul(&dh_pre)?;
    println!("  dL/dW1 = xᵀ dh = {dw1}");

    let (g1, g2) = (w1.grad().expect("param"), w2.grad().expect("param"));
    println!("\nbackward(), by the graph:\n  dL/dW2 = {g2}\n  dL/dW1 = {g1}");
    let diff = |a: &Tensor<f64>, b: &Tensor<f64>| {
        a.iter().zip(b.iter()).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max)
    };
    println!("\nmax |hand - graph|: W2 {:.1e}, W1 {:.1e}", diff(&dw2, &g2), diff(&dw1, &g1));
    Ok(())
}
