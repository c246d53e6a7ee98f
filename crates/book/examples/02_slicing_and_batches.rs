//! Chapter 2.2, "Manipulating tensors in NumPy" and "The notion of data batches": slices of the
//! MNIST training set. A slice is a view: a new shape, strides and offset over the same pixels.
//!
//! Run: `cargo run --release --example 02_slicing_and_batches`

use std::error::Error;
use tessera_nn::datasets::mnist;
use tessera_tensor::s;

pub fn main() -> Result<(), Box<dyn Error>> {
    let ((train_images, _), _) = mnist::load_data(None)?;

    println!("## Selecting digits #10 to #100");
    let my_slice = train_images.slice(&s![10..100])?;
    println!(">>> my_slice = train_images[10:100]\n>>> my_slice.shape\n{}", my_slice.shape_tuple());
    let my_slice = train_images.slice(&s![10..100, .., ..])?;
    println!(">>> train_images[10:100, :, :].shape\n{}", my_slice.shape_tuple());
    let my_slice = train_images.slice(&s![10..100, 0..28, 0..28])?;
    println!(">>> train_images[10:100, 0:28, 0:28].shape\n{}", my_slice.shape_tuple());

    println!("\n## Slices along every axis");
    let corner = train_images.slice(&s![.., 14.., 14..])?;
    println!(">>> train_images[:, 14:, 14:].shape  # bottom-right 14x14 patch\n{}", corner.shape_tuple());
    let centre = train_images.slice(&s![.., 7..-7, 7..-7])?;
    println!(">>> train_images[:, 7:-7, 7:-7].shape  # centred 14x14 crop\n{}", centre.shape_tuple());

    println!("\n## A slice is a view: no pixel is copied");
    println!("shares storage with train_images: {}", centre.shares_storage(&train_images));
    println!("{}", centre.explain());
    println!(
        ">>> train_images[4, 10:14, 10:16]  # part of the fifth digit\n{}",
        train_images.slice(&s![4, 10..14, 10..16])?
    );

    println!("\n## Data batches: the first axis is the batch axis");
    let batch = train_images.slice(&s![..128])?;
    println!(">>> batch = train_images[:128]\n>>> batch.shape\n{}", batch.shape_tuple());
    let batch = train_images.slice(&s![128..256])?;
    println!(">>> batch = train_images[128:256]\n>>> batch.shape\n{}", batch.shape_tuple());
    let n = 3;
    let batch = train_images.slice(&s![128 * n..128 * (n + 1)])?;
    println!(
        ">>> n = 3\n>>> batch = train_images[128 * n:128 * (n + 1)]\n>>> batch.shape\n{}",
        batch.shape_tuple()
    );
    let last = train_images.slice(&s![128 * 468..])?;
    println!(">>> train_images[128 * 468:].shape  # the last, smaller batch\n{}", last.shape_tuple());
    Ok(())
}
