//! `Sequential`: a stack of layers with Keras' compile / fit / evaluate / predict.

mod batches;
mod file;
mod fit;
mod phases;
mod progress;
mod sequential;

pub use file::{FORMAT, FORMAT_VERSION};
pub use fit::{FitOptions, History};
pub use phases::EpochPhases;
pub use sequential::Sequential;
