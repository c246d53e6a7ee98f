//! [`Real`]: the element types a graph computes in.

use tessera_tensor::gemm::GemmScalar;
use tessera_tensor::ops::FloatElement;

/// `f32` or `f64`: element-wise float math ([`FloatElement`]) and GEMM kernels
/// ([`GemmScalar`]), both of which a graph's forward and backward passes use.
pub trait Real: FloatElement + GemmScalar {}

impl<T: FloatElement + GemmScalar> Real for T {}
