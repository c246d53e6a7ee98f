//! Element-wise ops, broadcasting and reductions, as a ladder of kernels that are all kept:
//!
//! | tier | where | what |
//! |---|---|---|
//! | naive | [`naive`] | the book's loops and index-by-index oracles |
//! | strided walker | [`walk`] + [`crate::strided_iter`] | one walk, fast path chosen per run by inner strides |
//! | SIMD | [`element`], [`simd_exp`] | `wide` vectors over contiguous and broadcast runs |
//! | parallel | [`walk`] | rayon above [`walk::PARALLEL_MIN_ELEMENTS`] |
//! | streaming stores | [`stream`] | long outputs bypass the caches |
//!
//! Public entry points are methods on `Tensor` ([`binary`], [`unary`], [`inplace`], [`reduce`],
//! [`softmax`]) and the operators in [`operators`].

pub mod binary;
pub mod element;
pub mod inplace;
mod lanes;
pub mod naive;
pub mod operators;
pub mod reduce;
pub mod simd_exp;
mod simd_tanh;
pub mod softmax;
pub mod stream;
pub mod unary;
pub mod unary_float;
pub mod walk;

pub use binary::where_;
pub use element::{Arith, FloatElement, NumElement, Store, UnaryFloat};
pub use naive::{naive_add, naive_add_matrix_and_vector, naive_map, naive_relu, naive_zip};
pub use reduce::Reduce;
