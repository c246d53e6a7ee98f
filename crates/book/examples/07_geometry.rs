//! Chapter 2.3.5, "Geometric interpretation of tensor operations": vector addition, translation,
//! rotation, scaling and an affine map, as tensor operations on 2-D points.
//!
//! Run: `cargo run --release --example 07_geometry`

use std::error::Error;
use std::f64::consts::PI;
use tessera_tensor::{Tensor, tensor};

fn rotation(theta: f64) -> Tensor<f64> {
    tensor![[theta.cos(), -theta.sin()], [theta.sin(), theta.cos()]]
}

pub fn main() -> Result<(), Box<dyn Error>> {
    println!("## Adding two vectors: put B's tail at A's head");
    let a = tensor![0.5f64, 1.0];
    let b = tensor![1.0f64, 0.25];
    println!(">>> A = np.array([0.5, 1]); B = np.array([1, 0.25])\n>>> A + B\n{}", &a + &b);

    println!("\n## Translation: add the same vector to every point");
    let square = tensor![[0.0f64, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]; // one point per row
    println!("square corners (one per row) =\n{square}");
    println!(">>> square + [2, 1]\n{}", &square + &tensor![2.0f64, 1.0]);

    println!("\n## Rotation by theta: np.dot(R, v), R = [[cos, -sin], [sin, cos]]");
    let r90 = rotation(PI / 2.0);
    let x_axis = tensor![1.0f64, 0.0];
    println!(">>> np.dot(R(90 degrees), [1, 0])  # up to rounding: [0, 1]\n{}", r90.dot(&x_axis)?);
    let r30 = rotation(PI / 6.0);
    let v = r30.dot(&x_axis)?;
    println!(">>> np.dot(R(30 degrees), [1, 0])  # [cos 30, sin 30]\n{v}");
    let length = v.dot(&v)?.item()?.sqrt();
    println!("its length is still {length:.6}: rotations keep lengths");
    println!(
        ">>> np.dot(square, R(90 degrees).T)  # every corner at once, points as rows\n{}",
        square.dot(&r90.transpose())?
    );

    println!("\n## Scaling: S = [[2, 0], [0, 0.5]] stretches x and squeezes y");
    let scale = tensor![[2.0f64, 0.0], [0.0, 0.5]];
    println!(">>> np.dot(square, S.T)\n{}", square.dot(&scale.transpose())?);

    println!("\n## Composition: rotating then scaling is one matrix, S . R");
    let composed = scale.dot(&r90)?;
    let two_steps = scale.dot(&r90.dot(&x_axis)?)?;
    println!(
        ">>> np.dot(np.dot(S, R), [1, 0])\n{}\n>>> np.dot(S, np.dot(R, [1, 0]))\n{two_steps}",
        composed.dot(&x_axis)?
    );

    println!("\n## An affine map W.x + b, then relu: what a Dense layer does to each point");
    let w = tensor![[1.0f64, -1.0], [0.5, 1.0]];
    let bias = tensor![-0.5f64, 0.0];
    let affine = &square.dot(&w.transpose())? + &bias;
    println!(">>> np.dot(square, W.T) + b\n{affine}");
    println!(
        ">>> np.maximum(np.dot(square, W.T) + b, 0.)  # relu folds the plane onto its positive quadrant\n{}",
        affine.maximum(&Tensor::scalar(0.0))?
    );
    Ok(())
}
