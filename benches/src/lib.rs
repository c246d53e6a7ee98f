//! Shared helpers for Tessera's criterion benches (`cargo bench -p tessera-benches`).
//!
//! | bench | measures |
//! |---|---|
//! | `elementwise` | add, relu, exp, broadcast add (allocating and in place) and sum on 10^6 and 10^7 f32 |
//! | `gemm` | each GEMM tier on square sizes and the MNIST shapes, reported in FLOP/s; a Dense layer as matmul + add + relu vs fused `linear`; zero-skipping on real MNIST pixels vs the same batch made dense  |
//! | `mlp_step` | one 784-512-10 training step through autograd vs the same math written by hand |

use tessera_tensor::{Rng, Tensor};

/// A seeded standard-normal f32 tensor.
pub fn randn(shape: &[usize], seed: u64) -> Tensor<f32> {
    Tensor::rand_normal(shape, 0.0, 1.0, &mut Rng::seed(seed))
}
