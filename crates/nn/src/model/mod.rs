//! `Sequential`: a stack of layers with Keras' compile / fit / evaluate / predict.

mod batches;
mod fit;
mod progress;
mod sequential;

pub use fit::{FitOptions, History};
pub use sequential::Sequential;
