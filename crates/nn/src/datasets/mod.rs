//! Datasets: the IDX parser, MNIST, the verified download behind it, and pictures of digits
//! made to look like MNIST's.

#[cfg(feature = "download")]
pub mod download;
pub mod idx;
pub mod mnist;
pub mod picture;
