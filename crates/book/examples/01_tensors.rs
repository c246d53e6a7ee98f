//! Chapter 2.2, "Data representations for neural networks": tensors of rank 0 to 5, their three
//! key attributes, and the real MNIST training set as a rank-3 tensor.
//!
//! Run: `cargo run --release --example 01_tensors`

use std::error::Error;
use tessera_nn::datasets::mnist;
use tessera_tensor::{Tensor, s, tensor};

/// Prints an image as text, one character per pixel, darker characters for more ink.
fn print_digit(digit: &Tensor<u8>) {
    const INK: &[u8] = b" .:-=+*#%@";
    for row in 0..digit.shape()[0] {
        let line: String = digit
            .slice(&s![row as isize])
            .expect("row index is in range")
            .iter()
            .map(|p| INK[p as usize * (INK.len() - 1) / 255] as char)
            .collect();
        println!("{}", format!("    {line}").trim_end());
    }
}

pub fn main() -> Result<(), Box<dyn Error>> {
    println!("## Scalars (rank-0 tensors)");
    let x = Tensor::scalar(12i64);
    println!(">>> x\n{x}\n>>> x.ndim\n{}", x.ndim());

    println!("\n## Vectors (rank-1 tensors)");
    let x = tensor![12i64, 3, 6, 14, 7];
    println!(">>> x\n{x}\n>>> x.ndim\n{}", x.ndim());

    println!("\n## Matrices (rank-2 tensors)");
    let x = tensor![[5i64, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]];
    println!(">>> x.ndim\n{}", x.ndim());

    println!("\n## Rank-3 and higher-rank tensors");
    let x = tensor![
        [[5i64, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]]
    ];
    println!(">>> x.ndim\n{}\n>>> x.shape\n{}", x.ndim(), x.shape_tuple());

    println!("\n## Key attributes: the MNIST training set");
    let ((train_images, train_labels), (test_images, test_labels)) = mnist::load_data(None)?;
    println!(">>> train_images.ndim\n{}", train_images.ndim());
    println!(">>> train_images.shape\n{}", train_images.shape_tuple());
    println!(">>> train_images.dtype\n{}", train_images.dtype());
    println!(">>> len(train_labels)\n{}", train_labels.len());
    println!(">>> train_labels\n{train_labels}");
    println!(">>> test_images.shape\n{}", test_images.shape_tuple());
    println!(">>> len(test_labels)\n{}", test_labels.len());
    println!(">>> test_labels\n{test_labels}");

    println!("\n## Displaying the fifth digit");
    let digit = train_images.slice(&s![4])?;
    print_digit(&digit);
    println!(">>> train_labels[4]\n{}", train_labels.get(&[4])?);

    println!("\n## Real-world data tensors (shapes only: a broadcast view holds one element)");
    let examples: [(&str, &[usize]); 6] = [
        ("vector data: 100,000 people x (age, gender, income)", &[100_000, 3]),
        ("text: 500 documents x 20,000-word counts", &[500, 20_000]),
        ("timeseries: 250 days x 390 minutes x (current, high, low)", &[250, 390, 3]),
        ("tweets: 1,000,000 tweets x 280 characters x 128 one-hot", &[1_000_000, 280, 128]),
        ("images: 128 colour images of 256 x 256", &[128, 256, 256, 3]),
        ("video: 4 clips x 240 frames of 144 x 256 colour", &[4, 240, 144, 256, 3]),
    ];
    for (what, shape) in examples {
        let t = Tensor::scalar(0.0f32).broadcast_to(shape)?;
        let bytes = t.size() * std::mem::size_of::<f32>();
        println!("{what}");
        println!("    rank {}, shape {}, {} values", t.ndim(), t.shape_tuple(), t.size());
        println!(
            "    as float32: {bytes} bytes = {:.0} MB; this view stores {} element",
            bytes as f64 / (1 << 20) as f64,
            t.storage().len()
        );
    }
    Ok(())
}
