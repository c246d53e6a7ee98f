//! Chapter 2.3.3, "Tensor product": the book's naive dots (vector, both matrix-vector versions,
//! matrix), checked against `dot`; why `dot(x, y)` is not `dot(y, x)`; and `dot` on higher-rank
//! tensors. The naive loops live in `crates/tensor/src/ops/naive.rs`; `dot` runs on the GEMM
//! ladder of `crates/tensor/src/gemm/` (docs/gemm.md).
//!
//! Run: `cargo run --release --example 05_dot`

use std::error::Error;
use tessera_tensor::ops::{naive_matrix_dot, naive_matrix_vector_dot, naive_vector_dot};
use tessera_tensor::{Rng, Tensor, s, tensor};

/// The book's second `naive_matrix_vector_dot`: each output is a vector dot of a row of `x` with `y`.
fn naive_matrix_vector_dot_by_rows(x: &Tensor<f64>, y: &Tensor<f64>) -> tessera_tensor::Result<Tensor<f64>> {
    let mut z = Vec::with_capacity(x.shape()[0]);
    for i in 0..x.shape()[0] {
        z.push(naive_vector_dot(&x.slice(&s![i as isize, ..])?, y)?);
    }
    Tensor::from_vec(z, &[x.shape()[0]])
}

pub fn main() -> Result<(), Box<dyn Error>> {
    // Small integers stored as floats: every sum below is exact, so "equal" means bit-equal.
    let x = tensor![[1.0f64, 2.0, 3.0], [4.0, 5.0, 6.0]];
    let y = tensor![7.0f64, 8.0, 9.0];
    println!("x = {x}\ny = {y}");

    println!("\n## Vector dot: z = sum(x[i] * y[i])");
    let v = tensor![1.0f64, 2.0, 3.0];
    println!(">>> naive_vector_dot(v, y)\n{}", naive_vector_dot(&v, &y)?);
    println!(">>> np.dot(v, y)\n{}", v.dot(&y)?);

    println!("\n## Matrix-vector dot, both of the book's versions");
    println!(">>> naive_matrix_vector_dot(x, y)  # two loops\n{}", naive_matrix_vector_dot(&x, &y)?);
    println!(
        ">>> naive_matrix_vector_dot(x, y)  # a vector dot per row\n{}",
        naive_matrix_vector_dot_by_rows(&x, &y)?
    );
    println!(">>> np.dot(x, y)\n{}", x.dot(&y)?);

    println!("\n## Matrix dot: z[i, j] = naive_vector_dot(x[i, :], y[:, j])");
    let w = tensor![[1.0f64, 0.0], [0.0, 1.0], [1.0, 1.0]];
    println!(">>> naive_matrix_dot(x, w)\n{}", naive_matrix_dot(&x, &w)?);
    println!(">>> np.dot(x, w)\n{}", x.dot(&w)?);

    println!("\n## dot(x, y) is not dot(y, x)");
    let a = tensor![[1.0f64, 2.0], [3.0, 4.0]];
    let b = tensor![[0.0f64, 1.0], [1.0, 0.0]];
    println!(">>> np.dot(a, b)  # swaps the columns of a\n{}", a.dot(&b)?);
    println!(">>> np.dot(b, a)  # swaps the rows of a\n{}", b.dot(&a)?);
    println!(
        ">>> np.dot(x, w).shape, np.dot(w, x).shape\n{} {}",
        x.dot(&w)?.shape_tuple(),
        w.dot(&x)?.shape_tuple()
    );
    if let Err(e) = x.dot(&x) {
        println!(">>> np.dot(x, x)  # (2, 3) . (2, 3): x.shape[1] != x.shape[0]\nerror: {e}");
    }

    println!("\n## Higher-rank dot");
    let mut rng = Rng::seed(0);
    let t = Tensor::<f64>::rand_uniform(&[2, 3, 4, 5], -1.0, 1.0, &mut rng);
    let d = Tensor::<f64>::rand_uniform(&[5], -1.0, 1.0, &mut rng);
    let e = Tensor::<f64>::rand_uniform(&[5, 6], -1.0, 1.0, &mut rng);
    println!(
        "(a, b, c, d) . (d,)   -> (a, b, c):    {} . {} -> {}",
        t.shape_tuple(),
        d.shape_tuple(),
        t.dot(&d)?.shape_tuple()
    );
    println!(
        "(a, b, c, d) . (d, e) -> (a, b, c, e): {} . {} -> {}",
        t.shape_tuple(),
        e.shape_tuple(),
        t.dot(&e)?.shape_tuple()
    );
    let one = t.dot(&e)?.get(&[1, 2, 3, 4])?;
    let by_hand = naive_vector_dot(&t.slice(&s![1, 2, 3, ..])?, &e.slice(&s![.., 4])?)?;
    println!("entry [1, 2, 3, 4] = {one:.6}; naive_vector_dot(t[1, 2, 3, :], e[:, 4]) = {by_hand:.6}");
    Ok(())
}
