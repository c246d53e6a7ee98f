//! Datasets: the IDX parser and MNIST.

pub mod idx;
pub mod mnist;
