//! Chapter 2.3.4, "Tensor reshaping": `reshape` and `transpose`, and when each is a view (new
//! strides over the same storage) or needs a copy.
//!
//! Run: `cargo run --release --example 06_reshape`

use std::error::Error;
use tessera_nn::datasets::mnist;
use tessera_tensor::{Tensor, tensor};

pub fn main() -> Result<(), Box<dyn Error>> {
    println!("## The book's reshapes");
    let x = tensor![[0.0f64, 1.0], [2.0, 3.0], [4.0, 5.0]];
    println!(">>> x.shape\n{}", x.shape_tuple());
    println!(">>> x = x.reshape((6, 1))\n>>> x\n{}", x.reshape(&[6, 1])?);
    println!(">>> x = x.reshape((2, 3))\n>>> x\n{}", x.reshape(&[2, 3])?);

    println!("\n## Transposition: rows become columns");
    let z = Tensor::<f64>::zeros(&[300, 20]);
    println!(
        ">>> x = np.zeros((300, 20))\n>>> x = np.transpose(x)\n>>> x.shape\n{}",
        z.transpose().shape_tuple()
    );

    println!("\n## Preparing the MNIST images: (60000, 28, 28) -> (60000, 784)");
    let ((train_images, _), _) = mnist::load_data(None)?;
    let flat = train_images.reshape(&[60000, 28 * 28])?;
    println!(">>> train_images.reshape((60000, 28 * 28)).shape\n{}", flat.shape_tuple());
    println!("a view of the same pixels: {}", flat.shares_storage(&train_images));
    println!(
        ">>> train_images.reshape((60000, -1)).shape\n{}",
        train_images.reshape(&[60000, -1])?.shape_tuple()
    );
    if let Err(e) = train_images.reshape(&[60000, 785]) {
        println!(">>> train_images.reshape((60000, 785))\nerror: {e}");
    }

    println!("\n## View or copy?");
    let m = Tensor::<f32>::arange(6).reshape(&[2, 3])?;
    println!(">>> m = np.arange(6, dtype=np.float32).reshape((2, 3))\n{}", m.explain());
    let t = m.transpose();
    println!(">>> m.T  # a view: the strides swap\n{}", t.explain());
    let r = t.reshape(&[6])?;
    println!(">>> m.T.reshape(6)  # no strides can walk m.T's order over m's storage: a copy");
    println!("{r}\nshares storage with m: {}", r.shares_storage(&m));
    Ok(())
}
