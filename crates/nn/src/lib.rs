//! # tessera-nn: Keras-shaped neural networks
//!
//! The chapter-2 listing, in the order a program uses it:
//!
//! | module | Keras | what |
//! |---|---|---|
//! | [`datasets`] | `keras.datasets.mnist` | IDX parser, `mnist::load_data` |
//! | [`losses::to_categorical`] | `to_categorical` | one-hot labels |
//! | [`dense`], [`activation`] | `layers.Dense` | `y = act(x·kernel + bias)` |
//! | [`model`] | `Sequential` | `add`, `compile`, `fit`, `evaluate`, `predict`, `summary` |
//! | [`losses`], [`metrics`] | `losses`, `metrics` | crossentropies, mse; accuracy |
//! | [`optimizers`] | `optimizers` | SGD (momentum, Nesterov), RMSprop, Adam |
//! | [`numpy`] | `np.load`, `np.save`, `np.savez` | `.npy` / `.npz` files |
//! | [`Sequential::save`], [`Sequential::load`] | `model.save`, `load_model` | safetensors model files |
//!
//! ```
//! use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential};
//! use tessera_tensor::{Rng, Tensor};
//! // Learn y = [x0 > x1] on random points.
//! let mut rng = Rng::seed(1);
//! let x = Tensor::<f32>::rand_uniform(&[256, 2], -1.0, 1.0, &mut rng);
//! let labels: Vec<f32> = x.to_vec().chunks(2).map(|p| (p[0] > p[1]) as u8 as f32).collect();
//! let y = Tensor::from_vec(labels, &[256]).unwrap();
//! let mut model = Sequential::new(0);
//! model.add(Dense::new(16, Activation::Relu).input_dim(2));
//! model.add(Dense::new(2, Activation::Softmax));
//! model.compile(RMSprop::new(0.01), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
//! let opts = FitOptions { epochs: 20, batch_size: 32, verbose: false, ..FitOptions::default() };
//! let history = model.fit(&x, &y, &opts).unwrap();
//! assert!(history.accuracy.last().unwrap() > &0.9);
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

/// The autograd crate.
pub use tessera_autograd;
/// The tensor crate, so that one dependency line gives all of Tessera.
pub use tessera_tensor;

/// What a program training a model usually needs, in one `use tessera_nn::prelude::*;`.
pub mod prelude {
    pub use crate::datasets::mnist;
    pub use crate::{
        Activation, Adam, Dense, FitOptions, History, Loss, Metric, NnError, Optimizer, RMSprop, SGD,
        Sequential, to_categorical,
    };
    pub use tessera_autograd::Var;
    pub use tessera_tensor::{Rng, Tensor, TensorError, s, tensor};
}

pub mod activation;
pub mod datasets;
pub mod dense;
pub mod error;
mod files;
pub mod losses;
pub mod metrics;
pub mod model;
pub mod numpy;
pub mod optimizers;

pub use activation::Activation;
pub use dense::Dense;
pub use error::{NnError, Result};
pub use losses::{Loss, to_categorical};
pub use metrics::Metric;
pub use model::{EpochPhases, FitOptions, History, Sequential};
pub use optimizers::{Adam, Optimizer, RMSprop, SGD};
