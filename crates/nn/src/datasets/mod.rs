//! Datasets: the IDX parser, MNIST, and the verified download behind it.

pub mod download;
pub mod idx;
pub mod mnist;
