//! Chapter 2.3.1, "Element-wise operations": the book's `naive_relu` and `naive_add` loops next to
//! Tessera's kernels, with the book's timing: `z = relu(x + y)` on (20, 100) arrays, 1000 times.
//!
//! The naive loops live in `crates/tensor/src/ops/naive.rs`; the kernels they are tested against
//! in `crates/tensor/src/ops/` (docs/kernels-elementwise.md walks through them).
//!
//! Run: `cargo run --release --example 03_element_wise`

use std::error::Error;
use std::time::Instant;
use tessera_tensor::ops::{naive_add, naive_relu};
use tessera_tensor::{Rng, Tensor};

/// Runs `f` `reps` times and returns the seconds taken, as the book's `time.time()` pairs do.
fn time(
    reps: usize,
    mut f: impl FnMut() -> Result<Tensor<f32>, Box<dyn Error>>,
) -> Result<f64, Box<dyn Error>> {
    let t0 = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(f()?);
    }
    Ok(t0.elapsed().as_secs_f64())
}

pub fn main() -> Result<(), Box<dyn Error>> {
    let mut rng = Rng::seed(0);
    let x = Tensor::<f32>::rand_uniform(&[20, 100], 0.0, 1.0, &mut rng);
    let y = Tensor::<f32>::rand_uniform(&[20, 100], 0.0, 1.0, &mut rng);
    let zero = Tensor::scalar(0.0f32);

    println!("## The same result both ways");
    let fast = (&x - &y).maximum(&zero)?;
    let slow = naive_relu(&naive_add(&x, &(-&y))?)?;
    println!(">>> z = np.maximum(x - y, 0.)  # x, y: uniform [0, 1), shape (20, 100)");
    println!("z[0, :6] = {}", fast.slice(&tessera_tensor::s![0, ..6])?);
    let max_diff = fast.iter().zip(slow.iter()).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    println!("max |kernels - naive loops| = {max_diff}");
    println!("negative entries zeroed: {} of {}", slow.iter().filter(|&v| v == 0.0).count(), slow.size());

    println!("\n## Timing: z = x + y; z = relu(z), 1000 times");
    let vectorised = time(1000, || Ok((&x + &y).maximum(&zero)?))?;
    println!("kernels:     Took: {:.2} s", vectorised);
    let naive = time(1000, || Ok(naive_relu(&naive_add(&x, &y)?)?))?;
    println!("naive loops: Took: {:.2} s", naive);
    println!("the naive loops are {:.0}x slower", naive / vectorised);
    Ok(())
}
