//! Chapter 2.2 of "Deep Learning with Python" ("Data representations for neural networks"), in
//! Tessera. Each block prints what the book's NumPy code prints.
//!
//! Run: `cargo run --release --example 01_tensors`

use tessera_tensor::{Rng, Tensor, s, tensor};

fn main() -> tessera_tensor::Result<()> {
    println!("## Scalars (rank-0 tensors)");
    let x = Tensor::scalar(12i64);
    println!("x = {x}\nx.ndim = {}", x.ndim());

    println!("\n## Vectors (rank-1 tensors)");
    let x = tensor![12i64, 3, 6, 14, 7];
    println!("x = {x}\nx.ndim = {}", x.ndim());

    println!("\n## Matrices (rank-2 tensors)");
    let x = tensor![[5i64, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]];
    println!("x.ndim = {}", x.ndim());

    println!("\n## Rank-3 tensors");
    let x = tensor![
        [[5i64, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]]
    ];
    println!("x.ndim = {}", x.ndim());

    println!("\n## Key attributes (a stand-in for train_images: 60000 random 28x28 uint8 images)");
    let mut rng = Rng::seed(0);
    let pixels: Vec<u8> = (0..60000 * 784).map(|_| rng.below(256) as u8).collect();
    let train_images = Tensor::from_vec(pixels, &[60000, 28, 28])?;
    println!("train_images.ndim = {}", train_images.ndim());
    println!("train_images.shape = {:?}", train_images.shape());
    println!("train_images.dtype = {}", train_images.dtype());

    println!("\n## Tensor slicing (views: no pixel is copied)");
    let my_slice = train_images.slice(&s![10..100])?;
    println!("train_images[10:100].shape = {:?}", my_slice.shape());
    let my_slice = train_images.slice(&s![10..100, .., ..])?;
    println!("train_images[10:100, :, :].shape = {:?}", my_slice.shape());
    let my_slice = train_images.slice(&s![10..100, 0..28, 0..28])?;
    println!("train_images[10:100, 0:28, 0:28].shape = {:?}", my_slice.shape());
    let my_slice = train_images.slice(&s![.., 14.., 14..])?;
    println!("train_images[:, 14:, 14:].shape = {:?}", my_slice.shape());
    let my_slice = train_images.slice(&s![.., 7..-7, 7..-7])?;
    println!("train_images[:, 7:-7, 7:-7].shape = {:?}", my_slice.shape());
    println!("shares storage with train_images: {}", my_slice.shares_storage(&train_images));

    println!("\n## Data batches");
    let batch = train_images.slice(&s![..128])?;
    println!("batch 0 shape = {:?}", batch.shape());
    let n = 3;
    let batch = train_images.slice(&s![128 * n..128 * (n + 1)])?;
    println!("batch {n} shape = {:?}", batch.shape());

    println!("\n## Tensor reshaping");
    let x = tensor![[0.0f64, 1.0], [2.0, 3.0], [4.0, 5.0]];
    println!("x.shape = {:?}", x.shape());
    println!("x.reshape((6, 1)) =\n{}", x.reshape(&[6, 1])?);
    println!("x.reshape((2, 3)) =\n{}", x.reshape(&[2, 3])?);
    let x = Tensor::<f64>::zeros(&[300, 20]);
    println!("np.transpose(zeros((300, 20))).shape = {:?}", x.transpose().shape());
    let flat = train_images.reshape(&[60000, 28 * 28])?;
    println!("train_images.reshape((60000, 28 * 28)).shape = {:?}", flat.shape());
    if let Err(e) = train_images.reshape(&[60000, 785]) {
        println!("train_images.reshape((60000, 785)) -> error: {e}");
    }

    println!("\n## Strides: what a view is");
    let m = Tensor::<f32>::arange(6).reshape(&[2, 3])?;
    println!("m = {m}\n{}", m.explain());
    println!("m.T = {}\n{}", m.transpose(), m.transpose().explain());
    let b = Tensor::<f32>::arange(3).broadcast_to(&[4, 3])?;
    println!("arange(3) broadcast to (4, 3) = {b}\n{}", b.explain());
    println!("first image, rows 10..14, cols 10..16 = {}", train_images.slice(&s![0, 10..14, 10..16])?);
    Ok(())
}
