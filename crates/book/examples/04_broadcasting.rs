//! Chapter 2.3.2, "Broadcasting": adding a vector to a matrix three ways (by hand-made copies, by
//! the book's naive loop, by broadcasting), and `maximum` of a (64, 3, 32, 10) and a (32, 10) tensor.
//! Broadcasting copies nothing: the vector is read through a view whose stride along the new
//! axis is 0.
//!
//! Run: `cargo run --release --example 04_broadcasting`

use std::error::Error;
use tessera_tensor::ops::naive_add_matrix_and_vector;
use tessera_tensor::{Rng, Tensor, concatenate};

fn max_abs_diff(a: &Tensor<f32>, b: &Tensor<f32>) -> f32 {
    a.iter().zip(b.iter()).map(|(p, q)| (p - q).abs()).fold(0.0, f32::max)
}

pub fn main() -> Result<(), Box<dyn Error>> {
    let mut rng = Rng::seed(0);
    let big_x = Tensor::<f32>::rand_uniform(&[32, 10], 0.0, 1.0, &mut rng);
    let y = Tensor::<f32>::rand_uniform(&[10], 0.0, 1.0, &mut rng);

    println!("## By hand: repeat y 32 times, then add");
    let y1 = y.expand_dims(0)?;
    println!(">>> y = np.expand_dims(y, axis=0)\n>>> y.shape\n{}", y1.shape_tuple());
    let copies: Vec<&Tensor<f32>> = vec![&y1; 32];
    let big_y = concatenate(&copies, 0)?;
    println!(">>> Y = np.concatenate([y] * 32, axis=0)\n>>> Y.shape\n{}", big_y.shape_tuple());
    let by_copies = &big_x + &big_y;

    println!("\n## The book's naive_add_matrix_and_vector, and broadcasting");
    let by_loop = naive_add_matrix_and_vector(&big_x, &y)?;
    let broadcast = &big_x + &y;
    println!(">>> (X + y).shape\n{}", broadcast.shape_tuple());
    println!("max |X + y - naive loop| = {}", max_abs_diff(&broadcast, &by_loop));
    println!("max |X + y - (X + Y)|    = {}", max_abs_diff(&broadcast, &by_copies));

    println!("\n## What broadcasting reads: y as a (32, 10) view with stride 0 along the rows");
    let view = y.broadcast_to(&[32, 10])?;
    println!("{}", view.explain());

    println!("\n## np.maximum of a (64, 3, 32, 10) and a (32, 10) tensor");
    let x = Tensor::<f32>::rand_uniform(&[64, 3, 32, 10], 0.0, 1.0, &mut rng);
    let y = Tensor::<f32>::rand_uniform(&[32, 10], 0.0, 1.0, &mut rng);
    let z = x.maximum(&y)?;
    println!(">>> z = np.maximum(x, y)\n>>> z.shape\n{}", z.shape_tuple());
    let corner = (z.get(&[5, 2, 7, 3])?, x.get(&[5, 2, 7, 3])?, y.get(&[7, 3])?);
    println!(
        "z[5, 2, 7, 3] = {:.4} = max(x[5, 2, 7, 3] = {:.4}, y[7, 3] = {:.4})",
        corner.0, corner.1, corner.2
    );

    println!("\n## Shapes that do not broadcast are an error, naming both");
    let bad = Tensor::<f32>::zeros(&[32, 9]);
    if let Err(e) = big_x.try_add(&bad) {
        println!(">>> X + np.zeros((32, 9))\nerror: {e}");
    }
    Ok(())
}
